/**
 * Pieces shared by the vendor parsers. Plain helper functions, no base class: each parser keeps its own grammar.
 */
import type { IpParseError } from "../../ip/types";
import { looksLikeHostname } from "../hostname";
import { countLines } from "../lines";
import type { Destination, Entry, Finding, FindingKind, PortRange } from "../types";
import { KeyedRemovals } from "./keyedremovals";

// One definition each, shared with plain lists (lib/parse/lines.ts, lib/parse/hostname.ts).
export { countLines, looksLikeHostname };

export interface Line {
  /** 1-based line number. */
  readonly n: number;
  /** Trimmed text. */
  readonly text: string;
}

/** Splits text into numbered, trimmed lines; a trailing newline does not add a line. Linear, one pass. */
export function splitLines(text: string): Line[] {
  const out: Line[] = [];
  eachLine(text, (line) => void out.push(line));
  return out;
}

/**
 * The lines of a text, each made (once) when asked for: a reader that names a few lines of a 100k-line text in its
 * entries and findings (the JSON, nginx, Terraform and Kubernetes readers) does not build an object per line.
 * `line(n)` is what `splitLines(text)[n - 1]` holds (the same number and trimmed text).
 */
export class TextLines {
  private starts: number[] | undefined;
  private readonly made: (Line | undefined)[] = [];
  /** The number of lines, as countLines counts them (a trailing newline does not add one). */
  readonly length: number;

  constructor(private readonly text: string) {
    this.length = countLines(text);
  }

  /** Line `n` (1-based), or undefined outside 1 … length. */
  line(n: number): Line | undefined {
    if (!(n >= 1 && n <= this.length)) return undefined;
    const made = this.made[n];
    if (made) return made;
    const text = this.text;
    this.starts ??= lineStarts(text);
    const start = this.starts[n - 1]!;
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    const raw = text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
    const line: Line = { n, text: raw.trim() };
    this.made[n] = line;
    return line;
  }

  /** Line `n`, or an empty line numbered `n` when the text has no such line. */
  at(n: number): Line {
    return this.line(n) ?? { n, text: "" };
  }
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1 && i < text.length - 1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

/**
 * Each line as splitLines numbers and trims it, with whether its raw text starts with a space or tab (block
 * membership), without holding them all: lines end at "\n", a "\r" before it is dropped, the rest is trimmed.
 */
export function eachLine(text: string, visit: (line: Line, indented: boolean) => void): void {
  let start = 0;
  let n = 1;
  const len = text.length;
  while (start < len) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = len;
    const raw = text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
    const c = text.charCodeAt(start);
    visit({ n, text: raw.trim() }, c === 32 || c === 9);
    n++;
    start = end + 1;
  }
}

/**
 * Looks up the word s[i, j) among `words` and gives it as the shared literal, or undefined: readers of big configs keep
 * every word of their rules, and the words most rules repeat ("-A", "tcp", "accept" …) are then one string each,
 * compared with literals without hashing each copy anew.
 */
export type WordTable = (s: string, i: number, j: number) => string | undefined;

export function wordTable(words: readonly string[]): WordTable {
  const byFirst: (readonly string[] | undefined)[] = [];
  for (const w of words) {
    const c = w.charCodeAt(0);
    byFirst[c] = [...(byFirst[c] ?? []), w];
  }
  return (s, i, j) => {
    const list = byFirst[s.charCodeAt(i)];
    if (list === undefined) return undefined;
    for (let k = 0; k < list.length; k++) {
      const w = list[k]!;
      if (w.length === j - i && s.startsWith(w, i)) return w;
    }
    return undefined;
  };
}

/**
 * Splits a config line into words; double- or single-quoted words keep their spaces (quotes removed).
 * An unterminated quote runs to the end of the line rather than failing. Bare words found in `shared` are its literals.
 */
