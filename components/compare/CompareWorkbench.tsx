"use client";

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { RegionPicker } from "@/components/RegionPicker";
import { formatRegionList } from "@/lib/catalog/regions";
import { indexLines } from "@/lib/compare/lines";
import { DEFAULT_PORT, parsePort } from "@/lib/compare/params";
import { PHASES, type CompareProgress } from "@/lib/compare/protocol";
import { countLines } from "@/lib/parse/plain";
import { formatIds, formatLabel } from "@/lib/parse/registry";
import type { FormatId, PathKind } from "@/lib/parse/types";
import { traceAddressOf } from "@/lib/compare/trace";
import { CoverageSummary } from "./CoverageSummary";
import { HighlightedText } from "./HighlightedText";
import { InputEditor } from "./InputEditor";
import { PathAssumption } from "./PathAssumption";
import { QuickAnswer } from "./QuickAnswer";
import { UnusableInput } from "./UnusableInput";
import { ResultTables, buildRows, type ResultTab } from "./ResultTables";
import { TracePanel } from "./TracePanel";
import type { CompareState, CompareWorkbenchProps, ExportRequest } from "./types";
import { useCompareRunner, type RunState } from "./useCompareRunner";
import { useTrace, type TraceTarget } from "./useTrace";

export type { CompareCatalog, CompareState, CompareWorkbenchProps, ExportRequest } from "./types";

interface EditorState {
  readonly text: string;
  readonly lineCount: number;
  readonly source: string;
  /** Bumped on every change: the run key compares this, never the (possibly 20 MB) text. */
  readonly version: number;
}

const PHASE_LABEL: Record<CompareProgress["phase"], string> = {
  parse: "Parsing",
  diff: "Checking coverage of",
  mark: "Highlighting",
};

/**
 * Paste or load a firewall's text, pick regions and port, and see what is covered, missing and wrong — computed in
 * the browser. Reused by the firewall pages through `actions` (toolbar) and `below` (export panel).
 */
