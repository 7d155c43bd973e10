/**
 * `ipset save` output (create/add lines). The same reader serves iptables pastes, whose
 * `-m set --match-set NAME src` rules resolve against sets created in the same paste.
 */
import type { Entry, Finding, ParseOutput, Parser, PortRange } from "../types";
import type { Family, Range } from "../../ip/types";
import { IPSet } from "../../ip";
import {
  type AddressTerm,
  type Line,
  ObjectTable,
  type Resolved,
  OBJECTS_ONLY_NOTE,
  SERVICE_PORTS,
  countLines,
  eachLine,
  finding,
  parsePortRange,
  readAddressTerm,
  tokenize,
} from "./common";
import { makeEntry } from "./linuxcommon";

/** ipset's commands in save/restore syntax; -N and -A are the old short forms of create and add (ipset 4 saves). */
const IPSET_COMMANDS: Record<string, string> = {
  create: "create",
  "-N": "create",
  add: "add",
  "-A": "add",
  del: "del",
  flush: "flush",
  destroy: "destroy",
  swap: "swap",
  rename: "rename",
};
/** Short forms read only after the program name ("ipset -F x"): alone, -D, -F and -X are iptables commands. */
const SCRIPT_SHORT_FORMS: Record<string, string> = {
  "-D": "del",
  "-F": "flush",
  "-X": "destroy",
  "-W": "swap",
  "-E": "rename",
};
/** Options that only change messages or errors, wherever they are written. */
const QUIET_OPTIONS = new Set(["-exist", "-!", "-q", "-quiet"]);
const PROGRAM = /^(?:\S*\/)?ipset$/;

