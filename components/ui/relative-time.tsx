"use client";

import { useSyncExternalStore } from "react";

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

/** "2 days ago", "in 3 hours", "now": the largest unit that fits. */
export function relativeTime(date: Date, now: Date, locale?: string): string {
  const seconds = (date.getTime() - now.getTime()) / 1000;
  const format = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  }
  return format.format(0, "second"); // "now"
}

// The clock as a store that ticks once a minute, so "5 minutes ago" keeps up while the page is open.
const MINUTE = 60_000;
const currentMinute = () => Math.floor(Date.now() / MINUTE);
const subscribeToMinutes = (tick: () => void) => {
  const timer = setInterval(tick, MINUTE / 4);
  return () => clearInterval(timer);
};

/**
 * A moment in the person's own terms. The server cannot know their time zone, so it renders a
 * fixed UTC date ("Jan 5, 2026, 2:03 PM UTC"); hydration repeats it exactly (the store's server
 * snapshot is null), then React re-renders with the person's clock: relative ("2 days ago"),
 * with the full local date in the tooltip. Words follow the page's language (`locale`, "en" as
 * in <html lang>); the time zone is the person's.
 */
export function RelativeTime({ date, locale = "en" }: { date: Date | string; locale?: string }) {
  const minute = useSyncExternalStore(subscribeToMinutes, currentMinute, () => null);
  const when = new Date(date);
  const utc = when.toLocaleString(locale, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) + " UTC";
  return (
    <time
      dateTime={when.toISOString()}
      title={minute === null ? utc : when.toLocaleString(locale, { dateStyle: "full", timeStyle: "short" })}
    >
      {minute === null ? utc : relativeTime(when, new Date(), locale)}
    </time>
  );
}