export function tokenize(line: string, shared?: WordTable): string[] {
  const words: string[] = [];
  let i = 0;
  const len = line.length;
  // Char codes, not line[i]: this runs on every line of 100k-line configs.
  while (i < len) {
    const c = line.charCodeAt(i);
    if (c === 32 || c === 9) {
      i++;
      continue;
    }
    if (c === 34 || c === 39) {
      const close = line.indexOf(c === 34 ? '"' : "'", i + 1);
      const end = close === -1 ? len : close;
      words.push(line.slice(i + 1, end));
      i = end + 1;
      continue;
    }
    let j = i + 1;
    while (j < len) {
      const d = line.charCodeAt(j);
      if (d === 32 || d === 9) break;
      j++;
    }
    words.push((shared !== undefined ? shared(line, i, j) : undefined) ?? line.slice(i, j));
    i = j;
  }
  return words;
}

export function finding(line: Line, kind: FindingKind, message: string): Finding {
  return { line: line.n, text: line.text, kind, message };
}

/** Parses "443", "80-443", "80:443" (iptables), with an optional upper bound check. */
export function parsePortRange(text: string): PortRange | undefined {
  const m = /^(\d{1,5})(?:\s*[-:]\s*(\d{1,5}))?$/.exec(text.trim());
  if (!m) return undefined;
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  if (from > 65535 || to > 65535 || from > to) return undefined;
  return { from, to };
}

/** Well-known service names that configs use instead of numbers. */
export const SERVICE_PORTS: Readonly<Record<string, PortRange>> = {
  http: { from: 80, to: 80 },
  https: { from: 443, to: 443 },
  www: { from: 80, to: 80 },
  ssh: { from: 22, to: 22 },
  telnet: { from: 23, to: 23 },
  smtp: { from: 25, to: 25 },
  domain: { from: 53, to: 53 },
  dns: { from: 53, to: 53 },
  ftp: { from: 21, to: 21 },
  ntp: { from: 123, to: 123 },
  snmp: { from: 161, to: 161 },
  ldap: { from: 389, to: 389 },
  ldaps: { from: 636, to: 636 },
  imap: { from: 143, to: 143 },
  imaps: { from: 993, to: 993 },
  pop3: { from: 110, to: 110 },
  rdp: { from: 3389, to: 3389 },
};

/**
 * Resolves named objects and groups (ASA object-groups, PAN-OS address-groups, FortiGate addrgrp, Junos address-sets,
 * nft named sets, ipsets) through any nesting depth. Undefined names and loops are reported, never followed forever.
 */
export interface ObjectDef<T> {
  readonly line: Line;
  /** Direct members: either concrete values or references to other names. */
  readonly members: readonly (
    { readonly value: T; readonly line: Line } | { readonly ref: string; readonly line: Line }
  )[];
}

export interface Resolved<T> {
  readonly value: T;
  /** The line where the concrete value was written. */
  readonly line: Line;
  /** Names passed through, outermost first. */
  readonly via: readonly string[];
}

type Member<T> = ObjectDef<T>["members"][number];

export class ObjectTable<T> {
  private readonly defs = new Map<string, ObjectDef<T>>();
  private readonly used = new Set<string>();
  /** Per name, the members `removeMemberByKey` looks up and those it removed that are still in `defs`. */
  private readonly removals = new Map<string, KeyedRemovals<Member<T>>>();

  constructor(private readonly caseInsensitive = false) {}

  private key(name: string): string {
    return this.caseInsensitive ? name.toLowerCase() : name;
  }

  define(name: string, def: ObjectDef<T>): void {
    this.defs.set(this.key(name), def);
    this.removals.delete(this.key(name));
  }

  /** The definition of key `k` with the members removed since it was last read dropped. */
  private def(k: string): ObjectDef<T> | undefined {
    const def = this.defs.get(k);
    if (this.removals.size === 0 || def === undefined) return def;
    const r = this.removals.get(k);
    if (r === undefined || r.marked === 0) return def;
    const settled = { line: def.line, members: [...def.members] };
    r.sweep(settled.members);
    this.defs.set(k, settled);
    return settled;
  }

  /** Adds members to an object defined earlier (configs often define a group over several lines). */
  addMember(name: string, member: ObjectDef<T>["members"][number], line: Line): void {
    const k = this.key(name);
    const def = this.defs.get(k);
    if (def) (def.members as Member<T>[]).push(member);
    else this.defs.set(k, { line, members: [member] });
    this.removals.get(k)?.appended(member);
  }

