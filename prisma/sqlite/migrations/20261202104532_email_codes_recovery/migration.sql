-- AlterTable
ALTER TABLE "sessions" ADD COLUMN "kind" TEXT;

-- AlterTable
ALTER TABLE "users" ADD COLUMN "emailVerifiedAt" DATETIME;

-- CreateTable
CREATE TABLE "email_codes" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "codeHash" TEXT NOT NULL,
    "linkTokenHash" TEXT NOT NULL,
    "browserBindingHash" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "expiresAt" DATETIME NOT NULL,
    "consumedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "email_codes_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "email_codes_linkTokenHash_key" ON "email_codes"("linkTokenHash");

-- CreateIndex
CREATE INDEX "email_codes_userId_purpose_idx" ON "email_codes"("userId", "purpose");

-- CreateIndex
CREATE INDEX "email_codes_expiresAt_idx" ON "email_codes"("expiresAt");
