/**
 * Juniper SRX configuration in `set` format: address books (global, named, or the older per-zone ones) with
 * addresses (prefix, range-address, wildcard-address, dns-name) and address-sets, applications and
 * application-sets, and security policies (match source-address / source-address-excluded / application, then
 * permit|deny|reject). Evaluation order: zone-pair policies in the order they first appear, then global policies,
 * then the default policy. Zones say nothing reliable about direction: read as "in".
 * Firewall filters (`set firewall [family inet|inet6] filter F term T from … then …`) with prefix lists follow, each
 * filter's direction taken from the interfaces that apply it (`family inet filter input|output F`).
 */
import { IPSet, parseAddress, parseNetmask, parsePrefixOrAddress, makePrefix, makeRange } from "../../ip";
import type {
  Destination,
  Direction,
  Entry,
  Finding,
  ParseOptions,
  ParseOutput,
  Parser,
  PathContext,
  PathInfo,
  PortRange,
  RuleList,
} from "../types";
import { conditionalUnmet, joinUnmet, looksInternetFacing, sameName, tagEntries } from "./pathkit";
import {
  OBJECTS_ONLY_NOTE,
  ObjectTable,
  addObjectMember,
  anyTerm,
  countLines,
  emitRule,
  finding,
  looksAddressBearing,
  namesReachedByAllow,
  negatedSources,
  objectsAsAllowlist,
  parsePortRange,
  prefixTerm,
  splitLines,
  tokenize,
  unusedObjectFindings,
  namedDestination,
} from "./common";
import type { AddressTerm, Line, ObjectMember, Resolved, ServiceTerm } from "./common";
import { ciscoPortNumber, coversEphemeral, sourceRestricted } from "./cisco";
import { relocate } from "./relocate";
import type { Range } from "../../ip/types";
import { LinkedOrder } from "./linkedorder";
import type { CiscoServiceTerm } from "./cisco";

interface Policy {
  readonly name: string;
  readonly line: Line;
  readonly sources: { readonly word: string; readonly line: Line }[];
  readonly destinations: { readonly word: string; readonly line: Line }[];
  readonly applications: { readonly word: string; readonly line: Line }[];
  action?: { readonly word: string; readonly line: Line };
  excluded?: Line;
  /** `match destination-address-excluded`: the destinations are the ones not listed. */
  destinationExcluded?: boolean;
  inactive?: Line;
  /** Zone pair ("" for global policies, whose optional from-zone/to-zone matches are in `fromZones`/`toZones`). */
  readonly from: string;
  readonly to: string;
  readonly fromZones: string[];
  readonly toZones: string[];
  scheduler?: string;
  /** `match source-identity …` and `match dynamic-application …` values. */
  readonly identities: string[];
  readonly dynamicApps: string[];
}

/** One term of a firewall filter (`set firewall family inet filter F term T from|then …`). */
interface FilterTerm {
  readonly name: string;
  readonly line: Line;
  readonly sources: { readonly word: string; readonly line: Line; readonly except: boolean; readonly list: boolean }[];
  readonly protocols: string[];
  readonly ports: PortRange[];
  /** Set when "address"/"prefix-list"/"port" match either side: read as the source / destination port. */
  either?: Line;
  action?: { readonly word: string; readonly line: Line };
  nextTerm?: boolean;
  /** `from tcp-established` (never a SYN) or a source port (the client's is ephemeral). */
  established?: Line;
  sourcePorts?: string;
  inactive?: Line;
  /** A condition a new connection's SYN never meets (tcp-flags ack, is-fragment, icmp-type …). */
  noSyn?: string;
  /** `destination-port-except`: ports the term does not match. */
  readonly exceptPorts: PortRange[];
}

interface Filter {
  readonly name: string;
  readonly family: 4 | 6;
  readonly line: Line;
  readonly terms: Map<string, FilterTerm>;
}

interface Application {
  readonly line: Line;
  /** Terms by name; "" is the application's own (term-less) protocol/port. */
  /** `source`: the words of a source-port restriction ("source-port 443"), which an ephemeral port may miss. */
  readonly terms: Map<string, { protocol?: string; ports?: PortRange[]; source?: string; line: Line }>;
}

const tcp = (port: number): ServiceTerm => ({ protocol: "tcp", ports: [{ from: port, to: port }] });
const udp = (port: number): ServiceTerm => ({ protocol: "udp", ports: [{ from: port, to: port }] });

/** Junos predefined applications, used when the paste does not define them. */
const PREDEFINED_APPLICATIONS: Readonly<Record<string, readonly ServiceTerm[]>> = {
  any: [{}],
  "junos-http": [tcp(80)],
  "junos-https": [tcp(443)],
  "junos-ssh": [tcp(22)],
  "junos-telnet": [tcp(23)],
  "junos-ftp": [tcp(21)],
  "junos-smtp": [tcp(25)],
  "junos-dns-udp": [udp(53)],
  "junos-dns-tcp": [tcp(53)],
  "junos-ntp": [udp(123)],
  "junos-ping": [{ protocol: "icmp" }],
  "junos-icmp-all": [{ protocol: "icmp" }],
  "junos-icmp-ping": [{ protocol: "icmp" }],
  "junos-ms-sql": [tcp(1433)],
  "junos-rdp": [tcp(3389)],
};

const PREDEFINED_LINE: Line = { n: 0, text: "" };

/** Policy settings that do not change which sources reach which port. */
const IRRELEVANT_POLICY_WORDS = new Set(["description", "scheduler-name", "report-skip"]);

export const junosParser: Parser = {
  id: "junos",
  label: "Juniper SRX (set format)",
  detect(text) {
    const head = text.slice(0, 20000);
    if (/^set security (?:address-book|policies|zones security-zone) /m.test(head)) return 0.95;
    if (/^set firewall (?:family inet6? )?filter \S+ term /m.test(head)) return 0.9;
    if (/^set (?:applications application(?:-set)?|policy-options prefix-list) \S+ /m.test(head)) return 0.8;
    if (/^set (?:system host-name|interfaces \S+ unit \d+ family) /m.test(head)) return 0.5;
    return 0;
  },
  parse: parseJunos,
};

function junosPort(word: string): PortRange | undefined {
  const named = ciscoPortNumber(word);
  return parsePortRange(word) ?? (named === undefined ? undefined : { from: named, to: named });
}

/** A value at w[at]: one word, or the words of a bracketed list "[ a b ]" (to the end of the line when unclosed). */
function listAt(w: readonly string[], at: number): string[] {
  if (w[at] !== "[") return w.slice(at, at + 1);
  const close = w.indexOf("]", at + 1);
  return w.slice(at + 1, close < 0 ? w.length : close);
}

/** `interfaces IF unit U family inet filter input|output F`, in paste order. */
interface Binding {
  readonly iface: string;
  readonly family: 4 | 6;
  readonly dir: "in" | "out";
  readonly filters: string[];
  readonly line: Line;
}

/** Everything the statements say, read in one pass; the evaluation below turns it into entries and contexts. */
interface JunosConfig {
  readonly findings: Finding[];
  readonly addrs: ObjectTable<AddressTerm>;
  readonly members: ObjectMember[];
  readonly apps: Map<string, Application>;
  readonly appSets: { name: string; ref: string; line: Line }[];
  readonly zonePolicies: Map<string, Policy>;
  readonly globalPolicies: Map<string, Policy>;
  defaultPolicy?: { readonly word: string; readonly line: Line };
  readonly prefixLists: ObjectTable<AddressTerm>;
  readonly filters: Map<string, Filter>;
  readonly bindings: Binding[];
  readonly zoneInterfaces: Map<string, string[]>;
  /**
   * `host-inbound-traffic system-services` of a zone (key: the zone) or of one of its interfaces (key: "zone iface"):
   * the services (with " except" when excepted) and the first line.
   */
  readonly hostInbound: Map<string, { readonly services: string[]; readonly line: Line }>;
  readonly zoneNames: string[];
  readonly descriptions: Map<string, string>;
  /** Destination NAT pools that translate the port (`… pool P address … port Q`): the port, by pool name. */
  readonly dnatPorts: Map<string, string>;
  /** Destination NAT rules (`… rule-set RS rule R then destination-nat pool P`), in paste order. */
  readonly dnatRules: { rule: string; pool: string; line: Line }[];
}

/** One `set` or `deactivate` line: its words, where the statement starts (after "logical-systems X"), its line. */
interface Statement {
  readonly w: readonly string[];
  readonly i: number;
  readonly line: Line;
  /** "deactivate …" makes a statement inactive: the policy is then ignored. */
  readonly deactivate: boolean;
}

type StatementHandler = (c: JunosConfig, s: Statement) => void;

function bad(c: JunosConfig, line: Line, message: string): void {
  c.findings.push(finding(line, "invalid", message));
}

/** Statements by their first word; interfaces, routing, system and the rest hold addresses with no allowlist meaning. */
const STATEMENTS: ReadonlyMap<string, StatementHandler> = new Map<string, StatementHandler>([
  ["security", readSecurity],
  ["applications", readApplications],
  ["firewall", readFirewall],
  ["policy-options", readPolicyOptions],
  ["interfaces", readInterfaces],
]);

function readConfig(lines: readonly Line[]): JunosConfig {
  const c: JunosConfig = {
    findings: [],
    addrs: new ObjectTable<AddressTerm>(),
    members: [],
    apps: new Map(),
    appSets: [],
    zonePolicies: new Map(),
    globalPolicies: new Map(),
    prefixLists: new ObjectTable<AddressTerm>(),
    filters: new Map(),
    bindings: [],
    zoneInterfaces: new Map(),
    hostInbound: new Map(),
    zoneNames: [],
    descriptions: new Map(),
    dnatPorts: new Map(),
    dnatRules: [],
  };
  for (const line of lines) {
    if (line.text === "" || line.text.startsWith("#")) continue;
    const w = tokenize(line.text);
    const deactivate = w[0] === "deactivate";
    if (w[0] !== "set" && !deactivate) {
      if (looksAddressBearing(line.text))
        c.findings.push(finding(line, "not-understood", 'Only "set" lines are read.'));
      continue;
    }
    const i = w[1] === "logical-systems" ? 3 : 1;
    const k = w[i];
    const handler = k === undefined ? undefined : STATEMENTS.get(k);
    if (handler) handler(c, { w, i, line, deactivate });
  }
  destinationNatPorts(c);
  return c;
}

