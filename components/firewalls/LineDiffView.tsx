import { cutText } from "@/lib/diff/report";
import type { LineDiff } from "@/lib/firewall/linediff";

const tone = {
  same: "text-slate-600 dark:text-slate-400",
  add: "bg-emerald-50 text-emerald-900 dark:bg-emerald-950/60 dark:text-emerald-200",
  del: "bg-red-50 text-red-900 dark:bg-red-950/60 dark:text-red-200",
} as const;
const mark = { same: " ", add: "+", del: "−" } as const;

/** Unified line diff, hunk by hunk, with old and new line numbers. */
export function LineDiffView({ diff, label }: { diff: LineDiff; label: string }) {
  if (!diff.ok) return <p className="text-sm text-slate-600 dark:text-slate-400">{diff.reason}</p>;
  if (diff.hunks.length === 0)
    return (
      <p className="text-sm text-slate-600 dark:text-slate-400">
        The text did not change (only settings or the note did).
      </p>
    );
  return (
    <div className="relative overflow-x-auto rounded-md border border-slate-200 dark:border-slate-800">
      <table className="w-full font-mono text-[13px]" aria-label={label}>
        <thead className="sr-only">
          <tr>
            <th scope="col">Old line</th>
            <th scope="col">New line</th>
            <th scope="col">Change</th>
            <th scope="col">Text</th>
          </tr>
        </thead>
        {diff.hunks.map((hunk) => (
          <tbody
            key={`${hunk.oldStart}-${hunk.newStart}`}
            className="border-t border-slate-200 first:border-t-0 dark:border-slate-800"
          >
            <tr className="bg-slate-50 text-slate-500 dark:bg-slate-900 dark:text-slate-400">
              <td colSpan={4} className="px-2 py-0.5">
                @@ −{hunk.oldStart},{hunk.oldLines} +{hunk.newStart},{hunk.newLines} @@
              </td>
            </tr>
            {hunk.lines.map((line, i) => (
              <tr key={i} className={tone[line.kind]} data-kind={line.kind}>
                <td className="w-12 select-none px-2 text-right text-slate-500 dark:text-slate-400">
                  {line.oldLine ?? ""}
                </td>
                <td className="w-12 select-none px-2 text-right text-slate-500 dark:text-slate-400">
                  {line.newLine ?? ""}
                </td>
                <td
                  className="w-4 select-none"
                  aria-label={line.kind === "add" ? "added" : line.kind === "del" ? "removed" : "unchanged"}
                >
                  {mark[line.kind]}
                </td>
                <td className="whitespace-pre px-1">{cutText(line.text)}</td>
              </tr>
            ))}
          </tbody>
        ))}
      </table>
    </div>
  );
}
