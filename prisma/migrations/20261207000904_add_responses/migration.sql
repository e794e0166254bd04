-- CreateTable
CREATE TABLE "AIResponse" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "apiKeyId" UUID,
    "requestId" TEXT NOT NULL,
    "provider" TEXT,
    "requestedModel" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "previousResponseId" TEXT,
    "storedUpstream" BOOLEAN NOT NULL DEFAULT false,
    "background" BOOLEAN NOT NULL DEFAULT false,
    "response" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3),

    CONSTRAINT "AIResponse_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AIResponseItem" (
    "responseId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "itemId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "item" JSONB NOT NULL,

    CONSTRAINT "AIResponseItem_pkey" PRIMARY KEY ("responseId","kind","position")
);

-- CreateIndex
CREATE INDEX "AIResponse_userId_createdAt_idx" ON "AIResponse"("userId", "createdAt");

-- CreateIndex
CREATE INDEX "AIResponse_expiresAt_idx" ON "AIResponse"("expiresAt");

-- CreateIndex
CREATE INDEX "AIResponseItem_userId_itemId_idx" ON "AIResponseItem"("userId", "itemId");

-- AddForeignKey
ALTER TABLE "AIResponseItem" ADD CONSTRAINT "AIResponseItem_responseId_fkey" FOREIGN KEY ("responseId") REFERENCES "AIResponse"("id") ON DELETE CASCADE ON UPDATE CASCADE;
