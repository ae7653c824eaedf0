"use client";

import { createContext, useContext, useRef, useState, type ReactNode } from "react";
import { Button, Dialog, ErrorAlert } from "@/components/ui";
import { ceremonyCancelled, passkeyUnsupported } from "@/lib/passkey-client/browser-errors";
import type { ErrorMessage } from "@/lib/passkey-client/messages";
import { reauthenticate, withReauthentication } from "@/lib/passkey-client/reauthenticate";
import { isCancelled, type PasskeyError, type Result } from "@/lib/passkey-client/result";
import { useCeremony, useWebAuthnSupported } from "@/lib/passkey-client/use-ceremony";
import { reauthenticate as exchangeStepUpCode } from "./actions";

/**
 * Step-up for the account page. `useStepUp()` gives `guard(reason, operation)`: it runs the
 * operation (a server action or a passkey ceremony) and, when the server answers
 * @error/ReauthenticationRequired, opens "Confirm it's you". The person presses the button (a
 * fresh click, which browsers want before a passkey prompt), the step-up ceremony runs with
 * userVerification "required", and the operation runs once more. What they typed lives in the
 * operation's closure and in the calling form, so nothing is lost on the way.
 */
type Guard = <T extends object>(reason: string, operation: () => Promise<Result<T>>) => Promise<Result<T>>;

const StepUpContext = createContext<Guard | null>(null);

export function useStepUp(): Guard {
  const guard = useContext(StepUpContext);
  if (!guard) throw new Error("useStepUp() needs a <StepUpProvider> around it");
  return guard;
}

/**
 * Browsers report "the person closed the prompt" and "this authenticator cannot verify the person"
 * (a security key without a PIN) the same way, and the server refuses a response without user
 * verification: one plain explanation covers them all.
 */
const NOT_CONFIRMED: ErrorMessage = {
  title: "We couldn't confirm it's you",
  message:
    "This change needs your passkey to check that it's really you, with your fingerprint, face, screen lock or security key PIN. If you closed the prompt, try again. If your passkey can't do that check (for example a security key without a PIN), use another passkey or set up a PIN for it.",
};

interface Pending {
  reason: string;
  resolve: (result: Result<object>) => void;
}

export function StepUpProvider({ children }: { children: ReactNode }) {
  const [pending, setPending] = useState<Pending | null>(null);

  const guard: Guard = (reason, operation) =>
    withReauthentication(operation, () => new Promise<Result<object>>((resolve) => setPending({ reason, resolve })));

  function done(result: Result<object>) {
    pending?.resolve(result);
    setPending(null);
  }

  return (
    <StepUpContext.Provider value={guard}>
      {children}
      <StepUpDialog pending={pending} onDone={done} />
    </StepUpContext.Provider>
  );
}

function StepUpDialog({ pending, onDone }: { pending: Pending | null; onDone: (result: Result<object>) => void }) {
  const [error, setError] = useState<PasskeyError | null>(null);
  const ceremony = useCeremony();
  // Known up front (an emailed-code session in a browser without WebAuthn): said before they try.
  const unsupported = !useWebAuthnSupported();
  // Which request the current ceremony belongs to: a late answer must not resolve a newer one.
  const current = useRef<Pending | null>(null);

  function confirm() {
    const request = pending;
    current.current = request;
    setError(null);
    ceremony.run(async (signal) => {
      const result = await reauthenticate(exchangeStepUpCode, signal);
      if (current.current !== request) return;
      if (result.ok) {
        onDone(result);
      } else if (!(isCancelled(result.error) && signal.aborted)) {
        setError(result.error);
      }
    });
  }

  function close() {
    ceremony.cancel();
    current.current = null;
    setError(null);
    onDone(ceremonyCancelled());
  }

  const notConfirmed = error && (isCancelled(error) || error.tag === "@error/Verification");
  return (
    <Dialog
      open={pending !== null}
      onClose={close}
      title="Confirm it's you"
      description={
        <>
          To {pending?.reason ?? "make this change"}, confirm with your passkey. Your device will ask for your
          fingerprint, face, screen lock or PIN.
        </>
      }
      footer={
        <>
          <Button variant="secondary" onClick={close}>
            Cancel
          </Button>
          <Button onClick={confirm} loading={ceremony.pending} disabled={unsupported} data-autofocus>
            {ceremony.pending ? "Waiting for your passkey…" : "Confirm with passkey"}
          </Button>
        </>
      }
    >
      <div data-testid="step-up-error">
        <ErrorAlert error={unsupported ? passkeyUnsupported().error : error} described={notConfirmed ? NOT_CONFIRMED : undefined} />
      </div>
    </Dialog>
  );
}
