// Every way an email enters the vault takes one plain address and nothing else: no address-list
// syntax a mail library would read as another recipient or a display name, no invisible or
// control characters. A refused email is BadRequest on field "email" and writes nothing.
import { describe, expect, it } from "vitest";
import type { Session } from "../../lib/vault";
import { randomToken } from "../../lib/vault/random";
import { testProviders } from "../support/test-db";
import { expectVaultError, newAuthenticator, signUp, useVault } from "../support/vault-harness";

const REFUSED: [string, string][] = [
  ...[...'"<>(),;:\\[]'].map((special): [string, string] => [`the special ${JSON.stringify(special)}`, `a${special}b@example.com`]),
  ["a display name and angle brackets", '"Call-555"<victim@example.com>'],
  ["a name before the address", "Support <victim@example.com>"],
  ["a list of two (comma)", "x,attacker@evil.example"],
  ["a list of two addresses", "a@example.com,attacker@evil.example"],
  ["a list of two (semicolon)", "a@example.com;attacker@evil.example"],
  ["a group", "group:victim@example.com;"],
  ["a comment", "victim@example.com(comment)"],
  ["a domain literal", "a@[127.0.0.1]"],
  ["a quoted local part", '"a b"@example.com'],
  ["NUL", "a\u0000b@example.com"],
  ["a bell (other control character)", "a\u0007b@example.com"],
  ["DEL", "a\u007fb@example.com"],
  ["a zero-width space", "a\u200bb@example.com"],
  ["a right-to-left override", "a\u202eb@example.com"],
  ["a zero-width joiner", "a\u200db@example.com"],
  ["a soft hyphen (format character)", "a\u00adb@example.com"],
  ["a byte-order mark inside", "a\ufeffb@example.com"],
  ["a no-break space inside", "a\u00a0b@example.com"],
  ["a tab inside", "a\tb@example.com"],
  ["a line separator", "a\u2028b@example.com"],
  ["a lone surrogate", "a\ud800b@example.com"],
  ["no local part", "@example.com"],
  ["no domain", "a@"],
  ["an undotted domain", "a@example"],
  ["two @", "a@b@example.com"],
  ["an empty domain label", "a@example..com"],
  ["a domain starting with a dot", "a@.example.com"],
  ["over 254 characters", `${"a".repeat(243)}@example.com`],
];

const ACCEPTED: [string, string][] = [
  ["plus-addressing", "first.last+tag@example.com"],
  ["a subdomain", "user@mail.sub.example.co.uk"],
  ["digits", "user123@example123.com"],
  ["hyphens", "first-last@my-domain.example"],
  ["an apostrophe", "o'brien@example.com"],
  ["non-ASCII letters", "josé@example.com"],
];

describe.each(testProviders())("email input (%s)", (provider) => {
  const t = useVault(provider);

  /** Every table an email request could write to. */
  const rows = async () => ({
    users: await t.db.user.count(),
    challenges: await t.db.challenge.count(),
    codes: await t.db.code.count(),
    emailCodes: await t.db.emailCode.count(),
    sessions: await t.db.session.count(),
    events: await t.db.securityEvent.count(),
  });

  async function freshSession(): Promise<Session> {
    return t.vault.authenticateSession((await signUp(t.vault)).principal.token);
  }

  const ENTRY_POINTS: [string, (email: string, session: Session) => Promise<unknown>][] = [
    ["sign-up", (email) => t.vault.authorizeRegistration({ email })],
    ["email-first sign-in", (email) => t.vault.authorizeAuthentication({ email })],
    ["a recovery code request", (email) => t.vault.requestRecovery({ email }, randomToken())],
    ["a recovery code redemption", (email) => t.vault.redeemRecovery({ email, code: "123456" }, { browserBinding: randomToken() })],
    ["an email sign-in code request", (email) => t.vault.requestEmailSignIn({ email }, randomToken())],
    ["an email sign-in code redemption", (email) => t.vault.signInWithEmailCode({ email, code: "123456" }, { browserBinding: randomToken() })],
    ["a change of email", (email, session) => t.vault.changeEmail(session, email)],
  ];

  describe.each(ENTRY_POINTS)("%s", (_, enter) => {
    it.each(REFUSED)("refuses %s as BadRequest on email, writing nothing", async (_, email) => {
      const session = await freshSession();
      const before = await rows();
      const { email: stored } = await t.db.user.findUniqueOrThrow({ where: { id: session.userId } });
      const error = await expectVaultError(enter(email, session), "BadRequest");
      expect(error.details).toMatchObject({ field: "email" });
      expect(await rows()).toEqual(before);
      expect((await t.db.user.findUniqueOrThrow({ where: { id: session.userId } })).email).toBe(stored);
    });
  });

  it.each(ACCEPTED)("signs up with %s, stored as typed", async (_, email) => {
    const { principal } = await signUp(t.vault, newAuthenticator(), email);
    expect((await t.db.user.findUniqueOrThrow({ where: { id: principal.userId } })).email).toBe(email);
  });

  it("stores an email trimmed and lower-cased, as before", async () => {
    const { principal } = await signUp(t.vault, newAuthenticator(), "  Mixed.Case@Example.COM ");
    expect((await t.db.user.findUniqueOrThrow({ where: { id: principal.userId } })).email).toBe("mixed.case@example.com");
  });

  it.each(ACCEPTED)("changes the email to one with %s", async (_, email) => {
    const session = await freshSession();
    const changed = `changed.${email}`;
    await expect(t.vault.changeEmail(session, changed)).resolves.toMatchObject({ email: changed });
  });
});
