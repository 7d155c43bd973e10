import { OutboundRefused, outboundFetch } from "../net/outbound";

/**
 * Fetches a catalog page server side, defensively: http(s) only, public addresses only (lib/net/outbound.ts), a time limit for the whole exchange, a size limit
 * enforced while reading, a bounded number of redirects (each one checked again), and a text content type.
 * Returns a result; never throws.
 */
export interface FetchLimits {
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly maxRedirects: number;
}

export const DEFAULT_FETCH_LIMITS: FetchLimits = { timeoutMs: 15_000, maxBytes: 5 * 1024 * 1024, maxRedirects: 5 };

export type FetchedDocument =
  | { readonly ok: true; readonly body: string; readonly contentType: string; readonly url: string }
  | { readonly ok: false; readonly message: string };

const ACCEPTED = /^\s*(?:text\/html|text\/plain|application\/xhtml\+xml)\b/i;

function checkUrl(text: string): URL | string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `"${text}" is not a URL.`;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    return `Only http and https URLs can be fetched, not ${url.protocol.replace(/:$/, "")}.`;
  if (url.username !== "" || url.password !== "") return "The URL must not carry a user name or password.";
  return url;
}

async function readLimited(response: Response, maxBytes: number): Promise<string | null> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const decoder = new TextDecoder("utf-8");
  let size = 0;
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      return null;
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

export async function fetchDocument(
  address: string,
  limits: FetchLimits = DEFAULT_FETCH_LIMITS,
): Promise<FetchedDocument> {
  const first = checkUrl(address);
  if (typeof first === "string") return { ok: false, message: first };
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), limits.timeoutMs);
  let url = first;
  try {
    for (let hop = 0; ; hop++) {
      const response = await outboundFetch(url, {
        signal: controller.signal,
        headers: { Accept: "text/html, text/plain;q=0.9", "User-Agent": "allowlist-admin catalog import" },
      });
      if (response.status >= 300 && response.status < 400 && response.headers.has("location")) {
        await response.body?.cancel().catch(() => {});
        if (hop >= limits.maxRedirects)
          return { ok: false, message: `${address} redirected more than ${limits.maxRedirects} times.` };
        const next = checkUrl(new URL(response.headers.get("location") ?? "", url).href);
        if (typeof next === "string")
          return { ok: false, message: `${url.href} redirected to a URL that cannot be fetched: ${next}` };
        url = next;
        continue;
      }
      if (!response.ok) {
        await response.body?.cancel().catch(() => {});
        return {
          ok: false,
          message: `${url.href} answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}.`,
        };
      }
      const contentType = response.headers.get("content-type") ?? "";
      if (!ACCEPTED.test(contentType)) {
        await response.body?.cancel().catch(() => {});
        return {
          ok: false,
          message: `${url.href} sent ${contentType === "" ? "no content type" : `"${contentType}"`}, not an HTML or text page.`,
        };
      }
      const declared = Number(response.headers.get("content-length") ?? "NaN");
      const tooLarge = `${url.href} sent more than ${Math.round(limits.maxBytes / 1024)} KB, the limit for a catalog page.`;
      if (Number.isFinite(declared) && declared > limits.maxBytes) {
        await response.body?.cancel().catch(() => {});
        return { ok: false, message: tooLarge };
      }
      const body = await readLimited(response, limits.maxBytes);
      if (body === null) return { ok: false, message: tooLarge };
      return { ok: true, body, contentType, url: url.href };
    }
  } catch (error) {
    if (error instanceof OutboundRefused)
      return { ok: false, message: `${url.href} was not fetched: ${error.message}.` };
    if (controller.signal.aborted)
      return { ok: false, message: `${url.href} did not answer within ${limits.timeoutMs / 1000} s.` };
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return {
      ok: false,
      message: `${url.href} could not be fetched: ${cause?.code ?? cause?.message ?? (error as Error).message}.`,
    };
  } finally {
    clearTimeout(timer);
  }
}
