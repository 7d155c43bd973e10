/**
 * "Copy the lines to add": the missing delta in the format the paste was read as, through the same exporter as the
 * export panel, with aggregation off so the file holds exactly the entries the Missing table lists.
 */
import type { PublishedEntry } from "../catalog/types";
import type { DiffResult } from "../diff/types";
import { exportFormatForInput } from "../export/input-format";
import { exportOptionsSchema, renderExport } from "../export/prepare";
import { getExporter } from "../export/registry";
import type { ExportFile, ExportFormatId } from "../export/types";

export interface QuickCopyLabels {
  readonly provider: string;
  readonly catalogLabel: string;
}

export type QuickCopy =
  | { readonly kind: "nothing" }
  | {
      readonly kind: "file";
      readonly format: ExportFormatId;
      readonly formatLabel: string;
      readonly file: ExportFile;
      /** Published entries in the file: the Missing table's count (aggregation is off). */
      readonly entries: readonly PublishedEntry[];
      readonly warnings: readonly string[];
    }
  | {
      readonly kind: "refused";
      readonly format: ExportFormatId;
      readonly formatLabel: string;
      readonly errors: readonly string[];
    };

/** The entries a result does not fully cover (missing or partial), in the result's order. */
export function entriesToAdd(result: Pick<DiffResult, "published">): PublishedEntry[] {
  return result.published.filter((p) => p.status !== "covered").map((p) => p.entry);
}

export function quickCopy(
  result: Pick<DiffResult, "published" | "format" | "regions">,
  port: number,
  labels: QuickCopyLabels,
): QuickCopy {
  const entries = entriesToAdd(result);
  if (entries.length === 0) return { kind: "nothing" };
  const format = exportFormatForInput(result.format);
  const formatLabel = getExporter(format).label;
  const options = exportOptionsSchema.parse({
    ports: String(port),
    scope: "missing",
    aggregate: false,
    comments: true,
    ...labels,
  });
  const rendered = renderExport(format, entries, options, { regions: result.regions });
  if (!rendered.ok) return { kind: "refused", format, formatLabel, errors: rendered.errors };
  return { kind: "file", format, formatLabel, file: rendered.files[0]!, entries, warnings: rendered.warnings };
}
