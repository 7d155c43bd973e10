/**
 * ACL grammar shared by Cisco ASA and IOS: address operands, port operators, protocol words.
 * The mask after an address is a netmask on ASA and a wildcard mask on IOS: the caller says which.
 */
import { makeAddress, parseAddress, parseNetmask, parsePrefix, parseWildcardMask, makePrefix } from "../../ip";
import type { Address, Parsed } from "../../ip";
import { addressTerm, anyTerm, portsOfOperator, prefixTerm, SERVICE_PORTS } from "./common";
import type { AddressTerm } from "./common";
import type { PortRange } from "../types";
import type { ServiceTerm } from "./common";

/** An ACL address operand: literal terms, or a reference to an object/object-group. */
export type CiscoOperand = { readonly terms: readonly AddressTerm[] } | { readonly ref: string };

export type OperandResult =
  | { readonly ok: true; readonly next: number; readonly operand: CiscoOperand }
  | { readonly ok: false; readonly kind: "invalid" | "not-understood" | "hostname"; readonly message: string };

export interface AddressGrammar {
  /** "netmask" (ASA) or "wildcard" (IOS) after a bare address. */
  readonly mask: "netmask" | "wildcard";
  /** Families the keyword "any" stands for (ASA 9: both; IOS ip ACL: 4; ipv6 ACL: 6). */
  readonly anyFamilies: readonly (4 | 6)[];
  /** IOS standard ACLs allow a bare address with no mask, meaning one host. */
  readonly bareIsHost?: boolean;
  /** ASA `name` aliases: alias → address text. */
  readonly names?: ReadonlyMap<string, string>;
  /** `host A` terms read so far in this parse (a parse gives its grammar a fresh map; aliases must not change while it is used). */
  readonly hosts?: Map<string, AddressTerm>;
}

function alias(word: string, g: AddressGrammar): string {
  return g.names?.get(word) ?? word;
}

const bad = (kind: "invalid" | "not-understood" | "hostname", message: string): OperandResult => ({
  ok: false,
  kind,
  message,
});

/** Parses the address operand starting at w[i]. */
export function parseCiscoAddress(w: readonly string[], i: number, g: AddressGrammar): OperandResult {
  const word = w[i];
  if (word === undefined) return bad("invalid", "An address is missing.");
  switch (word) {
    case "any":
      return { ok: true, next: i + 1, operand: anyOperand(g.anyFamilies) };
    case "any4":
      return { ok: true, next: i + 1, operand: ANY4 };
    case "any6":
      return { ok: true, next: i + 1, operand: ANY6 };
    case "host": {
      const a = w[i + 1];
      if (a === undefined) return bad("invalid", '"host" needs an address.');
      const t = hostTerm(a, g);
      if (t) return { ok: true, next: i + 2, operand: { terms: [t] } };
      return /[a-z]/i.test(a) && !a.includes(":")
        ? bad("hostname", `"${a}" is a name, not an address: it cannot be checked.`)
        : bad("invalid", `"${a}" is not a valid address.`);
    }
    case "object":
    case "object-group":
    case "addrgroup": {
      const name = w[i + 1];
      if (name === undefined) return bad("invalid", `"${word}" needs a name.`);
      return { ok: true, next: i + 2, operand: { ref: name } };
    }
    case "interface":
    case "user":
    case "user-group":
    case "object-group-user":
    case "security-group":
    case "object-group-security":
      return bad("not-understood", `The "${word}" operand is not understood here; its addresses are not read.`);
  }
  if (word.includes("/")) {
    const p = parsePrefix(word);
    return p.ok
      ? { ok: true, next: i + 1, operand: { terms: [prefixTerm(word, p.value)] } }
      : bad("invalid", `"${word}": ${p.error.message}.`);
  }
  const a = parseAddress(alias(word, g));
  if (!a.ok) return bad("invalid", `"${word}": ${a.error.message}.`);
  const maskWord = w[i + 1];
  const mask = maskWord === undefined ? undefined : readMask(maskWord);
  const maskParsed = mask?.address;
  if (maskWord === undefined || !maskParsed?.ok || a.value.family === 6) {
    if (g.bareIsHost) return { ok: true, next: i + 1, operand: { terms: [addressTerm(word, alias(word, g))!] } };
    return bad("invalid", `"${word}" needs a ${g.mask === "netmask" ? "netmask" : "wildcard mask"} after it.`);
  }
  const bits = g.mask === "netmask" ? mask!.netmask() : mask!.wildcard();
  if (!bits.ok && g.mask === "wildcard" && a.value.family === 4 && maskParsed.value.family === 4) {
    return expandWildcard(word, maskWord, a.value.value, maskParsed.value.value, i + 2);
  }
  if (!bits.ok) {
    return bad("invalid", `"${word} ${maskWord}": ${bits.error.message}; it cannot be read as one address block.`);
  }
  if (bits.value > 32) return bad("invalid", `"${maskWord}" is not an IPv4 mask.`);
  const token = `${word} ${maskWord}`;
  const term = prefixTerm(token, makePrefix(a.value, bits.value), g.mask === "wildcard" ? "wildcard" : "cidr");
  return { ok: true, next: i + 2, operand: { terms: [term] } };
}

