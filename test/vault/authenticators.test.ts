import { describe, expect, it } from "vitest";
import dataset from "@/lib/vault/data/passkey-aaguids.json";
import { describeAuthenticator, isSafeIcon, passkeyName, readAuthenticators } from "@/lib/vault/authenticators";

const GOOGLE = "ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4";
const ICLOUD = "fbfc3007-154e-4ecc-8c0b-6e020557d7bd";
const ONE_PASSWORD = "bada5566-a7aa-401f-bd96-45619a55120d";
const WINDOWS_HELLO = ["08987058-cadc-4b81-b6e1-30de50dcbe96", "9ddd1817-af5a-4672-a2b9-3e3dd95000a9", "6028b017-b1d4-4c02-b4b3-afcdafc96bb2"];
const ZERO = "00000000-0000-0000-0000-000000000000";

const dataUri = (type: string, body: string) => `data:${type};base64,${Buffer.from(body).toString("base64")}`;
const svg = (fill: string) => dataUri("image/svg+xml", `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1" fill="${fill}"/></svg>`);

describe("describeAuthenticator (the table in lib/vault/data)", () => {
  it.each([
    [GOOGLE, "Google Password Manager"],
    [ICLOUD, "Apple Passwords"],
    [ONE_PASSWORD, "1Password"],
    ...WINDOWS_HELLO.map((aaguid) => [aaguid, "Windows Hello"]),
  ])("names %s %s", (aaguid, name) => {
    expect(describeAuthenticator(aaguid).name).toBe(name);
    expect(passkeyName(aaguid)).toBe(name);
  });

  it("reads AAGUIDs in any case", () => {
    expect(describeAuthenticator(GOOGLE.toUpperCase())).toEqual(describeAuthenticator(GOOGLE));
    expect(passkeyName(ONE_PASSWORD.toUpperCase())).toBe("1Password");
  });

  it.each([
    ["the all-zero AAGUID", ZERO],
    ["an AAGUID nobody listed", "01234567-89ab-cdef-0123-456789abcdef"],
    ["something that is no AAGUID", "not-an-aaguid"],
    ["an empty string", ""],
  ])("calls %s a Passkey, without icons", (_, aaguid) => {
    expect(describeAuthenticator(aaguid)).toEqual({ name: "Passkey" });
    expect(passkeyName(aaguid)).toBe("Passkey");
  });

  // Run after `npm run aaguids:update` too: a refreshed list must arrive whole, icons included.
  it("keeps every entry of the file, with its icons", () => {
    const entries = Object.entries(dataset as Record<string, { name: string; icon_light?: string; icon_dark?: string }>);
    expect(entries.length).toBeGreaterThanOrEqual(10);
    for (const [aaguid, entry] of entries) {
      expect(describeAuthenticator(aaguid)).toEqual({
        name: entry.name,
        ...(entry.icon_light && { iconLight: entry.icon_light }),
        ...(entry.icon_dark && { iconDark: entry.icon_dark }),
      });
    }
  });

  it("hands out entries nobody can change", () => {
    expect(Object.isFrozen(describeAuthenticator(GOOGLE))).toBe(true);
    expect(Object.isFrozen(describeAuthenticator(ZERO))).toBe(true);
  });
});

describe("readAuthenticators", () => {
  it("gives each provider its name and icons, whatever the case of its AAGUID", () => {
    const table = readAuthenticators({
      [GOOGLE.toUpperCase()]: { name: "Google Password Manager", icon_light: svg("#000"), icon_dark: svg("#fff") },
      [ONE_PASSWORD]: { name: " 1Password ", icon_light: dataUri("image/png", "png bytes") },
    });
    expect(table.get(GOOGLE)).toEqual({ name: "Google Password Manager", iconLight: svg("#000"), iconDark: svg("#fff") });
    expect(table.get(ONE_PASSWORD)).toEqual({ name: "1Password", iconLight: dataUri("image/png", "png bytes") });
  });

  it("drops an unsafe icon and keeps the name", () => {
    const table = readAuthenticators({
      [GOOGLE]: { name: "Evil", icon_light: "javascript:alert(1)", icon_dark: "https://tracker.example/pixel.svg" },
    });
    expect(table.get(GOOGLE)).toEqual({ name: "Evil" });
  });

  it.each([
    ["no name", {}],
    ["a blank name", { name: "  " }],
    ["a name that is not text", { name: 42 }],
    ["a control character", { name: "Bad\u0007Name" }],
    ["a right-to-left override", { name: "Pass\u202Eyek" }],
    ["an over-long name", { name: "x".repeat(65) }],
    ["an entry that is not an object", "Google Password Manager"],
  ])("skips an entry with %s", (_, entry) => {
    expect(readAuthenticators({ [GOOGLE]: entry }).size).toBe(0);
  });

  it("skips keys that are not AAGUIDs, and the all-zero AAGUID", () => {
    expect(readAuthenticators({ "not-an-aaguid": { name: "A" }, [ZERO]: { name: "Unknown" } }).size).toBe(0);
  });

  it.each([null, undefined, "text", 42])("reads %s as an empty table", (data) => {
    expect(readAuthenticators(data).size).toBe(0);
  });
});

describe("isSafeIcon", () => {
  it.each([
    ["an SVG", svg("#000")],
    ["a PNG", dataUri("image/png", "\x89PNG")],
    ["a WebP", dataUri("image/webp", "RIFF....WEBP")],
  ])("accepts %s as a base64 data URI", (_, icon) => {
    expect(isSafeIcon(icon)).toBe(true);
  });

  it.each([
    ["a javascript: URL", "javascript:alert(document.cookie)"],
    ["an http(s) URL", "https://tracker.example/logo.svg"],
    ["an HTML data URI", dataUri("text/html", "<script>alert(1)</script>")],
    ["an SVG that is not base64", 'data:image/svg+xml;utf8,<svg onload="alert(1)"/>'],
    ["another image type", dataUri("image/jpeg", "jpeg")],
    ["a type in capitals", dataUri("IMAGE/SVG+XML", "<svg/>")],
    ["an attribute smuggled after the data", `${svg("#000")}" onerror="alert(1)`],
    ["a line break", `${svg("#000")}\n`],
    ["an icon over 32 KB", dataUri("image/png", "x".repeat(25_000))],
    ["an empty data URI", "data:image/png;base64,"],
    ["a value that is not text", 42],
    ["nothing", undefined],
  ])("refuses %s", (_, icon) => {
    expect(isSafeIcon(icon)).toBe(false);
  });
});
