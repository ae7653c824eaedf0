import { NextResponse } from "next/server";
import { errorResponse } from "@/lib/http/json-route";
import { getVault } from "@/lib/vault/instance";

// Read the keys at request time: a build-time snapshot would miss every rotation.
export const dynamic = "force-dynamic";

/** Public keys only (kid, alg, use: "sig"), for other backends that verify session JWTs. */
export async function GET() {
  try {
    return NextResponse.json(await getVault().jwks(), {
      // Short enough that a newly published key reaches verifiers before it starts signing.
      headers: { "Cache-Control": "public, max-age=300" },
    });
  } catch (error) {
    return errorResponse(error);
  }
}
