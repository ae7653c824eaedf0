// Step-up and the account operations over plain HTTP, as an attacker would call them: route
// handlers with the software authenticator, server actions by their public ids. Every refusal
// must also change nothing.
import { expect, request, test, type APIRequestContext } from "@playwright/test";
import { SoftAuthenticator, type AuthenticationOverrides } from "../test/support/soft-authenticator";
import { E2E_ORIGIN, ageSessionsOf, snapshotOf } from "./support/database";
import { uniqueEmail } from "./support/flows";
import { callAction } from "./support/server-actions";

const json = { "Content-Type": "application/json", Origin: E2E_ORIGIN };

async function post(api: APIRequestContext, route: string, body: unknown) {
  const response = await api.post(route, { headers: json, data: JSON.stringify(body) });
  return { status: response.status(), body: await response.json() };
}

interface Person {
  api: APIRequestContext;
  authenticator: SoftAuthenticator;
  email: string;
}

const clients: APIRequestContext[] = [];
test.afterAll(async () => Promise.all(clients.map((client) => client.dispose())));

async function client() {
  const api = await request.newContext({ baseURL: E2E_ORIGIN });
  clients.push(api);
  return api;
}

/** A person with an account, signed in (a session cookie in `api`) through the real signIn action. */
async function signedInPerson(): Promise<Person> {
  const api = await client();
  const authenticator = new SoftAuthenticator({ origin: E2E_ORIGIN });
  const email = uniqueEmail("api");
  const start = await post(api, "/api/passkey/registration/authorize", { email });
  const { response } = await authenticator.register(start.body.options);
  const { body } = await post(api, "/api/passkey/registration/verify", { token: start.body.token, response });
  expect(await callAction(api, "signIn", [body.code, "/account"], { page: "/login" })).toMatchObject({ ok: true, redirect: expect.stringContaining("/account") });
  return { api, authenticator, email };
}

/** Another session of the same account, signed in with the same passkey. */
async function signInAgain(person: Person): Promise<APIRequestContext> {
  const api = await client();
  const start = await post(api, "/api/passkey/authentication/authorize", {});
  const response = await person.authenticator.authenticate(start.body.options);
  const { body } = await post(api, "/api/passkey/authentication/verify", { token: start.body.token, response });
  await callAction(api, "signIn", [body.code, "/account"], { page: "/login" });
  return api;
}

/** Adds a second passkey to the person's account (so deleting one is allowed). */
async function addPasskey(person: Person) {
  const start = await post(person.api, "/api/passkey/registration/authorize", {});
  expect(start.status).toBe(200);
  const { response } = await new SoftAuthenticator({ origin: E2E_ORIGIN }).register(start.body.options);
  expect((await post(person.api, "/api/passkey/registration/verify", { token: start.body.token, response })).status).toBe(200);
}

async function startStepUp(person: Person, overrides: AuthenticationOverrides = {}, authenticator = person.authenticator) {
  const start = await post(person.api, "/api/passkey/authentication/authorize", { reauthenticate: true });
  expect(start.status).toBe(200);
  const response = await authenticator.authenticate({ ...start.body.options, allowCredentials: [] }, overrides);
  return { token: start.body.token as string, options: start.body.options, response };
}

