/**
 * Cisco IOS / IOS-XE running config: named (`ip access-list extended|standard`, `ipv6 access-list`) and numbered
 * ACLs with wildcard masks, `object-group network|service`, and their bindings (`ip access-group`,
 * `ipv6 traffic-filter`, `access-class`). ACLs are read after the whole paste, because the bindings may follow them.
 */
import { parseRange } from "../../ip";
import type { Direction, Entry, Finding, ParseOptions, ParseOutput, Parser } from "../types";
import {
  OBJECTS_ONLY_NOTE,
  ObjectTable,
  addObjectMember,
  countLines,
  emitRule,
  finding,
  looksAddressBearing,
  namesReachedByAllow,
  objectsAsAllowlist,
  splitLines,
  tokenize,
  unusedObjectFindings,
} from "./common";
import type { AddressTerm, Line, ObjectMember, Resolved, ServiceTerm } from "./common";
import { ciscoPath, ciscoProtocol, ciscoServiceSpec, indentation, iosInternetSign, isPortOperator, parseCiscoAddress, parseCiscoPorts } from "./cisco";
import type { AddressGrammar, CiscoBinding, CiscoInterface } from "./cisco";
import { conditionalUnmet, joinUnmet, tagEntries } from "./pathkit";

interface Acl {
  readonly name: string;
  readonly family: 4 | 6;
  readonly standard: boolean;
  readonly line: Line;
  readonly aces: { readonly line: Line; readonly words: string[] }[];
}

type Block =
  | { readonly t: "acl"; readonly acl: Acl }
  | { readonly t: "netgroup" | "svcgroup"; readonly name: string; readonly line: Line }
  | { readonly t: "other" };

/** Top-level commands with no allowlist meaning even when they hold addresses (routes, NAT, logging hosts …). */
const IRRELEVANT = new Set(
  (
    "version service hostname boot boot-start-marker boot-end-marker enable aaa clock ip ipv6 no username crypto " +
    "interface router line logging snmp-server ntp end control-plane license archive redundancy spanning-tree vlan " +
    "cdp lldp memory-size multilink vtp class-map policy-map track event alias privilege tacacs-server radius-server " +
    "radius tacacs key call-home diagnostic platform subscriber mpls route-map dial-peer voice exit vrf"
  ).split(" "),
);

const STANDARD_NUMBERS = (n: number): boolean => (n >= 1 && n <= 99) || (n >= 1300 && n <= 1999);
const EXTENDED_NUMBERS = (n: number): boolean => (n >= 100 && n <= 199) || (n >= 2000 && n <= 2699);

export const ciscoIosParser: Parser = {
  id: "cisco-ios",
  label: "Cisco IOS / IOS-XE",
  detect(text) {
    const head = text.slice(0, 20000);
    // ASA configs share some ACL words; their own markers rule IOS out.
    if (/^(?:: Saved|ASA Version \d)|^access-list \S+ (?:line \d+ )?extended /m.test(head)) return 0.1;
    let score = 0;
    if (/^ip access-list (?:extended|standard) \S+/m.test(head)) score = 0.95;
    if (/^access-list \d+ (?:permit|deny) /m.test(head)) score = Math.max(score, 0.9);
    if (/^ipv6 access-list \S+/m.test(head)) score = Math.max(score, 0.85);
    if (/^\s*ip access-group \S+ (?:in|out)\b/m.test(head)) score = Math.max(score, 0.85);
    // ASA groups list "network-object" members; IOS ones list bare hosts and subnets.
    if (/^object-group network \S+/m.test(head) && !/^\s*network-object /m.test(head)) score = Math.max(score, 0.7);
    if (/^(?:Building configuration|Current configuration : \d+|version 1\d\.\d)/m.test(head)) score = Math.max(score, 0.5);
    return score;
  },
  parse: parseIos,
};

