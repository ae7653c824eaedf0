import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLIENT_ERRORS, SERVER_ERRORS, errorTag, type ErrorKind, type WireError } from "../../lib/contract/errors";
import { BROWSER_MESSAGES, FIELD_MESSAGES, describeError, type ErrorMessage } from "../../lib/passkey-client/messages";

const error = (kind: ErrorKind, details: Partial<WireError> = {}): WireError => ({
  tag: errorTag(kind),
  code: kind in SERVER_ERRORS ? SERVER_ERRORS[kind as keyof typeof SERVER_ERRORS].code : "CANCELLED",
  message: "the server's own wording",
  ...details,
});

/** The catalogue as the installed library declares it: its type is the only list it publishes. */
function webAuthnErrorCodes(): string[] {
  const entry = createRequire(import.meta.url).resolve("@simplewebauthn/browser");
  const declaration = readFileSync(join(dirname(entry), "helpers", "webAuthnError.d.ts"), "utf8");
  const union = /type WebAuthnErrorCode\s*=([^;]+);/.exec(declaration)?.[1] ?? "";
  return [...union.matchAll(/'(ERROR_[A-Z_]+)'/g)].map((m) => m[1]!);
}

/** Written for a person: a sentence, with none of the developer wording the server sends. */
function expectPlainWords(described: ErrorMessage) {
  expect(described.message).toMatch(/^[A-Z].*[.!?]$/);
  expect(described.message).not.toBe("the server's own wording");
  expect(described.message).not.toMatch(/must be|undefined|null|ERROR_|@error|\bfield\b|displayName|base64/);
  if (described.action) expect(described.action.label).toMatch(/^[A-Z]/);
}

describe("describeError", () => {
  const kinds = [...Object.keys(SERVER_ERRORS), ...Object.keys(CLIENT_ERRORS)] as ErrorKind[];

  it.each(kinds)("has plain words for @error/%s", (kind) => {
    expectPlainWords(describeError(error(kind)));
  });

  it("knows every code of the installed @simplewebauthn/browser", () => {
    const codes = webAuthnErrorCodes();
    expect(codes.length).toBeGreaterThan(10);
    expect(Object.keys(BROWSER_MESSAGES).sort()).toEqual([...codes].sort());
  });

  it.each(webAuthnErrorCodes())("has plain words for the browser's %s", (browserCode) => {
    expectPlainWords(describeError(error("OtherPasskey", { browserCode })));
  });

  it("falls back to plain words for a browser code it does not know", () => {
    expectPlainWords(describeError(error("OtherPasskey", { browserCode: "ERROR_FROM_THE_FUTURE" })));
    expectPlainWords(describeError(error("OtherPasskey")));
  });

  it.each(Object.keys(FIELD_MESSAGES))("puts a BadRequest about %s next to that field", (field) => {
    const described = describeError(error("BadRequest", { field, message: `${field} must be an email address` }));
    expect(described.field).toBe(field);
    expectPlainWords(described);
  });

  it("keeps a BadRequest about an internal field out of the form, with a next step", () => {
    const described = describeError(error("BadRequest", { field: "response.rawId" }));
    expect(described.field).toBeUndefined();
    expect(described.action?.kind).toBe("retry");
    expectPlainWords(described);
  });

  it("says how long to wait when rate limited", () => {
    expect(describeError(error("RateLimited", { retryAfter: 30 })).message).toContain("30 seconds");
    expect(describeError(error("RateLimited", { retryAfter: 1 })).message).toContain("1 second,");
  });

  it("tells a network failure from a server failure", () => {
    expect(describeError(error("Unavailable", { code: "NETWORK" })).message).toMatch(/connection/);
    expect(describeError(error("Unavailable")).message).not.toMatch(/connection/);
  });

  it("points a taken email to sign-in", () => {
    expect(describeError(error("DuplicateAccount")).action).toEqual(expect.objectContaining({ kind: "link", href: "/login" }));
  });
});
