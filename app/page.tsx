import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { DatabaseProblem } from "@/components/DatabaseProblem";
import { formatTime } from "@/components/firewalls/time";
import { formatLabelOf } from "@/lib/export/describe";
import { getCatalogChangelog } from "@/lib/db/catalog-changelog";
import { getCurrentCatalog } from "@/lib/db/catalog";
import { getDb } from "@/lib/db/client";
import { DatabaseError } from "@/lib/db/errors";
import { listExportRecords } from "@/lib/db/export-record";
import { feedPollState, listFeeds } from "@/lib/db/feed";
import { listFirewallAlignments } from "@/lib/db/firewall-alignment";
import { listDeliveries } from "@/lib/db/notification";
import { ensureAppDatabase } from "@/lib/db/ready";
import { requirePage } from "@/lib/auth/page";

// The root segment's own page is not under the layout's title template, so it spells the whole title.
export const metadata: Metadata = { title: { absolute: "Overview · Allowlist Admin" } };
export const dynamic = "force-dynamic";

const link = "font-medium text-sky-700 underline underline-offset-2 dark:text-sky-400";

function Panel({ title, id, action, children }: { title: string; id: string; action: ReactNode; children: ReactNode }) {
  return (
    <section
      aria-labelledby={id}
      className="rounded-lg border border-slate-200 p-4 dark:border-slate-800"
      data-testid={id}
    >
      <div className="mb-3 flex items-baseline justify-between gap-2">
        <h2 id={id} className="text-base font-semibold">
          {title}
        </h2>
        <span className="text-sm">{action}</span>
      </div>
      {children}
    </section>
  );
}

