/**
 * Cisco ASA running config: `name` aliases, `object network|service`, `object-group network|service|protocol`,
 * `access-list … extended` and `access-group … in|out interface|global`.
 * ACL lines are read after the whole paste, because they need the object-group types and the bindings.
 */
import { IPSet, formatRange, maxValue, parseAddress, parseRange, rangeOf } from "../../ip";
import { newAddress } from "../../ip/address";
import { newRange } from "../../ip/range";
import type { Range } from "../../ip/types";
import type { Entry, Finding, ParseOptions, ParseOutput, Parser, PathInfo, PortRange, RuleList } from "../types";
import {
  ObjectTable,
  addObjectMember,
  eachLine,
  addressTerm,
  emitRule,
  finding,
  looksAddressBearing,
  tokenize,
} from "./common";
import type { AddressTerm, Line, ObjectMember, Resolved, ServiceTerm } from "./common";
import {
  bindingsInForce,
  ciscoOutput,
  ciscoPath,
  ciscoProtocol,
  ciscoServiceSpec,
  icmpQualifier,
  coversEphemeral,
  isPortOperator,
  parseCiscoAddress,
  parseCiscoPorts,
  sourceRestricted,
} from "./cisco";
import type { AddressGrammar, CiscoBinding, CiscoInterface, CiscoOperand } from "./cisco";
import { conditionalUnmet, joinUnmet, looksInternetFacing, tagEntries } from "./pathkit";
import { PositionList } from "./positionlist";
import { KeyedRemovals } from "./keyedremovals";

type GroupKind = "network" | "service" | "port" | "protocol";

type OpenBlock = {
  readonly t: "netobj" | "netgroup" | "svcobj" | "svcgroup" | "portgroup" | "protogroup";
  readonly name: string;
  readonly line: Line;
};
type Block = OpenBlock | { readonly t: "other" };
const OTHER: Block = { t: "other" };

/** Top-level commands that carry no allowlist meaning, even when they hold addresses (routes, management access …). */
const IRRELEVANT = new Set(
  (
    "asa hostname domain-name enable passwd names interface route ipv6 ssh http telnet ntp logging nat snmp-server " +
    "aaa-server aaa dns dhcpd dhcprelay failover icmp crypto tunnel-group group-policy webvpn class-map policy-map " +
    "service-policy router username mtu monitor-interface pager arp timeout user-identity no same-security-traffic " +
    "threat-detection prompt cryptochecksum end exit boot license clock call-home firewall xlate asdm console " +
    "terminal management-access dynamic-access-policy-record service ftp dhcp-client banner mac-address " +
    "access-list-dynamic anyconnect vpn-sessiondb ssl tls-proxy sysopt fragment flow-export object-group-search " +
    "jumbo-frame ip gateway default-information"
  ).split(" "),
);

function isDirection(word: string | undefined): word is "in" | "out" {
  return word === "in" || word === "out";
}

/** An interface block while it is open: its name, then its nameif and security level as they come. */
interface OpenInterface {
  readonly line: Line;
  nameif?: string;
  level?: number;
}

interface AclLine {
  readonly acl: string;
  readonly line: Line;
  readonly words: string[];
  /** A remark: it matches nothing, but takes a line number (`line N` counts it). */
  readonly remark: boolean;
}

/** The word after `access-list NAME [line N]`: extended, standard, remark, permit … */
function aclKind(w: readonly string[]): string | undefined {
  return w[2] === "line" ? w[4] : w[2];
}

export const ciscoAsaParser: Parser = {
  id: "cisco-asa",
  label: "Cisco ASA",
  detect(text) {
    const head = text.slice(0, 20000);
    let score = 0;
    if (/^(?:: Saved|ASA Version \d)/m.test(head)) score = 0.95;
    if (/^access-list \S+ (?:line \d+ )?extended (?:permit|deny) /m.test(head)) score = Math.max(score, 0.9);
    if (/^access-group \S+ (?:(?:in|out) interface \S+|global)/m.test(head)) score = Math.max(score, 0.9);
    if (/^object network \S+/m.test(head) || /^\s*network-object /m.test(head)) score = Math.max(score, 0.8);
    if (/^\s*nameif \S+/m.test(head)) score = Math.max(score, 0.6);
    return score;
  },
  parse: parseAsa,
};