  has(name: string): boolean {
    return this.defs.has(this.key(name));
  }

  names(): string[] {
    return [...this.defs.keys()];
  }

  definitionLine(name: string): Line | undefined {
    return this.defs.get(this.key(name))?.line;
  }

  /**
   * Every name reachable from `names` through references, as this table's keys: a group an allow rule uses also uses
   * its members, even those that give no address (an FQDN object, an empty group). Linear: each name is visited once.
   */
  closure(names: Iterable<string>): Set<string> {
    const seen = new Set<string>();
    const todo: string[] = [];
    for (const n of names) todo.push(this.key(n));
    while (todo.length > 0) {
      const k = todo.pop()!;
      if (seen.has(k)) continue;
      seen.add(k);
      for (const m of this.def(k)?.members ?? []) if ("ref" in m) todo.push(this.key(m.ref));
    }
    return seen;
  }

  isUsed(name: string): boolean {
    return this.used.has(this.key(name));
  }

  /** Forgets a definition (ipset destroy, nft delete set); later references to it are undefined. */
  remove(name: string): void {
    this.defs.delete(this.key(name));
    this.removals.delete(this.key(name));
  }

  /**
   * Drops the first member whose key is `key` (ipset del, nft delete element; `keyOf` gives a member's key, undefined
   * for one no key matches); false when there is none. A name's members are indexed by key at its first removal and a
   * removed member is only marked, then dropped when the name is next read: a search of the set and a copy of it per
   * deletion made 20,000 adds and their deletions take 44 s, growing with the square.
   */
  removeMemberByKey(name: string, key: string, keyOf: (member: Member<T>) => string | undefined): boolean {
    const r = this.keyed(name, keyOf);
    return r !== undefined && r.take(key, () => this.defs.get(this.key(name))!.members) !== undefined;
  }

  /** Whether a member of `name` has key `key` (the index removeMemberByKey uses, built at the first call). */
  hasMemberByKey(name: string, key: string, keyOf: (member: Member<T>) => string | undefined): boolean {
    return this.keyed(name, keyOf)?.has(key) ?? false;
  }

  private keyed(name: string, keyOf: (member: Member<T>) => string | undefined): KeyedRemovals<Member<T>> | undefined {
    const k = this.key(name);
    if (!this.defs.has(k)) return undefined;
    let r = this.removals.get(k);
    if (r === undefined || r.keyOf !== keyOf) {
      r = new KeyedRemovals(this.def(k)!.members, keyOf);
      this.removals.set(k, r);
    }
    return r;
  }

  /** Empties a definition's members, keeping it defined (ipset flush, nft flush set). */
  clear(name: string): void {
    const def = this.defs.get(this.key(name));
    if (def) this.define(name, { line: def.line, members: [] });
  }

  /** Exchanges two definitions' members (ipset swap); each name keeps its own definition line. */
  swapMembers(a: string, b: string): void {
    const da = this.def(this.key(a));
    const db = this.def(this.key(b));
    if (!da || !db) return;
    this.define(a, { line: da.line, members: db.members });
    this.define(b, { line: db.line, members: da.members });
  }

  /**
   * Expands `name` to its concrete values. Findings (undefined reference, loop) are reported against `at`,
   * the line that made the reference, once per problem.
   */
  resolve(name: string, at: Line, findings: Finding[]): Resolved<T>[] {
    const out: Resolved<T>[] = [];
    // Most objects hold only values: no walk, no loop stack, one via array for all their members.
    const top = this.def(this.key(name));
    if (top && !hasReference(top.members) && top.members.length <= this.budget) {
      this.used.add(this.key(name));
      this.budget -= top.members.length;
      const via = [name];
      for (const m of top.members) out.push({ value: (m as { readonly value: T }).value, line: m.line, via });
      return out;
    }
    this.walk(name, NO_NAMES, at, findings, out);
    if (this.budget < 0) {
      findings.push(
        finding(
          at,
          "not-understood",
          `"${name}" is not expanded: the object groups of this paste already expanded to ${MAX_EXPANSION.toLocaleString("en-US")} members, the most this reader follows.`,
        ),
      );
      this.budget = 0;
      return [];
    }
    return out;
  }

