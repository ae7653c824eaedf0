import { createHash, timingSafeEqual } from "node:crypto";
import { ConfigurationError } from "../vault/config";
import { VaultError } from "../vault/errors";

/** Vercel's advice for CRON_SECRET is a random string of at least 16 characters. */
const MIN_CRON_SECRET_LENGTH = 16;

/**
 * The scheduled routes' guard. Vercel calls a cron path with `Authorization: Bearer <CRON_SECRET>`;
 * anything else is refused: 401 `@error/Unauthenticated` without the header or with another value,
 * and, when CRON_SECRET is not set (or too short to be a secret), every request, with the reason in
 * the server log only (a ConfigurationError answers a generic 503). The comparison runs in constant
 * time over SHA-256 digests, so neither the secret's content nor its length leaks through timing.
 */
export function assertCronRequest(headers: Headers, secret: string | undefined = process.env.CRON_SECRET): void {
  if (!secret || secret.length < MIN_CRON_SECRET_LENGTH) {
    throw new ConfigurationError(
      `CRON_SECRET must be set (at least ${MIN_CRON_SECRET_LENGTH} random characters) for the scheduled routes; until then they refuse every request`,
    );
  }
  const presented = /^Bearer (.+)$/.exec(headers.get("authorization") ?? "")?.[1] ?? "";
  if (!timingSafeEqual(digest(presented), digest(secret))) {
    throw new VaultError("Unauthenticated", "This route is for the scheduler only.");
  }
}

const digest = (value: string) => createHash("sha256").update(value).digest();
