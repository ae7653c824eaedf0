-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_sessions" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "passkeyId" TEXT,
    "userVerified" BOOLEAN NOT NULL,
    "authTime" DATETIME NOT NULL,
    "userAgent" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "revokedAt" DATETIME,
    "kind" TEXT,
    "method" TEXT NOT NULL DEFAULT 'passkey',
    CONSTRAINT "sessions_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_sessions" ("authTime", "createdAt", "expiresAt", "id", "kind", "lastSeenAt", "passkeyId", "revokedAt", "userAgent", "userId", "userVerified") SELECT "authTime", "createdAt", "expiresAt", "id", "kind", "lastSeenAt", "passkeyId", "revokedAt", "userAgent", "userId", "userVerified" FROM "sessions";
DROP TABLE "sessions";
ALTER TABLE "new_sessions" RENAME TO "sessions";
CREATE INDEX "sessions_userId_idx" ON "sessions"("userId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
