/**
 * Cisco IOS / IOS-XE running config: named (`ip access-list extended|standard`, `ipv6 access-list`) and numbered
 * ACLs with wildcard masks, `object-group network|service`, and their bindings (`ip access-group`,
 * `ipv6 traffic-filter`, `access-class`). ACLs are read after the whole paste, because the bindings may follow them.
 */
import { parseRange } from "../../ip";
import type {
  Destination,
  Direction,
  Entry,
  Finding,
  ParseOptions,
  ParseOutput,
  Parser,
  PathInfo,
  RuleList,
} from "../types";
import type { Range } from "../../ip/types";
import { ObjectTable, addObjectMember, eachLine, emitRule, finding, looksAddressBearing, tokenize } from "./common";
import type { AddressTerm, Line, ObjectMember, Resolved, ServiceTerm } from "./common";
import {
  bindingsInForce,
  ciscoOutput,
  ciscoPath,
  ciscoProtocol,
  ciscoServiceSpec,
  icmpQualifier,
  coversEphemeral,
  iosInternetSign,
  isPortOperator,
  parseCiscoAddress,
  parseCiscoPorts,
  sourceRestricted,
} from "./cisco";
import type { AddressGrammar, CiscoBinding, CiscoInterface } from "./cisco";
import { conditionalUnmet, joinUnmet, tagEntries } from "./pathkit";
import { KeyedRemovals } from "./keyedremovals";

interface Acl {
  readonly name: string;
  readonly family: 4 | 6;
  readonly standard: boolean;
  readonly line: Line;
  readonly aces: AclEntries;
}

/** One entry of an ACL as added, with the sequence number IOS gave it then. */
interface AclEntry {
  readonly line: Line;
  readonly words: string[];
  /** Changed only by `ip access-list resequence`. */
  seq: number;
  /** Where the action word is (after an optional "N" or "sequence N"). */
  readonly at: number;
  readonly remark: boolean;
  /** Its number was taken: IOS refused it ("% Duplicate sequence number"). */
  readonly refused: boolean;
  removed: boolean;
}

/**
 * An ACL's entries as a paste of commands leaves them. IOS numbers an entry when it is added: the number written, or
 * the highest number in the list at that moment plus 10; a later deletion does not renumber the others. `no N` and
 * `no permit …` look entries up by number and by words, and the highest live number is kept in a max-heap whose
 * deleted numbers are dropped when they reach the top, so a paste of n additions and deletions reads in O(n log n).
 * The look-up maps are built at the first deletion only: most configs delete nothing, and indexing every entry's
 * words was a quarter of the time spent reading a large ACL.
 * Cisco IOS XE "IP Access List Entry Sequence Numbering":
 * https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/sec_data_acl/configuration/xe-16/sec-data-acl-xe-16-book/sec-acl-seq-num.html
 */
class AclEntries {
  readonly all: AclEntry[] = [];
  /**
   * Live entries by number, by words, and by both, oldest first (deleted ones are skipped once, at the front); built
   * by the first `remove`, kept up to date by `add` from then on.
   */
  private index: AclIndex | undefined;
  /** How many live entries hold each number (a remark may share one with an entry), and how many are not remarks. */
  private readonly live = new Map<number, number>();
  private readonly taken = new Map<number, number>();
  private readonly heap: number[] = [];

  add(line: Line, words: string[]): void {
    const own = writtenSequence(words);
    const seq = own.seq ?? this.highest() + 10;
    const remark = words[own.at] === "remark";
    const refused = !remark && (this.taken.get(seq) ?? 0) > 0;
    const entry: AclEntry = { line, words, seq, at: own.at, remark, refused, removed: false };
    this.all.push(entry);
    if (refused) return;
    if (this.index) indexEntry(this.index, entry);
    count(this.live, seq, 1);
    if (!remark) count(this.taken, seq, 1);
    heapPush(this.heap, seq);
  }

  /** Deletes the oldest live entry numbered `seq` and/or written with `words` ("" with a number: any words). */
  remove(seq: number | undefined, words: string): boolean {
    if (!this.index) {
      this.index = { bySeq: new Map(), byWords: new Map(), bySeqWords: new Map() };
      for (const entry of this.all) if (!entry.refused) indexEntry(this.index, entry);
    }
    const queue =
      seq === undefined
        ? this.index.byWords.get(words)
        : words === ""
          ? this.index.bySeq.get(seq)
          : this.index.bySeqWords.get(`${seq} ${words}`);
    const found = queue === undefined ? undefined : firstLive(queue);
    if (found === undefined) return false;
    found.removed = true;
    count(this.live, found.seq, -1);
    if (!found.remark) count(this.taken, found.seq, -1);
    return true;
  }

  /** The entries in force, in the order the device evaluates them (by number; equal numbers in the order added). */
  inOrder(): AclEntry[] {
    const kept = this.all.filter((e) => !e.refused && !e.removed);
    return kept.sort((a, b) => a.seq - b.seq);
  }

  /**
   * `ip access-list resequence NAME START INC`: the entries in force, in their order, numbered START, START+INC, …
   * (remarks too). The look-up maps are built again at the next deletion. Returns how many were renumbered.
   */
  resequence(start: number, inc: number): number {
    const order = this.inOrder();
    this.live.clear();
    this.taken.clear();
    this.heap.length = 0;
    this.index = undefined;
    let seq = start;
    for (const e of order) {
      e.seq = seq;
      this.live.set(seq, 1);
      if (!e.remark) this.taken.set(seq, 1);
      seq += inc;
    }
    // The numbers from the highest down: a sorted array is already a max-heap.
    for (let k = order.length - 1; k >= 0; k--) this.heap.push(order[k]!.seq);
    return order.length;
  }

  private highest(): number {
    while (this.heap.length > 0 && !this.live.get(this.heap[0]!)) heapPop(this.heap);
    return this.heap[0] ?? 0;
  }
}

interface Queue {
  readonly list: AclEntry[];
  from: number;
}