// Configs repeat a few operands on every line ("any", "host 192.0.2.10", the same masks): those are read once.
// Terms are immutable values, so entries may share them.

const ANY_TERMS = { 4: anyTerm("any", 4), 6: anyTerm("any", 6) } as const;
const ANY_ONE: { readonly [F in 4 | 6]: CiscoOperand } = { 4: { terms: [ANY_TERMS[4]] }, 6: { terms: [ANY_TERMS[6]] } };
const ANY_BOTH: CiscoOperand = { terms: [ANY_TERMS[4], ANY_TERMS[6]] };
const ANY4: CiscoOperand = { terms: [anyTerm("any4", 4)] };
const ANY6: CiscoOperand = { terms: [anyTerm("any6", 6)] };

/** "any" for the families a grammar gives it, in the grammar's order (4 before 6 in every grammar, else built anew). */
function anyOperand(families: readonly (4 | 6)[]): CiscoOperand {
  if (families.length === 1) return ANY_ONE[families[0]!];
  if (families.length === 2 && families[0] === 4 && families[1] === 6) return ANY_BOTH;
  return { terms: families.map((f) => ANY_TERMS[f]) };
}

/** `host A` terms already read in this parse (through `g.hosts`), keyed by the word as written. */
function hostTerm(a: string, g: AddressGrammar): AddressTerm | undefined {
  const text = alias(a, g);
  // An alias is looked up every time: only a word that stands for itself is kept.
  if (text !== a || g.hosts === undefined) return addressTerm(`host ${a}`, text);
  const known = g.hosts.get(a);
  if (known !== undefined) return known;
  const t = addressTerm(`host ${a}`, a);
  if (t !== undefined && g.hosts.size < MAX_CACHED) g.hosts.set(a, t);
  return t;
}

/** A mask word read once: its address, and its netmask or wildcard length (or the error), each computed when asked. */
interface MaskRead {
  readonly address: Parsed<Address>;
  netmask(): Parsed<number>;
  wildcard(): Parsed<number>;
}

const MAX_CACHED = 4096;
/** Mask words seen in any parse (pure results of their text; few distinct ones occur, and the map is bounded). */
const MASKS = new Map<string, MaskRead>();

function readMask(word: string): MaskRead {
  const known = MASKS.get(word);
  if (known !== undefined) return known;
  let netmask: Parsed<number> | undefined;
  let wildcard: Parsed<number> | undefined;
  const read: MaskRead = {
    address: parseAddress(word),
    netmask: () => (netmask ??= parseNetmask(word)),
    wildcard: () => (wildcard ??= parseWildcardMask(word)),
  };
  if (MASKS.size < MAX_CACHED) MASKS.set(word, read);
  return read;
}

/** Cisco port names beyond the common ones (from the IOS/ASA literal-name tables). */
const CISCO_PORTS: Readonly<Record<string, number>> = {
  bgp: 179,
  "ftp-data": 20,
  echo: 7,
  discard: 9,
  daytime: 13,
  chargen: 19,
  finger: 79,
  gopher: 70,
  ident: 113,
  irc: 194,
  kerberos: 88,
  login: 513,
  lpd: 515,
  nntp: 119,
  "netbios-ssn": 139,
  pptp: 1723,
  rsh: 514,
  rtsp: 554,
  sip: 5060,
  sqlnet: 1521,
  sunrpc: 111,
  tacacs: 49,
  tftp: 69,
  whois: 43,
  bootps: 67,
  bootpc: 68,
  isakmp: 500,
  syslog: 514,
  snmptrap: 162,
  "citrix-ica": 1494,
  h323: 1720,
  cifs: 445,
};

export function ciscoPortNumber(word: string): number | undefined {
  return SERVICE_PORTS[word]?.from ?? CISCO_PORTS[word];
}

function isPortWord(word: string | undefined): word is string {
  return word !== undefined && (/^\d{1,5}$/.test(word) || ciscoPortNumber(word) !== undefined);
}

const PORT_OPERATORS = new Set(["eq", "neq", "lt", "gt", "range"]);

export function isPortOperator(word: string | undefined): boolean {
  return word !== undefined && PORT_OPERATORS.has(word);
}

/** One frozen `[{ from: n, to: n }]` per port: entries of every ACE naming that port share it. */
const EQ_PORTS = new Map<number, readonly PortRange[]>();

function eqPorts(n: number): readonly PortRange[] {
  let ports = EQ_PORTS.get(n);
  if (ports === undefined) {
    ports = Object.freeze([Object.freeze({ from: n, to: n })]);
    EQ_PORTS.set(n, ports);
  }
  return ports;
}

