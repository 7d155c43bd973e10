import type { Metadata } from "next";
import Link from "next/link";
import { DatabaseProblem } from "@/components/DatabaseProblem";
import { formatTime } from "@/components/firewalls/time";
import { LineDiffView } from "@/components/firewalls/LineDiffView";
import { RestoreRevisionButton } from "@/components/firewalls/RestoreRevisionButton";
import { StatusBadge } from "@/components/firewalls/StatusBadge";
import { getDb } from "@/lib/db/client";
import { DatabaseError } from "@/lib/db/errors";
import { listFirewallRevisions, type Revision, type RevisionPage } from "@/lib/db/firewall";
import { diffLines, type LineDiff } from "@/lib/firewall/linediff";
import { computeStatus, statusLabel, type FirewallStatus } from "@/lib/firewall/status";
import { FirewallHeader } from "../FirewallHeader";
import { loadFirewall } from "../../load";
import { requirePage } from "@/lib/auth/page";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Firewall history" };

/** Settings that changed between two revisions, in words. */
function settingChanges(rev: Revision, prev: Revision | undefined): string[] {
  if (!prev) return [];
  const out: string[] = [];
  if (rev.format !== prev.format) out.push(`format ${prev.format} → ${rev.format}`);
  if (rev.regions.join(",") !== prev.regions.join(","))
    out.push(`regions ${prev.regions.join(", ")} → ${rev.regions.join(", ")}`);
  if (rev.port !== prev.port) out.push(`port ${prev.port} → ${rev.port}`);
  return out;
}

/** Revisions per page. */
const PAGE_SIZE = 10;
/** Line diffs of texts up to this size are computed with the page; larger ones when asked for (?diff=N). */
const EAGER_DIFF_CHARS = 256 * 1024;
/** Each revision's coverage is computed with the page up to this size; larger ones when asked for (?diff=N). */
const EAGER_COVERAGE_CHARS = 1024 * 1024;

function positiveInt(value: string | string[] | undefined): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return v !== undefined && /^[1-9]\d{0,9}$/.test(v) ? Number(v) : undefined;
}

