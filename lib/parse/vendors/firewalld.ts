/**
 * firewalld (RHEL, Fedora, SUSE): `firewall-cmd --list-all` / `--list-all-zones` / `--info-ipset=NAME` output, zone
 * and ipset XML files (/etc/firewalld/zones/*.xml, /etc/firewalld/ipsets/*.xml, several files pasted with
 * `==> path <==` or `# path` headers), and scripts of `firewall-cmd` / `firewall-offline-cmd` commands (our export).
 *
 * Semantics (firewalld.zone(5), firewalld.richlanguage(5) "Information about logging and actions",
 * https://firewalld.org/documentation/zone/ and /man-pages/firewalld.richlanguage.html; firewalld ≥ 1.0, no zone
 * drifting): a new connection from address A is handled by the zone A is bound to as a source, else by the zone of
 * the interface it arrives on (the Internet-facing one: --ingress, else the default zone). Inside a zone: rich rules
 * with priority < 0 by priority, then (priority 0) every reject/drop rich rule, then everything that accepts (accept
 * rich rules, services, ports, protocols), then rich rules with priority > 0, then the zone's target (default and
 * %%REJECT%% reject, DROP drops, ACCEPT accepts).
 */
import { isDigit, isJsWhitespace, isLetter } from "../lines";
import type { Destination, Entry, Finding, ParseOptions, ParseOutput, Parser, PathContext, PortRange } from "../types";
import type { Family } from "../../ip/types";
import { type AddressTerm, type Line, countLines, finding, readAddressTerm, splitLines, wordTable } from "./common";
import { type DirectState, directContext, newDirectState, readDirectCommand, readDirectXml } from "./firewalld-direct";
import { FIREWALLD_SERVICES } from "./firewalld-services";
import { anySources, pathEntry } from "./hostcommon";
import { type Source, andSources, complementTerms, destinationOf, detectHead } from "./linuxcommon";
import { KeyedRemovals } from "./keyedremovals";
import { looksLikeShellScript, readShell, type ShellProblem } from "./shell";
import { shellWords } from "./shellwords";
import { xmlTags } from "./xmltags";

type Verdict = "accept" | "reject" | "drop";

interface SourceSpec {
  readonly kind: "address" | "ipset" | "mac";
  readonly value: string;
  readonly not: boolean;
  readonly line: Line;
}

/** What one element of a zone (a rich rule, a service, a port …) matches and does. */
interface ZoneRule {
  readonly line: Line;
  readonly priority: number;
  readonly verdict: Verdict;
  readonly family?: Family;
  readonly source?: SourceSpec;
  /** [protocol, ports]; protocol undefined = any; ports undefined = any. Several for a multi-port service. */
  readonly services: readonly { readonly protocol?: string; readonly ports?: readonly PortRange[] }[];
  readonly unmet?: string;
  readonly comment?: string;
  /** A rich rule's `destination address=` (not negated): Entry.destination. */
  readonly destination?: Destination;
  readonly order: number;
  /** What --remove-service and --remove-port name it by ("service:ssh", "port:tcp:8000-8100"); absent: neither. */
  readonly key?: string;
  /** A rich rule's text as written: --remove-rich-rule names it by its elements (richKey). */
  readonly rich?: string;
}

interface Zone {
  readonly name: string;
  line: Line;
  target?: { value: string; line: Line };
  readonly interfaces: { name: string; line: Line }[];
  readonly sources: SourceSpec[];
  /** What --remove-source looks sources up in (built at the zone's first removal; `build` sweeps the removed out). */
  sourceRemovals?: KeyedRemovals<SourceSpec>;
  readonly rules: ZoneRule[];
  /**
   * What --remove-service, --remove-port and --remove-rich-rule look rules up in (built at the zone's first removal or
   * port coalescing; `build` sweeps the removed out).
   */
  ruleRemovals?: KeyedRemovals<ZoneRule>;
  /** richKey of the rich rules read but not kept (see decidesNothing). */
  quietRich?: Set<string>;
  /** Per protocol, the zone's port ranges as firewalld keeps them: sorted, disjoint (add_port coalesces overlaps). */
  portRanges?: Map<string, PortRange[]>;
  isDefault: boolean;
}

interface Ipset {
  readonly name: string;
  line: Line;
  family?: Family;
  readonly entries: { term: AddressTerm; line: Line }[];
  /** What --remove-entry looks entries up in, as `sourceRemovals` for a zone. */
  entryRemovals?: KeyedRemovals<{ term: AddressTerm; line: Line }>;
}

interface State {
  readonly findings: Finding[];
  readonly zones: Map<string, Zone>;
  /** Rules of the direct interface (iptables rules firewalld loads beside its zones). */
  readonly direct: DirectState;
  readonly ipsets: Map<string, Ipset>;
  defaultZone?: { name: string; line: Line };
  order: number;
  /** Rich rules' "port=… protocol=…" read so far by their text: one frozen reading shared by every rule writing it. */
  readonly portProtos: Map<
    string,
    readonly { readonly protocol: string; readonly ports: readonly PortRange[] }[] | undefined
  >;
}

const NO_LINE: Line = { n: 0, text: "" };

function zoneOf(st: State, name: string, line: Line): Zone {
  let z = st.zones.get(name);
  if (!z) {
    z = { name, line, interfaces: [], sources: [], rules: [], isDefault: false };
    st.zones.set(name, z);
  }
  return z;
}

function ipsetOf(st: State, name: string, line: Line): Ipset {
  let s = st.ipsets.get(name);
  if (!s) {
    s = { name, line, entries: [] };
    st.ipsets.set(name, s);
  }
  return s;
}

function nextOrder(st: State): number {
  return st.order++;
}

/** Adds a rule to its zone, and to the zone's removal index once there is one. */
function pushRule(zone: Zone, rule: ZoneRule): void {
  zone.rules.push(rule);
  zone.ruleRemovals?.appended(rule);
}

function ruleKey(rule: ZoneRule): string | undefined {
  return rule.key ?? (rule.rich === undefined ? undefined : richKey(rule.rich));
}

function ruleRemovals(zone: Zone): KeyedRemovals<ZoneRule> {
  return (zone.ruleRemovals ??= new KeyedRemovals(zone.rules, ruleKey));
}

function portKey(protocol: string, range: PortRange): string {
  return `port:${protocol}:${range.from}-${range.to}`;
}

/** The index of the first of the sorted, disjoint `ranges` that reaches `port` (its end is at or above it). */
function firstReaching(ranges: readonly PortRange[], port: number): number {
  let lo = 0;
  let hi = ranges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ranges[mid]!.to < port) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// ---- elements shared by every form ----

function readPortProto(text: string): { protocol: string; ports: PortRange[] } | undefined {
  const m = /^(\d{1,5})(?:-(\d{1,5}))?\/(tcp|udp|sctp|dccp)$/i.exec(text.trim());
  if (!m) return undefined;
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  if (from > 65535 || to > 65535 || from > to) return undefined;
  return { protocol: m[3]!.toLowerCase(), ports: [{ from, to }] };
}

/** Any protocol and port: shared by every rich rule that names none (services lists are never changed in place). */
const ANY_SERVICES: { protocol?: string; ports?: readonly PortRange[] }[] = Object.freeze([
  Object.freeze({}),
]) as unknown as { protocol?: string; ports?: readonly PortRange[] }[];

/** readPortProto of a rich rule element's port and protocol, read once per distinct text (the readings are frozen). */
function sharedPortProto(
  st: State,
  attrs: RichAttrs,
): readonly { readonly protocol: string; readonly ports: readonly PortRange[] }[] | undefined {
  const text = `${attrs.port ?? ""}/${attrs.protocol ?? ""}`;
  if (st.portProtos.has(text)) return st.portProtos.get(text);
  const p = readPortProto(text);
  // As the one-service list a rule holds.
  const shared =
    p === undefined
      ? undefined
      : Object.freeze([Object.freeze({ protocol: p.protocol, ports: Object.freeze(p.ports) })]);
  if (st.portProtos.size < 4096) st.portProtos.set(text, shared);
  return shared;
}

