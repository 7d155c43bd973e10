import { catalogChanges, type CatalogChanges } from "../catalog/changes";
import { getCatalogVersion, listCatalogVersions, type CatalogVersionSummary } from "./catalog";
import type { Db } from "./client";

export interface ChangelogItem {
  readonly version: CatalogVersionSummary;
  /** Against the version before it; null for the first. */
  readonly changes: CatalogChanges | null;
}

/** Every version, newest first, each with what changed from the one before. At most `limit` items. */
export async function getCatalogChangelog(db: Db, limit = 50): Promise<ChangelogItem[]> {
  const versions = (await listCatalogVersions(db)).slice(0, limit);
  const numbers = new Set(versions.flatMap((v) => [v.version, v.version - 1]).filter((n) => n >= 1));
  const catalogs = new Map<number, NonNullable<Awaited<ReturnType<typeof getCatalogVersion>>>>();
  for (const n of numbers) {
    const c = await getCatalogVersion(db, n);
    if (c) catalogs.set(n, c);
  }
  return versions.map((version) => {
    const now = catalogs.get(version.version);
    const before = catalogs.get(version.version - 1);
    return {
      version,
      changes:
        now && before
          ? catalogChanges(
              before.entries,
              now.entries,
              now.regions.map((r) => r.code),
            )
          : null,
    };
  });
}