/**
 * Destination NAT happens before the security policy lookup, so the policies see the translated address and port: a
 * pool with "port 8443" makes a connection sent to 443 meet the policies as 8443. The policies are read for the port
 * given, not the translated one: each rule to such a pool gets a note saying so on its line.
 * Docs: Junos "Destination NAT" (pool address and port; NAT before the policy lookup, which uses the translated
 * destination): http://www.juniper.net/techpubs/software/junos-security/junos-security96/junos-security-swconfig-security/dest-nat_srx.html
 * ("the destination IP address is translated … and then security policies are applied") and "Understanding
 * Destination NAT Rules": https://www.juniper.net/documentation/en_US/junos12.2/topics/concept/nat-security-destination-rule-understanding.html
 */
function destinationNatPorts(c: JunosConfig): void {
  for (const r of c.dnatRules) {
    const port = c.dnatPorts.get(r.pool);
    if (port === undefined) continue;
    c.findings.push(
      finding(
        r.line,
        "not-understood",
        `Destination NAT rule "${r.rule}" sends connections to port ${port} of pool ${r.pool}: the security policies see port ${port}, not the port the connection was sent to. The policies are read for the port checked (--port), not the translated one: check port ${port} for the connections this rule translates.`,
      ),
    );
  }
}

/** `security address-book …`, `security zones security-zone …`, `security policies …`. */
function readSecurity(c: JunosConfig, s: Statement): void {
  const { w, i, line, deactivate } = s;
  if (w[i + 1] === "address-book" && (w[i + 3] === "address" || w[i + 3] === "address-set")) {
    if (!deactivate) readAddressBook(c, w, i + 3, line);
  } else if (
    w[i + 1] === "zones" &&
    w[i + 2] === "security-zone" &&
    w[i + 4] === "address-book" &&
    (w[i + 5] === "address" || w[i + 5] === "address-set")
  ) {
    if (!deactivate) readAddressBook(c, w, i + 5, line);
  } else if (w[i + 1] === "policies") {
    readPolicies(c, s);
  } else if (w[i + 1] === "nat" && w[i + 2] === "destination" && !deactivate) {
    readDestinationNat(c, w, i + 3, line);
  } else if (w[i + 1] === "zones" && w[i + 2] === "security-zone" && w[i + 3] !== undefined && !deactivate) {
    readSecurityZone(c, w[i + 3]!, w, i, line);
  }
}

/** `pool P address [A] port Q` and `rule-set RS rule R then destination-nat pool P`, with w[at] = pool|rule-set. */
function readDestinationNat(c: JunosConfig, w: readonly string[], at: number, line: Line): void {
  if (w[at] === "pool" && w[at + 1] !== undefined && w[at + 2] === "address") {
    const k = w.indexOf("port", at + 3);
    if (k > 0 && w[k + 1] !== undefined) c.dnatPorts.set(w[at + 1]!, w[k + 1]!);
  } else if (w[at] === "rule-set" && w[at + 2] === "rule" && w[at + 3] !== undefined) {
    const k = w.indexOf("destination-nat", at + 4);
    if (w[at + 4] === "then" && k > 0 && w[k + 1] === "pool" && w[k + 2] !== undefined)
      c.dnatRules.push({ rule: w[at + 3]!, pool: w[k + 2]!, line });
  }
}

function readSecurityZone(c: JunosConfig, zone: string, w: readonly string[], i: number, line: Line): void {
  if (!c.zoneNames.includes(zone)) c.zoneNames.push(zone);
  const iface = w[i + 4] === "interfaces" ? w[i + 5] : undefined;
  const at = iface === undefined ? i + 4 : i + 6;
  if (w[at] === "host-inbound-traffic" && w[at + 1] === "system-services" && w[at + 2] !== undefined) {
    const key = iface === undefined ? zone.toLowerCase() : `${zone.toLowerCase()} ${iface.toLowerCase()}`;
    const entry = c.hostInbound.get(key) ?? { services: [], line };
    entry.services.push(`${w[at + 2]!.toLowerCase()}${w[at + 3] === "except" ? " except" : ""}`);
    c.hostInbound.set(key, entry);
  }
  if (w[i + 4] === "interfaces" && w[i + 5] !== undefined) {
    const list = c.zoneInterfaces.get(zone) ?? [];
    list.push(w[i + 5]!);
    c.zoneInterfaces.set(zone, list);
  }
}

/** "address NAME VALUE…" or "address-set NAME (address|address-set) X" starting at w[i]. */
function readAddressBook(c: JunosConfig, w: readonly string[], i: number, line: Line): void {
  const name = w[i + 1];
  const what = w[i + 2];
  if (name === undefined || what === undefined) return bad(c, line, "The address-book entry is incomplete.");
  if (what === "description") return;
  if (!c.addrs.has(name)) c.addrs.define(name, { line, members: [] });
  if (w[i] === "address-set") {
    if (what === "address" || what === "address-set") {
      addObjectMember(c.addrs, c.members, name, { ref: w[i + 3] ?? "", line }, line);
    } else c.findings.push(finding(line, "not-understood", "This address-set line is not understood."));
    return;
  }
  const term = addressValue(c, w, i, line);
  if (term !== undefined) addObjectMember(c.addrs, c.members, name, { value: term, line }, line);
}

/** The value of "address NAME …": a prefix or address, range-address, wildcard-address; undefined after a finding. */
function addressValue(c: JunosConfig, w: readonly string[], i: number, line: Line): AddressTerm | undefined {
  const what = w[i + 2]!;
  if (what === "range-address") return rangeAddress(c, w, i, line);
  if (what === "dns-name") {
    c.findings.push(finding(line, "hostname", `"${w[i + 3] ?? ""}" is a DNS name: it cannot be checked.`));
    return undefined;
  }
  if (what === "wildcard-address") return wildcardAddress(c, w[i + 3] ?? "", line);
  const p = parsePrefixOrAddress(what);
  if (!p.ok) return void bad(c, line, `"${what}": ${p.error.message}.`);
  return prefixTerm(what, p.value, what.includes("/") ? "cidr" : "address");
}

function rangeAddress(c: JunosConfig, w: readonly string[], i: number, line: Line): AddressTerm | undefined {
  const first = parseAddress(w[i + 3] ?? "");
  const last = parseAddress(w[i + 5] ?? "");
  if (w[i + 4] !== "to" || !first.ok || !last.ok) return void bad(c, line, 'Expected "range-address A to B".');
  const r = makeRange(first.value, last.value);
  if (!r.ok) return void bad(c, line, `Range: ${r.error.message}.`);
  return { token: `${w[i + 3]} to ${w[i + 5]}`, range: r.value, kind: "range" };
}

/** "10.1.0.0/255.255.0.255": the mask after the slash says which bits must match, like a netmask. */
function wildcardAddress(c: JunosConfig, v: string, line: Line): AddressTerm | undefined {
  const slash = v.indexOf("/");
  const a = parseAddress(v.slice(0, slash));
  const bits = parseNetmask(v.slice(slash + 1));
  if (slash < 0 || !a.ok || !/\./.test(v.slice(slash + 1))) {
    const p = parsePrefixOrAddress(v);
    return p.ok ? prefixTerm(v, p.value, "wildcard") : void bad(c, line, `"${v}" is not address/mask.`);
  }
  if (!bits.ok) return void bad(c, line, `"${v}": ${bits.error.message}; it cannot be read as one address block.`);
  return prefixTerm(v, makePrefix(a.value, bits.value), "wildcard");
}

/** `security policies from-zone A to-zone B policy P …`, `… global policy P …`, `… default-policy X`. */
function readPolicies(c: JunosConfig, { w, i, line, deactivate }: Statement): void {
  const j = i + 2;
  const zoneName = w[j + 5];
  const globalName = w[j + 2];
  if (w[j] === "from-zone" && w[j + 2] === "to-zone" && w[j + 4] === "policy" && zoneName !== undefined) {
    // Policy names are unique per zone pair only.
    const key = `${w[j + 1]} ${w[j + 3]} ${zoneName}`;
    const p = policyFor(c.zonePolicies, key, zoneName, line, w[j + 1], w[j + 3]);
    if (deactivate) deactivatePolicyStatement(p, w, j + 6, line);
    else readPolicyStatement(c, p, w, j + 6, line);
  } else if (w[j] === "global" && w[j + 1] === "policy" && globalName !== undefined) {
    const p = policyFor(c.globalPolicies, globalName, globalName, line);
    if (deactivate) deactivatePolicyStatement(p, w, j + 3, line);
    else readPolicyStatement(c, p, w, j + 3, line);
  } else if (w[j] === "default-policy" && w[j + 1] !== undefined && !deactivate) {
    c.defaultPolicy = { word: w[j + 1]!, line };
  }
}

/**
 * `deactivate … policy P [STATEMENT]` (`inactive:` in the braces form): the commit ignores that statement and what is
 * under it, nothing more (Junos CLI User Guide, "deactivate",
 * https://www.juniper.net/documentation/us/en/software/junos/cli-reference/topics/ref/command/deactivate.html).
 * The whole policy, or its action (a policy without one is refused by the commit), turns the policy off; a match value
 * leaves the match (the braces form never sets it); `then log`, `then count`, a description change nothing the
 * verdict reads; a scheduler no longer limits the policy.
 */
function deactivatePolicyStatement(p: Policy, w: readonly string[], at: number, line: Line): void {
  const k = w[at];
  const action = k === "then" && (w.length === at + 1 || (ACTIONS.has(w[at + 1] ?? "") && w.length === at + 2));
  if (k === undefined || action) {
    p.inactive = line;
    return;
  }
  if (k === "scheduler-name") delete p.scheduler;
  else if (k === "match") {
    const list =
      w[at + 1] === "source-address"
        ? p.sources
        : w[at + 1] === "destination-address"
          ? p.destinations
          : w[at + 1] === "application"
            ? p.applications
            : undefined;
    const value = w[at + 2];
    if (list === undefined || value === undefined || w.length !== at + 3) p.inactive = line;
    else {
      const found = list.findIndex((x) => x.word === value);
      if (found >= 0) list.splice(found, 1);
    }
  }
}

