/**
 * A second thread for `allowlist diff` on a large plain list, on a machine with two CPUs or more: it sweeps the IPv6
 * entries for duplicate and redundant entries (lib/cli/sweep-thread.ts) while the main thread sweeps the IPv4 ones
 * and decides each entry's verdict (diffColumns with a SweepThread). The IPv6 columns and the marks are in shared
 * memory, and the thread writes only the IPv6 entries' marks, so the result is exactly the one-thread diff:
 * lib/cli/diff-thread.test.ts runs the sweep on a real thread against the one-thread diff, and lib/cli/fastpath.test.ts
 * compares the bundled command line's output with ALLOWLIST_CLI_THREADS=1.
 *
 * The thread starts before the input is read, so its start-up (about 30 ms) overlaps the read and the scan. Only the
 * bundled command line has the thread's script (the launcher names it). When the thread is not ready, or fails, the
 * main thread sweeps the IPv6 entries itself.
 *
 * Measured on the 1M-line list (2 CPUs), the thread against ALLOWLIST_CLI_THREADS=1, alternating: `allowlist diff`
 * 426 → 410 ms, `--json` 741 → 721 ms (medians of 15 and 9 runs). Scanning half of the list on the thread as well was
 * tried and dropped: slower (each half took 20 % longer than its share alone, and the join copied 20 ms' worth), and
 * it added 35 MB.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { Overlaps, SweepThread } from "../diff/kernel/overlaps";
import { SWEEP_DONE, THREAD_READY, type SweepRequest } from "./sweep-thread";

/** Lists from this size on get the thread: below it, its start-up is not won back. */
export const DIFF_THREAD_BYTES = 8 * 1024 * 1024;

/**
 * How long a join waits for a sweep the thread has started before the main thread does it too: 5 s, or 50 µs an entry
 * (about 15 times what a sweep takes here). A thread that died meanwhile cannot say so to a main thread blocked in
 * Atomics.wait; a slow one that finishes after all writes the same marks the main thread writes, so waiting less is
 * safe, it only does the work twice.
 */
const sweepWaitMs = (entries: number) => Math.max(5000, entries / 20);

/** Set by lib/cli/launch.mjs: the thread's bundled script. Absent when the command line runs from source (tsx). */
function threadScript(): string | undefined {
  return (globalThis as { __allowlistSweepThread?: string }).__allowlistSweepThread;
}

function debug(message: string): void {
  if (process.env.ALLOWLIST_CLI_DEBUG) process.stderr.write(`allowlist: ${message}\n`);
}

export class DiffThread implements SweepThread {
  readonly allocate = (bytes: number): ArrayBufferLike => new SharedArrayBuffer(bytes);

  private constructor(
    private readonly worker: Worker,
    /** THREAD_READY once the thread has loaded its script. */
    private readonly ready: Int32Array,
  ) {}

  /**
   * A started thread, or undefined where a second one would not help: one CPU, no bundled script, or
   * ALLOWLIST_CLI_THREADS=1.
   */
  static start(script = threadScript()): DiffThread | undefined {
    if (script === undefined || process.env.ALLOWLIST_CLI_THREADS === "1" || availableParallelism() < 2)
      return undefined;
    const ready = new Int32Array(new SharedArrayBuffer(4));
    // The bundled script, or the TypeScript source (the tests) through tsx's require hook: a worker does not inherit
    // the loader that `node --import tsx` registered.
    let worker: Worker;
    try {
      worker = script.endsWith(".ts")
        ? new Worker(`require("tsx/cjs"); require(${JSON.stringify(script)});`, { eval: true, workerData: { ready } })
        : new Worker(script, { workerData: { ready } });
    } catch (e) {
      // No thread (a script path Node refuses, no resources for one): the main thread does all the work.
      debug(`no sweep thread: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
    // The thread never keeps the command from exiting: the main thread waits for its sweep with Atomics.
    worker.unref();
    // A thread that fails (its script missing, out of memory) takes no work, or finishes none: the main thread does it.
    // Unheard, its error would end the command.
    worker.on("error", (e) => debug(`the sweep thread failed: ${e.message}`));
    return new DiffThread(worker, ready);
  }

  /** Whether the thread has loaded its script: it takes no work before. */
  get isReady(): boolean {
    return Atomics.load(this.ready, 0) === THREAD_READY;
  }

  sweepIPv6(indices: Uint32Array, first: Uint32Array, last: Uint32Array, out: Overlaps): (() => boolean) | undefined {
    const shared = [indices, first, last, out.duplicateOf, out.insideOf].every(
      (a) => a.buffer instanceof SharedArrayBuffer,
    );
    if (!shared || indices.length === 0 || !this.isReady) return undefined;
    const done = new Int32Array(new SharedArrayBuffer(4));
    const request: SweepRequest = { indices, first, last, duplicateOf: out.duplicateOf, insideOf: out.insideOf, done };
    this.worker.postMessage(request);
    debug(`${indices.length} IPv6 entries swept on a second thread`);
    return () => {
      const deadline = Date.now() + sweepWaitMs(indices.length);
      while (Atomics.load(done, 0) === 0 && Date.now() < deadline) Atomics.wait(done, 0, 0, 1000);
      const finished = Atomics.load(done, 0) === SWEEP_DONE;
      if (!finished) debug("the sweep thread did not finish; the IPv6 entries are swept here");
      return finished;
    };
  }

  close(): void {
    void this.worker.terminate();
  }
}
