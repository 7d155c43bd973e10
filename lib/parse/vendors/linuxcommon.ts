/**
 * Helpers shared by the Linux, web-server and cloud parsers only (the repo-wide ones live in common.ts).
 */
import type { Action, Destination, Direction, Entry, PortRange } from "../types";
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
  readonly context?: number | undefined;
  readonly unmet?: string | undefined;
  readonly qualifier?: string | undefined;
  readonly destination?: Destination | undefined;
  readonly priority?: number | undefined;
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
    : {
        line: line.n,
        text: line.text,
        token: term.token,
        range: term.range,
        kind: term.kind,
        action: facts.action,
        direction: facts.direction,
      };
  if (facts.protocol !== undefined) e.protocol = facts.protocol;
  if (facts.ports !== undefined) e.ports = facts.ports;
  if (facts.via !== undefined && facts.via.length > 0) e.via = facts.via;
  if (facts.ruleLine !== undefined && facts.ruleLine !== line.n) e.ruleLine = facts.ruleLine;
  if (facts.comment) e.comment = facts.comment;
  if (facts.context !== undefined) e.context = facts.context;
  if (facts.unmet !== undefined) e.unmet = facts.unmet;
  if (facts.qualifier !== undefined) e.qualifier = facts.qualifier;
  if (facts.destination !== undefined) e.destination = facts.destination;
  if (facts.priority !== undefined) e.priority = facts.priority;
  return e;
}

/** Entry.destination of a destination written as one address term; undefined for "any" (or nothing written). */
export function destinationOf(term: AddressTerm | undefined): Destination | undefined {
  return term === undefined || term.kind === "any" ? undefined : { token: term.token, ranges: [term.range] };
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
  // When the overlaps are one of the lists itself, item for item (a rule's ports under a jump's wider ones, the common
  // case), that list is the answer: lists are never changed in place, so no equal copy is made.
  if (overlapsAre(a, b, a)) return a;
  if (overlapsAre(a, b, b)) return b;
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

/** Whether the overlaps intersectPorts(a, b) lists are `c`'s ranges, in order (and there is at least one). */
function overlapsAre(a: readonly PortRange[], b: readonly PortRange[], c: readonly PortRange[]): boolean {
  let k = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    for (let j = 0; j < b.length; j++) {
      const y = b[j]!;
      const from = Math.max(x.from, y.from);
      const to = Math.min(x.to, y.to);
      if (from > to) continue;
      const z = c[k++];
      if (z === undefined || z.from !== from || z.to !== to) return false;
    }
  }
  return k === c.length && k > 0;
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
      } else
        out.push({
          term: { token: i.term.token, range: overlap, kind: "range" },
          line: i.line,
          via: [...o.via, ...i.via],
        });
    }
  }
  return out;
}

/** "[tcp]": one shared list per protocol (lists of protocols are never changed in place). */
const SINGLE_PROTOCOLS = new Map<string, readonly string[]>();
export function onlyProtocol(p: string): readonly string[] {
  let list = SINGLE_PROTOCOLS.get(p);
  if (list === undefined) {
    list = Object.freeze([p]);
    if (SINGLE_PROTOCOLS.size < 64) SINGLE_PROTOCOLS.set(p, list);
  }
  return list;
}

/** Appends in place; `push(...items)` overflows the call stack for the long lists of big configs. */
export function append<T>(target: T[], items: readonly T[]): void {
  for (const x of items) target.push(x);
}

// ---- What a Linux rule requires of a new inbound TCP SYN: a conjunction of conditions (iptables and nftables) ----

/**
 * Protocols a negated protocol match is spelled out over ("! -p udp" = each of these but udp). Entries carry one
 * protocol each, so "every protocol but one" has to become a list; protocols outside it are not read.
 */
export const PROTOCOL_UNIVERSE: readonly string[] = [
  "tcp",
  "udp",
  "udplite",
  "sctp",
  "dccp",
  "icmp",
  "ipv6-icmp",
  "igmp",
  "esp",
  "ah",
  "gre",
];

/**
 * The conditions a packet must meet to match a rule (with the jumps that lead to it ANDed in). Each field undefined
 * means "anything". Conditions that do not depend on the source address, protocol or port (interface, conntrack
 * state, TCP flags …) are decided when the rule is read: met ones vanish, one that a SYN from the Internet cannot meet
 * sets `unmet`, one that cannot be decided sets `unsure` (allows are then read as not met, denies as met).
 */
export interface Cond {
  readonly sources?: readonly Source[];
  readonly family?: Family;
  readonly protos?: readonly string[];
  readonly ports?: readonly PortRange[];
  readonly unmet?: string;
  readonly unsure?: string;
  /** The destination match ("-d …", "ip daddr …"), when it names addresses: Entry.destination. */
  readonly destination?: Destination;
}

export const ANY_COND: Cond = Object.freeze({});

