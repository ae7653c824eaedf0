// The next-auth example page on a server where next-auth is not configured (no NEXTAUTH_SECRET): a
// deployment that does not use next-auth must not serve a 500 there, nor tell visitors which
// variable is missing (that goes to the server log). And, signed in, what it shows of the session.
import type { Session } from "next-auth";
import { renderToStaticMarkup } from "react-dom/server";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import NextAuthExamplePage from "../../app/examples/next-auth/page";
import { TEST_ENV } from "../support/vault-harness";

// The session getServerSession answers (its path through next-auth: test/integrations/next-auth.test.ts).
const serverSession = vi.hoisted(() => ({ current: null as Session | null }));
vi.mock("next-auth", async (original) => ({ ...(await original()), getServerSession: async () => serverSession.current }));
// The sign-in and sign-out buttons need a mounted app router; what is shown of the session does not.
vi.mock("../../app/examples/next-auth/next-auth-buttons", () => ({ NextAuthSignIn: () => null, NextAuthSignOut: () => null }));

beforeEach(() => {
  vi.stubEnv("APP_ORIGIN", TEST_ENV.APP_ORIGIN);
  vi.stubEnv("AUTH_SECRET", TEST_ENV.AUTH_SECRET);
  vi.stubEnv("DATABASE_URL", "file:./data/never-opened.db");
  vi.stubEnv("NEXTAUTH_URL", undefined);
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

it.each([
  ["unset", undefined],
  ["too short", "short"],
  ["the same as AUTH_SECRET", TEST_ENV.AUTH_SECRET],
])("with NEXTAUTH_SECRET %s, the page says it is not set up; the reason goes to the log only", async (_, secret) => {
  vi.stubEnv("NEXTAUTH_SECRET", secret);
  const logged = vi.spyOn(console, "error").mockImplementation(() => {});
  const html = renderToStaticMarkup(await NextAuthExamplePage({ searchParams: Promise.resolve({}) }));
  expect(html).toContain("Not set up on this server");
  expect(html).not.toContain("NEXTAUTH_SECRET");
  expect(String(logged.mock.calls[0])).toContain("NEXTAUTH_SECRET");
});

it.each([
  [false, "Not confirmed"],
  [true, "Confirmed"],
])("signed in with emailVerified %s, the page shows the email as %s", async (emailVerified, shown) => {
  vi.stubEnv("NEXTAUTH_SECRET", "vitest-next-auth-only-secret-0123456789abcdef");
  serverSession.current = {
    user: { id: "user-1", email: "person@example.com", emailVerified, name: "Person" },
    userVerified: true,
    authTime: Math.floor(Date.now() / 1000),
    expires: new Date(Date.now() + 60_000).toISOString(),
  };
  const html = renderToStaticMarkup(await NextAuthExamplePage({ searchParams: Promise.resolve({}) }));
  expect(html).toContain("person@example.com");
  expect(html).toContain(`>${shown}<`);
});
