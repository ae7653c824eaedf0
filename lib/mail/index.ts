import { mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Transporter } from "nodemailer";

/**
 * Email delivery, with one `send()`. Framework-free (the vault never sends mail: it hands the app
 * what to send, see lib/vault/email-codes.ts).
 *
 * - `SMTP_URL` set (smtp://user:pass@host:587, smtps://…:465): nodemailer over SMTP. Production.
 * - Otherwise, in development (NODE_ENV=development) or with `MAIL_OUTBOX=1` (the e2e server):
 *   the local outbox. Each message is written to `data/outbox/` (MAIL_OUTBOX_DIR) as JSON, listed at
 *   /dev/outbox, and announced by one line in the server log. Zero configuration, nothing leaves
 *   the machine.
 * - Otherwise (a production server without SMTP_URL): every send is refused with a configuration
 *   error naming SMTP_URL, logged by the caller. Not at start-up: `next build` runs with
 *   NODE_ENV=production and must not need mail settings, and the app works without mail (passkeys
 *   do not need it); only email codes and notifications fail, loudly, in the server log.
 */

export interface MailMessage {
  to: string;
  subject: string;
  /** Plain-text body: every mail has one, and it says everything the HTML says. */
  text: string;
  /** HTML body: inline styles only, no remote images or fonts (they track opens and break offline). */
  html: string;
}

type Env = Record<string, string | undefined>;

export type MailTransport =
  | { kind: "smtp"; url: string; from: string }
  | { kind: "outbox"; dir: string; from: string }
  | { kind: "unconfigured"; reason: string };

const DEFAULT_FROM = "Next.js Passkeys <no-reply@localhost>";

/** Which way mail goes, from the environment. Pure: tested without sending anything. */
export function mailTransport(env: Env = process.env): MailTransport {
  const from = env.MAIL_FROM || DEFAULT_FROM;
  if (env.SMTP_URL) {
    if (!/^smtps?:\/\//.test(env.SMTP_URL)) return { kind: "unconfigured", reason: "SMTP_URL must start with smtp:// or smtps://" };
    if (env.NODE_ENV === "production" && !env.MAIL_FROM) {
      return { kind: "unconfigured", reason: "MAIL_FROM must be set with SMTP_URL in production (the address mail comes from)" };
    }
    return { kind: "smtp", url: env.SMTP_URL, from };
  }
  if (outboxEnabled(env)) return { kind: "outbox", dir: path.resolve(/*turbopackIgnore: true*/ env.MAIL_OUTBOX_DIR || "data/outbox"), from };
  return { kind: "unconfigured", reason: "SMTP_URL is not set: mail cannot be sent in production (see .env.example)" };
}

/** The development outbox (and its page) exist only in development, or when MAIL_OUTBOX=1 asks for them. */
export function outboxEnabled(env: Env = process.env): boolean {
  return !env.SMTP_URL && (env.NODE_ENV === "development" || env.MAIL_OUTBOX === "1");
}

export class MailConfigurationError extends Error {
  constructor(reason: string) {
    super(`Mail configuration error: ${reason}`);
    this.name = "MailConfigurationError";
  }
}

let smtp: { url: string; transporter: Transporter } | undefined;

/** Sends one message, or throws (configuration error, SMTP refusal). Callers log the failure. */
export async function send(message: MailMessage, env: Env = process.env): Promise<void> {
  const transport = mailTransport(env);
  if (transport.kind === "unconfigured") throw new MailConfigurationError(transport.reason);
  if (transport.kind === "outbox") {
    const file = await writeToOutbox(transport.dir, { ...message, from: transport.from });
    console.info(`[mail] "${message.subject}" to ${message.to}: written to ${path.relative(process.cwd(), file)} (listed at /dev/outbox)`);
    return;
  }
  if (smtp?.url !== transport.url) {
    // Loaded on first SMTP send only: every server action module that can mail imports this file,
    // and nodemailer is large; development and the outbox never need it.
    const { default: nodemailer } = await import("nodemailer");
    smtp = { url: transport.url, transporter: nodemailer.createTransport(transport.url) };
  }
  // The recipient as an address object, not a string: nodemailer parses a string as an address
  // list, so a name or a second address inside it would be obeyed. The vault only issues plain
  // addresses (lib/vault/input.ts); this keeps one `to` one recipient whatever reaches here.
  const to = { address: message.to };
  await smtp.transporter.sendMail({ from: transport.from, to, subject: message.subject, text: message.text, html: message.html });
}

/** A message in the outbox, as /dev/outbox and the e2e tests read it. */
export interface OutboxMessage extends MailMessage {
  id: string;
  from: string;
  /** ISO date. */
  date: string;
}

/** Orders messages written in the same millisecond. */
let written = 0;

async function writeToOutbox(dir: string, message: MailMessage & { from: string }): Promise<string> {
  // turbopackIgnore: the outbox is a run-time folder, not part of the build (no file tracing).
  await mkdir(/*turbopackIgnore: true*/ dir, { recursive: true });
  const date = new Date().toISOString();
  const id = `${date.replace(/[:.]/g, "-")}-${String(++written).padStart(6, "0")}-${crypto.randomUUID().slice(0, 8)}`;
  const file = path.join(dir, `${id}.json`);
  const stored: OutboxMessage = { id, date, ...message };
  // Written under another name, then renamed (atomic on one file system): a reader listing *.json
  // (the /dev/outbox page, a test waiting for its mail) never sees a half-written message.
  const partial = `${file}.partial`;
  await writeFile(/*turbopackIgnore: true*/ partial, JSON.stringify(stored, null, 2), { mode: 0o600 });
  await rename(/*turbopackIgnore: true*/ partial, file);
  return file;
}

/** The outbox's messages, newest first. Empty when there is no outbox. */
export async function readOutbox(env: Env = process.env): Promise<OutboxMessage[]> {
  const transport = mailTransport(env);
  if (transport.kind !== "outbox") return [];
  const names = await readdir(/*turbopackIgnore: true*/ transport.dir).catch(() => [] as string[]);
  const messages = await Promise.all(
    names
      .filter((name) => name.endsWith(".json"))
      .map(async (name) => JSON.parse(await readFile(path.join(/*turbopackIgnore: true*/ transport.dir, name), "utf8")) as OutboxMessage),
  );
  return messages.sort((a, b) => b.id.localeCompare(a.id));
}
