import { notFound } from "next/navigation";
import type { CompareCatalog } from "@/components/compare/CompareWorkbench";
import { getCurrentCatalog, type CurrentCatalog } from "@/lib/db/catalog";
import { getDb } from "@/lib/db/client";
import { getFirewall, type FirewallWithHead } from "@/lib/db/firewall";
import { ensureAppDatabase } from "@/lib/db/ready";
import { firewallIdSchema } from "@/lib/firewall/schema";

/** The firewall of a [id] route with the current catalog; unknown or malformed ids are a 404. */
export async function loadFirewall(
  params: Promise<{ id: string }>,
): Promise<{ firewall: FirewallWithHead; catalog: CurrentCatalog }> {
  const id = firewallIdSchema.safeParse((await params).id);
  if (!id.success) notFound();
  await ensureAppDatabase();
  const db = getDb();
  const [firewall, catalog] = await Promise.all([getFirewall(db, id.data), getCurrentCatalog(db)]);
  if (firewall === null) notFound();
  return { firewall, catalog };
}

/** Only what the workbench needs, so the page does not ship the stored hex columns to the browser. */
export function compareCatalog(catalog: CurrentCatalog): CompareCatalog {
  return {
    entries: catalog.entries.map((e) => ({ cidr: e.cidr, region: e.region, products: e.products })),
    regions: catalog.regions,
    version: catalog.version.version,
  };
}
