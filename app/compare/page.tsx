import type { Metadata } from "next";
import { CompareScreen } from "@/components/compare/CompareScreen";
import { DatabaseProblem } from "@/components/DatabaseProblem";
import { catalogLabelOf } from "@/lib/export/describe";
import { parseRegionList } from "@/lib/catalog/regions";
import { parseIngressParam, parsePathParam } from "@/lib/parse/path-schema";
import { DEFAULT_PORT, parseFormatParam, parsePort } from "@/lib/compare/params";
import { getCatalogVersion } from "@/lib/db/catalog";
import { versionParam } from "@/lib/catalog/version-param";
import { notFound } from "next/navigation";
import { getDb } from "@/lib/db/client";
import { DatabaseError } from "@/lib/db/errors";
import { ensureAppDatabase } from "@/lib/db/ready";
import { requirePage } from "@/lib/auth/page";

export const metadata: Metadata = { title: "Compare" };
// The catalog can change with an import: never prerender it at build time.
export const dynamic = "force-dynamic";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export default async function ComparePage({ searchParams }: { searchParams: SearchParams }) {
  await requirePage("diff:run", "/compare");
  const params = await searchParams;
  let catalog;
  try {
    await ensureAppDatabase();
    catalog = await getCatalogVersion(getDb(), versionParam(first(params.version)));
  } catch (error) {
    if (error instanceof DatabaseError) return <DatabaseProblem message={error.message} />;
    throw error;
  }
  if (catalog === null) notFound();
  const codes = catalog.regions.map((r) => r.code);
  const regionChoice = parseRegionList(first(params.regions), codes);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Compare your firewall</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-600 dark:text-slate-400">
          Paste what your firewall allows today and see which {catalog.provider.name} NAT IPs are covered, which are
          missing, and what is wrong in the list. Everything is checked in your browser against catalog version{" "}
          {catalog.version.version}; nothing is uploaded.
        </p>
        {!regionChoice.ok ? (
          <p role="status" className="mt-2 text-sm text-amber-800 dark:text-amber-300">
            Unknown region in the link: {regionChoice.unknown.join(", ")}. Checking all regions.
          </p>
        ) : null}
      </div>
      <CompareScreen
        catalog={{
          entries: catalog.entries.map((e) => ({ cidr: e.cidr, region: e.region, products: e.products })),
          regions: catalog.regions,
          version: catalog.version.version,
        }}
        initialRegions={regionChoice.ok ? regionChoice.regions : codes}
        initialFormat={parseFormatParam(first(params.format))}
        initialPort={parsePort(first(params.port)) ?? DEFAULT_PORT}
        initialPath={parsePathParam(first(params.path))}
        initialIngress={parseIngressParam(first(params.ingress))}
        exportLabels={{
          provider: catalog.provider.name,
          catalogLabel: catalogLabelOf(catalog.provider.name, catalog.version.version, catalog.version.checksum),
        }}
      />
    </div>
  );
}
