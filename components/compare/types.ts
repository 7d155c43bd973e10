import type { ReactNode } from "react";
import type { PublishedEntry } from "@/lib/catalog/types";
import type { QuickCopyLabels } from "@/lib/compare/quick-copy";
import type { DiffResult } from "@/lib/diff/types";
import type { FormatId, PathKind } from "@/lib/parse/types";
import type { RegionOption } from "@/components/RegionPicker";

/** The catalog the workbench diffs against: every region's entries (the diff narrows to the chosen regions). */
export interface CompareCatalog {
  readonly entries: readonly PublishedEntry[];
  readonly regions: readonly RegionOption[];
  readonly version: number;
}

/** Set when the user presses "Export missing" in the Missing table; `at` changes on every press. */
export interface ExportRequest {
  readonly scope: "missing";
  readonly at: number;
}

/** What the workbench hands to its `actions` and `below` seams on every render. */
export interface CompareState {
  /** The editor's text, exactly as pasted or typed. */
  readonly text: string;
  /** The format the user chose ("auto" unless overridden). */
  readonly format: FormatId | "auto";
  /** Chosen region codes, catalog order. */
  readonly regions: readonly string[];
  /** Port checked (TCP). */
  readonly port: number;
  /** The diff of the current text, regions and port; undefined while nothing has been computed yet (or empty text). */
  readonly result: DiffResult | undefined;
  /** True while a newer result is being computed: `result` may be stale (for the previous input). */
  readonly busy: boolean;
  /** True when text, format, regions and port are what `result` was computed from. */
  readonly fresh: boolean;
  readonly catalogVersion: number;
  /** Latest "Export missing" press; the export panel opens on the missing delta when it changes. */
  readonly exportRequest: ExportRequest | undefined;
}

export interface CompareWorkbenchProps {
  readonly catalog: CompareCatalog;
  readonly initialText?: string;
  readonly initialFormat?: FormatId | "auto";
  readonly initialRegions?: readonly string[];
  readonly initialPort?: number;
  /** Path overrides (undefined: detected from the config). */
  readonly initialPath?: PathKind;
  readonly initialIngress?: string;
  /** Keep regions, format, port and the path overrides in the URL (the /compare page). Off for embedded use (firewall pages). */
  readonly syncUrl?: boolean;
  /** Rendered in the toolbar above the results (e.g. "Save as firewall", "Save revision"). */
  readonly actions?: (state: CompareState) => ReactNode;
  /** Rendered under the results (the export panel). Its wrapper has id "<idPrefix>-below" ("compare-below") and is scrolled to on "Export missing". */
  readonly below?: (state: CompareState) => ReactNode;
  /** Provider and catalog label for "Copy the lines to add" under the verdict; without them that button is not shown. */
  readonly answerLabels?: QuickCopyLabels;
  /** Accessible name / heading id prefix when several workbenches could share a page; default "compare". */
  readonly idPrefix?: string;
}
