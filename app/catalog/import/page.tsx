import type { Metadata } from "next";
import Link from "next/link";
import { CatalogImport } from "@/components/catalog/CatalogImport";
import { DatabaseProblem } from "@/components/DatabaseProblem";
import { getCurrentCatalog } from "@/lib/db/catalog";
import { getDb } from "@/lib/db/client";
import { DatabaseError } from "@/lib/db/errors";
import { ensureAppDatabase } from "@/lib/db/ready";
import { requirePage } from "@/lib/auth/page";

export const metadata: Metadata = { title: "Update catalog" };
export const dynamic = "force-dynamic";

export default async function CatalogImportPage() {
  await requirePage("catalog:import", "/catalog/import");
  let catalog;
  try {
    await ensureAppDatabase();
    catalog = await getCurrentCatalog(getDb());
  } catch (error) {
    if (error instanceof DatabaseError) return <DatabaseProblem message={error.message} />;
    throw error;
  }
  return (
    <div className="max-w-4xl space-y-6">
      <div>
        <p className="text-sm">
          <Link href="/catalog" className="text-sky-700 underline dark:text-sky-400">
            Catalog
          </Link>
        </p>
        <h1 className="text-2xl font-semibold tracking-tight">Update the {catalog.provider.name} catalog</h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          When {catalog.provider.name} changes its NAT IP page, read the new page here. You see what changes per region
          before anything is saved; confirming creates version {catalog.version.version + 1}.
        </p>
      </div>
      <CatalogImport currentVersion={catalog.version.version} defaultUrl={process.env.ALLOWLIST_CATALOG_URL ?? ""} />
    </div>
  );
}