function isQuietOption(w: string): boolean {
  // Each starts with "-": other words are not looked up (a set lookup hashes each new word of every line).
  return w.charCodeAt(0) === 45 && QUIET_OPTIONS.has(w);
}

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
  /**
   * "nomatch" elements per set, by member key: exceptions that the most specific entry decides (hash:net, ipset(8)).
   * An element is a member or an exception, never both.
   */
  readonly nomatch = new Map<string, Map<string, Range>>();
  /** Every live set in creation order, for the objects-only reading and unused-set findings. */
  get order(): string[] {
    return [...this.sets.keys()];
  }

  /**
   * Whether a rule read so far uses set `name` (an iptables reader says): ipset refuses to destroy such a set ("Set
   * cannot be destroyed: it is in use by a kernel component"). Absent: no rules beside the sets.
   */
  inUse?: (name: string, line: Line) => boolean;

  /**
   * Reads one ipset command (create/add, and flush/swap/destroy/rename as `ipset restore` scripts use them for an
   * atomic replace); false when the line is not an ipset command. `-exist` may lead or trail: it only silences errors.
   */
  read(line: Line, words: readonly string[], findings: Finding[]): boolean {
    const quiet = words.some(isQuietOption);
    let args = quiet ? words.filter((w) => !isQuietOption(w)) : words;
    /** "-exist" (or "-!"): an element added again is updated (its nomatch flag), not refused. */
    const exist = quiet && words.some((w) => w === "-exist" || w === "-!");
    if (args[0] === "sudo") args = args.slice(1);
    // The regex only for a word that can match it (it ends in "ipset"): this runs on every line.
    const script = (args[0] ?? "").endsWith("ipset") && PROGRAM.test(args[0] ?? "");
    if (script) args = args.slice(1);
    const cmd = args[0] ?? "";
    const verb = Object.hasOwn(IPSET_COMMANDS, cmd)
      ? IPSET_COMMANDS[cmd]
      : script && Object.hasOwn(SCRIPT_SHORT_FORMS, cmd)
        ? SCRIPT_SHORT_FORMS[cmd]
        : undefined;
    if (verb === undefined) return false;
    const name = args[1];
    if (verb === "flush" || verb === "destroy") {
      // Without a name they apply to every set.
      const names = name === undefined ? [...this.sets.keys()] : [name];
      // The kernel checks every set first: one in use and none is destroyed (ip_set_destroy).
      const busy = verb === "destroy" ? names.filter((n) => this.sets.has(n) && this.inUse?.(n, line)) : [];
      if (busy.length > 0) {
        findings.push(
          finding(
            line,
            "note",
            `ipset refuses to destroy set "${busy[0]}": a rule read so far uses it ("Set cannot be destroyed: it is in use by a kernel component"), so nothing is destroyed.`,
          ),
        );
        return true;
      }
      for (const n of names) {
        if (!this.known(line, n, findings)) continue;
        if (verb === "flush") {
          this.objects.clear(n);
          this.nomatch.delete(n);
        } else this.forget(n);
      }
      return true;
    }
    if (name === undefined) {
      findings.push(finding(line, "not-understood", "An ipset command without a set name."));
      return true;
    }
    if (verb === "swap" || verb === "rename") {
      const other = args[2];
      if (other === undefined) {
        findings.push(finding(line, "not-understood", `"${verb} ${name}" without a second set name.`));
        return true;
      }
      if (!this.known(line, name, findings)) return true;
      if (verb === "swap") {
        if (this.known(line, other, findings)) {
          this.objects.swapMembers(name, other);
          this.swapNomatch(name, other);
        }
        return true;
      }
      if (other === name) return true;
      this.create(other, this.sets.get(name)!);
      this.objects.swapMembers(name, other);
      this.swapNomatch(name, other);
      this.forget(name);
      return true;
    }
    if (verb === "create") {
      const type = args[2] ?? "hash:ip";
      const famIdx = args.indexOf("family");
      const fam = famIdx >= 0 ? args[famIdx + 1] : undefined;
      const family: Family | undefined = fam === "inet6" ? 6 : fam === "inet" ? 4 : undefined;
      // Creating a set that exists changes nothing (with -exist; without it ipset refuses the line).
      if (!this.sets.has(name)) this.create(name, { line, type, ...(family ? { family } : {}) });
      return true;
    }
    if (verb === "del") this.deleteMember(line, name, args.slice(2), findings);
    else this.readMember(line, name, args, 2, findings, exist);
    return true;
  }

  private deleteMember(line: Line, name: string, rest: readonly string[], findings: Finding[]): void {
    if (!this.known(line, name, findings)) return;
    const value = rest[0];
    if (value === undefined) {
      findings.push(finding(line, "not-understood", `"del ${name}" without an element.`));
      return;
    }
    const type = this.sets.get(name)!.type;
    let gone = false;
    if (type.startsWith("list:")) gone = this.objects.removeMemberByKey(name, value, refKey);
    else {
      const member = this.memberOf(line, type, value, undefined, findings);
      if (!member) return; // reported as unreadable
      const key = memberKey(member);
      // A member added twice is read twice (ipset refused the second add): the delete takes both. An exception goes too.
      while (this.objects.removeMemberByKey(name, key, valueKey)) gone = true;
      if (this.nomatch.get(name)?.delete(key)) gone = true;
    }
    if (!gone) findings.push(finding(line, "note", `"${value}" is not a member of set "${name}": nothing is deleted.`));
  }

  private create(name: string, info: SetInfo): void {
    this.sets.set(name, info);
    this.destroyed.delete(name);
    // Members added before the create line (reported there) stay with the set.
    if (!this.objects.has(name)) this.objects.define(name, { line: info.line, members: [] });
  }

  /**
   * The members of set `name` as a match sees them: each member without the "nomatch" exceptions more specific than it
   * (the most specific entry of a hash:net decides), keeping where each member was written.
   */
  matching(name: string, line: Line, findings: Finding[]): Resolved<SetMember>[] {
    const members = this.objects.resolve(name, line, findings);
    // A list:set tests its member sets in turn, each with its own nomatch exceptions (a nomatch answer is "not in
    // this set" and the next set is tried: list_set_ktest, ip_set_test): a member is cut by the exceptions of the set
    // it was written in, the last name it came through.
    if (this.nomatch.size === 0) return members;
    const out: Resolved<SetMember>[] = [];
    for (const m of members) {
      const exceptions = this.nomatch.get(m.via[m.via.length - 1] ?? name);
      const except = exceptions === undefined || exceptions.size === 0 ? undefined : [...exceptions.values()];
      if (except === undefined) {
        out.push(m);
        continue;
      }
      const r = m.value.term.range;
      const size = r.last.value - r.first.value;
      const inner = except.filter(
        (x) =>
          x.first.family === r.first.family &&
          x.last.value - x.first.value < size &&
          x.first.value >= r.first.value &&
          x.last.value <= r.last.value,
      );
      if (inner.length === 0) {
        out.push(m);
        continue;
      }
      for (const range of IPSet.fromRanges([r]).difference(IPSet.fromRanges(inner)).ranges) {
        out.push({ ...m, value: { ...m.value, term: { token: m.value.term.token, range, kind: "range" } } });
      }
    }
    return out;
  }

  private swapNomatch(a: string, b: string): void {
    const x = this.nomatch.get(a);
    const y = this.nomatch.get(b);
    this.nomatch.delete(a);
    this.nomatch.delete(b);
    if (x) this.nomatch.set(b, x);
    if (y) this.nomatch.set(a, y);
  }

  private forget(name: string): void {
    this.nomatch.delete(name);
    this.sets.delete(name);
    this.objects.remove(name);
    this.destroyed.add(name);
  }

  /** Sets this paste destroys (or renames away) and does not create again: nothing can use them. */
  private readonly destroyed = new Set<string>();

  /** Whether set `name` was destroyed above and not created again: ipset and iptables refuse commands that name it. */
  isDestroyed(name: string): boolean {
    return this.destroyed.has(name);
  }

  private known(line: Line, name: string, findings: Finding[]): boolean {
    if (this.sets.has(name)) return true;
    if (this.destroyed.has(name)) {
      findings.push(
        finding(
          line,
          "note",
          `Set "${name}" is destroyed above: ipset refuses this command ("The set with the given name does not exist").`,
        ),
      );
    } else findings.push(finding(line, "undefined-reference", `Set "${name}" is not created in this paste.`));
    return false;
  }

  /** "add NAME ELEMENT [options]": the element and its options are args[from] on (not sliced off per member). */
  private readMember(
    line: Line,
    name: string,
    args: readonly string[],
    from: number,
    findings: Finding[],
    exist: boolean,
  ): void {
    const info = this.sets.get(name);
    const value = args[from];
    if (value === undefined) {
      findings.push(finding(line, "not-understood", `"add ${name}" without an element.`));
      return;
    }
    if (!info) {
      // A set the paste never creates may be on the machine (its members are read); one it destroyed is not.
      if (!this.known(line, name, findings) && this.destroyed.has(name)) return;
    }
    const type = info?.type ?? "hash:ip";
    if (type.startsWith("list:")) {
      this.objects.addMember(name, { ref: value, line }, line);
      return;
    }
    const commentAt = args.indexOf("comment", from);
    const member = this.memberOf(line, type, value, commentAt >= 0 ? args[commentAt + 1] : undefined, findings);
    if (!member) return;
    // An element is a member or an exception: added again, ipset refuses it ("it's already added") unless -exist,
    // which turns it into the other kind (checked with ipset 7.17).
    const key = memberKey(member);
    const exceptions = this.nomatch.get(name);
    if (args.indexOf("nomatch", from) >= 0) {
      if (exceptions?.has(key)) return;
      if (this.objects.hasMemberByKey(name, key, valueKey)) {
        if (!exist) return void findings.push(alreadyAdded(line, value, name));
        while (this.objects.removeMemberByKey(name, key, valueKey));
      }
      if (exceptions) exceptions.set(key, member.term.range);
      else this.nomatch.set(name, new Map([[key, member.term.range]]));
      return;
    }
    if (exceptions?.has(key)) {
      if (!exist) return void findings.push(alreadyAdded(line, value, name));
      exceptions.delete(key);
    }
    this.objects.addMember(name, { value: member, line }, line);
  }

  /** The member "addr[,proto:port]" of a set of `type`, or undefined (reported) when it does not read. */
  private memberOf(
    line: Line,
    type: string,
    value: string,
    comment: string | undefined,
    findings: Finding[],
  ): SetMember | undefined {
    // value.split(",")[0] and [1], without the array: one call per member of sets of 100k members.
    const c1 = value.indexOf(",");
    const t = readAddressTerm(c1 < 0 ? value : value.slice(0, c1));
    if (!t.ok) {
      findings.push(finding(line, t.kind, t.message));
      return undefined;
    }
    // Keys in the order the spreads wrote them: term, protocol, ports, comment.
    const member: { -readonly [K in keyof SetMember]: SetMember[K] } = { term: t.term };
    // The second component of hash:ip,port / hash:net,port is "[proto:]port"; other second components (iface, ip, mark) do not restrict the port.
    if (c1 >= 0 && secondDimension(type) === "port") {
      const c2 = value.indexOf(",", c1 + 1);
      const part = c2 < 0 ? value.slice(c1 + 1) : value.slice(c1 + 1, c2);
      const svc = readProtoPort(part);
      if (!svc) {
        findings.push(finding(line, "invalid", `"${part}" is not a [protocol:]port.`));
        return undefined;
      }
      member.protocol = svc.protocol;
      if (svc.ports !== undefined) member.ports = svc.ports;
    }
    if (comment) member.comment = comment;
    return member;
  }
}

