import { NextResponse } from "next/server";
import { errorResponse } from "@/lib/http/json-route";
import { getVault } from "@/lib/vault/instance";
import { JWKS_MAX_AGE_SECONDS } from "@/lib/vault/keys";

// Read the keys at request time: a build-time snapshot would miss every rotation.
export const dynamic = "force-dynamic";

/** Public keys only (kid, alg, use: "sig"), for other backends that verify session JWTs. */
export async function GET() {
  try {
    return NextResponse.json(await getVault().jwks(), {
      // A rotated-in key is published KEY_PUBLISH_DELAY_SECONDS before it signs, longer than this.
      headers: { "Cache-Control": `public, max-age=${JWKS_MAX_AGE_SECONDS}` },
    });
  } catch (error) {
    return errorResponse(error);
  }
}
