"use client";

import { useEffect, useRef, useState } from "react";
import { WORKER_LINE_THRESHOLD, type CompareRequest, type WorkerReply } from "@/lib/compare/protocol";
import { traceRequest, type TraceAnswer } from "@/lib/compare/trace";

/** What to trace: an address, and what the user picked to get it (a published CIDR or a typed address). */
export interface TraceTarget {
  readonly address: string;
  /** The published CIDR clicked, when the trace came from a table row. */
  readonly cidr?: string;
}

export type TraceState =
  | { readonly status: "idle" }
  | { readonly status: "running"; readonly target: TraceTarget }
  | { readonly status: "done"; readonly target: TraceTarget; readonly answer: TraceAnswer; readonly key: string }
  | { readonly status: "failed"; readonly target: TraceTarget; readonly message: string };

const DEBOUNCE_MS = 100;

/**
 * Traces `target` through the current request, again whenever the request changes (`key`): small inputs on the main
 * thread (the compare run's parse is reused), large ones in a worker of their own, which keeps its latest parse so a
 * second click is fast. A newer target terminates a busy worker.
 */
export function useTrace(
  request: CompareRequest,
  key: string,
  lineCount: number,
  target: TraceTarget | undefined,
): TraceState {
  const [state, setState] = useState<TraceState>({ status: "idle" });
  const worker = useRef<{ worker: Worker; busy: boolean } | null>(null);
  const nextId = useRef(0);
  const requestRef = useRef(request);
  requestRef.current = request;

  useEffect(
    () => () => {
      worker.current?.worker.terminate();
      worker.current = null;
    },
    [],
  );

  useEffect(() => {
    if (target === undefined || request.text === "") {
      setState({ status: "idle" });
      return;
    }
    const current = requestRef.current;
    const inWorker = lineCount > WORKER_LINE_THRESHOLD && typeof Worker !== "undefined";
    setState((s) => (s.status === "done" && s.target === target ? s : { status: "running", target }));
    const timer = setTimeout(() => {
      if (!inWorker) {
        try {
          setState({ status: "done", target, answer: traceRequest(current, target.address), key });
        } catch (error) {
          setState({ status: "failed", target, message: error instanceof Error ? error.message : String(error) });
        }
        return;
      }
      if (worker.current?.busy) {
        worker.current.worker.terminate();
        worker.current = null;
      }
      worker.current ??= { worker: new Worker(new URL("./diff.worker.ts", import.meta.url)), busy: false };
      const slot = worker.current;
      const id = ++nextId.current;
      slot.busy = true;
      slot.worker.onmessage = (event: MessageEvent<WorkerReply>) => {
        const reply = event.data;
        if (reply.id !== id) return;
        slot.busy = false;
        if (reply.type === "traced") setState({ status: "done", target, answer: reply.answer, key });
        else if (reply.type === "failed") setState({ status: "failed", target, message: reply.message });
      };
      slot.worker.onerror = (event) => {
        slot.busy = false;
        setState({ status: "failed", target, message: event.message || "The background tracer stopped unexpectedly." });
      };
      slot.worker.postMessage({ id, type: "trace", request: current, address: target.address });
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
    // `key` stands for the request's content; the request object itself changes identity on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` stands for the request (see above)
  }, [key, lineCount, target]);

  return state;
}