/** A service's ports (includes followed), or undefined for a service firewalld does not ship. */
function serviceTerms(
  name: string,
  seen: Set<string> = new Set(),
): { protocol?: string; ports?: readonly PortRange[] }[] | undefined {
  const s = FIREWALLD_SERVICES[name];
  if (!s || seen.has(name)) return s ? [] : undefined;
  seen.add(name);
  const out: { protocol?: string; ports?: readonly PortRange[] }[] = [];
  for (const p of s.ports) {
    const r = readPortProto(p);
    if (r) out.push(r);
  }
  for (const proto of s.protocols ?? []) out.push({ protocol: proto });
  for (const inc of s.includes ?? []) out.push(...(serviceTerms(inc, seen) ?? []));
  return out;
}

function addService(st: State, zone: Zone, name: string, line: Line): void {
  const services = serviceTerms(name);
  if (!services) {
    st.findings.push(
      finding(
        line,
        "not-understood",
        `Service "${name}" is not one firewalld ships: its ports are unknown, it is not read.`,
      ),
    );
    return;
  }
  if (services.length === 0) return;
  pushRule(zone, {
    line,
    priority: 0,
    verdict: "accept",
    services,
    comment: `service ${name}`,
    order: nextOrder(st),
    key: `service:${name}`,
  });
}

function addPort(st: State, zone: Zone, text: string, line: Line): void {
  const r = readPortProto(text);
  if (!r) {
    st.findings.push(finding(line, "invalid", `"${text}" is not a port[-port]/protocol.`));
    return;
  }
  // firewalld's add_port (fw_zone.py, functions.py coalescePortRange): a range inside one already enabled changes
  // nothing (ALREADY_ENABLED); one overlapping others replaces them with their union. Kept so, a later --remove-port
  // cuts what firewalld would cut.
  const { protocol } = r;
  const want = r.ports[0]!;
  zone.portRanges ??= new Map();
  let ranges = zone.portRanges.get(protocol);
  if (ranges === undefined) zone.portRanges.set(protocol, (ranges = []));
  const i = firstReaching(ranges, want.from);
  let j = i;
  while (j < ranges.length && ranges[j]!.from <= want.to) j++;
  if (j - i === 1 && ranges[i]!.from <= want.from && want.to <= ranges[i]!.to) return;
  let range = want;
  if (j > i) {
    range = { from: Math.min(want.from, ranges[i]!.from), to: Math.max(want.to, ranges[j - 1]!.to) };
    const removals = ruleRemovals(zone);
    for (let k = i; k < j; k++) removals.take(portKey(protocol, ranges[k]!), () => zone.rules);
  }
  ranges.splice(i, j - i, range);
  pushRule(zone, {
    line,
    priority: 0,
    verdict: "accept",
    services: [{ protocol, ports: [range] }],
    order: nextOrder(st),
    key: portKey(protocol, range),
  });
}

/**
 * A zone's forward-port ("port=443:proto=tcp:toport=8443:toaddr=", XML <forward-port port= protocol= to-port=
 * to-addr=>): the connections it rewrites are accepted before the zone's rules — firewalld's filter_INPUT and
 * filter_FORWARD accept every DNAT'd connection ("ct status dnat accept", nftables.py _build_default_rules_dnat)
 * unless StrictForwardPorts=yes — so a rich rule's reject or drop in the zone does not stop them.
 */
function addForwardPort(st: State, zone: Zone, port: string, proto: string, toaddr: string, line: Line): void {
  const r = readPortProto(`${port}/${proto}`);
  if (!r) {
    st.findings.push(finding(line, "invalid", `"${port}/${proto}" is not a forward-port port[-port]/protocol.`));
    return;
  }
  pushRule(zone, {
    line,
    priority: FORWARD_PORT_PRIORITY,
    verdict: "accept",
    // Of one family: IPv4, or IPv6 when it forwards to an IPv6 address (the nat rule's "meta nfproto").
    family: toaddr.includes(":") ? 6 : 4,
    services: [r],
    comment: "forward-port: firewalld accepts DNAT'd connections before the zone's rules",
    order: nextOrder(st),
  });
}

/** Below every rich rule priority (-32768 … 32767): the DNAT accept comes before the zone. */
const FORWARD_PORT_PRIORITY = -100000;

/** "port=443:proto=tcp:toport=8443:toaddr=" of --list-all. */
function addForwardPortText(st: State, zone: Zone, text: string, line: Line): void {
  const f = Object.fromEntries(text.split(":").map((kv) => kv.split("=") as [string, string]));
  addForwardPort(st, zone, f.port ?? "", f.proto ?? "", f.toaddr ?? "", line);
}

function addSourcePort(st: State, zone: Zone, text: string, line: Line): void {
  pushRule(zone, {
    line,
    priority: 0,
    verdict: "accept",
    services: [{}],
    unmet: `only from source port ${text} (a new connection comes from an ephemeral port)`,
    order: nextOrder(st),
  });
}

function addSource(st: State, zone: Zone, text: string, line: Line): void {
  const source: SourceSpec = text.startsWith("ipset:")
    ? { kind: "ipset", value: text.slice(6), not: false, line }
    : /^(?:[0-9a-f]{2}:){5}[0-9a-f]{2}$/i.test(text)
      ? { kind: "mac", value: text, not: false, line }
      : { kind: "address", value: text, not: false, line };
  zone.sources.push(source);
  zone.sourceRemovals?.appended(source);
}

/** A source as --remove-source names it. */
const sourceKey = (s: SourceSpec): string => (s.kind === "ipset" ? `ipset:${s.value}` : s.value);

function setTarget(zone: Zone, value: string, line: Line): void {
  zone.target = { value, line };
}

// ---- rich rules ----

/** `rule family="ipv4" source address="1.2.3.4" port port="443" protocol="tcp" accept` → words and key=value pairs. */
function richTokens(text: string): { word: string; attrs: RichAttrs }[] {
  const out: { word: string; attrs: RichAttrs }[] = [];
  // What /([A-Za-z][\w-]*)(?:=(?:"([^"]*)"|'([^']*)'|(\S+)))?/g matches, scanned by char code: one rich rule a line.
  const len = text.length;
  let i = 0;
  while (i < len) {
    if (!isLetter(text.charCodeAt(i))) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < len && isWordOrDash(text.charCodeAt(j))) j++;
    const key = richWord(text, i, j) ?? text.slice(i, j);
    let value: string | undefined;
    i = j;
    if (j < len && text.charCodeAt(j) === 61) {
      const q = text.charCodeAt(j + 1);
      const close = q === 34 || q === 39 ? text.indexOf(q === 34 ? '"' : "'", j + 2) : -1;
      if (close >= 0) {
        value = text.slice(j + 2, close);
        i = close + 1;
      } else {
        let k = j + 1;
        while (k < len && !isJsWhitespace(text.charCodeAt(k))) k++;
        if (k > j + 1) {
          value = text.slice(j + 1, k);
          i = k;
        }
      }
    }
    const last = out[out.length - 1];
    // "source not address=…": the negation belongs to the element before it. firewall-cmd prints it "NOT" (rich.py
    // Rich_Source.__str__) and reads either spelling.
    if ((key === "not" || key === "NOT") && value === undefined && last) {
      if (last.attrs === NO_ATTRS) last.attrs = new RichAttrs();
      last.attrs.not = "true";
    } else if (value === undefined) out.push({ word: key, attrs: NO_ATTRS });
    else if (last) {
      // An element's own attributes are made at its first one ("accept" and the like have none).
      if (last.attrs === NO_ATTRS) last.attrs = new RichAttrs();
      last.attrs.set(key, value);
    }
  }
  return out;
}

