"use client";

import { createColumnHelper } from "@tanstack/react-table";
import { useRef, type KeyboardEvent, type ReactNode } from "react";
import { CopyButton } from "@/components/CopyButton";
import type { DiffResult } from "@/lib/diff/types";
import { isNotable } from "@/lib/compare/marks";
import { adviceFor, adviceForFinding } from "@/lib/compare/verdict";
import { FINDING_KIND_LABEL, verdictLabels } from "@/lib/diff/labels";
import { repeatsPreviousFinding } from "@/lib/diff/findings";
import { VirtualTable, type Features } from "./VirtualTable";

export interface MissingRow {
  readonly cidr: string;
  readonly region: string;
  readonly products: string;
  readonly status: "missing" | "partial";
}
export interface CoveredRow {
  readonly cidr: string;
  readonly region: string;
  readonly status: "covered" | "partial";
  readonly how: string;
  readonly lines: readonly number[];
  readonly via: string;
}
export interface FindingRow {
  readonly key: string;
  readonly line: number;
  readonly text: string;
  readonly labels: readonly string[];
  readonly tone: "bad" | "warn" | "ok";
  readonly message: string;
  readonly advice: string;
}

export type ResultTab = "missing" | "covered" | "findings";

const HOW_LABEL: Record<string, string> = {
  exact: "exact",
  cidr: "broader CIDR",
  range: "range",
  wildcard: "wildcard",
  any: "any",
  group: "object group",
};

export function buildRows(result: DiffResult): {
  missing: MissingRow[];
  covered: CoveredRow[];
  findings: FindingRow[];
} {
  const missing: MissingRow[] = [];
  const covered: CoveredRow[] = [];
  for (const v of result.published) {
    if (v.status !== "covered") {
      missing.push({
        cidr: v.entry.cidr,
        region: v.entry.region,
        products: v.entry.products.join(", "),
        status: v.status,
      });
    }
    if (v.status !== "missing") {
      covered.push({
        cidr: v.entry.cidr,
        region: v.entry.region,
        status: v.status,
        how: [...new Set(v.coveredBy.map((c) => HOW_LABEL[c.how] ?? c.how))].join(", "),
        lines: [...new Set(v.coveredBy.map((c) => c.line))].sort((a, b) => a - b),
        via: [...new Set(v.coveredBy.flatMap((c) => c.via ?? []))].join(" → "),
      });
    }
  }
  const findings: FindingRow[] = [];
  result.entries.forEach((v, i) => {
    if (!isNotable(v) || (v.status === "covers" && v.flags.length === 0)) return;
    if (repeatsPreviousFinding(result.entries[i - 1], v)) return;
    findings.push({
      key: `e${i}`,
      line: v.line,
      text: v.text,
      // Human labels of the same codes the CLI and the JSON report: "Wrong port", not "Unrelated, Wrong port".
      labels: verdictLabels(v.status, v.flags),
      tone:
        v.status === "invalid" || v.status === "deny" || v.flags.includes("shadowed") || v.flags.includes("wrong-port")
          ? "bad"
          : "warn",
      message: v.message,
      advice: adviceFor(v.status, v.flags),
    });
  });
  result.findings.forEach((f, i) => {
    findings.push({
      key: `f${i}`,
      line: f.line,
      text: f.text,
      labels: [FINDING_KIND_LABEL[f.kind]],
      tone: f.kind === "note" ? "ok" : "warn",
      message: f.message,
      advice: adviceForFinding(f.kind),
    });
  });
  findings.sort((a, b) => a.line - b.line);
  return { missing, covered, findings };
}

const TONE = {
  bad: "bg-red-100 text-red-900 dark:bg-red-900/50 dark:text-red-100",
  warn: "bg-amber-100 text-amber-900 dark:bg-amber-900/40 dark:text-amber-100",
  ok: "bg-slate-100 text-slate-800 dark:bg-slate-800 dark:text-slate-100",
} as const;

const mono = (value: string) => <code className="font-mono text-[13px]">{value}</code>;

const missingHelper = createColumnHelper<Features, MissingRow>();
const missingColumns = missingHelper.columns([
  missingHelper.accessor("cidr", { header: "CIDR", cell: (i) => mono(i.getValue()) }),
  missingHelper.accessor("region", { header: "Region" }),
  missingHelper.accessor("products", { header: "Products", enableSorting: false }),
  missingHelper.accessor("status", {
    header: "Status",
    cell: (i) => (
      <span
        className={`rounded px-1.5 py-0.5 text-xs font-medium ${i.getValue() === "missing" ? TONE.bad : TONE.warn}`}
      >
        {i.getValue() === "missing" ? "Missing" : "Partly allowed"}
      </span>
    ),
  }),
]);

