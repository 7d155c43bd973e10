import type { PublishedEntry } from "../catalog/types";
import type { Unusable } from "../diff/run";
import type { DiffResult } from "../diff/types";
import type { FormatId, ParseOptions, PathKind } from "../parse/types";
import type { LineMarks } from "./marks";
import type { TraceAnswer } from "./trace";

/** What to compare: the same request runs on the main thread (small inputs) or in the worker (large ones). */
export interface CompareRequest {
  readonly text: string;
  readonly format: FormatId | "auto";
  readonly regions: readonly string[];
  readonly port: number;
  readonly catalog: readonly PublishedEntry[];
  /** Overrides of what the parser detects about the path (the service is the host itself or behind it; the Internet side). */
  readonly path?: PathKind;
  readonly ingress?: string;
}

/** The parse options of a request: only the overrides it sets. */
export function parseOptionsOf(request: Pick<CompareRequest, "path" | "ingress">): ParseOptions {
  return {
    ...(request.path !== undefined ? { path: request.path } : {}),
    ...(request.ingress !== undefined ? { ingress: request.ingress } : {}),
  };
}

export type ComparePhase = "parse" | "diff" | "mark";
export const PHASES: readonly ComparePhase[] = ["parse", "diff", "mark"];

export interface CompareProgress {
  readonly phase: ComparePhase;
  /** Lines handled so far in this phase, out of `total` (the input's line count). */
  readonly done: number;
  readonly total: number;
}

export interface CompareOutcome {
  /** The diff with plain "unrelated" verdicts left out of `entries` (see trimResult). */
  readonly result: DiffResult;
  readonly omittedUnrelated: number;
  /** True when the format came from detection. */
  readonly detected: boolean;
  readonly lineCount: number;
  readonly lines: LineMarks;
  readonly timings: { readonly parseMs: number; readonly diffMs: number };
  /** Set when nothing in the text was recognised (lib/diff/run.ts): shown instead of an "everything missing" verdict. */
  readonly unusable?: Unusable;
}

/** A compare run, or the trace of one address through the same request (the worker keeps the latest parse). */
export type WorkerRequest =
  | ({ readonly id: number; readonly type?: "compare" } & CompareRequest)
  | { readonly id: number; readonly type: "trace"; readonly request: CompareRequest; readonly address: string };

export type WorkerReply =
  | { readonly type: "progress"; readonly id: number; readonly progress: CompareProgress }
  | { readonly type: "done"; readonly id: number; readonly outcome: CompareOutcome }
  | { readonly type: "traced"; readonly id: number; readonly answer: TraceAnswer }
  | { readonly type: "failed"; readonly id: number; readonly message: string };

/** Inputs with more lines than this go to the worker; below it a synchronous run takes a few milliseconds. */
export const WORKER_LINE_THRESHOLD = 5_000;
