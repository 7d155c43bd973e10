import type { Metadata } from "next";
import { DatabaseProblem } from "@/components/DatabaseProblem";
import { formatTime } from "@/components/firewalls/time";
import { LineDiffView } from "@/components/firewalls/LineDiffView";
import { RestoreRevisionButton } from "@/components/firewalls/RestoreRevisionButton";
import { getDb } from "@/lib/db/client";
import { DatabaseError } from "@/lib/db/errors";
import { listFirewallRevisions, type Revision } from "@/lib/db/firewall";
import { diffLines } from "@/lib/firewall/linediff";
import { FirewallHeader } from "../FirewallHeader";
import { loadFirewall } from "../../load";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Firewall history" };

/** Settings that changed between two revisions, in words. */
function settingChanges(rev: Revision, prev: Revision | undefined): string[] {
  if (!prev) return [];
  const out: string[] = [];
  if (rev.format !== prev.format) out.push(`format ${prev.format} → ${rev.format}`);
  if (rev.regions.join(",") !== prev.regions.join(",")) out.push(`regions ${prev.regions.join(", ")} → ${rev.regions.join(", ")}`);
  if (rev.port !== prev.port) out.push(`port ${prev.port} → ${rev.port}`);
  return out;
}

export default async function FirewallHistoryPage({ params }: { params: Promise<{ id: string }> }) {
  let data;
  let revisions: Revision[];
  try {
    data = await loadFirewall(params);
    revisions = await listFirewallRevisions(getDb(), data.firewall.id);
  } catch (error) {
    if (error instanceof DatabaseError) return <DatabaseProblem message={error.message} />;
    throw error;
  }
  const { firewall } = data;
  return (
    <div className="space-y-6">
      <FirewallHeader firewall={firewall} title={`History of ${firewall.name}`} />
      <ol className="space-y-3" aria-label="Revisions, newest first">
        {revisions.map((rev, i) => {
          const prev = revisions[i + 1];
          const lines = diffLines(prev?.text ?? "", rev.text);
          const settings = settingChanges(rev, prev);
          const isHead = rev.number === firewall.headRevision;
          return (
            <li key={rev.number} className="rounded-lg border border-slate-200 p-4 dark:border-slate-800" data-testid={`revision-${rev.number}`}>
              <div className="flex flex-wrap items-center justify-between gap-3">
                <div>
                  <h2 className="font-semibold">
                    Revision {rev.number}
                    {isHead ? <span className="ml-2 rounded-full bg-sky-100 px-2 py-0.5 text-xs font-medium text-sky-900 dark:bg-sky-900 dark:text-sky-100">latest</span> : null}
                  </h2>
                  <p className="text-sm text-slate-600 dark:text-slate-400">
                    <time dateTime={rev.createdAt.toISOString()}>{formatTime(rev.createdAt.toISOString())}</time>
                    {" · "}
                    {rev.note ? `“${rev.note}”` : "no note"}
                    {" · "}
                    <span data-testid="line-counts">
                      {lines.ok ? (
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
                </div>
                {isHead ? null : <RestoreRevisionButton firewallId={firewall.id} number={rev.number} head={firewall.headRevision} />}
              </div>
              <details className="mt-3">
                <summary className="cursor-pointer text-sm font-medium text-sky-700 dark:text-sky-400">
                  {prev ? `Line diff against revision ${prev.number}` : "Lines of the first revision"}
                </summary>
                <div className="mt-2">
                  <LineDiffView diff={lines} label={`Changes in revision ${rev.number}`} />
                </div>
              </details>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