/**
 * Parses a port operator at w[i] ("eq 443", "range 8000 8080"; IOS also "eq 80 443"). `multi` lets eq take several
 * ports. Returns undefined ports when the operands do not parse.
 */
export function parseCiscoPorts(
  w: readonly string[],
  i: number,
  multi: boolean,
): { readonly next: number; readonly ports: readonly PortRange[] | undefined } {
  const op = w[i]!;
  // "eq PORT" is most ACEs' port operator: read without an operand list, one shared port list per port.
  const word = w[i + 1];
  if (op === "eq" && word !== undefined && !(multi && isPortWord(w[i + 2]))) {
    const n = /^\d{1,5}$/.test(word) ? Number(word) : ciscoPortNumber(word);
    if (n !== undefined && n <= 65535) return { next: i + 2, ports: eqPorts(n) };
  }
  const operands: string[] = [];
  let j = i + 1;
  const want = op === "range" ? 2 : 1;
  while (j < w.length && (operands.length < want || (multi && op === "eq" && isPortWord(w[j])))) {
    operands.push(w[j]!);
    j++;
  }
  return { next: j, ports: portsOfOperator(op, operands, ciscoPortNumber) };
}

const PROTOCOL_NUMBERS: Readonly<Record<string, string>> = { "1": "icmp", "6": "tcp", "17": "udp", "58": "icmp6" };

/** "ip"/"ipv6" → undefined (any protocol); numbers → names where common; otherwise the word, lower-cased. */
export function ciscoProtocol(word: string): string | undefined {
  const w = word.toLowerCase();
  if (w === "ip" || w === "ipv6" || w === "0") return undefined;
  return PROTOCOL_NUMBERS[w] ?? w;
}

/**
 * A service term that also names source ports (`service tcp source eq 443`): the words of that restriction. A webhook
 * sender picks an ephemeral source port, so the paste cannot tell whether a new connection matches it.
 */
export interface CiscoServiceTerm extends ServiceTerm {
  readonly source?: string;
}

/**
 * The service terms an ACE uses, with the condition their source ports put on it: an allow keeps only the terms with
 * no source restriction (when there are some), else all of them under the condition; a deny keeps all of them and no
 * condition (read as matching, the safe side, as for a source port written in the ACE itself).
 * Docs: ASA "Objects for access control" (service objects: `service tcp [source OP PORT] [destination OP PORT]`),
 * https://www.cisco.com/c/en/us/td/docs/security/asa/asa916/configuration/firewall/asa-916-firewall-config/access-objects.html
 */
export function sourceRestricted(
  terms: readonly CiscoServiceTerm[],
  action: "allow" | "deny",
): { readonly terms: readonly ServiceTerm[]; readonly condition?: string } {
  if (!terms.some((t) => t.source !== undefined)) return { terms };
  if (action !== "allow") return { terms };
  const open = terms.filter((t) => t.source === undefined);
  if (open.length > 0) return { terms: open };
  const words = [...new Set(terms.map((t) => t.source))].join(", ");
  return { terms, condition: `only ${words} (a client's source port is ephemeral)` };
}

/** Service spec words from w[i]: PROTO [source OP …] [destination OP …] (legacy: PROTO OP … = destination). */
export function ciscoServiceSpec(w: readonly string[], i: number): CiscoServiceTerm[] | string {
  const protoWord = w[i];
  if (protoWord === undefined) return "The service has no protocol.";
  let ports: ServiceTerm["ports"];
  let source: string | undefined;
  let j = i + 1;
  // Only TCP/UDP/SCTP take ports; words after other protocols are ICMP types and the like.
  if (!/^(?:tcp|udp|tcp-udp|sctp|6|17)$/.test(protoWord)) j = w.length;
  while (j < w.length) {
    const isSource = w[j] === "source";
    if (w[j] === "source" || w[j] === "destination") j++;
    if (!isPortOperator(w[j])) return `"${w.slice(i).join(" ")}" is not understood.`;
    const p = parseCiscoPorts(w, j, false);
    if (!p.ports) return `The ports of "${w.slice(i).join(" ")}" do not parse.`;
    if (!isSource) ports = p.ports;
    else if (!coversEphemeral(p.ports)) source = `source port ${w.slice(j, p.next).join(" ")}`;
    j = p.next;
  }
  const protocols = protoWord === "tcp-udp" ? ["tcp", "udp"] : [ciscoProtocol(protoWord)];
  return protocols.map((protocol) => ({
    ...(protocol === undefined ? {} : { protocol }),
    ...(ports ? { ports } : {}),
    ...(source !== undefined ? { source } : {}),
  }));
}

/** Words after an ACE's operands that are options, not an ICMP type or code. */
const ACE_OPTIONS = new Set([
  "log",
  "log-input",
  "inactive",
  "time-range",
  "dscp",
  "precedence",
  "tos",
  "ttl",
  "option",
  "fragments",
  "established",
  "sequence",
]);

