// The blank page's own (empty) instrumentation hook. Without it, Turbopack, whose root is the
// repository (next.config.mjs), builds the app's instrumentation.ts into this app too.
export function register() {}
