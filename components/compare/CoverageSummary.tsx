import type { DiffResult } from "@/lib/diff/types";
import { verdictSentence } from "@/lib/compare/verdict";

/** The verdict sentence and one bar per chosen region; every bar has its numbers as text beside it. */
export function CoverageSummary({ result, port }: { result: DiffResult; port: number }) {
  const { published, covered } = result.summary;
  const good = published > 0 && covered === published;
  return (
    <div className="space-y-3">
      <p
        data-testid="verdict"
        className={`rounded-lg border px-4 py-3 text-base font-medium ${
          good
            ? "border-emerald-300 bg-emerald-50 text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950/40 dark:text-emerald-100"
            : "border-red-300 bg-red-50 text-red-900 dark:border-red-900 dark:bg-red-950/40 dark:text-red-100"
        }`}
      >
        {verdictSentence(result, port)}
      </p>
      {result.byRegion.length > 0 ? (
        <ul className="grid gap-2 sm:grid-cols-2" aria-label="Coverage by region" data-testid="region-summary">
          {result.byRegion.map((r) => {
            const pct = (n: number) => (r.published === 0 ? 0 : (n / r.published) * 100);
            return (
              <li
                key={r.region}
                className="rounded-lg border border-slate-200 p-3 text-sm dark:border-slate-800"
                data-region={r.region}
              >
                <div className="flex items-baseline justify-between gap-2">
                  <span className="font-semibold">{r.region}</span>
                  <span className="tabular-nums text-slate-600 dark:text-slate-300">
                    {r.covered} covered · {r.partial} partial · {r.missing} missing of {r.published}
                  </span>
                </div>
                <div
                  aria-hidden="true"
                  className="mt-2 flex h-2.5 overflow-hidden rounded-full bg-slate-100 dark:bg-slate-800"
                >
                  <div className="bg-emerald-500" style={{ width: `${pct(r.covered)}%` }} />
                  <div className="bg-amber-400" style={{ width: `${pct(r.partial)}%` }} />
                  <div className="bg-red-500" style={{ width: `${pct(r.missing)}%` }} />
                </div>
              </li>
            );
          })}
        </ul>
      ) : null}
    </div>
  );
}
