import { NextResponse } from "next/server";
import { errorResponse } from "@/lib/http/json-route";
import { VaultError } from "@/lib/vault";
import { getVault } from "@/lib/vault/instance";

// The configuration is read at run time, not frozen into the build.
export const dynamic = "force-dynamic";

/**
 * WebAuthn Level 3 related origins: a browser asked for a passkey with this app's RP ID from an
 * origin outside its domain fetches https://<RP ID>/.well-known/webauthn and allows the ceremony
 * only if the origin is listed. So one RP ID (one set of passkeys) can serve several domains: a
 * second brand, a country domain, a staging domain, or the old and new names during a domain move.
 * The list is RELATED_ORIGINS; without it there is no document (404), as with any site that has
 * not opted in.
 */
export async function GET() {
  try {
    const origins = getVault().relatedOrigins;
    if (origins.length === 0) return errorResponse(new VaultError("NotFound", "No related origins are configured here."));
    return NextResponse.json({ origins }, { headers: { "Cache-Control": "public, max-age=3600" } });
  } catch (error) {
    return errorResponse(error);
  }
}