/** The words of rich rules: read as these literals (wordTable), not a sliced copy per rule. */
const richWord = wordTable(
  "rule family source address ipset port protocol service name priority not accept reject drop limit value log destination".split(
    " ",
  ),
);

/**
 * The attributes of a rich rule element that its readers look at, in fields (one object shape); the others are
 * dropped, since nothing reads them. A dictionary per element (Object.create(null)) was most of the reading's cost.
 */
class RichAttrs {
  not: string | undefined = undefined;
  address: string | undefined = undefined;
  ipset: string | undefined = undefined;
  mac: string | undefined = undefined;
  name: string | undefined = undefined;
  port: string | undefined = undefined;
  protocol: string | undefined = undefined;
  value: string | undefined = undefined;
  family: string | undefined = undefined;
  priority: string | undefined = undefined;

  set(key: string, value: string): void {
    switch (key) {
      case "not":
        this.not = value;
        break;
      case "address":
        this.address = value;
        break;
      case "ipset":
        this.ipset = value;
        break;
      case "mac":
        this.mac = value;
        break;
      case "name":
        this.name = value;
        break;
      case "port":
        this.port = value;
        break;
      case "protocol":
        this.protocol = value;
        break;
      case "value":
        this.value = value;
        break;
      case "family":
        this.family = value;
        break;
      case "priority":
        this.priority = value;
        break;
    }
  }
}

/** The attributes of an element that has none: shared, never set (richTokens makes an element its own first). */
const NO_ATTRS: RichAttrs = Object.freeze(new RichAttrs()) as RichAttrs;

/** [\w-]: letters, digits, "_" and "-". */
function isWordOrDash(c: number): boolean {
  return isLetter(c) || isDigit(c) || c === 95 || c === 45;
}

/** A rich rule as its elements are read ("rule family=ipv4 source address=X port port=443 protocol=tcp accept"). */
interface RichScan {
  readonly st: State;
  readonly line: Line;
  readonly family: Family | undefined;
  source?: SourceSpec;
  destination?: Destination;
  verdict?: Verdict;
  services: { protocol?: string; ports?: readonly PortRange[] }[];
  unmet?: string;
  limit?: string;
  /** A forward-port element: the connections it rewrites are accepted before the zone's rules. */
  forwardPort?: { protocol?: string; ports?: readonly PortRange[] };
  /** An element that changes packets without deciding (masquerade, mark). */
  inert?: string;
}

/** Reads one element of a rich rule; false when the rule cannot be read (reported). */
type RichElementReader = (r: RichScan, word: string, attrs: RichAttrs) => boolean;

function richSource(r: RichScan, _word: string, attrs: RichAttrs): boolean {
  const not = attrs.not === "true";
  if (attrs.address !== undefined) r.source = { kind: "address", value: attrs.address, not, line: r.line };
  else if (attrs.ipset !== undefined) r.source = { kind: "ipset", value: attrs.ipset, not, line: r.line };
  else if (attrs.mac !== undefined) r.source = { kind: "mac", value: attrs.mac, not, line: r.line };
  return true;
}

function richService(r: RichScan, _word: string, attrs: RichAttrs): boolean {
  const s = serviceTerms(attrs.name ?? "");
  if (!s) {
    r.st.findings.push(
      finding(
        r.line,
        "not-understood",
        `Service "${attrs.name ?? ""}" is not one firewalld ships: its ports are unknown, the rule is not read.`,
      ),
    );
    return false;
  }
  r.services = s;
  return true;
}

function richPort(r: RichScan, _word: string, attrs: RichAttrs): boolean {
  const p = sharedPortProto(r.st, attrs);
  if (!p) {
    r.st.findings.push(
      finding(
        r.line,
        "invalid",
        `port="${attrs.port ?? ""}" protocol="${attrs.protocol ?? ""}" is not a port and protocol.`,
      ),
    );
    return false;
  }
  r.services = p as RichScan["services"];
  return true;
}

function richProtocol(r: RichScan, _word: string, attrs: RichAttrs): boolean {
  r.services = [{ protocol: (attrs.value ?? "").toLowerCase() }];
  return true;
}

function richSourcePort(r: RichScan, _word: string, attrs: RichAttrs): boolean {
  r.unmet = `only from source port ${attrs.port ?? ""}/${attrs.protocol ?? ""} (a new connection comes from an ephemeral port)`;
  return true;
}

function richIcmp(r: RichScan): boolean {
  r.services = [{ protocol: r.family === 6 ? "ipv6-icmp" : "icmp" }];
  return true;
}

/** "forward-port port=443 protocol=tcp to-port=8443 [to-addr=…]": what it rewrites is accepted (addForwardPort). */
function richForwardPort(r: RichScan, _word: string, attrs: RichAttrs): boolean {
  const p = sharedPortProto(r.st, attrs);
  if (!p) {
    r.st.findings.push(finding(r.line, "invalid", "A forward-port without a port[-port] and a protocol."));
    return false;
  }
  r.forwardPort = p[0];
  return true;
}

function richInert(r: RichScan, word: string): boolean {
  r.inert = word;
  return true;
}

function richVerdict(r: RichScan, word: string): boolean {
  r.verdict = word as Verdict;
  return true;
}

function richLimit(r: RichScan, _word: string, attrs: RichAttrs): boolean {
  r.limit = attrs.value;
  return true;
}

/** Elements that only log. */
function richIgnored(): boolean {
  return true;
}

/**
 * `destination address=…`: the service's own address, read as met; kept (not negated) for the diff's check against the
 * catalog (Entry.destination), where a rule only to published NAT IPs (source and destination swapped) is never met.
 */
function richDestination(r: RichScan, _word: string, attrs: RichAttrs): boolean {
  if (attrs.address === undefined || attrs.not === "true") return true;
  const t = readAddressTerm(attrs.address);
  const destination = t.ok ? destinationOf(t.term) : undefined;
  if (destination !== undefined) r.destination = destination;
  return true;
}

const RICH_ELEMENTS: ReadonlyMap<string, RichElementReader> = new Map([
  ["source", richSource],
  ["destination", richDestination],
  ["service", richService],
  ["port", richPort],
  ["protocol", richProtocol],
  ["source-port", richSourcePort],
  ["icmp-block", richIcmp],
  ["icmp-type", richIcmp],
  ["masquerade", richInert],
  ["forward-port", richForwardPort],
  ["mark", richInert],
  ["accept", richVerdict],
  ["reject", richVerdict],
  ["drop", richVerdict],
  ["limit", richLimit],
  ["log", richIgnored],
  ["nflog", richIgnored],
  ["audit", richIgnored],
]);

