"use client";

import { useEffect, useState } from "react";

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

/**
 * A moment in the person's own terms. The server cannot know their time zone, so it renders a
 * fixed UTC date ("Jan 5, 2026, 14:03 UTC"), the first client render repeats it exactly (no
 * hydration mismatch), and after mount it becomes relative ("2 days ago") with the full local
 * date in the tooltip. Words follow the page's language (`locale`, default the <html lang>).
 */
export function RelativeTime({ date, locale = "en" }: { date: Date | string; locale?: string }) {
  const when = new Date(date);
  const iso = when.toISOString();
  const [local, setLocal] = useState<{ relative: string; full: string } | null>(null);

  useEffect(() => {
    const at = new Date(iso);
    const update = () =>
      setLocal({
        relative: relativeTime(at, new Date(), locale),
        full: at.toLocaleString(locale, { dateStyle: "full", timeStyle: "short" }),
      });
    update();
    const timer = setInterval(update, 60_000); // "5 minutes ago" keeps up while the page is open
    return () => clearInterval(timer);
  }, [iso, locale]);

  const utc = when.toLocaleString(locale, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) + " UTC";
  return (
    <time dateTime={iso} title={local?.full ?? utc}>
      {local?.relative ?? utc}
    </time>
  );
}
