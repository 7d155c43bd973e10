/**
 * The second thread of `allowlist diff` on a large plain list (lib/cli/diff-thread.ts): it sweeps the list's IPv6
 * entries for duplicates and redundant entries, reading the columns and writing the marks in shared memory, and says
 * when it is done through a shared flag (Atomics). The launcher bundles this file apart from the command line, so the
 * thread loads the sweep and nothing else.
 */
import { parentPort, workerData } from "node:worker_threads";
import { sweepIPv6Words } from "../diff/kernel/overlaps";

export interface SweepRequest {
  readonly indices: Uint32Array;
  readonly first: Uint32Array;
  readonly last: Uint32Array;
  readonly duplicateOf: Int32Array;
  readonly insideOf: Int32Array;
  /** SWEEP_DONE or SWEEP_FAILED once it is over. */
  readonly done: Int32Array;
}

/** Values of the shared flags: the thread is loaded (workerData's flag); a sweep finished, or failed. */
export const THREAD_READY = 1;
export const SWEEP_DONE = 1;
export const SWEEP_FAILED = 2;

function sweep(r: SweepRequest): void {
  let state = SWEEP_FAILED;
  try {
    // Every entry of a plain list is an applying allow.
    const applying = new Uint8Array(r.duplicateOf.length).fill(1);
    sweepIPv6Words(applying, r.indices, r.first, r.last, undefined, {
      duplicateOf: r.duplicateOf,
      insideOf: r.insideOf,
    });
    state = SWEEP_DONE;
  } finally {
    Atomics.store(r.done, 0, state);
    Atomics.notify(r.done, 0);
  }
}

if (parentPort !== null) {
  parentPort.on("message", sweep);
  const ready = (workerData as { ready?: Int32Array } | undefined)?.ready;
  if (ready !== undefined) Atomics.store(ready, 0, THREAD_READY);
}
