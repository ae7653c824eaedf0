import { describe, expect, it } from "vitest";
import { fromNextAuthError } from "../../lib/integrations/next-auth-client";
import { describeError } from "../../lib/passkey-client/messages";

describe("fromNextAuthError: next-auth's error string as the app's typed error", () => {
  it("reads authorize's null (CredentialsSignin) as a code that no longer works", () => {
    const error = fromNextAuthError("CredentialsSignin");
    expect(error).toMatchObject({ tag: "@error/InvalidCode", code: "INVALID_CODE" });
    expect(describeError(error).action).toEqual({ kind: "retry", label: "Try again" });
  });

  it("keeps the tags authorize throws", () => {
    expect(fromNextAuthError("@error/RateLimited")).toMatchObject({ tag: "@error/RateLimited", code: "RATE_LIMITED" });
    expect(fromNextAuthError("@error/Forbidden")).toMatchObject({ tag: "@error/Forbidden", code: "FORBIDDEN" });
  });

  it("calls anything else Unavailable: unknown tags, bare kinds, next-auth's own errors, nothing", () => {
    for (const raw of ["@error/NoSuchThing", "RateLimited", "@error/Cancelled", "Configuration", "@error/RateLimited ", "", null, undefined]) {
      expect(fromNextAuthError(raw), String(raw)).toMatchObject({ tag: "@error/Unavailable", code: "UNAVAILABLE" });
    }
  });
});
