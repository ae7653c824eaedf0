-- AlterTable
ALTER TABLE "challenges" ADD COLUMN "browserBindingHash" TEXT;

-- AlterTable
ALTER TABLE "codes" ADD COLUMN "browserBindingHash" TEXT;

