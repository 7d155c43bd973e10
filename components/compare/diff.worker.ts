// Parses and diffs large pastes off the main thread; the page terminates the worker to cancel.
// Typed against the DOM lib (the project's): a worker's postMessage takes the same { transfer } options.
import { compare } from "@/lib/compare/compute";
import type { WorkerReply, WorkerRequest } from "@/lib/compare/protocol";

function post(reply: WorkerReply, transfer: Transferable[] = []): void {
  self.postMessage(reply, { transfer });
}

self.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const { id, ...request } = event.data;
  try {
    const outcome = compare(request, (progress) => post({ type: "progress", id, progress }));
    post({ type: "done", id, outcome }, [outcome.lines.marks.buffer, outcome.lines.flags.buffer]);
  } catch (error) {
    post({ type: "failed", id, message: error instanceof Error ? error.message : String(error) });
  }
};
