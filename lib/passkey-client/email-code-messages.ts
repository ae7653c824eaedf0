import type { ErrorMessage } from "./messages";

/**
 * Words for an emailed code the server refused (@error/InvalidCode from the email-code forms). The
 * server gives one answer for wrong, used, expired, too-many-tries and other-browser codes, so
 * these name every way out without claiming which it was.
 */
export const EMAIL_CODE_REFUSED: ErrorMessage = {
  title: "That code didn't work",
  message:
    "Check the digits, or ask for a new code. A code works once, for 10 minutes, for 5 tries, and only in the browser where you asked for it.",
  field: "code",
};

/**
 * @error/TooManyWrongCodes: too many wrong codes were typed for this account today, so typed codes
 * are refused; the link in the same mail still works (in the browser that asked). Said next to the
 * code field, like a refused code.
 */
export const EMAIL_CODE_GUESSES_SPENT: ErrorMessage = {
  title: "Use the link in the email",
  message:
    "Too many wrong codes were typed for this account today, so codes can't be typed for now. Open the link in the email instead, in this browser.",
  field: "code",
};
