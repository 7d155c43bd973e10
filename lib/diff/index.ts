export type * from "./types";
export { DEFAULT_DIFF_OPTIONS, diff } from "./diff";
export { diffReport, diffReportJson } from "./report";
export type { DiffReport } from "./report";
export { diffColumns } from "./columnar";
export type { ColumnarDiff } from "./columnar";
export { emitDiffReportJson, rowsOfResult } from "./report";
export { trace, MAX_STEPS } from "./trace";
export type { Trace, TraceContext, TraceStep } from "./trace";
