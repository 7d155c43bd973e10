import type { FormatId, PathInfo } from "../parse/types";
import type { Trace } from "./trace";
import type { DiffResult, DiffRows } from "./types";

/**
 * The JSON report of a diff: what `allowlist diff --json`, GET /api/v1/firewalls/{id}/diff and POST /api/v1/diff
 * print. One builder, so the command line and the API cannot drift apart.
 */
export function diffReport(r: DiffResult, catalogVersion: number) {
  return {
    regions: r.regions,
    format: r.format,
    catalogVersion,
    ...(r.path !== undefined ? { path: pathReport(r.path) } : {}),
    summary: r.summary,
    byRegion: r.byRegion,
    published: r.published.map((p) => ({
      cidr: p.entry.cidr,
      region: p.entry.region,
      products: p.entry.products,
      status: p.status,
      coveredBy: p.coveredBy,
    })),
    entries: r.entries.map((e) => ({ line: e.line, text: e.text, status: e.status, flags: e.flags, message: e.message })),
    findings: r.findings,
    notes: r.notes,
  };
}

export type DiffReport = ReturnType<typeof diffReport>;

/**
 * The path part of a report: what was assumed (and how to override it) and every context, on the path or not.
 * Absent for a parse with one implicit context (plain lists, CSV …).
 */
export function pathReport(path: PathInfo) {
  return {
    ...(path.kind !== undefined ? { kind: path.kind } : {}),
    ...(path.ingress !== undefined ? { ingress: path.ingress } : {}),
    ...(path.assumption !== undefined ? { assumption: path.assumption } : {}),
    contexts: path.contexts.map((c) => ({
      name: c.name,
      line: c.line,
      onPath: c.onPath,
      reason: c.reason,
      fallthrough: c.fallthrough,
      // Only connections of this address family cross it (an nftables table of family ip or ip6).
      ...(c.family !== undefined ? { family: c.family } : {}),
    })),
  };
}

export type PathReport = ReturnType<typeof pathReport>;

/** The report as printed: two-space indent and a final newline. */
export function diffReportJson(r: DiffResult, catalogVersion: number): string {
  return `${JSON.stringify(diffReport(r, catalogVersion), null, 2)}\n`;
}

/** Rows over an object DiffResult. */
export function rowsOfResult(r: DiffResult): DiffRows {
  const { entries, ...rest } = r;
  return {
    ...rest,
    entryCount: entries.length,
    entryAt: (row) => entries[row]!,
    needsAttention: (row) => {
      const e = entries[row]!;
      return e.status === "invalid" || e.status === "deny" || e.status === "outbound" || e.status === "inactive" || e.flags.length > 0;
    },
  };
}

/** Rows are emitted in chunks of about this many characters. */
const CHUNK_CHARS = 1 << 20;

/**
 * diffReportJson(r, catalogVersion), byte for byte, emitted in chunks as rows are read: a 1M-entry report is never
 * one string or one array of row objects. `emit` may return a promise (a stream's drain) that is awaited.
 */
export async function emitDiffReportJson(r: DiffRows, catalogVersion: number, emit: (chunk: string) => void | Promise<void>): Promise<void> {
  const MARK = "\u0000entries\u0000";
  const shell = JSON.stringify(
    diffReport({ ...r, entries: [] }, catalogVersion),
    (key, value: unknown) => (key === "entries" ? MARK : value),
    2,
  );
  const at = shell.indexOf(JSON.stringify(MARK));
  const head = shell.slice(0, at);
  const tail = `${shell.slice(at + JSON.stringify(MARK).length)}\n`;
  if (r.entryCount === 0) {
    await emit(`${head}[]${tail}`);
    return;
  }
  const flagText = new Map<readonly string[], string>();
  let chunk = `${head}[\n`;
  for (let row = 0; row < r.entryCount; row++) {
    const e = r.entryAt(row);
    let flags = flagText.get(e.flags);
    if (flags === undefined) {
      flags = e.flags.length === 0 ? "[]" : `[\n${e.flags.map((f) => `        ${JSON.stringify(f)}`).join(",\n")}\n      ]`;
      flagText.set(e.flags, flags);
    }
    chunk += `${row > 0 ? ",\n" : ""}    {\n      "line": ${e.line},\n      "text": ${JSON.stringify(e.text)},\n      "status": ${JSON.stringify(e.status)},\n      "flags": ${flags},\n      "message": ${JSON.stringify(e.message)}\n    }`;
    if (chunk.length >= CHUNK_CHARS) {
      await emit(chunk);
      chunk = "";
    }
  }
  await emit(`${chunk}\n  ]${tail}`);
}

/**
 * The JSON of a trace: what `allowlist trace --json` and POST /api/v1/trace print. The verdict first, then the path
 * (as in the diff report) and each context with the rules the connection met.
 */
export function traceReport(t: Trace, format: FormatId, path: PathInfo | undefined) {
  return {
    address: t.address,
    protocol: t.protocol,
    port: t.port,
    format,
    allowed: t.allowed,
    summary: t.summary,
    ...(path !== undefined ? { path: pathReport(path) } : {}),
    contexts: t.contexts.map((c) => ({
      name: c.name,
      line: c.line,
      onPath: c.onPath,
      reason: c.reason,
      fallthrough: c.fallthrough,
      passes: c.passes,
      decision: c.decision,
      steps: c.steps.map((s) => ({ line: s.line, text: s.text, action: s.action, matched: s.matched, decided: s.decided, why: s.why })),
      omitted: c.omitted,
    })),
  };
}

export type TraceReport = ReturnType<typeof traceReport>;

/** The trace as printed: two-space indent and a final newline. */
export function traceReportJson(t: Trace, format: FormatId, path: PathInfo | undefined): string {
  return `${JSON.stringify(traceReport(t, format, path), null, 2)}\n`;
}
