// The peer's own (empty) instrumentation hook. Without it, Turbopack, whose root is the repository
// (next.config.mjs), builds the app's instrumentation.ts into the peer, and the app's deployment
// check refuses to start a server that has no DATABASE_URL.
export function register() {}
