import { NextResponse, type NextRequest } from "next/server";
import { assertCronRequest } from "@/lib/http/cron-secret";
import { errorResponse } from "@/lib/http/json-route";
import { getVault } from "@/lib/vault/instance";

// Never prerendered or cached: every call purges.
export const dynamic = "force-dynamic";

/**
 * The scheduled purge (vercel.json `crons`, daily): expired challenges, codes, email codes, ended
 * sessions, finished rate-limit windows, security events past their retention, and signing keys
 * whose tokens have all expired. Vercel's scheduler calls it with `Authorization: Bearer
 * $CRON_SECRET`; nobody else can (lib/http/cron-secret.ts). Answers what it deleted, counts only.
 * Elsewhere, run `npm run db:cleanup` from any scheduler, or call this route with the header.
 */
export async function GET(request: NextRequest) {
  try {
    assertCronRequest(request.headers);
    const deleted = await getVault().purgeExpired();
    return NextResponse.json({ deleted }, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return errorResponse(error);
  }
}
