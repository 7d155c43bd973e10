import type { Metadata } from "next";
import Link from "next/link";
import { DatabaseProblem } from "@/components/DatabaseProblem";
import { FirewallTable } from "@/components/firewalls/FirewallTable";
import type { FirewallRow } from "@/components/firewalls/types";
import { getCurrentCatalog } from "@/lib/db/catalog";
import { getDb } from "@/lib/db/client";
import { DatabaseError } from "@/lib/db/errors";
import { countFirewalls, decodeFirewallCursor, listFirewalls } from "@/lib/db/firewall";
import { listFirewallAlignments } from "@/lib/db/firewall-alignment";
import { ensureAppDatabase } from "@/lib/db/ready";
import { alignmentSeverity } from "@/lib/firewall/alignment";
import { requirePage } from "@/lib/auth/page";

export const metadata: Metadata = { title: "Firewalls" };
export const dynamic = "force-dynamic";

const PAGE_SIZE = 100;

interface Listing {
  readonly rows: FirewallRow[];
  readonly catalogVersion: number;
  readonly total: number;
  readonly nextCursor: string | null;
}

async function loadRows(search: string, cursor: string | undefined): Promise<Listing> {
  await ensureAppDatabase();
  const db = getDb();
  const [catalog, page, total] = await Promise.all([
    getCurrentCatalog(db),
    listFirewalls(db, { limit: PAGE_SIZE, search, ...(cursor !== undefined ? { cursor } : {}) }),
    countFirewalls(db, search),
  ]);
  const firewalls = page.firewalls;
  // Each against the newest catalog version: what to add, and lines that allow only retired addresses.
  const aligned = new Map(
    (
      await listFirewallAlignments(
        db,
        catalog,
        firewalls.map((f) => f.id),
      )
    ).map((a) => [a.id, a.alignment]),
  );
  const rows = firewalls.map((f) => {
    const alignment = aligned.get(f.id);
    return {
      id: f.id,
      name: f.name,
      description: f.description,
      status: alignment ? alignment.label : null,
      compliant: alignment?.state === "up-to-date",
      gaps: alignment ? alignmentSeverity(alignment) : Number.MAX_SAFE_INTEGER,
      regions: f.head.regions,
      port: f.head.port,
      revision: f.headRevision,
      updatedAt: f.updatedAt.toISOString(),
    };
  });
  return { rows, catalogVersion: catalog.version.version, total, nextCursor: page.nextCursor };
}

function one(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export default async function FirewallsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requirePage("firewall:read", "/firewalls");
  const params = await searchParams;
  const deleted = one(params.deleted);
  const search = (one(params.q) ?? "").slice(0, 200);
  const cursor = one(params.cursor);
  const data = await loadRows(
    search,
    cursor !== undefined && decodeFirewallCursor(cursor) !== null ? cursor : undefined,
  ).catch((error: unknown) => {
    if (error instanceof DatabaseError) return error;
    throw error;
  });
  if (data instanceof DatabaseError) return <DatabaseProblem message={data.message} />;
  const failing = data.rows.filter((r) => !r.compliant).length;
  const paged = cursor !== undefined || data.nextCursor !== null;
  const href = (next: string | null) =>
    `/firewalls?${new URLSearchParams({ ...(search ? { q: search } : {}), ...(next ? { cursor: next } : {}) })}`;
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
            {data.total} {data.total === 1 ? "firewall" : "firewalls"}
            {search ? ` matching “${search}”` : ""}
            {paged ? ` · ${data.rows.length} on this page` : ""} ·{" "}
            {failing === 0
              ? paged
                ? "all on this page up to date"
                : "all up to date"
              : `${failing} ${failing === 1 ? "needs" : "need"} attention`}
          </p>
        ) : null}
      </div>
      <form method="get" action="/firewalls" role="search" className="flex flex-wrap items-center gap-2">
        <label htmlFor="firewall-search" className="text-sm font-medium">
          Search by name
        </label>
        <input
          id="firewall-search"
          name="q"
          type="search"
          defaultValue={search}
          maxLength={200}
          className="w-64 rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900"
        />
        <button
          type="submit"
          className="rounded-md border border-slate-300 px-3 py-1 text-sm font-medium hover:bg-slate-50 dark:border-slate-700 dark:hover:bg-slate-800"
        >
          Search
        </button>
        {search ? (
          <Link href="/firewalls" className="text-sm text-sky-700 underline underline-offset-2 dark:text-sky-400">
            Clear
          </Link>
        ) : null}
      </form>
      {deleted === "1" ? (
        <p
          role="status"
          className="rounded-lg border border-slate-200 bg-slate-50 p-3 text-sm dark:border-slate-800 dark:bg-slate-900"
        >
          The firewall was deleted.
        </p>
      ) : null}
      {data.rows.length === 0 && search ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">No firewall name contains “{search}”.</p>
      ) : data.rows.length === 0 ? (
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
      {paged ? (
        <nav aria-label="Pages" className="flex gap-4 text-sm">
          {cursor !== undefined ? (
            <Link href={href(null)} className="font-medium text-sky-700 underline underline-offset-2 dark:text-sky-400">
              First page
            </Link>
          ) : null}
          {data.nextCursor !== null ? (
            <Link
              href={href(data.nextCursor)}
              className="font-medium text-sky-700 underline underline-offset-2 dark:text-sky-400"
              data-testid="next-page"
            >
              Next page
            </Link>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}
