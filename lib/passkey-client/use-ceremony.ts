import { WebAuthnAbortService, browserSupportsWebAuthn } from "@simplewebauthn/browser";
import { useRef, useState, useSyncExternalStore, useTransition } from "react";

/** After this long without an answer, the page suggests where the prompt may be. */
export const SLOW_CEREMONY_MS = 10_000;

/**
 * The page side of a passkey ceremony (a React hook, for client components): whether one is
 * running, whether it is taking long, and a Cancel.
 *
 * `run(ceremony)` starts the ceremony in a transition, so `pending` stays true through the
 * redirect that follows a successful sign-in (no flash of an idle button). The ceremony gets an
 * AbortSignal; `cancel()` aborts it and closes the browser's prompt through SimpleWebAuthn's
 * WebAuthnAbortService. A cancelled ceremony resolves as @error/Cancelled, which pages show as
 * nothing: the person chose it.
 */
export function useCeremony() {
  const [pending, startTransition] = useTransition();
  const [slow, setSlow] = useState(false);
  const current = useRef<AbortController | null>(null);

  function run(ceremony: (signal: AbortSignal) => Promise<void>) {
    current.current?.abort();
    const controller = new AbortController();
    current.current = controller;
    startTransition(async () => {
      const timer = setTimeout(() => setSlow(true), SLOW_CEREMONY_MS);
      try {
        await ceremony(controller.signal);
      } finally {
        clearTimeout(timer);
        setSlow(false);
      }
    });
  }

  function cancel() {
    current.current?.abort();
    WebAuthnAbortService.cancelCeremony();
  }

  return { pending, slow, run, cancel };
}

const noSubscription = () => () => {};

/**
 * Whether this browser has WebAuthn at all. The server cannot know, so it renders as if yes;
 * React re-renders with the browser's answer right after hydration, without a mismatch.
 */
export function useWebAuthnSupported(): boolean {
  return useSyncExternalStore(noSubscription, browserSupportsWebAuthn, () => true);
}