test.describe("step-up over HTTP", () => {
  test("asks for user verification and only the account's passkeys, and needs a session", async () => {
    const person = await signedInPerson();
    const { options } = await startStepUp(person);
    expect(options.userVerification).toBe("required");
    expect(options.allowCredentials).toHaveLength(1);
    const anonymous = await post(await client(), "/api/passkey/authentication/authorize", { reauthenticate: true });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.tag).toBe("@error/Unauthenticated");
  });

  test("refuses a response without user verification (UV=0)", async () => {
    const person = await signedInPerson();
    const { token, response } = await startStepUp(person, { userVerified: false });
    const verify = await post(person.api, "/api/passkey/authentication/verify", { token, response });
    expect(verify.status).toBe(401);
    expect(verify.body.error.tag).toBe("@error/Verification");
  });

  test("refuses another account's passkey", async () => {
    const person = await signedInPerson();
    const other = await signedInPerson();
    const { token, response } = await startStepUp(person, {}, other.authenticator);
    const verify = await post(person.api, "/api/passkey/authentication/verify", { token, response });
    expect(verify.status).toBe(401);
  });

  test("refuses a step-up started by session A and completed by session B", async () => {
    const a = await signedInPerson();
    const b = await signedInPerson();
    const { token, response } = await startStepUp(a);
    const verify = await post(b.api, "/api/passkey/authentication/verify", { token, response });
    expect(verify.status).toBe(403);
    expect(verify.body.error.tag).toBe("@error/Forbidden");
  });

  test("reauthenticate refuses a plain-login code, and accepts its own session's step-up code", async () => {
    const person = await signedInPerson();
    await ageSessionsOf(person.email);
    const login = await post(person.api, "/api/passkey/authentication/authorize", { userVerification: "required" });
    const loginResponse = await person.authenticator.authenticate(login.body.options);
    const { body: plain } = await post(person.api, "/api/passkey/authentication/verify", { token: login.body.token, response: loginResponse });
    expect(await callAction(person.api, "reauthenticate", [plain.code])).toMatchObject({ ok: false, error: { tag: "@error/InvalidCode" } });
    expect(await callAction(person.api, "signOutOtherSessions", [])).toMatchObject({ ok: false, error: { tag: "@error/ReauthenticationRequired" } });

    const { token, response } = await startStepUp(person);
    const { body } = await post(person.api, "/api/passkey/authentication/verify", { token, response });
    expect(await callAction(person.api, "reauthenticate", [body.code])).toEqual({ ok: true });
    expect(await callAction(person.api, "signOutOtherSessions", [])).toEqual({ ok: true, ended: 0 });
  });
});

