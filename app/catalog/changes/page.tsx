import type { Metadata } from "next";
import Link from "next/link";
import { ChangeTable } from "@/components/catalog/ChangeTable";
import { DatabaseProblem } from "@/components/DatabaseProblem";
import { getCatalogChangelog } from "@/lib/db/catalog-changelog";
import { getDb } from "@/lib/db/client";
import { DatabaseError } from "@/lib/db/errors";
import { ensureAppDatabase } from "@/lib/db/ready";
import { requirePage } from "@/lib/auth/page";

export const metadata: Metadata = { title: "Catalog changelog" };
export const dynamic = "force-dynamic";

export default async function ChangelogPage() {
  await requirePage("catalog:read", "/catalog/changes");
  let items;
  try {
    await ensureAppDatabase();
    items = await getCatalogChangelog(getDb());
  } catch (error) {
    if (error instanceof DatabaseError) return <DatabaseProblem message={error.message} />;
    throw error;
  }
  return (
    <div className="max-w-5xl space-y-6">
      <div>
        <p className="text-sm">
          <Link href="/catalog" className="text-sky-700 underline dark:text-sky-400">
            Catalog
          </Link>
        </p>
        <h1 className="text-2xl font-semibold tracking-tight">Catalog changelog</h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          Every imported version, newest first, with what changed from the one before.
        </p>
      </div>
      <ol className="space-y-8">
        {items.map(({ version, changes }) => (
          <li key={version.version} aria-labelledby={`v${version.version}`} data-testid="changelog-version">
            <h2 id={`v${version.version}`} className="text-lg font-semibold">
              Version {version.version}
              <span className="ml-2 text-sm font-normal text-slate-600 dark:text-slate-400">
                imported{" "}
                <time dateTime={version.importedAt.toISOString()}>
                  {version.importedAt.toISOString().slice(0, 16).replace("T", " ")} UTC
                </time>{" "}
                from <span className="break-all">{version.source}</span> · {version.entryCount} entries
              </span>
            </h2>
            <p className="mb-2 text-sm">
              <Link href={`/catalog?version=${version.version}`} className="text-sky-700 underline dark:text-sky-400">
                View this version
              </Link>
              {" · "}
              <Link href={`/compare?version=${version.version}`} className="text-sky-700 underline dark:text-sky-400">
                Compare against it
              </Link>
            </p>
            {changes === null ? (
              <p className="text-sm text-slate-600 dark:text-slate-400">
                The first version{version.note ? ` (${version.note})` : ""}.
              </p>
            ) : changes.identical ? (
              <p className="text-sm">No change in the list.</p>
            ) : (
              <>
                <p className="mb-2 text-sm">
                  {changes.added} added, {changes.removed} removed, {changes.unchanged} unchanged.
                </p>
                <ChangeTable changes={changes} caption={`Changes in version ${version.version}`} />
              </>
            )}
          </li>
        ))}
      </ol>
    </div>
  );
}
