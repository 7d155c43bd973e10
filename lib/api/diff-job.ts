/**
 * One diff report job: text in, the report's JSON out in chunks. Runs in a worker thread for big inputs (see
 * diff-worker.ts and diff-pool.ts) so the server's event loop keeps answering pages while 20 MB are diffed, and in
 * the request's own thread otherwise. Pure: no Next, no database (the catalog comes in with the job).
 */
import type { PublishedEntry } from "../catalog/types";
import { diffColumns } from "../diff/columnar";
import { diff } from "../diff/diff";
import { emitDiffReportJson, rowsOfResult } from "../diff/report";
import type { DiffRows } from "../diff/types";
import { scanPlainColumns } from "../parse/columnar";
import { detectFormat, parseText } from "../parse/registry";
import type { FormatId, ParseOptions } from "../parse/types";

export interface DiffJob {
  readonly text: string;
  readonly format: string;
  readonly regions: readonly string[];
  readonly port: number;
  /** Path overrides (--path, --ingress); the port reaches the parser from `port`. */
  readonly options?: ParseOptions;
  readonly catalog: readonly PublishedEntry[];
  readonly catalogVersion: number;
}

/** The diff of a text: plain lists (the big ones) by the columnar engine, which builds no object per entry. */
export function diffRowsOf(job: Omit<DiffJob, "catalogVersion">): DiffRows {
  const format = job.format === "auto" ? detectFormat(job.text).format : (job.format as FormatId);
  if (format === "plain") return diffColumns(job.catalog, scanPlainColumns(job.text), { regions: job.regions, port: job.port });
  const parsed = parseText(job.text, format, { ...job.options, port: job.port });
  return rowsOfResult(diff(job.catalog, parsed, { regions: job.regions, port: job.port }));
}

export function runDiffJob(job: DiffJob, emit: (chunk: string) => void | Promise<void>): Promise<void> {
  return emitDiffReportJson(diffRowsOf(job), job.catalogVersion, emit);
}