test.describe("guarded operations, called directly", () => {
  /** Every guarded action, with arguments aimed at `victim`'s data. */
  async function attacks(victim: Person) {
    const snapshot = await snapshotOf(victim.email);
    const [passkey] = snapshot.passkeys;
    const [session] = snapshot.liveSessions;
    return [
      ["deletePasskey", [passkey!.id]],
      ["renamePasskey", [passkey!.id, "pwned"]],
      ["changeEmail", [uniqueEmail("attacker")]],
      ["changeDisplayName", ["pwned"]],
      ["signOutSession", [session]],
      ["signOutOtherSessions", []],
      ["deleteAccount", [victim.email]],
    ] as const;
  }

  test("without a session: every one is Unauthenticated and changes nothing", async () => {
    const victim = await signedInPerson();
    await addPasskey(victim);
    const before = await snapshotOf(victim.email);
    const anonymous = await client();
    for (const [name, args] of await attacks(victim)) {
      expect(await callAction(anonymous, name, [...args]), name).toMatchObject({ ok: false, error: { tag: "@error/Unauthenticated" } });
    }
    expect((await post(anonymous, "/api/passkey/registration/authorize", {})).status).toBe(401);
    expect(await snapshotOf(victim.email)).toEqual(before);
  });

  test("with another user's session: the victim's passkeys and sessions are out of reach", async () => {
    const victim = await signedInPerson();
    await addPasskey(victim);
    const attacker = await signedInPerson();
    const before = await snapshotOf(victim.email);
    const [passkey] = before.passkeys;
    const [session] = before.liveSessions;
    for (const [name, args] of [
      ["deletePasskey", [passkey!.id]],
      ["renamePasskey", [passkey!.id, "pwned"]],
      ["signOutSession", [session]],
    ] as const) {
      expect(await callAction(attacker.api, name, [...args]), name).toMatchObject({ ok: false, error: { tag: "@error/NotFound" } });
    }
    // The attacker's own account-wide operations touch only the attacker's account.
    expect(await callAction(attacker.api, "signOutOtherSessions", [])).toEqual({ ok: true, ended: 0 });
    expect(await callAction(attacker.api, "deleteAccount", [victim.email])).toMatchObject({ ok: false, error: { tag: "@error/BadRequest" } });
    expect(await snapshotOf(victim.email)).toEqual(before);
  });

  test("without recent user verification: the sensitive ones ask for step-up and change nothing", async () => {
    const person = await signedInPerson();
    await addPasskey(person);
    const otherDevice = await signInAgain(person);
    await ageSessionsOf(person.email);
    const before = await snapshotOf(person.email);
    // Any session id: the step-up check comes before the id is even looked at.
    const [aSession] = before.liveSessions;
    for (const [name, args] of [
      ["deletePasskey", [before.passkeys[0]!.id]],
      ["changeEmail", [uniqueEmail("moved")]],
      ["signOutSession", [aSession]],
      ["signOutOtherSessions", []],
      ["deleteAccount", [person.email]],
    ] as const) {
      expect(await callAction(person.api, name, [...args]), name).toMatchObject({ ok: false, error: { tag: "@error/ReauthenticationRequired" } });
    }
    const add = await post(person.api, "/api/passkey/registration/authorize", {});
    expect(add.status).toBe(403);
    expect(add.body.error.tag).toBe("@error/ReauthenticationRequired");
    expect(await snapshotOf(person.email)).toEqual(before);
    // The other device is still signed in.
    expect((await post(otherDevice, "/api/passkey/authentication/authorize", { reauthenticate: true })).status).toBe(200);
  });

  test("malformed arguments are a typed BadRequest and change nothing", async () => {
    const person = await signedInPerson();
    await addPasskey(person);
    const before = await snapshotOf(person.email);
    for (const [name, args] of [
      ["deletePasskey", [{ id: "x" }]],
      ["renamePasskey", ["not-a-uuid", "name"]],
      ["renamePasskey", [before.passkeys[0]!.id, "x".repeat(65)]],
      ["changeDisplayName", ["\u202Eevil"]],
      ["changeEmail", ["not an email"]],
      ["reauthenticate", [42]],
    ] as const) {
      expect(await callAction(person.api, name, [...args]), name).toMatchObject({ ok: false, error: { tag: "@error/BadRequest" } });
    }
    expect(await snapshotOf(person.email)).toEqual(before);
  });
});

test.describe("deleting the account over HTTP", () => {
  const sessionCookie = async (api: APIRequestContext) => (await api.storageState()).cookies.find((cookie) => cookie.name === "session");

  test("ends every session of it at once; leaveDeletedAccount then clears this browser's cookie and answers with home", async () => {
    const person = await signedInPerson();
    const otherDevice = await signInAgain(person);
    expect(await callAction(person.api, "deleteAccount", [person.email])).toMatchObject({ ok: true, credentialIds: [] });
    expect(await snapshotOf(person.email)).toEqual({ user: undefined, passkeys: [], liveSessions: [] });
    // Neither cookie opens anything any more, this browser's included, before it is cleared.
    for (const api of [person.api, otherDevice]) {
      expect((await post(api, "/api/passkey/authentication/authorize", { reauthenticate: true })).status).toBe(401);
    }
    expect(await sessionCookie(person.api)).toBeDefined();

    // Another site cannot sign the browser out through it (Next itself refuses a foreign Origin;
    // runAction also refuses what a browser marks cross-site without one).
    const crossSite = { origin: null, headers: { "Sec-Fetch-Site": "cross-site" } };
    expect(await callAction(person.api, "leaveDeletedAccount", [], crossSite)).toMatchObject({ ok: false, error: { tag: "@error/Forbidden" } });
    expect(await sessionCookie(person.api)).toBeDefined();

    expect(await callAction(person.api, "leaveDeletedAccount", [])).toEqual({ ok: true, redirect: "/;replace" });
    expect(await sessionCookie(person.api)).toBeUndefined();
  });
});
