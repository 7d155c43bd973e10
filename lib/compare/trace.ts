/**
 * Traces on the compare screen: the parse of the current request is kept (one, the latest) so clicking one published
 * IP after another does not parse the paste again. Runs wherever the request runs: the main thread for small
 * inputs, a worker for large ones.
 */
import { formatAddress, parseAddress } from "../ip/address";
import { parsePrefix, prefixRange } from "../ip/prefix";
import { trace, type Trace } from "../diff/trace";
import { parseText } from "../parse/registry";
import type { FormatId, ParseOutput, PathInfo } from "../parse/types";
import { addressMessage } from "../parse/path-schema";
import { parseOptionsOf, type CompareRequest } from "./protocol";

export interface TraceOutcome {
  readonly trace: Trace;
  readonly format: FormatId;
  readonly path: PathInfo | undefined;
}

export type TraceAnswer =
  { readonly ok: true; readonly outcome: TraceOutcome } | { readonly ok: false; readonly message: string };

let kept: { readonly request: CompareRequest; readonly parsed: ParseOutput } | undefined;

function sameInput(a: CompareRequest, b: CompareRequest): boolean {
  // The port is a parse option too: nginx, Apache and HAProxy read the server that listens on it.
  return (
    a.text === b.text && a.format === b.format && a.path === b.path && a.ingress === b.ingress && a.port === b.port
  );
}

/** Keeps the parse of `request` for the traces that follow it (compare() calls this for every object-engine run). */
export function keepParse(request: CompareRequest, parsed: ParseOutput): void {
  kept = { request, parsed };
}

function parseOf(request: CompareRequest): ParseOutput {
  if (kept !== undefined && sameInput(kept.request, request)) return kept.parsed;
  const parsed = parseText(request.text, request.format, { ...parseOptionsOf(request), port: request.port });
  keepParse(request, parsed);
  return parsed;
}

/** The trace of `address` (text, validated by lib/ip) through the request's text, on the request's port. Never throws on user input. */
export function traceRequest(request: CompareRequest, address: string): TraceAnswer {
  const text = address.trim();
  const a = parseAddress(text);
  if (!a.ok) return { ok: false, message: addressMessage(text, a.error.message, a.error.position) };
  const parsed = parseOf(request);
  return {
    ok: true,
    outcome: {
      trace: trace(parsed, a.value, { catalog: request.catalog, port: request.port, source: request.text }),
      format: parsed.format,
      path: parsed.path,
    },
  };
}

/** The address traced for a published CIDR: its first address (the whole of a /32). */
export function traceAddressOf(cidr: string): string | undefined {
  const p = parsePrefix(cidr);
  return p.ok ? formatAddress(prefixRange(p.value).first) : undefined;
}
