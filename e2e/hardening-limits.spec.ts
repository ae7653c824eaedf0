// Rate limits and the cross-site rule over plain HTTP, as an attacker would meet them, against the
// built app. The tests play the deployment's reverse proxy: each client gets its own address in
// X-Real-IP (the server trusts that header: playwright.config.ts), so each test has its own
// buckets. Limits are the production defaults (.env.example), but the per-email window is 5 s.
import { expect, request, test, type APIRequestContext, type APIResponse } from "@playwright/test";
import { SoftAuthenticator } from "../test/support/soft-authenticator";
import { E2E_ORIGIN } from "./support/database";
import { uniqueEmail } from "./support/flows";
import { callAction } from "./support/server-actions";

const json = { "Content-Type": "application/json", Origin: E2E_ORIGIN };
const AUTHORIZE = "/api/passkey/authentication/authorize";
const VERIFY = "/api/passkey/authentication/verify";
/** The production defaults this spec runs against (lib/vault/config.ts). */
const CHALLENGES_PER_ADDRESS = 60;
const CODE_EXCHANGES_PER_ADDRESS = 30;
const EMAIL_LOOKUPS_PER_ADDRESS = 30;
const PER_EMAIL_WINDOW_SECONDS = 5;

/** A random address: a reused server (reuseExistingServer) keeps its buckets between runs. */
const randomAddress = () => `10.${Array.from({ length: 3 }, () => Math.floor(Math.random() * 256)).join(".")}`;

const clients: APIRequestContext[] = [];
test.afterAll(async () => Promise.all(clients.map((client) => client.dispose())));

/** A client at its own address (as the proxy reports it), with no cookies yet. */
async function clientAt(address = randomAddress()) {
  const api = await request.newContext({ baseURL: E2E_ORIGIN, extraHTTPHeaders: { "x-real-ip": address } });
  clients.push(api);
  return api;
}

const post = (api: APIRequestContext, route: string, body: unknown, headers: Record<string, string> = json) =>
  api.post(route, { headers, data: JSON.stringify(body) });

async function expectRateLimited(response: APIResponse, maxSeconds: number) {
  expect(response.status()).toBe(429);
  const retryAfter = Number(response.headers()["retry-after"]);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(maxSeconds);
  const { error } = await response.json();
  expect(error).toMatchObject({ tag: "@error/RateLimited", code: "RATE_LIMITED", retryAfter });
  return retryAfter;
}

/** Registers an account over HTTP from `api`; answers its email, authenticator and sign-in code. */
async function register(api: APIRequestContext, email = uniqueEmail("limits")) {
  const authenticator = new SoftAuthenticator({ origin: E2E_ORIGIN });
  const start = await post(api, "/api/passkey/registration/authorize", { email });
  expect(start.status()).toBe(200);
  const { token, options } = await start.json();
  const { response } = await authenticator.register(options);
  const verify = await post(api, "/api/passkey/registration/verify", { token, response });
  expect(verify.status()).toBe(200);
  return { email, authenticator, code: (await verify.json()).code as string };
}

/** A sign-in ceremony up to the code; `body` is the authorize body (`{}` or `{ email }`). */
async function signInCode(api: APIRequestContext, authenticator: SoftAuthenticator, body: object = {}) {
  const start = await post(api, AUTHORIZE, body);
  expect(start.status()).toBe(200);
  const { token, options } = await start.json();
  const verify = await post(api, VERIFY, { token, response: await authenticator.authenticate(options) });
  expect(verify.status()).toBe(200);
  return (await verify.json()).code as string;
}

const signIn = (api: APIRequestContext, code: string, headers?: Record<string, string>, origin?: string | null) =>
  callAction(api, "signIn", [code, "/account"], { page: "/login", headers, origin });

