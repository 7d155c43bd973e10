import { cutMessage, cutText } from "@/lib/diff/report";
import { repeatsPreviousFinding } from "@/lib/diff/findings";
import type { DiffResult, EntryVerdict } from "@/lib/diff/types";

/** Rows shown per table on the page; the Diff JSON link has them all. */
const ROW_LIMIT = 500;
/** Lines named per covered IP. */
const COVERED_BY_LIMIT = 20;

function needsAttention(e: EntryVerdict): boolean {
  return (
    e.status === "invalid" ||
    e.status === "deny" ||
    e.status === "outbound" ||
    e.status === "inactive" ||
    e.flags.length > 0
  );
}

const th = "px-3 py-2 font-semibold";
const td = "px-3 py-1.5 align-top";
const tableClass = "w-full text-left text-sm";
const headClass = "bg-slate-50 text-xs uppercase tracking-wide text-slate-600 dark:bg-slate-900 dark:text-slate-400";

/** The results of a saved revision, rendered on the server: verdict, per region, missing, findings, covered. */
export function FirewallResults({ result, diffHref }: { result: DiffResult; diffHref: string }) {
  const s = result.summary;
  const gaps = result.published.filter((p) => p.status !== "covered");
  const covered = result.published.filter((p) => p.status === "covered");
  const problems = result.entries.filter(
    (e, i) => needsAttention(e) && !repeatsPreviousFinding(result.entries[i - 1], e),
  );
  const findings = [
    ...problems.map((e) => ({
      line: e.line,
      text: e.text,
      kind: [e.status, ...e.flags].join(", "),
      message: e.message,
    })),
    ...result.findings.map((f) => ({ line: f.line, text: f.text, kind: f.kind, message: f.message })),
  ]
    .sort((a, b) => a.line - b.line)
    .slice(0, ROW_LIMIT)
    // A long line is shown cut (the page repeats it per finding): a 1 MB line must not make a 1 GB page.
    .map((f) => ({ ...f, text: cutText(f.text), message: cutMessage(f.message) }));
  const findingCount = problems.length + result.findings.length;
  const ok = s.missing + s.partial === 0;

  return (
    <div className="space-y-6">
      {result.path?.assumption !== undefined ? (
        <p
          className="rounded-lg border border-sky-200 bg-sky-50/60 px-4 py-3 text-sm dark:border-sky-900 dark:bg-sky-950/30"
          data-testid="assumption-line"
        >
          <span className="font-semibold">Assumed: </span>
          {result.path.assumption}
        </p>
      ) : null}
      <p
        data-testid="firewall-verdict"
        className={`rounded-lg border p-4 text-base font-medium ${
          ok
            ? "border-emerald-300 bg-emerald-50 text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950/40 dark:text-emerald-200"
            : "border-red-300 bg-red-50 text-red-900 dark:border-red-900 dark:bg-red-950/40 dark:text-red-200"
        }`}
      >
        {ok
          ? `All ${s.published} published NAT IPs of ${result.regions.join(", ")} are allowed.`
          : `${s.missing} missing${s.partial > 0 ? `, ${s.partial} partly covered` : ""} of ${s.published} published NAT IPs (${result.regions.join(", ")}).`}
      </p>
      {result.notes.length > 0 ? (
        <ul className="list-inside list-disc text-sm text-slate-600 dark:text-slate-400">
          {result.notes.map((n) => (
            <li key={n}>{cutMessage(n)}</li>
          ))}
        </ul>
      ) : null}

      <section aria-labelledby="by-region-title">
        <h2 id="by-region-title" className="mb-2 text-lg font-semibold">
          By region
        </h2>
        <div className="relative overflow-x-auto rounded-lg border border-slate-200 dark:border-slate-800">
          <table className={tableClass} data-testid="region-summary">
            <thead className={headClass}>
              <tr>
                {["Region", "Published", "Covered", "Partial", "Missing"].map((h) => (
                  <th key={h} scope="col" className={th}>
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {result.byRegion.map((r) => (
                <tr key={r.region}>
                  <th scope="row" className={`${td} font-medium`}>
                    {r.region}
                  </th>
                  <td className={`${td} tabular-nums`}>{r.published}</td>
                  <td className={`${td} tabular-nums`}>{r.covered}</td>
                  <td className={`${td} tabular-nums`}>{r.partial}</td>
                  <td
                    className={`${td} tabular-nums ${r.missing > 0 ? "font-semibold text-red-700 dark:text-red-400" : ""}`}
                  >
                    {r.missing}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="missing-title">
        <h2 id="missing-title" className="mb-2 text-lg font-semibold">
          Missing ({gaps.length})
        </h2>
        {gaps.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">Nothing is missing.</p>
        ) : (
          <div className="relative overflow-x-auto rounded-lg border border-slate-200 dark:border-slate-800">
            <table className={tableClass} data-testid="missing-table">
              <thead className={headClass}>
                <tr>
                  {["CIDR", "Region", "Status", "Products"].map((h) => (
                    <th key={h} scope="col" className={th}>
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
                {gaps.slice(0, ROW_LIMIT).map((p) => (
                  <tr key={`${p.entry.region} ${p.entry.cidr}`}>
                    <td className={`${td} font-mono text-[13px]`}>{p.entry.cidr}</td>
                    <td className={td}>{p.entry.region}</td>
                    <td className={td}>{p.status === "missing" ? "Missing" : "Partly covered"}</td>
                    <td className={td}>{p.entry.products.join(", ")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="findings-title">
        <h2 id="findings-title" className="mb-2 text-lg font-semibold">
          Findings ({findingCount})
        </h2>
        {findings.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">No problems found in the list.</p>
        ) : (
          <div className="relative overflow-x-auto rounded-lg border border-slate-200 dark:border-slate-800">
            <table className={tableClass} data-testid="findings-table">
              <thead className={headClass}>
                <tr>
                  {["Line", "Text", "Finding", "What it means"].map((h) => (
                    <th key={h} scope="col" className={th}>
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
                {findings.map((f, i) => (
                  <tr key={`${f.line}-${i}`}>
                    <td className={`${td} tabular-nums`}>{f.line > 0 ? f.line : "—"}</td>
                    <td className={`${td} max-w-xs truncate font-mono text-[13px]`} title={f.text}>
                      {f.text}
                    </td>
                    <td className={td}>{f.kind}</td>
                    <td className={td}>{f.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {findingCount > ROW_LIMIT ? (
          <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">
            Showing the first {ROW_LIMIT} of {findingCount}; the{" "}
            <a href={diffHref} className="underline">
              Diff JSON
            </a>{" "}
            has them all.
          </p>
        ) : null}
      </section>

      <details className="rounded-lg border border-slate-200 p-3 dark:border-slate-800">
        <summary className="cursor-pointer text-sm font-medium">
          Covered ({covered.length}): how each published IP is allowed
        </summary>
        <ul className="mt-2 space-y-1 text-sm">
          {covered.slice(0, ROW_LIMIT).map((p) => (
            <li key={`${p.entry.region} ${p.entry.cidr}`}>
              <code className="font-mono text-[13px]">{p.entry.cidr}</code> ({p.entry.region}):{" "}
              {p.coveredBy
                .slice(0, COVERED_BY_LIMIT)
                .map(
                  (c) =>
                    `line ${c.line} (${c.how}${c.via && c.via.length > 0 ? ` via ${c.via.map((v) => cutText(v)).join(" → ")}` : ""})`,
                )
                .join(", ")}
              {p.coveredBy.length > COVERED_BY_LIMIT ? ` and ${p.coveredBy.length - COVERED_BY_LIMIT} more lines` : ""}
            </li>
          ))}
        </ul>
      </details>
    </div>
  );
}