const ACTIONS: ReadonlySet<string> = new Set(["permit", "deny", "reject"]);

function policyFor(table: Map<string, Policy>, key: string, name: string, line: Line, from = "", to = ""): Policy {
  let p = table.get(key);
  if (!p) {
    p = {
      name,
      line,
      sources: [],
      destinations: [],
      applications: [],
      from,
      to,
      fromZones: [],
      toZones: [],
      identities: [],
      dynamicApps: [],
    };
    table.set(key, p);
  }
  return p;
}

/** One policy statement at w[i]: match …, then …, inactive, scheduler-name, or a setting with no effect. */
function readPolicyStatement(c: JunosConfig, p: Policy, w: readonly string[], i: number, line: Line): void {
  const k = w[i];
  if (k === "match") readPolicyMatches(c, p, w, i + 1, line);
  else if (k === "then") {
    const what = w[i + 1];
    if (what === "permit" || what === "deny" || what === "reject") p.action = { word: what, line };
    // "then log …", "then count": no effect on the verdict.
  } else if (k === "scheduler-name") p.scheduler = w[i + 1];
  else if (k === undefined || !IRRELEVANT_POLICY_WORDS.has(k)) {
    c.findings.push(finding(line, "not-understood", "This policy line is not understood."));
  }
}

/** Match conditions that take a value (one word or a bracketed list), and the ones that are a flag. */
const MATCH_VALUE_KEYS = new Set([
  "source-address",
  "destination-address",
  "application",
  "from-zone",
  "to-zone",
  "source-identity",
  "dynamic-application",
  "url-category",
  "source-end-user-profile",
]);
const MATCH_FLAG_KEYS = new Set(["source-address-excluded", "destination-address-excluded"]);

/**
 * "match KEY VALUE [KEY VALUE …]": the Junos CLI takes several leaves of one level in one set command
 * ("match source-address any destination-address any application junos-ssh"); each is read, not only the first.
 * Docs: Junos CLI User Guide, "set" in configuration mode (statements and identifiers of one hierarchy level):
 * https://www.juniper.net/documentation/us/en/software/junos/cli/topics/topic-map/junos-cli-configuration-mode.html
 */
function readPolicyMatches(c: JunosConfig, p: Policy, w: readonly string[], at: number, line: Line): void {
  let k = at;
  while (k < w.length) {
    const what = w[k]!;
    if (MATCH_FLAG_KEYS.has(what)) {
      readPolicyMatch(p, what, [], line);
      k++;
      continue;
    }
    if (!MATCH_VALUE_KEYS.has(what)) {
      // A condition we do not read: its words cannot be told from the next key's.
      if (k > at)
        c.findings.push(
          finding(line, "not-understood", `The rest of this match line (from "${what}") is not understood.`),
        );
      return;
    }
    const vals = listAt(w, k + 1);
    readPolicyMatch(p, what, vals, line);
    k += w[k + 1] === "[" ? vals.length + 3 : 2;
  }
}

function readPolicyMatch(p: Policy, what: string | undefined, vals: readonly string[], line: Line): void {
  if (what === "source-address") pushWords(p.sources, vals, line);
  else if (what === "destination-address") pushWords(p.destinations, vals, line);
  else if (what === "application") pushWords(p.applications, vals, line);
  else if (what === "source-address-excluded") p.excluded = line;
  else if (what === "destination-address-excluded") p.destinationExcluded = true;
  else if (what === "from-zone") p.fromZones.push(...vals);
  else if (what === "to-zone") p.toZones.push(...vals);
  else if (what === "source-identity") p.identities.push(...vals);
  else if (what === "dynamic-application") p.dynamicApps.push(...vals);
}

function pushWords(list: { word: string; line: Line }[], vals: readonly string[], line: Line): void {
  for (const word of vals) list.push({ word, line });
}

/** `applications application NAME …`, `applications application-set NAME application|application-set X`. */
function readApplications(c: JunosConfig, { w, i, line, deactivate }: Statement): void {
  if (w[i + 1] === "application") {
    if (!deactivate) readApplication(c, w, i + 2, line);
  } else if (w[i + 1] === "application-set" && w[i + 2] !== undefined) {
    if (!deactivate && (w[i + 3] === "application" || w[i + 3] === "application-set"))
      c.appSets.push({ name: w[i + 2]!, ref: w[i + 4] ?? "", line });
  }
}

/** "NAME [term T] protocol P destination-port X …" starting at w[i]. */
function readApplication(c: JunosConfig, w: readonly string[], i: number, line: Line): void {
  const name = w[i];
  if (name === undefined) return;
  let app = c.apps.get(name);
  if (!app) {
    app = { line, terms: new Map() };
    c.apps.set(name, app);
  }
  let j = i + 1;
  let termName = "";
  if (w[j] === "term") {
    termName = w[j + 1] ?? "";
    j += 2;
    // "term T alg … " and similar lines carry no protocol or port.
  }
  let term = app.terms.get(termName);
  if (!term) {
    term = { line };
    app.terms.set(termName, term);
  }
  for (; j < w.length; j += 2) {
    const key = w[j]!;
    const value = w[j + 1];
    if (key === "protocol" && value !== undefined) term.protocol = value.toLowerCase();
    else if (key === "destination-port" && value !== undefined) {
      const p = junosPort(value);
      if (p) term.ports = [p];
      else bad(c, line, `"${value}" is not a port or port range.`);
    } else if (key === "source-port" && value !== undefined) {
      // A source port the sender's ephemeral one may miss ("1024-65535" is met by any ephemeral port).
      const p = junosPort(value);
      if (!p) bad(c, line, `"${value}" is not a port or port range.`);
      else if (!coversEphemeral([p])) term.source = `source-port ${value}`;
    }
  }
}

/** `firewall [family inet|inet6] filter F term T from|then …`. */
function readFirewall(c: JunosConfig, { w, i, line, deactivate }: Statement): void {
  if (w[i + 1] === "family" && (w[i + 2] === "inet" || w[i + 2] === "inet6") && w[i + 3] === "filter") {
    readFilterStatement(c, w[i + 2] === "inet" ? 4 : 6, w, i + 4, line, deactivate);
  } else if (w[i + 1] === "filter") readFilterStatement(c, 4, w, i + 2, line, deactivate);
  else if (looksAddressBearing(line.text))
    c.findings.push(finding(line, "not-understood", "This firewall line is not understood."));
}

/** `… filter F term T from|then …` with w[i] = F. */
function readFilterStatement(
  c: JunosConfig,
  family: 4 | 6,
  w: readonly string[],
  i: number,
  line: Line,
  deactivate: boolean,
): void {
  const name = w[i];
  if (name === undefined) return;
  const key = `${family} ${name}`;
  let f = c.filters.get(key);
  if (!f) {
    f = { name, family, line, terms: new Map() };
    c.filters.set(key, f);
  }
  // Filter-wide settings (interface-specific, physical-interface-filter …) do not match addresses.
  const termName = w[i + 2];
  if (w[i + 1] !== "term" || termName === undefined) return;
  let t = f.terms.get(termName);
  if (!t) {
    t = { name: termName, line, sources: [], protocols: [], ports: [], exceptPorts: [] };
    f.terms.set(t.name, t);
  }
  if (deactivate) {
    if (w.length === i + 3) t.inactive = line;
    return;
  }
  const k = w[i + 3];
  if (k === "from") readTermFroms(c, t, w, i + 4, line);
  else if (k === "then" && w[i + 4] !== undefined) readTermThens(c, t, w, i + 4, line);
  else c.findings.push(finding(line, "not-understood", "This filter line is not understood."));
}

/** Term conditions that are a flag (no value). */
const FROM_FLAG_KEYS = new Set(["tcp-established", "tcp-initial", "is-fragment", "first-fragment"]);
/** Term conditions that take one value or a bracketed list (an address one may end in "except"). */
const FROM_VALUE_KEYS = new Set([
  "source-address",
  "address",
  "source-prefix-list",
  "prefix-list",
  "destination-address",
  "destination-prefix-list",
  "protocol",
  "source-port",
  "destination-port",
  "port",
  "destination-port-except",
  "source-port-except",
  "tcp-flags",
  "icmp-type",
  "icmp-code",
  "packet-length",
  "dscp",
  "precedence",
  "ttl",
  "interface",
  "next-header",
  "payload-protocol",
  "traffic-class",
  "fragment-offset",
  "forwarding-class",
  "loss-priority",
]);
const ADDRESS_KEYS =
  /^(?:source-address|address|source-prefix-list|prefix-list|destination-address|destination-prefix-list)$/;

/**
 * "from KEY VALUE [except] [KEY VALUE …]": the Junos CLI takes several conditions of a term in one set command
 * ("from source-address 52.1.37.96/32 protocol tcp destination-port 22"): each is read, not only the first (the
 * others narrowed the term, or decided it). A condition we do not know stops the line with a finding (its words
 * cannot be told from the next condition's).
 * https://www.juniper.net/documentation/us/en/software/junos/cli/topics/topic-map/junos-cli-configuration-mode.html
 */
function readTermFroms(c: JunosConfig, t: FilterTerm, w: readonly string[], at: number, line: Line): void {
  let k = at;
  while (k < w.length) {
    const what = w[k]!;
    if (FROM_FLAG_KEYS.has(what)) {
      readTermFrom(c, t, what, [], false, line);
      k++;
      continue;
    }
    if (!FROM_VALUE_KEYS.has(what)) {
      if (k > at)
        c.findings.push(
          finding(line, "not-understood", `The rest of this term line (from "${what}") is not understood.`),
        );
      return;
    }
    const vals = listAt(w, k + 1);
    k += w[k + 1] === "[" ? vals.length + 3 : 2;
    const except = ADDRESS_KEYS.test(what) && w[k] === "except";
    if (except) k++;
    readTermFrom(c, t, what, vals, except, line);
  }
}