const coveredHelper = createColumnHelper<Features, CoveredRow>();
const coveredColumns = coveredHelper.columns([
  coveredHelper.accessor("cidr", { header: "CIDR", cell: (i) => mono(i.getValue()) }),
  coveredHelper.accessor("region", { header: "Region" }),
  coveredHelper.accessor("how", { header: "How" }),
  coveredHelper.accessor((r) => r.lines.join(", "), {
    id: "lines",
    header: "Line",
    sortFn: (a, b) => (a.original.lines[0] ?? 0) - (b.original.lines[0] ?? 0),
    cell: (i) => <span className="tabular-nums">{i.getValue()}</span>,
  }),
  coveredHelper.accessor("via", {
    header: "Via",
    enableSorting: false,
    cell: (i) => (i.getValue() ? mono(i.getValue()) : "—"),
  }),
  coveredHelper.accessor("status", {
    header: "Status",
    cell: (i) => (
      <span
        className={`rounded px-1.5 py-0.5 text-xs font-medium ${i.getValue() === "covered" ? "bg-emerald-100 text-emerald-900 dark:bg-emerald-900/50 dark:text-emerald-100" : TONE.warn}`}
      >
        {i.getValue() === "covered" ? "Covered" : "Partly"}
      </span>
    ),
  }),
]);

const findingHelper = createColumnHelper<Features, FindingRow>();
const findingColumns = findingHelper.columns([
  findingHelper.accessor("line", {
    header: "Line",
    cell: (i) => <span className="tabular-nums">{i.getValue() || "—"}</span>,
  }),
  findingHelper.accessor("text", {
    header: "Text",
    enableSorting: false,
    // Narrow screens: the line's text is in the highlighted view (a row selects it); the explanation needs the room.
    meta: { className: "hidden sm:table-cell" },
    cell: (i) => <code className="block max-w-[14rem] break-all font-mono text-[13px]">{i.getValue()}</code>,
  }),
  findingHelper.accessor((r) => r.labels.join(", "), {
    id: "finding",
    header: "Finding",
    cell: (i) => (
      <span className="flex flex-wrap gap-1">
        {i.row.original.labels.map((l) => (
          <span key={l} className={`rounded px-1.5 py-0.5 text-xs font-medium ${TONE[i.row.original.tone]}`}>
            {l}
          </span>
        ))}
      </span>
    ),
  }),
  findingHelper.accessor("message", {
    header: "What it means · what to do",
    enableSorting: false,
    cell: (i) => (
      <span className="block min-w-[8rem] whitespace-normal break-words">
        {i.getValue()} <span className="text-slate-600 dark:text-slate-400">{i.row.original.advice}</span>
      </span>
    ),
  }),
]);

