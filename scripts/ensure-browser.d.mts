// Types for ensure-browser.mjs, so that playwright.config.ts can import it (allowJs is off).
export function findChromium(): string | undefined;