function intersectProtos(
  a: readonly string[] | undefined,
  b: readonly string[] | undefined,
): readonly string[] | undefined | null {
  if (a === undefined) return b;
  if (b === undefined) return a;
  // The same list (rules share one list per protocol): itself, not a copy.
  if (a === b) return a.length > 0 ? a : null;
  const out = a.filter((p) => b.includes(p));
  return out.length > 0 ? out : null;
}

/** Both conditions; undefined when no packet can meet both (disjoint addresses, protocols, ports or families). */
export function andCond(a: Cond, b: Cond): Cond | undefined {
  if (a === ANY_COND) return b;
  if (b === ANY_COND) return a;
  if (a.family !== undefined && b.family !== undefined && a.family !== b.family) return undefined;
  const family = a.family ?? b.family;
  const protos = intersectProtos(a.protos, b.protos);
  if (protos === null) return undefined;
  const ports = intersectPorts(a.ports, b.ports);
  if (ports === null) return undefined;
  let sources =
    a.sources === undefined ? b.sources : b.sources === undefined ? a.sources : andSources(a.sources, b.sources);
  if (sources !== undefined && family !== undefined)
    sources = sources.filter((s) => s.term.range.first.family === family);
  if (sources !== undefined && sources.length === 0) return undefined;
  const out: { -readonly [K in keyof Cond]: Cond[K] } = {};
  if (sources !== undefined) out.sources = sources;
  if (family !== undefined) out.family = family;
  if (protos !== undefined) out.protos = protos;
  if (ports !== undefined) out.ports = ports;
  const unmet = a.unmet ?? b.unmet;
  if (unmet !== undefined) out.unmet = unmet;
  const unsure = a.unsure ?? b.unsure;
  if (unsure !== undefined) out.unsure = unsure;
  const destination = a.destination ?? b.destination;
  if (destination !== undefined) out.destination = destination;
  return out;
}

function anySources(families: readonly Family[], family: Family | undefined, line: Line): Source[] {
  return anyTerms(family === undefined ? families : families.filter((f) => f === family)).map((term) => ({
    term,
    line,
    via: [],
  }));
}

/** The sources outside `ranges`: unchanged terms where they do not overlap, range pieces where they do. */
function subtractSources(sources: readonly Source[], ranges: IPSet): Source[] {
  const out: Source[] = [];
  for (const s of sources) {
    if (!ranges.overlapsRange(s.term.range)) {
      out.push(s);
      continue;
    }
    for (const range of IPSet.fromRanges([s.term.range]).difference(ranges).ranges) {
      out.push({ term: { token: s.term.token, range, kind: "range" }, line: s.line, via: s.via });
    }
  }
  return out;
}

/**
 * The packets of `m` that do not meet `x`, as disjoint conditions: what still reaches the rules after a RETURN (or a
 * goto) whose conditions are `x`. An unmet or unsure `x` excludes nothing (it is reported where it is read).
 */
/** The parts of `conds` that no earlier exit took (iptables RETURN or goto, nftables return or goto): each exit's
 *  condition subtracted in turn. */
export function minusExits(conds: Cond[], exits: readonly Cond[], families: readonly Family[], line: Line): Cond[] {
  let pieces = conds;
  for (const x of exits) {
    const next: Cond[] = [];
    for (const p of pieces) append(next, minusCond(p, x, families, line));
    pieces = next;
    if (pieces.length === 0) break;
  }
  return pieces;
}

export function minusCond(m: Cond, x: Cond, families: readonly Family[], line: Line): Cond[] {
  if (x.unmet !== undefined || x.unsure !== undefined || m.unmet !== undefined) return [m];
  const inter = andCond(m, x);
  if (inter === undefined) return [m];
  const out: Cond[] = [];
  let base: Cond = m;
  if (x.sources !== undefined || x.family !== undefined) {
    const xs = IPSet.fromRanges((x.sources ?? anySources(families, x.family, line)).map((s) => s.term.range));
    const mine = m.sources ?? anySources(families, m.family, line);
    const outside = subtractSources(mine, xs);
    if (outside.length > 0) out.push({ ...m, sources: outside });
    base = { ...m, sources: inter.sources ?? mine.filter((s) => xs.overlapsRange(s.term.range)) };
    if (inter.family !== undefined) base = { ...base, family: inter.family };
  }
  if (x.protos !== undefined) {
    const others = (m.protos ?? PROTOCOL_UNIVERSE).filter((p) => !x.protos!.includes(p));
    if (others.length > 0) out.push({ ...base, protos: others });
    base = { ...base, protos: inter.protos! };
  }
  if (x.ports !== undefined) {
    const rest = intersectPorts(m.ports, complementPorts(x.ports));
    if (rest !== null && rest !== undefined) out.push({ ...base, ports: rest });
  }
  return out;
}

/** The condition with the sources that did not come from `from` (but from a notrack rule) written on `line`. */
export function onLine(c: Cond, line: Line, from: Cond): Cond {
  if (c.sources === undefined) return c;
  const own = new Set(from.sources?.map((x) => x.line));
  return { ...c, sources: c.sources.map((x) => (own.has(x.line) ? x : { term: x.term, line, via: [] })) };
}

