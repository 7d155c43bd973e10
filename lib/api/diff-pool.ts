/**
 * Big diffs run in worker threads when the server provides the worker bundle (lib/server/server.mjs sets
 * ALLOWLIST_DIFF_WORKER); elsewhere (next dev, unit tests of other handlers) in the request's thread. The heavy gate
 * (heavy.ts) already bounds how many run at once; each running job has its own worker, reused afterwards.
 */
import { Worker } from "node:worker_threads";
import type { Unusable } from "../diff/run";
import { prepareDiffJob, streamDiffJob, type DiffJob } from "./diff-job";
import { jsonError, streamResponse } from "./respond";

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

/** 422 in the API's error shape: the message, and each unreadable line as an issue with its line number. */
export function unusableResponse(u: Unusable): Response {
  return jsonError(
    422,
    u.message,
    u.lines.map((l) => ({ line: l.line, message: `${l.text} — ${l.message}` })),
  );
}

type WorkerMessage = { chunk?: Uint8Array; ready?: true; unusable?: Unusable; done?: true; error?: string };

/**
 * The report as a streamed response, computed in a worker when one is available; a 422 instead when the job refuses
 * unusable text and nothing was recognised in it. `done` frees the caller's slot.
 */
export async function diffReportResponse(
  job: DiffJob,
  init: ResponseInit,
  done: () => void = () => {},
  heavy = true,
): Promise<Response> {
  const path = process.env.ALLOWLIST_DIFF_WORKER;
  if (!path || !heavy) {
    let prepared;
    try {
      prepared = prepareDiffJob(job);
    } catch (error) {
      done();
      throw error;
    }
    if (prepared.unusable !== undefined) {
      done();
      return unusableResponse(prepared.unusable);
    }
    const rows = prepared.rows;
    return streamResponse((emit) => streamDiffJob(job, rows, emit), init, done);
  }
  const worker = takeWorker(path);
  let finished = false;
  let onMessage: (m: WorkerMessage) => void = () => {};
  let onExit: () => void = () => {};
  const cleanup = () => {
    worker.off("message", dispatch);
    worker.off("exit", exited);
  };
  const dispatch = (m: WorkerMessage) => onMessage(m);
  const exited = () => onExit();
  worker.on("message", dispatch);
  worker.on("exit", exited);
  // The first answer decides the status: { unusable } (422) or { ready } (the report follows, chunk by chunk).
  const first = await new Promise<WorkerMessage>((resolve, reject) => {
    onMessage = resolve;
    onExit = () => reject(new Error("The diff worker stopped."));
    worker.postMessage({ job });
  }).catch((error: unknown) => {
    cleanup();
    done();
    throw error;
  });
  if (!first.ready) {
    cleanup();
    shared.allowlistDiffWorkers!.push(worker);
    done();
    if (first.unusable !== undefined) return unusableResponse(first.unusable);
    throw new Error(first.error ?? "The diff worker answered out of turn.");
  }
  return streamResponse(
    (emit) =>
      new Promise<void>((resolve, reject) => {
        onMessage = (m) => {
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
        onExit = () => {
          if (!finished) reject(new Error("The diff worker stopped."));
        };
        worker.postMessage({ more: true });
      }),
    init,
    done,
  );
}
