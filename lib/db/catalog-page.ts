import { toCatalogRows, type CatalogRow } from "../catalog/rows";
import { getCatalogVersion } from "./catalog";
import { getDb } from "./client";
import { ensureAppDatabase } from "./ready";

export interface CatalogView {
  readonly provider: string;
  readonly version: number;
  /** The newest version: `version` is older when a ?version= link asked for it. */
  readonly latestVersion: number;
  readonly importedAt: string;
  readonly checksum: string;
  readonly source: string;
  readonly regions: readonly { code: string; name: string; count: number }[];
  readonly products: readonly string[];
  readonly rows: readonly CatalogRow[];
}

/** Everything the catalog screen shows, as plain serialisable values; null when there is no such version. */
export async function getCatalogView(version?: number): Promise<CatalogView | null> {
  await ensureAppDatabase();
  const [catalog, latest] = await Promise.all([
    getCatalogVersion(getDb(), version),
    getCatalogVersion(getDb(), undefined),
  ]);
  if (catalog === null || latest === null) return null;
  return {
    latestVersion: latest.version.version,
    provider: catalog.provider.name,
    version: catalog.version.version,
    importedAt: catalog.version.importedAt.toISOString(),
    checksum: catalog.version.checksum,
    source: catalog.version.source,
    regions: catalog.regions,
    products: catalog.products,
    rows: toCatalogRows(catalog),
  };
}