test.describe("rate limits", () => {
  test("a burst of ceremony starts from one address: the challenge cap holds, then 429 with Retry-After", async () => {
    const attacker = await clientAt();
    const burst = await Promise.all(Array.from({ length: CHALLENGES_PER_ADDRESS + 20 }, () => post(attacker, AUTHORIZE, {})));
    const statuses = burst.map((response) => response.status());
    // Every 200 stored a challenge: exactly the cap, however parallel the burst.
    expect(statuses.filter((status) => status === 200)).toHaveLength(CHALLENGES_PER_ADDRESS);
    expect(statuses.filter((status) => status === 429)).toHaveLength(20);
    await expectRateLimited(burst.find((response) => response.status() === 429)!, 300);
    expect(burst.find((response) => response.status() === 429)!.headers()["cache-control"]).toBe("no-store");
    // Someone at another address is not affected.
    expect((await post(await clientAt(), AUTHORIZE, {})).status()).toBe(200);
  });

  test("a spoofed X-Forwarded-For (or Forwarded, X-Client-IP) neither resets nor evades the limit", async () => {
    const attacker = await clientAt();
    await Promise.all(Array.from({ length: CHALLENGES_PER_ADDRESS }, () => post(attacker, AUTHORIZE, {})));
    await expectRateLimited(await post(attacker, AUTHORIZE, {}), 300);
    for (let i = 0; i < 5; i++) {
      const fake = randomAddress();
      const spoofed = { ...json, "X-Forwarded-For": fake, Forwarded: `for=${fake}`, "X-Client-IP": fake };
      await expectRateLimited(await post(attacker, AUTHORIZE, {}, spoofed), 300);
    }
  });

  test("probing emails from one address: 429 once the address's lookups are spent", async () => {
    const prober = await clientAt();
    const probes = await Promise.all(
      Array.from({ length: EMAIL_LOOKUPS_PER_ADDRESS + 5 }, (_, i) =>
        // Registration answers whether an email is taken; email-first sign-in looks it up too.
        i % 2 ? post(prober, "/api/passkey/registration/authorize", { email: uniqueEmail("probe") }) : post(prober, AUTHORIZE, { email: uniqueEmail("probe") }),
      ),
    );
    expect(probes.filter((response) => response.status() === 200)).toHaveLength(EMAIL_LOOKUPS_PER_ADDRESS);
    await expectRateLimited(probes.find((response) => response.status() === 429)!, 600);
  });

  test("code exchanges from one address: the signIn action answers RateLimited with retryAfter", async () => {
    const attacker = await clientAt();
    const outcomes = await Promise.all(
      Array.from({ length: CODE_EXCHANGES_PER_ADDRESS + 5 }, () => signIn(attacker, "A".repeat(43))),
    );
    expect(outcomes.filter((outcome) => outcome.error?.tag === "@error/InvalidCode")).toHaveLength(CODE_EXCHANGES_PER_ADDRESS);
    const limited = outcomes.filter((outcome) => outcome.error?.tag === "@error/RateLimited");
    expect(limited).toHaveLength(5);
    expect(limited[0]!.error!.retryAfter).toBeGreaterThanOrEqual(1);
  });

  test("someone who knows the email only delays its owner; the real passkey still signs in", async () => {
    test.setTimeout(45_000);
    const victim = await clientAt();
    const { email, authenticator } = await register(victim);

    // Attackers at many addresses spend the email's budget until the owner sees a 429. (Retried in
    // case the short window turns over between the attack and the owner's request.)
    let retryAfter = 0;
    for (let round = 0; round < 3 && !retryAfter; round++) {
      await Promise.all(Array.from({ length: 8 }, async () => post(await clientAt(), AUTHORIZE, { email })));
      const blocked = await post(victim, AUTHORIZE, { email });
      if (blocked.status() === 429) retryAfter = await expectRateLimited(blocked, PER_EMAIL_WINDOW_SECONDS);
      else expect(blocked.status()).toBe(200);
    }
    expect(retryAfter, "the per-email limit never answered 429").toBeGreaterThan(0);

    // Sign-in without an email is never keyed by the email: the owner signs in now.
    expect(await signIn(victim, await signInCode(victim, authenticator))).toMatchObject({ ok: true, redirect: expect.stringContaining("/account") });

    // And email-first works again once the window is over: a delay, not a lockout.
    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000 + 250));
    const code = await signInCode(victim, authenticator, { email });
    expect(await signIn(victim, code)).toMatchObject({ ok: true, redirect: expect.stringContaining("/account") });
  });

  test("a person who fails a few times and retries never sees a 429", async () => {
    const person = await clientAt();
    const { email, authenticator, code } = await register(person);
    const statuses: number[] = [];
    const record = async (response: APIResponse) => (statuses.push(response.status()), response);
    expect(await signIn(person, code)).toMatchObject({ ok: true });

    // The login page loads (an autofill ceremony starts), the email is mistyped twice…
    await record(await post(person, AUTHORIZE, { mediation: "conditional" }));
    for (const typo of [`x${email}`, email.replace("@", ".@")]) await record(await post(person, AUTHORIZE, { email: typo }));
    // …the passkey's response fails to verify, then the ceremony is replayed, three times over…
    for (let attempt = 0; attempt < 3; attempt++) {
      const start = await record(await post(person, AUTHORIZE, { email }));
      const { token, options } = await start.json();
      const broken = await authenticator.authenticate(options, { tamperSignature: true });
      await record(await post(person, VERIFY, { token, response: broken }));
      await record(await post(person, VERIFY, { token, response: await authenticator.authenticate(options) }));
    }
    // …and a code already used is sent again…
    expect((await signIn(person, code)).error?.tag).toBe("@error/InvalidCode");
    // …and then it works.
    expect(await signIn(person, await signInCode(person, authenticator, { email }))).toMatchObject({ ok: true });
    expect(await signIn(person, await signInCode(person, authenticator))).toMatchObject({ ok: true });
    expect(statuses).not.toContain(429);
    expect(statuses.filter((status) => status >= 400).length).toBeGreaterThanOrEqual(3);
  });

  test("the same code redeemed in parallel has exactly one winner", async () => {
    const person = await clientAt();
    const { code } = await register(person);
    // From the browser that ran the ceremony: a code redeems only there (the ceremony cookie).
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => signIn(person, code)));
    expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome.error?.tag === "@error/InvalidCode")).toHaveLength(5);
  });
});

