import type { CatalogChanges } from "@/lib/catalog/changes";

/** Per-region change between two versions: counts, then the CIDRs added and removed. Server or client. */
export function ChangeTable({ changes, caption }: { changes: CatalogChanges; caption: string }) {
  return (
    <div className="space-y-3">
      <table className="w-full text-left text-sm" data-testid="change-table">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-600 dark:border-slate-800 dark:text-slate-400">
            <th scope="col" className="py-2 pr-4">
              Region
            </th>
            <th scope="col" className="py-2 pr-4">
              Added
            </th>
            <th scope="col" className="py-2 pr-4">
              Removed
            </th>
            <th scope="col" className="py-2 pr-4">
              Unchanged
            </th>
            <th scope="col" className="py-2">
              Entries
            </th>
          </tr>
        </thead>
        <tbody>
          {changes.regions.map((r) => (
            <tr
              key={r.region}
              className="border-b border-slate-100 align-top dark:border-slate-900"
              data-region={r.region}
            >
              <th scope="row" className="py-2 pr-4 font-medium">
                {r.region}
              </th>
              <td className="py-2 pr-4">
                <span className="font-medium">{r.added.length}</span>
                {r.added.length > 0 ? (
                  <ul className="mt-1 font-mono text-xs text-emerald-800 dark:text-emerald-300">
                    {r.added.map((c) => (
                      <li key={c}>+ {c}</li>
                    ))}
                  </ul>
                ) : null}
              </td>
              <td className="py-2 pr-4">
                <span className="font-medium">{r.removed.length}</span>
                {r.removed.length > 0 ? (
                  <ul className="mt-1 font-mono text-xs text-red-800 dark:text-red-300">
                    {r.removed.map((c) => (
                      <li key={c}>− {c}</li>
                    ))}
                  </ul>
                ) : null}
              </td>
              <td className="py-2 pr-4">{r.unchanged}</td>
              <td className="py-2">
                {r.before} → {r.after}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {changes.warnings.length > 0 ? (
        <ul
          role="list"
          aria-label="Warnings"
          className="space-y-1 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-200"
        >
          {changes.warnings.map((w) => (
            <li key={`${w.kind} ${w.region} ${w.cidr ?? ""}`}>⚠ {w.message}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