  /** Members the resolutions of this table may still visit (see MAX_EXPANSION); below 0 once a walk ran out. */
  private budget = MAX_EXPANSION;

  /** Names on the current walk, for loop detection: empty again whenever resolve returns. */
  private readonly walking = new Set<string>();

  /** Appends the values under `n` (reached through `via`, referenced at `refLine`) to `out`. */
  private walk(n: string, via: readonly string[], refLine: Line, findings: Finding[], out: Resolved<T>[]): void {
    const k = this.key(n);
    this.used.add(k);
    const def = this.def(k);
    if (!def) {
      findings.push(finding(refLine, "undefined-reference", `"${n}" is not defined in this paste.`));
      return;
    }
    if (this.walking.has(k)) {
      findings.push(finding(refLine, "reference-loop", `"${n}" includes itself through ${[...via, n].join(" → ")}.`));
      return;
    }
    if (via.length >= MAX_GROUP_DEPTH) {
      findings.push(
        finding(
          refLine,
          "not-understood",
          `"${n}" is nested more than ${MAX_GROUP_DEPTH} groups deep (under "${via[0]}"): its members are not read.`,
        ),
      );
      return;
    }
    this.walking.add(k);
    const path = [...via, n];
    for (const m of def.members) {
      if (--this.budget < 0) break;
      if ("ref" in m) this.walk(m.ref, path, m.line, findings, out);
      else out.push({ value: m.value, line: m.line, via: path });
    }
    this.walking.delete(k);
  }
}

const NO_NAMES: readonly string[] = [];

/**
 * Groups nested deeper than this are reported, not followed. Vendors allow a handful of levels; the limit keeps the
 * recursive walk off the stack's edge (a hostile chain of 20,000 groups overflowed it, and every entry was lost with
 * the reader) and each member's `via` path short.
 */
export const MAX_GROUP_DEPTH = 64;

/**
 * Members all resolutions of one table may visit together. Each reference expands its group again, so a group
 * holding itself twice, 25 levels down (a 1 kB paste), stands for 33 million addresses, and a 50,000-member group
 * named by 50,000 rules for 2.5 billion: either ran the process out of memory. A million is about what the largest
 * paste the app takes gives as a plain list; a large real config stays far below.
 */
export const MAX_EXPANSION = 1_000_000;

function hasReference(members: ObjectDef<unknown>["members"]): boolean {
  for (const m of members) if ("ref" in m) return true;
  return false;
}

/** Builds an entry from a resolved object value, keeping the object's line for highlighting and the rule line. */
export function withRule(entry: Entry, ruleLine: Line, via: readonly string[]): Entry {
  return via.length === 0 && entry.line === ruleLine.n ? entry : { ...entry, via, ruleLine: ruleLine.n };
}

// ---- Rule building shared by the ACL/policy parsers (Cisco ASA/IOS, PAN-OS, FortiGate, Junos) ----
// Imports sit here because this file is append-only for its two authors.
import type { Prefix, Range } from "../../ip/types";
import { makeAddress, makePrefix, parseAddress, prefixRange, rangeOf } from "../../ip";

/** One address term as written: what an object member or an ACL operand stands for. */
export interface AddressTerm {
  readonly token: string;
  readonly range: Range;
  readonly kind: Entry["kind"];
  readonly prefix?: Prefix;
}

/** What a service matches: protocol undefined = any protocol, ports undefined = any port. */
export interface ServiceTerm {
  readonly protocol?: string;
  readonly ports?: readonly PortRange[];
  /** A match of the service read as met that tells it apart (an ICMP type and code): Entry.qualifier. */
  readonly qualifier?: string;
}

export const ANY_SERVICE: ServiceTerm = {};

export const OBJECTS_ONLY_NOTE = "The paste holds address objects but no rules: read as the allowlist itself.";

/** A prefix as an address term; kind "address" for a full-length prefix written as a bare host. */
export function prefixTerm(token: string, prefix: Prefix, kind: Entry["kind"] = "cidr"): AddressTerm {
  return { token, range: prefixRange(prefix), kind, prefix };
}