/** What the reader keeps: the objects, ACLs and bindings met so far, the open block, then what the ACEs reached. */
interface AsaState {
  readonly findings: Finding[];
  readonly entries: Entry[];
  readonly addrs: ObjectTable<AddressTerm>;
  /** Address object members in definition order, for the objects-only reading. */
  readonly members: ObjectMember[];
  readonly services: ObjectTable<ServiceTerm>;
  readonly groupKinds: Map<string, GroupKind>;
  /** Objects NAT uses: in use, though not by an access rule. */
  readonly natObjects: Set<string>;
  /** Object static NATs ("object network WEB" + "nat (inside,outside) static 203.0.113.10"): the object, its mapped address. */
  readonly staticNats: { readonly object: string; readonly mapped: string; readonly line: Line }[];
  /** The static NATs' real and mapped addresses, resolved at the first ACE (every object is defined by then). */
  natAddresses?: readonly {
    readonly object: string;
    readonly line: Line;
    readonly real: IPSet;
    readonly mapped: IPSet;
  }[];
  /** `name` aliases: alias → address text. */
  readonly names: Map<string, string>;
  /** The ACLs as the commands leave them (a PositionList: `line N` inserts anywhere in about √n steps). */
  readonly acls: Map<string, PositionList<AclLine>>;
  /** Per ACL, what `no access-list NAME <ace>` looks entries up in (built at the ACL's first such deletion). */
  readonly deletions: Map<string, KeyedRemovals<AclLine>>;
  readonly bindings: CiscoBinding[];
  /** What `no access-group …` looks bindings up in (built at the first one; readAcls sweeps the removed out). */
  bindingRemovals?: KeyedRemovals<CiscoBinding>;
  /** ACLs written as ASA 8.x "ipv6 access-list": bound beside an IPv4 ACL, not in its place. */
  readonly ipv6Acls: Set<string>;
  readonly interfaces: CiscoInterface[];
  readonly grammar: AddressGrammar;
  /** Object names an allow rule reached, for the unused-object check. */
  readonly reached: Set<string>;
  iface: OpenInterface | undefined;
  block: Block;
}

function newState(): AsaState {
  const names = new Map<string, string>();
  return {
    findings: [],
    entries: [],
    addrs: new ObjectTable<AddressTerm>(),
    members: [],
    services: new ObjectTable<ServiceTerm>(),
    groupKinds: new Map(),
    natObjects: new Set(),
    staticNats: [],
    names,
    acls: new Map(),
    deletions: new Map(),
    bindings: [],
    ipv6Acls: new Set(),
    interfaces: [],
    grammar: { mask: "netmask", anyFamilies: [4, 6], names, hosts: new Map() },
    reached: new Set(),
    iface: undefined,
    block: OTHER,
  };
}

function parseAsa(text: string, options: ParseOptions = {}): ParseOutput {
  const st = newState();
  eachLine(text, (line, indented) => {
    if (line.text === "" || line.text.startsWith("!") || line.text.startsWith(":")) return;
    readLine(st, line, indented);
  });
  closeInterface(st);
  const acls = readAcls(st, options);
  // Objects NAT uses count as used, as the ones allow rules reach do.
  if (acls.ruleCount > 0) markNatObjectsUsed(st);
  return ciscoOutput("cisco-asa", text, st, acls, "Object");
}

/** One line of the paste: an interface setting, a sub-command of the open object block, or a top-level command. */
function readLine(st: AsaState, line: Line, indented: boolean): void {
  const w = tokenize(line.text);
  const k = w[0]!;
  if (st.iface !== undefined && indented) return readInterfaceSetting(st.iface, w);
  closeInterface(st);
  if (k === "interface" && !indented) {
    st.block = OTHER;
    st.iface = { line };
    return;
  }
  if (readSubCommand(st, w, line, indented)) return;
  if (indented && st.block.t !== "other") {
    return void st.findings.push(
      finding(line, "not-understood", "This line is not understood inside the object block."),
    );
  }
  st.block = OTHER;
  if (COMMANDS.get(k)?.(st, w, line)) return;
  if (!IRRELEVANT.has(k.toLowerCase()) && looksAddressBearing(line.text)) {
    st.findings.push(finding(line, "not-understood", "This line holds an address but is not understood."));
  }
}

// ---- Interface blocks: nameif and security-level say which interface faces the Internet ----

function readInterfaceSetting(iface: OpenInterface, w: string[]): void {
  if (w[0] === "nameif" && w[1] !== undefined) iface.nameif = w[1];
  else if (w[0] === "security-level" && /^\d+$/.test(w[1] ?? "")) iface.level = Number(w[1]);
}

function closeInterface(st: AsaState): void {
  const iface = st.iface;
  st.iface = undefined;
  if (iface?.nameif === undefined) return;
  const why =
    iface.level === 0 ? "security-level 0" : looksInternetFacing(iface.nameif) ? `nameif ${iface.nameif}` : undefined;
  st.interfaces.push({ name: iface.nameif, line: iface.line, ...(why ? { internet: why } : {}) });
}

// ---- Sub-commands of object and object-group blocks ----

/** Reads a sub-command; false when it is not one of the open block's, so it is read as a top-level command. */
type SubHandler = (st: AsaState, b: OpenBlock, w: string[], line: Line) => boolean;

function readSubCommand(st: AsaState, w: string[], line: Line, indented: boolean): boolean {
  const b = st.block;
  // Indented lines under a block this reader ignores (an interface's neighbours, icmp-type groups …) are skipped.
  if (b.t === "other") return indented;
  if (w[0] === "description") return true;
  const handler = SUB_COMMANDS[b.t].get(w[0]!);
  return handler !== undefined && handler(st, b, w, line);
}

