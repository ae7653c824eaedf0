"use client";

import { useEffect, useRef } from "react";

/**
 * For a list whose items the person just removed (a passkey, sessions): the control they used goes
 * away with its row when the page data refreshes, and focus would fall to the top of the page.
 * Call `focusListWhenGone(ids)` before refreshing; once none of those ids is in `items` any more,
 * focus moves to the list (give it tabIndex={-1} and a label).
 *
 * Keyed on the rows being gone, not on "the data changed": other refreshes (a server action that
 * set a cookie, such as step-up) can deliver new data with the row still there, and focusing then
 * would be undone when the row's own button goes.
 */
export function useFocusAfterRemoval<T extends HTMLElement>(items: readonly { id: string }[]) {
  const list = useRef<T>(null);
  const removed = useRef<readonly string[] | null>(null);
  useEffect(() => {
    const ids = removed.current;
    if (!ids || items.some((item) => ids.includes(item.id))) return;
    removed.current = null;
    list.current?.focus();
  }, [items]);
  return {
    list,
    focusListWhenGone: (ids: readonly string[]) => {
      removed.current = ids;
    },
  };
}
