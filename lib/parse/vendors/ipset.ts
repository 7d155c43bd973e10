/**
 * `ipset save` output (create/add lines). The same reader serves iptables pastes, whose
 * `-m set --match-set NAME src` rules resolve against sets created in the same paste.
 */
import type { Entry, Finding, ParseOutput, Parser, PortRange } from "../types";
import type { Family } from "../../ip/types";
import {
  type AddressTerm,
  type Line,
  ObjectTable,
  OBJECTS_ONLY_NOTE,
  SERVICE_PORTS,
  countLines,
  finding,
  parsePortRange,
  readAddressTerm,
  splitLines,
  tokenize,
} from "./common";
import { makeEntry } from "./linuxcommon";

/** One set member: an address term, and the port part of hash:*,port types. */
export interface SetMember {
  readonly term: AddressTerm;
  readonly protocol?: string;
  readonly ports?: readonly PortRange[];
  readonly comment?: string;
}

export interface SetInfo {
  readonly line: Line;
  readonly type: string;
  readonly family?: Family;
}

/** Sets of one paste: definitions plus an ObjectTable for members (list:set members are references). */
export class IpsetTable {
  readonly objects = new ObjectTable<SetMember>();
  readonly sets = new Map<string, SetInfo>();
  /** Every create line in order, for the objects-only reading and unused-set findings. */
  readonly order: string[] = [];

  /** Reads a create/add line; false when the line is not an ipset command. */
  read(line: Line, words: readonly string[], findings: Finding[]): boolean {
    const cmd = words[0];
    if (cmd !== "create" && cmd !== "add" && cmd !== "-N" && cmd !== "-A" && cmd !== "-exist") return false;
    const args = words[0] === "-exist" ? words.slice(1) : words;
    const verb = args[0] === "create" || args[0] === "-N" ? "create" : args[0] === "add" || args[0] === "-A" ? "add" : undefined;
    const name = args[1];
    if (!verb || name === undefined) {
      findings.push(finding(line, "not-understood", "An ipset command without a set name."));
      return true;
    }
    if (verb === "create") {
      const type = args[2] ?? "hash:ip";
      const famIdx = args.indexOf("family");
      const fam = famIdx >= 0 ? args[famIdx + 1] : undefined;
      const family: Family | undefined = fam === "inet6" ? 6 : fam === "inet" ? 4 : undefined;
      this.sets.set(name, { line, type, ...(family ? { family } : {}) });
      if (!this.objects.has(name)) this.objects.define(name, { line, members: [] });
      this.order.push(name);
      return true;
    }
    this.readMember(line, name, args.slice(2), findings);
    return true;
  }

  private readMember(line: Line, name: string, rest: readonly string[], findings: Finding[]): void {
    const info = this.sets.get(name);
    const value = rest[0];
    if (value === undefined) {
      findings.push(finding(line, "not-understood", `"add ${name}" without an element.`));
      return;
    }
    if (!info) {
      findings.push(finding(line, "undefined-reference", `Set "${name}" is not created in this paste.`));
    }
    if (rest.includes("nomatch")) {
      findings.push(finding(line, "negation", `A "nomatch" element is an exception inside set "${name}": it is not read as a member.`));
      return;
    }
    const type = info?.type ?? "hash:ip";
    if (type.startsWith("list:")) {
      this.objects.addMember(name, { ref: value, line }, line);
      return;
    }
    const commentAt = rest.indexOf("comment");
    const comment = commentAt >= 0 ? rest[commentAt + 1] : undefined;
    const parts = value.split(",");
    const addr = parts[0] ?? "";
    const t = readAddressTerm(addr);
    if (!t.ok) {
      findings.push(finding(line, t.kind, t.message));
      return;
    }
    // The second component of hash:ip,port / hash:net,port is "[proto:]port"; other second components (iface, ip, mark) do not restrict the port.
    const dims = type.split(":")[1]?.split(",") ?? [];
    let service: { protocol?: string; ports?: PortRange[] } = {};
    if (dims[1] === "port" && parts[1] !== undefined) {
      const svc = readProtoPort(parts[1]);
      if (!svc) {
        findings.push(finding(line, "invalid", `"${parts[1]}" is not a [protocol:]port.`));
        return;
      }
      service = svc;
    }
    const member: SetMember = { term: t.term, ...service, ...(comment ? { comment } : {}) };
    this.objects.addMember(name, { value: member, line }, line);
  }
}

/** "tcp:443", "443" (tcp is ipset's default), "udp:53", "tcp:80-90", "tcp:https". */
function readProtoPort(text: string): { protocol: string; ports?: PortRange[] } | undefined {
  const colon = text.indexOf(":");
  const protocol = colon >= 0 ? text.slice(0, colon).toLowerCase() : "tcp";
  const portText = colon >= 0 ? text.slice(colon + 1) : text;
  if (protocol !== "tcp" && protocol !== "udp" && protocol !== "sctp" && protocol !== "udplite") return { protocol };
  const range = parsePortRange(portText) ?? SERVICE_PORTS[portText.toLowerCase()];
  return range ? { protocol, ports: [range] } : undefined;
}

/** The objects-only reading: every member of every set, in set order, as allow/in through the set's name. */
export function setsAsAllowlist(table: IpsetTable, findings: Finding[]): Entry[] {
  const entries: Entry[] = [];
  for (const name of table.order) {
    const info = table.sets.get(name);
    if (!info) continue;
    for (const r of table.objects.resolve(name, info.line, findings)) {
      // Members of list:set sets are read under their own set already.
      if (r.via.length > 1) continue;
      entries.push(
        makeEntry(r.line, r.value.term, {
          action: "allow",
          direction: "in",
          protocol: r.value.protocol,
          ports: r.value.ports,
          via: r.via,
          comment: r.value.comment,
        }),
      );
    }
  }
  return entries;
}

export const ipsetParser: Parser = {
  id: "ipset",
  label: "ipset save",
  detect(text: string): number {
    const head = text.slice(0, 20000);
    const creates = /^create \S+ (?:hash|bitmap|list):\S+/m.test(head);
    const adds = /^add \S+ \S+/m.test(head);
    if (!creates && !adds) return 0;
    // An iptables paste carrying its ipsets is iptables'.
    if (/^(?:\*filter|:INPUT |-A \S+ )/m.test(head)) return 0.2;
    return creates ? 0.9 : 0.6;
  },
  parse(text: string): ParseOutput {
    const findings: Finding[] = [];
    const table = new IpsetTable();
    for (const line of splitLines(text)) {
      if (line.text === "" || line.text.startsWith("#")) continue;
      if (!table.read(line, tokenize(line.text), findings)) {
        findings.push(finding(line, "not-understood", "Not an ipset create/add line."));
      }
    }
    const entries = setsAsAllowlist(table, findings);
    return {
      format: "ipset",
      entries,
      findings: findings.sort((a, b) => a.line - b.line),
      lineCount: countLines(text),
      notes: table.order.length > 0 ? [OBJECTS_ONLY_NOTE] : [],
    };
  },
};