/** 0.0.0.0/0 or ::/0 written as a keyword ("any", "all", …). */
export function anyTerm(token: string, family: 4 | 6): AddressTerm {
  const prefix = makePrefix(makeAddress(family, 0n), 0);
  return { token, range: prefixRange(prefix), kind: "any", prefix };
}

/** A bare address ("host 1.2.3.4", "1.2.3.4") as a term, or undefined when it does not parse. */
export function addressTerm(token: string, text: string): AddressTerm | undefined {
  const a = parseAddress(text);
  if (!a.ok) return undefined;
  return {
    token,
    range: rangeOf(a.value),
    kind: "address",
    prefix: makePrefix(a.value, a.value.family === 4 ? 32 : 128),
  };
}

/**
 * Ports of a Cisco-style operator: eq/neq/lt/gt with one or more ports, range with two. Port words go through
 * `named` (vendor service names). Returns undefined when the operands do not parse.
 */
export function portsOfOperator(
  op: string,
  operands: readonly string[],
  named: (word: string) => number | undefined,
): PortRange[] | undefined {
  const nums: number[] = [];
  for (const w of operands) {
    const n = /^\d{1,5}$/.test(w) ? Number(w) : named(w);
    if (n === undefined || n > 65535) return undefined;
    nums.push(n);
  }
  const first = nums[0];
  if (first === undefined) return undefined;
  switch (op) {
    case "eq":
      return nums.map((p) => ({ from: p, to: p }));
    case "neq": {
      if (nums.length !== 1) return undefined;
      const out: PortRange[] = [];
      if (first > 0) out.push({ from: 0, to: first - 1 });
      if (first < 65535) out.push({ from: first + 1, to: 65535 });
      return out;
    }
    case "lt":
      return nums.length === 1 && first > 0 ? [{ from: 0, to: first - 1 }] : undefined;
    case "gt":
      return nums.length === 1 && first < 65535 ? [{ from: first + 1, to: 65535 }] : undefined;
    case "range": {
      const last = nums[1];
      return nums.length === 2 && last !== undefined && first <= last ? [{ from: first, to: last }] : undefined;
    }
    default:
      return undefined;
  }
}

/** Merges service terms of the same protocol so a rule gives one entry per address and protocol. */
export function mergeServices(services: readonly ServiceTerm[]): ServiceTerm[] {
  const byProtocol = new Map<string | undefined, PortRange[] | undefined>();
  // A protocol's qualifiers (ICMP types): kept, joined, while every term of it has one; any term without: none.
  const qualifiers = new Map<string | undefined, string[] | null>();
  for (const s of services) {
    const q = qualifiers.get(s.protocol);
    if (s.qualifier === undefined) qualifiers.set(s.protocol, null);
    else if (q === undefined) qualifiers.set(s.protocol, [s.qualifier]);
    else if (q !== null && !q.includes(s.qualifier)) q.push(s.qualifier);
    if (!byProtocol.has(s.protocol)) {
      byProtocol.set(s.protocol, s.ports ? [...s.ports] : undefined);
      continue;
    }
    const ports = byProtocol.get(s.protocol);
    // Any port on one term makes the whole protocol any-port.
    if (ports === undefined || s.ports === undefined) byProtocol.set(s.protocol, undefined);
    else ports.push(...s.ports);
  }
  // "Any protocol, any port" swallows everything else.
  if (byProtocol.has(undefined) && byProtocol.get(undefined) === undefined) return [ANY_SERVICE];
  const out: ServiceTerm[] = [];
  for (const [protocol, ports] of byProtocol) {
    const term: { protocol?: string; ports?: readonly PortRange[]; qualifier?: string } = {};
    if (protocol !== undefined) term.protocol = protocol;
    if (ports !== undefined) term.ports = ports;
    const q = qualifiers.get(protocol);
    if (q) term.qualifier = q.join(", ");
    out.push(term);
  }
  return out;
}

