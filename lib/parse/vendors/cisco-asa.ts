/**
 * Cisco ASA running config: `name` aliases, `object network|service`, `object-group network|service|protocol`,
 * `access-list … extended` and `access-group … in|out interface|global`.
 * ACL lines are read after the whole paste, because they need the object-group types and the bindings.
 */
import { parseAddress, parseRange } from "../../ip";
import type { Entry, Finding, ParseOptions, ParseOutput, Parser } from "../types";
import {
  OBJECTS_ONLY_NOTE,
  ObjectTable,
  addObjectMember,
  addressTerm,
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
import { ciscoPath, ciscoProtocol, ciscoServiceSpec, isPortOperator, parseCiscoAddress, parseCiscoPorts } from "./cisco";
import type { AddressGrammar, CiscoBinding, CiscoInterface } from "./cisco";
import { conditionalUnmet, joinUnmet, looksInternetFacing, tagEntries } from "./pathkit";

type GroupKind = "network" | "service" | "port" | "protocol";

type Block =
  | { readonly t: "netobj" | "netgroup" | "svcobj" | "svcgroup" | "portgroup" | "protogroup"; readonly name: string; readonly line: Line }
  | { readonly t: "other" };

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

function parseAsa(text: string, options: ParseOptions = {}): ParseOutput {
  const lines = splitLines(text);
  const findings: Finding[] = [];
  const entries: Entry[] = [];
  const addrs = new ObjectTable<AddressTerm>();
  const members: ObjectMember[] = [];
  const services = new ObjectTable<ServiceTerm>();
  const groupKinds = new Map<string, GroupKind>();
  const natObjects = new Set<string>();
  const names = new Map<string, string>();
  const acls = new Map<string, AclLine[]>();
  const bindings: CiscoBinding[] = [];
  const interfaces: CiscoInterface[] = [];
  let iface: OpenInterface | undefined;
  const closeInterface = (): void => {
    if (iface?.nameif === undefined) return void (iface = undefined);
    const why = iface.level === 0 ? "security-level 0" : looksInternetFacing(iface.nameif) ? `nameif ${iface.nameif}` : undefined;
    interfaces.push({ name: iface.nameif, line: iface.line, ...(why ? { internet: why } : {}) });
    iface = undefined;
  };
  const grammar: AddressGrammar = { mask: "netmask", anyFamilies: [4, 6], names };
  let block: Block = { t: "other" };

  const netMember = (b: { name: string; line: Line }, w: string[], at: number, line: Line): void => {
    const r = parseCiscoAddress(w, at, grammar);
    if (!r.ok) return void findings.push(finding(line, r.kind, r.message));
    if (r.next !== w.length) return void findings.push(finding(line, "not-understood", "Unexpected words after the address."));
    if ("ref" in r.operand) addObjectMember(addrs, members, b.name, { ref: r.operand.ref, line }, b.line);
    else for (const t of r.operand.terms) addObjectMember(addrs, members, b.name, { value: t, line }, b.line);
  };

  /** Handles a line as a sub-command of the open block; false when it is not one (so it is a top-level command). */
  const subCommand = (w: string[], line: Line, indented: boolean): boolean => {
    const k = w[0]!;
    if (block.t === "other") return indented;
    if (k === "description") return true;
    const b = block;
    switch (b.t) {
      case "netobj":
        if (k === "host") {
          const t = addressTerm(w[1] ?? "", names.get(w[1] ?? "") ?? w[1] ?? "");
          if (t && w.length === 2) addObjectMember(addrs, members, b.name, { value: t, line }, b.line);
          else findings.push(finding(line, "invalid", `"${w.slice(1).join(" ")}" is not one address.`));
          return true;
        }
        if (k === "subnet") {
          netMember(b, w, 1, line);
          return true;
        }
        if (k === "range") {
          const r = parseRange(`${w[1] ?? ""}-${w[2] ?? ""}`);
          if (r.ok && w.length === 3) {
            addObjectMember(addrs, members, b.name, { value: { token: `${w[1]} ${w[2]}`, range: r.value, kind: "range" }, line }, b.line);
          } else findings.push(finding(line, "invalid", r.ok ? "Unexpected words after the range." : `Range: ${r.error.message}.`));
          return true;
        }
        if (k === "fqdn") {
          findings.push(finding(line, "hostname", `"${w[w.length - 1]}" is a DNS name: it cannot be checked.`));
          return true;
        }
        // Object NAT ("nat (in,out) static …"); twice NAT ("nat (in,out) source …") is a top-level command.
        if (k === "nat" && !w.includes("source")) {
          natObjects.add(b.name);
          return true;
        }
        return false;
      case "netgroup":
        if (k === "network-object") {
          netMember(b, w, 1, line);
          return true;
        }
        if (k === "group-object") {
          addObjectMember(addrs, members, b.name, { ref: w[1] ?? "", line }, b.line);
          return true;
        }
        return false;
      case "svcobj":
        if (k !== "service") return false;
        addServices(b.name, ciscoServiceSpec(w, 1), line, b.line);
        return true;
      case "svcgroup":
        if (k === "service-object") {
          if (w[1] === "object") services.addMember(b.name, { ref: w[2] ?? "", line }, b.line);
          else addServices(b.name, ciscoServiceSpec(w, 1), line, b.line);
          return true;
        }
        if (k === "group-object") {
          services.addMember(b.name, { ref: w[1] ?? "", line }, b.line);
          return true;
        }
        return false;
      case "portgroup":
        if (k === "port-object") {
          const p = isPortOperator(w[1]) ? parseCiscoPorts(w, 1, false) : undefined;
          if (p?.ports && p.next === w.length) services.addMember(b.name, { value: { ports: p.ports }, line }, b.line);
          else findings.push(finding(line, "invalid", "The port object does not parse."));
          return true;
        }
        if (k === "group-object") {
          services.addMember(b.name, { ref: w[1] ?? "", line }, b.line);
          return true;
        }
        return false;
      case "protogroup":
        if (k === "protocol-object") {
          const protocol = ciscoProtocol(w[1] ?? "ip");
          services.addMember(b.name, { value: protocol === undefined ? {} : { protocol }, line }, b.line);
          return true;
        }
        if (k === "group-object") {
          services.addMember(b.name, { ref: w[1] ?? "", line }, b.line);
          return true;
        }
        return false;
    }
  };

  const addServices = (name: string, spec: ServiceTerm[] | string, line: Line, defLine: Line): void => {
    if (typeof spec === "string") return void findings.push(finding(line, "invalid", spec));
    for (const s of spec) services.addMember(name, { value: s, line }, defLine);
  };

  const openGroup = (name: string, t: Exclude<Block, { t: "other" }>["t"], line: Line, kind: GroupKind | undefined): void => {
    block = { t, name, line };
    // "show running-config" lists an object again in the NAT section: a second block adds to the first.
    if (kind === "network" && !addrs.has(name)) addrs.define(name, { line, members: [] });
    else if (kind && kind !== "network" && !services.has(name)) services.define(name, { line, members: [] });
    if (kind) groupKinds.set(name, kind);
  };

  const rawLines = text.split("\n");
  for (const line of lines) {
    if (line.text === "" || line.text.startsWith("!") || line.text.startsWith(":")) continue;
    const w = tokenize(line.text);
    const k = w[0]!;
    const indented = /^[ \t]/.test(rawLines[line.n - 1] ?? "");
    if (iface !== undefined && indented) {
      if (k === "nameif" && w[1] !== undefined) iface.nameif = w[1];
      else if (k === "security-level" && /^\d+$/.test(w[1] ?? "")) iface.level = Number(w[1]);
      continue;
    }
    closeInterface();
    if (k === "interface" && !indented) {
      block = { t: "other" };
      iface = { line };
      continue;
    }
    if (subCommand(w, line, indented)) continue;
    if (indented && block.t !== "other") {
      findings.push(finding(line, "not-understood", "This line is not understood inside the object block."));
      continue;
    }
    block = { t: "other" };
    const name = w[2];
    if (k === "object" && name !== undefined && (w[1] === "network" || w[1] === "service")) {
      openGroup(name, w[1] === "network" ? "netobj" : "svcobj", line, w[1] === "network" ? "network" : "service");
    } else if (k === "object-group" && name !== undefined) {
      if (w[1] === "network") openGroup(name, "netgroup", line, "network");
      else if (w[1] === "service" && w[3] !== undefined) openGroup(name, "portgroup", line, "port");
      else if (w[1] === "service") openGroup(name, "svcgroup", line, "service");
      else if (w[1] === "protocol") openGroup(name, "protogroup", line, "protocol");
      // icmp-type, user and security groups hold no addresses: their members stay in an ignored block.
    } else if (k === "name" && w[1] !== undefined && name !== undefined) {
      if (parseAddress(w[1]).ok) names.set(name, w[1]);
      else findings.push(finding(line, "invalid", `"${w[1]}" is not a valid address.`));
    } else if (k === "access-list" && w[1] !== undefined) {
      if (w[2] === "remark" || w[2] === "ethertype") continue;
      const list = acls.get(w[1]);
      if (list) list.push({ acl: w[1], line, words: w });
      else acls.set(w[1], [{ acl: w[1], line, words: w }]);
    } else if (k === "access-group" && w[1] !== undefined) {
      if (w[2] === "global") bindings.push({ acl: w[1], dir: "in", where: "global", kind: "global", line });
      else if (isDirection(w[2]) && w[3] === "interface" && w[4] !== undefined) bindings.push({ acl: w[1], dir: w[2], where: w[4], kind: "interface", line });
      else findings.push(finding(line, "not-understood", "Expected \"access-group NAME in|out interface IF\" or \"global\"."));
    } else if (k === "nat") {
      // Twice NAT names objects and groups: they are in use, though not by an access rule.
      for (const word of w) natObjects.add(word);
    } else if (!IRRELEVANT.has(k.toLowerCase()) && looksAddressBearing(line.text)) {
      findings.push(finding(line, "not-understood", "This line holds an address but is not understood."));
    }
  }

  closeInterface();
  let ruleCount = 0;
  const reached = new Set<string>();
  const standardAcls = new Set<string>();
  for (const [acl, aclLines] of acls) {
    if (aclLines.every((a) => a.words[2] === "standard")) {
      standardAcls.add(acl);
      findings.push(finding(aclLines[0]!.line, "note", `"${acl}" is a standard ACL: on an ASA it matches route destinations, not traffic, so it is not read.`));
    }
  }
  const traffic = [...acls].filter(([acl]) => !standardAcls.has(acl)).map(([acl, l]) => ({ name: acl, line: l[0]!.line }));
  const { path, acls: placed } = ciscoPath("asa", traffic, bindings.filter((b) => !standardAcls.has(b.acl)), interfaces, options);
  for (const b of bindings) {
    if (!acls.has(b.acl)) findings.push(finding(b.line, "undefined-reference", `ACL "${b.acl}" is bound here but not defined in this paste.`));
  }
  for (const [acl, place] of placed) {
    const aclLines = acls.get(acl);
    if (aclLines === undefined || standardAcls.has(acl)) continue;
    for (const a of aclLines) {
      ruleCount++;
      const from = entries.length;
      const unmet = readAce(a, place.direction);
      tagEntries(entries, from, place.context, unmet);
    }
  }

  /** Reads one ACE into entries; returns the condition a new inbound SYN cannot meet, if any. */
  function readAce(a: AclLine, direction: Entry["direction"]): string | undefined {
    const w = a.words;
    const line = a.line;
    let j = 2;
    if (w[j] === "line") j += 2;
    if (w[j] !== "extended") {
      return void findings.push(finding(line, "not-understood", `"access-list … ${w[j] ?? ""}" entries are not read.`));
    }
    const actionWord = w[j + 1];
    if (actionWord !== "permit" && actionWord !== "deny") {
      return void findings.push(finding(line, "not-understood", 'Expected "permit" or "deny".'));
    }
    const action = actionWord === "permit" ? "allow" : "deny";
    j += 2;
    // Protocol: a word, or a service/protocol object or group.
    let protocols: ServiceTerm[] = [];
    let fullServices = false;
    const protoWord = w[j];
    if (protoWord === undefined) return void findings.push(finding(line, "invalid", "The protocol is missing."));
    if (protoWord === "object" || protoWord === "object-group") {
      const name = w[j + 1] ?? "";
      protocols = services.resolve(name, line, findings).map((r) => r.value);
      fullServices = groupKinds.get(name) !== "protocol";
      j += 2;
    } else {
      const protocol = ciscoProtocol(protoWord);
      protocols = [protocol === undefined ? {} : { protocol }];
      j++;
    }
    const src = parseCiscoAddress(w, j, grammar);
    if (!src.ok) return void findings.push(finding(line, src.kind, src.message));
    j = src.next;
    // A source port: the webhook sender picks an ephemeral one, so the paste cannot tell whether it matches.
    const conditions: string[] = [];
    if (isPortOperator(w[j])) {
      const sp = parseCiscoPorts(w, j, false);
      conditions.push(`only source port ${w.slice(j, sp.next).join(" ")} (a client's source port is ephemeral)`);
      j = sp.next;
    } else if (w[j] === "object-group" && groupKinds.get(w[j + 1] ?? "") === "port") {
      conditions.push(`only source ports of ${w[j + 1]} (a client's source port is ephemeral)`);
      j += 2;
    }
    const dst = parseCiscoAddress(w, j, grammar);
    if (!dst.ok) return void findings.push(finding(line, dst.kind, dst.message));
    j = dst.next;
    let ports: ServiceTerm["ports"];
    if (isPortOperator(w[j])) {
      const p = parseCiscoPorts(w, j, false);
      if (!p.ports) return void findings.push(finding(line, "invalid", "The destination ports do not parse."));
      ports = p.ports;
      j = p.next;
    } else if (w[j] === "object-group" && groupKinds.get(w[j + 1] ?? "") === "port") {
      ports = services.resolve(w[j + 1]!, line, findings).flatMap((r) => r.value.ports ?? []);
      j += 2;
    }
    const rest = w.slice(j);
    const inactive = rest.includes("inactive") ? "inactive (the ASA skips it)" : undefined;
    const tr = rest.indexOf("time-range");
    if (tr >= 0) {
      const name = rest[tr + 1] ?? "";
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
    const svc = fullServices ? protocols : protocols.map((p) => ({ ...p, ...(ports ? { ports } : {}) }));
    const sources: Resolved<AddressTerm>[] = [];
    if ("ref" in src.operand) {
      sources.push(...addrs.resolve(src.operand.ref, line, findings));
      if (action === "allow") reached.add(src.operand.ref);
    } else for (const t of src.operand.terms) sources.push({ value: t, line, via: [] });
    if ("ref" in dst.operand) {
      // Destinations are not checked, but their names must exist, and an allow rule's count as used.
      const resolved = addrs.resolve(dst.operand.ref, line, findings);
      if (action === "allow") {
        for (const r of resolved) for (const n of r.via) reached.add(n);
        reached.add(dst.operand.ref);
      }
    }
    emitRule(entries, sources, { line, action, direction, services: svc });
    return joinUnmet(inactive, conditionalUnmet(action, conditions));
  }

  const notes: string[] = [];
  if (ruleCount === 0 && members.length > 0) {
    objectsAsAllowlist(members, (n) => addrs.has(n), entries, findings);
    notes.push(OBJECTS_ONLY_NOTE);
  } else if (ruleCount > 0) {
    namesReachedByAllow(entries, reached);
    for (const n of natObjects) {
      if (!addrs.has(n)) continue;
      reached.add(n);
      // Loops and undefined names inside were already reported when an ACL used them, or do not matter to NAT.
      for (const r of addrs.resolve(n, addrs.definitionLine(n)!, [])) for (const v of r.via) reached.add(v);
    }
    findings.push(...unusedObjectFindings(addrs, reached, "Object"));
  }
  findings.sort((x, y) => x.line - y.line);
  const out: ParseOutput = { format: "cisco-asa", entries, findings, lineCount: countLines(text), notes };
  return ruleCount > 0 ? { ...out, path } : out;
}