interface AclIndex {
  readonly bySeq: Map<number, Queue>;
  readonly byWords: Map<string, Queue>;
  readonly bySeqWords: Map<string, Queue>;
}

function indexEntry(index: AclIndex, entry: AclEntry): void {
  const key = entry.words.slice(entry.at).join(" ");
  enqueue(index.bySeq, entry.seq, entry);
  enqueue(index.byWords, key, entry);
  enqueue(index.bySeqWords, `${entry.seq} ${key}`, entry);
}

function enqueue<K>(map: Map<K, Queue>, key: K, entry: AclEntry): void {
  const queue = map.get(key);
  if (queue) queue.list.push(entry);
  else map.set(key, { list: [entry], from: 0 });
}

function firstLive(queue: Queue): AclEntry | undefined {
  while (queue.from < queue.list.length && queue.list[queue.from]!.removed) queue.from++;
  return queue.list[queue.from];
}

function count<K>(map: Map<K, number>, key: K, by: number): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

/** A binary max-heap of numbers in an array. */
function heapPush(heap: number[], value: number): void {
  let i = heap.push(value) - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (heap[parent]! >= value) break;
    heap[i] = heap[parent]!;
    i = parent;
  }
  heap[i] = value;
}

function heapPop(heap: number[]): void {
  const last = heap.pop()!;
  if (heap.length === 0) return;
  let i = 0;
  for (;;) {
    const left = 2 * i + 1;
    if (left >= heap.length) break;
    const child = left + 1 < heap.length && heap[left + 1]! > heap[left]! ? left + 1 : left;
    if (heap[child]! <= last) break;
    heap[i] = heap[child]!;
    i = child;
  }
  heap[i] = last;
}

type OpenBlock =
  | { readonly t: "acl"; readonly acl: Acl }
  | { readonly t: "netgroup" | "svcgroup"; readonly name: string; readonly line: Line };
type Block = OpenBlock | { readonly t: "other" };
const OTHER: Block = { t: "other" };

/** The interface or line block open now, where bindings land: "GigabitEthernet0/0", "line vty 0 4". */
interface Owner {
  readonly name: string;
  readonly kind: "interface" | "line";
  readonly line: Line;
  internet?: string;
}

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
    // `show access-lists` output.
    if (/^(?:Standard|Extended) IP access list \S+$/m.test(head)) score = Math.max(score, 0.9);
    if (/^access-list \d+ (?:permit|deny) /m.test(head)) score = Math.max(score, 0.9);
    if (/^ipv6 access-list \S+/m.test(head)) score = Math.max(score, 0.85);
    if (/^\s*ip access-group \S+ (?:in|out)\b/m.test(head)) score = Math.max(score, 0.85);
    // ASA groups list "network-object" members; IOS ones list bare hosts and subnets.
    if (/^object-group network \S+/m.test(head) && !/^\s*network-object /m.test(head)) score = Math.max(score, 0.7);
    if (/^(?:Building configuration|Current configuration : \d+|version 1\d\.\d)/m.test(head))
      score = Math.max(score, 0.5);
    return score;
  },
  parse: parseIos,
};

/** What the reader keeps: objects, ACLs and bindings met so far, the open blocks, then what the ACEs reached. */
interface IosState {
  readonly findings: Finding[];
  readonly entries: Entry[];
  readonly addrs: ObjectTable<AddressTerm>;
  /** Address object-group members in definition order, for the objects-only reading. */
  readonly members: ObjectMember[];
  readonly services: ObjectTable<ServiceTerm>;
  readonly acls: Map<string, Acl>;
  readonly bindings: CiscoBinding[];
  /** What `no ip access-group …` looks bindings up in (built at the first one; readAcls sweeps the removed out). */
  bindingRemovals?: KeyedRemovals<CiscoBinding>;
  readonly interfaces: CiscoInterface[];
  /** Object names an allow rule reached, for the unused-object check. */
  readonly reached: Set<string>;
  owner: Owner | undefined;
  block: Block;
  /** Inside a banner: the delimiter that ends it. */
  bannerEnd: string | undefined;
  /** Entries renumbered by `ip access-list resequence` so far (RESEQUENCE_LIMIT). */
  renumbered: number;
  /** The paste is `show access-lists` output (shownWords). */
  readonly shown: boolean;
  /** Zone-based policy firewall: `zone-member security ZONE` of each interface, and the zone-pairs. */
  readonly zones: { readonly iface: string; readonly zone: string; readonly line: Line }[];
  readonly zonePairs: { readonly source: string; readonly destination: string; readonly line: Line }[];
}

function parseIos(text: string, options: ParseOptions = {}): ParseOutput {
  const st: IosState = {
    findings: [],
    entries: [],
    addrs: new ObjectTable<AddressTerm>(),
    members: [],
    services: new ObjectTable<ServiceTerm>(),
    acls: new Map(),
    bindings: [],
    interfaces: [],
    reached: new Set(),
    owner: undefined,
    block: OTHER,
    bannerEnd: undefined,
    renumbered: 0,
    zones: [],
    zonePairs: [],
    shown: /^(?:(?:Standard|Extended) IP|IPv6) access list \S+/m.test(text),
  };
  eachLine(text, (line, indented) => {
    if (st.bannerEnd !== undefined) {
      if (line.text.includes(st.bannerEnd)) st.bannerEnd = undefined;
      return;
    }
    if (line.text === "" || line.text.startsWith("!")) return;
    readLine(st, line, indented);
  });
  closeOwner(st);
  return ciscoOutput("cisco-ios", text, st, readAcls(st, options), "Object group");
}

/**
 * `show access-lists` / `show ip access-lists` output: "Extended IP access list NAME" heads an ACL as
 * `ip access-list extended NAME` does, and its entries are the configuration's with what the listing adds: hit counts
 * "(12 matches)", a standard entry's ", wildcard bits 0.0.0.255", an IPv6 entry's trailing "sequence 20".
 * https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/security/a1/sec-a1-cr-book/sec-cr-s3.html (show ip access-lists)
 */
const SHOWN_HEAD = /^(?:(Standard|Extended|Reflexive) IP|(IPv6)) access list (\S+)/;

