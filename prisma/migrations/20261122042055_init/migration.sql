-- CreateTable
CREATE TABLE "AIUsageLog" (
    "id" UUID NOT NULL,
    "requestId" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL DEFAULT 1,
    "userId" TEXT NOT NULL,
    "apiKeyId" UUID,
    "provider" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "requestedModel" TEXT NOT NULL,
    "requestType" TEXT NOT NULL,
    "stream" BOOLEAN NOT NULL DEFAULT false,
    "promptTokens" INTEGER,
    "cacheReadTokens" INTEGER,
    "cacheWriteTokens" INTEGER,
    "completionTokens" INTEGER,
    "reasoningTokens" INTEGER,
    "totalTokens" INTEGER,
    "usageSource" TEXT NOT NULL,
    "costUsd" DECIMAL(24,12),
    "pricing" JSONB,
    "isSuccess" BOOLEAN NOT NULL,
    "errorCode" TEXT,
    "httpStatus" INTEGER,
    "latencyMs" INTEGER NOT NULL,
    "timeToFirstTokenMs" INTEGER,
    "characterId" TEXT,
    "chatId" TEXT,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AIUsageLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiKey" (
    "id" UUID NOT NULL,
    "keyHash" TEXT NOT NULL,
    "keyPrefix" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "name" TEXT,
    "budgetUsd" DECIMAL(24,12),
    "rpmLimit" INTEGER,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ApiKey_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AIUsageLog_userId_createdAt_idx" ON "AIUsageLog"("userId", "createdAt");

-- CreateIndex
CREATE INDEX "AIUsageLog_provider_createdAt_idx" ON "AIUsageLog"("provider", "createdAt");

-- CreateIndex
CREATE INDEX "AIUsageLog_apiKeyId_createdAt_idx" ON "AIUsageLog"("apiKeyId", "createdAt");

-- CreateIndex
CREATE INDEX "AIUsageLog_createdAt_idx" ON "AIUsageLog"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "AIUsageLog_requestId_attempt_key" ON "AIUsageLog"("requestId", "attempt");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_keyHash_key" ON "ApiKey"("keyHash");

-- CreateIndex
CREATE INDEX "ApiKey_userId_idx" ON "ApiKey"("userId");