const objectHost: SubHandler = (st, b, w, line) => {
  const t = addressTerm(w[1] ?? "", st.names.get(w[1] ?? "") ?? w[1] ?? "");
  if (t && w.length === 2) addObjectMember(st.addrs, st.members, b.name, { value: t, line }, b.line);
  else st.findings.push(finding(line, "invalid", `"${w.slice(1).join(" ")}" is not one address.`));
  return true;
};

/** `subnet A M` in an object, `network-object …` in a group: one address operand and nothing after it. */
const networkMember: SubHandler = (st, b, w, line) => {
  const r = parseCiscoAddress(w, 1, st.grammar);
  if (!r.ok) st.findings.push(finding(line, r.kind, r.message));
  else if (r.next !== w.length)
    st.findings.push(finding(line, "not-understood", "Unexpected words after the address."));
  else if ("ref" in r.operand) addObjectMember(st.addrs, st.members, b.name, { ref: r.operand.ref, line }, b.line);
  else for (const t of r.operand.terms) addObjectMember(st.addrs, st.members, b.name, { value: t, line }, b.line);
  return true;
};

const objectRange: SubHandler = (st, b, w, line) => {
  const r = parseRange(`${w[1] ?? ""}-${w[2] ?? ""}`);
  if (r.ok && w.length === 3) {
    addObjectMember(
      st.addrs,
      st.members,
      b.name,
      { value: { token: `${w[1]} ${w[2]}`, range: r.value, kind: "range" }, line },
      b.line,
    );
  } else
    st.findings.push(
      finding(line, "invalid", r.ok ? "Unexpected words after the range." : `Range: ${r.error.message}.`),
    );
  return true;
};

const objectFqdn: SubHandler = (st, _b, w, line) => {
  st.findings.push(finding(line, "hostname", `"${w[w.length - 1]}" is a DNS name: it cannot be checked.`));
  return true;
};

/** Object NAT ("nat (in,out) static …"); twice NAT ("nat (in,out) source …") is a top-level command. */
const objectNat: SubHandler = (st, b, w, line) => {
  if (w.includes("source")) return false;
  st.natObjects.add(b.name);
  // "nat (inside,outside) static MAPPED": MAPPED is an address or an object ("interface" is the interface's own).
  if (w[2] === "static" && w[3] !== undefined && w[3] !== "interface")
    st.staticNats.push({ object: b.name, mapped: w[3], line });
  // The mapped address may be an object too ("nat (inside,outside) static obj-webhook-pub"): in use as well.
  for (const word of w.slice(2)) st.natObjects.add(word);
  return true;
};

const networkGroupObject: SubHandler = (st, b, w, line) => {
  addObjectMember(st.addrs, st.members, b.name, { ref: w[1] ?? "", line }, b.line);
  return true;
};

const serviceGroupObject: SubHandler = (st, b, w, line) => {
  st.services.addMember(b.name, { ref: w[1] ?? "", line }, b.line);
  return true;
};

const objectService: SubHandler = (st, b, w, line) => {
  addServices(st, b, ciscoServiceSpec(w, 1), line);
  return true;
};

const serviceObject: SubHandler = (st, b, w, line) => {
  if (w[1] === "object") st.services.addMember(b.name, { ref: w[2] ?? "", line }, b.line);
  else addServices(st, b, ciscoServiceSpec(w, 1), line);
  return true;
};

const portObject: SubHandler = (st, b, w, line) => {
  const p = isPortOperator(w[1]) ? parseCiscoPorts(w, 1, false) : undefined;
  if (p?.ports && p.next === w.length) st.services.addMember(b.name, { value: { ports: p.ports }, line }, b.line);
  else st.findings.push(finding(line, "invalid", "The port object does not parse."));
  return true;
};

const protocolObject: SubHandler = (st, b, w, line) => {
  const protocol = ciscoProtocol(w[1] ?? "ip");
  st.services.addMember(b.name, { value: protocol === undefined ? {} : { protocol }, line }, b.line);
  return true;
};

function addServices(st: AsaState, b: OpenBlock, spec: ServiceTerm[] | string, line: Line): void {
  if (typeof spec === "string") return void st.findings.push(finding(line, "invalid", spec));
  for (const s of spec) st.services.addMember(b.name, { value: s, line }, b.line);
}

/** Each block's sub-commands (Maps, so a word such as "constructor" finds nothing). */
const SUB_COMMANDS: Readonly<Record<OpenBlock["t"], ReadonlyMap<string, SubHandler>>> = {
  netobj: new Map([
    ["host", objectHost],
    ["subnet", networkMember],
    ["range", objectRange],
    ["fqdn", objectFqdn],
    ["nat", objectNat],
  ]),
  netgroup: new Map([
    ["network-object", networkMember],
    ["group-object", networkGroupObject],
  ]),
  svcobj: new Map([["service", objectService]]),
  svcgroup: new Map([
    ["service-object", serviceObject],
    ["group-object", serviceGroupObject],
  ]),
  portgroup: new Map([
    ["port-object", portObject],
    ["group-object", serviceGroupObject],
  ]),
  protogroup: new Map([
    ["protocol-object", protocolObject],
    ["group-object", serviceGroupObject],
  ]),
};

