// Self-test of the virtual authenticator fixture, with no app: page.route serves a blank page
// on localhost (a secure context, so WebAuthn is available). Runs without the app server:
//   E2E_NO_SERVER=1 npx playwright test e2e/fixture.spec.ts
import { expect, test } from "./fixtures";

const ORIGIN = "http://localhost:3999"; // nothing listens here: page.route answers every request

test.beforeEach(async ({ page }) => {
  await page.route(`${ORIGIN}/**`, (route) =>
    route.fulfill({ contentType: "text/html", body: "<!doctype html><title>fixture self-test</title>" }),
  );
  await page.goto(`${ORIGIN}/`);
});

// These run in the page: page.evaluate sends their source, so they may use nothing from this file.

/** Registers a discoverable, user-verified passkey; returns its id (base64url). */
async function createPasskey(): Promise<string> {
  const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));
  const credential = await navigator.credentials.create({
    publicKey: {
      challenge: random(32),
      rp: { id: "localhost", name: "Fixture self-test" },
      user: { id: random(16), name: "ada@example.com", displayName: "Ada" },
      pubKeyCredParams: [{ type: "public-key", alg: -7 }], // ES256, what the authenticator makes
      authenticatorSelection: { residentKey: "required", userVerification: "required" },
    },
  });
  return (credential as PublicKeyCredential).id;
}

/** Signs in with whichever passkey the authenticator offers (no allowCredentials); returns its id. */
async function getPasskey(): Promise<string> {
  const credential = await navigator.credentials.get({
    publicKey: {
      challenge: crypto.getRandomValues(new Uint8Array(32)),
      rpId: "localhost",
      allowCredentials: [],
      userVerification: "required",
    },
  });
  return (credential as PublicKeyCredential).id;
}

/** CDP gives credential ids in standard base64, the page in base64url. */
const cdpId = (base64url: string) => Buffer.from(base64url, "base64url").toString("base64");

test("registration and sign-in reach the virtual authenticator", async ({ page, authenticator }) => {
  const added = authenticator.waitForCredentialAdded();
  const id = await page.evaluate(createPasskey);
  expect((await added).credentialId).toBe(cdpId(id));
  expect(await authenticator.credentials()).toEqual([
    expect.objectContaining({ credentialId: cdpId(id), isResidentCredential: true, rpId: "localhost" }),
  ]);

  const asserted = authenticator.waitForCredentialAsserted();
  expect(await page.evaluate(getPasskey)).toBe(id);
  expect((await asserted).credentialId).toBe(cdpId(id));

  await authenticator.removeAll();
  expect(await authenticator.credentials()).toEqual([]);
});

test("get() fails when user verification fails", async ({ page, authenticator }) => {
  await page.evaluate(createPasskey);
  await authenticator.setUserVerified(false);
  await expect(page.evaluate(getPasskey)).rejects.toThrow(/NotAllowedError/);
});

test("signalUnknownCredential removes the credential from the authenticator", async ({ page, authenticator }) => {
  const id = await page.evaluate(createPasskey);
  expect(await authenticator.credentials()).toHaveLength(1);

  const signalled = await page.evaluate(async (credentialId) => {
    // The Signal API is not in TypeScript's DOM types yet.
    const api = PublicKeyCredential as unknown as {
      signalUnknownCredential?(options: { rpId: string; credentialId: string }): Promise<void>;
    };
    if (!api.signalUnknownCredential) return false;
    await api.signalUnknownCredential({ rpId: "localhost", credentialId });
    return true;
  }, id);
  expect(signalled, "PublicKeyCredential.signalUnknownCredential exists").toBe(true);
  // The Signal API's promise need not wait for the authenticator to act on it: poll.
  await expect.poll(() => authenticator.credentials()).toEqual([]);
});
