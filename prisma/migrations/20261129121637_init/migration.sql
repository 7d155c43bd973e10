-- CreateTable
CREATE TABLE "Provider" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "Product" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "providerId" INTEGER NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    CONSTRAINT "Product_providerId_fkey" FOREIGN KEY ("providerId") REFERENCES "Provider" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Region" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "providerId" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    CONSTRAINT "Region_providerId_fkey" FOREIGN KEY ("providerId") REFERENCES "Provider" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CatalogVersion" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "providerId" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    "importedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "source" TEXT NOT NULL,
    "checksum" TEXT NOT NULL,
    "note" TEXT,
    CONSTRAINT "CatalogVersion_providerId_fkey" FOREIGN KEY ("providerId") REFERENCES "Provider" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PublishedEntry" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "catalogVersionId" INTEGER NOT NULL,
    "regionId" INTEGER NOT NULL,
    "cidr" TEXT NOT NULL,
    "family" INTEGER NOT NULL,
    "prefixLength" INTEGER NOT NULL,
    "firstHex" TEXT NOT NULL,
    "lastHex" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    CONSTRAINT "PublishedEntry_catalogVersionId_fkey" FOREIGN KEY ("catalogVersionId") REFERENCES "CatalogVersion" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "PublishedEntry_regionId_fkey" FOREIGN KEY ("regionId") REFERENCES "Region" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "EntryProduct" (
    "entryId" INTEGER NOT NULL,
    "productId" INTEGER NOT NULL,

    PRIMARY KEY ("entryId", "productId"),
    CONSTRAINT "EntryProduct_entryId_fkey" FOREIGN KEY ("entryId") REFERENCES "PublishedEntry" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "EntryProduct_productId_fkey" FOREIGN KEY ("productId") REFERENCES "Product" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Firewall" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "headRevision" INTEGER NOT NULL DEFAULT 0
);

-- CreateTable
CREATE TABLE "FirewallRevision" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "firewallId" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "regions" TEXT NOT NULL,
    "port" INTEGER NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "FirewallRevision_firewallId_fkey" FOREIGN KEY ("firewallId") REFERENCES "Firewall" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ExportRecord" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "format" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "options" TEXT NOT NULL,
    "catalogVersionId" INTEGER NOT NULL,
    "entryCount" INTEGER NOT NULL,
    CONSTRAINT "ExportRecord_catalogVersionId_fkey" FOREIGN KEY ("catalogVersionId") REFERENCES "CatalogVersion" ("id") ON DELETE CASCADE ON UPDATE CASCADE
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
CREATE UNIQUE INDEX "Firewall_name_key" ON "Firewall"("name");

-- CreateIndex
CREATE UNIQUE INDEX "FirewallRevision_firewallId_number_key" ON "FirewallRevision"("firewallId", "number");
