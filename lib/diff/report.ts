import type { DiffResult } from "./types";

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