function addRichRule(st: State, zone: Zone, text: string, line: Line): void {
  const tokens = richTokens(text);
  if (tokens[0]?.word !== "rule") {
    st.findings.push(finding(line, "not-understood", 'A rich rule starts with "rule".'));
    decidesNothing(zone, text);
    return;
  }
  const ruleAttrs = tokens[0].attrs;
  const family: Family | undefined = ruleAttrs.family === "ipv4" ? 4 : ruleAttrs.family === "ipv6" ? 6 : undefined;
  const priority = Number(ruleAttrs.priority ?? 0) || 0;
  const r: RichScan = { st, line, family, services: ANY_SERVICES };
  for (let i = 1; i < tokens.length; i++) {
    const { word, attrs } = tokens[i]!;
    const read = RICH_ELEMENTS.get(word);
    if (!read) {
      st.findings.push(finding(line, "not-understood", `"${word}" is not a rich rule element.`));
      decidesNothing(zone, text);
      return;
    }
    if (!read(r, word, attrs)) {
      decidesNothing(zone, text);
      return;
    }
  }
  const refused = refusedSource(r);
  if (refused !== undefined) {
    st.findings.push(finding(line, "invalid", `${refused}: firewalld refuses this rich rule, it is not read.`));
    decidesNothing(zone, text);
    return;
  }
  if (r.forwardPort !== undefined && r.inert === undefined) {
    pushRule(zone, {
      line,
      priority: FORWARD_PORT_PRIORITY,
      verdict: "accept",
      ...(family ? { family } : {}),
      ...(r.source ? { source: r.source } : {}),
      services: [r.forwardPort],
      ...(r.unmet ? { unmet: r.unmet } : {}),
      comment: "forward-port: firewalld accepts DNAT'd connections before the zone's rules",
      order: nextOrder(st),
      rich: text,
    });
    return;
  }
  if (r.inert !== undefined) {
    st.findings.push(
      finding(
        line,
        "note",
        `A ${r.inert} rule changes packets but does not accept or reject them: it decides nothing here.`,
      ),
    );
    decidesNothing(zone, text);
    return;
  }
  // icmp-block alone rejects; otherwise only logging.
  const verdict = r.verdict ?? (tokens.some((t) => t.word === "icmp-block") ? "reject" : undefined);
  if (verdict === undefined) {
    st.findings.push(finding(line, "note", "This rich rule only logs: it decides nothing."));
    decidesNothing(zone, text);
    return;
  }
  const { source, services, unmet, limit } = r;
  // Keys in the same order as before, set one by one (no spreads: one rule per line of big listings).
  const rule: { -readonly [K in keyof ZoneRule]: ZoneRule[K] } = { line, priority, verdict } as ZoneRule;
  if (family) rule.family = family;
  if (source) rule.source = source;
  rule.services = services;
  if (unmet) rule.unmet = unmet;
  if (r.destination) rule.destination = r.destination;
  if (limit && verdict === "accept") rule.comment = `rate-limited to ${limit}`;
  rule.order = nextOrder(st);
  rule.rich = text;
  pushRule(zone, rule);
}

/**
 * Why firewalld's own check refuses the rich rule's source address (Rich_Rule.check in firewall/core/rich.py): a source
 * address needs the rule's family (MISSING_FAMILY, INVALID_FAMILY), and must be of that family (INVALID_ADDR).
 */
function refusedSource(r: RichScan): string | undefined {
  const source = r.source;
  if (source === undefined || source.kind !== "address") return undefined;
  if (r.family === undefined) return `A source address without family="ipv4" or family="ipv6"`;
  // An IPv6 address (or prefix) always holds a ":", an IPv4 one never: no second read of the address.
  const family = source.value.includes(":") ? 6 : 4;
  if (family !== r.family) return `family="ipv${r.family}" with the IPv${family} source address ${source.value}`;
  return undefined;
}

/** A rich rule read but not kept (it decides nothing, or was not understood): its removal is no surprise. */
function decidesNothing(zone: Zone, text: string): void {
  (zone.quietRich ??= new Set()).add(richKey(text));
}

const RICH_PART = /([A-Za-z][\w-]*)(?:=(?:"([^"]*)"|'([^']*)'|(\S+)))?/g;

/**
 * What --remove-rich-rule compares: firewalld removes the rule whose parsed form equals the one given
 * (config_zone.py: `str(Rich_Rule(rule_str=…))` against the zone's rules), so quoting, spacing, the order of an
 * element's attributes and the order of the elements do not matter; every attribute does (a log prefix, a to-port).
 * A "limit" stays with the element it follows (log, audit, the action).
 */
function richKey(text: string): string {
  const elements: string[][] = [];
  for (const m of text.matchAll(RICH_PART)) {
    const word = m[1]!.toLowerCase();
    const value = m[2] ?? m[3] ?? m[4];
    const last = elements[elements.length - 1];
    if (last !== undefined && (value !== undefined || word === "not" || word === "limit"))
      last.push(value === undefined ? word : `${word}=${value}`);
    else elements.push([word]);
  }
  const parts = elements.map(([word, ...attrs]) => [word, ...attrs.sort()].join(" "));
  return `rich:${parts[0] ?? ""}|${parts.slice(1).sort().join("|")}`;
}

// ---- `firewall-cmd --list-all(-zones)` and `--info-ipset` ----

type Block =
  | { kind: "zone"; zone: Zone }
  | { kind: "ipset"; ipset: Ipset }
  | { kind: "unknown"; name: string; line: Line; attributes: string };

/** One line of a listing; `indented` when its raw text starts with white space (a zone's or ipset's own line). */
function readListing(st: State, line: Line, indented: boolean, block: Block | undefined): Block | undefined {
  const t = line.text;
  if (t.startsWith("rule ") || t === "rule") {
    if (block?.kind === "zone") addRichRule(st, block.zone, t, line);
    else st.findings.push(finding(line, "not-understood", "A rich rule outside a zone listing."));
    return block;
  }
  const kv = /^([a-z][a-z -]*?):\s*(.*)$/.exec(t);
  if (kv && (indented || block !== undefined)) {
    const key = kv[1]!;
    const value = kv[2]!.trim();
    const items = value === "" ? [] : value.split(/\s+/);
    let b = block;
    if (b?.kind === "unknown") {
      if (["type", "options", "entries"].includes(key)) b = { kind: "ipset", ipset: ipsetOf(st, b.name, b.line) };
      else {
        const z = zoneOf(st, b.name, b.line);
        if (/\bdefault\b/.test(b.attributes)) {
          z.isDefault = true;
          st.defaultZone = { name: z.name, line: b.line };
        }
        b = { kind: "zone", zone: z };
      }
    }
    if (!b) {
      st.findings.push(finding(line, "not-understood", "A zone setting before any zone name."));
      return b;
    }
    if (b.kind === "ipset") {
      if (key === "options") {
        if (/family=inet6\b/.test(value)) b.ipset.family = 6;
        else if (/family=inet\b/.test(value)) b.ipset.family = 4;
      } else if (key === "entries") for (const e of items) addIpsetEntry(st, b.ipset, e, line);
      return b;
    }
    const zone = b.zone;
    switch (key) {
      case "target":
        setTarget(zone, value, line);
        break;
      case "interfaces":
        for (const i of items) zone.interfaces.push({ name: i, line });
        break;
      case "sources":
        for (const s of items) addSource(st, zone, s, line);
        break;
      case "services":
        for (const s of items) addService(st, zone, s, line);
        break;
      case "ports":
        for (const p of items) addPort(st, zone, p, line);
        break;
      case "protocols":
        for (const p of items)
          pushRule(zone, {
            line,
            priority: 0,
            verdict: "accept",
            services: [{ protocol: p.toLowerCase() }],
            order: nextOrder(st),
          });
        break;
      case "source-ports":
        for (const p of items) addSourcePort(st, zone, p, line);
        break;
      case "forward-ports":
        for (const p of items) addForwardPortText(st, zone, p, line);
        break;
      case "rich rules":
        if (value.startsWith("rule")) addRichRule(st, zone, value, line);
        break;
      default:
        // summary, description, icmp-block-inversion, forward, masquerade, forward-ports, icmp-blocks: no effect here.
        break;
    }
    return b;
  }
  if (/^port=\d/.test(t)) {
    // A forward-ports continuation line (firewall-cmd ≥ 1.0 prints one per line).
    if (block?.kind === "zone") addForwardPortText(st, block.zone, t, line);
    return block;
  }
  const header = /^([\w.+-]+)(?:\s+\(([^)]*)\))?$/.exec(t);
  if (header && !indented) return { kind: "unknown", name: header[1]!, line, attributes: header[2] ?? "" };
  st.findings.push(finding(line, "not-understood", "Not a firewalld zone listing, zone XML or firewall-cmd command."));
  return block;
}

function addIpsetEntry(st: State, set: Ipset, text: string, line: Line): void {
  const r = readAddressTerm(text);
  if (!r.ok) {
    st.findings.push(finding(line, r.kind, r.message));
    return;
  }
  const entry = { term: r.term, line };
  set.entries.push(entry);
  set.entryRemovals?.appended(entry);
}

// ---- zone and ipset XML ----