function alreadyAdded(line: Line, value: string, name: string): Finding {
  return finding(
    line,
    "note",
    `"${value}" is already in set "${name}": ipset refuses to add it again without -exist ("it's already added"), nothing changes.`,
  );
}

/** `type.split(":")[1]?.split(",")[1]`: "port" for hash:ip,port (written without the arrays). */
function secondDimension(type: string): string | undefined {
  const colon = type.indexOf(":");
  if (colon < 0) return undefined;
  const end = type.indexOf(":", colon + 1);
  const dims = end < 0 ? type.slice(colon + 1) : type.slice(colon + 1, end);
  const comma = dims.indexOf(",");
  if (comma < 0) return undefined;
  const next = dims.indexOf(",", comma + 1);
  return next < 0 ? dims.slice(comma + 1) : dims.slice(comma + 1, next);
}

/** What makes two members the same element: the range and the port part, not the comment. */
/** What `del` matches a member of a list:set by (the set it names) or of another set by (its value). */
const refKey = (m: { readonly ref: string } | { readonly value: SetMember }): string | undefined =>
  "ref" in m ? m.ref : undefined;
const valueKey = (m: { readonly ref: string } | { readonly value: SetMember }): string | undefined =>
  "value" in m ? memberKey(m.value) : undefined;