/**
 * An ICMP ACE's type (and code) after its destination ("echo-reply", "3 4", "nd-na"), as Entry.qualifier: read as met
 * for the verdict (an ICMP rule never decides a TCP connection), it keeps "permit icmp any any echo-reply" and
 * "… unreachable" from being called duplicates (removing one breaks ping or path-MTU discovery).
 */
export function icmpQualifier(protocol: string | undefined, w: readonly string[], j: number): string | undefined {
  if (protocol !== "icmp" && protocol !== "icmp6" && protocol !== "ipv6-icmp") return undefined;
  const words: string[] = [];
  for (let k = j; k < w.length && words.length < 2; k++) {
    if (ACE_OPTIONS.has(w[k]!)) break;
    words.push(w[k]!);
  }
  return words.length > 0 ? `${protocol} ${words.join(" ")}` : undefined;
}

/**
 * Whether source ports cover every port a client may pick for a new connection: 1024-65535 (RFC 6335 section 6: the
 * dynamic ports are 49152-65535; operating systems pick ephemeral ports at 1024 or above). "range 1024 65535",
 * "gt 1023", "range 0 65535" are met; "eq 443" is not.
 */
export function coversEphemeral(ports: readonly PortRange[]): boolean {
  let next = 1024;
  for (const r of [...ports].sort((a, b) => a.from - b.from)) {
    if (r.from > next) return false;
    next = Math.max(next, r.to + 1);
  }
  return next > 65535;
}

/** At most this many blocks from one non-contiguous wildcard mask; more is reported rather than approximated. */
export const MAX_WILDCARD_BLOCKS = 1024;

/**
 * A non-contiguous IOS wildcard mask ("10.0.0.0 0.255.0.255": every 10.x.0.y) matches bit by bit: the trailing run of
 * "don't care" bits is one block, and every combination of the other don't-care bits is another block. Expanded
 * exactly into those blocks when there are at most MAX_WILDCARD_BLOCKS; otherwise reported, never widened.
 */
function expandWildcard(
  word: string,
  maskWord: string,
  address: bigint,
  wildcard: bigint,
  next: number,
): OperandResult {
  let low = 0;
  while (low < 32 && ((wildcard >> BigInt(low)) & 1n) === 1n) low++;
  const spread: bigint[] = [];
  for (let b = low; b < 32; b++) if (((wildcard >> BigInt(b)) & 1n) === 1n) spread.push(1n << BigInt(b));
  const count = 2 ** spread.length;
  const token = `${word} ${maskWord}`;
  if (count > MAX_WILDCARD_BLOCKS) {
    return bad(
      "not-understood",
      `"${token}": the non-contiguous wildcard mask matches ${count.toLocaleString("en-US")} separate address blocks, too many to list; this entry is not read.`,
    );
  }
  const base = address & ~wildcard & 0xffffffffn;
  const terms: AddressTerm[] = [];
  for (let k = 0; k < count; k++) {
    let v = base;
    for (let s = 0; s < spread.length; s++) if ((k >> s) & 1) v |= spread[s]!;
    terms.push({ ...prefixTerm(token, makePrefix(makeAddress(4, v), 32 - low), "wildcard") });
  }
  return { ok: true, next, operand: { terms } };
}

// ---- The path through a Cisco device: which ACL an inbound connection from the Internet meets ----
import type { Direction, Entry, Finding, ParseOptions, ParseOutput, PathContext, PathInfo } from "../types";
import { OBJECTS_ONLY_NOTE, countLines, namesReachedByAllow, objectsAsAllowlist, unusedObjectFindings } from "./common";
import type { Line, ObjectMember, ObjectTable } from "./common";
import { looksInternetFacing, sameName } from "./pathkit";

/** `ip access-group X in` under an interface, `access-group X in interface outside`, `access-group X global`, `access-class`. */
export interface CiscoBinding {
  readonly acl: string;
  readonly dir: "in" | "out";
  /** The interface (ASA: its nameif), "global" (ASA), or a vty line ("line vty 0 4"). */
  readonly where: string;
  /** "control-plane" (ASA `access-group … in interface IF control-plane`): to-the-box traffic only. */
  readonly kind: "interface" | "global" | "line" | "control-plane";
  readonly line: Line;
}

/** An interface as the paste declares it, with what says it faces the Internet. */
export interface CiscoInterface {
  /** The name bindings use: the nameif on ASA, the interface name on IOS. */
  readonly name: string;
  readonly line: Line;
  /** Why it looks Internet-facing ("security-level 0", "ip nat outside", "named outside"), or undefined. */
  readonly internet?: string;
}

export interface CiscoPath {
  readonly path: PathInfo;
  /** ACL name → its context and the direction its entries get; ACLs in evaluation order (on-path ones first). */
  readonly acls: ReadonlyMap<string, { readonly context: number; readonly direction: Direction }>;
}