// ---- Top-level commands ----

/** Reads a top-level command; false when its words are not the expected shape (then only the address check runs). */
type CommandHandler = (st: AsaState, w: string[], line: Line) => boolean;

function openBlock(st: AsaState, b: OpenBlock, kind: GroupKind | undefined): void {
  st.block = b;
  // "show running-config" lists an object again in the NAT section: a second block adds to the first.
  if (kind === "network" && !st.addrs.has(b.name)) st.addrs.define(b.name, { line: b.line, members: [] });
  else if (kind && kind !== "network" && !st.services.has(b.name))
    st.services.define(b.name, { line: b.line, members: [] });
  if (kind) st.groupKinds.set(b.name, kind);
}

const readObject: CommandHandler = (st, w, line) => {
  const name = w[2];
  if (name === undefined || (w[1] !== "network" && w[1] !== "service")) return false;
  if (w[1] === "network") openBlock(st, { t: "netobj", name, line }, "network");
  else openBlock(st, { t: "svcobj", name, line }, "service");
  return true;
};

const readObjectGroup: CommandHandler = (st, w, line) => {
  const name = w[2];
  if (name === undefined) return false;
  if (w[1] === "network") openBlock(st, { t: "netgroup", name, line }, "network");
  else if (w[1] === "service" && w[3] !== undefined) openBlock(st, { t: "portgroup", name, line }, "port");
  else if (w[1] === "service") openBlock(st, { t: "svcgroup", name, line }, "service");
  else if (w[1] === "protocol") openBlock(st, { t: "protogroup", name, line }, "protocol");
  // icmp-type, user and security groups hold no addresses: their members stay in an ignored block.
  return true;
};

const readName: CommandHandler = (st, w, line) => {
  if (w[1] === undefined || w[2] === undefined) return false;
  if (parseAddress(w[1]).ok) st.names.set(w[2], w[1]);
  else st.findings.push(finding(line, "invalid", `"${w[1]}" is not a valid address.`));
  return true;
};

/**
 * `access-list NAME [line N] …`: without a line number the ACE (or remark) goes to the end of the ACL; with one it is
 * inserted at that line, ahead of the ACE that held it (remarks take line numbers too). Past the end it is appended.
 * The "extended" keyword may be left out (`access-list NAME permit …`): the ASA stores the ACE as extended.
 * Cisco ASA firewall configuration guide, "Access Control Lists" (access-list … [line line-num] extended …; ACE order):
 * https://www.cisco.com/c/en/us/td/docs/security/asa/asa916/configuration/firewall/asa-916-firewall-config/access-acls.html
 */
const readAccessList: CommandHandler = (st, w, line) => {
  const acl = w[1];
  if (acl === undefined) return false;
  const kind = aclKind(w);
  if (kind === "ethertype") return true;
  const at = w[2] === "line" && /^\d{1,9}$/.test(w[3] ?? "") ? Number(w[3]) : undefined;
  const entry: AclLine = { acl, line, words: w, remark: kind === "remark" };
  const list = st.acls.get(acl);
  const deletions = st.deletions.get(acl);
  // `line N` counts the entries there are: deleted ones leave first.
  if (list !== undefined && at !== undefined) deletions?.sweep(list);
  if (list === undefined) st.acls.set(acl, PositionList.of([entry]));
  else if (at === undefined || at > list.length) {
    list.push(entry);
    deletions?.appended(entry);
  } else {
    list.insert(Math.max(at - 1, 0), entry);
    if (at <= 1) deletions?.prepended(entry);
    else deletions?.inserted(entry);
  }
  return true;
};

const readAccessGroup: CommandHandler = (st, w, line) => {
  const acl = w[1];
  if (acl === undefined) return false;
  if (w[2] === "global") addBinding(st, { acl, dir: "in", where: "global", kind: "global", line });
  else if (w[2] === "in" && w[3] === "interface" && w[4] !== undefined && w[5] === "control-plane")
    // To-the-box traffic only (ASA "Access Rules", Management Access Rules): never a connection through the ASA.
    addBinding(st, { acl, dir: "in", where: w[4], kind: "control-plane", line });
  else if (isDirection(w[2]) && w[3] === "interface" && w[4] !== undefined)
    addBinding(st, { acl, dir: w[2], where: w[4], kind: "interface", line });
  else
    st.findings.push(finding(line, "not-understood", 'Expected "access-group NAME in|out interface IF" or "global".'));
  return true;
};

/** Twice NAT names objects and groups: they are in use, though not by an access rule. */
const readTwiceNat: CommandHandler = (st, w) => {
  for (const word of w) st.natObjects.add(word);
  return true;
};