function memberKey(m: SetMember): string {
  const r = m.term.range;
  return `${r.first.family} ${r.first.value} ${r.last.value} ${m.protocol ?? ""} ${(m.ports ?? []).map((p) => `${p.from}-${p.to}`).join(",")}`;
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
    const members = table.matching(name, info.line, findings);
    // Indexed: for..of here ran through the iterator protocol once per member.
    for (let i = 0; i < members.length; i++) {
      const r = members[i]!;
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

/** "[sudo] ipset [-exist] create|add|-N|-A name …": an ipset script. */
const SCRIPT_LINE = /^[ \t]*(?:sudo\s+)?(?:\S*\/)?ipset\s+(?:-exist\s+|-!\s+)?(?:create|add|-N|-A)\s+\S+\s+\S+/m;

export const ipsetParser: Parser = {
  id: "ipset",
  label: "ipset save",
  detect(text: string): number {
    const head = text.slice(0, 20000);
    const creates = SCRIPT_LINE.test(head) || /^create \S+ (?:hash|bitmap|list):\S+/m.test(head);
    // "add rule|element|… inet filter …" is an nft command, not an ipset add.
    const adds = /^add (?!(?:rule|element|chain|set|table|map|flowtable) )\S+ \S+/m.test(head);
    if (!creates && !adds) return 0;
    // An iptables paste carrying its ipsets is iptables'.
    if (/^(?:\*filter|:INPUT |-A \S+ |[ \t]*(?:sudo\s+)?(?:\S*\/)?ip6?tables\s)/m.test(head)) return 0.2;
    return creates ? 0.9 : 0.6;
  },
  parse(text: string): ParseOutput {
    const findings: Finding[] = [];
    const table = new IpsetTable();
    // One line at a time: no array of every line held while the sets are read.
    eachLine(text, (line) => {
      if (line.text === "" || line.text.startsWith("#")) return;
      if (!table.read(line, tokenize(line.text), findings)) {
        findings.push(finding(line, "not-understood", "Not an ipset command."));
      }
    });
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