/**
 * Builds the path: when the paste binds ACLs, the ACL bound inbound on the Internet-facing interface decides first (on
 * ASA the global ACL follows it, in the same first-match list, before the implicit deny); then the connection leaves
 * through the service's interface, and an ACL bound outbound there filters it too. The paste does not say which
 * interface the service is behind: every interface other than the Internet-facing one with an outbound ACL is read as
 * on the way (each must let the connection through, the safe side), and the assumption says so. Other ACLs are listed
 * off the path with the reason. When nothing is bound, every ACL is read as one list, and the assumption says so.
 * Docs: ASA "Access Rules" (access-group; global rules after interface rules; implicit deny; "Outbound rules apply to
 * traffic as it exits an interface"),
 * https://www.cisco.com/c/en/us/td/docs/security/asa/asa96/configuration/firewall/asa-96-firewall-config/access-rules.html
 * IOS "ip access-group" (in: packets entering the interface; out: packets routed out of it; implicit deny).
 */
export function ciscoPath(
  device: "asa" | "ios",
  aclNames: readonly { readonly name: string; readonly line: Line }[],
  bindings: readonly CiscoBinding[],
  interfaces: readonly CiscoInterface[],
  options: ParseOptions,
  families?: ReadonlyMap<string, 4 | 6>,
): CiscoPath {
  if (!bindings.some(filtersTraffic)) return unboundPath(aclNames, bindings, options);
  const acls = new Map<string, { context: number; direction: Direction }>();
  const contexts: PathContext[] = [];
  const ingress = chooseIngress(device, bindings, interfaces, options);
  const onPath = bindingsOnPath(device, bindings, ingress.name);
  contexts.push(onPathContext(device, onPath, ingress));
  for (const b of onPath.all) if (!acls.has(b.acl)) acls.set(b.acl, { context: 0, direction: "in" });
  if (families !== undefined) splitFamilies(contexts, onPath.inbound, families, ingress);
  const egress = egressContexts(bindings, interfaces, ingress.name, acls, contexts, families);
  offPathContexts(aclNames, bindings, ingress.name, acls, contexts);
  const how = options.ingress !== undefined ? "given" : ingress.why;
  const inbound = `the ACL bound inbound there${device === "asa" ? " and the global ACL" : ""}`;
  const path: PathInfo = {
    contexts,
    ingress: ingress.name,
    assumption:
      (egress.length === 0
        ? `Internet-facing interface: ${ingress.name} (${how}); only ${inbound} ${device === "asa" ? "decide" : "decides"}. Override with --ingress IFACE.`
        : `Internet-facing interface: ${ingress.name} (${how}); ${inbound}, then the ACL${egress.length > 1 ? "s" : ""} bound outbound on ${egress.join(", ")} (the service may be behind ${egress.length > 1 ? "any of them" : "it"}: ${egress.length > 1 ? "each is" : "it is"} read as on the way out to it) decide. Override with --ingress IFACE.`) +
      (options.path === "input" ? INPUT_NOT_READ : ""),
  };
  return { path, acls };
}

/**
 * `--path input` asks about a service on the device itself. Interface ACLs do not govern traffic to the box: the
 * management commands (http, ssh, telnet with their addresses) and control-plane ACLs do, and they are not read. The
 * path stays traffic through the device, and the assumption says so rather than ignoring the option without a word.
 * (ASA: "Access Rules", management access needs no access rule: https://www.cisco.com/c/en/us/td/docs/security/asa/asa916/configuration/firewall/asa-916-firewall-config/access-rules.html)
 */
const INPUT_NOT_READ =
  " --path input is not read for Cisco: traffic to the device itself (its http/ssh management addresses, control-plane ACLs) is not modelled; the path read is traffic through it.";

/** The one address family of a list of ACLs (IOS: ip access-group is IPv4, ipv6 traffic-filter IPv6), if known. */
function familyOf(bs: readonly CiscoBinding[], families: ReadonlyMap<string, 4 | 6> | undefined): 4 | 6 | undefined {
  const seen = new Set(bs.map((b) => families?.get(b.acl)));
  const only = seen.size === 1 ? [...seen][0] : undefined;
  return only;
}

/**
 * IOS filters IPv4 with "ip access-group" and IPv6 with "ipv6 traffic-filter": an interface with an ACL of one family
 * only forwards the other family unfiltered. The inbound context is then of that family, and the other family gets a
 * context of its own that lets everything through.
 * Cisco IOS XE "IPv6 Access Control Lists" (ipv6 traffic-filter) and "IP Access List Overview" (ip access-group):
 * https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/sec_data_acl/configuration/xe-16/sec-data-acl-xe-16-book/ip6-acl-extend.html
 */
