"use client";

import type { ReactNode } from "react";
import type { ExportState } from "./useExport";
import { buttonClass, primaryClass } from "./styles";

/** The right column: what the export holds (or why it cannot be made), the file, Copy and Download. */
export function ExportPreview({ state, empty }: { state: ExportState; empty: ReactNode }) {
  const { parsed, result, exporter, entryCount, cidrCount, files, file, chooseFile, copy, download, status } = state;
  return (
    <div className="min-w-0 space-y-3">
      <div aria-live="polite" className="space-y-2" data-testid="export-messages">
        {empty !== null ? (
          <p className="rounded-lg border border-dashed border-slate-300 p-4 text-sm text-slate-600 dark:border-slate-700 dark:text-slate-400">
            {empty}
          </p>
        ) : !parsed.success ? (
          <p className="text-sm text-red-700 dark:text-red-400">Fix the options on the left to see the export.</p>
        ) : result !== undefined && !result.ok ? (
          <div className="rounded-lg border border-red-300 bg-red-50 p-3 text-sm dark:border-red-900 dark:bg-red-950/40">
            <p className="font-medium text-red-900 dark:text-red-200">{exporter.label} cannot express this export:</p>
            <ul className="mt-1 list-disc pl-5 text-red-800 dark:text-red-300" data-testid="export-errors">
              {result.errors.map((e) => (
                <li key={e}>{e}</li>
              ))}
            </ul>
          </div>
        ) : result?.ok ? (
          <>
            <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="export-summary">
              {entryCount} published {entryCount === 1 ? "entry" : "entries"}
              {cidrCount !== undefined && cidrCount !== entryCount
                ? ` as ${cidrCount} ${cidrCount === 1 ? "CIDR" : "CIDRs"} (aggregated)`
                : ""}{" "}
              · {files.length} {files.length === 1 ? "file" : "files"}
            </p>
            {result.warnings.length > 0 ? (
              <ul
                className="list-disc rounded-lg border border-amber-300 bg-amber-50 py-2 pl-8 pr-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-200"
                data-testid="export-warnings"
              >
                {result.warnings.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
            ) : null}
          </>
        ) : null}
      </div>

      {file !== undefined ? (
        <>
          <div className="flex flex-wrap items-center gap-2">
            {files.length > 1 ? (
              <div role="group" aria-label="Files" className="flex flex-wrap gap-1">
                {files.map((f, i) => (
                  <button
                    key={f.name}
                    type="button"
                    aria-pressed={f === file}
                    onClick={() => chooseFile(i)}
                    className={`rounded-md border px-2.5 py-1 font-mono text-xs ${f === file ? "border-sky-600 bg-sky-50 text-sky-900 dark:border-sky-500 dark:bg-sky-950 dark:text-sky-100" : "border-slate-300 dark:border-slate-700"}`}
                  >
                    {f.name}
                  </button>
                ))}
              </div>
            ) : (
              <code className="font-mono text-xs text-slate-600 dark:text-slate-400" data-testid="export-file-name">
                {file.name}
              </code>
            )}
            <span className="ml-auto flex gap-2">
              <button
                type="button"
                className={buttonClass}
                onClick={() => void copy(file)}
                aria-label={`Copy ${file.name}`}
              >
                Copy
              </button>
              <button
                type="button"
                className={primaryClass}
                onClick={() => void download(file)}
                aria-label={`Download ${file.name}`}
              >
                Download
              </button>
            </span>
          </div>
          <pre
            tabIndex={0}
            aria-label={`Preview of ${file.name}`}
            data-testid="export-preview"
            className="max-h-[28rem] overflow-auto rounded-lg border border-slate-200 bg-slate-50 p-3 font-mono text-xs leading-relaxed dark:border-slate-800 dark:bg-slate-900"
          >
            {file.content}
          </pre>
        </>
      ) : null}

      <p
        role="status"
        className={`min-h-5 text-sm ${status?.kind === "error" ? "text-red-700 dark:text-red-400" : "text-emerald-700 dark:text-emerald-400"}`}
        data-testid="export-status"
      >
        {status?.text ?? ""}
      </p>
    </div>
  );
}
