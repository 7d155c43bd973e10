/**
 * Big diffs run in worker threads when the server provides the worker bundle (lib/server/server.mjs sets
 * ALLOWLIST_DIFF_WORKER); elsewhere (next dev, unit tests of other handlers) in the request's thread. The heavy gate
 * (heavy.ts) already bounds how many run at once; each running job has its own worker, reused afterwards.
 */
import { Worker } from "node:worker_threads";
import { runDiffJob, type DiffJob } from "./diff-job";
import { streamResponse } from "./respond";

const idle: Worker[] = [];
const shared = globalThis as unknown as { allowlistDiffWorkers?: Worker[] };
shared.allowlistDiffWorkers ??= idle;

function takeWorker(path: string): Worker {
  const w = shared.allowlistDiffWorkers!.pop();
  if (w) return w;
  const worker = new Worker(path);
  worker.unref();
  return worker;
}

/** The report as a streamed response, computed in a worker when one is available. `done` frees the caller's slot. */
export function diffReportResponse(job: DiffJob, init: ResponseInit, done: () => void = () => {}, heavy = true): Response {
  const path = process.env.ALLOWLIST_DIFF_WORKER;
  if (!path || !heavy) return streamResponse((emit) => runDiffJob(job, emit), init, done);
  const worker = takeWorker(path);
  let finished = false;
  return streamResponse(
    (emit) =>
      new Promise<void>((resolve, reject) => {
        const onMessage = (m: { chunk?: Uint8Array; done?: true; error?: string }) => {
          if (m.chunk) {
            emit(m.chunk).then(
              () => worker.postMessage({ more: true }),
              (error: unknown) => {
                // The client went away: this worker is mid-job; end it rather than reuse it.
                cleanup();
                void worker.terminate();
                reject(error);
              },
            );
          } else if (m.done) {
            finished = true;
            cleanup();
            shared.allowlistDiffWorkers!.push(worker);
            resolve();
          } else if (m.error !== undefined) {
            finished = true;
            cleanup();
            shared.allowlistDiffWorkers!.push(worker);
            reject(new Error(m.error));
          }
        };
        const onExit = () => {
          if (!finished) reject(new Error("The diff worker stopped."));
        };
        const cleanup = () => {
          worker.off("message", onMessage);
          worker.off("exit", onExit);
        };
        worker.on("message", onMessage);
        worker.on("exit", onExit);
        worker.postMessage({ job });
      }),
    init,
    done,
  );
}
