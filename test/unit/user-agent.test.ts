import { describe, expect, it } from "vitest";
import { describeUserAgent } from "@/lib/user-agent";

// Real headers, as the browsers send them.
const UA = {
  chromeMac:
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  safariIphone:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
  safariIpad:
    "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
  firefoxWindows: "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
  edgeWindows:
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
  chromeAndroid:
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
  samsungInternet:
    "Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
  headlessChromeLinux:
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36",
  chromeIphone:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1",
};

describe("describeUserAgent", () => {
  it.each([
    ["Chrome on macOS", UA.chromeMac, { browser: "Chrome", os: "macOS", device: "desktop" }],
    ["Safari on iPhone", UA.safariIphone, { browser: "Safari", os: "iOS", device: "mobile" }],
    ["Safari on iPad", UA.safariIpad, { browser: "Safari", os: "iOS", device: "tablet" }],
    ["Firefox on Windows", UA.firefoxWindows, { browser: "Firefox", os: "Windows", device: "desktop" }],
    ["Edge on Windows", UA.edgeWindows, { browser: "Edge", os: "Windows", device: "desktop" }],
    ["Chrome on Android", UA.chromeAndroid, { browser: "Chrome", os: "Android", device: "mobile" }],
    ["Samsung Internet on Android", UA.samsungInternet, { browser: "Samsung Internet", os: "Android", device: "mobile" }],
    ["Headless Chrome on Linux", UA.headlessChromeLinux, { browser: "Headless Chrome", os: "Linux", device: "desktop" }],
    ["Chrome on iPhone", UA.chromeIphone, { browser: "Chrome", os: "iOS", device: "mobile" }],
  ])("reads %s", (label, ua, expected) => {
    expect(describeUserAgent(ua)).toEqual({ ...expected, label });
  });

  it.each([
    ["null", null],
    ["undefined", undefined],
    ["an empty header", ""],
    ["blanks", "   "],
  ])("answers Unknown browser for %s", (_, ua) => {
    expect(describeUserAgent(ua)).toEqual({ device: "unknown", label: "Unknown browser" });
  });

  it("answers Unknown browser for garbage", () => {
    expect(describeUserAgent("%%%not a user agent;;;")).toEqual({ device: "unknown", label: "Unknown browser" });
    expect(describeUserAgent("curl/8.5.0").label).toBe("Unknown browser");
  });

  it("names the system when it cannot name the browser", () => {
    for (const ua of ["Mozilla/5.0 (Windows NT 10.0; Win64; x64)", "SomeApp/1.0 (Windows NT 10.0; Win64; x64)"]) {
      expect(describeUserAgent(ua)).toEqual({ os: "Windows", device: "desktop", label: "Unknown browser on Windows" });
    }
  });

  it("reads only the start of an absurdly long header, quickly", () => {
    const started = performance.now();
    // The Edge token lies past the cut, so it is never read.
    expect(describeUserAgent(`${UA.firefoxWindows} ${"x".repeat(1_000_000)} Edg/131.0`).label).toBe("Firefox on Windows");
    expect(describeUserAgent("x".repeat(1_000_000))).toEqual({ device: "unknown", label: "Unknown browser" });
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
