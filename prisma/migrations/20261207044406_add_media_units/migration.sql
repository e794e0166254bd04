-- AlterTable
ALTER TABLE "AIUsageLog" ADD COLUMN     "quantity" DECIMAL(20,6),
ADD COLUMN     "unit" TEXT;