export default async function OverviewPage() {
  await requirePage("catalog:read", "/");
  let data;
  try {
    await ensureAppDatabase();
    const db = getDb();
    const catalog = await getCurrentCatalog(db);
    const [firewalls, changelog, feeds, failures, exports] = await Promise.all([
      listFirewallAlignments(db, catalog),
      getCatalogChangelog(db, 1),
      listFeeds(db),
      listDeliveries(db, { status: "failed", limit: 5 }),
      listExportRecords(db, { limit: 5 }),
    ]);
    data = { catalog, firewalls, latest: changelog[0], feeds, failures, exports };
  } catch (error) {
    if (error instanceof DatabaseError) return <DatabaseProblem message={error.message} />;
    throw error;
  }
  const { catalog, firewalls, latest, failures, exports } = data;
  const now = new Date();
  const silent = data.feeds.filter((f) => ["stopped", "never"].includes(feedPollState(f, now)));
  const behind = firewalls.filter((f) => f.alignment.state !== "up-to-date").length;

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Overview</h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          {catalog.provider.name} catalog version {catalog.version.version}, imported{" "}
          {formatTime(catalog.version.importedAt.toISOString())}.{" "}
          {firewalls.length === 0
            ? "No saved firewalls yet."
            : behind === 0
              ? "Every saved firewall is up to date."
              : `${behind} of ${firewalls.length} saved firewalls need attention.`}
        </p>
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        <Panel
          title="Firewalls against the newest version"
          id="overview-firewalls"
          action={
            <Link href="/firewalls" className={link}>
              All firewalls
            </Link>
          }
        >
          {firewalls.length === 0 ? (
            <p className="text-sm">
              Save one from{" "}
              <Link href="/compare" className={link}>
                Compare
              </Link>{" "}
              to track it here.
            </p>
          ) : (
            <ul className="divide-y divide-slate-100 text-sm dark:divide-slate-900">
              {firewalls.map((f) => (
                <li
                  key={f.id}
                  className="flex items-baseline justify-between gap-3 py-1.5"
                  data-testid="overview-firewall"
                >
                  <Link href={`/firewalls/${f.id}`} className={link}>
                    {f.name}
                  </Link>
                  <span
                    className={
                      f.alignment.state === "up-to-date"
                        ? "text-emerald-800 dark:text-emerald-300"
                        : "text-red-800 dark:text-red-300"
                    }
                  >
                    {f.alignment.state === "up-to-date" ? "✓ " : "✗ "}
                    {f.alignment.label}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </Panel>

        <Panel
          title={`What changed in version ${catalog.version.version}`}
          id="overview-changes"
          action={
            <Link href="/catalog/changes" className={link}>
              Changelog
            </Link>
          }
        >
          {latest?.changes ? (
            latest.changes.identical ? (
              <p className="text-sm">No change in the list.</p>
            ) : (
              <div className="text-sm">
                <p>
                  {latest.changes.added} added, {latest.changes.removed} removed, {latest.changes.unchanged} unchanged.
                </p>
                <ul className="mt-1 font-mono text-xs">
                  {latest.changes.regions.flatMap((r) => [
                    ...r.added.map((c) => (
                      <li key={`+${r.region}${c}`} className="text-emerald-800 dark:text-emerald-300">
                        + {c} ({r.region})
                      </li>
                    )),
                    ...r.removed.map((c) => (
                      <li key={`-${r.region}${c}`} className="text-red-800 dark:text-red-300">
                        − {c} ({r.region})
                      </li>
                    )),
                  ])}
                </ul>
              </div>
            )
          ) : (
            <p className="text-sm">
              Version {catalog.version.version} is the first version.{" "}
              <Link href="/catalog/import" className={link}>
                Update catalog
              </Link>
            </p>
          )}
        </Panel>

        <Panel
          title="Feeds that stopped polling"
          id="overview-feeds"
          action={
            <Link href="/feeds" className={link}>
              Feeds
            </Link>
          }
        >
          {silent.length === 0 ? (
            <p className="text-sm">{data.feeds.length === 0 ? "No feeds." : "Every feed is being polled."}</p>
          ) : (
            <ul className="text-sm">
              {silent.map((f) => (
                <li key={f.id} className="py-1" data-testid="overview-silent-feed">
                  ⚠{" "}
                  <Link href="/feeds" className={link}>
                    {f.name}
                  </Link>
                  : {f.lastPolledAt ? `last polled ${formatTime(f.lastPolledAt.toISOString())}` : "never polled"}{" "}
                  (expected every {f.pollMinutes} min)
                </li>
              ))}
            </ul>
          )}
        </Panel>

        <Panel
          title="Notification failures"
          id="overview-failures"
          action={
            <Link href="/notifications" className={link}>
              Notifications
            </Link>
          }
        >
          {failures.length === 0 ? (
            <p className="text-sm">None.</p>
          ) : (
            <ul className="text-sm">
              {failures.map((d) => (
                <li key={d.id} className="py-1 break-all">
                  ✗ {formatTime(d.createdAt.toISOString())} {d.channel} to {d.target}:{" "}
                  {d.responseCode ?? d.log.at(-1)?.error ?? "failed"} after {d.attempts} attempt
                  {d.attempts === 1 ? "" : "s"}
                </li>
              ))}
            </ul>
          )}
        </Panel>

        <Panel
          title="Recent exports"
          id="overview-exports"
          action={
            <Link href="/exports" className={link}>
              Export log
            </Link>
          }
        >
          {exports.length === 0 ? (
            <p className="text-sm">None yet.</p>
          ) : (
            <ul className="text-sm">
              {exports.map((e) => (
                <li key={e.id} className="py-1">
                  {formatTime(e.createdAt)} · {formatLabelOf(e.format)} ·{" "}
                  {e.scope === "missing" ? "missing only" : "full"} · {e.entryCount} entries · v{e.catalogVersion}
                  {e.firewallId !== null ? (
                    <>
                      {" "}
                      ·{" "}
                      <Link href={`/firewalls/${e.firewallId}`} className={link}>
                        firewall #{e.firewallId}
                      </Link>
                    </>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
        </Panel>
      </div>
    </div>
  );
}