export interface RuleContext {
  /** The line of the rule that reaches the addresses. */
  readonly line: Line;
  readonly action: Entry["action"];
  readonly direction: Entry["direction"];
  readonly services: readonly ServiceTerm[];
  readonly comment?: string;
  /** The destination addresses the rule names (Entry.destination), when not any. */
  readonly destination?: Destination | undefined;
  /** A match read as met that tells the rule apart (an ICMP type): Entry.qualifier. */
  readonly qualifier?: string | undefined;
}

/**
 * Entry.destination of a rule whose destination names `words` and resolves to `ranges`: undefined when it is any (or
 * holds any), negated, or resolves to nothing.
 */
export function namedDestination(
  words: readonly string[],
  ranges: readonly Range[],
  any: boolean,
): Destination | undefined {
  return any || ranges.length === 0 ? undefined : { token: words.join(" "), ranges };
}

/** Appends one entry per resolved address × service term, in that order (first-match order is kept). */
export function emitRule(entries: Entry[], sources: readonly Resolved<AddressTerm>[], rule: RuleContext): void {
  // One term needs no merging (emitRule reads only protocol and ports): skips a Map per rule.
  const services =
    rule.services.length === 0
      ? [ANY_SERVICE]
      : rule.services.length === 1
        ? rule.services
        : mergeServices(rule.services);
  for (const s of sources) {
    for (const svc of services) {
      const t = s.value;
      // One object per entry, optional keys only when set: 100k-line configs make millions of these.
      const entry: { -readonly [K in keyof Entry]: Entry[K] } = {
        line: s.line.n,
        text: s.line.text,
        token: t.token,
        range: t.range,
        kind: t.kind,
        action: rule.action,
        direction: rule.direction,
      };
      if (t.prefix) entry.prefix = t.prefix;
      if (svc.protocol !== undefined) entry.protocol = svc.protocol;
      if (svc.ports !== undefined) entry.ports = svc.ports;
      if (s.via.length > 0) entry.via = s.via;
      // ruleLine only when the address was written elsewhere (an object definition).
      if (s.line.n !== rule.line.n) entry.ruleLine = rule.line.n;
      if (rule.comment !== undefined) entry.comment = rule.comment;
      if (rule.destination !== undefined) entry.destination = rule.destination;
      const qualifier = svc.qualifier ?? rule.qualifier;
      if (qualifier !== undefined) entry.qualifier = qualifier;
      entries.push(entry);
    }
  }
}

/**
 * Reports address objects that no allow rule reached (`reached` holds every name on an allow entry's path and every
 * name an allow rule referenced directly; the members those name are reached too).
 */
export function unusedObjectFindings(
  table: ObjectTable<AddressTerm>,
  reached: ReadonlySet<string>,
  what: string,
): Finding[] {
  const out: Finding[] = [];
  const used = table.closure(reached);
  for (const name of table.names()) {
    if (used.has(name)) continue;
    const line = table.definitionLine(name);
    if (line) out.push(finding(line, "unused-object", `${what} "${name}" is defined but no allow rule uses it.`));
  }
  return out.sort((a, b) => a.line - b.line);
}

/** One member of an address object as a parser recorded it, in definition order. */
export type ObjectMember =
  | { readonly name: string; readonly value: AddressTerm; readonly line: Line }
  | { readonly name: string; readonly ref: string; readonly line: Line };

/**
 * The objects-only reading: every concrete member of every address object, in definition order, as allow/in with
 * the object's name as `via`. References to undefined names are still reported.
 */
export function objectsAsAllowlist(
  members: readonly ObjectMember[],
  isDefined: (name: string) => boolean,
  entries: Entry[],
  findings: Finding[],
): void {
  for (const m of members) {
    if ("ref" in m) {
      if (!isDefined(m.ref))
        findings.push(finding(m.line, "undefined-reference", `"${m.ref}" is not defined in this paste.`));
      continue;
    }
    emitRule(entries, [{ value: m.value, line: m.line, via: [m.name] }], {
      line: m.line,
      action: "allow",
      direction: "in",
      services: [ANY_SERVICE],
    });
  }
}

// ---- Address words shared by the Linux, web-server and cloud parsers (iptables, nft, nginx, AWS, …) ----
import { parsePrefix, parseRange } from "../../ip";
import { fastIPv4Term, scanIPv4Term } from "../plain";