function readXml(
  st: State,
  text: string,
  lines: readonly Line[],
  fileName: string | undefined,
  firstLine: number,
): void {
  const tags = xmlTags(text);
  const at = (n: number): Line => lines[firstLine + n - 2] ?? NO_LINE;
  const root = tags.find((t) => !t.close);
  if (!root) return;
  const base = fileName?.replace(/^.*\//, "").replace(/\.xml$/, "");
  if (root.name === "ipset") {
    const set = ipsetOf(st, base ?? `ipset at line ${at(root.line).n}`, at(root.line));
    for (let k = 0; k < tags.length; k++) {
      const t = tags[k]!;
      if (t.name === "option" && t.attrs.name === "family") set.family = t.attrs.value === "inet6" ? 6 : 4;
      if (t.name === "entry" && !t.close && !t.selfClose) {
        const close = tags[k + 1];
        const value = close ? text.slice(t.end, close.start).trim() : "";
        addIpsetEntry(st, set, value, at(t.line));
      }
    }
    return;
  }
  if (root.name === "direct") {
    for (let k = 1; k < tags.length; k++) {
      const t = tags[k]!;
      if (t.close || !["rule", "chain", "passthrough"].includes(t.name)) continue;
      const close = t.selfClose ? undefined : tags[k + 1];
      const body = close ? text.slice(t.end, close.start) : "";
      readDirectXml(st.direct, t.name, t.attrs, body, at(t.line), st.findings);
    }
    return;
  }
  if (root.name !== "zone") {
    st.findings.push(
      finding(at(root.line), "not-understood", `<${root.name}> is not a firewalld zone, ipset or direct.xml.`),
    );
    return;
  }
  const zoneLine = at(root.line);
  const zone = zoneOf(st, base ?? `zone at line ${zoneLine.n}`, zoneLine);
  if (root.attrs.target !== undefined) setTarget(zone, root.attrs.target, zoneLine);
  let rule: { line: Line; attrs: Record<string, string>; parts: string[] } | undefined;
  for (let k = 1; k < tags.length; k++) {
    const t = tags[k]!;
    const line = at(t.line);
    if (rule) {
      if (t.name === "rule" && t.close) {
        addRichRule(
          st,
          zone,
          ["rule", ...Object.entries(rule.attrs).map(([a, v]) => `${a}="${v}"`), ...rule.parts].join(" "),
          rule.line,
        );
        rule = undefined;
      } else if (!t.close) {
        const attrs = Object.entries(t.attrs)
          .filter(([a]) => a !== "invert")
          .map(([a, v]) => `${a}="${v.replace(/"/g, "")}"`);
        const not = /^(?:true|yes)$/i.test(t.attrs.invert ?? "") ? ["not"] : [];
        rule.parts.push([t.name, ...not, ...attrs].join(" "));
      }
      continue;
    }
    if (t.close) continue;
    switch (t.name) {
      case "interface":
        zone.interfaces.push({ name: t.attrs.name ?? "", line });
        break;
      case "source":
        if (t.attrs.address !== undefined) addSource(st, zone, t.attrs.address, line);
        else if (t.attrs.ipset !== undefined) addSource(st, zone, `ipset:${t.attrs.ipset}`, line);
        else if (t.attrs.mac !== undefined) addSource(st, zone, t.attrs.mac, line);
        break;
      case "service":
        addService(st, zone, t.attrs.name ?? "", line);
        break;
      case "port":
        addPort(st, zone, `${t.attrs.port ?? ""}/${t.attrs.protocol ?? ""}`, line);
        break;
      case "protocol":
        pushRule(zone, {
          line,
          priority: 0,
          verdict: "accept",
          services: [{ protocol: (t.attrs.value ?? "").toLowerCase() }],
          order: nextOrder(st),
        });
        break;
      case "source-port":
        addSourcePort(st, zone, `${t.attrs.port ?? ""}/${t.attrs.protocol ?? ""}`, line);
        break;
      case "forward-port":
        if (!rule) addForwardPort(st, zone, t.attrs.port ?? "", t.attrs.protocol ?? "", t.attrs["to-addr"] ?? "", line);
        break;
      case "rule":
        if (t.selfClose) break;
        rule = { line, attrs: t.attrs, parts: [] };
        break;
      default:
        break; // short, description, masquerade, forward-port, icmp-block, forward …
    }
  }
}

// ---- firewall-cmd / firewall-offline-cmd commands ----

interface CommandState {
  zone?: string;
  ipset?: string;
  newIpset?: string;
}

/** "--key=value" as [key, value]; the value is undefined without "=". */
function commandOption(w: string): [string, string | undefined] {
  const eq = w.indexOf("=");
  return eq < 0 ? [w, undefined] : [w.slice(0, eq), w.slice(eq + 1)];
}

/**
 * Options firewall-cmd and firewall-offline-cmd take one kind of at a time: argparse's mutually exclusive groups of
 * firewalld 1.3 (/usr/bin/firewall-cmd: parser_group_zone_or_policy, parser_ipset, parser_group_config). One option
 * repeated is fine ("--add-port=80/tcp --add-port=443/tcp"); two of a group ("--add-service=https --add-port=443/tcp")
 * end the program with a usage error before anything is changed.
 */
export const EXCLUSIVE_OPTIONS: readonly ReadonlySet<string>[] = [
  [
    ...`interface source ingress-zone egress-zone rich-rule service port protocol source-port forward masquerade
     icmp-block icmp-block-inversion forward-port`
      .split(/\s+/)
      .flatMap((o) => [`--add-${o}`, `--remove-${o}`, `--query-${o}`]),
    ..."interfaces sources ingress-zones egress-zones rich-rules services ports protocols icmp-blocks forward-ports"
      .split(" ")
      .map((o) => `--list-${o}`),
    ..."--list-source-ports --list-all --get-target --set-target --get-priority --set-priority".split(" "),
    ..."--change-interface --change-zone --change-source --remove-service-from-zone --remove-service-from-policy".split(
      " ",
    ),
  ],
  `--add-option --remove-option --query-option --get-options --get-ipsets --add-entry --remove-entry --query-entry
   --get-entries --add-entries-from-file --remove-entries-from-file`.split(/\s+/),
  ["icmptype", "service", "zone", "policy", "ipset", "helper"].flatMap((o) => [
    `--new-${o}`,
    `--new-${o}-from-file`,
    `--delete-${o}`,
    `--load-${o}-defaults`,
    `--path-${o}`,
  ]),
].map((group) => new Set(group));

/** The first two options of `words` that firewall-cmd does not take together, or undefined. */
function exclusiveClash(words: readonly string[]): [string, string] | undefined {
  for (const group of EXCLUSIVE_OPTIONS) {
    let first: string | undefined;
    for (const w of words) {
      const option = commandOption(w)[0];
      if (!group.has(option)) continue;
      if (first === undefined) first = option;
      else if (option !== first) return [first, option];
    }
  }
  return undefined;
}

/** One firewall-cmd command, as its parts (the words of each line it spans): applied in order, or refused whole. */
function readCommandParts(
  st: State,
  parts: readonly { words: readonly string[]; line: Line }[],
  cmd: CommandState,
): void {
  const all = parts.flatMap((p) => p.words);
  if (all.includes("--direct")) {
    const lineOf = parts.flatMap((p) => p.words.map(() => p.line));
    readDirectCommand(st.direct, all, (k) => lineOf[k] ?? parts[0]!.line, st.findings);
    return;
  }
  const clash = exclusiveClash(all);
  if (clash !== undefined) {
    st.findings.push(
      finding(
        parts[0]!.line,
        "invalid",
        `firewall-cmd refuses this command ("argument ${clash[1]}: not allowed with argument ${clash[0]}"), so none of it is applied: give each of these options a command of its own.`,
      ),
    );
    return;
  }
  for (const p of parts) readCommandWords(st, p.words, p.line, cmd);
}

function readCommandWords(st: State, words: readonly string[], line: Line, cmd: CommandState): void {
  // --zone and --ipset apply to the whole command wherever they stand.
  for (const w of words) {
    const [k, v] = commandOption(w);
    if (k === "--zone" && v !== undefined) cmd.zone = v;
    if (k === "--ipset" && v !== undefined) cmd.ipset = v;
    if (k === "--new-ipset" && v !== undefined) cmd.newIpset = v;
  }
  for (const w of words) {
    const [k, v] = commandOption(w);
    // Others (--permanent, --zone, --ipset, --type, --set-description, --reload …) change nothing read here.
    if (v !== undefined) COMMAND_OPTIONS.get(k)?.(st, cmd, v, line);
  }
}

/** The zone a command's options apply to: its --zone, else the default zone. */
function commandZone(st: State, cmd: CommandState, line: Line): Zone {
  const name = cmd.zone ?? st.defaultZone?.name ?? "public";
  return zoneOf(st, name, st.zones.get(name)?.line ?? line);
}

/** Reads one "--option=value" of a firewall-cmd command. */
type CommandOptionReader = (st: State, cmd: CommandState, v: string, line: Line) => void;

const addProtocolOption: CommandOptionReader = (st, cmd, v, line) => {
  pushRule(commandZone(st, cmd, line), {
    line,
    priority: 0,
    verdict: "accept",
    services: [{ protocol: v.toLowerCase() }],
    order: nextOrder(st),
  });
};

const removeRichRuleOption: CommandOptionReader = (st, cmd, v, line) => {
  const z = commandZone(st, cmd, line);
  const key = richKey(v);
  if (takeAll(ruleRemovals(z), key, () => z.rules) === 0 && !z.quietRich?.has(key))
    st.findings.push(
      finding(line, "note", `No rich rule of zone ${z.name} read so far is this one: nothing is removed.`),
    );
};

/**
 * firewalld's remove_port (fw_zone.py, functions.py breakPortRange): the port or range must lie inside one range the
 * zone has (else NOT_ENABLED, nothing changes); that range loses it and keeps what lies on either side.
 */
const removePortOption: CommandOptionReader = (st, cmd, v, line) => {
  const p = readPortProto(v);
  if (!p) {
    st.findings.push(finding(line, "invalid", `"${v}" is not a port[-port]/protocol.`));
    return;
  }
  const z = commandZone(st, cmd, line);
  const want = p.ports[0]!;
  const ranges = z.portRanges?.get(p.protocol);
  const i = ranges === undefined ? 0 : firstReaching(ranges, want.from);
  const have = ranges?.[i];
  if (ranges === undefined || have === undefined || have.from > want.from || have.to < want.to) {
    st.findings.push(notEnabled(line, `${v} is not within one port range of zone ${z.name}`));
    return;
  }
  const old = ruleRemovals(z).take(portKey(p.protocol, have), () => z.rules)!;
  const left: PortRange[] = [];
  if (have.from < want.from) left.push({ from: have.from, to: want.from - 1 });
  if (want.to < have.to) left.push({ from: want.to + 1, to: have.to });
  ranges.splice(i, 1, ...left);
  for (const range of left)
    pushRule(z, { ...old, services: [{ protocol: p.protocol, ports: [range] }], key: portKey(p.protocol, range) });
};

/** firewalld's remove_service: the service goes from the zone (NOT_ENABLED when it is not there). */
const removeServiceOption: CommandOptionReader = (st, cmd, v, line) => {
  const z = commandZone(st, cmd, line);
  if (takeAll(ruleRemovals(z), `service:${v}`, () => z.rules) === 0)
    st.findings.push(notEnabled(line, `Service ${v} is not in zone ${z.name}`));
};

/**
 * A zone's sources and an ipset's entries are sets in firewalld (config_zone.py addSource/removeSource,
 * config_ipset.py addEntry/removeEntry: a second add is ALREADY_ENABLED, a removal of what is absent NOT_ENABLED), so
 * a removal takes every source or entry written that way. An index, not a search per removal: 80,000 sources added
 * and removed took 10 s, growing with the square.
 */
const removeSourceOption: CommandOptionReader = (st, cmd, v, line) => {
  const z = commandZone(st, cmd, line);
  z.sourceRemovals ??= new KeyedRemovals(z.sources, sourceKey);
  if (takeAll(z.sourceRemovals, v, () => z.sources) === 0)
    st.findings.push(notEnabled(line, `Source ${v} is not in zone ${z.name}`));
};

const removeEntryOption: CommandOptionReader = (st, cmd, v, line) => {
  if (cmd.ipset === undefined) {
    st.findings.push(finding(line, "not-understood", "--remove-entry without --ipset=NAME."));
    return;
  }
  const set = ipsetOf(st, cmd.ipset, line);
  set.entryRemovals ??= new KeyedRemovals(set.entries, (e) => e.term.token);
  if (takeAll(set.entryRemovals, v, () => set.entries) === 0)
    st.findings.push(notEnabled(line, `Entry ${v} is not in ipset ${set.name}`));
};

/** Marks every live item keyed `key` as removed; how many there were. */
function takeAll<T>(removals: KeyedRemovals<T>, key: string, listOrder: () => Iterable<T>): number {
  let n = 0;
  while (removals.take(key, listOrder) !== undefined) n++;
  return n;
}

/** The note for a removal firewalld refuses with NOT_ENABLED; `what` says what is missing where. */
function notEnabled(line: Line, what: string): Finding {
  return finding(line, "note", `${what} at this point: firewalld removes nothing (NOT_ENABLED).`);
}

const ipsetOptionOption: CommandOptionReader = (st, cmd, v, line) => {
  if (cmd.newIpset === undefined) return;
  if (v === "family=inet6") ipsetOf(st, cmd.newIpset, line).family = 6;
  else if (v === "family=inet") ipsetOf(st, cmd.newIpset, line).family = 4;
};

const addEntryOption: CommandOptionReader = (st, cmd, v, line) => {
  if (cmd.ipset === undefined) st.findings.push(finding(line, "not-understood", "--add-entry without --ipset=NAME."));
  else addIpsetEntry(st, ipsetOf(st, cmd.ipset, line), v, line);
};

const interfaceOption: CommandOptionReader = (st, cmd, v, line) => {
  commandZone(st, cmd, line).interfaces.push({ name: v, line });
};

const COMMAND_OPTIONS: ReadonlyMap<string, CommandOptionReader> = new Map<string, CommandOptionReader>([
  ["--add-source", (st, cmd, v, line) => addSource(st, commandZone(st, cmd, line), v, line)],
  ["--add-interface", interfaceOption],
  ["--change-interface", interfaceOption],
  ["--add-service", (st, cmd, v, line) => addService(st, commandZone(st, cmd, line), v, line)],
  ["--add-port", (st, cmd, v, line) => addPort(st, commandZone(st, cmd, line), v, line)],
  ["--add-protocol", addProtocolOption],
  ["--add-source-port", (st, cmd, v, line) => addSourcePort(st, commandZone(st, cmd, line), v, line)],
  ["--add-forward-port", (st, cmd, v, line) => addForwardPortText(st, commandZone(st, cmd, line), v, line)],
  ["--add-rich-rule", (st, cmd, v, line) => addRichRule(st, commandZone(st, cmd, line), v, line)],
  ["--remove-rich-rule", removeRichRuleOption],
  ["--remove-service", removeServiceOption],
  ["--remove-port", removePortOption],
  ["--remove-source", removeSourceOption],
  ["--set-target", (st, cmd, v, line) => setTarget(commandZone(st, cmd, line), v, line)],
  [
    "--set-default-zone",
    (st, _cmd, v, line) => {
      st.defaultZone = { name: v, line };
      zoneOf(st, v, line);
    },
  ],
  ["--new-zone", (st, _cmd, v, line) => void zoneOf(st, v, line)],
  ["--new-ipset", (st, _cmd, v, line) => void (ipsetOf(st, v, line).line = line)],
  ["--option", ipsetOptionOption],
  ["--add-entry", addEntryOption],
  ["--remove-entry", removeEntryOption],
]);

// ---- the whole paste ----

const COMMAND = /^(?:sudo\s+)?(?:\S*\/)?firewall-(?:cmd|offline-cmd)\b/;
const FILE_HEADER = /^(?:==>\s*(\S+)\s*<==|#\s*(\S+\.xml)\s*:?)$/;

const PROGRAM = /^(?:\S*\/)?firewall-(?:cmd|offline-cmd)$/;

/**
 * A shell script of firewall-cmd commands (functions such as `fw() { firewall-cmd --permanent "$@"; }`, guards,
 * continuations): each command's words are read with the line each word stands on, so an ipset entry or a rich rule
 * points at its own line.
 */
function readScript(st: State, text: string): void {
  const problems: ShellProblem[] = [];
  const commands = readShell(text, problems);
  for (const p of problems) st.findings.push(finding(p.line, "not-understood", p.message));
  for (const c of commands) {
    const at = c.words[0] === "sudo" ? 1 : 0;
    if (!PROGRAM.test(c.words[at] ?? "")) {
      st.findings.push(finding(c.line, "note", `"${c.words[at] ?? ""}" is not a firewall-cmd command: not read.`));
      continue;
    }
    const words = c.words.slice(at + 1);
    const lines = c.wordLines.slice(at + 1);
    // --zone and --ipset apply to the whole command wherever they stand.
    const cmd: CommandState = {};
    for (const w of words) {
      const m = /^--(zone|ipset|new-ipset)=(.*)$/.exec(w);
      if (m?.[1] === "zone") cmd.zone = m[2];
      else if (m?.[1] === "ipset") cmd.ipset = m[2];
      else if (m?.[1] === "new-ipset") cmd.newIpset = m[2];
    }
    const parts: { words: readonly string[]; line: Line }[] = [];
    let from = 0;
    for (let k = 1; k <= words.length; k++) {
      if (k < words.length && lines[k] === lines[from]) continue;
      parts.push({ words: words.slice(from, k), line: lines[from] ?? c.line });
      from = k;
    }
    readCommandParts(st, parts, cmd);
  }
}

export function parseFirewalld(text: string, options: ParseOptions = {}): ParseOutput {
  const lines = splitLines(text);
  const st: State = {
    findings: [],
    zones: new Map(),
    direct: newDirectState(),
    ipsets: new Map(),
    order: 0,
    portProtos: new Map(),
  };
  let block: Block | undefined;
  // A command continued over several lines: its parts, applied once it ends (firewall-cmd takes or refuses it whole).
  let cmd: { state: CommandState; parts: { words: readonly string[]; line: Line }[] } | undefined;
  let fileName: string | undefined;
  let start: number;
  // Where each raw line starts (the text split at "\n"), not a copy of each line: a listing line only needs to know
  // whether it is indented, an XML document is a run of the text.
  const starts: number[] = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  const rawEnd = (k: number): number => (k + 1 < starts.length ? starts[k + 1]! - 1 : text.length);
  if (looksLikeShellScript(text)) {
    readScript(st, text);
    return build(text, st, options);
  }
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k]!;
    const t = line.text;
    if (cmd) {
      // A continuation line of a multi-line command.
      const sw = shellWords(t);
      cmd.parts.push({ words: sw.words, line });
      if (!sw.continues) {
        readCommandParts(st, cmd.parts, cmd.state);
        cmd = undefined;
      }
      continue;
    }
    if (t === "") continue;
    const fh = FILE_HEADER.exec(t);
    if (fh) {
      fileName = fh[1] ?? fh[2];
      continue;
    }
    if (t.startsWith("<")) {
      // An XML document: from here to the close of its root element (the first tag after declarations and comments).
      let j = k;
      let rootName: string | undefined;
      while (j < lines.length && rootName === undefined) {
        rootName = /<([A-Za-z][\w-]*)/.exec(lines[j]!.text.replace(/<\?[^>]*\?>|<!--.*?-->/g, ""))?.[1];
        if (rootName === undefined) j++;
      }
      let end = j;
      if (rootName !== undefined) {
        const close = new RegExp(`</${rootName}\\s*>|<${rootName}\\b[^>]*/>`);
        while (end < lines.length && !close.test(lines[end]!.text)) end++;
      }
      end = Math.min(end, lines.length - 1);
      start = k;
      readXml(st, text.slice(starts[start]!, rawEnd(end)), lines, fileName, start + 1);
      fileName = undefined;
      k = end;
      continue;
    }
    if (t.startsWith("#") || /^(?:set -e|set -eu|exit\b|echo\b)/.test(t)) continue;
    if (COMMAND.test(t)) {
      const sw = shellWords(t);
      const parts = [{ words: sw.words.slice(1), line }];
      if (sw.continues) cmd = { state: {}, parts };
      else readCommandParts(st, parts, {});
      continue;
    }
    block = readListing(st, line, k < starts.length && isJsWhitespace(text.charCodeAt(starts[k]!)), block);
  }
  if (cmd) readCommandParts(st, cmd.parts, cmd.state);
  return build(text, st, options);
}

