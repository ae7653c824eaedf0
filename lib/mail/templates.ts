import type { MailMessage } from "./index";

/**
 * The mails the app sends. Every one has a plain-text body that says it all, and an HTML body
 * with inline styles only: no remote images, fonts or tracking pixels.
 */

const escape = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

function html(paragraphs: string[], extra = ""): string {
  const body = paragraphs.map((p) => `<p style="margin:0 0 16px">${p}</p>`).join("");
  return `<!doctype html><html><body style="margin:0;padding:24px;font-family:system-ui,-apple-system,Segoe UI,sans-serif;font-size:16px;line-height:1.5;color:#111">${body}${extra}</body></html>`;
}

export type CodeMailPurpose = "verify_email" | "recovery" | "sign_in";

const PURPOSE_WORDS: Record<CodeMailPurpose, { subject: string; intro: string; button: string }> = {
  verify_email: { subject: "Confirm your email address", intro: "Enter this code to confirm your email address:", button: "Confirm my email" },
  recovery: {
    subject: "Your account recovery code",
    intro: "Someone (hopefully you) asked to recover your account because its passkeys were lost. Enter this code to create a new passkey:",
    button: "Recover my account",
  },
  sign_in: { subject: "Your sign-in code", intro: "Enter this code to sign in:", button: "Sign in" },
};

/** The code to type, and the link that does the same in the browser that asked for it. */
export function codeMail(purpose: CodeMailPurpose, to: string, code: string, link: string, minutes: number): MailMessage {
  const words = PURPOSE_WORDS[purpose];
  const warning = "If you didn't ask for this, ignore this email: nothing changes without the code. Never tell anyone this code; we will never ask for it.";
  const note = `The code and link work for ${minutes} minutes, once, and only in the browser where you asked for them.`;
  return {
    to,
    subject: words.subject,
    text: `${words.intro}\n\n    ${code}\n\nOr open this link in the same browser:\n${link}\n\n${note}\n\n${warning}\n`,
    html: html(
      [escape(words.intro)],
      `<p style="margin:0 0 16px;font-size:28px;font-weight:600;letter-spacing:4px;font-family:ui-monospace,monospace">${escape(code)}</p>` +
        `<p style="margin:0 0 16px"><a href="${escape(link)}" style="display:inline-block;padding:10px 16px;background:#111;color:#fff;border-radius:6px;text-decoration:none">${escape(words.button)}</a></p>` +
        `<p style="margin:0 0 16px;color:#555">${escape(note)}</p><p style="margin:0;color:#555">${escape(warning)}</p>`,
    ),
  };
}

/** Sent after account recovery: a new passkey was added and every other session signed out. */
export function passkeyAddedMail(to: string, passkeyName: string, accountUrl: string): MailMessage {
  const lines = [
    `A new passkey (${passkeyName}) was added to your account using a recovery code sent to this address, and every other session was signed out.`,
    "If this was you, there is nothing to do. You may want to delete passkeys you no longer have on your account page.",
    "If it wasn't you, someone can read your email. Secure your email account first, then sign in and delete the passkey you don't recognise.",
  ];
  return {
    to,
    subject: "A passkey was added to your account",
    text: `${lines.join("\n\n")}\n\n${accountUrl}\n`,
    html: html(lines.map(escape), `<p style="margin:0"><a href="${escape(accountUrl)}">${escape(accountUrl)}</a></p>`),
  };
}

/** Where each purpose's link lands: a page with a button, so a mail scanner's GET spends nothing. */
export const LINK_PATHS: Record<CodeMailPurpose, string> = {
  verify_email: "/verify-email",
  recovery: "/recover",
  sign_in: "/login/email",
};

/** The mail for a code the vault issued (lib/vault/email-codes.ts EmailCodeDelivery). */
export function emailCodeMessage(
  delivery: { to: string; purpose: CodeMailPurpose; code: string; linkToken: string; expiresAt: Date },
  origin: string,
): MailMessage {
  const link = `${origin}${LINK_PATHS[delivery.purpose]}?token=${delivery.linkToken}`;
  const minutes = Math.max(1, Math.round((delivery.expiresAt.getTime() - Date.now()) / 60_000));
  return codeMail(delivery.purpose, delivery.to, delivery.code, link, minutes);
}
