/**
 * Helpers shared by the Linux, web-server and cloud parsers only (the repo-wide ones live in common.ts).
 */
import type { Action, Direction, Entry, PortRange } from "../types";
import type { Family, Range } from "../../ip/types";
import { IPSet } from "../../ip";
import { type AddressTerm, type Line, anyTerm } from "./common";

/** The rule-level part of an entry. Optional facts left undefined are omitted from the entry. */
export interface RuleFacts {
  readonly action: Action;
  readonly direction: Direction;
  readonly protocol?: string | undefined;
  readonly ports?: readonly PortRange[] | undefined;
  readonly via?: readonly string[] | undefined;
  readonly ruleLine?: number | undefined;
  readonly comment?: string | undefined;
}

/** An entry without undefined keys, so whole entries compare exactly in tests and in the diff. */
export function makeEntry(line: Line, term: AddressTerm, facts: RuleFacts): Entry {
  // Literals in the same key order as before, no spreads: 100k-line configs make hundreds of thousands of these.
  const e: { -readonly [K in keyof Entry]: Entry[K] } = term.prefix
    ? {
        line: line.n,
        text: line.text,
        token: term.token,
        range: term.range,
        kind: term.kind,
        prefix: term.prefix,
        action: facts.action,
        direction: facts.direction,
      }
    : { line: line.n, text: line.text, token: term.token, range: term.range, kind: term.kind, action: facts.action, direction: facts.direction };
  if (facts.protocol !== undefined) e.protocol = facts.protocol;
  if (facts.ports !== undefined) e.ports = facts.ports;
  if (facts.via !== undefined && facts.via.length > 0) e.via = facts.via;
  if (facts.ruleLine !== undefined && facts.ruleLine !== line.n) e.ruleLine = facts.ruleLine;
  if (facts.comment) e.comment = facts.comment;
  return e;
}

export const BOTH_FAMILIES: readonly Family[] = [4, 6];

/** "any" for each family, in order. */
export function anyTerms(families: readonly Family[], token = "any"): AddressTerm[] {
  return families.map((f) => anyTerm(token, f));
}

/** Everything of `family` outside `ranges`, as range terms written "!token" (a negated match made exact). */
export function complementTerms(ranges: readonly Range[], family: Family, token: string): AddressTerm[] {
  return IPSet.fromRanges(ranges)
    .complement(family)
    .ranges.map((range) => ({ token: `!${token}`, range, kind: "range" as const }));
}

/** Overlap of two inclusive ranges of one family, or undefined. */
export function intersectRange(a: Range, b: Range): Range | undefined {
  if (a.first.family !== b.first.family) return undefined;
  const first = a.first.value > b.first.value ? a.first : b.first;
  const last = a.last.value < b.last.value ? a.last : b.last;
  return first.value <= last.value ? { first, last } : undefined;
}

/** Ports both lists allow; undefined means any port; null means none (the rules cannot both match). */
export function intersectPorts(
  a: readonly PortRange[] | undefined,
  b: readonly PortRange[] | undefined,
): readonly PortRange[] | undefined | null {
  if (a === undefined) return b;
  if (b === undefined) return a;
  const out: PortRange[] = [];
  for (const x of a) {
    for (const y of b) {
      const from = Math.max(x.from, y.from);
      const to = Math.min(x.to, y.to);
      if (from <= to) out.push({ from, to });
    }
  }
  return out.length > 0 ? out : null;
}

/** Every port except those listed ("! --dport 22", "tcp dport != 22"). */
export function complementPorts(ports: readonly PortRange[]): PortRange[] {
  const sorted = [...ports].sort((x, y) => x.from - y.from);
  const out: PortRange[] = [];
  let next = 0;
  for (const p of sorted) {
    if (p.from > next) out.push({ from: next, to: p.from - 1 });
    next = Math.max(next, p.to + 1);
  }
  if (next <= 65535) out.push({ from: next, to: 65535 });
  return out;
}

/** First ~200 lines / 20 KB: what detect() may look at. */
export function detectHead(text: string): string {
  const head = text.slice(0, 20000);
  let idx = -1;
  for (let i = 0; i < 200; i++) {
    idx = head.indexOf("\n", idx + 1);
    if (idx === -1) return head;
  }
  return head.slice(0, idx);
}

/** A source address as a rule reaches it: the term, where it was written and the names it came through. */
export interface Source {
  readonly term: AddressTerm;
  readonly line: Line;
  readonly via: readonly string[];
}

/**
 * Sources matching both lists (a jump's match ANDed with the inlined rule's): the narrower term where one holds the
 * other, otherwise the overlap as a range.
 */
export function andSources(outer: readonly Source[], inner: readonly Source[]): Source[] {
  const out: Source[] = [];
  for (const i of inner) {
    for (const o of outer) {
      const overlap = intersectRange(o.term.range, i.term.range);
      if (!overlap) continue;
      if (overlap.first.value === i.term.range.first.value && overlap.last.value === i.term.range.last.value) {
        out.push({ ...i, via: [...o.via, ...i.via] });
      } else if (overlap.first.value === o.term.range.first.value && overlap.last.value === o.term.range.last.value) {
        out.push(o);
      } else out.push({ term: { token: i.term.token, range: overlap, kind: "range" }, line: i.line, via: [...o.via, ...i.via] });
    }
  }
  return out;
}

/** Appends in place; `push(...items)` overflows the call stack for the long lists of big configs. */
export function append<T>(target: T[], items: readonly T[]): void {
  for (const x of items) target.push(x);
}
