"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { compare } from "@/lib/compare/compute";
import {
  WORKER_LINE_THRESHOLD,
  type CompareOutcome,
  type CompareProgress,
  type CompareRequest,
  type WorkerReply,
} from "@/lib/compare/protocol";

export type RunState =
  | { readonly status: "idle" }
  | { readonly status: "running"; readonly progress: CompareProgress | undefined; readonly inWorker: boolean }
  | { readonly status: "cancelled" }
  | { readonly status: "failed"; readonly message: string };

export interface RunnerOutput {
  /** The latest finished outcome and the request key it answers. */
  readonly outcome: CompareOutcome | undefined;
  readonly outcomeKey: string | undefined;
  /** Wall time from the (debounced) start of the run to its result. */
  readonly elapsedMs: number | undefined;
  readonly run: RunState;
  readonly cancel: () => void;
  readonly retry: () => void;
}

const DEBOUNCE_MS = 150;

/**
 * Recomputes the diff when the request changes: small inputs synchronously after a short debounce, large ones in a
 * Web Worker so typing, region toggles and the port field keep answering. A newer request or Cancel terminates a
 * busy worker (it cannot be interrupted any other way).
 */
export function useCompareRunner(request: CompareRequest, key: string, lineCount: number): RunnerOutput {
  // Text the screen opens with (a saved firewall's head revision) is answered in the first render — on the server and
  // again, identically, while hydrating — when it is small enough to run inline: the page arrives with its verdict,
  // and nothing moves when the answer comes in (Lighthouse measured a 0.24 layout shift on the edit page without it).
  const [outcome, setOutcome] = useState<
    { outcome: CompareOutcome; key: string; elapsedMs: number | undefined } | undefined
  >(() => (request.text !== "" && lineCount <= WORKER_LINE_THRESHOLD ? initialOutcome(request, key) : undefined));
  const initialKey = useRef(outcome?.key);
  const [run, setRun] = useState<RunState>({ status: "idle" });
  const [attempt, setAttempt] = useState(0);
  const worker = useRef<{ worker: Worker; busy: boolean } | null>(null);
  const nextId = useRef(0);
  const pending = useRef<ReturnType<typeof setTimeout>>(undefined);
  const requestRef = useRef(request);
  requestRef.current = request;

  const stopWorker = useCallback(() => {
    worker.current?.worker.terminate();
    worker.current = null;
  }, []);

  useEffect(() => stopWorker, [stopWorker]);

  useEffect(() => {
    const current = requestRef.current;
    if (current.text === "") {
      if (worker.current?.busy) stopWorker();
      setOutcome(undefined);
      setRun({ status: "idle" });
      return;
    }
    // The first render already answered this request.
    if (initialKey.current === key && attempt === 0) return;
    initialKey.current = undefined;
    const inWorker = lineCount > WORKER_LINE_THRESHOLD && typeof Worker !== "undefined";
    if (inWorker) setRun({ status: "running", progress: undefined, inWorker });
    const timer = setTimeout(() => {
      pending.current = undefined;
      const started = performance.now();
      if (!inWorker) {
        if (worker.current?.busy) stopWorker();
        try {
          const result = compare(current);
          setOutcome({ outcome: result, key, elapsedMs: performance.now() - started });
          setRun({ status: "idle" });
        } catch (error) {
          setRun({ status: "failed", message: error instanceof Error ? error.message : String(error) });
        }
        return;
      }
      if (worker.current?.busy) stopWorker();
      if (!worker.current) {
        worker.current = { worker: new Worker(new URL("./diff.worker.ts", import.meta.url)), busy: false };
      }
      const slot = worker.current;
      const id = ++nextId.current;
      slot.busy = true;
      slot.worker.onmessage = (event: MessageEvent<WorkerReply>) => {
        const reply = event.data;
        if (reply.id !== id) return;
        if (reply.type === "progress") {
          setRun({ status: "running", progress: reply.progress, inWorker: true });
          return;
        }
        slot.busy = false;
        if (reply.type === "done") {
          setOutcome({ outcome: reply.outcome, key, elapsedMs: performance.now() - started });
          setRun({ status: "idle" });
        } else if (reply.type === "failed") {
          setRun({ status: "failed", message: reply.message });
        }
      };
      slot.worker.onerror = (event) => {
        slot.busy = false;
        setRun({ status: "failed", message: event.message || "The background checker stopped unexpectedly." });
      };
      slot.worker.postMessage({ id, ...current });
    }, DEBOUNCE_MS);
    pending.current = timer;
    return () => clearTimeout(timer);
    // `key` stands for the request's content; the request object itself changes identity on every render.
  }, [key, lineCount, attempt, stopWorker]);

  const cancel = useCallback(() => {
    // A run still waiting for its debounce is cancelled too.
    clearTimeout(pending.current);
    stopWorker();
    setRun({ status: "cancelled" });
  }, [stopWorker]);
  const retry = useCallback(() => setAttempt((n) => n + 1), []);

  return { outcome: outcome?.outcome, outcomeKey: outcome?.key, elapsedMs: outcome?.elapsedMs, run, cancel, retry };
}

/** The first render's answer; a failure is left to the normal run, which reports it. Its time is not shown (the
 *  server's and the browser's would differ while hydrating). */
function initialOutcome(
  request: CompareRequest,
  key: string,
): { outcome: CompareOutcome; key: string; elapsedMs: undefined } | undefined {
  try {
    return { outcome: compare(request), key, elapsedMs: undefined };
  } catch {
    return undefined;
  }
}
