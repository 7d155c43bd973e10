import { identify } from "../auth/actor";
import { DatabaseError } from "../db/errors";
import { authorize, type Permission, type Session } from "../auth/permissions";
import { apiErrorBody, type ApiIssue } from "./errors";

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly response: Response };

export function jsonError(status: number, message: string, issues?: readonly ApiIssue[]): Response {
  return Response.json(apiErrorBody(status, message, issues), { status });
}

/** Step 1 and 2 of every route handler: who is calling (token or session cookie; 401 if nobody), may they (403)? */
export async function apiAuthorize(request: Request, permission: Permission): Promise<Checked<Session>> {
  let who: Awaited<ReturnType<typeof identify>>;
  try {
    who = await identify(request.headers);
  } catch (error) {
    if (error instanceof DatabaseError) return { ok: false, response: jsonError(500, error.message) };
    throw error;
  }
  if (!who.ok) {
    const response = jsonError(401, who.message);
    response.headers.set("WWW-Authenticate", 'Bearer realm="allowlist"');
    return { ok: false, response };
  }
  const allowed = authorize(who.session, permission);
  return allowed.ok
    ? { ok: true, value: allowed.session }
    : { ok: false, response: jsonError(allowed.status, allowed.message) };
}

/**
 * Reads a request body as text with a hard size limit (413 past it), whether or not Content-Length is honest.
 * The limit is checked while streaming, so an oversized upload is not buffered whole.
 */
export async function readBodyText(request: Request, maxBytes: number): Promise<Checked<string>> {
  const tooLarge = (): Checked<string> => ({
    ok: false,
    response: jsonError(413, `The request body is larger than the limit of ${formatBytes(maxBytes)}.`),
  });
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > maxBytes) return tooLarge();
  if (!request.body) return { ok: true, value: "" };
  const reader = request.body.getReader();
  const decoder = new TextDecoder("utf-8", { fatal: false });
  let size = 0;
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return tooLarge();
    }
    text += decoder.decode(value, { stream: true });
  }
  return { ok: true, value: text + decoder.decode() };
}

/** Reads a JSON body (size-limited); malformed JSON is a 400 that says where it broke. */
export async function readJsonBody(request: Request, maxBytes: number): Promise<Checked<unknown>> {
  const body = await readBodyText(request, maxBytes);
  if (!body.ok) return body;
  try {
    return { ok: true, value: JSON.parse(body.value) as unknown };
  } catch (error) {
    return { ok: false, response: jsonError(400, `The request body is not valid JSON: ${(error as Error).message}.`) };
  }
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / (1024 * 1024)) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round((n / 1024) * 10) / 10} KB`;
  return `${n} bytes`;
}

/**
 * A response whose body is written by `produce` chunk by chunk, with backpressure: `emit` waits while the client is
 * slow, so a 400 MB report is never one string in memory. `done` runs once when the body ends, fails or is cancelled.
 */
export function streamResponse(
  produce: (emit: (chunk: string | Uint8Array) => Promise<void>) => Promise<void>,
  init: ResponseInit,
  done: () => void = () => {},
): Response {
  const encoder = new TextEncoder();
  let wake: (() => void) | undefined;
  let cancelled = false;
  const body = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const emit = async (chunk: string | Uint8Array) => {
          if (cancelled) throw new Error("The client went away.");
          controller.enqueue(typeof chunk === "string" ? encoder.encode(chunk) : chunk);
          if ((controller.desiredSize ?? 1) <= 0) await new Promise<void>((resolve) => (wake = resolve));
          // Let other requests run between chunks of a big report.
          else await new Promise<void>((resolve) => setImmediate(resolve));
        };
        // Started after start() returns, so the stream exists before the first chunk.
        void Promise.resolve()
          .then(() => produce(emit))
          .then(
            () => controller.close(),
            (error: unknown) => {
              if (!cancelled) controller.error(error);
            },
          )
          .finally(done);
      },
      pull() {
        const w = wake;
        wake = undefined;
        w?.();
      },
      cancel() {
        cancelled = true;
        const w = wake;
        wake = undefined;
        w?.();
      },
    },
    { highWaterMark: 4 },
  );
  return new Response(body, init);
}
