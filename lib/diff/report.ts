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
      return e.status === "invalid" || e.status === "deny" || e.status === "outbound" || e.flags.length > 0;
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
