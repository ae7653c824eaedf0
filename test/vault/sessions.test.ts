import { describe, expect, it } from "vitest";
import { testProviders } from "../support/test-db";
import { expectVaultError, signUp, useVault } from "../support/vault-harness";

describe.each(testProviders())("sessions (%s)", (provider) => {
  const t = useVault(provider);

  it("ends a session at once when it is revoked, though its JWT is still validly signed", async () => {
    const { principal } = await signUp(t.vault);
    await expect(t.vault.authenticateSession(principal.token)).resolves.toMatchObject({ userId: principal.userId });
    await t.vault.revokeSession(principal.sessionId);
    await expect(t.vault.verifySessionToken(principal.token)).resolves.toMatchObject({ sid: principal.sessionId });
    await expectVaultError(t.vault.authenticateSession(principal.token), "Unauthenticated");
  });

  it("ends a session whose row has expired", async () => {
    const { principal } = await signUp(t.vault);
    await t.db.session.update({ where: { id: principal.sessionId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await expectVaultError(t.vault.authenticateSession(principal.token), "Unauthenticated");
  });
});
