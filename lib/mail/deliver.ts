import "server-only";
import { after } from "next/server";
import { send, type MailMessage } from "./index";

/**
 * Sends `message` after the response has gone (Next's `after`), so the answer to "mail me a code"
 * takes as long whether or not a mail is sent: the timing does not tell which emails have
 * accounts. A failure (SMTP down, SMTP_URL missing in production) is logged, never shown: the
 * person was told "if an account exists, we sent a code" either way.
 */
export function mailAfterResponse(message: MailMessage): void {
  after(async () => {
    try {
      await send(message);
    } catch (error) {
      console.error(`[mail] could not send "${message.subject}":`, error instanceof Error ? error.message : error);
    }
  });
}