function readTermFrom(
  c: JunosConfig,
  t: FilterTerm,
  what: string,
  vals: readonly string[],
  except: boolean,
  line: Line,
): void {
  if (what === "source-address" || what === "address" || what === "source-prefix-list" || what === "prefix-list") {
    if (what === "address" || what === "prefix-list") t.either = line;
    for (const word of vals) t.sources.push({ word, line, except, list: what.endsWith("prefix-list") });
  } else if (what === "protocol") {
    for (const v of vals) t.protocols.push(v.toLowerCase());
  } else if (what === "tcp-established") t.established = line;
  else if (what === "source-port") t.sourcePorts = vals.join(" ");
  else if (what === "tcp-flags") {
    if (evalTcpFlags(vals.join(" ")) === false)
      t.noSyn = `tcp-flags ${vals.join(" ")}: a new connection's SYN does not match`;
  } else if (what === "is-fragment" || what === "first-fragment")
    t.noSyn = `${what}: only fragments, never a new connection's SYN`;
  else if (what === "icmp-type" || what === "icmp-code") t.noSyn = `${what}: only ICMP packets`;
  else if (what === "destination-port-except") {
    for (const v of vals) {
      const p = junosPort(v);
      if (p) t.exceptPorts.push(p);
      else bad(c, line, `"${v}" is not a port or port range.`);
    }
  } else if (what === "destination-port" || what === "port") {
    if (what === "port") t.either = line;
    for (const v of vals) {
      const p = junosPort(v);
      if (p) t.ports.push(p);
      else bad(c, line, `"${v}" is not a port or port range.`);
    }
  }
  // Other conditions (destination-address, tcp-flags, icmp-type …) narrow the term; they are not read.
}

/** Term actions and modifiers that take a value (a counter, a policer, a routing instance …). */
const THEN_VALUE_KEYS = new Set([
  "count",
  "policer",
  "three-color-policer",
  "forwarding-class",
  "loss-priority",
  "routing-instance",
  "dscp",
  "traffic-class",
  "filter",
  "hierarchical-policer",
  "next-hop-group",
]);
const THEN_FLAG_KEYS = new Set(["accept", "discard", "log", "syslog", "sample", "port-mirror", "packet-mode"]);
/** What "reject" may be followed by (the ICMP message or tcp-reset sent). */
const REJECT_REASONS =
  /^(?:tcp-reset|administratively-prohibited|bad-host-tos|bad-network-tos|fragmentation-needed|host-prohibited|host-unknown|host-unreachable|network-prohibited|network-unknown|network-unreachable|port-unreachable|precedence-cutoff|precedence-violation|protocol-unreachable|source-host-isolated|source-route-failed|address-unreachable|no-route|beyond-scope)$/;

/**
 * "then ACTION|MODIFIER …": several in one set command ("then count c2 discard") are each read: the terminating
 * action decides, wherever it stands on the line (before: only the first word was read, so "count c2 discard" had no
 * action and accepted).
 */
function readTermThens(c: JunosConfig, t: FilterTerm, w: readonly string[], at: number, line: Line): void {
  let k = at;
  while (k < w.length) {
    const what = w[k]!;
    if (what === "next") {
      readTermThen(t, what, line);
      k += w[k + 1] === "term" ? 2 : 1;
    } else if (what === "reject") {
      readTermThen(t, what, line);
      k += REJECT_REASONS.test(w[k + 1] ?? "") ? 2 : 1;
    } else if (THEN_VALUE_KEYS.has(what)) {
      readTermThen(t, what, line);
      k += 2;
    } else if (THEN_FLAG_KEYS.has(what)) {
      readTermThen(t, what, line);
      k++;
    } else {
      if (k > at)
        c.findings.push(
          finding(line, "not-understood", `The rest of this term line (from "${what}") is not understood.`),
        );
      return;
    }
  }
}

function readTermThen(t: FilterTerm, what: string, line: Line): void {
  if (what === "accept" || what === "discard" || what === "reject" || what === "routing-instance")
    t.action = { word: what, line };
  else if (what === "next") t.nextTerm = true;
  // count, log, syslog, policer … do not decide the verdict.
}

/** `policy-options prefix-list NAME PREFIX` (or `apply-path`, not read). */
function readPolicyOptions(c: JunosConfig, { w, i, line, deactivate }: Statement): void {
  const name = w[i + 2];
  if (w[i + 1] !== "prefix-list" || name === undefined || deactivate) return;
  const v = w[i + 3];
  if (!c.prefixLists.has(name)) c.prefixLists.define(name, { line, members: [] });
  if (v === "apply-path")
    c.findings.push(
      finding(
        line,
        "not-understood",
        `"${name}" takes its prefixes from elsewhere in the configuration (apply-path): not read.`,
      ),
    );
  else if (v !== undefined) {
    const pr = parsePrefixOrAddress(v);
    if (pr.ok)
      c.prefixLists.addMember(
        name,
        { value: prefixTerm(v, pr.value, v.includes("/") ? "cidr" : "address"), line },
        line,
      );
    else bad(c, line, `"${v}": ${pr.error.message}.`);
  }
}

/** "interfaces IF [unit U] description …" and "… family inet filter input F" / "input-list [ F G ]" / "output F". */
function readInterfaces(c: JunosConfig, { w, i, line, deactivate }: Statement): void {
  if (deactivate) return;
  const at = w.indexOf("filter", i);
  const fam = w[at - 1];
  const dir = w[at + 1];
  const iface = w[i + 2] === "unit" && w[i + 3] !== undefined ? `${w[i + 1]}.${w[i + 3]}` : (w[i + 1] ?? "");
  if (w[i + 2] === "description" || w[i + 4] === "description")
    c.descriptions.set(iface, w.slice(w.indexOf("description") + 1).join(" "));
  if (at > 0 && (fam === "inet" || fam === "inet6") && w[at - 2] === "family" && dir !== undefined) {
    c.bindings.push({
      iface,
      family: fam === "inet" ? 4 : 6,
      dir: dir.startsWith("input") ? "in" : "out",
      filters: listAt(w, at + 2),
      line,
    });
  }
}

function parseJunos(text: string, options: ParseOptions = {}): ParseOutput {
  const original = splitLines(text);
  const edited = applyEdits(original);
  const expanded = expandGroups(edited.lines);
  const lines = expanded.lines;
  const findings = [...edited.findings, ...expanded.findings];
  const out = parseJunosLines(lines, countLines(text), options, edited.rulesDeleted);
  if (lines === original && findings.length === 0) return out;
  // Inherited statements were read rewritten: entries, findings and contexts show the user's own lines.
  const at = (n: number): Line => original[n - 1] ?? { n, text: "" };
  return {
    ...out,
    ...relocate(
      out,
      original.map((l) => l.n),
      at,
      findings,
    ),
  };
}

/** A statement path of the configuration, with the set/deactivate lines that end there and the paths below it. */
interface StatementNode {
  readonly parent: StatementNode | undefined;
  readonly word: string;
  readonly depth: number;
  readonly below: Map<string, StatementNode>;
  readonly lines: { readonly line: Line; readonly deactivate: boolean }[];
  /** The order of the paths below, once an insert changed it (else the order they were first set in). */
  order?: LinkedOrder<string>;
}

const newStatementNode = (parent: StatementNode | undefined, word: string): StatementNode => ({
  parent,
  word,
  depth: parent === undefined ? 0 : parent.depth + 1,
  below: new Map(),
  lines: [],
});

const lowest = (lines: readonly Line[]): number => lines.reduce((m, l) => Math.min(m, l.n), Infinity);
const highest = (lines: readonly Line[]): number => lines.reduce((m, l) => Math.max(m, l.n), 0);

/** Every set/deactivate line at or below `node`. */
function subtreeLines(node: StatementNode): Line[] {
  const out: Line[] = [];
  const stack = [node];
  for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
    for (const l of n.lines) out.push(l.line);
    for (const b of n.below.values()) stack.push(b);
  }
  return out;
}

/** Configuration-mode commands that move where later lines apply, and others that change the configuration. */
const NAVIGATION_COMMANDS = new Set(["edit", "up", "top", "exit"]);
const UNAPPLIED_COMMANDS = new Set(["rename", "copy", "replace", "load", "rollback", "wildcard"]);
const EDIT_COMMANDS = new Set(["delete", "activate", "insert"]);

function reportUnfollowed(line: Line, verb: string, findings: Finding[]): void {
  if (NAVIGATION_COMMANDS.has(verb))
    findings.push(
      finding(
        line,
        "not-understood",
        `"${verb}" is not followed: the set lines after it are read from the top of the configuration.`,
      ),
    );
  else if (UNAPPLIED_COMMANDS.has(verb))
    findings.push(
      finding(line, "not-understood", `"${verb}" is not applied: the lines are read as if it were not there.`),
    );
}

/**
 * The configuration-mode edits a pasted change script holds, applied in order to the set and deactivate lines above
 * them (Junos CLI User Guide, configuration mode: https://www.juniper.net/documentation/us/en/software/junos/cli/topics/topic-map/junos-cli-configuration-mode.html):
 * - `delete PATH` removes the statement at PATH and everything below it: its lines read as empty;
 * - `activate PATH` removes the inactive tag a `deactivate PATH` put there;
 * - `insert PATH X before|after Y` moves the item X (a policy, a term …) next to its sibling Y: the lines under their
 *   parent are read in the new order of its items, in the places those lines held, which is what first-match order
 *   follows.
 * A line keeps its number wherever it is read. `edit`, `up`, `rename` and the like are reported, not followed.
 * `show configuration | display set` prints none of these; without them the lines come back unchanged.
 */