function splitFamilies(
  contexts: PathContext[],
  inbound: readonly CiscoBinding[],
  families: ReadonlyMap<string, 4 | 6>,
  ingress: { readonly name: string; readonly line?: Line },
): void {
  const family = inbound.length > 0 ? familyOf(inbound, families) : undefined;
  if (family === undefined) return;
  const other = family === 4 ? 6 : 4;
  contexts[0] = { ...contexts[0]!, family };
  contexts.push({
    name: `${ingress.name} (no inbound IPv${other} ACL)`,
    line: ingress.line?.n ?? 0,
    text: ingress.line?.text ?? "",
    fallthrough: "allow",
    onPath: true,
    family: other,
    reason: `No IPv${other} ACL is bound inbound on ${ingress.name} (${family === 4 ? "ip access-group" : "ipv6 traffic-filter"} filters IPv${family} only): IOS forwards IPv${other} unfiltered.`,
  });
}

/**
 * The ACLs bound outbound on the interfaces other than the Internet-facing one, one context per interface, on the
 * path after the inbound one (their entries match the sender's address as inbound ones do). An interface that also
 * looks Internet-facing (a second uplink: security-level 0, ip nat outside, named outside2) is not the service's side
 * and stays off the path. An ACL already on the path is not read again: the same packet meets the same first match.
 * Returns the interfaces' names.
 */
function egressContexts(
  bindings: readonly CiscoBinding[],
  interfaces: readonly CiscoInterface[],
  ingress: string,
  acls: Map<string, { context: number; direction: Direction }>,
  contexts: PathContext[],
  families: ReadonlyMap<string, 4 | 6> | undefined,
): string[] {
  const byInterface = new Map<string, CiscoBinding[]>();
  // One ACL bound outbound on several interfaces is read once: the same packet meets the same first match.
  const grouped = new Set<string>();
  for (const b of bindings) {
    if (b.kind !== "interface" || b.dir !== "out" || sameName(b.where, ingress) || acls.has(b.acl)) continue;
    const declared = interfaces.find((i) => sameName(i.name, b.where));
    if (declared?.internet !== undefined || looksInternetFacing(b.where) || grouped.has(b.acl)) continue;
    grouped.add(b.acl);
    const key = b.where.toLowerCase();
    const list = byInterface.get(key);
    if (list) list.push(b);
    else byInterface.set(key, [b]);
  }
  const names: string[] = [];
  for (const bs of byInterface.values()) {
    const where = bs[0]!.where;
    names.push(where);
    const context = contexts.length;
    const family = familyOf(bs, families);
    contexts.push({
      ...(family !== undefined ? { family } : {}),
      name: bs.map((b) => `ACL ${b.acl} out on ${where}`).join(", then "),
      line: bs[0]!.line.n,
      text: bs[0]!.line.text,
      fallthrough: "deny",
      onPath: true,
      reason: `Bound outbound on ${where}: a connection to a service behind ${where} meets it as it leaves the device, after ${ingress}'s inbound rules; the paste does not say which interface the service is behind, so it is read as on the way; no match ends in the implicit deny.`,
    });
    for (const b of bs) if (!acls.has(b.acl)) acls.set(b.acl, { context, direction: "in" });
  }
  return names;
}

/**
 * An interface takes one ACL per direction and address family (ASA: one global ACL): a later binding of the same place
 * replaces the earlier one, as a later access-group / ip access-group command does on the device. Returns the bindings
 * in force, and a note on each replaced line.
 * Docs: IOS "ip access-group" (one access list per interface, per direction, per protocol); ASA "Access Rules" (one
 * ACL per interface and direction; one global ACL).
 */
export function bindingsInForce(
  bindings: readonly CiscoBinding[],
  family: (b: CiscoBinding) => 4 | 6,
): { readonly kept: CiscoBinding[]; readonly findings: Finding[] } {
  const later = new Map<string, CiscoBinding>();
  const replaced = new Map<CiscoBinding, CiscoBinding>();
  for (let i = bindings.length - 1; i >= 0; i--) {
    const b = bindings[i]!;
    const key = `${b.kind}|${b.where.toLowerCase()}|${b.dir}|${family(b)}`;
    const by = later.get(key);
    if (by === undefined) later.set(key, b);
    else replaced.set(b, by);
  }
  if (replaced.size === 0) return { kept: [...bindings], findings: [] };
  const findings: Finding[] = [];
  for (const [b, by] of replaced) {
    findings.push({
      line: b.line.n,
      text: b.line.text,
      kind: "note",
      message: `Replaced by line ${by.line.n} (ACL ${by.acl}): ${b.kind === "global" ? "there is one global ACL" : `${b.where} takes one ACL ${b.dir === "in" ? "inbound" : "outbound"}`}, so ACL ${b.acl} is not bound here.`,
    });
  }
  return { kept: bindings.filter((b) => !replaced.has(b)), findings };
}

/** An interface or global binding filters traffic through the device; an access-class or control-plane one does not. */
function filtersTraffic(b: CiscoBinding): boolean {
  return b.kind === "interface" || b.kind === "global";
}