export type TermRead =
  | { readonly ok: true; readonly term: AddressTerm }
  | { readonly ok: false; readonly kind: FindingKind; readonly message: string };

/**
 * Reads an address ("1.2.3.4"), a prefix ("1.2.3.0/24", host bits kept) or a range ("1.2.3.4-1.2.3.9"), IPv4 or IPv6.
 * Keywords ("any", "all") are each grammar's business. A failure says which finding it is, by the same rules as plain
 * lists (parseTerm): "hostname" for DNS names, "ambiguous" when lib/ip's error code says so (leading zeros,
 * "10.1" shorthand, hexadecimal octets), otherwise "invalid".
 */
export function readAddressTerm(token: string): TermRead {
  // Most tokens of a long config are canonical IPv4 addresses or CIDRs: read without slicing or re-parsing.
  const code = scanIPv4Term(token, 0, token.length);
  if (code >= 0) return { ok: true, term: fastIPv4Term(code, token) };
  if (token.includes("/")) {
    const p = parsePrefix(token);
    return p.ok ? { ok: true, term: prefixTerm(token, p.value) } : termReadFailure(token, p.error);
  }
  if (token.includes("-") && !looksLikeHostname(token)) {
    const r = parseRange(token);
    return r.ok ? { ok: true, term: { token, range: r.value, kind: "range" } } : termReadFailure(token, r.error);
  }
  const a = parseAddress(token);
  if (!a.ok) return termReadFailure(token, a.error);
  return {
    ok: true,
    term: {
      token,
      range: rangeOf(a.value),
      kind: "address",
      prefix: makePrefix(a.value, a.value.family === 4 ? 32 : 128),
    },
  };
}

function termReadFailure(token: string, error: IpParseError): TermRead {
  if (looksLikeHostname(token)) {
    return { ok: false, kind: "hostname", message: `"${token}" is a host name: only addresses can be checked.` };
  }
  return { ok: false, kind: error.code, message: `"${token}" is not an address, prefix or range: ${error.message}.` };
}

/** Records an object member both in the table (for resolution) and in definition order (for the objects-only reading). */
export function addObjectMember(
  table: ObjectTable<AddressTerm>,
  members: ObjectMember[],
  name: string,
  member: { readonly value: AddressTerm; readonly line: Line } | { readonly ref: string; readonly line: Line },
  defLine: Line,
): void {
  table.addMember(name, member, defLine);
  members.push({ name, ...member });
}

/** Whether a line holds something shaped like an IPv4 or IPv6 address: such lines are never skipped silently. */
export function looksAddressBearing(text: string): boolean {
  return /\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}|::|(?:[0-9a-f]{1,4}:){3,}[0-9a-f]{1,4}/i.test(text);
}

/** Every object name an allow entry passed through, for the unused-object check. */
export function namesReachedByAllow(entries: readonly Entry[], into: Set<string>): Set<string> {
  // Entries of one resolved object share their via array: each array is added once.
  let last: readonly string[] | undefined;
  for (const e of entries) {
    if (e.action !== "allow" || !e.via || e.via === last) continue;
    last = e.via;
    for (const n of e.via) into.add(n);
  }
  return into;
}

import { IPSet } from "../../ip";

/**
 * What a negated source match ("every source except these") stands for: per family, the complement of the listed
 * addresses, as range terms on the rule's line. Exact, unlike skipping the rule.
 */
export function negatedSources(
  excluded: readonly Resolved<AddressTerm>[],
  families: readonly (4 | 6)[],
  line: Line,
  token: string,
): Resolved<AddressTerm>[] {
  const set = IPSet.from(excluded.map((r) => r.value.range));
  const out: Resolved<AddressTerm>[] = [];
  for (const f of families) {
    for (const range of set.complement(f).ranges) out.push({ value: { token, range, kind: "range" }, line, via: [] });
  }
  return out;
}

/** Names for a sentence (a context's name, an assumption): all of up to five, else the first five and how many more. */
export function someNames(names: readonly string[]): string {
  return names.length <= 5 ? names.join(", ") : `${names.slice(0, 5).join(", ")} and ${names.length - 5} more`;
}