export function CompareWorkbench({
  catalog,
  initialText = "",
  initialFormat = "auto",
  initialRegions,
  initialPort = DEFAULT_PORT,
  initialPath,
  initialIngress,
  syncUrl = false,
  actions,
  below,
  idPrefix = "compare",
  answerLabels,
}: CompareWorkbenchProps) {
  const codes = useMemo(() => catalog.regions.map((r) => r.code), [catalog.regions]);
  const [editor, setEditor] = useState<EditorState>(() => ({
    text: initialText,
    lineCount: countLines(initialText),
    source: "paste",
    version: 0,
  }));
  const [format, setFormat] = useState<FormatId | "auto">(initialFormat);
  const [regions, setRegions] = useState<readonly string[]>(() => initialRegions ?? codes);
  const [portText, setPortText] = useState(String(initialPort));
  const [port, setPort] = useState(initialPort);
  const [tab, setTab] = useState<ResultTab>("missing");
  const [selection, setSelection] = useState<{ line: number; at: number; from: "text" | "table" }>();
  const [exportRequest, setExportRequest] = useState<ExportRequest>();
  const [override, setOverride] = useState<{ path: PathKind | undefined; ingress: string | undefined }>({
    path: initialPath,
    ingress: initialIngress,
  });
  const [traceTarget, setTraceTarget] = useState<TraceTarget>();

  const key = `${editor.version}|${format}|${regions.join(",")}|${port}|${override.path ?? ""}|${override.ingress ?? ""}`;
  // The text each recent run was computed from, so the highlighted view never pairs new text with old marks.
  const texts = useRef(new Map<string, string>());
  if (!texts.current.has(key)) {
    texts.current.set(key, editor.text);
    while (texts.current.size > 4) texts.current.delete(texts.current.keys().next().value!);
  }
  const request = {
    text: editor.text,
    format,
    regions,
    port,
    catalog: catalog.entries,
    ...(override.path !== undefined ? { path: override.path } : {}),
    ...(override.ingress !== undefined ? { ingress: override.ingress } : {}),
  };
  const runner = useCompareRunner(request, key, editor.lineCount);
  const traceState = useTrace(request, key, editor.lineCount, traceTarget);
  const outcome = editor.text === "" ? undefined : runner.outcome;
  const fresh = outcome !== undefined && runner.outcomeKey === key;
  const shownText = (runner.outcomeKey && texts.current.get(runner.outcomeKey)) ?? editor.text;
  const lineIndex = useMemo(() => indexLines(outcome ? shownText : ""), [outcome, shownText]);
  const rows = useMemo(() => (outcome ? buildRows(outcome.result) : undefined), [outcome]);
  const unusable = outcome?.unusable;
  const answerRef = useRef<HTMLDivElement>(null);
  // After a paste, a drop or a file (not while typing), the answer is brought into view once it arrives: on a phone it
  // sits above the editor, and the editor must not keep it out of sight.
  const revealFor = useRef<number>(-1);
  useEffect(() => {
    if (!fresh || revealFor.current !== editor.version) return;
    revealFor.current = -1;
    const el = answerRef.current;
    if (!el) return;
    const box = el.getBoundingClientRect();
    if (box.top < 0 || box.top > window.innerHeight * 0.6) el.scrollIntoView({ block: "start" });
  }, [fresh, editor.version, outcome]);

  useEffect(() => {
    if (!syncUrl) return;
    const url = new URL(window.location.href);
    const set = (name: string, value: string | undefined) =>
      value === undefined ? url.searchParams.delete(name) : url.searchParams.set(name, value);
    set("regions", regions.length === 0 ? "" : formatRegionList(regions, codes));
    set("format", format === "auto" ? undefined : format);
    set("port", port === DEFAULT_PORT ? undefined : String(port));
    set("path", override.path);
    set("ingress", override.ingress);
    // Commas stay readable in a shared link ("regions=us,eu"); URLSearchParams would write %2C.
    const search = url.searchParams.toString().replaceAll("%2C", ",");
    window.history.replaceState(null, "", `${url.pathname}${search ? `?${search}` : ""}${url.hash}`);
  }, [syncUrl, regions, format, port, codes, override]);

  const onText = useCallback((text: string, source: string) => {
    setEditor((prev) => {
      // More than one character at once is a paste, a drop, a file or an example: its answer is revealed when ready.
      if (Math.abs(text.length - prev.text.length) > 1 && text !== "") revealFor.current = prev.version + 1;
      return { text, lineCount: countLines(text), source, version: prev.version + 1 };
    });
    setSelection(undefined);
  }, []);

  const state: CompareState = {
    text: editor.text,
    format,
    regions,
    port,
    result: unusable ? undefined : outcome?.result,
    busy: runner.run.status === "running",
    fresh,
    catalogVersion: catalog.version,
    exportRequest,
  };

  const selectFromText = (line: number) => {
    setSelection({ line, at: Date.now(), from: "text" });
    if (!rows) return;
    const inFindings = rows.findings.some((r) => r.line === line);
    const inCovered = rows.covered.some((r) => r.lines.includes(line));
    if (tab === "findings" && inFindings) return;
    if (tab === "covered" && inCovered) return;
    if (inFindings) setTab("findings");
    else if (inCovered) setTab("covered");
  };

  const portInvalid = parsePort(portText) === undefined;
  const belowId = `${idPrefix}-below`;

  return (
    <section className="space-y-5" aria-label="Compare your firewall with the published NAT IPs">
      <div className="flex flex-col gap-3 rounded-lg border border-slate-200 p-3 dark:border-slate-800 lg:flex-row lg:flex-wrap lg:items-center lg:justify-between">
        <RegionPicker regions={catalog.regions} selected={regions} onChange={(next) => setRegions(next)} />
        <div className="flex flex-wrap items-start gap-4">
          <div className="flex flex-col gap-1">
            <div className="flex items-center gap-2">
              <label htmlFor={`${idPrefix}-port`} className="text-sm font-medium text-slate-700 dark:text-slate-300">
                TCP port
              </label>
              <input
                id={`${idPrefix}-port`}
                type="number"
                inputMode="numeric"
                min={1}
                max={65535}
                value={portText}
                aria-invalid={portInvalid}
                aria-describedby={portInvalid ? `${idPrefix}-port-error` : undefined}
                onChange={(e) => {
                  setPortText(e.target.value);
                  const next = parsePort(e.target.value);
                  if (next !== undefined) setPort(next);
                }}
                className="w-24 rounded-md border border-slate-300 bg-white px-2 py-1 text-sm tabular-nums aria-[invalid=true]:border-red-500 dark:border-slate-700 dark:bg-slate-900"
                data-testid="port-input"
              />
            </div>
            {portInvalid ? (
              <p id={`${idPrefix}-port-error`} className="text-xs text-red-700 dark:text-red-300">
                Enter a port from 1 to 65535 (checking {port}).
              </p>
            ) : null}
          </div>
          <div className="flex min-w-0 max-w-full flex-col gap-1">
            <div className="flex min-w-0 items-center gap-2">
              <label htmlFor={`${idPrefix}-format`} className="text-sm font-medium text-slate-700 dark:text-slate-300">
                Input format
              </label>
              <select
                id={`${idPrefix}-format`}
                value={format}
                onChange={(e) => setFormat(e.target.value as FormatId | "auto")}
                className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900"
                data-testid="format-select"
              >
                <option value="auto">Auto-detect</option>
                {formatIds.map((id) => (
                  <option key={id} value={id}>
                    {formatLabel(id)}
                  </option>
                ))}
              </select>
            </div>
            {outcome ? (
              <p className="text-xs text-slate-600 dark:text-slate-400" data-testid="detected-format">
                {outcome.detected
                  ? outcome.result.format === "plain"
                    ? "Detected: Plain list (auto — no vendor format recognised)"
                    : `Detected: ${formatLabel(outcome.result.format)} (auto)`
                  : `Reading as ${formatLabel(outcome.result.format)} (chosen)`}
              </p>
            ) : null}
          </div>
        </div>
      </div>

      {/* Wide screens: input on the left, the answer on the right with the verdict on top. Narrow screens: the
          answer first, then the input, then the details; "Save as firewall" and the export panel come after. */}
      <div className="grid gap-5 lg:grid-cols-2 lg:items-start">
        {unusable ? (
          <UnusableInput idPrefix={idPrefix} unusable={unusable} ref={answerRef} />
        ) : outcome && rows ? (
          <div
            ref={answerRef}
            className={`min-w-0 scroll-mt-4 space-y-3 transition-opacity lg:col-start-2 lg:row-start-1 ${fresh ? "" : "opacity-60"}`}
            data-testid="answer"
          >
            <CoverageSummary result={outcome.result} port={port} />
            {answerLabels ? <QuickAnswer result={outcome.result} port={port} labels={answerLabels} /> : null}
          </div>
        ) : editor.text !== "" ? (
          // Text whose answer is still being computed keeps the two-column layout, so the answer does not move the
          // editor when it arrives.
          <div
            className="min-w-0 rounded-lg border border-dashed border-slate-300 p-4 text-sm text-slate-600 dark:border-slate-700 dark:text-slate-400 lg:col-start-2 lg:row-start-1"
            data-testid="answer-pending"
          >
            Checking your text against the published NAT IPs…
          </div>
        ) : null}

        <div className={`min-w-0 space-y-2 lg:col-start-1 lg:row-start-1 ${editor.text !== "" ? "" : "lg:col-span-2"}`}>
          <InputEditor id={`${idPrefix}-input`} value={editor} onChange={onText} describedBy={`${idPrefix}-status`} />
          <RunStatus
            id={`${idPrefix}-status`}
            run={runner.run}
            lineCount={editor.lineCount}
            checked={fresh}
            elapsedMs={fresh ? runner.elapsedMs : undefined}
            hasText={editor.text !== ""}
            onCancel={runner.cancel}
            onRetry={runner.retry}
          />
        </div>

        {outcome && rows && !unusable ? (
          <div
            className={`min-w-0 space-y-5 transition-opacity lg:col-start-2 lg:row-start-2 ${fresh ? "" : "opacity-60"}`}
            aria-busy={!fresh}
            data-testid="results"
            data-fresh={fresh}
          >
            <PathAssumption
              idPrefix={idPrefix}
              path={outcome.result.path}
              override={override}
              onOverride={setOverride}
            />
            {outcome.result.notes.length > 0 ? (
              <ul className="list-disc space-y-1 pl-5 text-sm text-slate-700 dark:text-slate-300" data-testid="notes">
                {outcome.result.notes.map((n) => (
                  <li key={n}>{n}</li>
                ))}
              </ul>
            ) : null}
            <ResultTables
              idPrefix={idPrefix}
              tracedCidr={traceTarget?.cidr}
              onTrace={(cidr) => {
                const address = traceAddressOf(cidr);
                if (address !== undefined) setTraceTarget({ address, cidr });
              }}
              rows={rows}
              omittedUnrelated={outcome.omittedUnrelated}
              tab={tab}
              onTab={setTab}
              selectedLine={selection?.line}
              revealAt={selection?.from === "text" ? selection.at : undefined}
              onSelectLine={(line) => setSelection({ line, at: Date.now(), from: "table" })}
              exportMissing={
                below && rows.missing.length > 0 ? (
                  <button
                    type="button"
                    onClick={() => {
                      setExportRequest({ scope: "missing", at: Date.now() });
                      requestAnimationFrame(() =>
                        document.getElementById(belowId)?.scrollIntoView({ behavior: "smooth", block: "start" }),
                      );
                    }}
                    className="rounded-md bg-sky-700 px-2.5 py-1 text-sm font-medium text-white hover:bg-sky-800"
                  >
                    Export missing…
                  </button>
                ) : null
              }
            />
            <TracePanel
              idPrefix={idPrefix}
              state={traceState}
              onTrace={setTraceTarget}
              onClose={() => setTraceTarget(undefined)}
              selectedLine={selection?.line}
              onSelectLine={(line) => setSelection({ line, at: Date.now(), from: "table" })}
            />
          </div>
        ) : null}

        {outcome && rows && !unusable ? (
          <div className={`min-w-0 space-y-2 lg:col-start-1 lg:row-start-2 ${fresh ? "" : "opacity-60"}`}>
            <h2 className="text-sm font-medium text-slate-700 dark:text-slate-300">Your text, line by line</h2>
            <HighlightedText
              id={`${idPrefix}-lines`}
              text={shownText}
              index={lineIndex}
              lines={outcome.lines}
              selectedLine={selection?.line}
              reveal={selection?.from === "table" ? { line: selection.line, at: selection.at } : undefined}
              onSelectLine={selectFromText}
            />
          </div>
        ) : null}
      </div>

      {actions ? (
        <div className="flex flex-wrap items-center gap-2" role="toolbar" aria-label="Actions">
          {actions(state)}
        </div>
      ) : null}

      {below ? <div id={belowId}>{below(state)}</div> : null}
    </section>
  );
}

