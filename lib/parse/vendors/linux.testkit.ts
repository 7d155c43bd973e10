/** Compact projections for the Linux/web/cloud parsers' tests: whole outputs compared exactly, one row per entry. */
import assert from "node:assert/strict";
import { formatRange } from "../../ip";
import { plainParser } from "../plain";
import { detectFormat } from "../registry";
import type { Entry, Finding, FormatId, ParseOutput } from "../types";
import { vendorParsers } from "./index";

/** [line, range, kind, action, direction, protocol, ports, via, ruleLine, token, comment] */
export type Row = [number, string, string, string, string, string, string, string, number, string, string];

export function row(e: Entry): Row {
  const ports = (e.ports ?? []).map((p) => (p.from === p.to ? `${p.from}` : `${p.from}-${p.to}`)).join(",");
  return [
    e.line,
    formatRange(e.range),
    e.kind,
    e.action,
    e.direction,
    e.protocol ?? "",
    ports,
    (e.via ?? []).join(">"),
    e.ruleLine ?? 0,
    e.token,
    e.comment ?? "",
  ];
}

export function rows(out: ParseOutput): {
  entries: Row[];
  findings: [number, string, string][];
  notes: readonly string[];
} {
  return {
    entries: out.entries.map(row),
    findings: out.findings.map((f: Finding) => [f.line, f.kind, f.message]),
    notes: out.notes,
  };
}

/** The own parser wins clearly; every other vendor parser stays at or below 0.2; the registry picks it. */
export function assertDetected(text: string, id: FormatId): void {
  const own = vendorParsers.find((p) => p.id === id);
  assert.ok(own, `no parser ${id}`);
  const score = own.detect(text);
  assert.ok(score >= 0.8, `${id} scores only ${score}`);
  assert.ok(score > plainParser.detect(text));
  const others = vendorParsers.filter((p) => p.id !== id).map((p) => [p.id, p.detect(text)] as const);
  assert.deepEqual(
    others.filter(([, s]) => s > 0.2),
    [],
    `other parsers claim this ${id} sample`,
  );
  assert.equal(detectFormat(text).format, id, "the registry (plain and CSV included) picks another format");
}
