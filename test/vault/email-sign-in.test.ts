import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EmailCodeDelivery } from "../../lib/vault/email-codes";
import { randomToken } from "../../lib/vault/random";
import { mailAndRead, startTestSmtp, type TestSmtp } from "../support/smtp";
import { testProviders } from "../support/test-db";
import { ORIGIN, expectVaultError, newAuthenticator, signUp, signUpConfirmed, uniqueEmail, useVault } from "../support/vault-harness";

/** Sign-in by emailed code: the fallback for browsers without WebAuthn (lib/vault/email-sign-in.ts). */
describe.each(testProviders())("sign-in with an emailed code (%s)", (provider) => {
  const t = useVault(provider);
  let smtp: TestSmtp;
  beforeAll(async () => {
    smtp = await startTestSmtp();
  });
  afterAll(() => smtp.close());

  const browser = () => randomToken();

  const mailed = (delivery: EmailCodeDelivery | null) => mailAndRead(smtp, delivery, ORIGIN);
  const confirmedAccount = () => signUpConfirmed(t.vault);

  it("the mailed code signs in once, to a session marked as not passkey-verified", async () => {
    const { email, session: passkeySession } = await confirmedAccount();
    const binding = browser();
    const { code, token } = await mailed(await t.vault.requestEmailSignIn({ email }, binding));
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const principal = await t.vault.signInWithEmailCode({ email, code }, { browserBinding: binding, userAgent: "Lynx/2.9" });
    expect(principal).toMatchObject({ userId: passkeySession.userId, method: "email_code", passkeyId: null, userVerified: false });
    // What anyone checking the JWT against the JWKS sees: uv false, amr otp (a passkey's says pop).
    expect(decodeJwt(principal.token)).toMatchObject({ uv: false, amr: ["otp"] });
    expect(decodeJwt((await signUp(t.vault)).principal.token)).toMatchObject({ amr: ["pop"] });
    expect(await t.vault.verifySessionToken(principal.token)).toMatchObject({ uv: false, amr: ["otp"] });

    const session = await t.vault.authenticateSession(principal.token);
    expect(session.method).toBe("email_code");
    const listed = (await t.vault.listSessions(session)).find((row) => row.current)!;
    expect(listed).toMatchObject({ method: "email_code", userAgent: "Lynx/2.9" });
    const [event] = await t.vault.listSecurityEvents(session);
    expect(event).toMatchObject({ type: "signed_in", details: { method: "email_code" } });

    // Once.
    await expectVaultError(t.vault.signInWithEmailCode({ email, code }, { browserBinding: binding }), "InvalidCode");
  });

  it("never passes step-up: every sensitive change is refused and changes nothing", async () => {
    const { email, session: other } = await confirmedAccount();
    const binding = browser();
    const { code } = (await t.vault.requestEmailSignIn({ email }, binding))!;
    const session = await t.vault.authenticateSession((await t.vault.signInWithEmailCode({ email, code }, { browserBinding: binding })).token);
    const [passkey] = await t.vault.listPasskeys(session);

    expect(() => t.vault.assertRecentlyVerified(session)).toThrow(expect.objectContaining({ kind: "ReauthenticationRequired" }));
    await expectVaultError(t.vault.deletePasskey(session, passkey!.id), "ReauthenticationRequired");
    await expectVaultError(t.vault.changeEmail(session, uniqueEmail("taken-over")), "ReauthenticationRequired");
    await expectVaultError(t.vault.revokeOtherSessions(session), "ReauthenticationRequired");
    await expectVaultError(t.vault.revokeOtherSession(session, other.sessionId), "ReauthenticationRequired");
    await expectVaultError(t.vault.deleteAccount(session, email), "ReauthenticationRequired");
    await expectVaultError(t.vault.authorizeRegistration({}, session), "ReauthenticationRequired");

    expect(await t.vault.listPasskeys(session)).toHaveLength(1);
    expect((await t.vault.getAccount(session)).email).toBe(email);
    expect((await t.db.session.findUniqueOrThrow({ where: { id: other.sessionId } })).revokedAt).toBeNull();
  });

  it("its step-up is a passkey ceremony, which makes it a verified passkey session", async () => {
    const { email, authenticator } = await confirmedAccount();
    const binding = browser();
    const { code } = (await t.vault.requestEmailSignIn({ email }, binding))!;
    const session = await t.vault.authenticateSession((await t.vault.signInWithEmailCode({ email, code }, { browserBinding: binding })).token);
    const { token, options } = await t.vault.authorizeAuthentication({ reauthenticate: true }, session);
    const { code: stepUp } = await t.vault.verifyAuthentication({ token, response: await authenticator.authenticate(options) }, session);
    const upgraded = await t.vault.reauthenticate(stepUp, session);
    expect(upgraded).toMatchObject({ method: "passkey", userVerified: true });
    expect(decodeJwt(upgraded.token)).toMatchObject({ uv: true, amr: ["pop"] });
    const verified = await t.vault.authenticateSession(upgraded.token);
    expect(() => t.vault.assertRecentlyVerified(verified)).not.toThrow();
  });

  it("only a confirmed email gets a code; unknown and unconfirmed ones get none (the same answer, no mail)", async () => {
    expect(await t.vault.requestEmailSignIn({ email: uniqueEmail("nobody") }, browser())).toBeNull();
    const unconfirmed = await signUp(t.vault);
    expect(await t.vault.requestEmailSignIn({ email: unconfirmed.email }, browser())).toBeNull();
    expect(await t.db.emailCode.count({ where: { email: unconfirmed.email, purpose: "sign_in" } })).toBe(0);
    await expectVaultError(t.vault.signInWithEmailCode({ email: uniqueEmail("nobody"), code: "123456" }, { browserBinding: browser() }), "InvalidCode");
  });

  it("the link works in the browser that asked, once; a code for another purpose does not sign in", async () => {
    const { email, session } = await confirmedAccount();
    const binding = browser();
    const { token } = await mailed(await t.vault.requestEmailSignIn({ email }, binding));
    await expectVaultError(t.vault.signInWithEmailCode({ link: token }, { browserBinding: browser() }), "InvalidCode");
    await expect(t.vault.signInWithEmailCode({ link: token }, { browserBinding: binding })).resolves.toHaveProperty("token");
    await expectVaultError(t.vault.signInWithEmailCode({ link: token }, { browserBinding: binding }), "InvalidCode");

    const recovery = (await t.vault.requestRecovery({ email }, binding))!;
    await expectVaultError(t.vault.signInWithEmailCode({ email, code: recovery.code }, { browserBinding: binding }), "InvalidCode");
    await expectVaultError(t.vault.signInWithEmailCode({ link: recovery.linkToken }, { browserBinding: binding }), "InvalidCode");
    // And the other way round: a sign-in code is no recovery code, nor confirms an email.
    const signIn = (await t.vault.requestEmailSignIn({ email }, binding))!;
    await expectVaultError(t.vault.redeemRecovery({ email, code: signIn.code }, { browserBinding: binding }), "InvalidCode");
    await expectVaultError(t.vault.verifyEmail(session, { link: signIn.linkToken }, binding), "InvalidCode");
  });

  it("of parallel redemptions of one code, exactly one session is created", async () => {
    const { email, session } = await confirmedAccount();
    const binding = browser();
    const { code, linkToken } = (await t.vault.requestEmailSignIn({ email }, binding))!;
    const results = await Promise.allSettled([
      t.vault.signInWithEmailCode({ email, code }, { browserBinding: binding }),
      t.vault.signInWithEmailCode({ email, code }, { browserBinding: binding }),
      t.vault.signInWithEmailCode({ link: linkToken }, { browserBinding: binding }),
      t.vault.signInWithEmailCode({ link: linkToken }, { browserBinding: binding }),
    ]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    expect(await t.db.session.count({ where: { userId: session.userId, method: "email_code" } })).toBe(1);
  });

  it("a code sent before the email changed does not sign in", async () => {
    const { email, authenticator } = await confirmedAccount();
    const binding = browser();
    const { code } = (await t.vault.requestEmailSignIn({ email }, binding))!;
    // The owner (with a fresh, verified passkey session) moves the account to another address.
    const { token, options } = await t.vault.authorizeAuthentication({});
    const signedIn = await t.vault.exchangeCode(
      (await t.vault.verifyAuthentication({ token, response: await authenticator.authenticate(options) })).code,
    );
    await t.vault.changeEmail(await t.vault.authenticateSession(signedIn.token), uniqueEmail("moved"));
    await expectVaultError(t.vault.signInWithEmailCode({ email, code }, { browserBinding: binding }), "InvalidCode");
  });

  it("a new account's registration answers the code that confirms its email, bound to the browser", async () => {
    const email = uniqueEmail("new");
    const binding = browser();
    const { token, options } = await t.vault.authorizeRegistration({ email }, undefined, binding);
    const done = await t.vault.verifyRegistration({ token, response: (await newAuthenticator().register(options)).response }, binding);
    expect(done.confirmEmail).toMatchObject({ to: email, purpose: "verify_email" });
    const session = await t.vault.authenticateSession((await t.vault.exchangeCode(done.code, { browserBinding: binding })).token);
    await expectVaultError(t.vault.verifyEmail(session, { code: done.confirmEmail!.code }, browser()), "InvalidCode");
    await t.vault.verifyEmail(session, { code: done.confirmEmail!.code }, binding);
    expect((await t.vault.getAccount(session)).emailVerified).toBe(true);
    // Adding a passkey to an account confirms nothing and mails nothing.
    const added = await t.vault.authorizeRegistration({}, session, binding);
    const more = await t.vault.verifyRegistration({ token: added.token, response: (await newAuthenticator().register(added.options)).response }, binding);
    expect(more).not.toHaveProperty("confirmEmail");
  });
});