export function applyEdits(original: readonly Line[]): {
  lines: readonly Line[];
  findings: Finding[];
  rulesDeleted: boolean;
} {
  const findings: Finding[] = [];
  // Most pastes are `display set` output, with no edit: the statement tree (a second tokenizing of every line) is
  // built only when one is there.
  const verbOf = (t: string): string => {
    const space = t.indexOf(" ");
    return space < 0 ? t : t.slice(0, space);
  };
  if (!original.some((l) => EDIT_COMMANDS.has(verbOf(l.text)))) {
    for (const line of original) reportUnfollowed(line, verbOf(line.text), findings);
    return { lines: original, findings, rulesDeleted: false };
  }
  const root = newStatementNode(undefined, "");
  const removed = new Set<Line>();
  const reordered = new Set<StatementNode>();
  let edited = false;
  const at = (path: readonly string[]): StatementNode | undefined => {
    let node: StatementNode | undefined = root;
    for (const word of path) node = node?.below.get(word);
    return node;
  };
  for (const line of original) {
    const t = line.text;
    const space = t.indexOf(" ");
    const verb = space < 0 ? t : t.slice(0, space);
    if (verb === "set" || verb === "deactivate") {
      const w = tokenize(t);
      let node = root;
      for (let i = 1; i < w.length; i++) {
        let next = node.below.get(w[i]!);
        if (next === undefined) {
          node.below.set(w[i]!, (next = newStatementNode(node, w[i]!)));
          node.order?.append(w[i]!);
        }
        node = next;
      }
      node.lines.push({ line, deactivate: verb === "deactivate" });
      continue;
    }
    if (!EDIT_COMMANDS.has(verb)) {
      reportUnfollowed(line, verb, findings);
      continue;
    }
    edited = true;
    removed.add(line);
    const w = tokenize(t).slice(1);
    if (verb === "delete") {
      const node = at(w);
      const gone = node === undefined ? [] : subtreeLines(node).filter((l) => !removed.has(l));
      for (const l of gone) removed.add(l);
      if (node?.parent) {
        node.parent.below.delete(node.word);
        node.parent.order?.remove(node.word);
      } else if (node === root) root.below.clear();
      findings.push(
        finding(
          line,
          "note",
          gone.length === 0
            ? "Nothing written above is at this path: the delete changes nothing."
            : gone.length === 1
              ? `Deletes what line ${gone[0]!.n} set: it is not read.`
              : `Deletes what ${gone.length} lines set (lines ${lowest(gone)}–${highest(gone)}): they are not read.`,
        ),
      );
    } else if (verb === "activate") {
      const node = at(w);
      const tags = node === undefined ? [] : node.lines.filter((l) => l.deactivate);
      for (const l of tags) removed.add(l.line);
      if (node) node.lines.splice(0, node.lines.length, ...node.lines.filter((l) => !l.deactivate));
      if (tags.length === 0)
        findings.push(finding(line, "note", "Nothing above deactivates this path: the activate changes nothing."));
    } else {
      // insert P… X before|after Y: X is the last two words of the path before "before"/"after" (keyword and
      // name, e.g. "policy P3"), Y the two after it, a sibling under the same parent.
      const k = w.findIndex((x) => x === "before" || x === "after");
      const item = k >= 2 ? at(w.slice(0, k)) : undefined;
      const sibling = k >= 2 && w.length === k + 3 ? at([...w.slice(0, k - 2), w[k + 1]!, w[k + 2]!]) : undefined;
      // The items are "KEYWORD NAME" pairs: their node is the name's, under the keyword's node, the parent.
      const parent = item?.parent;
      if (item === undefined || sibling === undefined || parent === undefined || sibling.parent !== parent) {
        findings.push(
          finding(line, "not-understood", "This insert names an item or a sibling not set above: nothing moves."),
        );
        continue;
      }
      if (item !== sibling) {
        (parent.order ??= LinkedOrder.of(parent.below.keys())).place(
          item.word,
          w[k] === "after" ? "after" : "before",
          sibling.word,
        );
        reordered.add(parent);
      }
      findings.push(
        finding(line, "note", `Read with ${w.slice(k - 2, k).join(" ")} moved ${w[k]} ${w.slice(k + 1).join(" ")}.`),
      );
    }
  }
  if (!edited) return { lines: original, findings, rulesDeleted: false };
  let lines: readonly Line[] = original;
  if (reordered.size > 0) lines = reorder(original, reordered);
  const rules = /^(?:set|deactivate) (?:logical-systems \S+ )?(?:security policies|firewall) /;
  return {
    lines: lines.map((l) => (removed.has(l) ? { n: l.n, text: "" } : l)),
    findings,
    rulesDeleted: [...removed].some((l) => rules.test(l.text)),
  };
}

/**
 * The lines with each reordered parent's items in their new order: the lines under the parent keep the places they
 * held, refilled item by item (an item's own lines in the order they were). Deeper parents first, so a parent
 * reordered above them moves their lines as they now stand.
 */
function reorder(original: readonly Line[], parents: ReadonlySet<StatementNode>): Line[] {
  const place = new Map<Line, number>();
  original.forEach((l, i) => place.set(l, i));
  const out = [...original];
  for (const parent of [...parents].sort((a, b) => b.depth - a.depth)) {
    const ranked: { line: Line; rank: number }[] = [];
    for (const l of parent.lines) ranked.push({ line: l.line, rank: -1 });
    let rank = 0;
    for (const word of parent.order!) {
      const child = parent.below.get(word);
      if (child) for (const line of subtreeLines(child)) ranked.push({ line, rank });
      rank++;
    }
    const slots = ranked.map((r) => place.get(r.line)!).sort((a, b) => a - b);
    ranked.sort((a, b) => a.rank - b.rank || place.get(a.line)! - place.get(b.line)!);
    ranked.forEach((r, i) => {
      out[slots[i]!] = r.line;
      place.set(r.line, slots[i]!);
    });
  }
  return out;
}

/** A node of the statement tree: the groups applied and excepted at its path, and the paths below it. */
interface InheritanceNode {
  applied?: Set<string>;
  excepted?: Set<string>;
  readonly below: Map<string, InheritanceNode>;
}

/**
 * Where `apply-groups G` and `apply-groups-except G` sit, as a tree of statement paths, so that whether a group's
 * statement is inherited costs one walk down its own path: compared with every apply-groups statement, 8,000 of each
 * took over a second and the time grew with the square.
 */
export class GroupInheritance {
  private readonly root: InheritanceNode = { below: new Map() };

  /** `apply-groups` (applied) or `apply-groups-except` naming `group` at the statement path `at`. */
  add(applied: boolean, group: string, at: readonly string[]): void {
    let node = this.root;
    for (const word of at) {
      let next = node.below.get(word);
      if (next === undefined) node.below.set(word, (next = { below: new Map() }));
      node = next;
    }
    if (applied) (node.applied ??= new Set()).add(group);
    else (node.excepted ??= new Set()).add(group);
  }

  /**
   * Whether `group`'s statement at `path` takes effect: an apply-groups naming the group sits at or above the path,
   * and no apply-groups-except naming it sits below the deepest such apply-groups and at or above the path.
   */
  inherits(group: string, path: readonly string[]): boolean {
    let node: InheritanceNode | undefined = this.root;
    let deepest = -1;
    let lastExcept = -1;
    for (let depth = 0; node !== undefined; depth++) {
      if (node.applied?.has(group)) deepest = depth;
      if (node.excepted?.has(group)) lastExcept = depth;
      if (depth === path.length) break;
      node = node.below.get(path[depth]!);
    }
    return deepest >= 0 && lastExcept <= deepest;
  }
}

/**
 * Configuration groups in set form: `set groups G <statement>` takes effect where `set [<path>] apply-groups G` names
 * G at or above the statement's path, unless `apply-groups-except G` sits below that and at or above it (Juniper "Use
 * Configuration Groups", https://www.juniper.net/documentation/us/en/software/junos/cli/topics/topic-map/junos-software-configuration-groups.html).
 * An inherited statement is read on its own line as if written without "groups G"; a group with wildcards (<…>) is
 * reported, not read. As in junos-hierarchy.ts, inherited policies keep their written place, with a note.
 */
