import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { send } from "../../lib/mail";
import { createApiKey } from "../../lib/vault/api-keys";
import { emailCodeMessage } from "../../lib/mail/templates";
import {
  EMAIL_CODE_FAILURES_PER_DAY,
  EMAIL_CODE_MAX_ATTEMPTS,
  EMAIL_CODES_PER_ACCOUNT_PER_HOUR,
  EMAIL_CODES_PER_BROWSER,
  type EmailCodeDelivery,
} from "../../lib/vault/email-codes";
import { hashToken, randomToken } from "../../lib/vault/random";
import { codeAndLink, mailAndRead, startTestSmtp, type TestSmtp } from "../support/smtp";
import { testProviders } from "../support/test-db";
import { ORIGIN, expectVaultError, newAuthenticator, signUp, signUpConfirmed, uniqueEmail, useVault } from "../support/vault-harness";

describe.each(testProviders())("email codes and recovery (%s)", (provider) => {
  const t = useVault(provider);
  let smtp: TestSmtp;
  beforeAll(async () => {
    smtp = await startTestSmtp();
  });
  afterAll(() => smtp.close());

  const browser = () => randomToken();

  /** Mails a delivery over real SMTP, as the app does, and reads its code and link back from the server. */
  const mailed = (delivery: EmailCodeDelivery | null) => mailAndRead(smtp, delivery, ORIGIN);
  const verifiedAccount = () => signUpConfirmed(t.vault);

  it("mails a verification code over SMTP (text and HTML, no remote resources) that verifies the email once", async () => {
    const { principal, email } = await signUp(t.vault);
    const session = await t.vault.authenticateSession(principal.token);
    expect((await t.vault.getAccount(session)).emailVerified).toBe(false);
    const binding = browser();
    await send(emailCodeMessage((await t.vault.requestEmailVerification(session, binding))!, ORIGIN), { SMTP_URL: smtp.url });
    const mail = await smtp.next();
    expect(mail.to && "text" in mail.to ? mail.to.text : "").toBe(email);
    expect(mail.html).toBeTruthy();
    expect(String(mail.html)).not.toMatch(/<img|@import|url\(|https?:\/\/(?!localhost)/i);
    const { code } = codeAndLink(mail);
    await t.vault.verifyEmail(session, { code }, binding);
    expect((await t.vault.getAccount(session)).emailVerified).toBe(true);
    // Already verified: nothing more to mail.
    expect(await t.vault.requestEmailVerification(session, binding)).toBeNull();
  });

  it("mails a code to exactly the account's address: one recipient in the envelope and the To header, no name", async () => {
    const email = uniqueEmail("first.last+tag");
    const { principal } = await signUp(t.vault, newAuthenticator(), email);
    const session = await t.vault.authenticateSession(principal.token);
    await send(emailCodeMessage((await t.vault.requestEmailVerification(session, browser()))!, ORIGIN), { SMTP_URL: smtp.url });
    const mail = await smtp.next();
    expect(mail.envelopeTo).toEqual([email]);
    expect(mail.to && "value" in mail.to ? mail.to.value : []).toEqual([{ address: email, name: "" }]);
  });

  it.each([
    ["a list", "x,attacker@evil.example", "attacker@evil.example"],
    ["a list of two addresses", "a@example.com, attacker@evil.example", "attacker@evil.example"],
    ["a display name", '"Call-555"<victim@example.com>', "victim@example.com"],
  ])("never reads a `to` holding %s as other recipients, even if one got past the vault", async (_, to, target) => {
    // A server of its own: a refused send leaves nothing for the shared server's next().
    const own = await startTestSmtp();
    try {
      const sent = send({ to, subject: "s", text: "t", html: "<p>t</p>" }, { SMTP_URL: own.url, MAIL_FROM: "Test <test@example.com>" });
      // Refused by the server (501, bad syntax) or delivered to the one literal address: either is fine.
      await sent.catch(() => undefined);
      const recipients = own.received.flatMap((mail) => mail.envelopeTo);
      expect(recipients.length).toBeLessThanOrEqual(1);
      expect(recipients).not.toContain(target);
      expect(own.received.map((mail) => (mail.to && "text" in mail.to ? mail.to.text : ""))).not.toContain(expect.stringContaining(`<${target}>`));
    } finally {
      await own.close();
    }
  });

  it("stores neither the digits nor the link token: an HMAC under AUTH_SECRET and a SHA-256", async () => {
    const { session } = await verifiedAccount();
    const delivery = await t.vault.requestRecovery({ email: (await t.vault.getAccount(session)).email }, browser());
    const row = await t.db.emailCode.findFirstOrThrow({ where: { userId: session.userId, purpose: "recovery" } });
    const { createHash } = await import("node:crypto");
    expect(row.codeHash).not.toContain(delivery!.code);
    expect(row.codeHash).not.toBe(createHash("sha256").update(delivery!.code).digest("base64url"));
    expect(row.linkTokenHash).not.toContain(delivery!.linkToken);
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBeLessThanOrEqual(15 * 60_000);
  });

  it("recovers: the mailed code grants a recovery session that adds one passkey, ends every other session and signs in", async () => {
    const { email, principal } = await verifiedAccount();
    const binding = browser();
    const { code } = await mailed(await t.vault.requestRecovery({ email }, binding));
    const grant = await t.vault.redeemRecovery({ email, code }, { browserBinding: binding });
    const recovery = await t.vault.authenticateRecoverySession(grant.token);
    const { token, options } = await t.vault.authorizeRecoveryRegistration(recovery, binding);
    const { response } = await newAuthenticator().register(options);
    const done = await t.vault.verifyRecoveryRegistration({ token, response });
    expect(done.notify.to).toBe(email);
    // The old session is over; the recovery session is spent.
    await expectVaultError(t.vault.authenticateSession(principal.token), "Unauthenticated");
    await expectVaultError(t.vault.authenticateRecoverySession(grant.token), "Unauthenticated");
    // The new passkey's code signs in normally, in the browser that recovered.
    const signedIn = await t.vault.exchangeCode(done.code, { browserBinding: binding });
    const session = await t.vault.authenticateSession(signedIn.token);
    const events = (await t.vault.listSecurityEvents(session)).map((event) => event.type);
    expect(events).toEqual(expect.arrayContaining(["recovered", "recovery_started"]));
    expect(await t.vault.listPasskeys(session)).toHaveLength(2);
  });

  it("the mailed link works too, in the browser that asked and nowhere else", async () => {
    const { email } = await verifiedAccount();
    const binding = browser();
    const { token } = await mailed(await t.vault.requestRecovery({ email }, binding));
    await expectVaultError(t.vault.redeemRecovery({ link: token }, { browserBinding: browser() }), "InvalidCode");
    await expectVaultError(t.vault.redeemRecovery({ link: token }, {}), "InvalidCode");
    await expect(t.vault.redeemRecovery({ link: token }, { browserBinding: binding })).resolves.toHaveProperty("token");
    await expectVaultError(t.vault.redeemRecovery({ link: token }, { browserBinding: binding }), "InvalidCode");
  });

  it("a code works once, only in the browser that asked", async () => {
    const { email } = await verifiedAccount();
    const binding = browser();
    const { code } = (await t.vault.requestRecovery({ email }, binding))!;
    await expectVaultError(t.vault.redeemRecovery({ email, code }, { browserBinding: browser() }), "InvalidCode");
    await t.vault.redeemRecovery({ email, code }, { browserBinding: binding });
    await expectVaultError(t.vault.redeemRecovery({ email, code }, { browserBinding: binding }), "InvalidCode");
  });

  it("an expired code is refused", async () => {
    const { email } = await verifiedAccount();
    const binding = browser();
    const { code } = (await t.vault.requestRecovery({ email }, binding))!;
    await t.db.emailCode.updateMany({ where: { email, purpose: "recovery" }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await expectVaultError(t.vault.redeemRecovery({ email, code }, { browserBinding: binding }), "InvalidCode");
  });

  it(`a code dies after ${EMAIL_CODE_MAX_ATTEMPTS} wrong tries, even if the right one comes next (also in parallel)`, async () => {
    const { email } = await verifiedAccount();
    const binding = browser();
    const { code } = (await t.vault.requestRecovery({ email }, binding))!;
    const wrong = code === "000000" ? "000001" : "000000";
    const guesses = await Promise.allSettled(
      Array.from({ length: EMAIL_CODE_MAX_ATTEMPTS + 3 }, () => t.vault.redeemRecovery({ email, code: wrong }, { browserBinding: binding })),
    );
    expect(guesses.every((guess) => guess.status === "rejected")).toBe(true);
    const row = await t.db.emailCode.findFirstOrThrow({ where: { email, purpose: "recovery" } });
    expect(row.attempts).toBe(EMAIL_CODE_MAX_ATTEMPTS);
    await expectVaultError(t.vault.redeemRecovery({ email, code }, { browserBinding: binding }), "InvalidCode");
  });

  it("an unknown email gets no code (the app answers the same and mails nothing)", async () => {
    const nobody = uniqueEmail("nobody");
    expect(await t.vault.requestRecovery({ email: nobody }, browser())).toBeNull();
    expect(await t.db.emailCode.count({ where: { email: nobody } })).toBe(0);
    // Redeeming for an unknown email: the same refusal as a wrong code.
    await expectVaultError(t.vault.redeemRecovery({ email: uniqueEmail("nobody"), code: "123456" }, { browserBinding: browser() }), "InvalidCode");
  });

  describe("the guess budget: wrong typed codes per account and purpose per day", () => {
    const wrongFor = (code: string) => (code === "000000" ? "000001" : "000000");
    const codesForBudget = Math.ceil(EMAIL_CODE_FAILURES_PER_DAY / EMAIL_CODE_MAX_ATTEMPTS);

    /** Redeems a typed code for `purpose`, as its form does. */
    const typed = (purpose: "recovery" | "sign_in", email: string, code: string, browserBinding: string) =>
      purpose === "recovery"
        ? t.vault.redeemRecovery({ email, code }, { browserBinding })
        : t.vault.signInWithEmailCode({ email, code }, { browserBinding });
    const request = (purpose: "recovery" | "sign_in", email: string, browserBinding: string) =>
      purpose === "recovery" ? t.vault.requestRecovery({ email }, browserBinding) : t.vault.requestEmailSignIn({ email }, browserBinding);

    /** A guesser asks for codes in their own browser and types wrong ones until the budget is spent. */
    async function spendBudget(email: string, purpose: "recovery" | "sign_in") {
      const guesser = browser();
      for (let i = 0; i < codesForBudget; i++) {
        const { code } = (await request(purpose, email, guesser))!;
        for (let j = 0; j < EMAIL_CODE_MAX_ATTEMPTS; j++) await expectVaultError(typed(purpose, email, wrongFor(code), guesser), "InvalidCode");
      }
    }

    it("refuses even the right typed code once it is spent, as it refuses a wrong one, while the link still redeems", async () => {
      const { email } = await verifiedAccount();
      await spendBudget(email, "recovery");
      // The owner, in their own browser, with the code and link mailed to them.
      const owner = browser();
      const { code, token } = await mailed(await t.vault.requestRecovery({ email }, owner));
      const refused = await expectVaultError(t.vault.redeemRecovery({ email, code }, { browserBinding: owner }), "InvalidCode");
      expect(refused.message).toMatch(/link/);
      // The same answer an unknown email gets: a spent budget does not tell a guesser the account exists.
      const unknown = await expectVaultError(t.vault.redeemRecovery({ email: uniqueEmail("nobody"), code }, { browserBinding: owner }), "InvalidCode");
      expect([refused.code, refused.message]).toEqual([unknown.code, unknown.message]);
      await expect(t.vault.redeemRecovery({ link: token }, { browserBinding: owner })).resolves.toHaveProperty("token");
    });

    it("counts only this account's and purpose's failures", async () => {
      const { email } = await verifiedAccount();
      const other = await verifiedAccount();
      await spendBudget(email, "recovery");
      const owner = browser();
      await expectVaultError(typed("recovery", email, (await mailed(await request("recovery", email, owner))).code, owner), "InvalidCode");
      // Sign-in on the same account, and recovery on another account: untouched.
      await expect(typed("sign_in", email, (await mailed(await request("sign_in", email, owner))).code, owner)).resolves.toHaveProperty("token");
      await expect(typed("recovery", other.email, (await mailed(await request("recovery", other.email, owner))).code, owner)).resolves.toHaveProperty("token");
    });

    it("a right code is no failure: the try that matched is given back", async () => {
      const { email } = await verifiedAccount();
      const binding = browser();
      const { code } = (await t.vault.requestRecovery({ email }, binding))!;
      await expectVaultError(t.vault.redeemRecovery({ email, code: wrongFor(code) }, { browserBinding: binding }), "InvalidCode");
      await t.vault.redeemRecovery({ email, code }, { browserBinding: binding });
      const row = await t.db.emailCode.findFirstOrThrow({ where: { email, purpose: "recovery" } });
      expect(row.attempts).toBe(1);
    });

    it("parallel guesses on several codes never count more than the budget", async () => {
      const { email } = await verifiedAccount();
      const codes = [];
      for (let i = 0; i <= codesForBudget; i++) {
        const binding = browser();
        codes.push({ binding, code: (await t.vault.requestEmailSignIn({ email }, binding))!.code });
      }
      const guesses = codes.flatMap(({ binding, code }) =>
        Array.from({ length: EMAIL_CODE_MAX_ATTEMPTS }, () => typed("sign_in", email, wrongFor(code), binding)),
      );
      expect(guesses.length).toBeGreaterThan(EMAIL_CODE_FAILURES_PER_DAY);
      const outcomes = await Promise.allSettled(guesses);
      expect(outcomes.every((outcome) => outcome.status === "rejected")).toBe(true);
      const { _sum } = await t.db.emailCode.aggregate({ where: { email, purpose: "sign_in" }, _sum: { attempts: true } });
      expect(_sum.attempts).toBe(EMAIL_CODE_FAILURES_PER_DAY);
    });
  });

  describe("how many codes are issued", () => {
    /** Codes of the purposes anyone can ask for (recovery, sign-in): what the hourly ceiling counts. */
    const issuedFor = (email: string) => t.db.emailCode.count({ where: { email, purpose: { in: ["recovery", "sign_in"] } } });

    it(`a browser gets ${EMAIL_CODES_PER_BROWSER} per purpose per 10 minutes, and another browser's requests do not use up the owner's`, async () => {
      const { email } = await verifiedAccount();
      const attacker = browser();
      const results = [];
      for (let i = 0; i < EMAIL_CODES_PER_BROWSER + 3; i++) results.push(await t.vault.requestRecovery({ email }, attacker));
      expect(results.filter(Boolean)).toHaveLength(EMAIL_CODES_PER_BROWSER);
      // The owner's browser still gets its code, and it works.
      const owner = browser();
      const { code } = await mailed(await t.vault.requestRecovery({ email }, owner));
      await expect(t.vault.redeemRecovery({ email, code }, { browserBinding: owner })).resolves.toHaveProperty("token");
    });

    it(`the account gets at most ${EMAIL_CODES_PER_ACCOUNT_PER_HOUR} an hour for recovery and sign-in, every browser together`, async () => {
      const { email } = await verifiedAccount();
      for (let i = 0; i < EMAIL_CODES_PER_ACCOUNT_PER_HOUR - 1; i++) await t.vault.requestRecovery({ email }, browser());
      await t.vault.requestEmailSignIn({ email }, browser());
      expect(await issuedFor(email)).toBe(EMAIL_CODES_PER_ACCOUNT_PER_HOUR);
      expect(await t.vault.requestRecovery({ email }, browser())).toBeNull();
      expect(await t.vault.requestEmailSignIn({ email }, browser())).toBeNull();
      // An hour on, there is room again.
      await t.db.emailCode.updateMany({ where: { email }, data: { createdAt: new Date(Date.now() - 61 * 60_000) } });
      expect(await t.vault.requestRecovery({ email }, browser())).not.toBeNull();
    });

    it("strangers filling the ceiling do not stop the signed-in owner from getting a confirmation code", async () => {
      const { principal, email } = await signUp(t.vault);
      const session = await t.vault.authenticateSession(principal.token);
      for (let i = 0; i < EMAIL_CODES_PER_ACCOUNT_PER_HOUR + 2; i++) await t.vault.requestRecovery({ email }, browser());
      expect(await t.vault.requestRecovery({ email }, browser())).toBeNull();
      const binding = browser();
      const { code } = await mailed(await t.vault.requestEmailVerification(session, binding));
      await t.vault.verifyEmail(session, { code }, binding);
      expect((await t.vault.getAccount(session)).emailVerified).toBe(true);
    });

    it("parallel requests never issue more than the caps", async () => {
      const { email } = await verifiedAccount();
      const before = await issuedFor(email);
      const binding = browser();
      await Promise.all(Array.from({ length: 10 }, () => t.vault.requestRecovery({ email }, binding)));
      expect(await issuedFor(email)).toBe(before + EMAIL_CODES_PER_BROWSER);
      await Promise.all(Array.from({ length: 2 * EMAIL_CODES_PER_ACCOUNT_PER_HOUR }, () => t.vault.requestEmailSignIn({ email }, browser())));
      expect(await issuedFor(email)).toBe(EMAIL_CODES_PER_ACCOUNT_PER_HOUR);
    });
  });

  it("of parallel redemptions of one code, exactly one wins", async () => {
    const { email } = await verifiedAccount();
    const binding = browser();
    const { code, linkToken } = (await t.vault.requestRecovery({ email }, binding))!;
    const results = await Promise.allSettled([
      t.vault.redeemRecovery({ email, code }, { browserBinding: binding }),
      t.vault.redeemRecovery({ email, code }, { browserBinding: binding }),
      t.vault.redeemRecovery({ link: linkToken }, { browserBinding: binding }),
      t.vault.redeemRecovery({ link: linkToken }, { browserBinding: binding }),
    ]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    expect(await t.db.session.count({ where: { kind: "recovery", user: { email } } })).toBe(1);
  });

  it("the recovery session is refused for anything but adding a passkey", async () => {
    const { email, principal, authenticator } = await verifiedAccount();
    const binding = browser();
    const { code } = (await t.vault.requestRecovery({ email }, binding))!;
    const grant = await t.vault.redeemRecovery({ email, code }, { browserBinding: binding });
    // Not a session: not for the proxy, not for requireSession, not for a resource server (which
    // may check only `aud`: the recovery token's is another).
    const { decodeJwt, decodeProtectedHeader } = await import("jose");
    expect(decodeProtectedHeader(grant.token).typ).toBe("recovery+jwt");
    expect(decodeJwt(grant.token).aud).not.toBe(decodeJwt(principal.token).aud);
    await expectVaultError(t.vault.verifySessionToken(grant.token), "Unauthenticated");
    await expectVaultError(t.vault.authenticateSession(grant.token), "Unauthenticated");
    // Nor the other way round: an ordinary session's JWT is no recovery session.
    await expectVaultError(t.vault.authenticateRecoverySession(principal.token), "Unauthenticated");
    // Even a JWT of the ordinary type naming the recovery row is refused (the row's kind).
    const recoveryRow = await t.db.session.findFirstOrThrow({ where: { kind: "recovery", user: { email } } });
    const { signSessionToken } = await import("../../lib/vault/tokens");
    const { KeyStore } = await import("../../lib/vault/keys");
    const { loadVaultConfig } = await import("../../lib/vault/config");
    const { TEST_ENV } = await import("../support/vault-harness");
    const config = loadVaultConfig(TEST_ENV);
    const forged = await signSessionToken(new KeyStore(t.db, config), config, {
      userId: recoveryRow.userId,
      sessionId: recoveryRow.id,
      method: "passkey",
      authTime: new Date(),
      userVerified: true,
      expiresAt: recoveryRow.expiresAt,
    });
    await expectVaultError(t.vault.authenticateSession(forged), "Unauthenticated");
    // Step-up with its passkey-less row: there is no Session to start it from, and the plain
    // registration and authentication routes take only an ordinary session.
    const recovery = await t.vault.authenticateRecoverySession(grant.token);
    expect(recovery).not.toHaveProperty("sessionId");
    // Its registration token finishes only through recovery, and a plain registration token not through it.
    const start = await t.vault.authorizeRecoveryRegistration(recovery, binding);
    const { response } = await newAuthenticator().register(start.options);
    await expectVaultError(t.vault.verifyRegistration({ token: start.token, response }), "InvalidToken");
    const plain = await t.vault.authorizeRegistration({ email: uniqueEmail() });
    const other = await newAuthenticator().register(plain.options);
    await expectVaultError(t.vault.verifyRecoveryRegistration({ token: plain.token, response: other.response }), "InvalidToken");
    // One passkey only: a second registration from the same recovery session fails once the first finished.
    const first = await t.vault.authorizeRecoveryRegistration(recovery, binding);
    const second = await t.vault.authorizeRecoveryRegistration(recovery, binding);
    await t.vault.verifyRecoveryRegistration({ token: first.token, response: (await newAuthenticator().register(first.options)).response });
    await expectVaultError(
      t.vault.verifyRecoveryRegistration({ token: second.token, response: (await newAuthenticator().register(second.options)).response }),
      "Unauthenticated",
    );
    void authenticator;
  });

  it("confirming while another confirmation and a new code run in parallel never deadlocks: each answer is a typed one", async () => {
    // Every email-code transaction locks the account before the code row; in the other order,
    // PostgreSQL found a deadlock here (a 503 to the person) in most rounds.
    for (let round = 0; round < 5; round++) {
      const { principal } = await signUp(t.vault);
      const session = await t.vault.authenticateSession(principal.token);
      const binding = browser();
      const { code, linkToken } = (await t.vault.requestEmailVerification(session, binding))!;
      const outcomes = await Promise.allSettled([
        t.vault.verifyEmail(session, { code }, binding),
        t.vault.verifyEmail(session, { link: linkToken }, binding),
        t.vault.requestEmailVerification(session, browser()),
      ]);
      for (const outcome of outcomes) {
        if (outcome.status === "rejected") expect(outcome.reason).toMatchObject({ kind: "InvalidCode" });
      }
      expect((await t.vault.getAccount(session)).emailVerified).toBe(true);
    }
  });

  it("a verification code sent before a change of email does not verify the new address", async () => {
    const { principal } = await signUp(t.vault);
    const session = await t.vault.authenticateSession(principal.token);
    const binding = browser();
    const { code } = (await t.vault.requestEmailVerification(session, binding))!;
    await t.vault.changeEmail(session, uniqueEmail("changed"));
    await expectVaultError(t.vault.verifyEmail(session, { code }, binding), "InvalidCode");
    expect((await t.vault.getAccount(session)).emailVerified).toBe(false);
  });

  it("changing the email makes it unverified again", async () => {
    const { session } = await verifiedAccount();
    const account = await t.vault.changeEmail(session, uniqueEmail("moved"));
    expect(account.emailVerified).toBe(false);
  });

  it("a recovery started through the old address ends when the email changes", async () => {
    const { email, session } = await verifiedAccount();
    const binding = browser();
    const { code } = (await t.vault.requestRecovery({ email }, binding))!;
    const grant = await t.vault.redeemRecovery({ email, code }, { browserBinding: binding });
    await t.vault.changeEmail(session, uniqueEmail("moved"));
    await expectVaultError(t.vault.authenticateRecoverySession(grant.token), "Unauthenticated");
  });

  describe("claiming an email an unconfirmed account holds", () => {
    /** Someone signs up with an address they do not own, and adds a second passkey and session. */
    async function squatted() {
      const squatter = await signUp(t.vault);
      const session = await t.vault.authenticateSession(squatter.principal.token);
      const added = await t.vault.authorizeRegistration({}, session);
      await t.vault.verifyRegistration({ token: added.token, response: (await newAuthenticator().register(added.options)).response });
      const second = await t.vault.exchangeCode((await signInWith(squatter.authenticator)).code);
      return { ...squatter, session, second };
    }

    async function signInWith(authenticator: ReturnType<typeof newAuthenticator>) {
      const { token, options } = await t.vault.authorizeAuthentication({});
      return t.vault.verifyAuthentication({ token, response: await authenticator.authenticate(options) });
    }

    /** The owner of the address: asks by email, proves it, creates a passkey. */
    async function claim(email: string) {
      const binding = browser();
      const { code } = await mailed(await t.vault.requestRecovery({ email }, binding));
      const grant = await t.vault.redeemRecovery({ email, code }, { browserBinding: binding });
      const recovery = await t.vault.authenticateRecoverySession(grant.token);
      const owner = newAuthenticator();
      const { token, options } = await t.vault.authorizeRecoveryRegistration(recovery, binding);
      const done = await t.vault.verifyRecoveryRegistration({ token, response: (await owner.register(options)).response });
      const principal = await t.vault.exchangeCode(done.code, { browserBinding: binding });
      return { grant, owner, principal };
    }

    it("the owner proves the address: the squatter's passkeys and sessions are gone, the email is confirmed, and it is recorded", async () => {
      const squatter = await squatted();
      expect(await t.db.passkey.count({ where: { userId: squatter.session.userId } })).toBe(2);
      const { grant, owner, principal } = await claim(squatter.email);
      expect(grant.claim).toBe(true);

      // The squatter is out: both sessions ended, and their passkeys no longer sign in.
      await expectVaultError(t.vault.authenticateSession(squatter.principal.token), "Unauthenticated");
      await expectVaultError(t.vault.authenticateSession(squatter.second.token), "Unauthenticated");
      await expectVaultError(signInWith(squatter.authenticator), "OrphanedPasskey");

      // The owner is in, with their passkey only, and the email is confirmed.
      const session = await t.vault.authenticateSession(principal.token);
      expect(session.userId).toBe(squatter.session.userId);
      expect((await t.vault.listPasskeys(session)).map((passkey) => passkey.id)).toEqual([principal.passkeyId]);
      expect((await t.vault.getAccount(session)).emailVerified).toBe(true);
      await expect(signInWith(owner)).resolves.toHaveProperty("code");
      const events = await t.vault.listSecurityEvents(session);
      expect(events.map((event) => event.type)).toEqual(expect.arrayContaining(["email_claimed", "recovered"]));
      const claimed = await t.db.securityEvent.findFirstOrThrow({ where: { userId: session.userId, type: "email_claimed" } });
      expect(JSON.parse(claimed.details)).toMatchObject({ removedPasskeys: 2, endedSessions: 2 });
    });

    it("a confirmed account's recovery is no claim: its passkeys stay", async () => {
      const { email, session } = await verifiedAccount();
      const { grant, principal } = await claim(email);
      expect(grant.claim).toBe(false);
      const after = await t.vault.authenticateSession(principal.token);
      expect(await t.vault.listPasskeys(after)).toHaveLength(2);
      expect(await t.db.securityEvent.count({ where: { userId: session.userId, type: "email_claimed" } })).toBe(0);
    });

    it("a claim ends the squatter's unspent codes: one held back signs nobody in, here or at a backend", async () => {
      const squatter = await squatted();
      // Held back from ceremonies of the squatter's, to use once the owner has claimed the address.
      const forApp = (await signInWith(squatter.authenticator)).code;
      const forBackend = (await signInWith(squatter.authenticator)).code;
      const { principal } = await claim(squatter.email);
      // Spent by the claim itself (not only refused later because their passkey is gone).
      const held = await t.db.code.findMany({ where: { codeHash: { in: [hashToken(forApp), hashToken(forBackend)] } } });
      expect(held.map((row) => row.consumedAt)).toEqual([expect.any(Date), expect.any(Date)]);
      const sessions = await t.db.session.count();
      await expectVaultError(t.vault.exchangeCode(forApp), "InvalidCode");
      await expectVaultError(t.vault.redeemCodeForBackend((await createApiKey(t.db, "backend")).key, { code: forBackend }), "InvalidCode");
      expect(await t.db.session.count()).toBe(sessions);
      const session = await t.vault.authenticateSession(principal.token);
      expect((await t.vault.getAccount(session)).email).toBe(squatter.email);
    });

    it("a recovery ends every unspent code: one held back signs nobody in; the recovery's code and later ones do", async () => {
      const { email, authenticator, session } = await verifiedAccount();
      const held = (await signInWith(authenticator)).code;
      const { principal } = await claim(email);
      const sessions = await t.db.session.count();
      await expectVaultError(t.vault.exchangeCode(held), "InvalidCode");
      expect(await t.db.session.count()).toBe(sessions);
      await expect(t.vault.authenticateSession(principal.token)).resolves.toHaveProperty("userId", session.userId);
      // Not a claim: the old passkey stays, and a code from a ceremony after the recovery signs in.
      await expect(t.vault.exchangeCode((await signInWith(authenticator)).code)).resolves.toHaveProperty("userId", session.userId);
    });

    it("a claim left before its passkey is created changes nothing", async () => {
      const squatter = await squatted();
      const binding = browser();
      const { code } = (await t.vault.requestRecovery({ email: squatter.email }, binding))!;
      await t.vault.redeemRecovery({ email: squatter.email, code }, { browserBinding: binding });
      await expect(t.vault.authenticateSession(squatter.principal.token)).resolves.toHaveProperty("userId");
      expect(await t.db.passkey.count({ where: { userId: squatter.session.userId } })).toBe(2);
      expect((await t.vault.getAccount(squatter.session)).emailVerified).toBe(false);
    });
  });
});