function RunStatus({
  id,
  run,
  lineCount,
  checked,
  elapsedMs,
  hasText,
  onCancel,
  onRetry,
}: {
  id: string;
  run: RunState;
  lineCount: number;
  checked: boolean;
  /** Unknown for the answer computed in the first render. */
  elapsedMs: number | undefined;
  hasText: boolean;
  onCancel: () => void;
  onRetry: () => void;
}) {
  const lines = lineCount.toLocaleString("en-US");
  let body = null;
  if (run.status === "running" && run.inWorker) {
    const step = run.progress ? PHASES.indexOf(run.progress.phase) : 0;
    const phase = run.progress?.phase ?? "parse";
    body = (
      <div className="flex flex-wrap items-center gap-3" data-testid="progress">
        <progress max={PHASES.length} value={step} className="h-2 w-48 accent-sky-600" aria-label="Progress" />
        <span>
          {PHASE_LABEL[phase]} {lines} lines… (step {step + 1} of {PHASES.length})
        </span>
        <button
          type="button"
          onClick={onCancel}
          className="rounded-md border border-slate-300 px-2.5 py-1 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
        >
          Cancel
        </button>
      </div>
    );
  } else if (run.status === "cancelled") {
    body = (
      <div className="flex flex-wrap items-center gap-3">
        <span>Cancelled. Results below, if any, are for the previous input.</span>
        <button
          type="button"
          onClick={onRetry}
          className="rounded-md border border-slate-300 px-2.5 py-1 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
        >
          Check again
        </button>
      </div>
    );
  } else if (run.status === "failed") {
    body = <span className="text-red-700 dark:text-red-300">The check failed: {run.message}</span>;
  } else if (hasText && checked) {
    body = (
      <span>
        Checked {lines} {lineCount === 1 ? "line" : "lines"}
        {elapsedMs === undefined
          ? ""
          : ` in ${elapsedMs < 1000 ? `${Math.round(elapsedMs)} ms` : `${(elapsedMs / 1000).toFixed(1)} s`}`}
        .
      </span>
    );
  }
  return (
    <div
      id={id}
      aria-live="polite"
      className="min-h-6 text-sm text-slate-600 dark:text-slate-400"
      data-testid="run-status"
      data-status={run.status}
    >
      {body}
    </div>
  );
}
