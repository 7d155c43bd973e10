import type { Metadata } from "next";
import Link from "next/link";
import { requirePage } from "@/lib/auth/page";
import { AUDIT_ACTIONS, auditFilterSchema, listAuditEvents } from "@/lib/db/audit";
import { getDb } from "@/lib/db/client";

export const metadata: Metadata = { title: "Audit log" };
export const dynamic = "force-dynamic";

const PAGE = 100;
const input =
  "mt-1 block rounded border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900";

/** Every change and sign-in, newest first; filters live in the URL. Read-only: nothing here edits the log. */
export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requirePage("audit:read", "/audit");
  const raw = await searchParams;
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) || undefined;
  const filter = auditFilterSchema.parse({
    action: one(raw.action),
    actor: one(raw.actor),
    from: one(raw.from),
    to: one(raw.to),
    before: one(raw.before),
  });
  const events = await listAuditEvents(getDb(), filter, PAGE);
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries({ action: filter.action, actor: filter.actor, from: filter.from, to: filter.to }))
    if (v) query.set(k, v);
  const older =
    events.length === PAGE
      ? `/audit?${new URLSearchParams({ ...Object.fromEntries(query), before: String(events.at(-1)!.id) })}`
      : null;
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">Audit log</h1>
      <form method="get" className="flex flex-wrap items-end gap-3" aria-label="Filter the audit log">
        <label className="text-sm font-medium">
          Action
          <select name="action" defaultValue={filter.action ?? ""} className={input}>
            <option value="">any</option>
            {AUDIT_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm font-medium">
          Who (contains)
          <input name="actor" defaultValue={filter.actor ?? ""} className={input} />
        </label>
        <label className="text-sm font-medium">
          From
          <input name="from" type="date" defaultValue={filter.from ?? ""} className={input} />
        </label>
        <label className="text-sm font-medium">
          To
          <input name="to" type="date" defaultValue={filter.to ?? ""} className={input} />
        </label>
        <button type="submit" className="rounded bg-sky-700 px-3 py-1.5 text-sm font-medium text-white">
          Filter
        </button>
        <a href={`/audit/csv?${query}`} className="text-sm text-sky-700 underline dark:text-sky-400" download>
          Download CSV
        </a>
      </form>
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm">
          <thead>
            <tr className="border-b border-slate-200 dark:border-slate-800">
              <th className="py-2 pr-3">When (UTC)</th>
              <th className="py-2 pr-3">Action</th>
              <th className="py-2 pr-3">Who</th>
              <th className="py-2 pr-3">From</th>
              <th className="py-2 pr-3">What</th>
              <th className="py-2">Details</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr key={e.id} className="border-b border-slate-100 align-top dark:border-slate-900">
                <td className="whitespace-nowrap py-2 pr-3">{e.at.toISOString().replace("T", " ").slice(0, 19)}</td>
                <td className="py-2 pr-3">{e.action}</td>
                <td className="py-2 pr-3">{e.actor}</td>
                <td className="py-2 pr-3">{e.ip}</td>
                <td className="py-2 pr-3">{e.target}</td>
                <td className="break-all py-2 font-mono text-xs">{e.details === "{}" ? "" : e.details}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {events.length === 0 ? <p className="text-sm text-slate-600 dark:text-slate-400">No events match.</p> : null}
      {older ? (
        <Link href={older} className="text-sm text-sky-700 underline dark:text-sky-400">
          Older events
        </Link>
      ) : null}
    </div>
  );
}
