// The e2e server's mail: with MAIL_OUTBOX=1 (playwright.config.ts) the app writes each message to
// this folder as JSON (lib/mail), as `npm run dev` does to data/outbox/.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "@playwright/test";

/** One folder per e2e port, like the database: two checkouts testing at once keep their own mail. */
export const E2E_OUTBOX_DIR = path.resolve(`data/e2e-outbox-${process.env.E2E_PORT || "3100"}`);

export interface OutboxMail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Every message to `to`, oldest first. */
export function mailTo(to: string): OutboxMail[] {
  let names: string[] = [];
  try {
    names = readdirSync(E2E_OUTBOX_DIR).filter((name) => name.endsWith(".json")).sort();
  } catch {
    return [];
  }
  return names
    .map((name) => JSON.parse(readFileSync(path.join(E2E_OUTBOX_DIR, name), "utf8")) as OutboxMail)
    .filter((mail) => mail.to === to);
}

/** Waits for the `count`-th message to `to` with this subject (mail goes after the response), and answers it. */
export async function waitForMail(to: string, subject: string, count = 1): Promise<OutboxMail> {
  await expect.poll(() => mailTo(to).filter((mail) => mail.subject === subject).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(count);
  return mailTo(to).filter((mail) => mail.subject === subject)[count - 1]!;
}

/** The six digits and the link in a code mail. */
export function codeIn(mail: OutboxMail): { code: string; link: string } {
  const code = /^\s+(\d{6})$/m.exec(mail.text)?.[1];
  const link = /(https?:\/\/\S+\?token=[A-Za-z0-9_-]{43})/.exec(mail.text)?.[1];
  if (!code || !link) throw new Error(`no code or link in: ${mail.text}`);
  return { code, link };
}
