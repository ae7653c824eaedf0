import type { ErrorMessage } from "./messages";

/**
 * Words for an emailed code the server refused (@error/InvalidCode from the email-code forms). The
 * server gives one answer for wrong, used, expired, too-many-tries and other-browser codes, so
 * these name every way out without claiming which it was.
 */
export const EMAIL_CODE_REFUSED: ErrorMessage = {
  title: "That code didn't work",
  message:
    "Check the digits, or ask for a new code. A code works once, for 10 minutes, for 5 tries, and only in the browser where you asked for it. If you typed it right, open the link in the email instead, in this browser.",
  field: "code",
};
