// Parses and diffs large pastes off the main thread; the page terminates the worker to cancel.
// Typed against the DOM lib (the project's): a worker's postMessage takes the same { transfer } options.
import { compare } from "@/lib/compare/compute";
import type { WorkerReply, WorkerRequest } from "@/lib/compare/protocol";
import { traceRequest } from "@/lib/compare/trace";

function post(reply: WorkerReply, transfer: Transferable[] = []): void {
  self.postMessage(reply, { transfer });
}

self.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const message = event.data;
  if (message.type === "trace") {
    try {
      post({ type: "traced", id: message.id, answer: traceRequest(message.request, message.address) });
    } catch (error) {
      post({ type: "failed", id: message.id, message: error instanceof Error ? error.message : String(error) });
    }
    return;
  }
  const { id, type: _type, ...request } = message;
  try {
    const outcome = compare(request, (progress) => post({ type: "progress", id, progress }));
    post({ type: "done", id, outcome }, [outcome.lines.marks.buffer, outcome.lines.flags.buffer]);
  } catch (error) {
    post({ type: "failed", id, message: error instanceof Error ? error.message : String(error) });
  }
};
