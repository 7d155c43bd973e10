/** Helpers for the path tests of the appliance, server and cloud parsers: verdicts per published IP, and traces. */
import { mustParseAddress } from "../../ip";
import type { PublishedEntry } from "../../catalog/types";
import { diff } from "../../diff/engines/objects";
import { trace } from "../../diff/trace";
import type { ParseOptions, ParseOutput, Parser } from "../types";
import { SEED_CATALOG } from "../../diff/seed.fixture";

const PRODUCTS = ["Freshchat"];

/** A catalog of /32s (or CIDRs), all of region US unless written "EU:1.2.3.4". */
export function catalog(cidrs: readonly string[]): PublishedEntry[] {
  return cidrs.map((c) => {
    const [region, cidr] =
      c.includes(":") && !c.includes("::") && /^[A-Z]{2}:/.test(c) ? [c.slice(0, 2), c.slice(3)] : ["US", c];
    return { cidr: cidr!.includes("/") ? cidr! : `${cidr}/32`, region: region!, products: PRODUCTS };
  });
}

/** Diff status per published address ("52.1.37.96" → "covered"), for port `port` (443 unless given). */
export function statuses(parsed: ParseOutput, cidrs: readonly string[], port = 443): Record<string, string> {
  const r = diff(catalog(cidrs), parsed, { port });
  return Object.fromEntries(r.published.map((p) => [p.entry.cidr.replace(/\/32$/, ""), p.status]));
}

/** Line verdicts: [line, status, message] in evaluation order. */
export function lineVerdicts(parsed: ParseOutput, cidrs: readonly string[], port = 443): [number, string, string][] {
  return diff(catalog(cidrs), parsed, { port }).entries.map((v) => [v.line, v.status, v.message]);
}

/** A trace as [context name, decision, steps as [line, matched, decided, why]]. */
export function traceRows(parsed: ParseOutput, address: string, port = 443) {
  const t = trace(parsed, mustParseAddress(address), { catalog: SEED_CATALOG, port });
  return {
    allowed: t.allowed,
    summary: t.summary,
    contexts: t.contexts.map((c) => ({
      name: c.name,
      onPath: c.onPath,
      decision: c.decision,
      steps: c.steps.map((s) => [s.line, s.matched, s.decided, s.why]),
    })),
  };
}

/** Parses with the parser's own entry point (never throws) and the caller's path options. */
export function parseWith(parser: Parser, text: string, options: ParseOptions = {}): ParseOutput {
  return parser.parse(text, options);
}

/** The path as [name, onPath, fallthrough] rows, and the assumption line. */
export function pathRows(parsed: ParseOutput): {
  contexts: [string, boolean, string][];
  assumption: string | undefined;
} {
  return {
    contexts: (parsed.path?.contexts ?? []).map((c) => [c.name, c.onPath, c.fallthrough]),
    assumption: parsed.path?.assumption,
  };
}