/** Nothing binds an ACL to traffic: every ACL is read as one inbound list, in paste order. */
function unboundPath(
  aclNames: readonly { readonly name: string; readonly line: Line }[],
  bindings: readonly CiscoBinding[],
  options: ParseOptions,
): CiscoPath {
  const acls = new Map<string, { context: number; direction: Direction }>();
  const first = aclNames[0];
  const contexts: PathContext[] = [
    {
      name: aclNames.length === 1 ? `ACL ${first!.name} (not bound)` : "every ACL (none is bound)",
      line: first?.line.n ?? 0,
      text: first?.line.text ?? "",
      fallthrough: "deny",
      onPath: true,
      reason:
        "The paste binds no ACL to an interface: each ACL is read as if it filtered inbound traffic, in paste order, then the implicit deny.",
    },
  ];
  // An ACL bound only to the device itself (an access-class, a control-plane group) filters no traffic through it.
  const toDevice = new Set(bindings.map((b) => b.acl));
  for (const a of aclNames) if (!toDevice.has(a.name)) acls.set(a.name, { context: 0, direction: "unknown" });
  offPathContexts(aclNames, bindings, options.ingress ?? "", acls, contexts);
  const path: PathInfo = {
    contexts,
    ...(options.ingress !== undefined ? { ingress: options.ingress } : {}),
    assumption:
      "No ACL is bound to an interface in this paste (no access-group line): every ACL is evaluated as if applied inbound on the Internet-facing interface.",
  };
  return { path, acls };
}

/** The bindings that decide: the ACL bound inbound on the ingress interface, then (ASA) the global ACL. */
interface OnPath {
  readonly inbound: readonly CiscoBinding[];
  readonly global: readonly CiscoBinding[];
  /** inbound, then global: evaluation order. */
  readonly all: readonly CiscoBinding[];
}

function bindingsOnPath(device: "asa" | "ios", bindings: readonly CiscoBinding[], ingress: string): OnPath {
  const traffic = bindings.filter(filtersTraffic);
  const inbound = traffic.filter((b) => b.dir === "in" && b.kind === "interface" && sameName(b.where, ingress));
  const global = device === "asa" ? traffic.filter((b) => b.kind === "global") : [];
  return { inbound, global, all: [...inbound, ...global] };
}

/** The one context on the path: the bound ACLs in order, or the interface's default when none is bound there. */
function onPathContext(
  device: "asa" | "ios",
  { inbound, global, all }: OnPath,
  ingress: { readonly name: string; readonly line?: Line },
): PathContext {
  const name =
    all.length === 0
      ? `${ingress.name} (no inbound ACL)`
      : all.map((b) => (b.kind === "global" ? `global ACL ${b.acl}` : `ACL ${b.acl} in on ${b.where}`)).join(", then ");
  const head = all[0];
  const noAclDefault = device === "asa" ? "deny" : "allow";
  return {
    name,
    line: head?.line.n ?? ingress.line?.n ?? 0,
    text: head?.line.text ?? ingress.line?.text ?? "",
    fallthrough: all.length === 0 ? noAclDefault : "deny",
    onPath: true,
    reason:
      all.length === 0
        ? device === "asa"
          ? `No ACL is bound inbound on ${ingress.name}: the ASA lets no connection from a lower security level in without one.`
          : `No ACL is bound inbound on ${ingress.name}: IOS forwards everything an interface has no ACL for.`
        : inbound.length === 0
          ? `No ACL is bound inbound on ${ingress.name}: the global ACL filters traffic entering every interface; no match ends in the implicit deny.`
          : `Bound inbound on the Internet-facing interface ${ingress.name}${global.length > 0 ? "; the global ACL is evaluated after the interface ACL" : ""}; no match ends in the implicit deny.`,
  };
}

/** Every ACL not placed yet: off the path, one context each, with the reason. */
function offPathContexts(
  aclNames: readonly { readonly name: string; readonly line: Line }[],
  bindings: readonly CiscoBinding[],
  ingress: string,
  acls: Map<string, { context: number; direction: Direction }>,
  contexts: PathContext[],
): void {
  const bindingsOf = new Map<string, CiscoBinding[]>();
  for (const b of bindings) {
    const list = bindingsOf.get(b.acl);
    if (list) list.push(b);
    else bindingsOf.set(b.acl, [b]);
  }
  const declaredAt = new Map<string, Line>();
  for (const a of aclNames) if (!declaredAt.has(a.name)) declaredAt.set(a.name, a.line);
  const place = (acl: string): void => {
    if (acls.has(acl)) return;
    const r = offReason(bindingsOf.get(acl) ?? [], ingress);
    const declared = declaredAt.get(acl);
    acls.set(acl, { context: contexts.length, direction: r.direction });
    contexts.push({
      name: `ACL ${acl}`,
      line: declared?.n ?? r.line?.n ?? 0,
      text: declared?.text ?? r.line?.text ?? "",
      fallthrough: "deny",
      onPath: false,
      reason: r.reason,
    });
  };
  for (const a of aclNames) place(a.name);
  for (const b of bindings) place(b.acl);
}