/**
 * ASA 8.x `ipv6 access-list NAME [line N] permit|deny …` (before 9.0 merged IPv6 into extended ACLs): read as the
 * extended ACE it became, "any" meaning any IPv6 address. Other `ipv6 …` commands carry no access rule.
 * Cisco ASA 8.4 command reference, "ipv6 access-list":
 * https://www.cisco.com/c/en/us/td/docs/security/asa/asa84/command/reference/cmdref/i2.html
 */
const readIpv6AccessList: CommandHandler = (st, w, line) => {
  if (w[1] !== "access-list" || w[2] === undefined) return true;
  st.ipv6Acls.add(w[2]);
  let j = 3;
  if (w[j] === "line") j += 2;
  const at = j === 5 ? ["line", w[4]!] : [];
  // A remark takes a line number too (`line N` counts it).
  if (w[j] === "remark") return readAccessList(st, ["access-list", w[2], ...at, "remark"], line);
  const rest = w.slice(j).map((x) => (x === "any" ? "any6" : x));
  return readAccessList(st, ["access-list", w[2], ...at, "extended", ...rest], line);
};

/** An access-list command's words without its `line N` (which says where to insert, not what the ACE is). */
function aceText(w: readonly string[]): string {
  return (w[2] === "line" ? [...w.slice(0, 2), ...w.slice(4)] : w).join(" ");
}

/**
 * A paste of commands applies them in order: `no access-list NAME …` deletes the ACE written with the same words (the
 * ASA takes "the entire command syntax string as it appears in the configuration"), `no access-list NAME` and
 * `clear configure access-list [NAME]` the whole ACL, `no access-group …` the binding. Other `no` commands carry no
 * access rule.
 * Cisco ASA "Access Control Lists" (Guidelines: to delete an ACE, enter the no access-list command with the entire
 * command syntax string; to remove the entire ACL, use clear configure access-list):
 * https://www.cisco.com/c/en/us/td/docs/security/asa/asa916/configuration/firewall/asa-916-firewall-config/access-acls.html
 */
const readNo: CommandHandler = (st, w, line) => {
  const name = w[2];
  if (w[1] === "access-list" && name !== undefined) {
    if (w.length === 3) {
      deleteAcl(st, name);
      return true;
    }
    const list = st.acls.get(name);
    if (list === undefined || !takeAce(st, name, list, aceText(w.slice(1))))
      st.findings.push(finding(line, "note", `ACL ${name} has no entry written this way: nothing is removed.`));
  } else if (w[1] === "access-group" && name !== undefined) {
    const text = w.slice(1).join(" ");
    // An index, not a tokenizing search of every binding per line: 8,000 of each took 19 s.
    st.bindingRemovals ??= new KeyedRemovals(st.bindings, bindingText);
    if (st.bindingRemovals.take(text, () => st.bindings) === undefined)
      st.findings.push(finding(line, "note", `No "${text}" is bound: nothing is removed.`));
  }
  return true;
};

const readClear: CommandHandler = (st, w) => {
  if (w[1] !== "configure" || w[2] !== "access-list") return false;
  if (w[3] === undefined) {
    st.acls.clear();
    st.deletions.clear();
  } else deleteAcl(st, w[3]);
  return true;
};

function addBinding(st: AsaState, b: CiscoBinding): void {
  st.bindings.push(b);
  st.bindingRemovals?.appended(b);
}

/** A binding as `no access-group …` names it: its line's words. */
const bindingText = (b: CiscoBinding): string => tokenize(b.line.text).join(" ");

function deleteAcl(st: AsaState, name: string): void {
  st.acls.delete(name);
  st.deletions.delete(name);
}

/**
 * Deletes the first entry of `list` written as `text` (through the ACL's index, built at its first deletion; the entry
 * is swept out of the list later); false when there is none.
 */
function takeAce(st: AsaState, name: string, list: PositionList<AclLine>, text: string): boolean {
  let d = st.deletions.get(name);
  if (d === undefined) st.deletions.set(name, (d = new KeyedRemovals(list, (a) => aceText(a.words))));
  if (d.take(text, () => list) === undefined) return false;
  if (d.marked === list.length) deleteAcl(st, name);
  return true;
}

const COMMANDS: ReadonlyMap<string, CommandHandler> = new Map([
  ["no", readNo],
  ["clear", readClear],
  ["ipv6", readIpv6AccessList],
  ["object", readObject],
  ["object-group", readObjectGroup],
  ["name", readName],
  ["access-list", readAccessList],
  ["access-group", readAccessGroup],
  ["nat", readTwiceNat],
]);

// ---- After the paste: the path, then each ACE of the ACLs on it ----

