/** Compact projections for the network parsers' tests: whole outputs compared exactly, one line per entry. */
import { formatRange } from "../../ip";
import { plainParser } from "../plain";
import type { Entry, FormatId, Finding, ParseOutput } from "../types";
import { vendorParsers } from "./index";

export type EntryRow = [
  line: number,
  range: string,
  action: string,
  direction: string,
  protocol: string,
  ports: string,
  via: string,
  ruleLine: number,
];

export function entryRow(e: Entry): EntryRow {
  const ports = (e.ports ?? []).map((p) => (p.from === p.to ? `${p.from}` : `${p.from}-${p.to}`)).join(",");
  return [
    e.line,
    formatRange(e.range),
    e.action,
    e.direction,
    e.protocol ?? "",
    ports,
    (e.via ?? []).join(">"),
    e.ruleLine ?? 0,
  ];
}

export function findingRow(f: Finding): [number, string, string] {
  return [f.line, f.kind, f.message];
}

export function project(out: ParseOutput): {
  entries: EntryRow[];
  findings: [number, string, string][];
  notes: readonly string[];
} {
  return { entries: out.entries.map(entryRow), findings: out.findings.map(findingRow), notes: out.notes };
}

/** Detection scores for a sample: its own parser's, the plain reader's, and any other vendor parser above 0.2. */
export function detection(text: string, id: FormatId): { own: number; plain: number; claims: [FormatId, number][] } {
  const own = vendorParsers.find((p) => p.id === id)?.detect(text) ?? 0;
  const claims = vendorParsers
    .filter((p) => p.id !== id)
    .map((p): [FormatId, number] => [p.id, p.detect(text)])
    .filter(([, s]) => s > 0.2);
  return { own, plain: plainParser.detect(text), claims };
}
