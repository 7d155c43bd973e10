"use client";

import { useMemo, useState } from "react";
import type { DiffResult } from "@/lib/diff/types";
import { quickCopy, type QuickCopyLabels } from "@/lib/compare/quick-copy";
import { formatLabel } from "@/lib/parse/registry";
import { saveFile } from "../saveFile";

/**
 * Right under the verdict: the lines to add, in the format the paste was read as (iptables in → iptables out),
 * one click to copy or download. Aggregation is off, so the file holds exactly the entries the Missing tab lists.
 */
export function QuickAnswer({ result, port, labels }: { result: DiffResult; port: number; labels: QuickCopyLabels }) {
  const answer = useMemo(() => quickCopy(result, port, labels), [result, port, labels]);
  const [status, setStatus] = useState<string>();
  if (answer.kind === "nothing") return null;
  if (answer.kind === "refused") {
    return (
      <div
        className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-100"
        data-testid="quick-copy"
      >
        {answer.formatLabel} cannot hold the lines to add: {answer.errors.join(" ")} Pick another format in the export
        panel below.
      </div>
    );
  }
  const n = answer.entries.length;
  const { file } = answer;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(file.content);
      setStatus(`Copied ${file.name}: ${n} ${n === 1 ? "entry" : "entries"}.`);
    } catch {
      setStatus("Copy failed: the browser refused clipboard access. Use Download instead.");
    }
  };
  const download = () => {
    saveFile(file.name, file.mime, file.content);
    setStatus(`Downloaded ${file.name}: ${n} ${n === 1 ? "entry" : "entries"}.`);
  };
  return (
    <div
      className="space-y-2 rounded-lg border border-slate-200 p-3 dark:border-slate-800"
      data-testid="quick-copy"
      data-format={answer.format}
    >
      <div className="flex flex-wrap items-center gap-2">
        <button
          type="button"
          onClick={() => void copy()}
          className="rounded-md bg-sky-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-sky-800 dark:hover:bg-sky-600"
          data-testid="copy-lines-to-add"
        >
          Copy the lines to add
        </button>
        <button
          type="button"
          onClick={download}
          className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
          aria-label={`Download ${file.name}`}
        >
          Download
        </button>
        <span className="text-sm text-slate-700 dark:text-slate-300" data-testid="quick-copy-summary">
          {n} missing {n === 1 ? "entry" : "entries"} in {answer.formatLabel}, the format of your paste (
          {formatLabel(result.format)}) · one per published entry, not aggregated
        </span>
      </div>
      {answer.warnings.length > 0 ? (
        <p className="text-xs text-amber-800 dark:text-amber-300">{answer.warnings.join(" ")}</p>
      ) : null}
      <details className="text-sm">
        <summary className="cursor-pointer text-slate-600 dark:text-slate-400">Show {file.name}</summary>
        <pre
          tabIndex={0}
          aria-label={`The lines to add: ${file.name}`}
          data-testid="quick-copy-preview"
          className="mt-2 max-h-64 overflow-auto rounded-lg border border-slate-200 bg-slate-50 p-3 font-mono text-xs leading-relaxed dark:border-slate-800 dark:bg-slate-900"
        >
          {file.content}
        </pre>
      </details>
      <p
        role="status"
        className="min-h-5 text-sm text-emerald-700 dark:text-emerald-400"
        data-testid="quick-copy-status"
      >
        {status ?? ""}
      </p>
    </div>
  );
}