function readAcls(st: AsaState, options: ParseOptions): { readonly path: PathInfo; readonly ruleCount: number } {
  const standardAcls = new Set<string>();
  const acls = new Map<string, AclLine[]>();
  st.bindingRemovals?.sweep(st.bindings);
  for (const [acl, list] of st.acls) {
    st.deletions.get(acl)?.sweep(list);
    acls.set(acl, list.toArray());
  }
  // An ACL of remarks only has no entry: it is read as not defined, as before any ACE is added.
  for (const [acl, aclLines] of acls) if (aclLines.every((a) => a.remark)) acls.delete(acl);
  for (const [acl, aclLines] of acls) {
    if (aclLines.every((a) => a.remark || aclKind(a.words) === "standard")) {
      standardAcls.add(acl);
      st.findings.push(
        finding(
          firstWritten(aclLines),
          "note",
          `"${acl}" is a standard ACL: on an ASA it matches route destinations, not traffic, so it is not read.`,
        ),
      );
    }
  }
  const traffic = [...acls]
    .filter(([acl]) => !standardAcls.has(acl))
    .map(([acl, l]) => ({ name: acl, line: firstWritten(l) }));
  // ASA 8.x binds an "ipv6 access-list" beside the IPv4 ACL of the same interface and direction.
  const inForce = bindingsInForce(st.bindings, (b) => (st.ipv6Acls.has(b.acl) ? 6 : 4));
  st.findings.push(...inForce.findings);
  const kept = inForce.kept.filter((b) => !standardAcls.has(b.acl));
  const { path: read, acls: placed } = ciscoPath("asa", traffic, kept, st.interfaces, options);
  const path = withRuleList(read, placed, kept, acls);
  for (const b of st.bindings) {
    if (!acls.has(b.acl))
      st.findings.push(
        finding(b.line, "undefined-reference", `ACL "${b.acl}" is bound here but not defined in this paste.`),
      );
  }
  let ruleCount = 0;
  for (const [acl, place] of placed) {
    const aclLines = acls.get(acl);
    if (aclLines === undefined || standardAcls.has(acl)) continue;
    for (const a of aclLines) {
      if (a.remark) continue;
      ruleCount++;
      const from = st.entries.length;
      const unmet = readAce(st, a, place.direction);
      tagEntries(st.entries, from, place.context, unmet);
    }
  }
  return { path, ruleCount };
}

/**
 * The ACL bound inbound on the Internet-facing interface (or the global ACL when none is), with each line's ASA line
 * number: its position in the ACL, remarks included, as `access-list NAME line N` counts it. An ACL bound nowhere gets
 * none: rules added to it filter nothing.
 * Cisco ASA command reference, "access-list extended" (line line-num: insert the entry at that line):
 * https://www.cisco.com/c/en/us/td/docs/security/asa/asa-cli-reference/A-H/asa-command-ref-A-H/aa-ac-commands.html
 */
function withRuleList(
  path: PathInfo,
  placed: ReadonlyMap<string, { readonly context: number }>,
  bindings: readonly CiscoBinding[],
  acls: ReadonlyMap<string, readonly AclLine[]>,
): PathInfo {
  const first = path.contexts[0];
  const acl = [...placed].find(([, p]) => p.context === 0)?.[0];
  if (first === undefined || !first.onPath || acl === undefined) return path;
  const binding = bindings.find(
    (b) => b.acl === acl && ((b.kind === "interface" && b.dir === "in") || b.kind === "global"),
  );
  const aclLines = acls.get(acl);
  if (binding === undefined || aclLines === undefined) return path;
  const list: RuleList = {
    kind: "asa-acl",
    name: acl,
    boundOn: binding.kind === "global" ? "global" : `in interface ${binding.where}`,
    rules: aclLines.map((a, k) => ({ line: a.line.n, position: k + 1, text: a.line.text })),
  };
  return { ...path, contexts: [{ ...first, list }, ...path.contexts.slice(1)] };
}

/** The first line of an ACL in the paste (a `line 1` insertion written later does not declare it). */
function firstWritten(aclLines: readonly AclLine[]): Line {
  let first = aclLines[0]!.line;
  for (const a of aclLines) if (a.line.n < first.n) first = a.line;
  return first;
}

/** Reads one ACE into entries; returns the condition a new inbound SYN cannot meet, if any. */
function readAce(st: AsaState, a: AclLine, direction: Entry["direction"]): string | undefined {
  const { words: w, line } = a;
  const head = readAceHead(st, a);
  if (head === undefined) return undefined;
  const { action } = head;
  const proto = readAceProtocol(st, w, head.next, line);
  if (proto === undefined) return undefined;
  const src = parseCiscoAddress(w, proto.next, st.grammar);
  if (!src.ok) return void st.findings.push(finding(line, src.kind, src.message));
  const conditions: string[] = [];
  // A service object's source ports ("service tcp source eq 443") are a condition the sender's ephemeral port may miss.
  const restricted = sourceRestricted(proto.protocols, action);
  if (restricted.condition !== undefined) conditions.push(restricted.condition);
  const dstAt = skipSourcePorts(st, w, src.next, conditions);
  const dst = parseCiscoAddress(w, dstAt, st.grammar);
  if (!dst.ok) return void st.findings.push(finding(line, dst.kind, dst.message));
  const dstPorts = readDestinationPorts(st, w, dst.next, line);
  if (dstPorts === undefined) return undefined;
  const { ports } = dstPorts;
  const inactive = w.indexOf("inactive", dstPorts.next) >= 0 ? "inactive (the ASA skips it)" : undefined;
  readTimeRange(st, w, dstPorts.next, action, line, conditions);
  // emitRule only reads the service terms: without ports they are used as they are.
  const svc = proto.fullServices || ports === undefined ? restricted.terms : withPorts(restricted.terms, ports);
  const sources = resolveSources(st, src.operand, action, line);
  const dstRanges = markDestinationUsed(st, dst.operand, action, line);
  const dstToken = w.slice(dstAt, dst.next).join(" ");
  const mapped = mappedDestination(st, dstRanges, dstToken);
  const destination = dstRanges.length > 0 ? { token: dstToken, ranges: dstRanges } : undefined;
  const qualifier =
    proto.protocols.length === 1 ? icmpQualifier(proto.protocols[0]!.protocol, w, dstPorts.next) : undefined;
  emitRule(st.entries, sources, { line, action, direction, services: svc, destination, qualifier });
  return joinUnmet(inactive, mapped, conditionalUnmet(action, conditions));
}

