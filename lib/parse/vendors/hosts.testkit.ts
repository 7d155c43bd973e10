/** Projections for the host-firewall readers' tests (issue 17): whole outputs compared exactly, one row per entry. */
import assert from "node:assert/strict";
import { mustParseAddress } from "../../ip/address";
import { trace } from "../../diff/trace";
import { detectFormat } from "../registry";
import type { FormatId, ParseOutput } from "../types";
import { type Row, row } from "./linux.testkit";
import { vendorParsers } from "./index";
import { SEED_CATALOG } from "../../diff/seed.fixture";

/** row() plus the context index and the unmet condition. */
export type PathRow = [...Row, number, string];

export function pathRows(out: ParseOutput): {
  entries: PathRow[];
  findings: [number, string, string][];
  notes: readonly string[];
} {
  return {
    entries: out.entries.map((e) => [...row(e), e.context ?? 0, e.unmet ?? ""]),
    findings: out.findings.map((f) => [f.line, f.kind, f.message]),
    notes: out.notes,
  };
}

/** The verdict summary of a new TCP connection from `address` to `port` (443 by default). */
export function verdict(out: ParseOutput, address: string, port = 443): string {
  return trace(out, mustParseAddress(address), { catalog: SEED_CATALOG, port }).summary;
}

/** The own parser scores at least 0.8 and strictly above every other parser, so detection picks it. */
export function assertWins(text: string, id: FormatId): void {
  const own = vendorParsers.find((p) => p.id === id);
  assert.ok(own, `no parser ${id}`);
  const score = own.detect(text);
  assert.ok(score >= 0.8, `${id} scores only ${score}`);
  const d = detectFormat(text);
  assert.equal(d.format, id, `detection picks ${d.format}: ${JSON.stringify(d.candidates.slice(0, 3))}`);
  const runnerUp = d.candidates.find((c) => c.format !== id);
  assert.ok(runnerUp === undefined || runnerUp.confidence < score, `${runnerUp?.format} ties`);
}
