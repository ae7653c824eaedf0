-- AlterTable
ALTER TABLE "challenges" ADD COLUMN "allowCredentialIds" TEXT;