export default async function FirewallHistoryPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requirePage("firewall:read", `/firewalls/${encodeURIComponent((await params).id)}/history`);
  const query = await searchParams;
  const before = positiveInt(query.before);
  const wanted = positiveInt(query.diff);
  const restored = positiveInt(query.restored);
  let data;
  let page: RevisionPage;
  try {
    data = await loadFirewall(params);
    page = await listFirewallRevisions(getDb(), data.firewall.id, {
      limit: PAGE_SIZE,
      ...(before !== undefined ? { before } : {}),
    });
  } catch (error) {
    if (error instanceof DatabaseError) return <DatabaseProblem message={error.message} />;
    throw error;
  }
  const { firewall, catalog } = data;
  /** A revision's coverage against the current catalog (as the list shows the head's): small texts with the page. */
  const coverage = (rev: Revision): FirewallStatus | undefined =>
    rev.text.length <= EAGER_COVERAGE_CHARS || wanted === rev.number
      ? computeStatus(catalog.entries, catalog.version.version, {
          text: rev.text,
          format: rev.format,
          regions: rev.regions,
          port: rev.port,
        })
      : undefined;
  const revisions = page.revisions;
  const here = (extra: Record<string, string>) =>
    `/firewalls/${firewall.id}/history?${new URLSearchParams({ ...(before !== undefined ? { before: String(before) } : {}), ...extra })}`;
  /** The line diff of a revision against the one before it: with the page when small, else only when asked for. */
  const lineDiff = (rev: Revision, prev: Revision | undefined): LineDiff | undefined =>
    rev.text.length + (prev?.text.length ?? 0) <= EAGER_DIFF_CHARS || wanted === rev.number
      ? diffLines(prev?.text ?? "", rev.text)
      : undefined;
  return (
    <div className="space-y-6">
      <FirewallHeader firewall={firewall} title={`History of ${firewall.name}`} />
      {restored !== undefined ? (
        <p
          role="status"
          className="rounded-lg border border-emerald-300 bg-emerald-50 p-3 text-sm text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-100"
          data-testid="restored"
        >
          Revision {restored} was restored: its list and settings are now revision {firewall.headRevision}, the latest.
        </p>
      ) : null}
      <ol className="space-y-3" aria-label="Revisions, newest first">
        {revisions.map((rev, i) => {
          const prev = revisions[i + 1] ?? page.previous;
          const lines = lineDiff(rev, prev);
          const settings = settingChanges(rev, prev);
          const isHead = rev.number === firewall.headRevision;
          const status = coverage(rev);
          return (
            <li
              key={rev.number}
              id={`revision-${rev.number}`}
              className="rounded-lg border border-slate-200 p-4 dark:border-slate-800"
              data-testid={`revision-${rev.number}`}
            >
              <div className="flex flex-wrap items-center justify-between gap-3">
                <div>
                  <h2 className="font-semibold">
                    Revision {rev.number}
                    {isHead ? (
                      <span className="ml-2 rounded-full bg-sky-100 px-2 py-0.5 text-xs font-medium text-sky-900 dark:bg-sky-900 dark:text-sky-100">
                        latest
                      </span>
                    ) : null}
                  </h2>
                  <p className="text-sm text-slate-600 dark:text-slate-400">
                    <time dateTime={rev.createdAt.toISOString()}>{formatTime(rev.createdAt.toISOString())}</time>
                    {" · "}
                    {rev.note ? `“${rev.note}”` : "no note"}
                    {" · "}
                    <span data-testid="line-counts">
                      {lines === undefined ? (
                        <Link
                          href={`${here({ diff: String(rev.number) })}#revision-${rev.number}`}
                          className="text-sky-700 underline underline-offset-2 dark:text-sky-400"
                        >
                          large: compare lines
                        </Link>
                      ) : lines.ok ? (
                        <>
                          <span className="text-emerald-700 dark:text-emerald-400">+{lines.added}</span>{" "}
                          <span className="text-red-700 dark:text-red-400">−{lines.removed}</span> lines
                        </>
                      ) : (
                        "too large to diff"
                      )}
                    </span>
                    {settings.length > 0 ? ` · ${settings.join(", ")}` : ""}
                  </p>
                  <p
                    className="mt-1 flex flex-wrap items-center gap-2 text-sm text-slate-600 dark:text-slate-400"
                    data-testid="revision-coverage"
                  >
                    {status === undefined ? (
                      <Link
                        href={`${here({ diff: String(rev.number) })}#revision-${rev.number}`}
                        className="text-sky-700 underline underline-offset-2 dark:text-sky-400"
                      >
                        large: check its coverage
                      </Link>
                    ) : (
                      <>
                        <StatusBadge label={statusLabel(status)} compliant={status.compliant} />
                        <span>
                          {status.covered} of {status.published} covered, {status.partial} partial, {status.missing}{" "}
                          missing (catalog version {status.catalogVersion}; {rev.regions.join(", ")}; port {rev.port})
                        </span>
                      </>
                    )}
                  </p>
                </div>
                {isHead ? null : (
                  <RestoreRevisionButton
                    firewallId={firewall.id}
                    number={rev.number}
                    head={firewall.headRevision}
                    note={rev.note}
                  />
                )}
              </div>
              {lines === undefined ? null : (
                <details className="mt-3" open={wanted === rev.number}>
                  <summary className="cursor-pointer text-sm font-medium text-sky-700 dark:text-sky-400">
                    {prev ? `Line diff against revision ${prev.number}` : "Lines of the first revision"}
                  </summary>
                  <div className="mt-2">
                    <LineDiffView diff={lines} label={`Changes in revision ${rev.number}`} />
                  </div>
                </details>
              )}
            </li>
          );
        })}
      </ol>
      {before !== undefined || page.nextBefore !== null ? (
        <nav aria-label="Revision pages" className="flex gap-4 text-sm">
          {before !== undefined ? (
            <Link
              href={`/firewalls/${firewall.id}/history`}
              className="font-medium text-sky-700 underline underline-offset-2 dark:text-sky-400"
            >
              Newest revisions
            </Link>
          ) : null}
          {page.nextBefore !== null ? (
            <Link
              href={`/firewalls/${firewall.id}/history?before=${page.nextBefore}`}
              className="font-medium text-sky-700 underline underline-offset-2 dark:text-sky-400"
            >
              Older revisions
            </Link>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}
