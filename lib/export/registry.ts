import { linuxExporters } from "./formats/linux";
import { vendorExporters } from "./formats/vendor";
import type { ExportFormatId, Exporter } from "./types";

/** Every export format by id; `satisfies` makes a missing or misnamed format a compile error. */
export const exporters = { ...linuxExporters, ...vendorExporters } satisfies Record<ExportFormatId, Exporter>;

export const exportFormatIds = Object.keys(exporters) as ExportFormatId[];

export function getExporter(id: ExportFormatId): Exporter {
  return exporters[id];
}