test.describe("cross-site requests without Origin", () => {
  const noOrigin = (site: string) => ({ "Content-Type": "application/json", "Sec-Fetch-Site": site });

  test("a route handler refuses Sec-Fetch-Site cross-site and same-site, accepts same-origin and none", async () => {
    const api = await clientAt();
    for (const site of ["cross-site", "same-site"]) {
      const response = await post(api, AUTHORIZE, {}, noOrigin(site));
      expect(response.status(), site).toBe(403);
      expect((await response.json()).error.tag).toBe("@error/Forbidden");
    }
    // Registration would look the email up: refused before that, too.
    expect((await post(api, "/api/passkey/registration/authorize", { email: uniqueEmail() }, noOrigin("cross-site"))).status()).toBe(403);
    for (const site of ["same-origin", "none"]) {
      expect((await post(api, AUTHORIZE, {}, noOrigin(site))).status(), site).toBe(200);
    }
  });

  test("the signIn action refuses a cross-site call without Origin, and the code stays unspent", async () => {
    const api = await clientAt();
    const { code } = await register(api);
    for (const site of ["cross-site", "same-site"]) {
      expect(await signIn(api, code, { "Sec-Fetch-Site": site }, null), site).toMatchObject({ error: { tag: "@error/Forbidden" } });
    }
    expect(await signIn(api, code, { "Sec-Fetch-Site": "same-origin" }, null)).toMatchObject({ ok: true });
    const another = await signInCode(api, (await register(api)).authenticator);
    expect(await signIn(api, another, { "Sec-Fetch-Site": "none" }, null)).toMatchObject({ ok: true });
  });

  test("account actions refuse a cross-site call without Origin", async () => {
    const api = await clientAt();
    const { code } = await register(api);
    await signIn(api, code);
    const crossSite = { origin: null, headers: { "Sec-Fetch-Site": "cross-site" } };
    expect(await callAction(api, "changeDisplayName", ["pwned"], crossSite)).toMatchObject({ ok: false, error: { tag: "@error/Forbidden" } });
    expect(await callAction(api, "signOutOtherSessions", [], crossSite)).toMatchObject({ ok: false, error: { tag: "@error/Forbidden" } });
    // (A cross-site sign-out is covered in e2e/security-headers.spec.ts: it is a route handler.)
    const stepUp = await post(api, AUTHORIZE, { reauthenticate: true });
    expect(stepUp.status()).toBe(200);
    expect(await callAction(api, "changeDisplayName", ["Ada"], { origin: null, headers: { "Sec-Fetch-Site": "same-origin" } })).toMatchObject({ ok: true });
  });
});
