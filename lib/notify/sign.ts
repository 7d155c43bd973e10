import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Webhook signatures: HMAC-SHA256 with the webhook's secret over "<timestamp>.<body>", sent as
 * `X-Allowlist-Signature: sha256=<hex>` with `X-Allowlist-Timestamp: <unix seconds>`. Signing the timestamp lets a
 * receiver refuse replays older than a few minutes.
 */
export function signPayload(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`, "utf8").digest("hex")}`;
}

/** What a receiver runs: the signature matches and the timestamp is within `toleranceSeconds` of `now`. */
export function verifySignature(
  secret: string,
  signature: string,
  timestamp: string,
  body: string,
  now: Date = new Date(),
  toleranceSeconds = 300,
): boolean {
  const t = Number(timestamp);
  if (!Number.isInteger(t) || Math.abs(now.getTime() / 1000 - t) > toleranceSeconds) return false;
  const expected = Buffer.from(signPayload(secret, t, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