// ---- the path ----

function sourcesOf(st: State, spec: SourceSpec, family: Family | undefined, via: readonly string[]): Source[] {
  const families: Family[] = family ? [family] : [4, 6];
  let out: Source[];
  if (spec.kind === "mac") {
    st.findings.push(
      finding(
        spec.line,
        "note",
        `MAC address ${spec.value} is never the source of a connection from the Internet: not read.`,
      ),
    );
    return [];
  }
  if (spec.kind === "ipset") {
    const set = st.ipsets.get(spec.value);
    if (!set) {
      st.findings.push(
        finding(spec.line, "undefined-reference", `ipset "${spec.value}" is not defined in this paste.`),
      );
      return [];
    }
    out = set.entries
      .filter((e) => families.includes(e.term.range.first.family))
      .map((e) => ({ term: e.term, line: e.line, via: [...via, spec.value] }));
  } else {
    const r = readAddressTerm(spec.value);
    if (!r.ok) {
      st.findings.push(finding(spec.line, r.kind, r.message));
      return [];
    }
    out = families.includes(r.term.range.first.family) ? [{ term: r.term, line: spec.line, via }] : [];
  }
  if (!spec.not) return out;
  const ranges = out.map((s) => s.term.range);
  return families.flatMap((f) =>
    complementTerms(
      ranges.filter((r) => r.first.family === f),
      f,
      spec.value,
    ).map((term) => ({ term, line: spec.line, via })),
  );
}

