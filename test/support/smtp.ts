// A real SMTP server on a loopback port, for tests of what the app mails: every message that
// arrives is parsed (mailparser) and kept, in order.
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";
import { send } from "../../lib/mail";
import { emailCodeMessage } from "../../lib/mail/templates";
import type { EmailCodeDelivery } from "../../lib/vault/email-codes";

/** A message as parsed, and the envelope's RCPT TO addresses: who it was actually delivered to. */
export type ReceivedMail = ParsedMail & { envelopeTo: string[] };

export interface TestSmtp {
  /** smtp://127.0.0.1:<port>, for SMTP_URL. */
  url: string;
  received: ReceivedMail[];
  /** The next message to arrive (or the oldest one not yet taken). */
  next(timeoutMs?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}

export async function startTestSmtp(): Promise<TestSmtp> {
  const received: ReceivedMail[] = [];
  let taken = 0;
  const waiting: (() => void)[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const envelopeTo = session.envelope.rcptTo.map((rcpt) => rcpt.address);
      simpleParser(stream)
        .then((mail) => {
          received.push(Object.assign(mail, { envelopeTo }));
          waiting.splice(0).forEach((wake) => wake());
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as { port: number };
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    async next(timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length <= taken) {
        if (Date.now() > deadline) throw new Error("no mail arrived");
        await new Promise<void>((resolve) => {
          waiting.push(resolve);
          setTimeout(resolve, 100);
        });
      }
      return received[taken++]!;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The six digits and the link token in a code mail's plain-text body. */
export function codeAndLink(mail: ParsedMail): { code: string; link: string; token: string } {
  const text = mail.text ?? "";
  const code = /^\s+(\d{6})$/m.exec(text)?.[1];
  const link = /(https?:\/\/\S+token=([A-Za-z0-9_-]{43}))/.exec(text);
  if (!code || !link) throw new Error(`no code or link in: ${text}`);
  return { code, link: link[1]!, token: link[2]! };
}

/**
 * Mails what the vault issued over this real SMTP server, as the app does (the same message, from
 * the same template), and answers the code and link read back from the mail that arrived.
 */
export async function mailAndRead(smtp: TestSmtp, delivery: EmailCodeDelivery | null, origin: string) {
  if (!delivery) throw new Error("the vault issued no code to mail");
  await send(emailCodeMessage(delivery, origin), { SMTP_URL: smtp.url, MAIL_FROM: "Test <test@example.com>" });
  return codeAndLink(await smtp.next());
}
