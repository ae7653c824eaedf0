"use server";

// Every action here is a public POST endpoint: each checks the session itself in its first line,
// acts only on that session's user, and parses its arguments in the vault (they come from anyone).
// Sensitive ones need a recent user-verified ceremony (requireRecentVerification); the browser
// answers @error/ReauthenticationRequired by running step-up and retrying. runAction refuses
// cross-site calls (lib/session/guards.ts) before any of them runs. (Sign-out is a route handler,
// app/sign-out/route.ts, because it sends response headers.)

import { RedirectType, redirect } from "next/navigation";
import type { PasskeyError } from "@/lib/passkey-client/result";
import { runAction } from "@/lib/session/action";
import {
  endSession,
  requestContext,
  requireApiSession,
  requireRecentVerification,
  startSession,
} from "@/lib/session";
import { limitAction } from "@/lib/session/guards";
import { mailAfterResponse } from "@/lib/mail/deliver";
import { emailCodeMessage } from "@/lib/mail/templates";
import { ceremonyBinding } from "@/lib/session";
import { getVault } from "@/lib/vault/instance";

/** What the browser needs to tell the passkey manager which of this account's passkeys still exist. */
async function acceptedCredentials(credentialIds: string[]) {
  const vault = getVault();
  const account = await vault.getAccount(await requireApiSession());
  return { rpId: vault.rpId, userHandle: account.userHandle, credentialIds };
}

/** What the browser needs to tell the passkey manager the account's current name and email. */
function currentUserDetails(account: { userHandle: string; email: string; displayName: string }) {
  return { rpId: getVault().rpId, userHandle: account.userHandle, name: account.email, displayName: account.displayName };
}

/**
 * Step-up: exchanges the code of a re-authentication ceremony this session started for a new
 * session (new id, auth_time now, uv true) and replaces the cookie. A plain sign-in code, or one
 * from another session or user, is refused (@error/InvalidCode) and changes nothing.
 */
export async function reauthenticate(code: unknown) {
  return runAction(async () => {
    const session = await requireApiSession();
    await limitAction("codeExchanges", { accountId: session.userId });
    const principal = await getVault().reauthenticate(code, session, await requestContext());
    await startSession(principal);
    return {};
  });
}

export async function renamePasskey(passkeyId: unknown, name: unknown) {
  return runAction(async () => {
    const session = await requireApiSession();
    const passkey = await getVault().renamePasskey(session, passkeyId, name);
    return { name: passkey.name };
  });
}

/** Needs recent verification. Answers the remaining credential ids for signalAllAcceptedCredentials. */
export async function deletePasskey(passkeyId: unknown) {
  return runAction(async () => {
    const session = await requireRecentVerification();
    const remaining = await getVault().deletePasskey(session, passkeyId);
    return acceptedCredentials(remaining.map((passkey) => passkey.credentialId));
  });
}

/**
 * Needs recent verification. Answers the new details for signalCurrentUserDetails. "That email is
 * taken" tells whether an account exists, so this is an email lookup: limited per address and per
 * account (the prober's own).
 */
export async function changeEmail(email: unknown) {
  return runAction(async () => {
    const session = await requireRecentVerification();
    await limitAction("emailLookups", { accountId: session.userId });
    const vault = getVault();
    const account = await vault.changeEmail(session, email);
    // The new address is unconfirmed: its code goes out at once, as after sign-up.
    const delivery = account.emailVerified ? null : await vault.requestEmailVerification(session, await ceremonyBinding());
    if (delivery) mailAfterResponse(emailCodeMessage(delivery, vault.origin));
    return currentUserDetails(account);
  });
}

export async function changeDisplayName(displayName: unknown) {
  return runAction(async () => {
    const session = await requireApiSession();
    return currentUserDetails(await getVault().changeDisplayName(session, displayName));
  });
}

/** Needs recent verification. Signs out one of this account's other sessions. */
export async function signOutSession(sessionId: unknown) {
  return runAction(async () => {
    const session = await requireRecentVerification();
    await getVault().revokeOtherSession(session, sessionId);
    return {};
  });
}

/** Needs recent verification. Signs out every session of this account but this one. */
export async function signOutOtherSessions() {
  return runAction(async () => {
    const session = await requireRecentVerification();
    return { ended: await getVault().revokeOtherSessions(session) };
  });
}

/**
 * Needs recent verification and the account's email typed as confirmation. Deletes the account
 * (its sessions go with it, so this browser's cookie opens nothing from here on) and answers what
 * the browser needs to tell the passkey manager that no passkey for this account is accepted any
 * more (an empty list). The browser then calls leaveDeletedAccount.
 *
 * The cookie is not cleared here: an action that changes a cookie makes Next re-render the current
 * page into its answer, and /account rendered without a session redirects to the login page,
 * racing the browser's own way home.
 */
export async function deleteAccount(confirmation: unknown) {
  return runAction(async () => {
    const session = await requireRecentVerification();
    const vault = getVault();
    const { userHandle } = await vault.deleteAccount(session, confirmation);
    return { rpId: vault.rpId, userHandle, credentialIds: [] as string[] };
  });
}

/**
 * After deleteAccount: clears this browser's session cookie and goes home, whose page arrives in
 * the same answer, rendered signed out. Needs no session (there is none left); it only ever signs
 * the caller's own browser out, and runAction refuses it cross-site.
 */
export async function leaveDeletedAccount(): Promise<{ ok: false; error: PasskeyError }> {
  const result = await runAction(async () => {
    await endSession();
    return {};
  });
  if (!result.ok) return result;
  // replace: Back should not return to the account page of an account that no longer exists.
  redirect("/", RedirectType.replace);
}

/**
 * Mails a code to the account's own address (unverified ones only). Limited per address and per
 * account; the vault also caps codes per account. Bound to this browser's ceremony cookie.
 */
export async function sendVerificationCode() {
  return runAction(async () => {
    const session = await requireApiSession();
    await limitAction("emailLookups", { accountId: session.userId });
    const vault = getVault();
    const delivery = await vault.requestEmailVerification(session, await ceremonyBinding());
    if (delivery) mailAfterResponse(emailCodeMessage(delivery, vault.origin));
    return {};
  });
}

/** `{ code }` or `{ link }` from the mail: confirms the account's email (what recovery needs). */
export async function confirmEmail(body: { code: unknown } | { link: unknown }) {
  return runAction(async () => {
    const session = await requireApiSession();
    await limitAction("codeExchanges", { accountId: session.userId });
    const account = await getVault().verifyEmail(session, body, (await requestContext()).browserBinding);
    return { emailVerified: account.emailVerified };
  });
}
