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
  prepareAndMailAfterResponse(async () => message);
}

/**
 * Prepares a mail, then sends it, both after the response. For the requests a stranger can make
 * with someone's email (a recovery or sign-in code): for an account, preparing writes the code
 * under the account's lock; for an unknown email it writes nothing. Done before answering, that
 * difference in time would tell which emails have accounts. Validate the input before calling
 * this, so bad input still gets its typed error; a failure here is logged, like a failed send.
 */
export function prepareAndMailAfterResponse(prepare: () => Promise<MailMessage | null>): void {
  after(async () => {
    let message: MailMessage | null = null;
    try {
      message = await prepare();
      if (message) await send(message);
    } catch (error) {
      const what = message ? `could not send "${message.subject}"` : "could not prepare a mail";
      console.error(`[mail] ${what}:`, error instanceof Error ? error.message : error);
    }
  });
}