/** A zone's rules in firewalld's evaluation order. */
function ordered(zone: Zone): ZoneRule[] {
  const band = (r: ZoneRule): number => (r.priority < 0 ? 0 : r.priority > 0 ? 4 : r.verdict === "accept" ? 2 : 1);
  return [...zone.rules].sort(
    (a, b) => band(a) - band(b) || (band(a) !== 1 && band(a) !== 2 ? a.priority - b.priority : 0) || a.order - b.order,
  );
}

function targetAction(zone: Zone): "allow" | "deny" {
  return zone.target?.value.toUpperCase() === "ACCEPT" ? "allow" : "deny";
}

function targetWord(zone: Zone): string {
  return zone.target?.value ?? "default";
}

/** Entries of one zone's rules, each source narrowed to `within` (a source binding) when given. */
function emitZone(st: State, zone: Zone, context: number, entries: Entry[], within: Source[] | undefined): void {
  const rules = ordered(zone);
  // Indexed loops: for..of here ran through the iterator protocol once per rule and source.
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i]!;
    const ruleSources: Source[] = r.source
      ? sourcesOf(st, r.source, r.family, [])
      : anySources(r.family ? [r.family] : [4, 6], "any").map((term) => ({ term, line: r.line, via: [] }));
    const sources = within ? andSources(within, ruleSources) : ruleSources;
    for (let k = 0; k < sources.length; k++) {
      const s = sources[k]!;
      for (let j = 0; j < r.services.length; j++) {
        const svc = r.services[j]!;
        entries.push(
          pathEntry(s.line, s.term, {
            action: r.verdict === "accept" ? "allow" : "deny",
            direction: "in",
            protocol: svc.protocol,
            ports: svc.ports,
            via: s.via,
            ruleLine: r.line.n,
            comment: r.comment,
            context,
            unmet: r.unmet,
            destination: r.destination,
          }),
        );
      }
    }
  }
}

