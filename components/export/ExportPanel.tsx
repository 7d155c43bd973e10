"use client";

import { useEffect, useId, useMemo, useRef, useState, type ReactNode } from "react";
import { describeSupport, exportFormatGroups } from "@/lib/export/describe";
import type { RecordExportInput } from "@/lib/export/record-schema";
import type { PublishedEntry } from "@/lib/catalog/types";
import { planExport } from "@/lib/export/plan";
import { exportOptionsSchema, renderPlan } from "@/lib/export/prepare";
import { exporters, getExporter } from "@/lib/export/registry";
import type { ExportFile, ExportFormatId } from "@/lib/export/types";
import { recordExportAction } from "@/app/exports/actions";
import { useExportPreferences, type ExportFormValues } from "./useExportPreferences";
import { saveFile } from "../saveFile";

export interface ExportPanelProps {
  /** The whole catalog; the panel narrows it to `regions`. */
  readonly published: readonly PublishedEntry[];
  /** Chosen region codes. */
  readonly regions: readonly string[];
  /** When given, the user may export only these (the entries a compared list does not cover); the default scope. */
  readonly missing?: readonly PublishedEntry[];
  readonly catalogLabel: string;
  readonly provider: string;
  /** The catalog version the entries come from, for the export log (the current one when absent). */
  readonly catalogVersion?: number;
  readonly source?: { readonly kind: "catalog" | "paste" | "firewall"; readonly firewallId?: number };
  /** Changing `at` switches the scope (e.g. the compare page's "Export missing" button) and focuses the panel. */
  readonly requestedScope?: { readonly scope: "full" | "missing"; readonly at: number };
  readonly title?: string;
  /** The format of the compared paste's lines (iptables in → iptables out): chosen whenever it changes. */
  readonly suggestedFormat?: ExportFormatId;
}

type Status = { readonly kind: "ok" | "error"; readonly text: string } | undefined;

const FIELD_LABELS: Record<keyof ExportFormValues, string> = {
  ports: "Ports",
  protocol: "Protocol",
  destination: "Destination",
  namePrefix: "Name prefix",
  comments: "Comments",
  aggregate: "Aggregate",
  family: "Family",
  deployment: "Deployment",
  sync: "Sync",
};

const inputClass =
  "w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900 aria-[invalid=true]:border-red-500";
const buttonClass =
  "rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 disabled:cursor-not-allowed disabled:opacity-50 dark:border-slate-700 dark:hover:bg-slate-800";
const primaryClass =
  "rounded-md bg-sky-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-sky-800 disabled:cursor-not-allowed disabled:opacity-50 dark:hover:bg-sky-600";

/**
 * Pick a format and options, see the file live (rendered in the browser by lib/export), then copy or download it
 * in one click. Each copy/download is recorded in the export log; the last format and options are remembered.
 */
