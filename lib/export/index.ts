export type { ExportFile, ExportFormatId, ExportItem, ExportOptions, Exporter, PortSpec, RenderResult } from "./types";
export { exporters, exportFormatIds, getExporter } from "./registry";
export {
  defaultExportOptions,
  exportBaseName,
  exportOptionsSchema,
  parsePorts,
  prepareExport,
  renderExport,
} from "./prepare";
export type { ExportOptionsInput } from "./prepare";
