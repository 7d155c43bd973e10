"use client";

import { useId, type ReactNode } from "react";
import type { PublishedEntry } from "@/lib/catalog/types";
import type { DeltaPlacement } from "@/lib/export/input-format";
import type { ExportFormatId } from "@/lib/export/types";
import type { FormatId } from "@/lib/parse/types";
import { ExportOptionsForm } from "./ExportOptionsForm";
import { ExportPreview } from "./ExportPreview";
import { useExport } from "./useExport";

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
  /**
   * The compared paste's format and the list it binds on the path (its inbound ACL and first deny of a missing entry):
   * a missing delta in that format goes inside it (withDeltaTarget), as the API and the CLI do.
   */
  readonly compared?: { readonly format: FormatId; readonly target?: DeltaPlacement };
}

/**
 * Pick a format and options, see the file live (rendered in the browser by lib/export), then copy or download it
 * in one click. Each copy/download is recorded in the export log; the last format and options are remembered.
 * State and work live in `useExport`; the markup in `ExportOptionsForm` (left) and `ExportPreview` (right).
 */
export function ExportPanel(props: ExportPanelProps) {
  const { published, regions, missing, catalogLabel, title = "Export" } = props;
  const id = useId();
  const state = useExport(props);
  const { effectiveScope, inRegions, scope, setScope, headingRef } = state;

  let empty: ReactNode = null;
  if (regions.length === 0) empty = "Pick at least one region to export its NAT IPs.";
  else if (effectiveScope === "missing" && inRegions.length === 0)
    empty = "Nothing is missing: the list covers every published entry of the chosen regions.";
  else if (inRegions.length === 0) empty = "No published entry in the chosen regions.";

  return (
    <section
      aria-labelledby={`${id}-title`}
      className="space-y-4 rounded-lg border border-slate-200 p-4 dark:border-slate-800"
      data-testid="export-panel"
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2
          id={`${id}-title`}
          ref={headingRef}
          tabIndex={-1}
          className="text-lg font-semibold tracking-tight focus:outline-none"
        >
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
        <ExportOptionsForm id={id} state={state} />
        <ExportPreview state={state} empty={empty} />
      </div>
    </section>
  );
}
