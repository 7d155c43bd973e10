import type { Metadata } from "next";
import Link from "next/link";
import { DatabaseProblem } from "@/components/DatabaseProblem";
import { exportFormatGroups, formatLabelOf, summarizeStoredOptions } from "@/lib/export/describe";
import { getDb } from "@/lib/db/client";
import { DatabaseError } from "@/lib/db/errors";
import { listExportRecords, type ExportRecordView } from "@/lib/db/export-record";
import { ensureAppDatabase } from "@/lib/db/ready";
import { exporters } from "@/lib/export/registry";
import { requirePage } from "@/lib/auth/page";

export const metadata: Metadata = { title: "Exports" };
// The log grows with every export: never prerender it.
export const dynamic = "force-dynamic";

const CHANNEL: Record<string, string> = { copy: "Copied", download: "Downloaded", api: "API", cli: "CLI" };

function scopeText(r: ExportRecordView): string {
  if (r.scope === "sync") return "Sync (removes what is no longer published)";
  if (r.scope !== "missing") return "Full allowlist";
  return r.source === "firewall" && r.firewallId !== null
    ? `Missing from firewall #${r.firewallId}`
    : "Missing from a pasted list";
}

export default async function ExportsPage() {
  await requirePage("catalog:read", "/exports");
  let records: ExportRecordView[];
  try {
    await ensureAppDatabase();
    records = await listExportRecords(getDb());
  } catch (error) {
    if (error instanceof DatabaseError) return <DatabaseProblem message={error.message} />;
    throw error;
  }
  return (
    <div className="space-y-10">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Exports</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-600 dark:text-slate-400">
          Every rule set handed out — copied or downloaded on the dashboard, fetched from{" "}
          <code className="rounded bg-slate-100 px-1 dark:bg-slate-800">/api/v1/export</code> or written by{" "}
          <code className="rounded bg-slate-100 px-1 dark:bg-slate-800">allowlist export</code> — newest first.
        </p>
      </div>

      <section aria-labelledby="export-log-title" className="space-y-3">
        <h2 id="export-log-title" className="text-lg font-semibold tracking-tight">
          Export log <span className="text-sm font-normal text-slate-500 dark:text-slate-400">({records.length})</span>
        </h2>
        {records.length === 0 ? (
          <div
            className="rounded-lg border border-dashed border-slate-300 p-10 text-center dark:border-slate-700"
            data-testid="exports-empty"
          >
            <p className="font-medium">No exports yet</p>
            <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
              Open the{" "}
              <Link href="/catalog" className="font-medium text-sky-700 underline underline-offset-2 dark:text-sky-400">
                catalog
              </Link>{" "}
              or{" "}
              <Link href="/compare" className="font-medium text-sky-700 underline underline-offset-2 dark:text-sky-400">
                compare a list
              </Link>
              , pick a format and copy or download it: it will be listed here.
            </p>
          </div>
        ) : (
          <div className="relative overflow-x-auto rounded-lg border border-slate-200 dark:border-slate-800">
            <table className="w-full min-w-[960px] text-left text-sm" data-testid="exports-table">
              <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-600 dark:bg-slate-900 dark:text-slate-400">
                <tr>
                  {["Time (UTC)", "Format", "Scope", "Regions", "Options", "Catalog", "Entries", "How", "By"].map(
                    (h) => (
                      <th key={h} scope="col" className="px-3 py-2 font-semibold">
                        {h}
                      </th>
                    ),
                  )}
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
                {records.map((r) => (
                  <tr
                    key={r.id}
                    className="align-top hover:bg-slate-50 dark:hover:bg-slate-900/60"
                    data-format={r.format}
                  >
                    <td className="whitespace-nowrap px-3 py-1.5 tabular-nums">
                      <time dateTime={r.createdAt}>{r.createdAt.slice(0, 19).replace("T", " ")}</time>
                    </td>
                    <td className="px-3 py-1.5" title={r.format}>
                      {formatLabelOf(r.format)}
                    </td>
                    <td className="whitespace-nowrap px-3 py-1.5">{scopeText(r)}</td>
                    <td className="whitespace-nowrap px-3 py-1.5">
                      {r.regions.length > 0 ? r.regions.join(", ") : "All"}
                    </td>
                    <td className="px-3 py-1.5 text-xs text-slate-600 dark:text-slate-400">
                      {summarizeStoredOptions(r.options)}
                    </td>
                    <td className="whitespace-nowrap px-3 py-1.5 tabular-nums">v{r.catalogVersion}</td>
                    <td className="px-3 py-1.5 tabular-nums">{r.entryCount}</td>
                    <td className="whitespace-nowrap px-3 py-1.5">{CHANNEL[r.channel] ?? r.channel}</td>
                    <td className="whitespace-nowrap px-3 py-1.5 text-xs text-slate-600 dark:text-slate-400">
                      {r.actor}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="format-gallery-title" className="space-y-4">
        <div>
          <h2 id="format-gallery-title" className="text-lg font-semibold tracking-tight">
            Formats
          </h2>
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
            What each format can hold. Anything a format cannot express is refused with a reason, never dropped.
          </p>
        </div>
        {exportFormatGroups.map((group) => (
          <div key={group.label} className="space-y-2">
            <h3 className="text-sm font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-400">
              {group.label}
            </h3>
            <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3" data-testid={`gallery-${group.label}`}>
              {group.ids.map((id) => {
                const e = exporters[id];
                const yes = (on: boolean) => (on ? "yes" : "no");
                return (
                  <li
                    key={id}
                    className="rounded-lg border border-slate-200 p-3 dark:border-slate-800"
                    data-format={id}
                  >
                    <p className="font-medium">{e.label}</p>
                    <p className="font-mono text-xs text-slate-500 dark:text-slate-400">
                      {id} · .{e.extension}
                    </p>
                    <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 text-xs">
                      <dt className="text-slate-500 dark:text-slate-400">Families</dt>
                      <dd>{e.supports.families.map((f) => `IPv${f}`).join(", ")}</dd>
                      <dt className="text-slate-500 dark:text-slate-400">Ports</dt>
                      <dd>{yes(e.supports.ports)}</dd>
                      <dt className="text-slate-500 dark:text-slate-400">Destination</dt>
                      <dd>{yes(e.supports.destination)}</dd>
                      <dt className="text-slate-500 dark:text-slate-400">Comments</dt>
                      <dd>{yes(e.supports.comments)}</dd>
                    </dl>
                  </li>
                );
              })}
            </ul>
          </div>
        ))}
      </section>
    </div>
  );
}
