-- AlterTable
ALTER TABLE "AIUsageLog" ADD COLUMN     "teamId" UUID;

-- AlterTable
ALTER TABLE "ApiKey" ADD COLUMN     "allowedModels" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "budgets" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "expiresAt" TIMESTAMPTZ(3),
ADD COLUMN     "maxParallel" INTEGER,
ADD COLUMN     "teamId" UUID,
ADD COLUMN     "tpmLimit" INTEGER;

-- CreateTable
CREATE TABLE "Team" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "budgets" JSONB NOT NULL DEFAULT '[]',
    "rpmLimit" INTEGER,
    "tpmLimit" INTEGER,
    "maxParallel" INTEGER,
    "allowedModels" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "alertWebhookUrl" TEXT,
    "alertWebhookFormat" TEXT NOT NULL DEFAULT 'json',
    "alertWebhookSecret" TEXT,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Team_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TeamMember" (
    "teamId" UUID NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TeamMember_pkey" PRIMARY KEY ("teamId","userId")
);

-- CreateTable
CREATE TABLE "UserBudget" (
    "userId" TEXT NOT NULL,
    "budgets" JSONB NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UserBudget_pkey" PRIMARY KEY ("userId")
);

-- CreateIndex
CREATE UNIQUE INDEX "Team_name_key" ON "Team"("name");

-- CreateIndex
CREATE INDEX "TeamMember_userId_idx" ON "TeamMember"("userId");

-- CreateIndex
CREATE INDEX "AIUsageLog_teamId_createdAt_idx" ON "AIUsageLog"("teamId", "createdAt");

-- CreateIndex
CREATE INDEX "ApiKey_teamId_idx" ON "ApiKey"("teamId");

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TeamMember" ADD CONSTRAINT "TeamMember_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;
