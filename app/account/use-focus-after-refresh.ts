"use client";

import { useEffect, useRef } from "react";

/**
 * For a list whose item the person just removed (a passkey, a session): the control they used
 * goes away with the item when the page data refreshes, and focus would fall to the top of the
 * page. Call `focusListAfterRefresh()` before refreshing; when `data` changes, focus moves to the
 * list (give it tabIndex={-1} and a label).
 */
export function useFocusAfterRefresh<T extends HTMLElement>(data: unknown) {
  const list = useRef<T>(null);
  const pending = useRef(false);
  useEffect(() => {
    if (!pending.current) return;
    pending.current = false;
    list.current?.focus();
  }, [data]);
  return {
    list,
    focusListAfterRefresh: () => {
      pending.current = true;
    },
  };
}
