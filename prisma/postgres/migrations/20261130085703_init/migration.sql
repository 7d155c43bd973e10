-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "Provider" (
    "id" SERIAL NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "Provider_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Product" (
    "id" SERIAL NOT NULL,
    "providerId" INTEGER NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "Product_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Region" (
    "id" SERIAL NOT NULL,
    "providerId" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "Region_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CatalogVersion" (
    "id" SERIAL NOT NULL,
    "providerId" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    "importedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "source" TEXT NOT NULL,
    "checksum" TEXT NOT NULL,
    "note" TEXT,

    CONSTRAINT "CatalogVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PublishedEntry" (
    "id" SERIAL NOT NULL,
    "catalogVersionId" INTEGER NOT NULL,
    "regionId" INTEGER NOT NULL,
    "cidr" TEXT NOT NULL,
    "family" INTEGER NOT NULL,
    "prefixLength" INTEGER NOT NULL,
    "firstHex" TEXT NOT NULL,
    "lastHex" TEXT NOT NULL,
    "position" INTEGER NOT NULL,

    CONSTRAINT "PublishedEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EntryProduct" (
    "entryId" INTEGER NOT NULL,
    "productId" INTEGER NOT NULL,

    CONSTRAINT "EntryProduct_pkey" PRIMARY KEY ("entryId","productId")
);

-- CreateTable
CREATE TABLE "Firewall" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "nameKey" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "headRevision" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "Firewall_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FirewallRevision" (
    "id" SERIAL NOT NULL,
    "firewallId" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "regions" TEXT NOT NULL,
    "port" INTEGER NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FirewallRevision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ExportRecord" (
    "id" SERIAL NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "format" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "options" TEXT NOT NULL,
    "catalogVersionId" INTEGER NOT NULL,
    "entryCount" INTEGER NOT NULL,
    "regions" TEXT NOT NULL DEFAULT '',
    "channel" TEXT NOT NULL DEFAULT 'download',
    "source" TEXT NOT NULL DEFAULT 'catalog',
    "firewallId" INTEGER,
    "actor" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "ExportRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Feed" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "regions" TEXT NOT NULL DEFAULT '',
    "family" TEXT NOT NULL DEFAULT 'both',
    "aggregate" BOOLEAN NOT NULL DEFAULT true,
    "firewallId" INTEGER,
    "format" TEXT NOT NULL DEFAULT 'plain',
    "tokenHash" TEXT NOT NULL,
    "tokenHint" TEXT NOT NULL,
    "revokedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "pollMinutes" INTEGER NOT NULL DEFAULT 60,
    "lastPolledAt" TIMESTAMPTZ(3),
    "lastUserAgent" TEXT,
    "lastAddress" TEXT,
    "pollCount" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "Feed_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Webhook" (
    "id" SERIAL NOT NULL,
    "url" TEXT NOT NULL,
    "secret" TEXT NOT NULL,
    "regions" TEXT NOT NULL DEFAULT '',
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Webhook_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NotificationDelivery" (
    "id" SERIAL NOT NULL,
    "channel" TEXT NOT NULL,
    "webhookId" INTEGER,
    "target" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "responseCode" INTEGER,
    "log" TEXT NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "NotificationDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Provider_slug_key" ON "Provider"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "Product_providerId_slug_key" ON "Product"("providerId", "slug");

-- CreateIndex
CREATE UNIQUE INDEX "Region_providerId_code_key" ON "Region"("providerId", "code");

-- CreateIndex
CREATE UNIQUE INDEX "CatalogVersion_providerId_version_key" ON "CatalogVersion"("providerId", "version");

-- CreateIndex
CREATE UNIQUE INDEX "CatalogVersion_providerId_checksum_key" ON "CatalogVersion"("providerId", "checksum");

-- CreateIndex
CREATE INDEX "PublishedEntry_firstHex_idx" ON "PublishedEntry"("firstHex");

-- CreateIndex
CREATE UNIQUE INDEX "PublishedEntry_catalogVersionId_regionId_cidr_key" ON "PublishedEntry"("catalogVersionId", "regionId", "cidr");

-- CreateIndex
CREATE UNIQUE INDEX "Firewall_nameKey_key" ON "Firewall"("nameKey");

-- CreateIndex
CREATE UNIQUE INDEX "FirewallRevision_firewallId_number_key" ON "FirewallRevision"("firewallId", "number");

-- CreateIndex
CREATE INDEX "ExportRecord_createdAt_idx" ON "ExportRecord"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Feed_tokenHash_key" ON "Feed"("tokenHash");

-- CreateIndex
CREATE INDEX "NotificationDelivery_createdAt_idx" ON "NotificationDelivery"("createdAt");

-- AddForeignKey
ALTER TABLE "Product" ADD CONSTRAINT "Product_providerId_fkey" FOREIGN KEY ("providerId") REFERENCES "Provider"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Region" ADD CONSTRAINT "Region_providerId_fkey" FOREIGN KEY ("providerId") REFERENCES "Provider"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CatalogVersion" ADD CONSTRAINT "CatalogVersion_providerId_fkey" FOREIGN KEY ("providerId") REFERENCES "Provider"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PublishedEntry" ADD CONSTRAINT "PublishedEntry_catalogVersionId_fkey" FOREIGN KEY ("catalogVersionId") REFERENCES "CatalogVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PublishedEntry" ADD CONSTRAINT "PublishedEntry_regionId_fkey" FOREIGN KEY ("regionId") REFERENCES "Region"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EntryProduct" ADD CONSTRAINT "EntryProduct_entryId_fkey" FOREIGN KEY ("entryId") REFERENCES "PublishedEntry"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EntryProduct" ADD CONSTRAINT "EntryProduct_productId_fkey" FOREIGN KEY ("productId") REFERENCES "Product"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FirewallRevision" ADD CONSTRAINT "FirewallRevision_firewallId_fkey" FOREIGN KEY ("firewallId") REFERENCES "Firewall"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExportRecord" ADD CONSTRAINT "ExportRecord_catalogVersionId_fkey" FOREIGN KEY ("catalogVersionId") REFERENCES "CatalogVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Feed" ADD CONSTRAINT "Feed_firewallId_fkey" FOREIGN KEY ("firewallId") REFERENCES "Firewall"("id") ON DELETE CASCADE ON UPDATE CASCADE;