/** Why an ACL is off the path, from its bindings (an inbound one first, then an access-class, then any). */
function offReason(
  bs: readonly CiscoBinding[],
  ingress: string,
): { readonly reason: string; readonly direction: Direction; readonly line: Line | undefined } {
  const b = bs.find((x) => x.kind === "interface" && x.dir === "in") ?? bs.find((x) => x.kind === "line") ?? bs[0];
  if (b === undefined) return { reason: "no access-group line applies it", direction: "unknown", line: undefined };
  if (b.kind === "control-plane")
    return {
      reason: `it is bound to the control plane of ${b.where}: it filters traffic to the device itself, not traffic through it`,
      direction: "in",
      line: b.line,
    };
  if (b.kind === "line")
    return {
      reason: `it is bound to ${b.where} (access-class): it filters logins to the device itself`,
      direction: "in",
      line: b.line,
    };
  if (b.dir === "out")
    return {
      reason: `it is bound outbound on ${b.where}: it filters traffic leaving that interface (egress)`,
      direction: "out",
      line: b.line,
    };
  return {
    reason: `it is bound inbound on ${b.where}, not on the Internet-facing interface ${ingress}`,
    direction: "in",
    line: b.line,
  };
}

function chooseIngress(
  device: "asa" | "ios",
  bindings: readonly CiscoBinding[],
  interfaces: readonly CiscoInterface[],
  options: ParseOptions,
): { name: string; why: string; line?: Line } {
  const declared = (name: string) => interfaces.find((i) => sameName(i.name, name));
  if (options.ingress !== undefined) {
    const d = declared(options.ingress);
    return { name: d?.name ?? options.ingress, why: "given", ...(d ? { line: d.line } : {}) };
  }
  const marked = interfaces.find((i) => i.internet !== undefined);
  if (marked) return { name: marked.name, why: marked.internet!, line: marked.line };
  const inbound = bindings.filter((b) => b.kind === "interface" && b.dir === "in");
  const named = inbound.find((b) => looksInternetFacing(b.where));
  if (named) return withLine({ name: named.where, why: "its name" }, declared(named.where));
  const distinct = [...new Set(inbound.map((b) => b.where))];
  if (distinct.length === 1)
    return withLine({ name: distinct[0]!, why: "the only interface with an inbound ACL" }, declared(distinct[0]!));
  if (distinct.length > 1)
    return withLine(
      {
        name: distinct[0]!,
        why: `the first interface with an inbound ACL; none ${device === "asa" ? "has security-level 0 or " : ""}looks Internet-facing`,
      },
      declared(distinct[0]!),
    );
  const any = bindings.find((b) => b.kind === "interface");
  return any
    ? { name: any.where, why: "no interface has an inbound ACL" }
    : { name: "every interface", why: "only a global ACL is bound" };
}

function withLine(
  x: { name: string; why: string },
  d: CiscoInterface | undefined,
): { name: string; why: string; line?: Line } {
  return d ? { ...x, line: d.line } : x;
}

/** Words of an IOS interface block that say it faces the Internet. */
export function iosInternetSign(words: readonly string[]): string | undefined {
  const t = words.join(" ");
  if (/^ip nat outside\b/.test(t)) return "ip nat outside";
  if (/^ip address dhcp\b/.test(t)) return undefined;
  if (words[0] === "description" && looksInternetFacing(words.slice(1).join(" ")))
    return `described "${words.slice(1).join(" ")}"`;
  return undefined;
}

/** What a Cisco reader has at the end of the paste, for its output. */
export interface CiscoReading {
  readonly entries: Entry[];
  readonly findings: Finding[];
  readonly addrs: ObjectTable<AddressTerm>;
  readonly members: readonly ObjectMember[];
  /** Object names an allow rule reached directly (the names on allow entries' paths are added here). */
  readonly reached: Set<string>;
}

/**
 * The parse output of ASA and IOS: with rules, the objects no allow rule reached are reported (`what` names them);
 * with none, the address objects are the allowlist. The path is kept only when there are rules.
 */
export function ciscoOutput(
  format: "cisco-asa" | "cisco-ios",
  text: string,
  r: CiscoReading,
  acls: { readonly path: PathInfo; readonly ruleCount: number },
  what: string,
): ParseOutput {
  const notes: string[] = [];
  if (acls.ruleCount === 0 && r.members.length > 0) {
    objectsAsAllowlist(r.members, (n) => r.addrs.has(n), r.entries, r.findings);
    notes.push(OBJECTS_ONLY_NOTE);
  } else if (acls.ruleCount > 0) {
    r.findings.push(...unusedObjectFindings(r.addrs, namesReachedByAllow(r.entries, r.reached), what));
  }
  r.findings.sort((x, y) => x.line - y.line);
  const out: ParseOutput = { format, entries: r.entries, findings: r.findings, lineCount: countLines(text), notes };
  return acls.ruleCount > 0 ? { ...out, path: acls.path } : out;
}