export function ExportPanel({
  published,
  regions,
  missing,
  catalogLabel,
  provider,
  catalogVersion,
  source = { kind: "catalog" },
  requestedScope,
  title = "Export",
  suggestedFormat,
}: ExportPanelProps) {
  const id = useId();
  const [prefs, setPrefs, prefsLoaded] = useExportPreferences();
  const { format, values } = prefs;
  // Missing-only is the default whenever a missing list is (or later becomes) available.
  const [scope, setScope] = useState<"full" | "missing">("missing");
  const [chosenFile, setChosenFile] = useState(0);
  const [status, setStatus] = useState<Status>(undefined);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const chosenScope = missing === undefined ? "full" : scope;
  const effectiveScope = chosenScope === "full" && values.sync ? "sync" : chosenScope;

  useEffect(() => {
    if (requestedScope === undefined) return;
    setScope(requestedScope.scope);
    headingRef.current?.focus();
  }, [requestedScope]);

  // The panel defaults to the paste's own format; the user's choice stands until a paste of another format arrives.
  useEffect(() => {
    // After the stored preferences are read, or they would overwrite the suggestion.
    if (suggestedFormat === undefined || !prefsLoaded || prefs.format === suggestedFormat) return;
    setPrefs({ ...prefs, format: suggestedFormat });
    setChosenFile(0);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only a new suggestion changes the format
  }, [suggestedFormat, prefsLoaded]);

  const setValue = <K extends keyof ExportFormValues>(key: K, value: ExportFormValues[K]) =>
    setPrefs({ format, values: { ...values, [key]: value } });

  const parsed = useMemo(
    () => {
      const { sync: _sync, ...fields } = values;
      return exportOptionsSchema.safeParse({ ...fields, scope: effectiveScope, catalogLabel, provider });
    },
    [values, effectiveScope, catalogLabel, provider],
  );
  const fieldErrors = useMemo(() => {
    const errors: Partial<Record<keyof ExportFormValues, string[]>> = {};
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const key = (issue.path[0] ?? "ports") as keyof ExportFormValues;
        (errors[key] ??= []).push(issue.message);
      }
    }
    return errors;
  }, [parsed]);

  const inRegions = useMemo(
    () => (effectiveScope === "missing" ? (missing ?? []) : published).filter((e) => regions.includes(e.region)),
    [effectiveScope, missing, published, regions],
  );

  // One plan gives both the files and the entry count (what the export log records).
  const plan = useMemo(() => (parsed.success ? planExport(format, inRegions, parsed.data, { regions }) : undefined), [format, parsed, regions, inRegions]);
  const result = useMemo(() => {
    if (!parsed.success || plan === undefined || regions.length === 0 || inRegions.length === 0) return undefined;
    return renderPlan(format, plan, parsed.data, regions);
  }, [format, parsed, plan, regions, inRegions]);
  const entryCount = plan?.entryCount ?? 0;
  // With aggregation the file holds fewer CIDRs than entries: say both, so the file and the tables agree.
  const cidrCount = parsed.success && parsed.data.aggregate && result?.ok ? plan?.items.length : undefined;

  const files: readonly ExportFile[] = result?.ok ? result.files : [];
  const file = files[Math.min(chosenFile, files.length - 1)];
  const exporter = getExporter(format);

  async function record(channel: "copy" | "download", what: string) {
    if (!parsed.success) return;
    const input: RecordExportInput = {
      format,
      channel,
      scope: effectiveScope,
      source: effectiveScope !== "missing" ? "catalog" : source.kind === "catalog" ? "paste" : source.kind,
      ...(effectiveScope === "missing" && source.firewallId !== undefined ? { firewallId: source.firewallId } : {}),
      regions: [...regions],
      options: { ...values },
      // The server counts what it can verify; for a paste's missing entries it needs to know which they were.
      ...(effectiveScope === "missing" ? { cidrs: inRegions.map((e) => e.cidr) } : {}),
      ...(catalogVersion === undefined ? {} : { catalogVersion }),
    };
    try {
      const saved = await recordExportAction(input);
      setStatus(saved.ok ? { kind: "ok", text: `${what} · recorded in the export log.` } : { kind: "error", text: `${what}, but ${saved.message}` });
    } catch {
      setStatus({ kind: "error", text: `${what}, but the export log could not be reached.` });
    }
  }

  async function copy(f: ExportFile) {
    try {
      await navigator.clipboard.writeText(f.content);
    } catch {
      setStatus({ kind: "error", text: "Copy failed: the browser refused clipboard access. Use Download instead." });
      return;
    }
    setStatus({ kind: "ok", text: `Copied ${f.name}` });
    await record("copy", `Copied ${f.name}`);
  }

  async function download(f: ExportFile) {
    saveFile(f.name, f.mime, f.content);
    setStatus({ kind: "ok", text: `Downloaded ${f.name}` });
    await record("download", `Downloaded ${f.name}`);
  }

  const describe = (key: keyof ExportFormValues) => (fieldErrors[key] ? `${id}-${key}-error` : undefined);
  const fieldError = (key: keyof ExportFormValues) =>
    fieldErrors[key] ? (
      <p id={`${id}-${key}-error`} className="mt-1 text-xs text-red-700 dark:text-red-400">
        {fieldErrors[key].join(" ")}
      </p>
    ) : null;

  let empty: ReactNode = null;
  if (regions.length === 0) empty = "Pick at least one region to export its NAT IPs.";
  else if (effectiveScope === "missing" && inRegions.length === 0) empty = "Nothing is missing: the list covers every published entry of the chosen regions.";
  else if (inRegions.length === 0) empty = "No published entry in the chosen regions.";

  return (
    <section aria-labelledby={`${id}-title`} className="space-y-4 rounded-lg border border-slate-200 p-4 dark:border-slate-800" data-testid="export-panel">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id={`${id}-title`} ref={headingRef} tabIndex={-1} className="text-lg font-semibold tracking-tight focus:outline-none">
          {title}
        </h2>
        <p className="text-xs text-slate-500 dark:text-slate-400">
          {regions.length > 0 ? regions.join(", ") : "No region"} · {catalogLabel}
        </p>
      </div>

      {missing !== undefined ? (
        <fieldset className="flex flex-wrap items-center gap-4 text-sm">
          <legend className="sr-only">Scope</legend>
          <span aria-hidden="true" className="font-medium text-slate-700 dark:text-slate-300">
            Scope
          </span>
          {(["missing", "full"] as const).map((s) => (
            <label key={s} className="inline-flex items-center gap-2">
              <input type="radio" name={`${id}-scope`} value={s} checked={scope === s} onChange={() => setScope(s)} />
              {s === "missing"
                ? `Missing only (${missing.filter((e) => regions.includes(e.region)).length})`
                : `Full allowlist (${published.filter((e) => regions.includes(e.region)).length})`}
            </label>
          ))}
        </fieldset>
      ) : null}

      <div className="grid gap-4 md:grid-cols-[minmax(0,18rem)_minmax(0,1fr)]">
        <div className="space-y-3">
          <div>
            <label htmlFor={`${id}-format`} className="block text-sm font-medium">
              Export format
            </label>
            <select
              id={`${id}-format`}
              value={format}
              onChange={(e) => {
                setPrefs({ format: e.target.value as ExportFormatId, values });
                setChosenFile(0);
                setStatus(undefined);
              }}
              className={inputClass}
              aria-describedby={`${id}-supports`}
            >
              {exportFormatGroups.map((group) => (
                <optgroup key={group.label} label={group.label}>
                  {group.ids.map((fid) => (
                    <option key={fid} value={fid}>
                      {exporters[fid].label}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
            <p id={`${id}-supports`} className="mt-1 text-xs text-slate-500 dark:text-slate-400">
              Holds {describeSupport(format)}
            </p>
          </div>

          <div className="grid grid-cols-2 gap-3">
            <div>
              <label htmlFor={`${id}-ports`} className="block text-sm font-medium">
                {FIELD_LABELS.ports}
              </label>
              <input
                id={`${id}-ports`}
                value={values.ports}
                onChange={(e) => setValue("ports", e.target.value)}
                placeholder="443"
                spellCheck={false}
                aria-invalid={fieldErrors.ports ? true : undefined}
                aria-describedby={describe("ports")}
                className={`${inputClass} font-mono`}
              />
              {fieldError("ports")}
            </div>
            <div>
              <label htmlFor={`${id}-protocol`} className="block text-sm font-medium">
                {FIELD_LABELS.protocol}
              </label>
              <select id={`${id}-protocol`} value={values.protocol} onChange={(e) => setValue("protocol", e.target.value as "tcp" | "udp")} className={inputClass}>
                <option value="tcp">TCP</option>
                <option value="udp">UDP</option>
              </select>
            </div>
          </div>

          <div>
            <label htmlFor={`${id}-destination`} className="block text-sm font-medium">
              {FIELD_LABELS.destination}
            </label>
            <input
              id={`${id}-destination`}
              value={values.destination}
              onChange={(e) => setValue("destination", e.target.value)}
              placeholder="any, or 203.0.113.10, 2001:db8::/64"
              spellCheck={false}
              aria-invalid={fieldErrors.destination ? true : undefined}
              aria-describedby={describe("destination")}
              className={`${inputClass} font-mono`}
            />
            {fieldError("destination")}
          </div>

          <div>
            <label htmlFor={`${id}-name-prefix`} className="block text-sm font-medium">
              {FIELD_LABELS.namePrefix}
            </label>
            <input
              id={`${id}-name-prefix`}
              value={values.namePrefix}
              onChange={(e) => setValue("namePrefix", e.target.value)}
              spellCheck={false}
              aria-invalid={fieldErrors.namePrefix ? true : undefined}
              aria-describedby={describe("namePrefix")}
              className={`${inputClass} font-mono`}
            />
            {fieldError("namePrefix")}
          </div>

          <div>
            <label htmlFor={`${id}-family`} className="block text-sm font-medium">
              {FIELD_LABELS.family}
            </label>
            <select id={`${id}-family`} value={values.family} onChange={(e) => setValue("family", e.target.value as "4" | "6" | "both")} className={inputClass}>
              <option value="both">IPv4 and IPv6</option>
              <option value="4">IPv4 only</option>
              <option value="6">IPv6 only</option>
            </select>
          </div>

          <div>
            <label htmlFor={`${id}-deployment`} className="block text-sm font-medium">
              {FIELD_LABELS.deployment}
            </label>
            <select
              id={`${id}-deployment`}
              value={values.deployment}
              onChange={(e) => setValue("deployment", e.target.value as "additive" | "dedicated")}
              className={inputClass}
            >
              <option value="additive">Additive: accept rules inside my policy</option>
              <option value="dedicated">Dedicated: only these may reach the port</option>
            </select>
          </div>

          <div className="space-y-1.5 text-sm">
            {chosenScope === "full" ? (
              <label className="flex items-center gap-2">
                <input type="checkbox" checked={values.sync} onChange={(e) => setValue("sync", e.target.checked)} />
                Sync: also remove what is no longer published
              </label>
            ) : null}
            <label className="flex items-center gap-2">
              <input type="checkbox" checked={values.aggregate} onChange={(e) => setValue("aggregate", e.target.checked)} />
              Aggregate to the fewest CIDRs
            </label>
            <label className="flex items-center gap-2">
              <input type="checkbox" checked={values.comments} onChange={(e) => setValue("comments", e.target.checked)} />
              Comments (region, product, catalog version)
            </label>
          </div>
        </div>

        <div className="min-w-0 space-y-3">
          <div aria-live="polite" className="space-y-2" data-testid="export-messages">
            {empty !== null ? (
              <p className="rounded-lg border border-dashed border-slate-300 p-4 text-sm text-slate-600 dark:border-slate-700 dark:text-slate-400">{empty}</p>
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
                  {cidrCount !== undefined && cidrCount !== entryCount ? ` as ${cidrCount} ${cidrCount === 1 ? "CIDR" : "CIDRs"} (aggregated)` : ""} · {files.length}{" "}
                  {files.length === 1 ? "file" : "files"}
                </p>
                {result.warnings.length > 0 ? (
                  <ul className="list-disc rounded-lg border border-amber-300 bg-amber-50 py-2 pl-8 pr-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-200" data-testid="export-warnings">
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
                        onClick={() => setChosenFile(i)}
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
                  <button type="button" className={buttonClass} onClick={() => void copy(file)} aria-label={`Copy ${file.name}`}>
                    Copy
                  </button>
                  <button type="button" className={primaryClass} onClick={() => void download(file)} aria-label={`Download ${file.name}`}>
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
      </div>
    </section>
  );
}