function expandGroups(lines: readonly Line[]): { lines: readonly Line[]; findings: Finding[] } {
  const findings: Finding[] = [];
  const inheritance = new GroupInheritance();
  const leaves: { index: number; group: string; path: readonly string[]; verb: string }[] = [];
  const names = (w: readonly string[], at: number) =>
    w[at] === "[" ? w.slice(at + 1, w.indexOf("]") < 0 ? w.length : w.indexOf("]")) : w.slice(at, at + 1);
  lines.forEach((line, index) => {
    if (!line.text.includes("groups")) return;
    const w = tokenize(line.text);
    if (w[0] !== "set" && w[0] !== "deactivate") return;
    if (w[1] === "groups" && w[2] !== undefined && w.length > 3) {
      leaves.push({ index, group: w[2], path: w.slice(3), verb: w[0] });
      return;
    }
    const ag = w.findIndex((x) => x === "apply-groups" || x === "apply-groups-except");
    if (ag < 1 || w[0] !== "set") return;
    for (const group of names(w, ag + 1)) inheritance.add(w[ag] === "apply-groups", group, w.slice(1, ag));
  });
  if (leaves.length === 0) return { lines, findings };
  const wildcard = new Set<string>();
  const out = [...lines];
  const withPolicies = new Map<string, Line>();
  for (const leaf of leaves) {
    const line = lines[leaf.index]!;
    if (leaf.path.some((x) => /^<.*>$/.test(x))) {
      if (!wildcard.has(leaf.group))
        findings.push(
          finding(line, "not-understood", `Group "${leaf.group}" uses wildcards (<…>): its statements are not read.`),
        );
      wildcard.add(leaf.group);
      continue;
    }
    if (!inheritance.inherits(leaf.group, leaf.path)) continue;
    out[leaf.index] = {
      n: line.n,
      text: [leaf.verb, ...leaf.path.map((x) => (/[\s"]/.test(x) ? `"${x}"` : x))].join(" "),
    };
    if (leaf.path[0] === "security" && leaf.path[1] === "policies" && !withPolicies.has(leaf.group))
      withPolicies.set(leaf.group, line);
  }
  for (const [group, line] of withPolicies)
    findings.push(
      finding(
        line,
        "note",
        `Security policies of group "${group}" are read in the order they are written; the device may evaluate inherited policies after the local ones of the same zone pair (check with "show configuration | display inheritance").`,
      ),
    );
  return { lines: out, findings };
}

/** The set reader on lines already split (junos-hierarchy.ts hands over its converted lines this way). */
/**
 * `rulesDeleted`: the paste wrote policies or filters that a delete took out again; the address objects left are not
 * then read as the allowlist (the device has no rule, not an objects-only paste).
 */
export function parseJunosLines(
  lines: readonly Line[],
  lineCount: number,
  options: ParseOptions = {},
  rulesDeleted = false,
): ParseOutput {
  const c = readConfig(lines);
  const ev: JunosEval = {
    c,
    entries: [],
    contexts: [],
    services: junosServices(c),
    reached: new Set(),
    route: junosIngress(options, c.zoneNames, c.zoneInterfaces, c.descriptions, c.bindings, [
      ...c.zonePolicies.values(),
    ]),
    input: options.path === "input",
    port: options.port ?? 443,
    ruleCount: 0,
    rulesDeleted,
  };
  addFilterContexts(ev);
  addPolicyContexts(ev);
  return junosOutput(ev, lineCount);
}

interface JunosRoute {
  readonly zone?: string;
  readonly zoneWhy: string;
  readonly ifaces: string[];
  readonly ifaceWhy: string;
}

/** The evaluation: what was read, and the entries and path contexts built from it (findings go to `c.findings`). */
interface JunosEval {
  readonly c: JunosConfig;
  readonly entries: Entry[];
  readonly contexts: PathContext[];
  readonly services: ObjectTable<ServiceTerm>;
  /** Address names an allow rule referenced (for the unused-object findings). */
  readonly reached: Set<string>;
  readonly route: JunosRoute;
  /** --path input: the service is the device itself. */
  readonly input: boolean;
  readonly port: number;
  ruleCount: number;
  readonly rulesDeleted: boolean;
}

/** Applications and application-sets of the paste, then the predefined ones it does not redefine. */
function junosServices(c: JunosConfig): ObjectTable<ServiceTerm> {
  const services = new ObjectTable<ServiceTerm>();
  for (const [name, app] of c.apps) {
    services.define(name, { line: app.line, members: [] });
    for (const t of app.terms.values()) {
      const value: CiscoServiceTerm = {
        ...(t.protocol === undefined || t.protocol === "0" ? {} : { protocol: t.protocol }),
        ...(t.ports === undefined ? {} : { ports: t.ports }),
        ...(t.source === undefined ? {} : { source: t.source }),
      };
      services.addMember(name, { value, line: t.line }, app.line);
    }
  }
  for (const s of c.appSets) services.addMember(s.name, { ref: s.ref, line: s.line }, s.line);
  for (const [name, terms] of Object.entries(PREDEFINED_APPLICATIONS)) {
    if (!services.has(name))
      services.define(name, {
        line: PREDEFINED_LINE,
        members: terms.map((value) => ({ value, line: PREDEFINED_LINE })),
      });
  }
  return services;
}

function sameIface(a: string, b: string): boolean {
  return sameName(a, b) || sameName(`${a}.0`, b) || sameName(a, `${b}.0`);
}

/**
 * Firewall filters first: the input filter of the Internet-facing interface sees the packet before the security
 * policies (on an SRX) or alone (on a router). lo0 filters guard the device itself: a separate path.
 */
function addFilterContexts(ev: JunosEval): void {
  const used = new Set<string>();
  addIngressFilters(ev, used);
  for (const b of ev.c.bindings) addBindingFilters(ev, b, used);
  for (const [key, f] of ev.c.filters) {
    if (used.has(key)) continue;
    const ctx = {
      name: `filter ${f.name}`,
      line: f.line.n,
      text: f.line.text,
      onPath: false,
      reason: "not applied to any interface",
    };
    filterContext(ev, [{ family: f.family, name: f.name }], ctx, "unknown");
  }
}

/** The input filters of the Internet-facing interface, as one context. */
function addIngressFilters(ev: JunosEval, used: Set<string>): void {
  const { route, input } = ev;
  const onIngress = ev.c.bindings.filter((b) => b.dir === "in" && route.ifaces.some((i) => sameIface(i, b.iface)));
  if (onIngress.length === 0) return;
  const names = onIngress.flatMap((b) => b.filters.map((name) => ({ family: b.family, name })));
  for (const n of names) used.add(`${n.family} ${n.name}`);
  filterContext(
    ev,
    names,
    {
      name: `filter ${[...new Set(names.map((n) => n.name))].join(", ")} input on ${[...new Set(onIngress.map((b) => b.iface))].join(", ")}`,
      line: onIngress[0]!.line.n,
      text: onIngress[0]!.line.text,
      // An interface's input filter evaluates every packet received on it, those for the device itself too; the lo0
      // filter then sees only those (https://www.juniper.net/documentation/us/en/software/junos/routing-policy/topics/concept/firewall-filter-stateless-guidelines-for-applying.html).
      onPath: true,
      reason: input
        ? "The input filter of the Internet-facing interface sees every packet it receives, those for the device itself too (the lo0 filter comes after it): terms in order, a term without a terminating action accepts, no match is discarded."
        : "The input filter of the Internet-facing interface: terms in order, a term without a terminating action accepts, no match is discarded.",
    },
    "in",
  );
}

/** The filters one binding applies that no earlier context read: lo0, output, or another interface's input. */
function addBindingFilters(ev: JunosEval, b: Binding, used: Set<string>): void {
  const fresh = b.filters.filter((name) => !used.has(`${b.family} ${name}`));
  if (fresh.length === 0) return;
  for (const name of fresh) used.add(`${b.family} ${name}`);
  const lo0 = /^lo0(?:\.|$)/.test(b.iface);
  const onPath = lo0 && b.dir === "in" && ev.input;
  const ifaces = ev.route.ifaces;
  filterContext(
    ev,
    fresh.map((name) => ({ family: b.family, name })),
    {
      name: `filter ${fresh.join(", ")} ${b.dir === "in" ? "input" : "output"} on ${b.iface}`,
      line: b.line.n,
      text: b.line.text,
      onPath,
      reason: onPath
        ? "--path input: the lo0 input filter guards traffic to the device itself (Routing Engine)."
        : lo0
          ? "a lo0 filter guards traffic to the device itself (Routing Engine), not to a service behind it (--path input to read it)"
          : b.dir === "out"
            ? `an output filter on ${b.iface}: it filters traffic leaving that interface (egress)`
            : `an input filter on ${b.iface}, not on the Internet-facing interface${ifaces.length > 0 ? ` ${ifaces.join(", ")}` : ""}`,
    },
    b.dir === "out" ? "out" : "in",
  );
}

/** One context of filters: every term of each named filter, in order; no match is discarded. */
function filterContext(
  ev: JunosEval,
  names: readonly { family: 4 | 6; name: string }[],
  ctx: Omit<PathContext, "fallthrough">,
  direction: Direction,
): void {
  const at = ev.contexts.length;
  ev.contexts.push({ ...ctx, fallthrough: "deny" });
  for (const { family, name } of names) {
    const f = ev.c.filters.get(`${family} ${name}`);
    if (f === undefined) continue;
    for (const t of f.terms.values()) {
      ev.ruleCount++;
      const from = ev.entries.length;
      const unmet = emitFilterTerm(ev, f, t, direction);
      tagEntries(ev.entries, from, at, unmet);
    }
  }
}

/** Emits a term's entries; returns the condition a new inbound SYN cannot meet, if any. */
function emitFilterTerm(ev: JunosEval, f: Filter, t: FilterTerm, direction: Direction): string | undefined {
  // A term without a terminating action accepts, unless it only hands over to the next term.
  if (!t.action && t.nextTerm) return undefined;
  const action = !t.action || t.action.word === "accept" || t.action.word === "routing-instance" ? "allow" : "deny";
  const svc = filterTermServices(t);
  if (t.either)
    ev.c.findings.push(
      finding(
        t.either,
        "note",
        `Term "${t.name}" matches either side of the packet: read as the source address / destination port.`,
      ),
    );
  const ruleLine = t.sources[0]?.line ?? t.line;
  const unmet = joinUnmet(
    t.inactive ? "deactivated" : undefined,
    t.established ? "tcp-established: only packets with ACK or RST set, never a new connection's SYN" : t.noSyn,
    conditionalUnmet(
      action,
      t.sourcePorts !== undefined ? [`only source port ${t.sourcePorts} (a client's source port is ephemeral)`] : [],
    ),
  );
  const sources = t.sources.some((s) => s.except)
    ? exceptSources(ev, t, ruleLine)
    : t.sources.length === 0
      ? [{ value: anyTerm("any", f.family), line: t.line, via: [] }]
      : t.sources.flatMap((s) => resolveFilterSource(ev, s));
  emitRule(ev.entries, sources, { line: ruleLine, action, direction, services: svc });
  return unmet;
}

/**
 * Whether a bare SYN (syn set; ack, fin, rst, push, urgent clear) meets a `tcp-flags` expression: names, "!", "&",
 * "|" and parentheses (Junos "Firewall Filter Match Conditions for TCP flags"); undefined when it is not understood
 * (hex masks …). https://www.juniper.net/documentation/us/en/software/junos/routing-policy/topics/concept/firewall-filter-match-conditions-bit-field-values.html
 */
function evalTcpFlags(expr: string): boolean | undefined {
  const FLAGS: Readonly<Record<string, boolean>> = {
    syn: true,
    ack: false,
    fin: false,
    rst: false,
    push: false,
    urgent: false,
  };
  const toks = expr.replace(/["']/g, "").match(/[()!&|]|[a-z-]+|\S/gi) ?? [];
  let i = 0;
  const atom = (): boolean | undefined => {
    const t = toks[i++];
    if (t === "!") {
      const v = atom();
      return v === undefined ? undefined : !v;
    }
    if (t === "(") {
      const v = or();
      return toks[i++] === ")" ? v : undefined;
    }
    return t !== undefined && Object.hasOwn(FLAGS, t.toLowerCase()) ? FLAGS[t.toLowerCase()] : undefined;
  };
  const and = (): boolean | undefined => {
    let v = atom();
    while (toks[i] === "&") {
      i++;
      const r = atom();
      v = v === undefined || r === undefined ? undefined : v && r;
    }
    return v;
  };
  const or = (): boolean | undefined => {
    let v = and();
    while (toks[i] === "|") {
      i++;
      const r = and();
      v = v === undefined || r === undefined ? undefined : v || r;
    }
    return v;
  };
  const v = or();
  return i === toks.length ? v : undefined;
}

/** One service term per protocol named (any protocol when none is), each with the term's destination ports. */
function filterTermServices(t: FilterTerm): ServiceTerm[] {
  const listed = t.ports.length > 0 ? t.ports : undefined;
  // destination-port-except: the listed ports (or every port) without the excepted ones.
  const ports = t.exceptPorts.length > 0 ? portsExcept(listed ?? [{ from: 0, to: 65535 }], t.exceptPorts) : listed;
  return (t.protocols.length > 0 ? t.protocols : [undefined]).map((protocol) => ({
    ...(protocol === undefined ? {} : { protocol }),
    ...(ports ? { ports } : {}),
  }));
}

function portsExcept(ports: readonly PortRange[], except: readonly PortRange[]): PortRange[] {
  let out: PortRange[] = [...ports];
  for (const x of except)
    out = out.flatMap((r) =>
      x.to < r.from || x.from > r.to
        ? [r]
        : [
            ...(r.from < x.from ? [{ from: r.from, to: x.from - 1 }] : []),
            ...(x.to < r.to ? [{ from: x.to + 1, to: r.to }] : []),
          ],
    );
  return out;
}

function resolveFilterSource(ev: JunosEval, s: FilterTerm["sources"][number]): Resolved<AddressTerm>[] {
  if (s.list) return ev.c.prefixLists.resolve(s.word, s.line, ev.c.findings);
  const p = parsePrefixOrAddress(s.word);
  if (!p.ok) {
    bad(ev.c, s.line, `"${s.word}": ${p.error.message}.`);
    return [];
  }
  return [{ value: prefixTerm(s.word, p.value, s.word.includes("/") ? "cidr" : "address"), line: s.line, via: [] }];
}

/**
 * A term with "except" prefixes: the most specific listed prefix decides whether an address matches; "except" ones do
 * not match the term (the packet goes on to the next term). Applied from the shortest prefix to the longest, exactly.
 */
function exceptSources(ev: JunosEval, t: FilterTerm, ruleLine: Line): Resolved<AddressTerm>[] {
  const listed = t.sources.flatMap((s) => resolveFilterSource(ev, s).map((r) => ({ r, except: s.except })));
  listed.sort((a, b) => (a.r.value.prefix?.bits ?? 0) - (b.r.value.prefix?.bits ?? 0));
  let set = IPSet.empty();
  for (const { r, except } of listed) {
    const one = IPSet.fromRanges([r.value.range]);
    set = except ? set.difference(one) : set.union(one);
  }
  // "52.1.0.0/16 except 52.1.32.88/32": what it matches, then what it leaves out (Junos writes "… except;" after each).
  const kept = t.sources.filter((s) => !s.except).map((s) => s.word);
  const left = t.sources.filter((s) => s.except).map((s) => s.word);
  const token = `${kept.length > 0 ? kept.join(" ") : "any"} except ${left.join(" ")}`;
  return set.ranges.map((range) => ({ value: { token, range, kind: "range" as const }, line: ruleLine, via: [] }));
}

/**
 * Security policies: from the Internet-facing zone to each zone it reaches (the service's zone is one of them: all
 * must let the connection through), then the global policies, then the default policy.
 */
/** The `host-inbound-traffic system-services` name of a TCP port a service on the device itself listens on. */
const SYSTEM_SERVICE_PORTS: Readonly<Record<number, string>> = {
  21: "ftp",
  22: "ssh",
  23: "telnet",
  80: "http",
  443: "https",
  830: "netconf",
  3220: "xnm-ssl",
  3221: "xnm-clear-text",
};

/**
 * --path input on an SRX: a connection to the device itself is let in only by the `host-inbound-traffic
 * system-services` of the interface it arrives on, or else of that interface's zone ("all", or the service, and not
 * "SERVICE except"); without them it is dropped ("host-inbound-traffic: Control the type of traffic that can reach the
 * device from interfaces bound to the zone", https://juniper.net/documentation/software/junos-es/junos-es93/junos-es-swcmdref/host-inbound-traffic.html).
 * Policies to other zones do not see such a connection; those to junos-host do.
 */
function addHostInboundContext(ev: JunosEval): void {
  const { c, route } = ev;
  if (route.zone === undefined) return;
  const zone = route.zone.toLowerCase();
  const ownIface = route.ifaces.find((i) => c.hostInbound.has(`${zone} ${i.toLowerCase()}`));
  const entry = c.hostInbound.get(ownIface === undefined ? zone : `${zone} ${ownIface.toLowerCase()}`);
  const service = SYSTEM_SERVICE_PORTS[ev.port];
  const has = (w: string): boolean => entry?.services.includes(w) === true;
  const excepted = service !== undefined && has(`${service} except`);
  const permits = !excepted && (has("all") || (service !== undefined && has(service)));
  const what = service === undefined ? `port ${ev.port}` : `${service} (port ${ev.port})`;
  ev.contexts.push({
    name: `host-inbound-traffic of ${ownIface === undefined ? `zone ${route.zone}` : `interface ${ownIface} (zone ${route.zone})`}`,
    line: entry?.line.n ?? 0,
    text: entry?.line.text ?? "",
    fallthrough: permits ? "allow" : "deny",
    onPath: true,
    reason: permits
      ? `its system-services (${entry!.services.join(", ")}) let ${what} connections to the device itself in`
      : `${entry === undefined ? "no system-services are set" : `its system-services (${entry.services.join(", ")}) do not hold ${what}`}: the device drops connections to itself on port ${ev.port}`,
  });
}

function addPolicyContexts(ev: JunosEval): void {
  const { c, route } = ev;
  // --path input on an SRX: host-inbound-traffic and the policies to junos-host decide, not policies to other zones.
  const toDevice = ev.input && c.zoneNames.length > 0;
  if (toDevice) addHostInboundContext(ev);
  const offForDevice =
    " Off the path: a connection to the device itself (--path input) meets host-inbound-traffic and the policies to junos-host only.";
  const zonePolicies = [...c.zonePolicies.values()];
  const fromIngress = (p: Policy): boolean => route.zone === undefined || sameName(p.from, route.zone);
  // From the Internet-facing zone to itself (intrazone) is not the way to a service behind the device.
  const intrazone = (p: Policy): boolean => route.zone !== undefined && sameName(p.to, route.zone) && fromIngress(p);
  const toZones = [...new Set(zonePolicies.filter((p) => fromIngress(p) && !intrazone(p)).map((p) => p.to))];
  const defaultWord = policyFallthrough(c) === "allow" ? "permit-all" : "deny-all";
  const globals = [...c.globalPolicies.values()];
  if (toZones.length === 0 && (globals.length > 0 || c.defaultPolicy !== undefined || c.zonePolicies.size > 0)) {
    policyContext(
      ev,
      "security policies (global)",
      !toDevice,
      `Global policies in order, then the default policy (${defaultWord}).${toDevice ? offForDevice : ""}`,
      globals,
    );
  }
  for (const to of toZones) {
    const pair = zonePolicies.filter((p) => p.to === to && fromIngress(p));
    const globalsTo = globals.filter(
      (g) => g.toZones.length === 0 || g.toZones.some((z) => z === "any" || sameName(z, to)),
    );
    const off = toDevice && !sameName(to, "junos-host");
    // One zone pair on the path, from a known zone: a missing delta joins its policies (lib/diff/target.ts).
    const list = !off && toZones.length === 1 && route.zone !== undefined ? zonePairList(pair) : undefined;
    policyContext(
      ev,
      `security policies from ${route.zone ?? "any zone"} to ${to}, then global`,
      !off,
      `Zone-pair policies in order, then the global policies, then the default policy (${defaultWord}).${off ? offForDevice : toZones.length > 1 ? " The service's zone is not known: every zone reached from the Internet-facing one must let the connection through." : ""}`,
      [...pair, ...globalsTo],
      list,
    );
  }
  const within = zonePolicies.filter(intrazone);
  if (within.length > 0) {
    policyContext(
      ev,
      `security policies from ${route.zone} to ${route.zone}`,
      false,
      `intrazone: from the Internet-facing zone ${route.zone} to itself, not to a service behind the device`,
      within,
    );
  }
  const others = zonePolicies.filter((p) => route.zone !== undefined && !sameName(p.from, route.zone));
  if (others.length > 0) {
    policyContext(
      ev,
      "security policies from other zones",
      false,
      `from another zone than the Internet-facing ${route.zone}`,
      others,
    );
  }
}

/**
 * The policies of one zone pair in evaluation order, as a rule list: each one's position in the pair, its name and
 * the line its entries carry (its first source-address, else its first line). A new policy goes last in its zone pair;
 * `insert security policies from-zone A to-zone B policy NEW before policy P` moves it ahead of P (Junos "insert",
 * https://www.juniper.net/documentation/us/en/software/junos/cli-reference/topics/ref/command/insert.html; policies
 * are evaluated in order, first match, "Configuring Security Policies",
 * https://www.juniper.net/documentation/us/en/software/junos/security-policies/topics/topic-map/security-policy-configuration.html).
 */
function zonePairList(pair: readonly Policy[]): RuleList | undefined {
  const first = pair[0];
  if (first === undefined) return undefined;
  const zones = { from: first.from, to: first.to };
  const name = `from-zone ${zones.from} to-zone ${zones.to}`;
  return {
    kind: "junos-policies",
    name,
    boundOn: name,
    zones,
    rules: pair.map((p, k) => {
      const line = p.sources[0]?.line ?? p.line;
      return { line: line.n, position: k + 1, text: line.text, name: p.name };
    }),
  };
}

function policyFallthrough(c: JunosConfig): "allow" | "deny" {
  return c.defaultPolicy?.word === "permit-all" ? "allow" : "deny";
}

/** One context of policies in order, ending in the default policy. */
function policyContext(
  ev: JunosEval,
  name: string,
  onPath: boolean,
  reason: string,
  policies: readonly Policy[],
  list?: RuleList,
): void {
  const { c } = ev;
  const at = ev.contexts.length;
  ev.contexts.push({
    name,
    line: c.defaultPolicy?.line.n ?? 0,
    text: c.defaultPolicy?.line.text ?? "",
    fallthrough: policyFallthrough(c),
    onPath,
    reason,
    ...(list !== undefined ? { list } : {}),
  });
  for (const p of policies) {
    const from = ev.entries.length;
    const unmet = emitPolicy(ev, p);
    tagEntries(ev.entries, from, at, unmet);
  }
}

const ANY_ADDRESS = /^any(?:-ipv[46])?$/;

/**
 * `match source-identity`: a webhook sender is no authenticated or known user, so only any, unauthenticated-user and
 * unknown-user can match it. Junos "source-identity (Security Policies)":
 * https://www.juniper.net/documentation/us/en/software/junos/cli-reference/topics/ref/statement/security-edit-source-identity.html
 */
function identityCondition(ids: readonly string[]): string | undefined {
  if (ids.length === 0 || ids.some((i) => /^(?:any|unauthenticated-user|unknown-user)$/i.test(i))) return undefined;
  return `only source-identity ${ids.join(", ")} (the vendor's servers are no known user)`;
}

/**
 * `match dynamic-application` (unified policies): the policy matches once AppID identifies the session as one of
 * them; an HTTPS webhook is identified as SSL (HTTP once decrypted). Values naming neither, and not any/none, do not
 * match it. Junos "Unified Policies for SRX": https://www.juniper.net/documentation/us/en/software/junos/application-identification/topics/topic-map/security-unified-policies-configuration.html
 */
function dynamicAppCondition(apps: readonly string[]): string | undefined {
  if (apps.length === 0 || apps.some((a) => /^(?:any|none)$/i.test(a) || /ssl|http|web/i.test(a))) return undefined;
  return `only dynamic-application ${apps.join(", ")} (a webhook over HTTPS is identified as SSL or HTTP)`;
}

/** Emits a policy's entries; returns the condition a new connection from the Internet-facing zone cannot meet. */
function emitPolicy(ev: JunosEval, p: Policy): string | undefined {
  const { c } = ev;
  ev.ruleCount++;
  if (!p.action) {
    // A deactivated policy whose statements were deactivated with it decides nothing: say so, not "not understood".
    if (p.inactive)
      c.findings.push(finding(p.line, "note", `Policy "${p.name}" is deactivated: it does not filter traffic.`));
    else
      c.findings.push(
        finding(p.line, "not-understood", `Policy "${p.name}" has no "then permit|deny|reject": not read.`),
      );
    return undefined;
  }
  const action = p.action.word === "permit" ? "allow" : "deny";
  const conditions = p.scheduler !== undefined ? [`only during scheduler ${p.scheduler}`] : [];
  const who = identityCondition(p.identities);
  if (who !== undefined) conditions.push(who);
  const app = dynamicAppCondition(p.dynamicApps);
  if (app !== undefined) conditions.push(app);
  const resolved: ServiceTerm[] = [];
  for (const a of p.applications)
    for (const r of ev.services.resolve(a.word, a.line, c.findings)) resolved.push(r.value);
  // An application's source-port (Junos "applications application NAME source-port 443") must be met too.
  const restricted = sourceRestricted(resolved, action);
  if (restricted.condition !== undefined) conditions.push(restricted.condition);
  const svc = restricted.terms;
  const unmet = joinUnmet(
    p.inactive ? "deactivated" : undefined,
    policyZoneUnmet(ev.route, p),
    conditionalUnmet(action, conditions),
  );
  if (p.applications.length > 0 && svc.length === 0) return unmet;
  const destination = reachDestinations(ev, p, action);
  const sources = policySources(ev, p, action);
  const ruleLine = p.sources[0]?.line ?? p.line;
  const matched = p.excluded
    ? negatedSources(sources, [4, 6], ruleLine, `not ${p.sources.map((x) => x.word).join(" ")}`)
    : sources;
  emitRule(ev.entries, matched, { line: ruleLine, action, direction: "in", services: svc, destination });
  return unmet;
}

/** A policy from another zone than the Internet-facing one does not see the connection. */
function policyZoneUnmet(route: JunosRoute, p: Policy): string | undefined {
  const zone = route.zone;
  if (zone === undefined) return undefined;
  if (p.from !== "")
    return sameName(p.from, zone) ? undefined : `from-zone ${p.from}, not the Internet-facing zone ${zone}`;
  if (p.fromZones.length === 0 || p.fromZones.some((z) => z === "any" || sameName(z, zone))) return undefined;
  return `from-zone ${p.fromZones.join(", ")}, not the Internet-facing zone ${zone}`;
}

/**
 * Destination names are resolved for their findings (an allow rule's count as used), and named as Entry.destination
 * (the diff reads a policy only to published NAT IPs as never met).
 */
function reachDestinations(ev: JunosEval, p: Policy, action: Entry["action"]): Destination | undefined {
  const ranges: Range[] = [];
  let any = p.destinations.length === 0 || p.destinationExcluded === true;
  for (const d of p.destinations) {
    if (ANY_ADDRESS.test(d.word)) {
      any = true;
      continue;
    }
    const resolved = ev.c.addrs.resolve(d.word, d.line, ev.c.findings);
    for (const r of resolved) ranges.push(r.value.range);
    if (action === "allow") {
      ev.reached.add(d.word);
      for (const r of resolved) for (const n of r.via) ev.reached.add(n);
    }
  }
  return namedDestination(
    p.destinations.map((d) => d.word),
    ranges,
    any,
  );
}

function policySources(ev: JunosEval, p: Policy, action: Entry["action"]): Resolved<AddressTerm>[] {
  const sources: Resolved<AddressTerm>[] = [];
  for (const s of p.sources) {
    if (s.word === "any" || s.word === "any-ipv4") sources.push({ value: anyTerm(s.word, 4), line: s.line, via: [] });
    if (s.word === "any" || s.word === "any-ipv6") sources.push({ value: anyTerm(s.word, 6), line: s.line, via: [] });
    if (ANY_ADDRESS.test(s.word)) continue;
    for (const r of ev.c.addrs.resolve(s.word, s.line, ev.c.findings)) sources.push(r);
    if (action === "allow") ev.reached.add(s.word);
  }
  return sources;
}

function junosOutput(ev: JunosEval, lineCount: number): ParseOutput {
  const { c, entries } = ev;
  const notes: string[] = [];
  if (ev.ruleCount === 0 && c.members.length > 0 && !ev.rulesDeleted) {
    objectsAsAllowlist(c.members, (n) => c.addrs.has(n), entries, c.findings);
    notes.push(OBJECTS_ONLY_NOTE);
  } else if (ev.ruleCount > 0) {
    for (const f of unusedObjectFindings(c.addrs, namesReachedByAllow(entries, ev.reached), "Address"))
      c.findings.push(f);
  }
  c.findings.sort((x, y) => x.line - y.line);
  const out: ParseOutput = { format: "junos", entries, findings: c.findings, lineCount, notes };
  if (ev.ruleCount === 0 || ev.contexts.length === 0) return out;
  return { ...out, path: junosPath(ev) };
}

function junosPath(ev: JunosEval): PathInfo {
  const { c, route, input } = ev;
  const zoneSays =
    route.zone !== undefined
      ? `Internet-facing zone: ${route.zone} (${route.zoneWhy})`
      : c.zonePolicies.size + c.globalPolicies.size > 0
        ? "No zone is named like untrust"
        : "No security policies";
  const ifaceSays =
    route.ifaces.length > 0
      ? `; interface ${route.ifaces.join(", ")} (${route.ifaceWhy}), whose input filter is read`
      : "";
  return {
    contexts: ev.contexts,
    kind: input ? "input" : "forward",
    ...(route.zone !== undefined
      ? { ingress: route.zone }
      : route.ifaces[0] !== undefined
        ? { ingress: route.ifaces[0] }
        : {}),
    assumption: `${zoneSays}${ifaceSays}; the service is ${input ? "the device itself (lo0 filter)" : "behind the device"}. Override with --ingress ZONE|IFACE or --path.`,
  };
}

/** Which zone and interfaces face the Internet: given, or named/described so, or the only ones in use. */
function junosIngress(
  options: ParseOptions,
  zoneNames: readonly string[],
  zoneInterfaces: ReadonlyMap<string, readonly string[]>,
  descriptions: ReadonlyMap<string, string>,
  bindings: readonly { iface: string; dir: "in" | "out" }[],
  policies: readonly Policy[],
): JunosRoute {
  const policyZones = [...new Set(policies.map((p) => p.from))];
  const allZones = [...zoneNames, ...policyZones.filter((z) => !zoneNames.includes(z))];
  const given = options.ingress;
  const givenIsIface =
    given !== undefined &&
    (bindings.some((b) => sameName(b.iface, given) || sameName(b.iface, `${given}.0`)) || descriptions.has(given));
  let zone: string | undefined;
  let zoneWhy = "";
  if (given !== undefined && !givenIsIface) [zone, zoneWhy] = [given, "given"];
  else if (given !== undefined) {
    const z = [...zoneInterfaces].find(([, ifs]) => ifs.some((i) => sameName(i, given) || sameName(i, `${given}.0`)));
    if (z) [zone, zoneWhy] = [z[0], `the zone of ${given}`];
  }
  if (zone === undefined && given === undefined) {
    const named = allZones.find((z) => looksInternetFacing(z));
    if (named !== undefined) [zone, zoneWhy] = [named, "its name"];
    else if (policyZones.length === 1) [zone, zoneWhy] = [policyZones[0]!, "the only from-zone of the policies"];
    else if (policyZones.length > 1)
      [zone, zoneWhy] = [policyZones[0]!, "the first from-zone of the policies; none is named like untrust"];
  }
  let ifaces: string[] = [];
  let ifaceWhy = "";
  if (givenIsIface) [ifaces, ifaceWhy] = [[given!], "given"];
  else if (zone !== undefined && (zoneInterfaces.get(zone)?.length ?? 0) > 0)
    [ifaces, ifaceWhy] = [[...zoneInterfaces.get(zone)!], `in zone ${zone}`];
  else {
    const described = [...descriptions].filter(([, d]) => looksInternetFacing(d)).map(([i]) => i);
    if (described.length > 0) [ifaces, ifaceWhy] = [described, "its description"];
    else {
      const inputs = [
        ...new Set(bindings.filter((b) => b.dir === "in" && !/^lo0(?:\.|$)/.test(b.iface)).map((b) => b.iface)),
      ];
      if (inputs.length === 1) [ifaces, ifaceWhy] = [inputs, "the only interface with an input filter"];
      else if (inputs.length > 1) {
        const named = inputs.find((i) => looksInternetFacing(i));
        [ifaces, ifaceWhy] = named
          ? [[named], "its name"]
          : [[inputs[0]!], "the first interface with an input filter; none is described as Internet-facing"];
      }
    }
  }
  return { ...(zone !== undefined ? { zone } : {}), zoneWhy, ifaces, ifaceWhy };
}
