import { toCatalogRows, type CatalogRow } from "../catalog/rows";
import { getCurrentCatalog } from "./catalog";
import { getDb } from "./client";
import { ensureAppDatabase } from "./ready";

export interface CatalogView {
  readonly provider: string;
  readonly version: number;
  readonly importedAt: string;
  readonly checksum: string;
  readonly source: string;
  readonly regions: readonly { code: string; name: string; count: number }[];
  readonly products: readonly string[];
  readonly rows: readonly CatalogRow[];
}

/** Everything the catalog screen shows, as plain serialisable values. */
export async function getCatalogView(): Promise<CatalogView> {
  await ensureAppDatabase();
  const catalog = await getCurrentCatalog(getDb());
  return {
    provider: catalog.provider.name,
    version: catalog.version.version,
    importedAt: catalog.version.importedAt.toISOString(),
    checksum: catalog.version.checksum,
    source: catalog.version.source,
    regions: catalog.regions,
    products: catalog.products,
    rows: toCatalogRows(catalog.entries),
  };
}