/**
 * Since ASA 8.3 an access rule names the real address of a host behind a NAT, not its mapped (public) one ("IP
 * Addresses Used for Access Lists When You Use NAT",
 * https://www.cisco.com/c/en/us/td/docs/security/asa/asa916/configuration/firewall/asa-916-firewall-config/nat-basics.html):
 * an ACE whose destination lies only in static NATs' mapped addresses never matches. Undefined otherwise.
 */
function mappedDestination(st: AsaState, dst: readonly Range[], token: string): string | undefined {
  if (st.staticNats.length === 0 || dst.length === 0) return undefined;
  st.natAddresses ??= st.staticNats.map((n) => {
    const real = st.addrs.resolve(n.object, n.line, []).map((r) => r.value.range);
    return {
      object: n.object,
      line: n.line,
      real: IPSet.fromRanges(real),
      mapped: IPSet.fromRanges(natAddress(st, n.mapped, n.line, real)),
    };
  });
  const within = st.natAddresses.find((n) => dst.every((r) => n.mapped.containsRange(r)));
  if (within === undefined || st.natAddresses.some((n) => dst.some((r) => n.real.overlapsRange(r)))) return undefined;
  const real = within.real.ranges.map(formatRange).join(", ");
  return `only traffic to ${token}, the mapped address of the static NAT of object ${within.object} (line ${within.line.n}): since ASA 8.3 access rules match the real address${real === "" ? "" : ` (${real})`}`;
}

/**
 * A static NAT's mapped addresses: an object's, or from an address written out as many as the real object holds (a
 * subnet maps to a block of its size, "nat (inside,outside) static 203.0.113.0" for a /24).
 */
function natAddress(st: AsaState, word: string, line: Line, real: readonly Range[]): Range[] {
  const a = parseAddress(word);
  if (a.ok) {
    const one = real.length === 1 && real[0]!.first.family === a.value.family ? real[0]! : undefined;
    const last = one === undefined ? a.value.value : a.value.value + (one.last.value - one.first.value);
    return last <= maxValue(a.value.family)
      ? [newRange(a.value, newAddress(a.value.family, last))]
      : [rangeOf(a.value)];
  }
  return st.addrs.has(word) ? st.addrs.resolve(word, line, []).map((r) => r.value.range) : [];
}

/** `access-list NAME [line N] extended permit|deny`: the action and where the protocol starts. */
function readAceHead(
  st: AsaState,
  a: AclLine,
): { readonly action: Entry["action"]; readonly next: number } | undefined {
  const w = a.words;
  let j = 2;
  if (w[j] === "line") j += 2;
  if (w[j] === "extended") j++;
  else if (w[j] !== "permit" && w[j] !== "deny") {
    return void st.findings.push(
      finding(a.line, "not-understood", `"access-list … ${w[j] ?? ""}" entries are not read.`),
    );
  }
  const actionWord = w[j];
  if (actionWord !== "permit" && actionWord !== "deny") {
    return void st.findings.push(finding(a.line, "not-understood", 'Expected "permit" or "deny".'));
  }
  return { action: actionWord === "permit" ? "allow" : "deny", next: j + 1 };
}

/** The protocol: a word, or a service/protocol object or group (a service one carries its ports too). */
function readAceProtocol(
  st: AsaState,
  w: readonly string[],
  j: number,
  line: Line,
): { readonly protocols: readonly ServiceTerm[]; readonly fullServices: boolean; readonly next: number } | undefined {
  const protoWord = w[j];
  if (protoWord === undefined) return void st.findings.push(finding(line, "invalid", "The protocol is missing."));
  if (protoWord === "object" || protoWord === "object-group") {
    const name = w[j + 1] ?? "";
    const protocols = st.services.resolve(name, line, st.findings).map((r) => r.value);
    return { protocols, fullServices: st.groupKinds.get(name) !== "protocol", next: j + 2 };
  }
  return { protocols: protocolTerms(protoWord), fullServices: false, next: j + 1 };
}

/** A protocol word's service terms, read once per word (entries never hold them: emitRule copies what it reads). */
const PROTOCOL_TERMS = new Map<string, readonly ServiceTerm[]>();

