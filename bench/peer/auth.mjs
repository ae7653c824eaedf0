// The peer's Better Auth instance: the smallest passkey-only setup that signs people up and in.
// Configured for a throughput run, like the app under test: loopback origin, its rate limiter off
// (the app keeps its own on, with limits too high to refuse anyone: its cost is counted), SQLite in
// WAL mode (the same journal the app uses), telemetry off.
import { passkey } from "@better-auth/passkey";
import { betterAuth } from "better-auth";
import Database from "better-sqlite3";

const origin = process.env.PEER_ORIGIN ?? "http://localhost:3410";

export const database = new Database(process.env.PEER_DATABASE ?? "peer.db");
database.pragma("journal_mode = WAL");
database.pragma("synchronous = NORMAL");

export const authOptions = {
  baseURL: origin,
  secret: process.env.PEER_SECRET ?? "bench-peer-secret-bench-peer-secret-0123456789",
  database,
  trustedOrigins: [origin],
  rateLimit: { enabled: false },
  telemetry: { enabled: false },
  plugins: [
    passkey({
      rpID: new URL(origin).hostname,
      rpName: "Better Auth peer",
      origin,
      // Passkey-first sign-up: the account is created once the passkey verifies (in the same
      // transaction as the passkey and the session), as in the app under test.
      registration: {
        requireSession: false,
        resolveUser: ({ context }) => ({ id: crypto.randomUUID(), name: context ?? "", displayName: context ?? "" }),
        afterVerification: async ({ ctx, context }) => {
          const user = await ctx.context.internalAdapter.createUser({ email: context, name: context, emailVerified: false });
          return { userId: user.id };
        },
      },
    }),
  ],
};

export const auth = betterAuth(authOptions);
