/**
 * The worker thread of big diffs (bundled to node_modules/.cache/allowlist-worker/diff-worker.mjs by lib/server/server.mjs).
 * Protocol: the parent posts a DiffJob; the worker diffs it and answers { unusable } (and is done) or { ready };
 * then, after each "more" from the parent, one { chunk } (one chunk in flight: the report is never buffered here
 * faster than the client reads it), then { done } or { error }. A worker runs one job at a time and stays for the next.
 */
import { setPriority } from "node:os";
import { parentPort } from "node:worker_threads";
import { prepareDiffJob, streamDiffJob, type DiffJob } from "./diff-job";

// Big diffs yield the CPU to the server's own thread: on Linux, setpriority on "process 0" changes only the calling
// thread, so this worker runs at the lowest priority while pages, lists and small diffs keep theirs.
try {
  setPriority(19);
} catch {
  // Not permitted or not supported here: the worker runs at normal priority.
}

const port = parentPort!;
let wake: (() => void) | undefined;
const more = () => new Promise<void>((resolve) => (wake = resolve));

port.on("message", (message: { job?: DiffJob; more?: true }) => {
  if (message.more) {
    const w = wake;
    wake = undefined;
    w?.();
    return;
  }
  if (!message.job) return;
  const job = message.job;
  void (async () => {
    const prepared = prepareDiffJob(job);
    if (prepared.unusable !== undefined) {
      port.postMessage({ unusable: prepared.unusable });
      return false;
    }
    const first = more();
    port.postMessage({ ready: true });
    await first;
    await streamDiffJob(job, prepared.rows, async (chunk) => {
      const acked = more();
      // The chunk owns its buffer (a fresh one per chunk): moved to the parent, not copied.
      port.postMessage({ chunk }, [chunk.buffer as ArrayBuffer]);
      await acked;
    });
    return true;
  })().then(
    (reported) => {
      // { unusable } was the whole answer.
      if (reported) port.postMessage({ done: true });
    },
    (error: unknown) => port.postMessage({ error: error instanceof Error ? error.message : String(error) }),
  );
});
