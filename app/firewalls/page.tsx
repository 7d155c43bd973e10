import type { Metadata } from "next";
import Link from "next/link";
import { DatabaseProblem } from "@/components/DatabaseProblem";
import { FirewallTable } from "@/components/firewalls/FirewallTable";
import type { FirewallRow } from "@/components/firewalls/types";
import { getCurrentCatalog } from "@/lib/db/catalog";
import { getDb } from "@/lib/db/client";
import { DatabaseError } from "@/lib/db/errors";
import { getFirewallStatuses, listFirewalls } from "@/lib/db/firewall";
import { ensureAppDatabase } from "@/lib/db/ready";
import { statusLabel } from "@/lib/firewall/status";

export const metadata: Metadata = { title: "Firewalls" };
export const dynamic = "force-dynamic";

async function loadRows(): Promise<{ rows: FirewallRow[]; catalogVersion: number }> {
  await ensureAppDatabase();
  const db = getDb();
  const [catalog, firewalls] = await Promise.all([getCurrentCatalog(db), listFirewalls(db)]);
  const statuses = await getFirewallStatuses(db, catalog, firewalls.map((f) => f.head));
  const rows = firewalls.map((f) => {
    const status = statuses.get(f.head.id);
    return {
      id: f.id,
      name: f.name,
      description: f.description,
      status: status ? statusLabel(status) : null,
      compliant: status?.compliant ?? false,
      gaps: status ? status.missing + status.partial : Number.MAX_SAFE_INTEGER,
      regions: f.head.regions,
      port: f.head.port,
      revision: f.headRevision,
      updatedAt: f.updatedAt.toISOString(),
    };
  });
  return { rows, catalogVersion: catalog.version.version };
}

export default async function FirewallsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const [{ deleted }, data] = await Promise.all([
    searchParams,
    loadRows().catch((error: unknown) => {
      if (error instanceof DatabaseError) return error;
      throw error;
    }),
  ]);
  if (data instanceof DatabaseError) return <DatabaseProblem message={data.message} />;
  const failing = data.rows.filter((r) => !r.compliant).length;
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Firewalls</h1>
          <p className="mt-1 max-w-3xl text-sm text-slate-600 dark:text-slate-400">
            Saved allowlists, each checked against catalog version {data.catalogVersion}. Save one from{" "}
            <Link href="/compare" className="font-medium text-sky-700 underline underline-offset-2 dark:text-sky-400">
              Compare
            </Link>
            .
          </p>
        </div>
        {data.rows.length > 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="firewall-summary">
            {data.rows.length} {data.rows.length === 1 ? "firewall" : "firewalls"} · {failing === 0 ? "all compliant" : `${failing} ${failing === 1 ? "needs" : "need"} attention`}
          </p>
        ) : null}
      </div>
      {deleted === "1" ? (
        <p role="status" className="rounded-lg border border-slate-200 bg-slate-50 p-3 text-sm dark:border-slate-800 dark:bg-slate-900">
          The firewall was deleted.
        </p>
      ) : null}
      {data.rows.length === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 p-10 text-center dark:border-slate-700">
          <p className="font-medium">No firewalls saved yet</p>
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
            Paste what a firewall allows on{" "}
            <Link href="/compare" className="font-medium text-sky-700 underline underline-offset-2 dark:text-sky-400">
              Compare
            </Link>
            , then choose “Save as firewall” to track it here with its history.
          </p>
        </div>
      ) : (
        <FirewallTable rows={data.rows} />
      )}
    </div>
  );
}
