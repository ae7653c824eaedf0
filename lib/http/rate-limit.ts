import "server-only";
import { getDb } from "../db";
import { loadRateLimitConfig, loadVaultConfig, type RateLimitConfig } from "../vault/config";
import { createRateLimiter, type AddressRule, type RateLimiter, type RateLimitSubject } from "../vault/rate-limit";
import { clientAddress } from "./client-address";

/**
 * The app's rate limiter (lib/vault/rate-limit.ts), for route handlers and server actions. Created
 * on first use (so `next build` needs no secrets) and kept on globalThis, like the vault.
 */
const globalForLimits = globalThis as typeof globalThis & {
  passkeyRateLimits?: { limiter: RateLimiter; config: RateLimitConfig };
};

function instance() {
  return (globalForLimits.passkeyRateLimits ??= (() => {
    const config = loadRateLimitConfig();
    return { config, limiter: createRateLimiter(getDb(), config, loadVaultConfig().secret) };
  })());
}

/** Counts one hit of `rule` for the request's client address, then for `subject`; `@error/RateLimited` when over. */
export async function limitClient(headers: Headers, rule: AddressRule, subject?: RateLimitSubject): Promise<void> {
  const { limiter, config } = instance();
  await limiter.hit(rule, clientAddress(headers, config.trustedClientIpHeader), subject);
}

/** Per-email and per-account limits only, once the request's address has been counted. */
export async function limitSubject(subject: RateLimitSubject): Promise<void> {
  await instance().limiter.hitSubject(subject);
}