export function ResultTables({
  idPrefix,
  rows,
  omittedUnrelated,
  tab,
  onTab,
  selectedLine,
  revealAt,
  onSelectLine,
  exportMissing,
  tracedCidr,
  onTrace,
}: {
  idPrefix: string;
  rows: ReturnType<typeof buildRows>;
  omittedUnrelated: number;
  tab: ResultTab;
  onTab: (tab: ResultTab) => void;
  selectedLine: number | undefined;
  revealAt: number | undefined;
  onSelectLine: (line: number) => void;
  exportMissing: ReactNode;
  /** The published CIDR whose trace is open. */
  tracedCidr: string | undefined;
  /** Opens the trace of a published CIDR (a row of Missing or Covered was clicked or picked with Enter). */
  onTrace: (cidr: string) => void;
}) {
  const tabs: { id: ResultTab; label: string; count: number }[] = [
    { id: "missing", label: "Missing", count: rows.missing.length },
    { id: "covered", label: "Covered", count: rows.covered.length },
    { id: "findings", label: "Findings", count: rows.findings.length },
  ];
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  // The ARIA tabs pattern: one tab in the Tab order, arrows wrap around, Home/End jump, selection follows focus.
  const onKeyDown = (e: KeyboardEvent) => {
    const at = tabs.findIndex((t) => t.id === tab);
    const moves: Record<string, number> = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: tabs.length - 1 };
    const next = moves[e.key];
    if (next === undefined) return;
    e.preventDefault();
    const target = tabs[(next + tabs.length) % tabs.length]!;
    onTab(target.id);
    refs.current[target.id]?.focus();
  };
  return (
    <div className="min-w-0 space-y-2">
      <div
        role="tablist"
        aria-label="Results"
        className="flex gap-1 border-b border-slate-200 dark:border-slate-800"
        onKeyDown={onKeyDown}
      >
        {tabs.map((t) => (
          <button
            key={t.id}
            ref={(el) => {
              refs.current[t.id] = el;
            }}
            type="button"
            role="tab"
            id={`${idPrefix}-tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`${idPrefix}-panel-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            onClick={() => onTab(t.id)}
            className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium ${
              tab === t.id
                ? "border-sky-600 text-sky-800 dark:border-sky-400 dark:text-sky-200"
                : "border-transparent text-slate-600 hover:text-slate-900 dark:text-slate-400 dark:hover:text-white"
            }`}
          >
            {t.label}{" "}
            <span className="ml-1 rounded-full bg-slate-100 px-1.5 text-xs tabular-nums dark:bg-slate-800">
              {t.count}
            </span>
          </button>
        ))}
      </div>
      <div
        role="tabpanel"
        id={`${idPrefix}-panel-${tab}`}
        aria-labelledby={`${idPrefix}-tab-${tab}`}
        className="space-y-2"
      >
        {tab === "missing" ? (
          <>
            <div className="flex flex-wrap items-center gap-2">
              <CopyButton
                text={() => rows.missing.map((r) => `${r.cidr}\n`).join("")}
                label={`Copy missing (${rows.missing.length})`}
                disabled={rows.missing.length === 0}
              />
              {exportMissing}
            </div>
            {rows.missing.length === 0 ? (
              <Empty title="Nothing is missing" text="Every published NAT IP of the chosen regions is allowed." />
            ) : (
              <VirtualTable
                columns={missingColumns}
                data={rows.missing}
                label="Missing NAT IPs: pick one to trace it"
                testId="missing-table"
                rowKey={(r) => r.cidr}
                isSelected={(r) => r.cidr === tracedCidr}
                onRowClick={(r) => onTrace(r.cidr)}
              />
            )}
          </>
        ) : tab === "covered" ? (
          rows.covered.length === 0 ? (
            <Empty
              title="Nothing is covered yet"
              text="No line of your text allows a published NAT IP of the chosen regions on this port."
            />
          ) : (
            <VirtualTable
              columns={coveredColumns}
              data={rows.covered}
              label="Covered NAT IPs: pick one to trace it"
              testId="covered-table"
              rowKey={(r) => r.cidr}
              isSelected={(r) =>
                r.cidr === tracedCidr || (selectedLine !== undefined && r.lines.includes(selectedLine))
              }
              revealAt={revealAt}
              onRowClick={(r) => {
                if (r.lines[0] !== undefined) onSelectLine(r.lines[0]);
                onTrace(r.cidr);
              }}
            />
          )
        ) : (
          <>
            {rows.findings.length === 0 ? (
              <Empty title="No findings" text="No invalid, denied, egress-only, over-broad or duplicate lines." />
            ) : (
              <VirtualTable
                columns={findingColumns}
                data={rows.findings}
                label="Findings"
                testId="findings-table"
                // No minimum width: the explanation wraps in the column instead of being cut off at the table's edge.
                minWidth={0}
                rowKey={(r) => r.key}
                isSelected={(r) => r.line === selectedLine}
                revealAt={revealAt}
                onRowClick={(r) => r.line > 0 && onSelectLine(r.line)}
              />
            )}
            {omittedUnrelated > 0 ? (
              <p className="text-xs text-slate-600 dark:text-slate-400" data-testid="omitted-unrelated">
                {omittedUnrelated.toLocaleString("en-US")} other{" "}
                {omittedUnrelated === 1 ? "entry allows an address" : "entries allow addresses"} that{" "}
                {omittedUnrelated === 1 ? "is" : "are"} not published NAT IPs of the chosen regions: harmless for these
                webhooks, not listed.
              </p>
            ) : null}
          </>
        )}
      </div>
    </div>
  );
}

function Empty({ title, text }: { title: string; text: string }) {
  return (
    <div className="rounded-lg border border-dashed border-slate-300 p-6 text-center text-sm dark:border-slate-700">
      <p className="font-medium">{title}</p>
      <p className="mt-1 text-slate-600 dark:text-slate-400">{text}</p>
    </div>
  );
}