function protocolTerms(word: string): readonly ServiceTerm[] {
  let terms = PROTOCOL_TERMS.get(word);
  if (terms === undefined) {
    const protocol = ciscoProtocol(word);
    terms = Object.freeze([Object.freeze(protocol === undefined ? {} : { protocol })]);
    if (PROTOCOL_TERMS.size < 256) PROTOCOL_TERMS.set(word, terms);
  }
  return terms;
}

/** A source port: the webhook sender picks an ephemeral one, so the paste cannot tell whether it matches. */
function skipSourcePorts(st: AsaState, w: readonly string[], j: number, conditions: string[]): number {
  // Source ports that take in every port a client may pick (range 1024 65535, gt 1023) are met.
  if (isPortOperator(w[j])) {
    const sp = parseCiscoPorts(w, j, false);
    if (!sp.ports || !coversEphemeral(sp.ports))
      conditions.push(`only source port ${w.slice(j, sp.next).join(" ")} (a client's source port is ephemeral)`);
    return sp.next;
  }
  if (w[j] === "object-group" && st.groupKinds.get(w[j + 1] ?? "") === "port") {
    const ports = st.services.resolve(w[j + 1]!, st.services.definitionLine(w[j + 1]!)!, []);
    if (!coversEphemeral(ports.flatMap((r) => r.value.ports ?? [])))
      conditions.push(`only source ports of ${w[j + 1]} (a client's source port is ephemeral)`);
    return j + 2;
  }
  return j;
}

function readDestinationPorts(
  st: AsaState,
  w: readonly string[],
  j: number,
  line: Line,
): { readonly ports: ServiceTerm["ports"]; readonly next: number } | undefined {
  if (isPortOperator(w[j])) {
    const p = parseCiscoPorts(w, j, false);
    if (!p.ports) return void st.findings.push(finding(line, "invalid", "The destination ports do not parse."));
    return { ports: p.ports, next: p.next };
  }
  if (w[j] === "object-group" && st.groupKinds.get(w[j + 1] ?? "") === "port") {
    return {
      ports: st.services.resolve(w[j + 1]!, line, st.findings).flatMap((r) => r.value.ports ?? []),
      next: j + 2,
    };
  }
  return { ports: undefined, next: j };
}

/** The protocols' terms with the destination ports. */
function withPorts(protocols: readonly ServiceTerm[], ports: readonly PortRange[]): ServiceTerm[] {
  return protocols.map((p) => (p.protocol === undefined ? { ports } : { protocol: p.protocol, ports }));
}

/** `time-range NAME` among the words from w[from] on. */
function readTimeRange(
  st: AsaState,
  w: readonly string[],
  from: number,
  action: Entry["action"],
  line: Line,
  conditions: string[],
): void {
  const tr = w.indexOf("time-range", from);
  if (tr < 0) return;
  const name = w[tr + 1] ?? "";
  conditions.push(`only during time-range ${name}`);
  st.findings.push(
    finding(
      line,
      "note",
      action === "allow"
        ? `Active only during time-range ${name}: not counted as coverage (the paste cannot tell when it applies).`
        : `Active only during time-range ${name}: read as always denying (the safe side).`,
    ),
  );
}

const NO_VIA: readonly string[] = Object.freeze([]);

function resolveSources(
  st: AsaState,
  operand: CiscoOperand,
  action: Entry["action"],
  line: Line,
): Resolved<AddressTerm>[] {
  if (!("ref" in operand)) return operand.terms.map((t) => ({ value: t, line, via: NO_VIA }));
  if (action === "allow") st.reached.add(operand.ref);
  return st.addrs.resolve(operand.ref, line, st.findings);
}

/** Destinations are not checked, but their names must exist, and an allow rule's count as used. */
const NO_RANGES: readonly Range[] = [];

/**
 * Marks the destination's objects used (by an allow); returns the addresses it stands for (none for any: no array per
 * ACE then), for a static NAT's mapped address (mappedDestination) and Entry.destination.
 */
function markDestinationUsed(
  st: AsaState,
  operand: CiscoOperand,
  action: Entry["action"],
  line: Line,
): readonly Range[] {
  if (!("ref" in operand))
    return operand.terms.some((t) => t.kind === "any") ? NO_RANGES : operand.terms.map((t) => t.range);
  const resolved = st.addrs.resolve(operand.ref, line, st.findings);
  if (action === "allow") {
    for (const r of resolved) for (const n of r.via) st.reached.add(n);
    st.reached.add(operand.ref);
  }
  return resolved.map((r) => r.value.range);
}

function markNatObjectsUsed(st: AsaState): void {
  for (const n of st.natObjects) {
    if (!st.addrs.has(n)) continue;
    st.reached.add(n);
    // Loops and undefined names inside were already reported when an ACL used them, or do not matter to NAT.
    for (const r of st.addrs.resolve(n, st.addrs.definitionLine(n)!, [])) for (const v of r.via) st.reached.add(v);
  }
}
