-- Edited after generation: existing rows get their nameKey from lower(name), so the migration works on a
-- non-empty table (Prisma's generated INSERT left the new required column out).
-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Firewall" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "nameKey" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "headRevision" INTEGER NOT NULL DEFAULT 0
);
INSERT INTO "new_Firewall" ("createdAt", "description", "headRevision", "id", "name", "nameKey", "updatedAt") SELECT "createdAt", "description", "headRevision", "id", "name", lower("name"), "updatedAt" FROM "Firewall";
DROP TABLE "Firewall";
ALTER TABLE "new_Firewall" RENAME TO "Firewall";
CREATE UNIQUE INDEX "Firewall_nameKey_key" ON "Firewall"("nameKey");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
