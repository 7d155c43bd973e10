import { OutboundRefused, outboundFetch } from "../net/outbound";
import { signPayload } from "./sign";

export interface Attempt {
  readonly at: string;
  readonly code?: number;
  readonly error?: string;
  readonly ms: number;
}

export interface DeliveryResult {
  readonly delivered: boolean;
  readonly attempts: readonly Attempt[];
  readonly lastCode?: number;
}

export interface RetryPolicy {
  /** Waits before the 2nd, 3rd … attempt; its length + 1 is the number of attempts. */
  readonly backoffMs: readonly number[];
  readonly timeoutMs: number;
}

/** 4 attempts: at once, then after 2 s, 10 s and 60 s. */
export const DEFAULT_RETRY: RetryPolicy = { backoffMs: [2_000, 10_000, 60_000], timeoutMs: 10_000 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Worth another try: no answer, a timeout, 408, 429 or a 5xx. Other 4xx say the request itself is refused. */
function retryable(code: number | undefined): boolean {
  return code === undefined || code === 408 || code === 429 || code >= 500;
}

/**
 * POSTs `body` (JSON text) to `url`, signed afresh on every attempt, until a 2xx, a final refusal or the last
 * attempt. Never throws; every attempt is in the result for the delivery log.
 */
export async function sendWebhook(
  target: { readonly url: string; readonly secret: string },
  headers: { readonly event: string; readonly deliveryId: string },
  body: string,
  policy: RetryPolicy = DEFAULT_RETRY,
): Promise<DeliveryResult> {
  const attempts: Attempt[] = [];
  for (let i = 0; i <= policy.backoffMs.length; i++) {
    if (i > 0) await sleep(policy.backoffMs[i - 1] ?? 0);
    const started = Date.now();
    const timestamp = Math.floor(started / 1000);
    try {
      const response = await outboundFetch(new URL(target.url), {
        method: "POST",
        signal: AbortSignal.timeout(policy.timeoutMs),
        headers: {
          "Content-Type": "application/json",
          "User-Agent": "allowlist-admin webhook",
          "X-Allowlist-Event": headers.event,
          "X-Allowlist-Delivery": headers.deliveryId,
          "X-Allowlist-Timestamp": String(timestamp),
          "X-Allowlist-Signature": signPayload(target.secret, timestamp, body),
        },
        body,
      });
      await response.body?.cancel().catch(() => {});
      attempts.push({ at: new Date(started).toISOString(), code: response.status, ms: Date.now() - started });
      if (response.status >= 200 && response.status < 300)
        return { delivered: true, attempts, lastCode: response.status };
      if (!retryable(response.status)) return { delivered: false, attempts, lastCode: response.status };
    } catch (error) {
      if (error instanceof OutboundRefused) {
        // Asking again will not change where the name points to: one attempt, said plainly in the delivery log.
        attempts.push({
          at: new Date(started).toISOString(),
          error: `refused: ${error.message}`,
          ms: Date.now() - started,
        });
        return { delivered: false, attempts };
      }
      const cause = (error as { cause?: { code?: string } }).cause;
      const message =
        (error as Error).name === "TimeoutError"
          ? `no answer within ${policy.timeoutMs / 1000} s`
          : (cause?.code ?? (error as Error).message);
      attempts.push({ at: new Date(started).toISOString(), error: message, ms: Date.now() - started });
    }
  }
  const last = attempts.at(-1);
  return { delivered: false, attempts, ...(last?.code !== undefined ? { lastCode: last.code } : {}) };
}
