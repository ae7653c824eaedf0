// Types for server.mjs (plain JavaScript so it runs with `node` as is), for the tests that import it.
import type { Server } from "node:http";
import type { JWTPayload } from "jose";

export interface VerifierOptions {
  origin: string;
  audience?: string;
  typ?: string;
  algorithm?: string;
  cooldownDuration?: number;
  cacheMaxAge?: number;
}
export const SESSION_TYP: "session+jwt";
export const ID_TOKEN_TYP: "id+jwt";
export function defaultAudience(origin: string, typ: string): string;
export function createVerifier(options: VerifierOptions): (token: string) => Promise<JWTPayload>;
export function createServer(options: VerifierOptions): Server;
