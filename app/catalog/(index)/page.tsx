import type { Metadata } from "next";
import Link from "next/link";
import { CatalogExplorer } from "@/components/CatalogExplorer";
import { DatabaseProblem } from "@/components/DatabaseProblem";
import { catalogLabelOf } from "@/lib/export/describe";
import { getCatalogView } from "@/lib/db/catalog-page";
import { DatabaseError } from "@/lib/db/errors";
import { buttonClass } from "@/components/firewalls/styles";
import { versionParam } from "@/lib/catalog/version-param";
import { notFound } from "next/navigation";
import { requirePage } from "@/lib/auth/page";

export const metadata: Metadata = { title: "Catalog" };
// The catalog lives in the database and can change with an import: never prerender it at build time.
export const dynamic = "force-dynamic";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function CatalogPage({ searchParams }: { searchParams: SearchParams }) {
  await requirePage("catalog:read", "/catalog");
  const requested = versionParam((await searchParams).version);
  let catalog;
  try {
    catalog = await getCatalogView(requested);
  } catch (error) {
    // A broken or unreachable database is explained on the page; anything else is a bug for error.tsx.
    if (error instanceof DatabaseError) return <DatabaseProblem message={error.message} />;
    throw error;
  }
  if (catalog === null) notFound();
  const old = catalog.version !== catalog.latestVersion;
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">{catalog.provider} NAT IPs</h1>
          <p className="mt-1 max-w-3xl text-sm text-slate-600 dark:text-slate-400">
            Webhooks, API calls and bot flows from {catalog.products.join(" and ")} reach your servers only from these
            addresses. Pick the regions your account uses and allow them inbound (usually TCP 443).{" "}
            <Link href="/help" className="font-medium text-sky-700 underline underline-offset-2 dark:text-sky-400">
              Why these IPs, and which port?
            </Link>
          </p>
        </div>
        <div className="space-y-2 text-right">
          <p className="text-xs text-slate-500 dark:text-slate-400" data-testid="catalog-version">
            {old
              ? `Showing version ${catalog.version} (version ${catalog.latestVersion} is in use)`
              : `Version ${catalog.version} in use`}{" "}
            · imported{" "}
            <time dateTime={catalog.importedAt}>{catalog.importedAt.slice(0, 16).replace("T", " ")} UTC</time> from{" "}
            <span className="break-all">{catalog.source}</span> ·{" "}
            <span title={`sha256 ${catalog.checksum}`}>sha256 {catalog.checksum.slice(0, 12)}…</span>
          </p>
          <p className="flex justify-end gap-2">
            <Link href="/catalog/changes" className={buttonClass.secondary}>
              Changelog
            </Link>
            <Link href="/catalog/import" className={buttonClass.primary}>
              Update catalog
            </Link>
          </p>
        </div>
      </div>
      <CatalogExplorer
        rows={catalog.rows}
        regions={catalog.regions}
        exportPanel={{
          provider: catalog.provider,
          catalogLabel: catalogLabelOf(catalog.provider, catalog.version, catalog.checksum),
          catalogVersion: catalog.version,
        }}
      />
    </div>
  );
}
