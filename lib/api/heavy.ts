/**
 * Bounded concurrency for heavy work (diffs of big bodies): at most `slots` run at once and at most `waiting` wait;
 * past that the caller gets a 503 with Retry-After instead of another few hundred MB of memory in flight. Small
 * requests never queue: a 20-line paste should not wait behind two 20 MB ones.
 */
import { jsonError } from "./respond";

/** Bodies and saved texts larger than this count as heavy. */
export const HEAVY_BYTES = 256 * 1024;
/** Seconds a refused caller is told to wait. */
export const RETRY_AFTER_SECONDS = 5;

export interface Gate {
  /** Resolves to a release function once a slot is free, or to null when the queue is full (refuse). */
  enter(): Promise<(() => void) | null>;
  readonly running: number;
  readonly queued: number;
}

export function newGate(slots: number, waiting: number): Gate {
  let running = 0;
  const queue: (() => void)[] = [];
  const release = () => {
    const next = queue.shift();
    if (next) next();
    else running--;
  };
  const once = () => {
    let done = false;
    return () => {
      if (!done) {
        done = true;
        release();
      }
    };
  };
  return {
    enter() {
      if (running < slots) {
        running++;
        return Promise.resolve(once());
      }
      if (queue.length >= waiting) return Promise.resolve(null);
      return new Promise((resolve) => queue.push(() => resolve(once())));
    },
    get running() {
      return running;
    },
    get queued() {
      return queue.length;
    },
  };
}

function envInt(name: string, fallback: number): number {
  const n = Number(process.env[name]);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

const shared = globalThis as unknown as { allowlistHeavyGate?: Gate };

/** The process's gate: ALLOWLIST_HEAVY_SLOTS (default 2) at once, ALLOWLIST_HEAVY_QUEUE (default 4) waiting. */
export function heavyGate(): Gate {
  shared.allowlistHeavyGate ??= newGate(envInt("ALLOWLIST_HEAVY_SLOTS", 2), envInt("ALLOWLIST_HEAVY_QUEUE", 4));
  return shared.allowlistHeavyGate;
}

export function busyResponse(): Response {
  const response = jsonError(
    503,
    `The server is busy with other large diffs; retry in ${RETRY_AFTER_SECONDS} seconds.`,
  );
  response.headers.set("Retry-After", String(RETRY_AFTER_SECONDS));
  return response;
}

/** True when the request declares a body over HEAVY_BYTES, or declares none (a chunked upload of unknown size). */
export function isHeavyRequest(request: Request): boolean {
  const declared = request.headers.get("content-length");
  if (declared === null) return request.body !== null;
  const n = Number(declared);
  return !Number.isFinite(n) || n > HEAVY_BYTES;
}
