import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import { VaultError, isVaultError } from "../vault";
import { getVault } from "../vault/instance";
import type { AddressRule } from "../vault/rate-limit";
import { limitClient } from "./rate-limit";
import { assertSameSite } from "./same-site";

/** WebAuthn responses are a few KB; anything far larger is not one. */
const MAX_BODY_BYTES = 64 * 1024;

const NO_STORE = { "Cache-Control": "no-store" };

/**
 * Wraps a JSON POST route handler: same-site check, the client address's rate limit `limit`
 * (before the body is even read, so a flood costs one indexed upsert per request), content type,
 * size and JSON parsing, then the handler, then one error shape for every failure. The limit is
 * not optional: a new route cannot forget it. Requiring application/json also means another site's
 * fetch needs a CORS preflight, which is never granted. Route handlers stay thin; those that look up an
 * email or act for an account add those limits (lib/http/rate-limit.ts).
 */
export function jsonRoute<T>(
  { limit }: { limit: AddressRule },
  handler: (body: unknown, request: NextRequest) => Promise<T>,
) {
  return async (request: NextRequest): Promise<NextResponse> => {
    try {
      // Cross-site first: another site's page must not spend this client's budget either.
      assertSameSite(request.headers, getVault().origin);
      await limitClient(request.headers, limit);
      const body = await readJsonBody(request);
      return NextResponse.json(await handler(body, request), { headers: NO_STORE });
    } catch (error) {
      return errorResponse(error);
    }
  };
}

async function readJsonBody(request: NextRequest): Promise<unknown> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new VaultError("BadRequest", "Send the body as application/json.", {
      status: 415,
      code: "UNSUPPORTED_MEDIA_TYPE",
    });
  }
  const text = await readCapped(request, MAX_BODY_BYTES);
  try {
    return JSON.parse(text);
  } catch {
    throw new VaultError("BadRequest", "The body is not valid JSON.", { code: "MALFORMED_JSON" });
  }
}

/** Reads at most `max` bytes, whatever Content-Length claims, so a huge body is never buffered. */
async function readCapped(request: NextRequest, max: number): Promise<string> {
  const tooLarge = () =>
    new VaultError("BadRequest", "The body is too large.", { status: 413, code: "PAYLOAD_TOO_LARGE" });
  if (Number(request.headers.get("content-length") ?? 0) > max) throw tooLarge();
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return new TextDecoder("utf-8", { fatal: false }).decode(Buffer.concat(chunks));
}

/** Typed errors keep their status and tag; anything else is logged and answered as 503 Unavailable. */
export function errorResponse(error: unknown): NextResponse {
  const vaultError =
    isVaultError(error)
      ? error
      : new VaultError("Unavailable", "Something went wrong on our side. Please try again.", { cause: error });
  if (vaultError.status >= 500 || vaultError.cause) {
    console.warn(`[passkeys] ${vaultError.tag}: ${vaultError.message}`, vaultError.cause ?? "");
  }
  const headers: Record<string, string> = { ...NO_STORE };
  if (vaultError.details.retryAfter) headers["Retry-After"] = String(vaultError.details.retryAfter);
  return NextResponse.json(vaultError.toJSON(), { status: vaultError.status, headers });
}
