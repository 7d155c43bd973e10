/**
 * FortiGate (FortiOS) CLI configuration: `config firewall address|address6` (ipmask, iprange, fqdn),
 * `addrgrp|addrgrp6`, `service custom|group`, and `config firewall policy|policy6|local-in-policy` (srcaddr,
 * srcaddr6, service, action, status, srcaddr-negate). Policies are evaluated in the order they appear; a policy without
 * `set action` denies (the FortiOS default). Zones and interfaces say nothing reliable about direction: read as "in".
 */
import { IPSet, parseAddress, parseNetmask, parsePrefix, parsePrefixOrAddress, makePrefix, makeRange } from "../../ip";
import type {
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
import type { Range } from "../../ip/types";
import { conditionalUnmet, joinUnmet, looksInternetFacing, sameName, tagEntries } from "./pathkit";
import { coversEphemeral, sourceRestricted } from "./cisco";
import type { CiscoServiceTerm } from "./cisco";
import {
  OBJECTS_ONLY_NOTE,
  ObjectTable,
  addObjectMember,
  anyTerm,
  countLines,
  emitRule,
  finding,
  namesReachedByAllow,
  negatedSources,
  objectsAsAllowlist,
  parsePortRange,
  prefixTerm,
  splitLines,
  tokenize,
  unusedObjectFindings,
  looksAddressBearing,
  namedDestination,
} from "./common";
import type { AddressTerm, Line, ObjectMember, Resolved, ServiceTerm } from "./common";
import { LinkedOrder } from "./linkedorder";

interface Setting {
  readonly values: string[];
  readonly line: Line;
}

interface Edit {
  readonly name: string;
  readonly line: Line;
  readonly settings: Map<string, Setting>;
  /** The VDOM the edit sits in ("" when the paste has no "config vdom"). */
  readonly vdom: string;
}

type Section =
  | "address"
  | "address6"
  | "addrgrp"
  | "addrgrp6"
  | "service"
  | "servicegroup"
  | "policy"
  | "policy6"
  | "local-in"
  | "secpolicy"
  | "interface"
  | "zone"
  | "vip";

const SECTIONS: Readonly<Record<string, Section>> = {
  "firewall address": "address",
  "firewall address6": "address6",
  "firewall addrgrp": "addrgrp",
  "firewall addrgrp6": "addrgrp6",
  "firewall service custom": "service",
  "firewall service group": "servicegroup",
  "firewall policy": "policy",
  "firewall security-policy": "secpolicy",
  "firewall policy6": "policy6",
  "firewall local-in-policy": "local-in",
  "firewall local-in-policy6": "local-in",
  "system interface": "interface",
  "system zone": "zone",
  "firewall vip": "vip",
  "firewall vip6": "vip",
  "firewall vipgrp": "vip",
  "firewall vipgrp6": "vip",
};

const tcp = (from: number, to = from): ServiceTerm => ({ protocol: "tcp", ports: [{ from, to }] });
const udp = (from: number, to = from): ServiceTerm => ({ protocol: "udp", ports: [{ from, to }] });

/** FortiOS predefined services, used when the paste does not define them. */
const PREDEFINED_SERVICES: Readonly<Record<string, readonly ServiceTerm[]>> = {
  ALL: [{}],
  ALL_TCP: [tcp(1, 65535)],
  ALL_UDP: [udp(1, 65535)],
  ALL_ICMP: [{ protocol: "icmp" }],
  ALL_ICMP6: [{ protocol: "icmp6" }],
  PING: [{ protocol: "icmp", qualifier: "icmptype 8" }],
  HTTP: [tcp(80)],
  HTTPS: [tcp(443)],
  SSH: [tcp(22)],
  TELNET: [tcp(23)],
  FTP: [tcp(21)],
  SMTP: [tcp(25)],
  SMTPS: [tcp(465)],
  DNS: [tcp(53), udp(53)],
  NTP: [tcp(123), udp(123)],
  RDP: [tcp(3389)],
  IMAP: [tcp(143)],
  IMAPS: [tcp(993)],
  POP3: [tcp(110)],
  POP3S: [tcp(995)],
  MYSQL: [tcp(3306)],
  "MS-SQL": [tcp(1433, 1434)],
  SNMP: [tcp(161, 162), udp(161, 162)],
};

const PREDEFINED_LINE: Line = { n: 0, text: "" };

export const fortigateParser: Parser = {
  id: "fortigate",
  label: "FortiGate (FortiOS CLI)",
  detect(text) {
    const head = text.slice(0, 20000);
    if (
      /^\s*config firewall (?:address6?|addrgrp6?|policy6?|service custom|service group|local-in-policy6?)\s*$/m.test(
        head,
      )
    )
      return 0.95;
    if (/^#config-version=\S+/m.test(head)) return 0.9;
    if (/^\s*config system (?:global|interface)\s*$/m.test(head)) return 0.6;
    return 0;
  },
  parse: parseFortigate,
};

/**
 * A VDOM's firewall policies as a rule list a missing delta can be placed in: one row per srcaddr / srcaddr6 line (the
 * line the policy's entries name), in list order, named by policy id. FortiOS appends a new policy at the end and
 * `move ID before ID` reorders (https://community.fortinet.com/t5/FortiGate/Technical-Tip-How-policy-order-in-works-on-FortiGate/ta-p/207381).
 */
function policyList(
  edits: ReadonlyMap<Section, readonly Edit[]>,
  vdom: string,
  name: string,
  boundOn: string,
): RuleList {
  const rules: RuleList["rules"][number][] = [];
  let position = 0;
  for (const e of [...(edits.get("policy") ?? []), ...(edits.get("policy6") ?? [])]) {
    if (e.vdom !== vdom) continue;
    position++;
    for (const key of ["srcaddr", "srcaddr6"]) {
      const set = e.settings.get(key);
      if (set !== undefined) rules.push({ line: set.line.n, position, text: e.line.text, name: e.name });
    }
  }
  return { kind: "fortigate-policies", name, boundOn, rules };
}

function parseFortigate(text: string, options: ParseOptions = {}): ParseOutput {
  const r = readBlocks(splitLines(text));
  const route = fortigatePath(r.edits, r.vdoms, options);
  const ev = fortigateObjects(r, route, text);
  for (const sec of ["policy", "policy6", "secpolicy", "local-in"] as const) {
    for (const e of r.edits.get(sec) ?? []) {
      ev.ruleCount++;
      const from = ev.entries.length;
      // FortiOS 6.2 security policies name their IPv4 addresses srcaddr4 / dstaddr4.
      if (sec === "secpolicy")
        for (const [old, key] of [
          ["srcaddr4", "srcaddr"],
          ["dstaddr4", "dstaddr"],
        ] as const) {
          const v = e.settings.get(old);
          if (v !== undefined && !e.settings.has(key)) e.settings.set(key, v);
        }
      const unmet = readPolicy(ev, e, sec === "policy6", sec === "local-in");
      tagEntries(ev.entries, from, route.contextOf(e.vdom, sec === "policy6" ? "policy" : sec), unmet);
    }
  }
  return fortigateOutput(ev, text);
}

/** One open "config" block: the section (undefined for sections we do not read) and the edit it interrupted. */
interface Frame {
  readonly section: Section | undefined;
  readonly outer: Edit | undefined;
  readonly raw: string;
}

/** What the blocks say, read in one pass: the edits of each section in list order, and the VDOMs. */
interface FortiRead {
  readonly findings: Finding[];
  readonly edits: Map<Section, Edit[]>;
  /**
   * The edits of each section while the blocks are read, in a linked order (`move` and `delete` take constant time;
   * an array's indexOf and splice per move made 80,000 moves take 6.5 s, growing with the square); `edits` at the end.
   */
  readonly order: Map<Section, LinkedOrder<Edit>>;
  /** Edits by VDOM and name, per section: "edit NAME" of an existing object enters it again. */
  readonly named: Map<Section, Map<string, Edit>>;
  readonly stack: Frame[];
  edit: Edit | undefined;
  vdom: string;
  readonly vdoms: { name: string; line: Line }[];
  /** Where each value of a list setting sits, for the settings that "append" or "unselect" changed (see MemberIndex). */
  readonly indexed: Map<Setting, MemberIndex>;
}

/**
 * The live values of a list setting by text, each with its places in the values, and the places unselected: "append"
 * and "unselect" find a member here instead of searching the list (and "unselect" no longer copies it), and the
 * unselected places are swept out once the paste is read. 20,000 members taken out one "unselect" at a time took
 * 24 s, growing with the square.
 */
interface MemberIndex {
  readonly at: Map<string, number[]>;
  readonly gone: Set<number>;
}

/** A statement handler; false when the statement does not apply here (the line is then judged as not understood). */
type StatementHandler = (r: FortiRead, w: readonly string[], line: Line, section: Section) => boolean;

function readBlocks(lines: readonly Line[]): FortiRead {
  const r: FortiRead = {
    findings: [],
    edits: new Map(),
    order: new Map(),
    named: new Map(),
    stack: [],
    edit: undefined,
    vdom: "",
    vdoms: [],
    indexed: new Map(),
  };
  for (const line of lines) {
    if (line.text === "" || line.text.startsWith("#")) continue;
    readStatement(r, tokenize(line.text), line);
  }
  for (const [section, order] of r.order) r.edits.set(section, [...order]);
  for (const [setting, { gone }] of r.indexed) {
    if (gone.size === 0) continue;
    const { values } = setting;
    let kept = 0;
    for (let i = 0; i < values.length; i++) if (!gone.has(i)) values[kept++] = values[i]!;
    values.length = kept;
  }
  return r;
}

function memberIndex(r: FortiRead, setting: Setting): MemberIndex {
  let idx = r.indexed.get(setting);
  if (idx === undefined) {
    idx = { at: new Map(), gone: new Set() };
    setting.values.forEach((v, i) => {
      const places = idx!.at.get(v);
      if (places) places.push(i);
      else idx!.at.set(v, [i]);
    });
    r.indexed.set(setting, idx);
  }
  return idx;
}

function readStatement(r: FortiRead, w: readonly string[], line: Line): void {
  const k = w[0]!;
  const top = r.stack[r.stack.length - 1];
  const section = top?.section;
  if (k === "config") return readConfig(r, w);
  if (k === "end") return readEnd(r);
  if (k === "next") {
    r.edit = undefined;
    return;
  }
  if (top?.raw === "vdom" && k === "edit" && w[1] !== undefined) return readVdomEdit(r, w[1], line);
  if (
    k === "move" &&
    section !== undefined &&
    w[1] !== undefined &&
    (w[2] === "before" || w[2] === "after") &&
    w[3] !== undefined
  ) {
    return readMove(r, section, w[1], w[2], w[3], line);
  }
  if (section === undefined) {
    // Sections we do not read (interfaces, routes, system …) hold addresses with no allowlist meaning;
    // outside any section, an address is never skipped silently.
    if (r.stack.length === 0 && looksAddressBearing(line.text)) {
      r.findings.push(finding(line, "not-understood", 'This line is outside any "config" section.'));
    }
    return;
  }
  const handler = SECTION_STATEMENTS.get(k);
  if (handler?.(r, w, line, section)) return;
  if (looksAddressBearing(line.text) || r.edit === undefined) {
    r.findings.push(finding(line, "not-understood", "This line is not understood inside the firewall section."));
  }
}

/** A block nested in an edit (a vdom, an address's "config tagging") puts that edit aside until its "end". */
function readConfig(r: FortiRead, w: readonly string[]): void {
  const raw = w.slice(1).join(" ");
  r.stack.push({ section: SECTIONS[raw], outer: r.edit, raw });
  r.edit = undefined;
}

function readEnd(r: FortiRead): void {
  const popped = r.stack.pop();
  r.edit = popped?.outer;
  if (popped?.raw === "vdom") r.vdom = "";
}

/** "config vdom / edit NAME": everything up to the matching "next" belongs to that VDOM. */
function readVdomEdit(r: FortiRead, name: string, line: Line): void {
  r.vdom = name;
  if (!r.vdoms.some((v) => v.name === name)) r.vdoms.push({ name, line });
}

/** "move 5 before 3": the policy list order is what FortiOS evaluates, not the ids. */
function readMove(
  r: FortiRead,
  section: Section,
  name: string,
  where: "before" | "after",
  other: string,
  line: Line,
): void {
  const order = r.order.get(section);
  const moved = order === undefined ? undefined : editNamed(r, section, order, name);
  const ref = order === undefined ? undefined : editNamed(r, section, order, other);
  // A policy moved before or after itself stays where it is.
  if (moved !== undefined && moved === ref) return;
  if (moved === undefined || ref === undefined) {
    r.findings.push(
      finding(
        line,
        "undefined-reference",
        `"${moved === undefined ? name : other}" is not a policy of this section in the paste: the move is not applied.`,
      ),
    );
  } else order!.place(moved, where, ref);
}

const nameKey = (vdom: string, name: string): string => `${vdom}\n${name}`;

/** Statements inside a section we read (a top-level "edit" or a setting of the current edit). */
const SECTION_STATEMENTS: ReadonlyMap<string, StatementHandler> = new Map<string, StatementHandler>([
  ["edit", readEdit],
  ["delete", readDelete],
  ["set", readSet],
  ["append", readSet],
  ["unselect", readUnselect],
  ["unset", readUnset],
]);

/**
 * FortiOS: "edit NAME" of an object that exists enters it again (a later block changes it); "edit 0" in a policy
 * table always makes a new one.
 */
function readEdit(r: FortiRead, w: readonly string[], line: Line, section: Section): boolean {
  const name = w[1];
  if (name === undefined) return false;
  let named = r.named.get(section);
  if (named === undefined) {
    named = new Map<string, Edit>();
    r.named.set(section, named);
  }
  const again = name === "0" ? undefined : named.get(nameKey(r.vdom, name));
  if (again) {
    r.edit = again;
    return true;
  }
  const edit: Edit = { name, line, settings: new Map(), vdom: r.vdom };
  r.edit = edit;
  // Names other than "0" are unique per VDOM in a section, so the index holds the one edit of each.
  if (name !== "0") named.set(nameKey(r.vdom, name), edit);
  const order = r.order.get(section);
  if (order) order.append(edit);
  else r.order.set(section, LinkedOrder.of([edit]));
  return true;
}

/**
 * The edit `name` of the current VDOM in `order` (undefined: not there). Named edits are found through the index (a
 * search comparing names for each `move` made 8,000 moves take over a second, growing with the square); "0" (a new
 * edit numbered by the device) is not indexed: the first one in the order is meant.
 */
function editNamed(r: FortiRead, section: Section, order: LinkedOrder<Edit>, name: string): Edit | undefined {
  if (name === "0") {
    for (const x of order) if (x.name === name && x.vdom === r.vdom) return x;
    return undefined;
  }
  const edit = r.named.get(section)?.get(nameKey(r.vdom, name));
  return edit !== undefined && order.has(edit) ? edit : undefined;
}

function readDelete(r: FortiRead, w: readonly string[], _line: Line, section: Section): boolean {
  const name = w[1];
  if (name === undefined) return false;
  const order = r.order.get(section);
  const gone = order === undefined ? undefined : editNamed(r, section, order, name);
  if (gone === undefined) return true;
  order!.remove(gone);
  const named = r.named.get(section);
  if (named !== undefined && named.get(nameKey(r.vdom, name)) === gone) named.delete(nameKey(r.vdom, name));
  return true;
}

/** "set KEY VALUES…" replaces a setting; "append KEY VALUES…" adds the values not there yet. */
function readSet(r: FortiRead, w: readonly string[], line: Line): boolean {
  const key = w[1];
  if (!r.edit || key === undefined) return false;
  const prev = r.edit.settings.get(key);
  if (w[0] === "append" && prev) {
    const { at } = memberIndex(r, prev);
    // The values not there before this line, each kept (a value written twice on the line is added twice).
    for (const v of w.slice(2).filter((x) => !at.has(x))) {
      const places = at.get(v);
      if (places) places.push(prev.values.length);
      else at.set(v, [prev.values.length]);
      prev.values.push(v);
    }
  } else r.edit.settings.set(key, { values: w.slice(2), line });
  return true;
}

/** "unselect member A B": takes members out of a list, the others stay. */
function readUnselect(r: FortiRead, w: readonly string[]): boolean {
  const key = w[1];
  if (!r.edit || key === undefined) return false;
  const prev = r.edit.settings.get(key);
  if (prev === undefined) return true;
  // Every place of each value goes: marked here, swept out of the values when the paste is read (readBlocks).
  const { at, gone } = memberIndex(r, prev);
  for (const v of w.slice(2)) {
    for (const i of at.get(v) ?? []) gone.add(i);
    at.delete(v);
  }
  return true;
}

function readUnset(r: FortiRead, w: readonly string[]): boolean {
  if (!r.edit || w[1] === undefined) return false;
  r.edit.settings.delete(w[1]);
  return true;
}

type FortiRoute = ReturnType<typeof fortigatePath>;

/** The evaluation: the objects read from the edits, and the entries built from the policies. */
interface FortiEval {
  readonly findings: Finding[];
  readonly entries: Entry[];
  readonly t4: ObjectTable<AddressTerm>;
  readonly t6: ObjectTable<AddressTerm>;
  readonly members: ObjectMember[];
  readonly services: ObjectTable<ServiceTerm>;
  /** The first addrgrp / addrgrp6 edit of each name, for "exclude enable". */
  readonly groups4: ReadonlyMap<string, Edit>;
  readonly groups6: ReadonlyMap<string, Edit>;
  readonly reached4: Set<string>;
  readonly reached6: Set<string>;
  readonly route: FortiRoute;
  /** Virtual IPs and VIP groups (config firewall vip|vip6|vipgrp|vipgrp6): destinations, not address objects. */
  readonly vips: ReadonlySet<string>;
  /** VDOMs with security policies (NGFW policy-based mode). */
  readonly policyBased: ReadonlySet<string>;
  /** VIP and VIP group edits by name (the first of each). */
  readonly vipDefs: ReadonlyMap<string, Edit>;
  /** A VIP an enabled accept policy from the Internet-facing interface names: the service is published through it. */
  readonly vipPublished: string | undefined;
  /** match-vip's default for the paste's FortiOS version (#config-version); undefined when unknown. */
  readonly matchVipDefault: boolean | undefined;
  ruleCount: number;
}

function firstByName(edits: readonly Edit[]): Map<string, Edit> {
  const out = new Map<string, Edit>();
  for (const e of edits) if (!out.has(e.name)) out.set(e.name, e);
  return out;
}

function fortigateObjects(r: FortiRead, route: FortiRoute, text: string): FortiEval {
  const { edits } = r;
  const vips = new Set((edits.get("vip") ?? []).map((e) => e.name));
  const ev: FortiEval = {
    findings: r.findings,
    entries: [],
    t4: new ObjectTable<AddressTerm>(),
    t6: new ObjectTable<AddressTerm>(),
    members: [],
    services: new ObjectTable<ServiceTerm>(),
    groups4: firstByName(edits.get("addrgrp") ?? []),
    groups6: firstByName(edits.get("addrgrp6") ?? []),
    reached4: new Set(),
    reached6: new Set(),
    route,
    vips,
    policyBased: new Set((edits.get("secpolicy") ?? []).map((e) => e.vdom)),
    vipDefs: firstByName(edits.get("vip") ?? []),
    vipPublished: vips.size === 0 ? undefined : publishedVip(edits, vips, route),
    matchVipDefault: matchVipDefault(text),
    ruleCount: 0,
  };
  for (const e of edits.get("address") ?? []) readAddress(ev, e, ev.t4, 4);
  for (const e of edits.get("address6") ?? []) readAddress(ev, e, ev.t6, 6);
  for (const [sec, table] of [
    ["addrgrp", ev.t4],
    ["addrgrp6", ev.t6],
  ] as const) {
    for (const e of edits.get(sec) ?? []) {
      table.define(e.name, { line: e.line, members: [] });
      const m = e.settings.get("member");
      for (const ref of m?.values ?? []) addObjectMember(table, ev.members, e.name, { ref, line: m!.line }, e.line);
    }
  }
  for (const e of edits.get("service") ?? []) readService(ev, e);
  for (const e of edits.get("servicegroup") ?? []) {
    ev.services.define(e.name, { line: e.line, members: [] });
    const m = e.settings.get("member");
    for (const ref of m?.values ?? []) ev.services.addMember(e.name, { ref, line: m!.line }, e.line);
  }
  for (const [name, terms] of Object.entries(PREDEFINED_SERVICES)) {
    if (!ev.services.has(name))
      ev.services.define(name, {
        line: PREDEFINED_LINE,
        members: terms.map((value) => ({ value, line: PREDEFINED_LINE })),
      });
  }
  // "all" exists on every FortiGate even when the paste leaves it out.
  for (const [table, family] of [
    [ev.t4, 4],
    [ev.t6, 6],
  ] as const) {
    if (!table.has("all"))
      table.define("all", {
        line: PREDEFINED_LINE,
        members: [{ value: anyTerm("all", family), line: PREDEFINED_LINE }],
      });
  }
  return ev;
}

/** The first VIP an enabled accept policy whose srcintf is the Internet-facing interface names in its dstaddr. */
function publishedVip(edits: ReadonlyMap<Section, Edit[]>, vips: ReadonlySet<string>, route: FortiRoute) {
  for (const e of [
    ...(edits.get("policy") ?? []),
    ...(edits.get("policy6") ?? []),
    ...(edits.get("secpolicy") ?? []),
  ]) {
    const s = e.settings;
    if (s.get("action")?.values[0] !== "accept" || s.get("status")?.values[0] === "disable") continue;
    if (!route.ingressMatches(s.get("srcintf")?.values ?? [])) continue;
    const vip = [...(s.get("dstaddr")?.values ?? []), ...(s.get("dstaddr6")?.values ?? [])].find((d) => vips.has(d));
    if (vip !== undefined) return vip;
  }
  return undefined;
}

/**
 * match-vip's default by the FortiOS version of "#config-version=MODEL-7.2.5-FW-build…": enable from 7.2.4, disable
 * before 7.2; 7.2.0–7.2.3 and a paste without the header are unknown (sources disagree on 7.2.3).
 */
function matchVipDefault(text: string): boolean | undefined {
  const m = /^#config-version=[^-\s]*-(\d+)\.(\d+)\.(\d+)-/m.exec(text.slice(0, 20000));
  if (m === null) return undefined;
  const [maj, min, patch] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (maj > 7 || (maj === 7 && (min > 2 || (min === 2 && patch >= 4)))) return true;
  if (maj < 7 || (maj === 7 && min < 2)) return false;
  return undefined;
}

/**
 * A VIP's destination NAT happens before the policy lookup: a deny policy whose dstaddr names no VIP matches
 * connections to a VIP only with "set match-vip enable" (the default from FortiOS 7.2.4, disable before). When the
 * service is published through a VIP, such a deny with match-vip disable is never met; when the paste says neither
 * the setting nor the version, it is read as matching, with a note.
 * Docs: Fortinet Community, "Technical Tip: DENY policy for Virtual IP firewall policy"
 * (https://community.fortinet.com/fortigate-3/technical-tip-deny-policy-for-virtual-ip-firewall-policy-94794) and
 * FortiOS 6.4.3+ release notes, "Enabling match-vip in firewall policies" (deny policies only):
 * https://docs.fortinet.com/document/fortigate/6.4.8/fortios-release-notes/350283
 */
function vipBypass(ev: FortiEval, e: Edit): string | undefined {
  const published = ev.vipPublished;
  const s = e.settings;
  if (published === undefined) return undefined;
  const dst = [...(s.get("dstaddr")?.values ?? []), ...(s.get("dstaddr6")?.values ?? [])];
  if (dst.some((d) => ev.vips.has(d))) return undefined;
  const set = s.get("match-vip")?.values[0];
  const on = set === "enable" ? true : set === "disable" ? false : ev.matchVipDefault;
  if (on === true) return undefined;
  if (on === false)
    return `${set === "disable" ? "match-vip disable" : "match-vip not set (disable by default before FortiOS 7.2.4)"}: a deny whose dstaddr names no VIP does not match connections to VIP ${published}, which the service is published through`;
  ev.findings.push(
    finding(
      s.get("action")?.line ?? e.line,
      "note",
      `Whether this deny matches connections to VIP ${published} depends on match-vip, which is not set: its default is enable from FortiOS 7.2.4 and disable before, and the paste does not say the version. Read as matching (the safe side).`,
    ),
  );
  return undefined;
}

function invalid(ev: FortiEval, line: Line, message: string): void {
  ev.findings.push(finding(line, "invalid", message));
}

function readAddress(ev: FortiEval, e: Edit, table: ObjectTable<AddressTerm>, family: 4 | 6): void {
  table.define(e.name, { line: e.line, members: [] });
  const type = e.settings.get("type")?.values[0] ?? (family === 4 ? "ipmask" : "ipprefix");
  if (type === "ipmask" || type === "ipprefix") {
    const s = e.settings.get(family === 4 ? "subnet" : "ip6");
    // An address with no subnet keeps the default 0.0.0.0/0 (that is what "all" is); it is implicit, so it is
    // resolved for rules but not listed in the objects-only reading.
    if (!s) return void table.addMember(e.name, { value: anyTerm(e.name, family), line: e.line }, e.line);
    const term = subnetTerm(ev, s, family);
    if (term) addObjectMember(table, ev.members, e.name, { value: term, line: s.line }, e.line);
    return;
  }
  if (type === "iprange") {
    const start = e.settings.get("start-ip");
    const end = e.settings.get("end-ip");
    const first = parseAddress(start?.values[0] ?? "");
    const last = parseAddress(end?.values[0] ?? "");
    const line = start?.line ?? e.line;
    if (!first.ok || !last.ok) return invalid(ev, line, "The range needs a valid start-ip and end-ip.");
    const r = makeRange(first.value, last.value);
    if (!r.ok) return invalid(ev, line, `Range: ${r.error.message}.`);
    const value: AddressTerm = { token: `${start!.values[0]}-${end!.values[0]}`, range: r.value, kind: "range" };
    return addObjectMember(table, ev.members, e.name, { value, line }, e.line);
  }
  if (type === "fqdn" || type === "wildcard-fqdn") {
    const f = e.settings.get(type === "fqdn" ? "fqdn" : "wildcard-fqdn");
    return void ev.findings.push(
      finding(f?.line ?? e.line, "hostname", `"${f?.values[0] ?? ""}" is a DNS name: it cannot be checked.`),
    );
  }
  ev.findings.push(
    finding(e.settings.get("type")?.line ?? e.line, "not-understood", `Address type "${type}" is not read.`),
  );
}

/** "set subnet A MASK" / "set subnet A/LEN" / "set ip6 P/LEN"; undefined after a finding. */
function subnetTerm(ev: FortiEval, s: Setting, family: 4 | 6): AddressTerm | undefined {
  const a = s.values[0];
  const m = s.values[1];
  const token = s.values.length === 2 ? `${a} ${m}` : s.values.join(" ");
  if (a !== undefined && m !== undefined && family === 4) {
    const addr = parseAddress(a);
    const bits = netmaskBits(m);
    if (!addr.ok || !bits.ok || bits.value > 32)
      return void invalid(
        ev,
        s.line,
        `"${token}": ${!addr.ok ? addr.error.message : !bits.ok ? bits.error.message : "not an IPv4 mask"}.`,
      );
    return prefixTerm(token, makePrefix(addr.value, bits.value));
  }
  const p = a === undefined ? undefined : a.includes("/") ? parsePrefix(a) : parsePrefixOrAddress(a);
  if (!p?.ok) return void invalid(ev, s.line, `"${token}" is not an address or prefix.`);
  return prefixTerm(token, p.value, a!.includes("/") ? "cidr" : "address");
}

/** Netmask words read so far (a pure result of the text; configs repeat a few masks, and the map is bounded). */
const NETMASKS = new Map<string, ReturnType<typeof parseNetmask>>();

function netmaskBits(word: string): ReturnType<typeof parseNetmask> {
  let bits = NETMASKS.get(word);
  if (bits === undefined) {
    bits = parseNetmask(word);
    if (NETMASKS.size < 4096) NETMASKS.set(word, bits);
  }
  return bits;
}

function readService(ev: FortiEval, e: Edit): void {
  const { services } = ev;
  services.define(e.name, { line: e.line, members: [] });
  const protocol = (e.settings.get("protocol")?.values[0] ?? "TCP/UDP/SCTP").toUpperCase();
  if (protocol === "IP") {
    const num = e.settings.get("protocol-number")?.values[0];
    return services.addMember(
      e.name,
      { value: num === undefined || num === "0" ? {} : { protocol: num }, line: e.line },
      e.line,
    );
  }
  if (protocol === "ICMP" || protocol === "ICMP6") {
    // icmptype/icmpcode tell services apart (Entry.qualifier), not their verdict: no TCP connection meets them.
    const type = e.settings.get("icmptype")?.values[0];
    const code = e.settings.get("icmpcode")?.values[0];
    const qualifier =
      type === undefined ? undefined : `icmptype ${type}${code === undefined ? "" : ` icmpcode ${code}`}`;
    const value = { protocol: protocol.toLowerCase(), ...(qualifier !== undefined ? { qualifier } : {}) };
    return services.addMember(e.name, { value, line: e.line }, e.line);
  }
  for (const proto of ["tcp", "udp", "sctp"]) {
    const s = e.settings.get(`${proto}-portrange`);
    if (!s) continue;
    const ports: PortRange[] = [];
    // Ranges with a source part the sender's ephemeral port may miss: their own terms, marked (sourceRestricted).
    const restricted: CiscoServiceTerm[] = [];
    for (const v of s.values) {
      // "dst[-dst][:src[-src]]": the source part, when it is not every port, is a condition.
      const [dst, src] = v.split(":");
      const p = parsePortRange(dst ?? "");
      const sp = src === undefined ? undefined : parsePortRange(src);
      if (!p || (src !== undefined && !sp)) ev.findings.push(finding(s.line, "invalid", `"${v}" is not a port range.`));
      else if (sp && !coversEphemeral([sp]))
        restricted.push({ protocol: proto, ports: [p], source: `source port ${src}` });
      else ports.push(p);
    }
    if (ports.length > 0) services.addMember(e.name, { value: { protocol: proto, ports }, line: s.line }, e.line);
    for (const value of restricted) services.addMember(e.name, { value, line: s.line }, e.line);
  }
}

/** A group with "exclude enable": its members minus its exclude-members, exactly, as range terms. */
function excluding(
  ev: FortiEval,
  name: string,
  table: ObjectTable<AddressTerm>,
  line: Line,
): Resolved<AddressTerm>[] | undefined {
  const g = (table === ev.t4 ? ev.groups4 : ev.groups6).get(name);
  if (g?.settings.get("exclude")?.values[0] !== "enable") return undefined;
  const ex = g.settings.get("exclude-member");
  const kept = table.resolve(name, line, ev.findings);
  const gone = (ex?.values ?? []).flatMap((n) => table.resolve(n, ex!.line, ev.findings));
  const set = IPSet.fromRanges(kept.map((r) => r.value.range)).difference(
    IPSet.fromRanges(gone.map((r) => r.value.range)),
  );
  const token = `${name} (excluding ${(ex?.values ?? []).join(" ")})`;
  return set.ranges.map((range) => ({ value: { token, range, kind: "range" as const }, line: g.line, via: [name] }));
}

/** Reads one policy into entries; returns the condition a new inbound connection cannot meet, if any. */
function readPolicy(ev: FortiEval, e: Edit, v6Only: boolean, localIn: boolean): string | undefined {
  const s = e.settings;
  const status = s.get("status");
  const disabled = status?.values[0] === "disable" ? "set status disable" : undefined;
  const srcintf = s.get(localIn ? "intf" : "srcintf")?.values ?? [];
  const intfUnmet = ev.route.ingressMatches(srcintf)
    ? undefined
    : `${localIn ? "intf" : "srcintf"} ${srcintf.join(", ")}, not the Internet-facing interface ${ev.route.ingress}`;
  // In NGFW policy-based mode (security policies in the VDOM) a firewall policy has no action: what it matches goes on
  // to the security policies (FortiOS 6.2 "NGFW policy mode": "There is no schedule or action options").
  const preMatch = !localIn && s.get("action") === undefined && ev.policyBased.has(e.vdom);
  const action = s.get("action")?.values[0] === "accept" || preMatch ? "allow" : "deny";
  const vipUnmet = action === "deny" && !localIn ? vipBypass(ev, e) : undefined;
  const conditions: string[] = [];
  const schedule = s.get("schedule");
  const scheduleName = schedule?.values[0];
  if (schedule && scheduleName !== undefined && scheduleName.toLowerCase() !== "always") {
    conditions.push(`only during schedule ${scheduleName}`);
    ev.findings.push(
      finding(
        schedule.line,
        "note",
        action === "allow"
          ? `Active only during schedule ${scheduleName}: not counted as coverage (the paste cannot tell when it applies).`
          : `Active only during schedule ${scheduleName}: read as always denying (the safe side).`,
      ),
    );
  }
  const svcSetting = s.get("service");
  const resolved: ServiceTerm[] = [];
  for (const name of svcSetting?.values ?? [])
    for (const r of ev.services.resolve(name, svcSetting!.line, ev.findings)) resolved.push(r.value);
  if (svcSetting && resolved.length === 0) return joinUnmet(disabled, intfUnmet);
  let svc: readonly ServiceTerm[] = resolved;
  let negated: string | undefined;
  if (s.get("service-negate")?.values[0] === "enable") {
    // Every service except the listed ones: exactly, for the port-bearing protocols a webhook can use.
    svc = complementServices(resolved);
    if (svc.length === 0)
      negated = `service-negate: every service but ${svcSetting?.values.join(" ")}, which is all of them`;
  } else {
    const restricted = sourceRestricted(resolved, action);
    if (restricted.condition !== undefined) conditions.push(restricted.condition);
    svc = restricted.terms;
  }
  const label = s.get("name")?.values[0] ?? e.name;
  const forwarded = localIn ? { svc } : throughVips(ev, e, label, svc);
  svc = forwarded.svc;
  // "every destination but all" is none (the service's own address is not checked otherwise).
  const dstAll =
    s.get("dstaddr-negate")?.values[0] === "enable" && (s.get("dstaddr")?.values ?? []).includes("all")
      ? "dstaddr-negate with dstaddr all: matches no destination"
      : undefined;
  // Identity-based policies match only authenticated users: a webhook sender never authenticates.
  const who = ["groups", "users", "fsso-groups"].flatMap((k) => s.get(k)?.values ?? []);
  if (who.length > 0) conditions.push(`only authenticated users (${who.join(", ")})`);
  // The service sits behind the FortiGate on another interface: a policy whose dstintf is only the Internet-facing
  // one (hairpin, or outbound to the Internet) never sees the connection.
  const dstintf = localIn ? [] : (s.get("dstintf")?.values ?? []);
  const dstUnmet =
    intfUnmet === undefined &&
    ev.route.ingress !== "" &&
    dstintf.length > 0 &&
    dstintf.every((i) => i !== "any" && ev.route.ingressMatches([i]))
      ? `dstintf ${dstintf.join(", ")}: the Internet-facing interface itself, not the service's`
      : undefined;
  const unmet = joinUnmet(
    joinUnmet(disabled, intfUnmet, dstUnmet),
    joinUnmet(negated, vipUnmet, forwarded.unmet),
    dstAll,
    conditionalUnmet(action, conditions),
  );
  const policy: PolicyRead = { e, label, action, svc };
  if (!v6Only) emitPolicySide(ev, policy, "srcaddr", ev.t4, ev.reached4);
  emitPolicySide(ev, policy, v6Only ? "srcaddr" : "srcaddr6", ev.t6, ev.reached6);
  internetServiceSource(ev, policy);
  return unmet;
}

/** The VIPs a VIP or VIP group name stands for (a group's members, one level: FortiOS groups hold VIPs only). */
function vipMembers(ev: FortiEval, name: string): Edit[] {
  const def = ev.vipDefs.get(name);
  if (def === undefined) return [];
  const members = def.settings.get("member")?.values;
  if (members === undefined) return [def];
  return members.flatMap((m) => {
    const v = ev.vipDefs.get(m);
    return v === undefined ? [] : [v];
  });
}

/**
 * A policy whose destinations are port-forwarding VIPs is matched after the VIP's destination NAT, on the mapped
 * (internal) port: a VIP forwarding external 443 to mapped 8443 needs a policy service of 8443, and a service of 443
 * does not match it. The policy's TCP services are read back as the external ports forwarded to them (ALL: every
 * forwarded port); none left is unmet. VIPs without port forwarding keep the ports; m-to-n mappings are not
 * translated. Docs: Fortinet Community, "Technical Tip: How to use virtual IPs with non-standard external ports"
 * (the inbound policy must allow the mapped port, not the external one):
 * https://community.fortinet.com/t5/FortiGate/Technical-Tip-How-to-use-virtual-IPs-with-non-standard-external/ta-p/262988
 */
function throughVips(
  ev: FortiEval,
  e: Edit,
  label: string,
  svc: readonly ServiceTerm[],
): { svc: readonly ServiceTerm[]; unmet?: string } {
  const s = e.settings;
  const dst = s.get("dstaddr")?.values ?? [];
  if (dst.length === 0 || !dst.every((d) => ev.vips.has(d))) return { svc };
  const vips = dst.flatMap((d) => vipMembers(ev, d));
  const maps: { ext: PortRange; mapped: number; name: string }[] = [];
  for (const v of vips) {
    const st = v.settings;
    if (st.get("portforward")?.values[0] !== "enable" || st.get("portmapping-type")?.values[0] === "m-to-n")
      return { svc };
    if ((st.get("protocol")?.values[0] ?? "tcp").toLowerCase() !== "tcp") continue;
    const ext = parsePortRange(st.get("extport")?.values[0] ?? "");
    if (ext === undefined) return { svc };
    const mapped = parsePortRange(st.get("mappedport")?.values[0] ?? "");
    maps.push({ ext, mapped: mapped?.from ?? ext.from, name: v.name });
  }
  if (maps.every((m) => m.mapped === m.ext.from) && maps.length === vips.length) return { svc };
  const out: ServiceTerm[] = [];
  for (const t of svc) {
    if (t.protocol !== undefined && t.protocol !== "tcp") continue;
    const ports: PortRange[] = [];
    for (const m of maps) {
      const span = m.ext.to - m.ext.from;
      for (const p of t.ports ?? [{ from: 0, to: 65535 }]) {
        const lo = Math.max(p.from, m.mapped);
        const hi = Math.min(p.to, m.mapped + span);
        if (lo <= hi) ports.push({ from: lo - m.mapped + m.ext.from, to: hi - m.mapped + m.ext.from });
      }
    }
    if (ports.length > 0) out.push({ ...t, protocol: "tcp", ports });
  }
  const how = maps.map(
    (m) => `${m.name}: ${portText(m.ext)} → ${portText({ from: m.mapped, to: m.mapped + m.ext.to - m.ext.from })}`,
  );
  if (out.length === 0)
    return {
      svc,
      unmet: `its services match no port the VIPs forward (matched on the mapped port; ${how.join(", ") || "no TCP forwarding"})`,
    };
  const line = s.get("service")?.line ?? e.line;
  ev.findings.push(
    finding(
      line,
      "note",
      `Policy "${label}" is matched on the VIPs' mapped ports (${how.join(", ")}): its services are read as the external TCP port${out.flatMap((t) => t.ports ?? []).length === 1 ? "" : "s"} ${out.flatMap((t) => (t.ports ?? []).map(portText)).join(", ")}.`,
    ),
  );
  return { svc: out };
}

const portText = (p: PortRange): string => (p.from === p.to ? `${p.from}` : `${p.from}-${p.to}`);

/**
 * `set internet-service-src enable`: the sources are Internet Service Database entries (internet-service-src-name …),
 * whose addresses the paste does not hold. An accept through them is not counted; a deny is read as matching every
 * source (the safe side: a cloud provider's entry may well hold the vendor's NAT IPs).
 */
function internetServiceSource(ev: FortiEval, p: PolicyRead): void {
  const s = p.e.settings;
  const on = s.get("internet-service-src");
  if (on?.values[0] !== "enable") return;
  const names = [
    "internet-service-src-name",
    "internet-service-src-group",
    "internet-service-src-custom",
    "internet-service-src-custom-group",
    "internet-service-src-id",
  ].flatMap((k) => s.get(k)?.values ?? []);
  const what = names.length > 0 ? names.join(", ") : "Internet Service Database entries";
  ev.findings.push(
    finding(
      on.line,
      "note",
      p.action === "allow"
        ? `Policy "${p.label}" takes its sources from the Internet Service Database (${what}): their addresses are not in the paste, so it is not counted as allowing anything.`
        : `Policy "${p.label}" takes its sources from the Internet Service Database (${what}): read as denying every source (the safe side).`,
    ),
  );
  if (p.action !== "deny") return;
  const all: Resolved<AddressTerm>[] = ([4, 6] as const).map((f) => ({
    value: anyTerm(what, f),
    line: on.line,
    via: [],
  }));
  emitRule(ev.entries, all, { line: on.line, action: "deny", direction: "in", services: p.svc });
}

/** Protocols whose services carry ports: the complement of a service list is taken within each of them. */
const PORT_PROTOCOLS = ["tcp", "udp", "sctp"] as const;

/**
 * The services `service-negate enable` matches: for TCP, UDP and SCTP, every port the listed services leave out (a
 * listed service with no protocol, such as ALL, leaves nothing). Other protocols carry no port: not emitted.
 */
function complementServices(listed: readonly ServiceTerm[]): ServiceTerm[] {
  const out: ServiceTerm[] = [];
  for (const proto of PORT_PROTOCOLS) {
    const taken = listed.filter((t) => t.protocol === undefined || t.protocol === proto);
    if (taken.some((t) => t.ports === undefined)) continue;
    const ranges = taken.flatMap((t) => t.ports ?? []).sort((a, b) => a.from - b.from);
    const free: PortRange[] = [];
    let next = 0;
    for (const r of ranges) {
      if (r.from > next) free.push({ from: next, to: r.from - 1 });
      next = Math.max(next, r.to + 1);
    }
    if (next <= 65535) free.push({ from: next, to: 65535 });
    if (free.length > 0) out.push({ protocol: proto, ports: free });
  }
  return out;
}

interface PolicyRead {
  readonly e: Edit;
  /** The policy's name, or its id. */
  readonly label: string;
  readonly action: Entry["action"];
  readonly svc: readonly ServiceTerm[];
}

/** The entries of one address family of a policy: srcaddr (or srcaddr6) against that family's table. */
function emitPolicySide(
  ev: FortiEval,
  p: PolicyRead,
  key: "srcaddr" | "srcaddr6",
  table: ObjectTable<AddressTerm>,
  reached: Set<string>,
): void {
  const s = p.e.settings;
  const src = s.get(key);
  if (!src) return;
  const dst = s.get(key === "srcaddr" ? "dstaddr" : "dstaddr6");
  // The destination's addresses, for the diff's check against the catalog (Entry.destination); a VIP (the service's
  // public address), "all" or a negated destination names none.
  const ranges: Range[] = [];
  let any =
    dst === undefined || s.get(key === "srcaddr" ? "dstaddr-negate" : "dstaddr6-negate")?.values[0] === "enable";
  for (const name of dst?.values ?? []) {
    if (ev.vips.has(name)) {
      any = true;
      continue;
    }
    const resolved = table.resolve(name, dst!.line, ev.findings);
    for (const r of resolved) {
      if (r.value.kind === "any") any = true;
      ranges.push(r.value.range);
    }
    if (p.action === "allow") {
      reached.add(name);
      for (const r of resolved) for (const n of r.via) reached.add(n);
    }
  }
  const destination = namedDestination(dst?.values ?? [], ranges, any);
  const sources: Resolved<AddressTerm>[] = [];
  for (const name of src.values) {
    const ex = excluding(ev, name, table, src.line);
    if (ex !== undefined) for (const r of ex) sources.push(r);
    // The built-in "all" has no line of its own: it is highlighted on the policy's line.
    else
      for (const r of table.resolve(name, src.line, ev.findings))
        sources.push(r.line === PREDEFINED_LINE ? { ...r, line: src.line } : r);
    if (p.action === "allow") reached.add(name);
  }
  const rule = { line: src.line, action: p.action, direction: "in" as const, services: p.svc, destination };
  const negate = s.get(key === "srcaddr" ? "srcaddr-negate" : "srcaddr6-negate");
  if (negate?.values[0] === "enable") {
    ev.findings.push(
      finding(
        negate.line,
        "negation",
        `Policy "${p.label}" matches every source except the listed ones: read as all other addresses.`,
      ),
    );
    emitRule(
      ev.entries,
      negatedSources(sources, [table === ev.t4 ? 4 : 6], src.line, `not ${src.values.join(" ")}`),
      rule,
    );
    return;
  }
  emitRule(ev.entries, sources, rule);
}

function fortigateOutput(ev: FortiEval, text: string): ParseOutput {
  const { entries, findings } = ev;
  const notes: string[] = [];
  if (ev.ruleCount === 0 && ev.members.length > 0) {
    objectsAsAllowlist(ev.members, (n) => ev.t4.has(n) || ev.t6.has(n), entries, findings);
    notes.push(OBJECTS_ONLY_NOTE);
  } else if (ev.ruleCount > 0) {
    namesReachedByAllow(entries, ev.reached4);
    namesReachedByAllow(entries, ev.reached6);
    // The built-in "all" and "none" are never reported; a user's own objects are.
    for (const [table, reached] of [
      [ev.t4, ev.reached4],
      [ev.t6, ev.reached6],
    ] as const) {
      for (const f of unusedObjectFindings(table, reached, "Address"))
        if (f.line > 0 && !/^edit "?(?:all|none)"?$/.test(f.text)) findings.push(f);
    }
  }
  findings.sort((x, y) => x.line - y.line);
  const out: ParseOutput = { format: "fortigate", entries, findings, lineCount: countLines(text), notes };
  return ev.ruleCount > 0 ? { ...out, path: ev.route.path } : out;
}

/** The port of each service `set allowaccess` opens on an interface (FortiOS defaults: admin-sport 443, admin-port 80). */
const ACCESS_PORTS: Readonly<Record<string, number>> = { https: 443, http: 80, ssh: 22, telnet: 23, fgfm: 541 };

/**
 * The path through a FortiGate: in the VDOM that holds the Internet-facing interface (or the first with policies), the
 * firewall policies in list order (after `move`), whose srcintf is that interface, a zone holding it, or any; then the
 * implicit deny. local-in policies filter traffic to the FortiGate itself: on the path only for --path input.
 * Docs: FortiOS Administration Guide, "Firewall policy" (policy order, implicit deny, status, srcaddr-negate, address
 * group exclusion): https://docs.fortinet.com/document/fortigate/7.4.0/administration-guide/656084/firewall-policy
 */
function fortigatePath(
  edits: ReadonlyMap<Section, Edit[]>,
  vdoms: readonly { name: string; line: Line }[],
  options: ParseOptions,
): {
  path: PathInfo;
  contextOf: (vdom: string, kind: "policy" | "secpolicy" | "local-in") => number;
  ingressMatches: (srcintf: readonly string[]) => boolean;
  ingress: string;
} {
  const interfaces = edits.get("interface") ?? [];
  const zones = edits.get("zone") ?? [];
  const wan =
    options.ingress !== undefined
      ? { name: options.ingress, why: "given" }
      : (() => {
          const role = interfaces.find((i) => i.settings.get("role")?.values[0] === "wan");
          if (role) return { name: role.name, why: "set role wan" };
          const named = interfaces.find(
            (i) => looksInternetFacing(i.name) || looksInternetFacing(i.settings.get("alias")?.values[0] ?? ""),
          );
          if (named) return { name: named.name, why: "its name" };
          return undefined;
        })();
  const zonesOf = (intf: string): string[] =>
    zones.filter((z) => (z.settings.get("interface")?.values ?? []).some((i) => sameName(i, intf))).map((z) => z.name);
  const ingressNames = wan === undefined ? [] : [wan.name, ...zonesOf(wan.name)];
  const ingressMatches = (srcintf: readonly string[]): boolean =>
    wan === undefined ||
    srcintf.length === 0 ||
    srcintf.some((i) => i === "any" || ingressNames.some((n) => sameName(n, i)));
  // The VDOM of the Internet-facing interface ("set vdom" on it), else the first VDOM with policies.
  const wanVdom =
    wan === undefined ? undefined : interfaces.find((i) => sameName(i.name, wan.name))?.settings.get("vdom")?.values[0];
  const policyVdoms = [
    ...new Set(
      [
        ...(edits.get("policy") ?? []),
        ...(edits.get("policy6") ?? []),
        ...(edits.get("secpolicy") ?? []),
        ...(edits.get("local-in") ?? []),
      ].map((e) => e.vdom),
    ),
  ];
  const chosen = wanVdom !== undefined && policyVdoms.includes(wanVdom) ? wanVdom : (policyVdoms[0] ?? "");
  const input = options.path === "input";
  // Local-in policies have no implicit deny: "By default, no local-in policies are defined, so there are no restrictions
  // on local-in traffic" (https://docs.fortinet.com/document/fortigate/7.2.1/administration-guide/363127); what none
  // matches reaches the FortiGate's own services the interface's allowaccess opens (https: the admin GUI, on
  // admin-sport, 443 by default).
  const port = options.port ?? 443;
  const access = (
    wan === undefined
      ? []
      : (interfaces.find((i) => sameName(i.name, wan.name))?.settings.get("allowaccess")?.values ?? [])
  ).map((a) => a.toLowerCase());
  const opened = access.find((a) => ACCESS_PORTS[a] === port);
  const localInDefault: Pick<PathContext, "fallthrough" | "reason"> =
    opened !== undefined
      ? {
          fallthrough: "allow",
          reason: `Traffic to the FortiGate itself: local-in policies in list order, first match; what none matches reaches the service ${wan?.name ?? ""}'s allowaccess opens (${opened}, port ${port}): local-in policies have no implicit deny.`,
        }
      : {
          fallthrough: "deny",
          reason: `Traffic to the FortiGate itself: local-in policies in list order, first match; what none matches finds nothing on port ${port}: ${wan === undefined ? "no Internet-facing interface is known" : `${wan.name}'s allowaccess (${access.join(" ") || "none"}) opens no service on it`}.`,
        };
  const contexts: PathContext[] = [];
  const index = new Map<string, number>();
  for (const v of policyVdoms) {
    for (const kind of ["policy", "secpolicy", "local-in"] as const) {
      const localIn = kind === "local-in";
      const has =
        (edits.get(kind) ?? []).some((e) => e.vdom === v) ||
        (kind === "policy" && (edits.get("policy6") ?? []).some((e) => e.vdom === v));
      if (!has) continue;
      const where = v === "" ? "" : `VDOM ${v}: `;
      const onPath = v === chosen && localIn === input;
      const vline = vdoms.find((x) => x.name === v)?.line;
      index.set(`${v}|${kind}`, contexts.length);
      // NGFW policy-based mode: a connection passes a firewall (SSL inspection & authentication) policy, then a
      // security policy; each list is first match with its own implicit deny. Docs: FortiOS "NGFW policy mode"
      // ("Traffic will match the firewall policy first. If the traffic is allowed, packets are sent to the IPS engine"):
      // https://docs.fortinet.com/document/fortigate/6.2.1/new-features/370579
      contexts.push({
        name: `${where}${localIn ? "local-in policies" : kind === "secpolicy" ? "security policies (NGFW policy-based mode)" : "firewall policies"}`,
        line: vline?.n ?? 0,
        text: vline?.text ?? "",
        fallthrough: localIn ? localInDefault.fallthrough : "deny",
        onPath,
        ...(kind === "policy" ? { list: policyList(edits, v, `${where}firewall policies`, wan?.name ?? "any") } : {}),
        reason: onPath
          ? localIn
            ? localInDefault.reason
            : "Traffic through the FortiGate: policies in list order, first match, then the implicit deny."
          : v !== chosen
            ? `another VDOM: the Internet-facing interface is in ${chosen === "" ? "the root VDOM" : `VDOM ${chosen}`}`
            : localIn
              ? "local-in policies filter traffic to the FortiGate itself; the service is behind it (--path input for the FortiGate itself)"
              : "forwarded traffic: the service is the FortiGate itself (--path input)",
      });
    }
  }
  if (input && !index.has(`${chosen}|local-in`))
    // No local-in policy: the interface's allowaccess alone decides.
    contexts.push({
      name: `${chosen === "" ? "" : `VDOM ${chosen}: `}local-in (no local-in policy)`,
      line: 0,
      text: "",
      onPath: true,
      ...localInDefault,
    });
  const contextOf = (v: string, kind: "policy" | "secpolicy" | "local-in"): number => index.get(`${v}|${kind}`) ?? 0;
  const vdomNote = policyVdoms.length > 1 || chosen !== "" ? ` in VDOM ${chosen}` : "";
  const path: PathInfo = {
    contexts,
    kind: input ? "input" : "forward",
    ...(wan !== undefined ? { ingress: wan.name } : {}),
    assumption:
      wan === undefined
        ? `No interface has "set role wan" or a WAN-like name: every policy's srcintf is read as Internet-facing${vdomNote}. Override with --ingress IFACE.`
        : `Internet-facing interface: ${wan.name} (${wan.why})${vdomNote}; only policies whose srcintf is ${[...ingressNames, "any"].join(", ")} apply, to a service ${input ? "on the FortiGate itself (local-in)" : "behind the FortiGate"}. Override with --ingress IFACE or --path.`,
  };
  return { path, contextOf, ingressMatches, ingress: wan?.name ?? "" };
}
