-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ExportRecord" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
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
    CONSTRAINT "ExportRecord_catalogVersionId_fkey" FOREIGN KEY ("catalogVersionId") REFERENCES "CatalogVersion" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_ExportRecord" ("catalogVersionId", "createdAt", "entryCount", "format", "id", "options", "scope") SELECT "catalogVersionId", "createdAt", "entryCount", "format", "id", "options", "scope" FROM "ExportRecord";
DROP TABLE "ExportRecord";
ALTER TABLE "new_ExportRecord" RENAME TO "ExportRecord";
CREATE INDEX "ExportRecord_createdAt_idx" ON "ExportRecord"("createdAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