function parseIos(text: string, options: ParseOptions = {}): ParseOutput {
  const lines = splitLines(text);
  const findings: Finding[] = [];
  const entries: Entry[] = [];
  const addrs = new ObjectTable<AddressTerm>();
  const members: ObjectMember[] = [];
  const services = new ObjectTable<ServiceTerm>();
  const acls = new Map<string, Acl>();
  const bindings: CiscoBinding[] = [];
  const interfaces: CiscoInterface[] = [];
  // The interface or line block open now, where bindings land: "GigabitEthernet0/0", "line vty 0 4".
  let owner: { name: string; kind: "interface" | "line"; line: Line; internet?: string } | undefined;
  const closeOwner = (): void => {
    if (owner?.kind === "interface") interfaces.push({ name: owner.name, line: owner.line, ...(owner.internet ? { internet: owner.internet } : {}) });
    owner = undefined;
  };
  const indentedLines = indentation(text);
  let block: Block = { t: "other" };
  let bannerEnd: string | undefined;

  const aclFor = (name: string, family: 4 | 6, standard: boolean, line: Line): Acl => {
    let acl = acls.get(name);
    if (!acl) {
      acl = { name, family, standard, line, aces: [] };
      acls.set(name, acl);
    }
    return acl;
  };

  const bind = (name: string | undefined, dir: string | undefined, line: Line, access: "interface" | "line"): void => {
    if (name === undefined || (dir !== "in" && dir !== "out")) {
      return void findings.push(finding(line, "not-understood", "Expected an ACL name and in|out."));
    }
    const kind = access === "line" || owner?.kind === "line" ? "line" : "interface";
    bindings.push({ acl: name, dir, where: owner?.name ?? (kind === "line" ? "a vty line" : "an interface"), kind, line });
  };

  /** A sub-command of the open block; false when the line is not one. */
  const subCommand = (w: string[], line: Line): boolean => {
    const k = w[0]!;
    const b = block;
    switch (b.t) {
      case "acl":
        if (k === "permit" || k === "deny" || k === "remark" || isDigits(k) || k === "sequence" || k === "evaluate") {
          b.acl.aces.push({ line, words: w });
          return true;
        }
        return false;
      case "netgroup": {
        if (k === "description") return true;
        if (k === "group-object") {
          addObjectMember(addrs, members, b.name, { ref: w[1] ?? "", line }, b.line);
          return true;
        }
        if (k === "range") {
          const r = parseRange(`${w[1] ?? ""}-${w[2] ?? ""}`);
          if (r.ok && w.length === 3) {
            addObjectMember(addrs, members, b.name, { value: { token: `${w[1]} ${w[2]}`, range: r.value, kind: "range" }, line }, b.line);
          } else findings.push(finding(line, "invalid", r.ok ? "Unexpected words after the range." : `Range: ${r.error.message}.`));
          return true;
        }
        if (k !== "host" && k !== "any" && !/^[0-9a-f:.]+(?:\/\d+)?$/i.test(k)) return false;
        // Object-group members are written with netmasks, unlike ACL entries.
        const r = parseCiscoAddress(w, 0, { mask: "netmask", anyFamilies: [4] });
        if (!r.ok) findings.push(finding(line, r.kind, r.message));
        else if (r.next !== w.length) findings.push(finding(line, "not-understood", "Unexpected words after the address."));
        else if ("terms" in r.operand) for (const t of r.operand.terms) addObjectMember(addrs, members, b.name, { value: t, line }, b.line);
        return true;
      }
      case "svcgroup": {
        if (k === "description") return true;
        if (k === "group-object") {
          services.addMember(b.name, { ref: w[1] ?? "", line }, b.line);
          return true;
        }
        if (!/^(?:tcp|udp|tcp-udp|icmp|ip|ipv6|sctp|gre|esp|ahp|\d+)$/.test(k)) return false;
        const spec = ciscoServiceSpec(w, 0);
        if (typeof spec === "string") findings.push(finding(line, "invalid", spec));
        else for (const s of spec) services.addMember(b.name, { value: s, line }, b.line);
        return true;
      }
      case "other":
        return false;
    }
  };

  for (const line of lines) {
    if (bannerEnd !== undefined) {
      if (line.text.includes(bannerEnd)) bannerEnd = undefined;
      continue;
    }
    if (line.text === "" || line.text.startsWith("!")) continue;
    const w = tokenize(line.text);
    const k = w[0]!;
    const indented = indentedLines[line.n - 1] === 1;
    if (!indented && owner !== undefined) closeOwner();
    if (!indented && (k === "interface" || k === "line") && w[1] !== undefined) {
      block = { t: "other" };
      owner = k === "interface" ? { name: w[1], kind: "interface", line } : { name: w.join(" "), kind: "line", line };
      continue;
    }
    if (indented && owner?.kind === "interface" && owner.internet === undefined) {
      const sign = iosInternetSign(w);
      if (sign !== undefined) owner.internet = sign;
    }
    if (subCommand(w, line)) continue;
    if (block.t !== "other" && indented) {
      findings.push(finding(line, "not-understood", "This line is not understood inside the block."));
      continue;
    }
    // Bindings live inside interface and line blocks, which are otherwise irrelevant.
    if (k === "ip" && w[1] === "access-group") {
      bind(w[2], w[3], line, "interface");
      continue;
    }
    if ((k === "ipv6" && (w[1] === "traffic-filter" || w[1] === "access-class")) || k === "access-class") {
      const at = k === "access-class" ? 1 : 2;
      bind(w[at], w[at + 1], line, w[1] === "traffic-filter" ? "interface" : "line");
      continue;
    }
    if (block.t === "other" && indented) continue;
    block = { t: "other" };
    if (k === "ip" && w[1] === "access-list" && (w[2] === "extended" || w[2] === "standard") && w[3] !== undefined) {
      block = { t: "acl", acl: aclFor(w[3], 4, w[2] === "standard", line) };
    } else if (k === "ipv6" && w[1] === "access-list" && w[2] !== undefined) {
      block = { t: "acl", acl: aclFor(w[2], 6, false, line) };
    } else if (k === "access-list" && w[1] !== undefined && /^\d+$/.test(w[1])) {
      const n = Number(w[1]);
      if (!STANDARD_NUMBERS(n) && !EXTENDED_NUMBERS(n)) {
        findings.push(finding(line, "not-understood", `ACL number ${n} is not an IPv4 standard or extended ACL.`));
        continue;
      }
      aclFor(w[1], 4, STANDARD_NUMBERS(n), line).aces.push({ line, words: w.slice(2) });
    } else if (k === "object-group" && (w[1] === "network" || w[1] === "service") && w[2] !== undefined) {
      block = { t: w[1] === "network" ? "netgroup" : "svcgroup", name: w[2], line };
      if (w[1] === "network" && !addrs.has(w[2])) addrs.define(w[2], { line, members: [] });
      else if (w[1] === "service" && !services.has(w[2])) services.define(w[2], { line, members: [] });
    } else if (k === "banner") {
      // "banner motd ^C … ^C": the text runs until the delimiter comes back.
      const rest = line.text.slice(line.text.indexOf(w[1] ?? "") + (w[1] ?? "").length).trimStart();
      const delim = rest.startsWith("^C") ? "^C" : rest.charAt(0);
      if (delim !== "" && !rest.slice(delim.length).includes(delim)) bannerEnd = delim;
    } else if (!IRRELEVANT.has(k.toLowerCase()) && looksAddressBearing(line.text)) {
      findings.push(finding(line, "not-understood", "This line holds an address but is not understood."));
    }
  }

  closeOwner();
  let ruleCount = 0;
  const reached = new Set<string>();
  const grammars = new Map<Acl, AddressGrammar>();
  const { path, acls: placed } = ciscoPath("ios", [...acls.values()].map((a) => ({ name: a.name, line: a.line })), bindings, interfaces, options);
  for (const b of bindings) {
    if (!acls.has(b.acl)) findings.push(finding(b.line, "undefined-reference", `ACL "${b.acl}" is bound here but not defined in this paste.`));
  }
  for (const [name, place] of placed) {
    const acl = acls.get(name);
    if (acl === undefined) continue;
    grammars.set(acl, { mask: "wildcard", anyFamilies: [acl.family], bareIsHost: acl.standard });
    const direction: Direction = place.direction;
    for (const ace of acl.aces) {
      const w = ace.words;
      let j = 0;
      if (w[j] === "sequence" || isDigits(w[j])) j += w[j] === "sequence" ? 2 : 1;
      if (w[j] === "remark") continue;
      if (w[j] !== "permit" && w[j] !== "deny") {
        findings.push(finding(ace.line, "not-understood", `"${w[j] ?? ""}" entries are not read.`));
        continue;
      }
      ruleCount++;
      const from = entries.length;
      const unmet = readAce(acl, ace.line, w, j, direction);
      tagEntries(entries, from, place.context, unmet);
    }
  }

  /** Reads one ACE into entries; returns the condition a new inbound SYN cannot meet, if any. */
  function readAce(acl: Acl, line: Line, w: string[], at: number, direction: Direction): string | undefined {
    const action = w[at] === "permit" ? "allow" : "deny";
    const grammar = grammars.get(acl)!;
    let j = at + 1;
    let protocols: ServiceTerm[] | undefined;
    let protocol: string | undefined;
    let fullServices = false;
    if (!acl.standard) {
      const protoWord = w[j];
      if (protoWord === undefined) return void findings.push(finding(line, "invalid", "The protocol is missing."));
      if (protoWord === "object-group") {
        protocols = services.resolve(w[j + 1] ?? "", line, findings).map((r) => r.value);
        fullServices = true;
        j += 2;
      } else {
        protocol = ciscoProtocol(protoWord);
        j++;
      }
    }
    const src = parseCiscoAddress(w, j, grammar);
    if (!src.ok) return void findings.push(finding(line, src.kind, src.message));
    j = src.next;
    let ports: ServiceTerm["ports"];
    if (acl.standard && w.slice(j).some((x) => x !== "log" && x !== "log-input")) {
      return void findings.push(finding(line, "not-understood", `Unexpected words after the address: "${w.slice(j).join(" ")}".`));
    }
    const conditions: string[] = [];
    if (!acl.standard) {
      if (isPortOperator(w[j])) {
        const sp = parseCiscoPorts(w, j, true);
        conditions.push(`only source port ${w.slice(j, sp.next).join(" ")} (a client's source port is ephemeral)`);
        j = sp.next;
      }
      const dst = parseCiscoAddress(w, j, grammar);
      if (!dst.ok) return void findings.push(finding(line, dst.kind, dst.message));
      j = dst.next;
      if ("ref" in dst.operand) {
        const resolved = addrs.resolve(dst.operand.ref, line, findings);
        if (action === "allow") {
          reached.add(dst.operand.ref);
          for (const r of resolved) for (const n of r.via) reached.add(n);
        }
      }
      if (isPortOperator(w[j])) {
        const p = parseCiscoPorts(w, j, true);
        if (!p.ports) return void findings.push(finding(line, "invalid", "The destination ports do not parse."));
        ports = p.ports;
        j = p.next;
      }
    }
    // "established" matches only segments with ACK or RST set: never the SYN that opens a connection.
    const established = w.indexOf("established", j) >= 0 ? "established: only packets with ACK or RST set, never a new connection's SYN" : undefined;
    const fragments = w.indexOf("fragments", j) >= 0 ? "fragments: only non-initial fragments, never a SYN" : undefined;
    const inactive = w.indexOf("inactive", j) >= 0 ? "inactive" : undefined;
    const tr = w.indexOf("time-range", j);
    if (tr >= 0) {
      const name = w[tr + 1] ?? "";
      conditions.push(`only during time-range ${name}`);
      findings.push(
        finding(
          line,
          "note",
          action === "allow"
            ? `Active only during time-range ${name}: not counted as coverage (the paste cannot tell when it applies).`
            : `Active only during time-range ${name}: read as always denying (the safe side).`,
        ),
      );
    }
    const sources: Resolved<AddressTerm>[] = [];
    if ("ref" in src.operand) {
      sources.push(...addrs.resolve(src.operand.ref, line, findings));
      if (action === "allow") reached.add(src.operand.ref);
    } else for (const t of src.operand.terms) sources.push({ value: t, line, via: [] });
    let svc: ServiceTerm[];
    if (fullServices && protocols) svc = protocols;
    else {
      const term: { protocol?: string; ports?: ServiceTerm["ports"] } = {};
      if (protocol !== undefined) term.protocol = protocol;
      if (ports) term.ports = ports;
      svc = [term];
    }
    emitRule(entries, sources, { line, action, direction, services: svc });
    return joinUnmet(established, fragments, inactive, conditionalUnmet(action, conditions));
  }

  const notes: string[] = [];
  if (ruleCount === 0 && members.length > 0) {
    objectsAsAllowlist(members, (n) => addrs.has(n), entries, findings);
    notes.push(OBJECTS_ONLY_NOTE);
  } else if (ruleCount > 0) {
    findings.push(...unusedObjectFindings(addrs, namesReachedByAllow(entries, reached), "Object group"));
  }
  findings.sort((x, y) => x.line - y.line);
  const out: ParseOutput = { format: "cisco-ios", entries, findings, lineCount: countLines(text), notes };
  return ruleCount > 0 ? { ...out, path } : out;
}

function isDigits(word: string | undefined): boolean {
  if (word === undefined || word.length === 0) return false;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}
