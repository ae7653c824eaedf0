import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { MailConfigurationError, mailTransport, outboxEnabled, readOutbox, send } from "../../lib/mail";
import { passkeyAddedMail } from "../../lib/mail/templates";

describe("mail transport", () => {
  it("uses SMTP when SMTP_URL is set, and in production insists on MAIL_FROM", () => {
    expect(mailTransport({ SMTP_URL: "smtp://mail.example:587", MAIL_FROM: "a@example.com", NODE_ENV: "production" }).kind).toBe("smtp");
    expect(mailTransport({ SMTP_URL: "smtp://mail.example:587", NODE_ENV: "production" })).toMatchObject({ kind: "unconfigured" });
    expect(mailTransport({ SMTP_URL: "http://mail.example" })).toMatchObject({ kind: "unconfigured" });
  });

  it("writes to the outbox in development with zero configuration, never in production unless MAIL_OUTBOX=1", () => {
    expect(mailTransport({ NODE_ENV: "development" }).kind).toBe("outbox");
    expect(outboxEnabled({ NODE_ENV: "production" })).toBe(false);
    expect(outboxEnabled({ NODE_ENV: "production", MAIL_OUTBOX: "1" })).toBe(true);
    expect(outboxEnabled({ NODE_ENV: "development", SMTP_URL: "smtp://x" })).toBe(false);
  });

  it("refuses to send in production without SMTP_URL, with an error naming it", async () => {
    const error = await send(passkeyAddedMail("a@example.com", "Key", "http://localhost/account"), { NODE_ENV: "production" }).catch((e) => e);
    expect(error).toBeInstanceOf(MailConfigurationError);
    expect(String(error.message)).toContain("SMTP_URL");
  });

  it("the outbox keeps text and HTML, newest first", async () => {
    const env = { NODE_ENV: "development", MAIL_OUTBOX_DIR: path.join(mkdtempSync(path.join(os.tmpdir(), "outbox-")), "outbox") };
    await send({ to: "a@example.com", subject: "one", text: "t1", html: "<p>1</p>" }, env);
    await send({ to: "b@example.com", subject: "two", text: "t2", html: "<p>2</p>" }, env);
    const messages = await readOutbox(env);
    expect(messages.map((m) => m.subject)).toEqual(["two", "one"]);
    expect(messages[0]).toMatchObject({ to: "b@example.com", text: "t2", html: "<p>2</p>" });
  });
});
