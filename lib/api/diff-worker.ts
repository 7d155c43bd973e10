/**
 * The worker thread of big diffs (bundled to node_modules/.cache/allowlist-worker/diff-worker.mjs by lib/server/server.mjs).
 * Protocol: the parent posts a DiffJob; the worker answers { chunk } messages, each after the parent's "more"
 * (one chunk in flight: the report is never buffered here faster than the client reads it), then { done } or
 * { error }. A worker runs one job at a time and stays for the next.
 */
import { setPriority } from "node:os";
import { parentPort } from "node:worker_threads";
import { runDiffJob, type DiffJob } from "./diff-job";

// Big diffs yield the CPU to the server's own thread: on Linux, setpriority on "process 0" changes only the calling
// thread, so this worker runs at the lowest priority while pages, lists and small diffs keep theirs.
try {
  setPriority(19);
} catch {
  // Not permitted or not supported here: the worker runs at normal priority.
}

const port = parentPort!;
let wake: (() => void) | undefined;

port.on("message", (message: { job?: DiffJob; more?: true }) => {
  if (message.more) {
    const w = wake;
    wake = undefined;
    w?.();
    return;
  }
  if (!message.job) return;
  const encoder = new TextEncoder();
  runDiffJob(message.job, async (chunk) => {
    const bytes = encoder.encode(chunk);
    const acked = new Promise<void>((resolve) => (wake = resolve));
    port.postMessage({ chunk: bytes }, [bytes.buffer]);
    await acked;
  }).then(
    () => port.postMessage({ done: true }),
    (error: unknown) => port.postMessage({ error: error instanceof Error ? error.message : String(error) }),
  );
});
