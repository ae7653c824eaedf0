import { describe, expect, it } from "vitest";
import { relativeTime } from "../../components/ui/relative-time";

describe("relativeTime", () => {
  const now = new Date("2026-03-10T12:00:00Z");
  const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);

  it.each([
    [0, "now"],
    [30, "now"],
    [5 * 60, "5 minutes ago"],
    [3 * 3600, "3 hours ago"],
    [24 * 3600, "yesterday"],
    [2 * 24 * 3600, "2 days ago"],
    [14 * 24 * 3600, "2 weeks ago"],
    [400 * 24 * 3600, "last year"],
  ])("%i seconds ago reads %s", (seconds, text) => {
    expect(relativeTime(ago(seconds), now, "en")).toBe(text);
  });

  it("speaks of the future too", () => {
    expect(relativeTime(ago(-3 * 3600), now, "en")).toBe("in 3 hours");
  });
});