function shownWords(st: IosState, text: string, indented: boolean): string[] | undefined {
  const head = SHOWN_HEAD.exec(text);
  if (head !== null) {
    if (head[2] !== undefined) return ["ipv6", "access-list", head[3]!];
    return ["ip", "access-list", head[1] === "Standard" ? "standard" : "extended", head[3]!];
  }
  if (!indented || st.block.t !== "acl") return undefined;
  const w = tokenize(text.replace(/\s*\(\d+ match(?:es)?\)/, "").replace(/,\s*wildcard bits\s+/, " "));
  const n = w.length;
  return n >= 2 && w[n - 2] === "sequence" ? [w[n - 2]!, w[n - 1]!, ...w.slice(0, n - 2)] : w;
}

/** One line: opens an interface/line block, a sub-command of the open block, a binding, or a top-level command. */
function readLine(st: IosState, line: Line, indented: boolean): void {
  const shown = st.shown ? shownWords(st, line.text, indented) : undefined;
  // A listing's header is a top-level command; the device's prompt ("router#show access-lists") is not read.
  if (st.shown && shown === undefined && !indented && /^\S+[#>]\s*show\b/.test(line.text)) return;
  const w = shown ?? tokenize(line.text);
  if (shown !== undefined && SHOWN_HEAD.test(line.text)) indented = false;
  const k = w[0]!;
  if (!indented && st.owner !== undefined) closeOwner(st);
  if (!indented && (k === "interface" || k === "line") && w[1] !== undefined) {
    st.block = OTHER;
    st.owner = k === "interface" ? { name: w[1], kind: "interface", line } : { name: w.join(" "), kind: "line", line };
    return;
  }
  if (indented && st.owner?.kind === "interface" && st.owner.internet === undefined) {
    const sign = iosInternetSign(w);
    if (sign !== undefined) st.owner.internet = sign;
  }
  if (indented && st.owner?.kind === "interface" && k === "zone-member" && w[1] === "security") {
    // Zone-based policy firewall: read once the paste is (zoneBased).
    return void st.zones.push({ iface: st.owner.name, zone: w[2] ?? "", line });
  }
  if (!indented && k === "zone-pair" && w[1] === "security") {
    const at = (word: string) => w[w.indexOf(word) + 1] ?? "";
    return void st.zonePairs.push({ source: at("source"), destination: at("destination"), line });
  }
  if (readSubCommand(st, w, line)) return;
  if (st.block.t !== "other" && indented) {
    return void st.findings.push(finding(line, "not-understood", "This line is not understood inside the block."));
  }
  // Bindings live inside interface and line blocks, which are otherwise irrelevant.
  if (readBinding(st, w, line)) return;
  if (st.block.t === "other" && indented) return;
  st.block = OTHER;
  if (COMMANDS.get(k)?.(st, w, line)) return;
  if (!IRRELEVANT.has(k.toLowerCase()) && looksAddressBearing(line.text)) {
    st.findings.push(finding(line, "not-understood", "This line holds an address but is not understood."));
  }
}

function closeOwner(st: IosState): void {
  const o = st.owner;
  if (o?.kind === "interface")
    st.interfaces.push({ name: o.name, line: o.line, ...(o.internet ? { internet: o.internet } : {}) });
  st.owner = undefined;
}

// ---- Bindings: ip access-group, ipv6 traffic-filter, access-class ----

function readBinding(st: IosState, w: string[], line: Line): boolean {
  const k = w[0];
  if (k === "no" && st.owner !== undefined && (w[2] === "access-group" || w[2] === "traffic-filter")) {
    // "no ip access-group X in" under an interface unbinds that ACL.
    // An index, not a tokenizing search of every binding per line: 8,000 of each took 2 s, growing with the square.
    st.bindingRemovals ??= new KeyedRemovals(st.bindings, bindingKey);
    st.bindingRemovals.take(`${st.owner.name}\n${w.slice(1).join(" ")}`, () => st.bindings);
    return true;
  }
  if (k === "ip" && w[1] === "access-group") {
    bind(st, w[2], w[3], line, "interface");
    return true;
  }
  if ((k === "ipv6" && (w[1] === "traffic-filter" || w[1] === "access-class")) || k === "access-class") {
    const at = k === "access-class" ? 1 : 2;
    bind(st, w[at], w[at + 1], line, w[1] === "traffic-filter" ? "interface" : "line");
    return true;
  }
  return false;
}

function bind(
  st: IosState,
  name: string | undefined,
  dir: string | undefined,
  line: Line,
  access: "interface" | "line",
): void {
  if (name === undefined || (dir !== "in" && dir !== "out")) {
    return void st.findings.push(finding(line, "not-understood", "Expected an ACL name and in|out."));
  }
  const kind = access === "line" || st.owner?.kind === "line" ? "line" : "interface";
  const binding: CiscoBinding = {
    acl: name,
    dir,
    where: st.owner?.name ?? (kind === "line" ? "a vty line" : "an interface"),
    kind,
    line,
  };
  st.bindings.push(binding);
  st.bindingRemovals?.appended(binding);
}

/** A binding as `no ip access-group …` under its interface names it: the interface, then the line's words. */
const bindingKey = (b: CiscoBinding): string => `${b.where}\n${tokenize(b.line.text).join(" ")}`;

// ---- Sub-commands of ACL and object-group blocks ----

/** Reads a sub-command of block `b`; false when the line is not one. */
type SubHandler<B extends OpenBlock> = (st: IosState, b: B, w: string[], line: Line) => boolean;

const aclEntry: SubHandler<Extract<OpenBlock, { t: "acl" }>> = (st, b, w, line) => {
  const k = w[0]!;
  if (k === "no" && w[1] !== undefined) return removeEntry(st, b.acl, w, line);
  if (!ACL_ENTRY_WORDS.has(k) && !isDigits(k)) return false;
  b.acl.aces.add(line, w);
  return true;
};

/** An entry's sequence number as written, if any, and where its action word is. */
function writtenSequence(w: readonly string[]): { readonly seq?: number; readonly at: number } {
  if (w[0] === "sequence" && isDigits(w[1])) return { seq: Number(w[1]), at: 2 };
  if (isDigits(w[0])) return { seq: Number(w[0]), at: 1 };
  return { at: 0 };
}

/**
 * `no N` (`no sequence N`) in an ACL block deletes the entry numbered N (written, or given when added: the highest so
 * far plus 10); `no permit …` deletes the entry written with those words. A paste of commands applies them in order.
 * Cisco IOS XE "IP Access List Entry Sequence Numbering" (Removing an entry by its sequence number):
 * https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/sec_data_acl/configuration/xe-16/sec-data-acl-xe-16-book/sec-acl-seq-num.html
 */
function removeEntry(st: IosState, acl: Acl, w: readonly string[], line: Line): boolean {
  const target = writtenSequence(w.slice(1));
  if (!acl.aces.remove(target.seq, w.slice(1 + target.at).join(" ")))
    st.findings.push(finding(line, "note", `ACL ${acl.name} has no such entry: nothing is removed.`));
  return true;
}

/** The words an entry of an ACL block starts with (after an optional sequence number). */
const ACL_ENTRY_WORDS = new Set(["permit", "deny", "remark", "sequence", "evaluate", "dynamic"]);

/** Object-group members are written with netmasks, unlike ACL entries. */
const GROUP_MEMBER_GRAMMAR: AddressGrammar = { mask: "netmask", anyFamilies: [4] };

type GroupBlock = Extract<OpenBlock, { t: "netgroup" | "svcgroup" }>;

const networkGroupMember: SubHandler<GroupBlock> = (st, b, w, line) => {
  const k = w[0]!;
  if (k === "description") return true;
  if (k === "group-object") {
    addObjectMember(st.addrs, st.members, b.name, { ref: w[1] ?? "", line }, b.line);
    return true;
  }
  if (k === "range") return networkGroupRange(st, b, w, line);
  if (k !== "host" && k !== "any" && !/^[0-9a-f:.]+(?:\/\d+)?$/i.test(k)) return false;
  const r = parseCiscoAddress(w, 0, GROUP_MEMBER_GRAMMAR);
  if (!r.ok) st.findings.push(finding(line, r.kind, r.message));
  else if (r.next !== w.length)
    st.findings.push(finding(line, "not-understood", "Unexpected words after the address."));
  else if ("terms" in r.operand)
    for (const t of r.operand.terms) addObjectMember(st.addrs, st.members, b.name, { value: t, line }, b.line);
  return true;
};

function networkGroupRange(st: IosState, b: GroupBlock, w: string[], line: Line): boolean {
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
}

const serviceGroupMember: SubHandler<GroupBlock> = (st, b, w, line) => {
  const k = w[0]!;
  if (k === "description") return true;
  if (k === "group-object") {
    st.services.addMember(b.name, { ref: w[1] ?? "", line }, b.line);
    return true;
  }
  if (!/^(?:tcp|udp|tcp-udp|icmp|ip|ipv6|sctp|gre|esp|ahp|\d+)$/.test(k)) return false;
  const spec = ciscoServiceSpec(w, 0);
  if (typeof spec === "string") st.findings.push(finding(line, "invalid", spec));
  else for (const s of spec) st.services.addMember(b.name, { value: s, line }, b.line);
  return true;
};

/** Each block's sub-command reader. */
function readSubCommand(st: IosState, w: string[], line: Line): boolean {
  const b = st.block;
  switch (b.t) {
    case "acl":
      return aclEntry(st, b, w, line);
    case "netgroup":
      return networkGroupMember(st, b, w, line);
    case "svcgroup":
      return serviceGroupMember(st, b, w, line);
    case "other":
      return false;
  }
}

// ---- Top-level commands ----

/** Reads a top-level command; false when its words are not the expected shape (then only the address check runs). */
type CommandHandler = (st: IosState, w: string[], line: Line) => boolean;

function aclFor(st: IosState, name: string, family: 4 | 6, standard: boolean, line: Line): Acl {
  let acl = st.acls.get(name);
  if (!acl) {
    acl = { name, family, standard, line, aces: new AclEntries() };
    st.acls.set(name, acl);
  }
  return acl;
}

/**
 * Entries `ip access-list resequence` may renumber in one paste: each renumbers the whole ACL, so n entries and n
 * resequences would take n² steps; a command past the limit is refused with a finding.
 */
export const RESEQUENCE_LIMIT = 1_000_000;

/**
 * `ip access-list resequence NAME START INC` (also `ipv6 access-list resequence`): renumbers the ACL's entries in
 * their order, so an entry added after it with a number between two of them goes between them. Cisco IOS XE "IP
 * Access List Entry Sequence Numbering" (Resequencing Access-List Entries):
 * https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/sec_data_acl/configuration/xe-16/sec-data-acl-xe-16-book/sec-acl-seq-num.html
 */
function readResequence(st: IosState, w: readonly string[], at: number, line: Line): true {
  const [name, start, inc] = [w[at], w[at + 1], w[at + 2]];
  const number = (x: string | undefined) =>
    x !== undefined && isDigits(x) && Number(x) >= 1 && Number(x) <= 2147483647 ? Number(x) : undefined;
  const from = number(start);
  const step = number(inc);
  if (name === undefined || from === undefined || step === undefined) {
    st.findings.push(
      finding(line, "not-understood", "resequence takes an ACL name, a starting number and an increment (1 or more)."),
    );
    return true;
  }
  const acl = st.acls.get(name);
  if (acl === undefined) {
    st.findings.push(finding(line, "note", `ACL ${name} is not defined above: nothing is renumbered.`));
    return true;
  }
  const size = acl.aces.all.length;
  if (st.renumbered + size > RESEQUENCE_LIMIT) {
    st.findings.push(
      finding(
        line,
        "invalid",
        `Not applied: the resequence commands above already renumbered close to ${RESEQUENCE_LIMIT.toLocaleString("en-US")} entries, the limit one paste may take; the ACL keeps its numbers here.`,
      ),
    );
    return true;
  }
  st.renumbered += size;
  acl.aces.resequence(from, step);
  return true;
}

/** `ip access-list extended|standard NAME`. */
const readIpAccessList: CommandHandler = (st, w, line) => {
  if (w[1] === "access-list" && w[2] === "resequence") return readResequence(st, w, 3, line);
  if (w[1] !== "access-list" || (w[2] !== "extended" && w[2] !== "standard") || w[3] === undefined) return false;
  st.block = { t: "acl", acl: aclFor(st, w[3], 4, w[2] === "standard", line) };
  return true;
};

/** `ipv6 access-list NAME`. */
const readIpv6AccessList: CommandHandler = (st, w, line) => {
  if (w[1] === "access-list" && w[2] === "resequence") return readResequence(st, w, 3, line);
  if (w[1] !== "access-list" || w[2] === undefined) return false;
  st.block = { t: "acl", acl: aclFor(st, w[2], 6, false, line) };
  return true;
};

/** A numbered ACL line: `access-list 101 permit …`. */
const readNumberedAce: CommandHandler = (st, w, line) => {
  if (w[1] === undefined || !/^\d+$/.test(w[1])) return false;
  const n = Number(w[1]);
  if (!STANDARD_NUMBERS(n) && !EXTENDED_NUMBERS(n)) {
    st.findings.push(finding(line, "not-understood", `ACL number ${n} is not an IPv4 standard or extended ACL.`));
    return true;
  }
  aclFor(st, w[1], 4, STANDARD_NUMBERS(n), line).aces.add(line, w.slice(2));
  return true;
};

const readObjectGroup: CommandHandler = (st, w, line) => {
  const name = w[2];
  if ((w[1] !== "network" && w[1] !== "service") || name === undefined) return false;
  st.block = { t: w[1] === "network" ? "netgroup" : "svcgroup", name, line };
  if (w[1] === "network" && !st.addrs.has(name)) st.addrs.define(name, { line, members: [] });
  else if (w[1] === "service" && !st.services.has(name)) st.services.define(name, { line, members: [] });
  return true;
};

/** "banner motd ^C … ^C": the text runs until the delimiter comes back. */
const readBanner: CommandHandler = (st, w, line) => {
  const rest = line.text.slice(line.text.indexOf(w[1] ?? "") + (w[1] ?? "").length).trimStart();
  const delim = rest.startsWith("^C") ? "^C" : rest.charAt(0);
  if (delim !== "" && !rest.slice(delim.length).includes(delim)) st.bannerEnd = delim;
  return true;
};

/**
 * `no access-list N …` deletes the whole numbered ACL N (whatever entry follows the number), `no ip access-list
 * extended|standard NAME` and `no ipv6 access-list NAME` the named one. A paste of commands applies them in order.
 * Cisco IOS command reference "ip access-list" ("To remove a named IP access list, use the no form of this command"):
 * https://www.cisco.com/E-Learning/bulk/public/tac/cim/cib/using_cisco_ios_software/cmdrefs/ip_access-list.htm
 */
const readNo: CommandHandler = (st, w) => {
  if (w[1] === "access-list" && w[2] !== undefined && isDigits(w[2])) st.acls.delete(w[2]);
  else if (w[1] === "ip" && w[2] === "access-list" && (w[3] === "extended" || w[3] === "standard") && w[4])
    st.acls.delete(w[4]);
  else if (w[1] === "ipv6" && w[2] === "access-list" && w[3] !== undefined) st.acls.delete(w[3]);
  return true;
};

const COMMANDS: ReadonlyMap<string, CommandHandler> = new Map([
  ["no", readNo],
  ["ip", readIpAccessList],
  ["ipv6", readIpv6AccessList],
  ["access-list", readNumberedAce],
  ["object-group", readObjectGroup],
  ["banner", readBanner],
]);

// ---- After the paste: the path, then each ACE of the ACLs on it ----

function readAcls(st: IosState, options: ParseOptions): { readonly path: PathInfo; readonly ruleCount: number } {
  st.bindingRemovals?.sweep(st.bindings);
  const declared = [...st.acls.values()].map((a) => ({ name: a.name, line: a.line }));
  const families = new Map([...st.acls.values()].map((a) => [a.name, a.family] as const));
  // "ipv6 traffic-filter" and "ipv6 access-class" bind IPv6 ACLs, beside the IPv4 one of the same place.
  const inForce = bindingsInForce(st.bindings, (b) => (b.line.text.trimStart().startsWith("ipv6 ") ? 6 : 4));
  st.findings.push(...inForce.findings);
  const { path, acls: placed } = ciscoPath("ios", declared, inForce.kept, st.interfaces, options, families);
  for (const b of st.bindings) {
    if (!st.acls.has(b.acl))
      st.findings.push(
        finding(b.line, "undefined-reference", `ACL "${b.acl}" is bound here but not defined in this paste.`),
      );
  }
  let ruleCount = 0;
  const hosts = new Map<string, AddressTerm>();
  // Contexts where some ACL placed there holds an entry: the others let every packet through (below).
  const filtering = new Set<number>();
  const sequenced = new Map<string, readonly AclEntry[]>();
  for (const [name, place] of placed) {
    const acl = st.acls.get(name);
    if (acl === undefined) continue;
    const grammar: AddressGrammar = { mask: "wildcard", anyFamilies: [acl.family], bareIsHost: acl.standard, hosts };
    const aces = inSequence(st, acl);
    sequenced.set(name, aces);
    if (aces.some((a) => !a.remark)) filtering.add(place.context);
    for (const ace of aces) {
      const w = ace.words;
      let j = 0;
      if (w[j] === "sequence" || isDigits(w[j])) j += w[j] === "sequence" ? 2 : 1;
      if (w[j] === "remark") continue;
      if (w[j] === "evaluate") {
        // A reflexive ACL's entries match only the return traffic of sessions opened from the other side.
        st.findings.push(
          finding(
            ace.line,
            "note",
            `"evaluate ${w[j + 1] ?? ""}" matches only return traffic of sessions the reflexive ACL saw leave: never a new inbound connection.`,
          ),
        );
        continue;
      }
      if (w[j] === "dynamic") {
        // Lock-and-key: the entry is a template, active for a source only after a user authenticates from it.
        st.findings.push(
          finding(
            ace.line,
            "note",
            `Dynamic (lock-and-key) entry "${w[j + 1] ?? ""}": it lets a source in only after a user authenticates from it, so it is not counted.`,
          ),
        );
        continue;
      }
      if (w[j] !== "permit" && w[j] !== "deny") {
        st.findings.push(finding(ace.line, "not-understood", `"${w[j] ?? ""}" entries are not read.`));
        continue;
      }
      ruleCount++;
      const from = st.entries.length;
      const unmet = readAce(st, { acl, grammar, line: ace.line, w, direction: place.direction }, j);
      tagEntries(st.entries, from, place.context, unmet);
    }
  }
  const passing = passUnfiltered(path, placed, filtering, st.acls);
  return { path: zoneBased(st, withRuleList(passing, placed, inForce.kept, st.acls, sequenced)), ruleCount };
}

/**
 * The zone-based policy firewall on the way through: traffic from a zone passes to another zone only through a
 * zone-pair with that source ("If a policy is not configured between a pair of zones, traffic is dropped by default";
 * an interface in no zone exchanges no traffic with a zone member), Cisco IOS XE "Zone-Based Policy Firewall",
 * https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/sec_data_zbf/configuration/xe-16/sec-data-zbf-xe-16-book/sec-zone-pol-fw.html.
 * When the Internet-facing interface's zone is the source of no zone-pair (other than to the router itself, "self"),
 * every connection through the router is dropped after the ACLs: a context that denies. Otherwise the zone-pairs'
 * inspect policies decide, which are not read: each zone-member line says so.
 */
function zoneBased(st: IosState, path: PathInfo): PathInfo {
  if (st.zones.length === 0) return path;
  const ingress = (path.ingress ?? "").toLowerCase();
  const member = st.zones.find((z) => z.iface.toLowerCase() === ingress);
  const through = member && st.zonePairs.filter((p) => p.source === member.zone && p.destination !== "self");
  if (member === undefined || through === undefined || through.length > 0) {
    for (const z of st.zones)
      st.findings.push(
        finding(
          z.line,
          "not-understood",
          `${z.iface} is in zone-based firewall zone ${z.zone}: the zone-pair inspect policies are not read, so connections they drop may be reported as allowed.`,
        ),
      );
    return path;
  }
  const pairs = st.zonePairs.map((p) => `${p.source} → ${p.destination}`);
  return {
    ...path,
    contexts: [
      ...path.contexts,
      {
        name: `zone ${member.zone} (zone-based firewall)`,
        line: member.line.n,
        text: member.line.text,
        fallthrough: "deny",
        onPath: true,
        reason: `${member.iface} is in zone ${member.zone}, and no zone-pair has ${member.zone} as its source${pairs.length > 0 ? ` (the zone-pairs: ${pairs.join(", ")})` : ""}: IOS drops traffic between zones no zone-pair joins.`,
      },
    ],
  };
}

/**
 * The extended IPv4 ACL bound inbound (ip access-group NAME in) on the Internet-facing interface, with each entry's
 * sequence number, in the order IOS evaluates them: a named ACL takes a new entry at any free number ("15 permit …"
 * between 10 and 20). Remarks are left out: they hold no number an entry cannot take.
 * Cisco IOS XE "IP Access List Entry Sequence Numbering":
 * https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/sec_data_acl/configuration/xe-16/sec-data-acl-xe-16-book/sec-acl-seq-num.html
 */
function withRuleList(
  path: PathInfo,
  placed: ReadonlyMap<string, { readonly context: number }>,
  bindings: readonly CiscoBinding[],
  acls: ReadonlyMap<string, Acl>,
  sequenced: ReadonlyMap<string, readonly AclEntry[]>,
): PathInfo {
  const first = path.contexts[0];
  const name = [...placed].find(([, p]) => p.context === 0)?.[0];
  if (first === undefined || !first.onPath || name === undefined) return path;
  const acl = acls.get(name);
  const aces = sequenced.get(name);
  const binding = bindings.find((b) => b.acl === name && b.kind === "interface" && b.dir === "in");
  if (acl === undefined || aces === undefined || binding === undefined || acl.family !== 4 || acl.standard) return path;
  const list: RuleList = {
    kind: "ios-acl",
    name,
    boundOn: `in on ${binding.where}`,
    rules: aces
      .filter((a) => a.words[a.at] !== "remark")
      .map((a) => ({ line: a.line.n, position: a.seq, text: a.line.text })),
  };
  return { ...path, contexts: [{ ...first, list }, ...path.contexts.slice(1)] };
}

/**
 * IOS lets every packet through an ACL that is bound but does not exist, or holds no entry (only remarks, or every
 * entry deleted): a context on the path whose ACLs are all such lets the connection through, and says why. (ASA
 * refuses to bind an ACL that does not exist, and removes the binding with the ACL's last entry.)
 * Cisco Catalyst 2960 "Configuring Network Security with ACLs", Access List Rules ("If an access list is referenced by
 * a name, but the access list does not exist, all packets pass. An interface or command with an empty access list
 * applied to it permits all traffic into the network."):
 * https://www.cisco.com/c/en/us/td/docs/switches/lan/catalyst2960/software/release/12-2_55_se/configuration/guide/scg_2960/swacl.html
 * (read as the guide's copy at https://manualshive.com/en/manual/cisco/catalyst-2960-series/66776?page=1246).
 */
function passUnfiltered(
  path: PathInfo,
  placed: ReadonlyMap<string, { readonly context: number }>,
  filtering: ReadonlySet<number>,
  acls: ReadonlyMap<string, Acl>,
): PathInfo {
  const names = new Map<number, string[]>();
  for (const [name, place] of placed) {
    const list = names.get(place.context);
    if (list) list.push(name);
    else names.set(place.context, [name]);
  }
  const contexts = path.contexts.map((c, i) => {
    const held = names.get(i);
    if (!c.onPath || held === undefined || filtering.has(i)) return c;
    const why = held
      .map((n) => `ACL ${n} ${acls.has(n) ? "holds no entry" : "is not defined in this paste"}`)
      .join("; ");
    return {
      ...c,
      fallthrough: "allow" as const,
      reason: `${why}: IOS lets every packet through an ACL that does not exist or is empty (if it is defined elsewhere, paste it too).`,
    };
  });
  return { ...path, contexts };
}

/**
 * An ACL's entries in the order the device evaluates them: by the sequence number each got when added (so a paste of
 * commands that adds "15 permit …" after "20 deny …" puts it before the deny). An entry whose number was already taken
 * was refused by IOS ("% Duplicate sequence number"): reported and not read. Remarks keep their place (they match
 * nothing).
 * Cisco IOS XE "IP Access List Entry Sequence Numbering":
 * https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/sec_data_acl/configuration/xe-16/sec-data-acl-xe-16-book/sec-acl-seq-num.html
 */
function inSequence(st: IosState, acl: Acl): readonly AclEntry[] {
  const kept: AclEntry[] = [];
  let reordered = false;
  for (const ace of acl.aces.all) {
    if (ace.refused) {
      st.findings.push(
        finding(
          ace.line,
          "invalid",
          `Sequence number ${ace.seq} is already used in ACL ${acl.name}: IOS refuses this entry ("% Duplicate sequence number").`,
        ),
      );
      continue;
    }
    if (ace.removed) continue;
    if (kept.length > 0 && ace.seq < kept[kept.length - 1]!.seq) reordered = true;
    kept.push(ace);
  }
  // Array.prototype.sort is stable: entries with one number (a remark beside an entry) keep the order they came in.
  return reordered ? kept.sort((a, b) => a.seq - b.seq) : kept;
}

/** One ACE and what reading it needs. */
interface Ace {
  readonly acl: Acl;
  readonly grammar: AddressGrammar;
  readonly line: Line;
  readonly w: readonly string[];
  readonly direction: Direction;
}

/** Reads one ACE (its action word at `at`) into entries; returns the condition a new inbound SYN cannot meet, if any. */
function readAce(st: IosState, ace: Ace, at: number): string | undefined {
  const { acl, grammar, line, w } = ace;
  const action = w[at] === "permit" ? "allow" : "deny";
  const proto = acl.standard ? { next: at + 1 } : readAceProtocol(st, ace, at + 1);
  if (proto === undefined) return undefined;
  const src = parseCiscoAddress(w, proto.next, grammar);
  if (!src.ok) return void st.findings.push(finding(line, src.kind, src.message));
  let j = src.next;
  if (acl.standard && w.slice(j).some((x) => x !== "log" && x !== "log-input")) {
    return void st.findings.push(
      finding(line, "not-understood", `Unexpected words after the address: "${w.slice(j).join(" ")}".`),
    );
  }
  const conditions: string[] = [];
  // An object-group's source ports ("tcp source eq 443") are a condition the sender's ephemeral port may miss.
  const restricted = proto.services ? sourceRestricted(proto.services, action) : undefined;
  if (restricted?.condition !== undefined) conditions.push(restricted.condition);
  let ports: ServiceTerm["ports"];
  let destination: Destination | undefined;
  if (!acl.standard) {
    const dst = readDestination(st, ace, j, action, conditions);
    if (dst === undefined) return undefined;
    ports = dst.ports;
    destination = dst.destination;
    j = dst.next;
  }
  const [established, fragments, inactive] = aceOptionsUnmet(w, j);
  readTimeRange(st, w, j, action, line, conditions);
  headerConditions(w, j, conditions);
  const sources: Resolved<AddressTerm>[] = [];
  if ("ref" in src.operand) {
    sources.push(...st.addrs.resolve(src.operand.ref, line, st.findings));
    if (action === "allow") st.reached.add(src.operand.ref);
  } else for (const t of src.operand.terms) sources.push({ value: t, line, via: [] });
  emitRule(st.entries, sources, {
    line,
    action,
    direction: ace.direction,
    services: restricted ? restricted.terms : aceServices(proto, ports),
    destination,
    qualifier: acl.standard ? undefined : icmpQualifier(proto.protocol, w, j),
  });
  return joinUnmet(established, fragments, inactive, conditionalUnmet(action, conditions));
}

/** The protocol word, or a service object-group (which carries its ports). */
function readAceProtocol(
  st: IosState,
  ace: Ace,
  j: number,
): { readonly next: number; readonly protocol?: string; readonly services?: ServiceTerm[] } | undefined {
  const protoWord = ace.w[j];
  if (protoWord === undefined) return void st.findings.push(finding(ace.line, "invalid", "The protocol is missing."));
  if (protoWord === "object-group") {
    return {
      next: j + 2,
      services: st.services.resolve(ace.w[j + 1] ?? "", ace.line, st.findings).map((r) => r.value),
    };
  }
  const protocol = ciscoProtocol(protoWord);
  return protocol === undefined ? { next: j + 1 } : { next: j + 1, protocol };
}

function aceServices(
  proto: { readonly protocol?: string; readonly services?: ServiceTerm[] },
  ports: ServiceTerm["ports"],
): ServiceTerm[] {
  if (proto.services) return proto.services;
  const term: { protocol?: string; ports?: ServiceTerm["ports"] } = {};
  if (proto.protocol !== undefined) term.protocol = proto.protocol;
  if (ports) term.ports = ports;
  return [term];
}

/** An extended ACE after its source: [source ports] destination [destination ports]. */
function readDestination(
  st: IosState,
  ace: Ace,
  at: number,
  action: Entry["action"],
  conditions: string[],
): { readonly ports: ServiceTerm["ports"]; readonly next: number; readonly destination?: Destination } | undefined {
  const { w, line } = ace;
  let j = at;
  if (isPortOperator(w[j])) {
    // A source port: the webhook sender picks an ephemeral one, so the paste cannot tell whether it matches, unless
    // the ports take in every port a client may pick (range 1024 65535, gt 1023).
    const sp = parseCiscoPorts(w, j, true);
    if (!sp.ports || !coversEphemeral(sp.ports))
      conditions.push(`only source port ${w.slice(j, sp.next).join(" ")} (a client's source port is ephemeral)`);
    j = sp.next;
  }
  const dst = parseCiscoAddress(w, j, ace.grammar);
  if (!dst.ok) return void st.findings.push(finding(line, dst.kind, dst.message));
  const token = w.slice(j, dst.next).join(" ");
  j = dst.next;
  let ranges: readonly Range[] | undefined;
  if ("ref" in dst.operand) {
    // The names must exist, and an allow rule's count as used.
    const resolved = st.addrs.resolve(dst.operand.ref, line, st.findings);
    if (action === "allow") {
      st.reached.add(dst.operand.ref);
      for (const r of resolved) for (const n of r.via) st.reached.add(n);
    }
    ranges = resolved.map((r) => r.value.range);
  } else if (!dst.operand.terms.some((t) => t.kind === "any")) ranges = dst.operand.terms.map((t) => t.range);
  // The addresses named, for the diff's check against the catalog (Entry.destination).
  const destination = ranges !== undefined && ranges.length > 0 ? { token, ranges } : undefined;
  if (!isPortOperator(w[j])) return { ports: undefined, next: j, ...(destination ? { destination } : {}) };
  const p = parseCiscoPorts(w, j, true);
  if (!p.ports) return void st.findings.push(finding(line, "invalid", "The destination ports do not parse."));
  return { ports: p.ports, next: p.next, ...(destination ? { destination } : {}) };
}

/** Keywords after the operands that a new connection's SYN can never meet. */
function aceOptionsUnmet(
  w: readonly string[],
  j: number,
): [string | undefined, string | undefined, string | undefined] {
  // "established" matches only segments with ACK or RST set: never the SYN that opens a connection.
  const established =
    w.indexOf("established", j) >= 0
      ? "established: only packets with ACK or RST set, never a new connection's SYN"
      : undefined;
  const fragments = joinUnmet(
    w.indexOf("fragments", j) >= 0 ? "fragments: only non-initial fragments, never a SYN" : undefined,
    tcpFlagsUnmet(w, j),
  );
  const inactive = w.indexOf("inactive", j) >= 0 ? "inactive" : undefined;
  return [established, fragments, inactive];
}

const SYN_FLAGS: Readonly<Record<string, boolean>> = {
  syn: true,
  ack: false,
  fin: false,
  psh: false,
  rst: false,
  urg: false,
};

/**
 * TCP flag options of an IOS ACE: "ack", "fin", "psh", "rst", "urg" match only segments with that flag set, never the
 * bare SYN that opens a connection ("syn" matches it); "match-all +F -G …" needs every condition, "match-any" one.
 * Cisco IOS XE "IP Access List Entry Sequence Numbering" / "ACL TCP Flags Filtering":
 * https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/sec_data_acl/configuration/xe-16/sec-data-acl-xe-16-book/sec-acl-tcp-flags.html
 */
function tcpFlagsUnmet(w: readonly string[], j: number): string | undefined {
  const words = w.slice(j);
  const single = words.filter((x) => x !== "syn" && Object.hasOwn(SYN_FLAGS, x));
  if (single.length > 0) return `${single.join(" ")}: only segments with that flag set, never a new connection's SYN`;
  const m = words.findIndex((x) => x === "match-all" || x === "match-any");
  if (m < 0) return undefined;
  const conds: boolean[] = [];
  for (const x of words.slice(m + 1)) {
    const f = /^([+-])(\w+)$/.exec(x);
    if (!f || !Object.hasOwn(SYN_FLAGS, f[2]!)) break;
    conds.push((f[1] === "+") === SYN_FLAGS[f[2]!]);
  }
  if (conds.length === 0) return undefined;
  const meets = words[m] === "match-all" ? conds.every(Boolean) : conds.some(Boolean);
  return meets ? undefined : `${words.slice(m, m + 1 + conds.length).join(" ")}: a new connection's SYN does not match`;
}

/** IP header matches of an extended ACE: the value words each takes ("ttl" takes an operator and its values). */
const HEADER_MATCHES: Readonly<Record<string, number>> = { dscp: 1, precedence: 1, tos: 1, option: 1 };

/**
 * "dscp EF", "precedence 5", "tos 4", "ttl gt 10", "option rr" match fields of the IP header that the sender (and the
 * networks on the way) set: the paste cannot tell them for a webhook's SYN, so each is a condition (an allow under it is
 * not counted, a deny under it is read as matching).
 * Cisco IOS XE "IP Access List Overview" / command reference "permit (IP)": precedence, tos, dscp, ttl, option.
 * https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/sec_data_acl/configuration/xe-16/sec-data-acl-xe-16-book/sec-access-list-ov.html
 */
function headerConditions(w: readonly string[], j: number, conditions: string[]): void {
  for (let k = j; k < w.length; k++) {
    const word = w[k]!;
    if (word === "ttl" && isPortOperator(w[k + 1])) {
      const n = w[k + 1] === "range" ? 2 : 1;
      conditions.push(`only packets with ${w.slice(k, k + 2 + n).join(" ")} (the paste cannot tell the sender's)`);
      k += 1 + n;
    } else if (Object.hasOwn(HEADER_MATCHES, word) && w[k + 1] !== undefined) {
      conditions.push(`only packets with ${word} ${w[k + 1]} (the paste cannot tell the sender's)`);
      k += HEADER_MATCHES[word]!;
    }
  }
}

function readTimeRange(
  st: IosState,
  w: readonly string[],
  j: number,
  action: Entry["action"],
  line: Line,
  conditions: string[],
): void {
  const tr = w.indexOf("time-range", j);
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

function isDigits(word: string | undefined): boolean {
  if (word === undefined || word.length === 0) return false;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}