/** The entries one rule's condition gives, in order: one per source (and per protocol of a negated protocol). */
export function condEntries(
  out: Entry[],
  cond: Cond,
  families: readonly Family[],
  line: Line,
  facts: RuleFacts & { readonly via: readonly string[] },
): void {
  const sources = cond.sources ?? anySources(families, cond.family, line);
  const protos: readonly (string | undefined)[] = cond.protos ?? NO_PROTOCOL;
  // An undecidable condition: an allow is not counted on (it may not apply), a deny is (it may).
  const unmet =
    cond.unmet ??
    (cond.unsure !== undefined && facts.action === "allow" ? `not known to match (${cond.unsure})` : undefined);
  for (let pi = 0; pi < protos.length; pi++) {
    // One facts object per protocol, shared by every source that came through no object of its own.
    const shared: RuleFacts = {
      action: facts.action,
      direction: facts.direction,
      protocol: protos[pi],
      ports: cond.ports,
      via: facts.via,
      ruleLine: facts.ruleLine,
      comment: facts.comment,
      context: facts.context,
      unmet,
      qualifier: facts.qualifier,
      destination: cond.destination,
    };
    for (let si = 0; si < sources.length; si++) {
      const s = sources[si]!;
      if (s.via.length === 0) out.push(makeEntry(s.line, s.term, shared));
      else
        out.push(
          makeEntry(s.line, s.term, { ...shared, via: facts.via.length === 0 ? s.via : [...facts.via, ...s.via] }),
        );
    }
  }
}

const NO_PROTOCOL: readonly (string | undefined)[] = [undefined];

// ---- Interfaces ----

/**
 * Interfaces that Internet traffic does not arrive on when the paste does not say which one faces the Internet:
 * loopback, container and VM bridges and veths, overlay and VPN tunnels.
 */
const INTERNAL_INTERFACE =
  /^(?:lo$|docker|br-|virbr|veth|vnet|cni|flannel|cali|cilium|weave|kube|lxc|lxd|lxcbr|podman|tun|tap|wg|tailscale|zt|nebula|vxlan|genev|ipsec|vti|gre|ip6tnl)/;

/** `name` matches the iptables pattern `pattern` ("eth+" is a prefix) or an nft wildcard ("eth*"). */
export function interfaceMatches(pattern: string, name: string): boolean {
  const last = pattern.charCodeAt(pattern.length - 1);
  if (last === 43 || last === 42) return name.startsWith(pattern.slice(0, -1));
  return pattern === name;
}

export function isInternalInterface(pattern: string): boolean {
  return INTERNAL_INTERFACE.test(pattern);
}

/**
 * Whether a SYN from the Internet arriving on `ingress` (or, when it is not known, on an interface that is none of
 * the internal kinds) meets "input interface [is not] `pattern`"; the unmet reason, or undefined when met.
 */
export function inputInterfaceUnmet(
  pattern: string,
  negated: boolean,
  ingress: string | undefined,
): string | undefined {
  const on = ingress !== undefined ? interfaceMatches(pattern, ingress) : !isInternalInterface(pattern);
  if (on !== negated) return undefined;
  if (negated)
    return ingress !== undefined
      ? `only traffic not arriving on ${pattern}, and the Internet arrives on ${ingress}`
      : `only traffic not arriving on ${pattern}`;
  return ingress !== undefined
    ? `only traffic arriving on ${pattern}, not on ${ingress}`
    : `only traffic arriving on ${pattern}, not from the Internet`;
}

/**
 * "output interface [is not] `pattern`" on the forward path. The protected side is read as every interface that is
 * not the Internet-facing one (and not loopback): `-o X` is met unless X is the ingress; `! -o X` only when X is the
 * ingress or loopback (a forwarded packet never leaves through either).
 */
export function outputInterfaceUnmet(
  pattern: string,
  negated: boolean,
  ingress: string | undefined,
): string | undefined {
  const isIngress = ingress !== undefined ? interfaceMatches(pattern, ingress) : !isInternalInterface(pattern);
  const met = negated ? isIngress || pattern === "lo" : !isIngress && pattern !== "lo";
  if (met) return undefined;
  return negated
    ? `only traffic not leaving through ${pattern}, read as the protected side`
    : `only traffic leaving through ${pattern}, the Internet-facing side`;
}

/** The TCP flags of a SYN opening a connection. */
export const SYN_FLAGS = new Set(["SYN"]);

/** "--tcp-flags MASK COMP" / "tcp flags & (mask) == comp" for a plain SYN. */
export function synMatchesFlags(mask: readonly string[], comp: readonly string[]): boolean {
  const m = new Set(mask.map((f) => f.toUpperCase()));
  const all = m.has("ALL");
  const c = new Set(comp.map((f) => f.toUpperCase()));
  if (c.has("NONE")) c.clear();
  if (c.has("ALL")) return false;
  for (const f of ["FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"]) {
    if (!all && !m.has(f)) continue;
    if (SYN_FLAGS.has(f) !== c.has(f)) return false;
  }
  return true;
}
