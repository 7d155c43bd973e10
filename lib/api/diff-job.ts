/**
 * One diff report job: text in, the report's JSON out in chunks. Runs in a worker thread for big inputs (see
 * diff-worker.ts and diff-pool.ts) so the server's event loop keeps answering pages while 20 MB are diffed, and in
 * the request's own thread otherwise. Pure: no Next, no database (the catalog comes in with the job). The engine is
 * lib/diff's one entry point, runDiff, as on the compare screen and in the CLI.
 */
import type { PublishedEntry } from "../catalog/types";
import { emitDiffReportBytes, emitDiffReportJson } from "../diff/report";
import { runDiff, type Unusable } from "../diff/run";
import type { DiffRows } from "../diff/types";
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
  /** Answer text in which nothing was recognised with `unusable` instead of a report (POST /api/v1/diff). */
  readonly refuseUnusable?: boolean;
}

/** A job's diff; `unusable` when nothing was recognised and the job refuses that (the report is then not sent). */
export interface PreparedJob {
  readonly rows: DiffRows;
  readonly unusable?: Unusable;
}

export function prepareDiffJob(job: Omit<DiffJob, "catalogVersion">): PreparedJob {
  const run = runDiff({
    text: job.text,
    format: job.format as FormatId | "auto",
    regions: job.regions,
    port: job.port,
    catalog: job.catalog,
    ...(job.options !== undefined ? { parse: job.options } : {}),
  });
  return job.refuseUnusable && run.unusable !== undefined
    ? { rows: run.rows, unusable: run.unusable }
    : { rows: run.rows };
}

/** The report of a job as text, whatever its usability (tests). */
export function runDiffJob(
  job: DiffJob,
  emit: (chunk: string) => void | Promise<void>,
  rows: DiffRows = prepareDiffJob(job).rows,
): Promise<void> {
  return emitDiffReportJson(rows, job.catalogVersion, emit);
}

/** The report of a prepared job as UTF-8 chunks (the worker and the in-thread path after prepareDiffJob). */
export function streamDiffJob(
  job: DiffJob,
  rows: DiffRows,
  emit: (chunk: Uint8Array) => void | Promise<void>,
): Promise<void> {
  return emitDiffReportBytes(rows, job.catalogVersion, emit);
}