function contextName(z: Zone): string {
  const ifs = z.interfaces.map((i) => i.name);
  return `firewalld zone ${z.name}${ifs.length > 0 ? ` (interfaces ${ifs.join(", ")})` : ""}`;
}

/** Which zone faces the Internet, and how that was decided (for the assumption line). */
function chooseIngressZone(
  st: State,
  zones: readonly Zone[],
  options: ParseOptions,
  notes: string[],
): { ingressZone: Zone | undefined; how: string } {
  let ingressZone: Zone | undefined;
  let how = "";
  if (options.ingress !== undefined) {
    ingressZone =
      st.zones.get(options.ingress) ?? zones.find((z) => z.interfaces.some((i) => i.name === options.ingress));
    how = ingressZone
      ? ingressZone.name === options.ingress
        ? `zone ${ingressZone.name} (given)`
        : `zone ${ingressZone.name}, which holds interface ${options.ingress} (given)`
      : "";
    if (!ingressZone)
      notes.push(
        `No zone of this paste is named ${options.ingress} or holds that interface: the default zone is used.`,
      );
  }
  if (!ingressZone) {
    const def = st.defaultZone ? st.zones.get(st.defaultZone.name) : undefined;
    if (def) {
      ingressZone = def;
      how = `the default zone ${def.name}`;
    } else if (zones.length === 1) {
      ingressZone = zones[0];
      how = `zone ${zones[0]!.name}, the only one in the paste`;
    } else {
      ingressZone = st.zones.get("public") ?? zones.find((z) => z.interfaces.length > 0) ?? zones[0];
      if (ingressZone) how = `zone ${ingressZone.name} (assumed: the paste does not say which zone is the default)`;
    }
  }
  return { ingressZone, how };
}

/** Source-bound zones decide their sources first, wherever they arrive (no zone drifting since firewalld 1.0). */
function emitBoundZones(st: State, zones: readonly Zone[], ingressZone: Zone, entries: Entry[]): void {
  const bound = zones.filter((z) => z !== ingressZone && z.sources.length > 0);
  for (const z of bound) {
    for (const spec of z.sources) {
      const within = sourcesOf(st, spec, undefined, [`zone ${z.name}`]);
      if (within.length === 0) continue;
      emitZone(st, z, 0, entries, within);
      for (const s of within) {
        entries.push(
          pathEntry(s.line, s.term, {
            action: targetAction(z),
            direction: "in",
            via: s.via,
            ruleLine: spec.line.n,
            comment: `zone ${z.name} target ${targetWord(z)}: what its rules do not accept`,
          }),
        );
      }
    }
  }
}

function build(text: string, st: State, options: ParseOptions): ParseOutput {
  // Direct rules without a zone: the connection still crosses the default zone, read as firewalld ships it (nothing
  // for the port opened, target default: reject), so a direct accept alone lets nothing in.
  if (st.zones.size === 0 && st.direct.rules.size > 0) zoneOf(st, st.defaultZone?.name ?? "public", NO_LINE);
  const zones = [...st.zones.values()];
  for (const z of zones) {
    z.sourceRemovals?.sweep(z.sources);
    z.ruleRemovals?.sweep(z.rules);
  }
  for (const set of st.ipsets.values()) set.entryRemovals?.sweep(set.entries);
  const entries: Entry[] = [];
  const notes: string[] = [];
  const { ingressZone, how } = chooseIngressZone(st, zones, options, notes);
  const contexts: PathContext[] = [];
  if (ingressZone) {
    contexts.push({
      name: contextName(ingressZone),
      line: ingressZone.target?.line.n ?? ingressZone.line.n,
      text: ingressZone.target?.line.text ?? ingressZone.line.text,
      fallthrough: targetAction(ingressZone),
      onPath: true,
      reason: "a new connection from the Internet arrives in this zone",
    });
    emitBoundZones(st, zones, ingressZone, entries);
    // The ingress zone's own source bindings only narrow it to itself: its rules apply to everyone arriving there.
    emitZone(st, ingressZone, 0, entries, undefined);
  }
  for (const z of zones) {
    if (z === ingressZone || z.sources.length > 0) continue;
    if (z.rules.length === 0) continue;
    const c = contexts.length;
    contexts.push({
      name: contextName(z),
      line: z.target?.line.n ?? z.line.n,
      text: z.target?.line.text ?? z.line.text,
      fallthrough: targetAction(z),
      onPath: false,
      reason:
        z.interfaces.length > 0
          ? `it holds ${z.interfaces.map((i) => i.name).join(", ")}, not the Internet-facing interface`
          : "no source or Internet-facing interface is bound to it",
    });
    emitZone(st, z, c, entries, undefined);
  }
  // The direct rules' iptables chain (iptables' filter INPUT hooks in at priority 0, before firewalld's table at 10).
  const direct = directContext(st.direct, 0, st.findings);
  if (direct) {
    contexts.unshift(direct.context);
    for (const e of entries as { context?: number }[]) e.context = (e.context ?? 0) + 1;
    entries.unshift(...direct.entries);
  }
  // Ipsets only: the members are the allowlist itself.
  if (zones.length === 0 && st.ipsets.size > 0) {
    notes.push("The paste holds ipsets but no zone: read as the allowlist itself.");
    for (const set of st.ipsets.values())
      for (const e of set.entries)
        entries.push(pathEntry(e.line, e.term, { action: "allow", direction: "in", via: [set.name] }));
  }
  const parts = [`Read as traffic to this host arriving in ${how || "no zone"}`];
  const boundNames = zones.filter((z) => z !== ingressZone && z.sources.length > 0).map((z) => z.name);
  if (boundNames.length > 0) parts.push(`addresses bound as sources to ${boundNames.join(", ")} are decided there`);
  if (options.path === "forward")
    parts.push("forwarded traffic is filtered by firewalld policies, which this reader does not read");
  const assumption = `${parts.join("; ")}. Override with --ingress <zone or interface>.`;
  return {
    format: "firewalld",
    entries,
    findings: st.findings.sort((a, b) => a.line - b.line),
    lineCount: countLines(text),
    notes,
    ...(zones.length > 0
      ? {
          path: {
            contexts,
            kind: "input" as const,
            ...(options.ingress !== undefined ? { ingress: options.ingress } : {}),
            assumption,
          },
        }
      : {}),
  };
}

export const firewalldParser: Parser = {
  id: "firewalld",
  label: "firewalld (firewall-cmd, zone XML)",
  detect(text: string): number {
    const head = detectHead(text);
    const cmds = head.match(/^\s*(?:sudo\s+)?(?:\S*\/)?firewall-(?:cmd|offline-cmd)\s/gm)?.length ?? 0;
    if (cmds > 0) return 0.95;
    if (
      looksLikeShellScript(head) &&
      readShell(head).some((c) => PROGRAM.test(c.words[c.words[0] === "sudo" ? 1 : 0] ?? ""))
    )
      return 0.95;
    if (/^\s*<zone[\s>]/m.test(head) || (/^\s*<ipset\s+type="hash:/m.test(head) && /<entry>/.test(head))) return 0.95;
    if (
      /^\s+target:\s*(?:default|ACCEPT|DROP|REJECT|%%REJECT%%)\s*$/m.test(head) &&
      /^\s+(?:interfaces|services|rich rules):/m.test(head)
    )
      return 0.97;
    if (/^\s+type:\s*hash:(?:ip|net)/m.test(head) && /^\s+entries:/m.test(head)) return 0.9;
    return 0;
  },
  parse: parseFirewalld,
};
