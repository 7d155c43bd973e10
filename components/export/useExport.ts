"use client";

import { useEffect, useMemo, useRef, useState } from "react";
import type { RecordExportInput } from "@/lib/export/record-schema";
import { withDeltaTarget } from "@/lib/export/input-format";
import { planExport } from "@/lib/export/plan";
import { exportOptionsSchema, renderPlan } from "@/lib/export/prepare";
import { getExporter } from "@/lib/export/registry";
import type { ExportFile } from "@/lib/export/types";
import { recordExportAction } from "@/app/exports/actions";
import { useExportPreferences, type ExportFormValues } from "./useExportPreferences";
import { saveFile } from "../saveFile";
import type { ExportPanelProps } from "./ExportPanel";

export type ExportStatus = { readonly kind: "ok" | "error"; readonly text: string } | undefined;
export type FieldErrors = Partial<Record<keyof ExportFormValues, string[]>>;

/**
 * The export panel's state and work, apart from its markup: the remembered format and options, the scope, the
 * options checked by the same zod schema as the API, one export plan (files and entry count), and copy/download
 * recorded in the export log.
 */
export function useExport({
  published,
  regions,
  missing,
  catalogLabel,
  provider,
  catalogVersion,
  source = { kind: "catalog" },
  requestedScope,
  suggestedFormat,
  compared,
}: ExportPanelProps) {
  const [prefs, setPrefs, prefsLoaded] = useExportPreferences();
  const { format, values } = prefs;
  // Missing-only is the default whenever a missing list is (or later becomes) available.
  const [scope, setScope] = useState<"full" | "missing">("missing");
  const [chosenFile, setChosenFile] = useState(0);
  const [status, setStatus] = useState<ExportStatus>(undefined);
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

  // The compared paste's list by value: a new result object with the same target keeps the plan.
  const listFormat = compared?.format;
  const targetKind = compared?.target?.kind;
  const targetName = compared?.target?.name;
  const targetLine = compared?.target?.deny?.position;
  const targetAfter = compared?.target?.deny?.after;
  // Junos: the zone pair and the policy the new one goes ahead of.
  const targetFrom = compared?.target?.zones?.from;
  const targetTo = compared?.target?.zones?.to;
  const targetPolicy = compared?.target?.deny?.name;
  const parsed = useMemo(() => {
    const { sync: _sync, ...fields } = values;
    const r = exportOptionsSchema.safeParse({ ...fields, scope: effectiveScope, catalogLabel, provider });
    // A missing delta in the paste's own format goes inside the list the paste binds, ahead of its first deny.
    if (!r.success || listFormat === undefined || targetKind === undefined || targetName === undefined) return r;
    const name = targetPolicy !== undefined ? { name: targetPolicy } : {};
    const deny = targetLine !== undefined ? { deny: { position: targetLine, after: targetAfter ?? 0, ...name } } : {};
    const zones =
      targetFrom !== undefined && targetTo !== undefined ? { zones: { from: targetFrom, to: targetTo } } : {};
    const target = { kind: targetKind, name: targetName, ...zones, ...deny };
    return { ...r, data: withDeltaTarget(r.data, format, listFormat, target) };
  }, [
    values,
    effectiveScope,
    catalogLabel,
    provider,
    format,
    listFormat,
    targetKind,
    targetName,
    targetLine,
    targetAfter,
    targetFrom,
    targetTo,
    targetPolicy,
  ]);
  const fieldErrors = useMemo(() => {
    const errors: FieldErrors = {};
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
  const plan = useMemo(
    () => (parsed.success ? planExport(format, inRegions, parsed.data, { regions }) : undefined),
    [format, parsed, regions, inRegions],
  );
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
      setStatus(
        saved.ok
          ? { kind: "ok", text: `${what} · recorded in the export log.` }
          : { kind: "error", text: `${what}, but ${saved.message}` },
      );
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

  return {
    prefs,
    setPrefs,
    format,
    values,
    setValue,
    scope,
    setScope,
    chosenScope,
    effectiveScope,
    headingRef,
    parsed,
    fieldErrors,
    inRegions,
    result,
    entryCount,
    cidrCount,
    files,
    file,
    exporter,
    chooseFile: setChosenFile,
    status,
    setStatus,
    copy,
    download,
  };
}

export type ExportState = ReturnType<typeof useExport>;
