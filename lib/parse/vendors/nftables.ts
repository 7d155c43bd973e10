/**
 * `nft list ruleset` output, nft -f scripts in the same syntax, and shell scripts of nft commands (`nft add rule …`,
 * `insert rule`, `add element`, `add set|chain|table`, `flush`, `delete`), applied in order into the same tables.
 * Base filter chains are read in hook order (input and forward as inbound, output as outbound), then priority;
 * regular chains are inlined at jump/goto with the jump's matches ANDed in; named sets (@name), anonymous sets and
 * `define`d variables are resolved.
 */
import { isJsWhitespace } from "../lines";
import type { Entry, Finding, ParseOptions, ParseOutput, Parser, PathContext, PathKind, PortRange } from "../types";
import type { Family, Range } from "../../ip/types";
import { parsePrefix, prefixRange } from "../../ip";
import { looksLikeShellScript, readShell, type ShellProblem } from "./shell";
import { KeyedRemovals } from "./keyedremovals";
import { PositionList } from "./positionlist";
import {
  type AddressTerm,
  type Line,
  MAX_EXPANSION,
  ObjectTable,
  OBJECTS_ONLY_NOTE,
  SERVICE_PORTS,
  countLines,
  finding,
  parsePortRange,
  readAddressTerm,
  eachLine,
  wordTable,
} from "./common";
import {
  ANY_COND,
  BOTH_FAMILIES,
  type Cond,
  PROTOCOL_UNIVERSE,
  andCond,
  append,
  complementPorts,
  intersectPorts,
  complementTerms,
  condEntries,
  detectHead,
  inputInterfaceUnmet,
  interfaceMatches,
  isInternalInterface,
  makeEntry,
  minusExits,
  onLine,
  onlyProtocol,
  outputInterfaceUnmet,
  type Source,
} from "./linuxcommon";

/** A word of a statement and the line it was written on (sets and rules may span lines). */
interface Tok {
  readonly w: string;
  readonly line: Line;
}

interface Table {
  readonly family: string;
  readonly name: string;
  readonly sets: ObjectTable<AddressTerm>;
  /** Address sets in definition order (for unused-object findings and the objects-only reading). */
  readonly addressSets: { name: string; line: Line }[];
  /**
   * What "delete set" looks address sets up in (built at the table's first such line); swept out of `addressSets`
   * once the script is read. A search and a splice per delete made 80,000 sets and their deletes take 103 s.
   */
  addressSetRemovals?: KeyedRemovals<{ name: string; line: Line }>;
  readonly portSets: Map<string, PortRange[]>;
  /** Sets of concatenated types ("ipv4_addr . inet_service"): each element's words. */
  readonly concatSets: Map<string, Tok[][]>;
  /** Named verdict maps ("map NAME { type inet_service : verdict; elements = { 443 : jump x } }"): each element's
   *  words, key and verdict. */
  readonly vmaps: Map<string, Tok[][]>;
  readonly chains: Map<string, Chain>;
  /** Sets a rule matches with "!= @name": they decide who is spared a drop ("ip saddr != @allowed … drop"). */
  readonly negatedRefs: Set<string>;
  /** Port lists the table's rules write, by a hash of their words (see RuleReader.sharedPorts). */
  readonly portLists: Map<number, { readonly words: readonly string[]; readonly ports: PortRange[] }>;
}

interface Chain {
  readonly name: string;
  readonly line: Line;
  readonly table: Table;
  hook?: string;
  type?: string;
  priority: number;
  policy?: "allow" | "deny";
  policyLine?: Line;
  /** The rules in order, once the paste is read (`flattenChains`). */
  rules: Tok[][];
  /**
   * The rules while the paste is read: "insert rule" and "… index N" take about √n steps (an array's splice made
   * 80,000 "insert rule … index 1" take 5.5 s, growing with the square).
   */
  list: PositionList<Tok[]>;
  /** Created or filled by commands: its hook may live on the machine rather than in the paste. */
  scripted?: boolean;
  /** Made by an "add rule" of a chain the paste never declares: rules it does not show may be in it. */
  undeclared?: boolean;
  /** Read as the input hook by name (a command script that never declared the hook). */
  assumedHook?: boolean;
  /** The devices of an ingress chain. */
  devices?: string[];
}

const HOOK_ORDER: Record<string, number> = {
  ingress: 0,
  prerouting: 1,
  input: 2,
  forward: 3,
  output: 4,
  postrouting: 5,
};
const NAMED_PRIORITY: Record<string, number> = {
  raw: -300,
  mangle: -150,
  dstnat: -100,
  filter: 0,
  security: 50,
  srcnat: 100,
};
/** Words an nft rule can start with; anything else in a chain is reported, not guessed. */
const STATEMENT_WORDS = new Set(
  "ip ip6 inet tcp udp sctp dccp udplite th meta ct iif iifname oif oifname iiftype oiftype icmp icmpv6 igmp counter log limit accept drop reject jump goto return continue queue mark fib rt ether vlan arp ah esp comp dnat snat masquerade redirect notrack tproxy quota synproxy socket osf nftrace flow numgen jhash symhash exthdr dup fwd l4proto nfproto ipsec update add set @".split(
    " ",
  ),
);
/** ct status bits a new connection from the Internet does not have in a filter hook (see ctStatus). */
const CT_STATUS_UNSET = new Set(["expected", "seen-reply", "assured", "confirmed", "snat", "dying"]);

const SKIPPED_BLOCKS = new Set(["flowtable", "counter", "quota", "limit", "ct", "secmark", "synproxy", "meter"]);
/** Words whose "{" opens a block of statements (a "{" after any other word opens a value: a set of elements). */
const BLOCK_WORDS = new Set(["table", "chain", "set", "map", ...SKIPPED_BLOCKS]);
/** Command verbs for objects inside a table ("add table", "flush …" and "delete table|chain|set" are read apart). */
const OBJECT_VERBS = new Set(["add", "create", "insert", "replace", "delete", "destroy"]);
const TABLE_OBJECTS = new Set(["rule", "element", "chain", "set", "map", ...SKIPPED_BLOCKS]);

/** Splits a line into words; braces, commas and semicolons are words of their own; "#" starts a comment. */
function words(line: Line, out: Tok[]): void {
  const s = line.text;
  const len = s.length;
  let i = 0;
  // Char codes, not s[i] and a string search per character: every line of a big ruleset goes through here.
  while (i < len) {
    const c = s.charCodeAt(i);
    // Shell quoting and escapes of scripted commands ('{ … }', \;, a trailing \) are not nft syntax.
    if (c === 32 || c === 9 || c === 39 || c === 92) {
      i++;
      continue;
    }
    if (c === 35) return;
    if (c === 123 || c === 125 || c === 44 || c === 59) {
      out.push({ w: s[i]!, line });
      i++;
      continue;
    }
    if (c === 34) {
      const close = s.indexOf('"', i + 1);
      const end = close === -1 ? len : close;
      out.push({ w: s.slice(i + 1, end), line });
      i = end + 1;
      continue;
    }
    let j = i + 1;
    while (j < len && !isWordEnd(s.charCodeAt(j))) j++;
    out.push({ w: commonWord(s, i, j) ?? s.slice(i, j), line });
    i = j;
  }
}

/**
 * Words most rules repeat, read as shared literals rather than sliced copies: a big ruleset keeps every word of its
 * rules until the walk, and the reader compares them with literals.
 */
const commonWord = wordTable(
  "ip ip6 inet saddr daddr tcp udp th dport sport counter packets bytes 0 accept drop reject ct state established related new invalid meta iif iifname oif oifname l4proto jump goto return log prefix comment limit rate".split(
    " ",
  ),
);

/** Space, tab, { } , ; #, quotes and the backslash end a bare word. */
function isWordEnd(c: number): boolean {
  return (
    c === 32 ||
    c === 9 ||
    c === 123 ||
    c === 125 ||
    c === 44 ||
    c === 59 ||
    c === 35 ||
    c === 34 ||
    c === 39 ||
    c === 92
  );
}

type Block = "table" | "set" | "chain" | "skip";

/** The set being read: its kind decides what its elements are. */
interface OpenSet {
  readonly name: string;
  readonly line: Line;
  kind: "address" | "port" | "concat" | "vmap" | "other";
  family?: Family;
}

/** What the statements read so far built (tables, defines) and where the next one goes (the open blocks). */
class NftState {
  readonly findings: Finding[] = [];
  /** Live tables by "family name": a table written again is the same table (nft merges them). */
  readonly tables = new Map<string, Table>();
  readonly defines = new Map<string, Tok[]>();
  readonly stack: Block[] = [];
  table: Table | undefined;
  chain: Chain | undefined;
  set: OpenSet | undefined;
  /** Words of a statement that goes on over the next lines. */
  pending: Tok[] = [];
  // Running brace depth and "=" of the pending statement, kept as words arrive so long element lists stay linear.
  depth = 0;
  hasAssign = false;
  /**
   * The statement being read is a shell line running nft (one command, one transaction); otherwise it is a line of an
   * nft -f file, which nft loads as one transaction.
   */
  shellCommand = false;

  tableFor(family: string, name: string): Table {
    const key = `${family} ${name}`;
    const t = this.tables.get(key) ?? newTable(family, name);
    this.tables.set(key, t);
    return t;
  }

  /** Reads the pending statement and starts a new one. */
  flushPending(): void {
    statement(this, this.pending);
    this.pending = [];
    this.depth = 0;
    this.hasAssign = false;
  }
}

/** Reads one statement where the open blocks put it. */
function statement(s: NftState, toks: Tok[]): void {
  const first = toks[0];
  if (!first) return;
  const w = toks.map((t) => t.w);
  if (w[0] === "}") {
    const popped = s.stack.pop();
    if (popped === "chain") s.chain = undefined;
    if (popped === "set") s.set = undefined;
    if (popped === "table") s.table = undefined;
    if (toks.length > 1) statement(s, toks.slice(1));
    return;
  }
  if (w[0] === ";") {
    statement(s, toks.slice(1));
    return;
  }
  const top = s.stack[s.stack.length - 1];
  if (top === "skip") {
    if (w[w.length - 1] === "{") s.stack.push("skip");
    return;
  }
  const brace = w.indexOf("{");
  if (brace >= 0 && brace < w.length - 1 && opensBlockAt(s, toks)) {
    // A block on one line ("chain input { type filter hook input priority 0; policy drop; }").
    feed(s, toks);
    return;
  }
  BLOCK_STATEMENTS[top ?? "top"](s, toks, w, w[w.length - 1] === "{");
}

/** Reads a statement inside a block (or at the top level); `opensBlock` when it ends with "{". */
type StatementReader = (s: NftState, toks: Tok[], w: readonly string[], opensBlock: boolean) => void;

const BLOCK_STATEMENTS: Record<Block | "top", StatementReader> = {
  top: topStatement,
  table: tableStatement,
  set: setStatement,
  chain: chainStatement,
  skip: () => undefined,
};

/** A statement outside any block: a table, a command, a define, or a shell line running nft. */
function topStatement(s: NftState, toks: Tok[], w: readonly string[], opensBlock: boolean): void {
  const line = toks[0]!.line;
  const w0 = w[0] ?? "";
  if (w0 === "sudo" || w0 === "nft" || w0.endsWith("/nft")) {
    // "nft [options] add rule …" in a shell script: the command after the program and its options.
    let k = w0 === "sudo" ? 1 : 0;
    if (w[k] === "nft" || w[k]?.endsWith("/nft")) k++;
    while (w[k]?.startsWith("-")) k++;
    if (w[k] !== "list" && k < toks.length) {
      s.shellCommand = true;
      statement(s, toks.slice(k));
      s.shellCommand = false;
    }
    return;
  }
  if (w0 === "set" && /^-[a-z]+$/.test(w[1] ?? "") && w.length === 2) return; // "set -e" of a shell script
  if (OBJECT_VERBS.has(w0) && TABLE_OBJECTS.has(w[1] ?? "")) {
    command(s, toks);
    return;
  }
  // "table inet x" without a body, "add table …" and "create table …" declare it (the atomic-replace idiom
  // "table inet x" + "delete table inet x" before the full table makes the delete succeed on a fresh system).
  const declare = w0 === "table" ? 1 : (w0 === "add" || w0 === "create") && w[1] === "table" ? 2 : 0;
  if (declare > 0) {
    tableDeclaration(s, w, declare, opensBlock, line);
    return;
  }
  if ((w0 === "delete" || w0 === "destroy" || w0 === "flush") && !opensBlock) {
    if (!maintain(w, s.tables)) s.findings.push(finding(line, "not-understood", `Not an nftables ${w0} command.`));
    return;
  }
  if (w0 === "define" && w[2] === "=") {
    s.defines.set(w[1] ?? "", toks.slice(3));
    return;
  }
  if (w0 === "include" || w0 === "#!/usr/sbin/nft") return;
  if (opensBlock) s.stack.push("skip");
  s.findings.push(finding(line, "not-understood", "Not an nftables table or definition."));
}

/** "[add|create] table [family] name [{]". */
function tableDeclaration(s: NftState, w: readonly string[], at: number, opensBlock: boolean, line: Line): void {
  const ref = tableRef(w, at);
  const t = s.tables.get(ref.key) ?? newTable(ref.family, ref.name);
  s.tables.set(ref.key, t);
  if (opensBlock) {
    s.table = t;
    s.stack.push("table");
  } else if (ref.next < w.length)
    s.findings.push(finding(line, "not-understood", "Not an nftables table declaration."));
}

/** A statement of a table: "set NAME {", "chain NAME {", or a block of no interest here (map, flowtable …). */
function tableStatement(s: NftState, toks: Tok[], w: readonly string[], opensBlock: boolean): void {
  const table = s.table;
  const line = toks[0]!.line;
  if (!table) {
    s.findings.push(finding(line, "not-understood", "Not understood here."));
    return;
  }
  if ((w[0] === "set" || w[0] === "map" || w[0] === "chain") && opensBlock) {
    const name = w[1] ?? "";
    if (w[0] === "set" || w[0] === "map") {
      // A set written again (reopened table, "add element") keeps what its type made of it. A map is read as a set
      // whose type decides: a verdict map keeps its elements, a data map (": ipv4_addr", ": mark" …) nothing.
      s.set = {
        name,
        line,
        kind: table.portSets.has(name)
          ? "port"
          : table.sets.has(name)
            ? "address"
            : table.concatSets.has(name)
              ? "concat"
              : table.vmaps.has(name)
                ? "vmap"
                : "other",
      };
      s.stack.push("set");
    } else {
      s.chain = table.chains.get(name) ?? { name, line, table, priority: 0, rules: [], list: new PositionList() };
      table.chains.set(name, s.chain);
      s.stack.push("chain");
    }
    return;
  }
  if (SKIPPED_BLOCKS.has(w[0] ?? "") && opensBlock) {
    s.stack.push("skip");
    return;
  }
  // A table's own comment and flags (nft(8) TABLES: "comment", "flags dormant|owner|persist") decide nothing; a
  // dormant table filters nothing, which is not read.
  if ((w[0] === "comment" || w[0] === "flags") && !opensBlock && w[1] !== "dormant") return;
  s.findings.push(finding(line, "not-understood", "Not a set, chain or map of this table."));
}

/** A statement of a set: its type, its elements; flags, timeout, size, auto-merge, comment, counter hold no addresses. */
function setStatement(s: NftState, toks: Tok[], w: readonly string[]): void {
  const { set, table } = s;
  if (!set || !table) {
    s.findings.push(finding(toks[0]!.line, "not-understood", "Not understood here."));
    return;
  }
  if (w[0] === "type" || w[0] === "typeof") setType(set, table, w);
  else if (w[0] === "elements" && w[1] === "=") setElements(s, set, table, toks, 2);
}

/** "type ipv4_addr", "typeof ip saddr", "type ipv4_addr . inet_service". */
function setType(set: OpenSet, table: Table, w: readonly string[]): void {
  const spec = w.slice(1).join(" ");
  const colon = w.indexOf(":");
  if (colon >= 0) {
    // A map: "type KEY : verdict" is a verdict map; other data types decide nothing here.
    if (w[colon + 1] === "verdict") {
      set.kind = "vmap";
      if (!table.vmaps.has(set.name)) table.vmaps.set(set.name, []);
    } else set.kind = "other";
    return;
  }
  if (w.includes(".")) {
    set.kind = "concat";
    if (!table.concatSets.has(set.name)) table.concatSets.set(set.name, []);
    return;
  }
  if (/^(?:ipv4_addr|ip saddr|ip daddr)/.test(spec)) set.kind = "address";
  else if (/^(?:ipv6_addr|ip6 saddr|ip6 daddr)/.test(spec)) set.kind = "address";
  else if (/^(?:inet_service|tcp dport|udp dport|th dport)/.test(spec)) set.kind = "port";
  if (set.kind === "address" && !table.sets.has(set.name)) {
    set.family = /ipv6_addr|ip6 /.test(spec) ? 6 : 4;
    table.sets.define(set.name, { line: set.line, members: [] });
    const entry = { name: set.name, line: set.line };
    table.addressSets.push(entry);
    table.addressSetRemovals?.appended(entry);
  } else if (set.kind === "port" && !table.portSets.has(set.name)) table.portSets.set(set.name, []);
}

/** "elements = { … }". */
function setElements(s: NftState, set: OpenSet, table: Table, toks: readonly Tok[], from: number): void {
  if (set.kind === "address") {
    // Each element added as it is read (no list of them all first; adding reports nothing, so findings keep their order).
    eachElement(toks, from, s.findings, s.defines, (term, ref, line) =>
      table.sets.addMember(set.name, term !== undefined ? { value: term, line } : { ref: ref!, line }, line),
    );
    return;
  }
  const value = toks.slice(from);
  if (set.kind === "port") {
    append(table.portSets.get(set.name)!, portsOf(value, s.findings));
  } else if (set.kind === "concat") {
    append(
      table.concatSets.get(set.name)!,
      splitElements(value).map((el) => el.slice(0, elementEnd(el))),
    );
  } else if (set.kind === "vmap") append(table.vmaps.get(set.name)!, splitElements(value));
}

/** A statement of a chain: its type line, its policy, a comment, or a rule (read when the chain is walked). */
function chainStatement(s: NftState, toks: Tok[], w: readonly string[]): void {
  const chain = s.chain;
  const line = toks[0]!.line;
  if (!chain) {
    s.findings.push(finding(line, "not-understood", "Not understood here."));
    return;
  }
  if (w[0] === "type") {
    chainType(chain, w, line);
    return;
  }
  if (w[0] === "policy") {
    chain.policy = w[1] === "drop" ? "deny" : "allow";
    chain.policyLine = line;
    return;
  }
  if (w[0] === "comment") return;
  if (!STATEMENT_WORDS.has(w[0] ?? "")) {
    s.findings.push(finding(line, "not-understood", "Not an nftables rule."));
    return;
  }
  chain.list.push(toks);
}

/** "type filter hook input [device X | devices = { … }] priority 0; [policy drop;]". */
function chainType(chain: Chain, w: readonly string[], line: Line): void {
  chain.type = w[1];
  const hookAt = w.indexOf("hook");
  if (hookAt >= 0) chain.hook = w[hookAt + 1];
  const prioAt = w.indexOf("priority");
  if (prioAt >= 0)
    chain.priority = priorityOf(w.slice(prioAt + 1, w.indexOf(";", prioAt) >= 0 ? w.indexOf(";", prioAt) : undefined));
  const devAt = w.indexOf("device");
  if (devAt >= 0) chain.devices = [(w[devAt + 1] ?? "").replace(/^"|"$/g, "")];
  const devsAt = w.indexOf("devices");
  if (devsAt >= 0)
    chain.devices = w
      .slice(devsAt + 2)
      .filter((x) => x !== "{" && x !== "}" && x !== "," && x !== ";" && x !== "=")
      .slice(0, 16);
  const polAt = w.indexOf("policy");
  if (polAt >= 0) {
    chain.policy = w[polAt + 1] === "drop" ? "deny" : "allow";
    chain.policyLine = line;
  }
}

/** Whether the "{" ending `cur` opens a block of statements here rather than a set of values. */
function opensBlockAt(s: NftState, cur: readonly Tok[]): boolean {
  const top = s.stack[s.stack.length - 1];
  const w0 = cur[0]?.w ?? "";
  return (
    top !== "chain" &&
    top !== "set" &&
    (BLOCK_WORDS.has(w0) || ((w0 === "add" || w0 === "create") && cur[1]?.w === "table"))
  );
}

/**
 * Reads statements that came together: a block word's "{" opens a block, "}" closes it, ";" ends a statement, and so
 * does the end of a line outside a value's braces (nft's grammar: "chain input { type filter hook input priority 0;
 * policy drop;" then a rule a line, which gathered up to the chain's "}" and was read as one rule), unless the line
 * ends with a backslash.
 */
function feed(s: NftState, toks: readonly Tok[]): void {
  let cur: Tok[] = [];
  let value = 0;
  let prev: Tok | undefined;
  for (const t of toks) {
    const newLine = prev !== undefined && t.line !== prev.line && !endsWithBackslash(prev.line.text);
    prev = t;
    if (value === 0 && newLine && cur.length > 0) {
      statement(s, cur);
      cur = [];
    }
    if (value > 0) {
      cur.push(t);
      if (t.w === "{") value++;
      else if (t.w === "}") value--;
      continue;
    }
    if (t.w === "{") {
      cur.push(t);
      if (opensBlockAt(s, cur)) {
        statement(s, cur);
        cur = [];
      } else value = 1;
      continue;
    }
    if (t.w === "}" || t.w === ";") {
      if (cur.length > 0) statement(s, cur);
      cur = [];
      if (t.w === "}") statement(s, [t]);
      continue;
    }
    cur.push(t);
  }
  if (cur.length > 0) statement(s, cur);
}

/**
 * One command of a script ("add rule …", "insert rule …", "add element …", "add set|chain … { … }", "delete rule|
 * element …"), applied to the tables read so far. Tables and chains a command names are created when missing: a
 * script often adds to what the machine already holds.
 */
function command(s: NftState, toks: readonly Tok[]): void {
  const w = toks.map((t) => t.w);
  const line = toks[0]!.line;
  const verb = w[0]!;
  const what = w[1]!;
  const ref = tableRef(w, 2);
  const name = toks[ref.next];
  if (!name || name.w === "{" || name.w === "}") {
    s.findings.push(finding(line, "not-understood", `"${verb} ${what}" without a table and a name.`));
    return;
  }
  const rest = toks.slice(ref.next + 1);
  if (verb === "delete" || verb === "destroy") {
    deleteCommand(s, w, ref.key, name.w, rest, line);
    return;
  }
  if (what === "rule") {
    addRule(s, verb, s.tableFor(ref.family, ref.name), name, rest, line);
    return;
  }
  if (verb === "insert" || verb === "replace") {
    s.findings.push(finding(line, "not-understood", `Not an nftables command: "${verb}" applies to rules only.`));
    return;
  }
  const body = commandBody(rest);
  if (body === undefined) {
    s.findings.push(finding(line, "not-understood", `Not an nftables "${verb} ${what}" command.`));
    return;
  }
  s.table = s.tableFor(ref.family, ref.name);
  s.stack.push("table");
  if (what === "element") addElements(s, s.table, name, body, line);
  else {
    statement(s, [{ w: what, line }, name, { w: "{", line }]);
    if (s.chain) s.chain.scripted = true;
    feed(s, body);
    statement(s, [{ w: "}", line }]);
  }
  // A body with stray braces must not leave a block open for the next command.
  s.stack.length = 0;
  s.table = s.chain = s.set = undefined;
}

/** "{ … }" after a command's name: its inside; undefined when it is not one braced value. */
function commandBody(rest: readonly Tok[]): Tok[] | undefined {
  if (rest.length === 0) return [];
  let depth = 0;
  let end = 0;
  for (; end < rest.length; end++) {
    if (rest[end]!.w === "{") depth++;
    else if (rest[end]!.w === "}" && --depth === 0) break;
  }
  if (rest[0]!.w !== "{" || end < rest.length - 1) return undefined;
  return rest.slice(1, end);
}

/** "delete|destroy rule|element|chain|set …"; maps, counters, quotas … hold no rules or addresses. */
function deleteCommand(
  s: NftState,
  w: readonly string[],
  key: string,
  name: string,
  rest: readonly Tok[],
  line: Line,
): void {
  const what = w[1];
  if (what === "rule") {
    const handle = rest.findIndex((t) => t.w === "handle");
    const which = handle >= 0 ? `Rule handle ${rest[handle + 1]?.w ?? ""}` : "A rule to delete";
    s.findings.push(
      finding(
        line,
        "note",
        `${which} is not known in a paste: this delete is not applied, so that rule is still read if it is here.`,
      ),
    );
  } else if (what === "element") removeElements(s, s.tables.get(key), name, rest, line);
  else if ((what === "chain" || what === "set") && !maintain(w, s.tables)) {
    s.findings.push(finding(line, "not-understood", `Not an nftables ${w[0]} command.`));
  }
}

/** "add element … { … }": a set the paste does not create gets its type from its first element. */
function addElements(s: NftState, table: Table, name: Tok, body: readonly Tok[], line: Line): void {
  const open = { w: "{", line };
  const close = { w: "}", line };
  const isMap = table.vmaps.has(name.w);
  const known = isMap || table.sets.has(name.w) || table.portSets.has(name.w) || table.concatSets.has(name.w);
  statement(s, [{ w: isMap ? "map" : "set", line }, name, open]);
  if (!known) {
    const first = body.find((t) => t.w !== "," && t.w !== "{");
    const addr = first ? readAddressTerm(first.w) : undefined;
    const type = addr?.ok
      ? addr.term.range.first.family === 6
        ? "ipv6_addr"
        : "ipv4_addr"
      : first && parsePortRange(first.w)
        ? "inet_service"
        : "ipv4_addr";
    statement(s, [
      { w: "type", line },
      { w: type, line },
    ]);
    s.findings.push(
      finding(
        line,
        "note",
        `Set "${name.w}" is not created in this paste: its type is read from its elements (${type}).`,
      ),
    );
  }
  statement(s, [{ w: "elements", line }, { w: "=", line }, open, ...body, close]);
  statement(s, [close]);
}

/** "add|insert|replace rule [family] table chain [position|handle|index N] rule…". */
function addRule(s: NftState, verb: string, t: Table, name: Tok, rest: readonly Tok[], line: Line): void {
  const at = rest[0]?.w;
  const pos =
    (at === "position" || at === "handle" || at === "index") && /^\d+$/.test(rest[1]?.w ?? "")
      ? Number(rest[1]!.w)
      : undefined;
  const rule = rest.slice(pos !== undefined ? 2 : 0);
  if (rule.length === 0 || !STATEMENT_WORDS.has(rule[0]!.w)) {
    s.findings.push(finding(line, "not-understood", "Not an nftables rule."));
    return;
  }
  let c = t.chains.get(name.w);
  if (!c) {
    c = { name: name.w, line, table: t, priority: 0, rules: [], list: new PositionList(), undeclared: true };
    t.chains.set(name.w, c);
  }
  c.scripted = true;
  if (verb === "replace") {
    s.findings.push(
      finding(line, "note", `Rule handle ${pos ?? ""} is not known in a paste: this replace is not applied.`),
    );
    return;
  }
  if (pos !== undefined && at === "index") {
    // "index N" names the chain's rule N (from 0): nft refuses an index with no rule there ("Could not process rule:
    // No such file or directory"), checked with nft 1.0.6. A chain the paste never declares may hold rules it does not
    // show: there the index is read among the rules it does.
    if (pos >= c.list.length && !c.undeclared) {
      s.findings.push(
        finding(
          line,
          "note",
          `nft refuses index ${pos}: chain "${c.name}" holds ${c.list.length} ${c.list.length === 1 ? "rule" : "rules"} here (indexes count from 0), so this rule is not added.${s.shellCommand ? "" : " Loaded with nft -f, the whole file fails with it (one transaction) and the device keeps the rules it had."}`,
        ),
      );
      return;
    }
    c.list.insert(pos + (verb === "insert" ? 0 : 1), rule);
    return;
  }
  if (pos !== undefined) {
    const where = verb === "insert" ? "first" : "last";
    s.findings.push(
      finding(
        line,
        "note",
        `Rule handle ${pos} is not known in a paste: this rule is read as the ${where} of chain "${c.name}".`,
      ),
    );
  }
  if (verb === "insert") c.list.insert(0, rule);
  else c.list.push(rule);
}

const rangeKey = (r: Range): string => `${r.first.family} ${r.first.value} ${r.last.value}`;

/** What "delete element" matches an element by: its range (a reference is never deleted this way). */
const elementKey = (m: { readonly ref: string } | { readonly value: AddressTerm }): string | undefined =>
  "value" in m ? rangeKey(m.value.range) : undefined;

/** "delete element … { … }". */
function removeElements(s: NftState, t: Table | undefined, name: string, rest: readonly Tok[], line: Line): void {
  if (!t || (!t.sets.has(name) && !t.portSets.has(name))) {
    s.findings.push(finding(line, "undefined-reference", `Set "${name}" is not defined in this paste.`));
    return;
  }
  const ports = t.portSets.get(name);
  if (ports) {
    for (const p of portsOf(rest, s.findings)) {
      const at = ports.findIndex((x) => x.from === p.from && x.to === p.to);
      if (at >= 0) ports.splice(at, 1);
    }
    return;
  }
  for (const el of elementsOf(rest, s.findings, s.defines)) {
    if (el.kind !== "term") continue;
    const r = el.term.range;
    // A set holds an element once: added twice (a no-op for nft), it is read twice here, and one delete takes both.
    let removed = false;
    while (t.sets.removeMemberByKey(name, rangeKey(r), elementKey)) removed = true;
    if (!removed)
      s.findings.push(
        finding(line, "note", `"${el.term.token}" is not an element of set "${name}": nothing is deleted.`),
      );
  }
}

/** Nested jumps (and gotos) the kernel accepts below a base chain: the 16th is refused. */
export const NFT_JUMP_STACK_SIZE = 16;

/** One line of nft text; a scripted "nft …" command is tokenized from its words, its tokens keep the script line. */
function feedLine(s: NftState, line: Line, shown?: Line): void {
  if (line.text === "" || line.text.charCodeAt(0) === 35) return;
  const pending = s.pending;
  const from = pending.length;
  words(line, pending);
  if (shown) for (let k = from; k < pending.length; k++) pending[k] = { w: pending[k]!.w, line: shown };
  for (let k = from; k < pending.length; k++) {
    const w = pending[k]!.w;
    if (w === "{") s.depth++;
    else if (w === "}") s.depth--;
    else if (w === "=") s.hasAssign = true;
  }
  // A statement with an open anonymous set or element list goes on over the next lines.
  const last = pending[pending.length - 1]?.w;
  const first = pending[0]?.w ?? "";
  // A command's "{ … }" is its value, however many lines it spans ("add element … {" over several lines).
  const isCommand =
    first === "nft" ||
    first === "sudo" ||
    first.endsWith("/nft") ||
    (OBJECT_VERBS.has(first) && pending[1]?.w !== "table");
  const isBlockOpen =
    s.depth === 1 && last === "{" && !s.hasAssign && !isCommand && !/^(?:ip6?|tcp|udp|meta|ct|th)$/.test(first);
  // A shell line ending in a backslash goes on over the next line.
  if ((s.depth > 0 && !isBlockOpen) || endsWithBackslash(line.text)) return;
  if (s.depth < 0 && pending.length > 1 && pending[0]?.w !== "}") {
    // "… accept }" closes the block on the rule's own line.
    const closeAt = pending.length - 1;
    statement(s, pending.slice(0, closeAt));
    s.pending = pending.slice(closeAt);
  }
  s.flushPending();
}

/** The last character but trailing blanks is a backslash (checked without copying the line). */
function endsWithBackslash(text: string): boolean {
  let k = text.length - 1;
  while (k >= 0 && isJsWhitespace(text.charCodeAt(k))) k--;
  return k >= 0 && text.charCodeAt(k) === 92;
}

/** A shell script: its nft commands, and the heredocs of "nft -f -". */
function readNftScript(s: NftState, text: string): void {
  const problems: ShellProblem[] = [];
  const commands = readShell(text, problems);
  for (const p of problems) s.findings.push(finding(p.line, "not-understood", p.message));
  for (const cmd of commands) {
    const w = cmd.words[0] === "sudo" ? cmd.words.slice(1) : cmd.words;
    // Not "nft …": read as the line it is (an nft command pasted without "nft" still reads).
    let k = /^(?:\S*\/)?nft$/.test(w[0] ?? "") ? 1 : 0;
    let file: string | undefined;
    while (k < w.length && w[k]!.startsWith("-")) {
      if (w[k] === "-f" || w[k] === "--file") file = w[++k];
      k++;
    }
    if (file !== undefined) {
      // "nft -f - <<'EOF'": the heredoc is an nft file, read line by line as the script shows it.
      if (cmd.heredoc && (file === "-" || file === "/dev/stdin")) for (const l of cmd.heredoc) feedLine(s, l);
      else
        s.findings.push(
          finding(cmd.line, "note", `nft reads the file ${file}, which this paste does not hold: not read.`),
        );
    } else if (k < w.length) {
      // nft joins its arguments with spaces into one command.
      feedLine(s, { n: cmd.line.n, text: w.slice(k).join(" ") }, cmd.line);
    }
    if (s.pending.length > 0) s.flushPending();
  }
}

export function parseNftables(text: string, options: ParseOptions = {}): ParseOutput {
  const s = new NftState();
  if (looksLikeShellScript(text)) readNftScript(s, text);
  // One line at a time: no array of every line held while the ruleset is read.
  else eachLine(text, (line) => feedLine(s, line));
  if (s.pending.length > 0) statement(s, s.pending);
  const { findings } = s;
  const entries: Entry[] = [];
  const live = [...s.tables.values()];
  for (const t of live) t.addressSetRemovals?.sweep(t.addressSets);
  const ruleCount = flattenChains(live, findings);
  // Sets and no rules: the sets are the allowlist, unless a base chain is declared (emptied by "flush chain", say):
  // then its policy decides every connection.
  const hooked = live.some((t) => [...t.chains.values()].some((c) => c.hook !== undefined && !c.assumedHook));
  if (ruleCount === 0 && !hooked && live.some((t) => t.addressSets.length > 0)) {
    for (const t of live) {
      for (const set of t.addressSets) {
        for (const r of t.sets.resolve(set.name, set.line, findings)) {
          entries.push(makeEntry(r.line, r.value, { action: "allow", direction: "in", via: r.via }));
        }
      }
    }
    return result(text, entries, findings, [OBJECTS_ONLY_NOTE]);
  }
  const base = baseChains(live);
  const port = options.port ?? 443;
  const filtered = detectNftPath(base, s.defines);
  const ingress = options.ingress ?? filtered.ingress;
  const taken = natTaken(base, s.defines, ingress, port);
  const detected = options.path === undefined ? forwardIfDnat(filtered, taken, port) : filtered;
  const kind: PathKind = options.path ?? detected.kind;
  const contexts = base.map((c) => nftContext(c, kind, ingress));
  const walker = new NftWalker(findings, entries, s.defines, 20 * (ruleCount + 100));
  walker.nat = natShift(base, s.defines, ingress, port, findings);
  walker.taken = taken;
  if (kind === "input" && taken !== undefined && taken.some.length > 0) {
    const lines = [...new Set(taken.some.flatMap((c) => (c.sources ?? []).map((x) => x.line.n)))];
    const first = taken.some[0]!.sources?.[0]?.line;
    if (first !== undefined)
      findings.push(
        finding(
          first,
          "note",
          `The dnat at line${lines.length > 1 ? "s" : ""} ${lines.join(", ")} sends some sources' connections to another host: they are forwarded, so the input hook's rules do not see them (the forward hook's do); use --path forward to read them.`,
        ),
      );
  }
  // nat, route … chains decide nothing here (noted below): their rules are not read, but for a dnat of the port.
  base.forEach((start, ci) => {
    if (start.type === "filter") walker.context(start, ci, ingress);
  });
  noteUnread(live, walker, findings);
  const assumption = nftAssumption(
    kind,
    options.path !== undefined,
    detected.why,
    ingress,
    options.ingress !== undefined,
  );
  return {
    ...result(text, entries, findings, []),
    path: { contexts, kind, ...(ingress !== undefined ? { ingress } : {}), assumption },
  };
}

/** Puts inserted rules in place; a scripted chain named input without a hook is read as the input hook. The rule count. */
function flattenChains(live: readonly Table[], findings: Finding[]): number {
  let ruleCount = 0;
  for (const t of live) {
    for (const c of t.chains.values()) {
      c.rules = c.list.toArray();
      ruleCount += c.rules.length;
      if (
        c.scripted &&
        c.hook === undefined &&
        c.type === undefined &&
        c.name.toLowerCase() === "input" &&
        c.rules.length > 0
      ) {
        c.type = "filter";
        c.hook = "input";
        c.assumedHook = true;
        const policy = c.policy === undefined ? ", its policy unknown" : "";
        findings.push(
          finding(
            c.line,
            "note",
            `Chain "${c.name}" has no hook in this paste: read as the input hook by its name${policy}.`,
          ),
        );
      }
    }
  }
  return ruleCount;
}

/** Base chains of the IP families (and netdev ingress), in the kernel's order: hook, then priority, then paste order. */
function baseChains(live: readonly Table[]): Chain[] {
  return live
    .flatMap((t) => [...t.chains.values()])
    .filter((c) => c.hook !== undefined && HOOK_ORDER[c.hook] !== undefined && IP_FAMILIES.has(c.table.family))
    .map((c, i) => ({ c, i }))
    .sort((a, b) => HOOK_ORDER[a.c.hook!]! - HOOK_ORDER[b.c.hook!]! || a.c.priority - b.c.priority || a.i - b.i)
    .map((x) => x.c);
}

/** A base chain as a context of the path: on it or not, and why. */
function nftContext(c: Chain, kind: PathKind, ingress: string | undefined): PathContext {
  const hooks = kind === "input" ? INPUT_HOOKS : FORWARD_HOOKS;
  const declared = c.policyLine ?? c.line;
  const family = c.table.family === "ip" ? 4 : c.table.family === "ip6" ? 6 : undefined;
  let onPath = hooks.has(c.hook!);
  let reason = onPath
    ? `every ${kind === "input" ? "connection to this host" : "connection forwarded through this host"} crosses the ${c.hook} hook`
    : "";
  if (onPath && c.type !== "filter") {
    onPath = false;
    reason = `a ${c.type ?? "typeless"} chain does not filter`;
  } else if (onPath && c.hook === "ingress" && c.devices !== undefined) {
    const on = c.devices.some((d) => (ingress !== undefined ? interfaceMatches(d, ingress) : !isInternalInterface(d)));
    if (!on) {
      onPath = false;
      reason = `it only sees traffic arriving on ${c.devices.join(", ")}`;
    } else reason = `traffic from the Internet arrives on ${c.devices.join(", ")}`;
  } else if (!onPath) {
    reason =
      c.hook === "output" || c.hook === "postrouting"
        ? "it filters connections this host opens or sends, not inbound ones"
        : kind === "input"
          ? "the service is read as this host itself (input path), not a host behind it"
          : "the service is read as behind this host (forward path), not the host itself";
  }
  return {
    name: `${c.table.family} ${c.table.name} ${c.name} (hook ${c.hook}, priority ${c.priority})`,
    line: declared.n,
    text: declared.text,
    fallthrough: c.policy ?? "allow",
    onPath,
    reason,
    ...(family !== undefined ? { family } : {}),
  };
}

/** Where a base chain's rules are inlined: how its rules are read, and the context the entries belong to. */
interface NftWalk {
  /** The port shift of a dnat before this base chain. */
  readonly nat?: NatShift | undefined;
  readonly env: RuleEnv;
  readonly direction: "in" | "out";
  readonly families: readonly Family[];
  readonly ci: number;
}

/** Inlines each base chain's jumps into entries, within one budget for the whole paste. */
class NftWalker {
  readonly allowReached = new Set<string>();
  readonly visited = new Set<Chain>();
  /** The checked port's dnat (nat prerouting, priority dstnat): chains after it see the new port. */
  nat: NatShift | undefined;
  /** Which connections the dnats of nat prerouting take ("ct status dnat"). */
  taken: DnatTaken | undefined;
  /**
   * The packets a notrack before conntrack exempted (nft(8) "notrack"; ct state "untracked"): later ct state matches
   * see them untracked, not new.
   */
  readonly untracked: Cond[] = [];
  /** What the current base chain accepted or dropped so far: a notrack after it does not reach those packets. */
  private decided: Cond[] = [];

  constructor(
    readonly findings: Finding[],
    readonly entries: Entry[],
    readonly defines: ReadonlyMap<string, Tok[]>,
    public budget: number,
  ) {}

  context(start: Chain, ci: number, ingress: string | undefined): void {
    const env: RuleEnv = {
      hook: start.hook!,
      // Conntrack runs at priority -200 on prerouting (and output): before it, a packet has no state and reads as invalid.
      tracked:
        start.hook === "input" || start.hook === "forward" || (start.hook === "prerouting" && start.priority > -200),
      ingress,
      ...dnatEnv(this.taken, start),
    };
    const direction = start.hook === "output" || start.hook === "postrouting" ? "out" : "in";
    this.decided = [];
    const nat =
      this.nat !== undefined &&
      (start.hook === "input" ||
        start.hook === "forward" ||
        (start.hook === "prerouting" && start.priority > this.nat.priority))
        ? this.nat
        : undefined;
    this.walk({ env, direction, families: familiesOf(start.table), ci, nat }, start, ANY_COND, [start.name], []);
  }

  walk(wk: NftWalk, c: Chain, guard: Cond, stack: readonly string[], via: readonly string[]): void {
    this.visited.add(c);
    const exits: Cond[] = [];
    for (const toks of c.rules) {
      if (--this.budget < 0) {
        if (this.budget === -1)
          this.findings.push(
            finding(toks[0]!.line, "note", "Too many nested jumps: the rest of the rules are not read."),
          );
        return;
      }
      const r = readRule(toks, c.table, this.defines, this.findings, wk.env);
      if (r === undefined || r.broken) continue;
      // A vmap's elements carry their own verdicts; a concatenation's take the rule's.
      const branches =
        r.branches === undefined
          ? [{ cond: ANY_COND, verdict: r.verdict, target: r.target }]
          : r.branches.map((b) => (b.verdict === undefined ? { ...b, verdict: r.verdict, target: r.target } : b));
      if (r.notrack && !wk.env.tracked && wk.direction === "in")
        this.notrack(wk, toks[0]!.line, r, branches, guard, exits);
      // A ct state match where a notrack left packets untracked: read again for those packets.
      const untracked =
        r.state && wk.env.tracked && this.untracked.length > 0
          ? readRule(toks, c.table, this.defines, [], { ...wk.env, untracked: true })
          : undefined;
      // A "ct status dnat" match where a dnat took some sources only: read again for those sources.
      const some = this.taken?.some ?? [];
      const dnatted =
        r.ctDnat && wk.env.dnat === "no" && some.length > 0 && untracked === undefined
          ? readRule(toks, c.table, this.defines, [], { ...wk.env, dnat: "yes" })
          : undefined;
      // Read again for some packets (the untracked ones, the ones a dnat took): the rule as read decides the others.
      const split =
        dnatted !== undefined && !dnatted.broken
          ? { alt: dnatted, conds: some }
          : untracked !== undefined
            ? { alt: untracked, conds: this.untracked }
            : undefined;
      for (const b of branches) {
        if (b.verdict === undefined) continue;
        if (split === undefined) this.branch(wk, c, toks[0]!.line, r, b, b.verdict, guard, exits, stack, via);
        else
          this.splitBranch(wk, c, toks[0]!.line, r, b, b.verdict, branches.indexOf(b), guard, split, exits, stack, via);
      }
    }
  }

  /**
   * One branch of a rule read twice: as read, for the packets outside `split.conds`; as `split.alt` (the same rule read
   * for untracked or DNATed packets), for those inside. Addresses no jump named are shown on the rule's line.
   */
  splitBranch(
    wk: NftWalk,
    c: Chain,
    line: Line,
    r: NftRule,
    b: Branch,
    verdict: Verdict,
    k: number,
    guard: Cond,
    split: { readonly alt: NftRule; readonly conds: readonly Cond[] },
    exits: Cond[],
    stack: readonly string[],
    via: readonly string[],
  ): void {
    const { unmet, ...rest } = guard;
    for (const q of minusExits([rest], split.conds, wk.families, line)) {
      const g = onLine(q, line, rest);
      this.branch(wk, c, line, r, b, verdict, unmet === undefined ? g : { ...g, unmet }, exits, stack, via);
    }
    const alt = split.alt.branches?.[k] ?? b;
    for (const u of split.conds) {
      const a = andCond(guard, u);
      const g = a === undefined ? undefined : onLine(a, line, guard);
      if (g !== undefined)
        this.branch(wk, c, line, split.alt, { ...alt, verdict, target: b.target }, verdict, g, exits, stack, via);
    }
  }

  /** A notrack before conntrack: the packets reaching it (not returned, not accepted or dropped before) are exempted. */
  notrack(wk: NftWalk, line: Line, r: NftRule, branches: readonly Branch[], guard: Cond, exits: readonly Cond[]): void {
    for (const b of branches) {
      const own = andCond(r.base, b.cond);
      const joined = own === undefined ? undefined : andCond(guard, own);
      if (joined === undefined) continue;
      for (const p of minusExits(minusExits([joined], exits, wk.families, line), this.decided, wk.families, line)) {
        if (p.unmet !== undefined) continue;
        if (p.unsure !== undefined) {
          this.findings.push(
            finding(
              line,
              "note",
              `This notrack depends on ${p.unsure}: later ct state matches read the connection as new.`,
            ),
          );
          continue;
        }
        this.untracked.push(p);
      }
    }
  }

  /** One branch of a rule under `guard`, minus what earlier returns and gotos took (`exits`, extended here). */
  branch(
    wk: NftWalk,
    c: Chain,
    line: Line,
    r: NftRule,
    b: Branch,
    verdict: Verdict,
    guard: Cond,
    exits: Cond[],
    stack: readonly string[],
    via: readonly string[],
  ): void {
    const matched = andCond(r.base, b.cond);
    const shifted = matched !== undefined && wk.nat !== undefined ? shiftPorts(matched, wk.nat) : matched;
    const own =
      shifted !== undefined && r.origPorts !== undefined
        ? r.origPorts.length === 0
          ? undefined
          : andCond(shifted, { ports: r.origPorts })
        : shifted;
    const joined = own === undefined ? undefined : andCond(guard, own);
    if (joined === undefined) return;
    const pieces = minusExits([joined], exits, wk.families, line);
    if (pieces.length === 0) return;
    if ((verdict === "allow" || verdict === "deny") && !wk.env.tracked) this.decided.push(joined);
    if (verdict === "return") {
      exits.push(joined);
      return;
    }
    if (verdict === "jump" || verdict === "goto") {
      const target = c.table.chains.get(b.target ?? "");
      if (!target) {
        this.findings.push(
          finding(line, "undefined-reference", `Chain "${b.target}" is not defined in table ${c.table.name}.`),
        );
        return;
      }
      if (stack.includes(target.name)) {
        this.findings.push(
          finding(
            line,
            "reference-loop",
            `Chain "${target.name}" jumps back to itself through ${[...stack, target.name].join(" → ")}.`,
          ),
        );
        return;
      }
      // The kernel refuses a ruleset whose jumps nest 16 deep (NFT_JUMP_STACK_SIZE; nft -f says "Could not process
      // rule: Too many links", checked here with nft 1.0 on Linux 6.x), and nft -f loads a file all or nothing.
      if (stack.length >= NFT_JUMP_STACK_SIZE) {
        this.findings.push(
          finding(
            line,
            "not-understood",
            `This jump to "${target.name}" is the ${NFT_JUMP_STACK_SIZE}th nested one: the kernel refuses such a ruleset ("Too many links") and nft -f loads none of the file. The chains below are not read.`,
          ),
        );
        return;
      }
      for (const p of pieces) this.walk(wk, target, p, [...stack, target.name], [...via, target.name]);
      if (verdict === "goto") exits.push(joined);
      return;
    }
    // Indexed loops: for..of here ran through the iterator protocol once per rule (and per set member).
    for (let i = 0; i < pieces.length; i++) {
      const p = pieces[i]!;
      const sources = p.sources;
      if (verdict === "allow" && p.unmet === undefined && sources !== undefined) {
        // The key of the name met last, reused: a set's members all came through the same names.
        let lastName: string | undefined;
        for (let k = 0; k < sources.length; k++) {
          const names = sources[k]!.via;
          for (let j = 0; j < names.length; j++) {
            if (names[j] === lastName) continue;
            lastName = names[j]!;
            this.allowReached.add(`${c.table.name}\u0000${lastName}`);
          }
        }
      }
      condEntries(this.entries, p, wk.families, line, {
        action: verdict,
        direction: wk.direction,
        via,
        ruleLine: line.n,
        comment: r.comment,
        context: wk.ci,
        qualifier: r.qualifier,
      });
    }
  }
}

/** A dnat/redirect of nat prerouting that turns the checked port `from` into `to` for every source. */
interface NatShift {
  readonly from: number;
  readonly to: number;
  readonly line: Line;
  readonly priority: number;
}

/** A rule's ports after the dnat: it meets the connection to `from` only if it lists `to`. */
function shiftPorts(c: Cond, nat: NatShift): Cond {
  if (c.ports === undefined || c.unmet !== undefined) return c;
  const listsNew = c.ports.some((p) => p.from <= nat.to && nat.to <= p.to);
  const others = intersectPorts(c.ports, complementPorts([{ from: nat.from, to: nat.from }]));
  if (listsNew) return { ...c, ports: [...(others ?? []), { from: nat.from, to: nat.from }] };
  if (others === null || others === undefined)
    return {
      ...c,
      unmet: `the dnat at line ${nat.line.n} turned port ${nat.from} into ${nat.to}, which this rule does not list`,
    };
  return { ...c, ports: others };
}

/**
 * The first dnat/redirect of the nat chains on the prerouting hook (by priority) that every new TCP connection to
 * `port` from the Internet meets (nft(8) NAT STATEMENTS: "dnat to address[:port]", "redirect to :port"): the chains
 * after it see the new port. One that depends on the source, or a port not read, is noted and the port kept.
 */
function natShift(
  base: readonly Chain[],
  defines: ReadonlyMap<string, Tok[]>,
  ingress: string | undefined,
  port: number,
  findings: Finding[],
): NatShift | undefined {
  let keptBy = false;
  for (const c of base) {
    if (c.type !== "nat" || c.hook !== "prerouting") continue;
    const env: RuleEnv = { hook: "prerouting", tracked: true, ingress };
    for (const toks of c.rules) {
      const k = toks.findIndex((t) => t.w === "dnat" || t.w === "redirect");
      const r = readRule(k >= 0 ? toks.slice(0, k) : toks, c.table, defines, [], env);
      if (r === undefined || r.broken || r.branches !== undefined) {
        if (k >= 0) return natUnsure(toks, port, findings);
        continue;
      }
      const m = r.base;
      if (m.unmet !== undefined) continue;
      if (m.protos !== undefined && !m.protos.includes("tcp")) continue;
      if (m.ports !== undefined && !m.ports.some((p) => p.from <= port && port <= p.to)) continue;
      if (k < 0) {
        // An accept ends the nat chain for what it matches; jumps and the rest are not followed here.
        if (r.verdict === "allow" && m.sources === undefined && m.unsure === undefined) return undefined;
        // A jump into chains that hold no dnat or redirect (firewalld's nat_PREROUTING_ZONES with no forward
        // ports) changes no port.
        if ((r.verdict === "jump" || r.verdict === "goto") && mayDnat(c.table, r.target))
          return natUnsure(toks, port, findings);
        continue;
      }
      const to = natTargetPort(toks.slice(k));
      const keeps = to === undefined || to === port;
      if (m.sources !== undefined || m.unsure !== undefined) {
        // One for some sources that keeps the port changes nothing here, unless a port-changing one follows.
        if (keeps) {
          keptBy = true;
          continue;
        }
        return natUnsure(toks, port, findings);
      }
      if (keeps) return undefined;
      if (Number.isNaN(to) || keptBy) return natUnsure(toks, port, findings);
      const line = toks[0]!.line;
      findings.push(
        finding(
          line,
          "note",
          `A new connection to port ${port} continues as port ${to} after this ${toks[k]!.w}: the chains after it are read for port ${to}.`,
        ),
      );
      return { from: port, to, line, priority: c.priority };
    }
  }
  return undefined;
}

/**
 * Which new TCP connections to `port` from the Internet the dnats of the nat chains on the prerouting hook take,
 * following their jumps and gotos (firewalld's nat_PREROUTING → nat_PRE_public → nat_PRE_public_allow): every one (the
 * first dnat every source meets), the sources of those that take some only, or not known (a condition not decided, a
 * map). Undefined when the paste has no nat prerouting chain: then nothing is known.
 */
interface DnatTaken {
  /** The dnat or redirect every connection meets (of one family, in an ip or ip6 table). */
  readonly all?: { readonly line: Line; readonly to: string; readonly redirect: boolean; readonly family?: Family };
  /** The conditions (sources) of the dnats to another host that take some connections only. */
  readonly some: Cond[];
  /** Something on the way was not decided: the status is not known. */
  unknown: boolean;
  /** The priority of the first nat prerouting chain: the hooks after it see the dnat. */
  readonly priority: number;
}

function natTaken(
  base: readonly Chain[],
  defines: ReadonlyMap<string, Tok[]>,
  ingress: string | undefined,
  port: number,
): DnatTaken | undefined {
  const chains = base.filter((c) => c.type === "nat" && c.hook === "prerouting");
  if (chains.length === 0) return undefined;
  const out: { -readonly [K in keyof DnatTaken]: DnatTaken[K] } = {
    some: [],
    unknown: false,
    priority: chains[0]!.priority,
  };
  const env: RuleEnv = { hook: "prerouting", tracked: true, ingress };
  // "end": every connection that reached this chain under `guard` was taken (dnat, accept); "next": the rest go on.
  const visit = (c: Chain, guard: Cond, depth: number): "end" | "next" => {
    if (depth >= NFT_JUMP_STACK_SIZE) {
      out.unknown = true;
      return "next";
    }
    for (const toks of c.rules) {
      const k = toks.findIndex((t) => t.w === "dnat" || t.w === "redirect");
      const r = readRule(k >= 0 ? toks.slice(0, k) : toks, c.table, defines, [], env);
      const acts = k >= 0 || r?.verdict === "jump" || r?.verdict === "goto" || r?.verdict === "allow";
      if (r === undefined || r.broken || r.branches !== undefined) {
        if (acts || toks.some((t) => t.w === "vmap")) out.unknown = true;
        continue;
      }
      const m = r.base;
      if (m.unmet !== undefined) continue;
      if (m.protos !== undefined && !m.protos.includes("tcp")) continue;
      if (m.ports !== undefined && !m.ports.some((p) => p.from <= port && port <= p.to)) continue;
      if (!acts) continue;
      if (m.unsure !== undefined) {
        out.unknown = true;
        continue;
      }
      const g =
        m.sources === undefined && m.family === undefined
          ? guard
          : andCond(guard, { sources: m.sources, ...(m.family !== undefined ? { family: m.family } : {}) });
      if (g === undefined) continue;
      const every = g.sources === undefined;
      if (k >= 0) {
        const redirect = toks[k]!.w === "redirect";
        if (every) {
          const to = natTargetText(toks.slice(k));
          out.all ??= {
            line: toks[0]!.line,
            to: to ?? "",
            redirect,
            ...(g.family !== undefined ? { family: g.family } : {}),
          };
          // Of one family only: the connections of the other are not taken.
          if (g.family !== undefined) out.some.push(g);
          return "end";
        }
        if (!redirect) out.some.push(g);
        continue;
      }
      if (r.verdict === "allow") {
        if (every) return "end";
        continue;
      }
      const target = c.table.chains.get(r.target ?? "");
      if (target === undefined) {
        out.unknown = true;
        continue;
      }
      const below = visit(target, g, depth + 1);
      if (every && (below === "end" || r.verdict === "goto")) return below === "end" ? "end" : "next";
    }
    return "next";
  };
  for (const c of chains) {
    // A table of family ip sees IPv4 only, ip6 IPv6 only (nft(8) ADDRESS FAMILIES).
    const family = c.table.family === "ip" ? 4 : c.table.family === "ip6" ? 6 : undefined;
    if (visit(c, family === undefined ? ANY_COND : { family }, 0) === "end" && family === undefined) break;
  }
  return out;
}

/** "172.17.0.2:443" of "dnat [ip|ip6] to 172.17.0.2:443"; undefined when it names no single address (a map). */
function natTargetText(w: readonly Tok[]): string | undefined {
  let i = 1;
  if (w[i]?.w === "ip" || w[i]?.w === "ip6") i++;
  if (w[i]?.w === "to") i++;
  const v = w[i]?.w;
  return v === undefined || v.startsWith("@") || v === "{" || v.startsWith("$") ? undefined : v;
}

/** RuleEnv.dnat of base chain `start`: known on the hooks after the nat prerouting chains. */
function dnatEnv(taken: DnatTaken | undefined, start: Chain): { dnat?: "yes" | "no" } {
  if (taken === undefined || taken.unknown) return {};
  const after =
    start.hook === "input" ||
    start.hook === "forward" ||
    (start.hook === "prerouting" && start.priority > taken.priority);
  if (!after) return {};
  // A redirect is a dnat to this host: it sets the dnat bit too.
  return { dnat: taken.all !== undefined && taken.all.family === undefined ? "yes" : "no" };
}

/** Whether chain `name` of `t`, or a chain it jumps or goes to, holds a dnat or redirect (unknown chains may). */
function mayDnat(t: Table, name: string | undefined): boolean {
  const start = name === undefined ? undefined : t.chains.get(name);
  if (start === undefined) return true;
  const below = chainsBelow(t, start);
  return (
    below.unknown ||
    [start, ...below.chains].some((c) => c.rules.some((rule) => rule.some((x) => x.w === "dnat" || x.w === "redirect")))
  );
}

/**
 * The regular chains `start` jumps or goes to, directly or through others, found with a work list (a hostile chain of
 * 20,000 jumps does not overflow the stack); `unknown` when a jump names a chain the table does not hold.
 */
function chainsBelow(t: Table, start: Chain): { chains: Chain[]; unknown: boolean } {
  const chains: Chain[] = [];
  const seen = new Set<Chain>([start]);
  const queue = [start];
  let unknown = false;
  while (queue.length > 0) {
    for (const rule of queue.pop()!.rules) {
      for (let k = 0; k < rule.length; k++) {
        if (rule[k]!.w !== "jump" && rule[k]!.w !== "goto") continue;
        const target = t.chains.get(rule[k + 1]?.w ?? "");
        if (target === undefined) unknown = true;
        else if (target.hook === undefined && !seen.has(target)) {
          seen.add(target);
          chains.push(target);
          queue.push(target);
        }
      }
    }
  }
  return { chains, unknown };
}

function natUnsure(toks: readonly Tok[], port: number, findings: Finding[]): undefined {
  findings.push(
    finding(
      toks[0]!.line,
      "note",
      `This nat rule may change port ${port} depending on the source or on what is not read: the chains after it are read for port ${port}.`,
    ),
  );
  return undefined;
}

/** The port of "dnat [ip|ip6] to ADDR[:PORT]" / "redirect [to] [:]PORT"; undefined: kept; NaN: not read (map, range). */
function natTargetPort(w: readonly Tok[]): number | undefined {
  let i = 1;
  if (w[i]?.w === "ip" || w[i]?.w === "ip6") i++;
  if (w[i]?.w === "to") i++;
  const v = w[i]?.w;
  if (v === undefined) return undefined;
  const redirect = w[0]!.w === "redirect";
  const port = redirect ? v.replace(/^:/, "") : /^(?:\[[^\]]*\]|[^:[]*):(.+)$/.exec(v)?.[1];
  if (port === undefined) return /^[\d.]+$|^\[?[0-9a-f:]+\]?$/i.test(v) ? undefined : NaN;
  return /^\d{1,5}$/.test(port) && Number(port) <= 65535 ? Number(port) : NaN;
}

/**
 * The regular chains that nat, route (…) base chains jump or go to, each with the first such base chain that reaches
 * it (firewalld's nat_PREROUTING_ZONES under nat_PREROUTING): not read, like the base chain itself, and said so.
 */
function reachedFromOtherTypes(t: Table): Map<Chain, Chain> {
  const out = new Map<Chain, Chain>();
  for (const base of t.chains.values()) {
    if (base.hook === undefined || base.type === undefined || base.type === "filter") continue;
    for (const c of chainsBelow(t, base).chains) if (!out.has(c)) out.set(c, base);
  }
  return out;
}

/** Sets no allow rule used, chains no base chain reached, chains and tables that decide nothing here. */
function noteUnread(live: readonly Table[], walker: NftWalker, findings: Finding[]): void {
  for (const t of live) {
    for (const s of t.addressSets) {
      if (!walker.allowReached.has(`${t.name}\u0000${s.name}`) && !t.negatedRefs.has(s.name)) {
        findings.push(finding(s.line, "unused-object", `Set "${s.name}" is defined but no allow rule uses it.`));
      }
    }
    const underOther = reachedFromOtherTypes(t);
    for (const c of t.chains.values()) {
      if (!walker.visited.has(c) && c.hook === undefined && c.rules.length > 0) {
        const from = underOther.get(c);
        findings.push(
          finding(
            c.line,
            "note",
            from === undefined
              ? `Chain "${c.name}" is not reached from a base chain: its rules are not read.`
              : `Chain "${c.name}" is reached only from the ${from.type} chain "${from.name}": it does not decide what is allowed; its rules are not read.`,
          ),
        );
      } else if (c.type !== undefined && c.type !== "filter" && c.rules.length > 0 && IP_FAMILIES.has(t.family)) {
        findings.push(
          finding(
            c.line,
            "note",
            `Chain "${c.name}" is a ${c.type} chain: it does not decide what is allowed; its rules are not read.`,
          ),
        );
      }
    }
    if (!IP_FAMILIES.has(t.family) && [...t.chains.values()].some((c) => c.rules.length > 0)) {
      findings.push(
        finding(
          [...t.chains.values()][0]!.line,
          "note",
          `Table ${t.family} ${t.name} does not filter IP connections to the service: its rules are not read.`,
        ),
      );
    }
  }
}

function result(text: string, entries: Entry[], findings: Finding[], notes: string[]): ParseOutput {
  return {
    format: "nftables",
    entries,
    findings: findings.sort((a, b) => a.line - b.line),
    lineCount: countLines(text),
    notes,
  };
}

const FAMILIES = new Set(["ip", "ip6", "inet", "arp", "bridge", "netdev"]);

/** "[family] name" from word `at` on; the family defaults to ip, as in nft. */
function tableRef(w: readonly string[], at: number): { family: string; name: string; key: string; next: number } {
  const hasFamily = FAMILIES.has(w[at] ?? "") && w[at + 1] !== undefined && w[at + 1] !== "{";
  const family = hasFamily ? w[at]! : "ip";
  const name = (hasFamily ? w[at + 1] : w[at]) ?? "";
  const next = at + (hasFamily ? 2 : 1) + (w[at + (hasFamily ? 2 : 1)] === "{" ? 1 : 0);
  return { family, name, key: `${family} ${name}`, next };
}

function newTable(family: string, name: string): Table {
  return {
    family,
    name,
    sets: new ObjectTable(),
    addressSets: [],
    portSets: new Map(),
    concatSets: new Map(),
    vmaps: new Map(),
    chains: new Map(),
    negatedRefs: new Set(),
    portLists: new Map(),
  };
}

/**
 * Applies a top-level "flush|delete|destroy ruleset|table|chain|set …" as nft would, to what was read so far:
 * flush ruleset drops every table (of one family if given); flush table empties its chains but keeps its sets;
 * delete/destroy remove the object. False when the command is not one of these.
 */
function maintain(w: readonly string[], tables: Map<string, Table>): boolean {
  const [verb, what] = w;
  if (verb === "flush" && what === "ruleset") {
    const family = w[2];
    if (w.length > 3 || (family !== undefined && !FAMILIES.has(family))) return false;
    for (const [key, t] of tables) if (family === undefined || t.family === family) tables.delete(key);
    return true;
  }
  if (what !== "table" && what !== "chain" && what !== "set") return false;
  const ref = tableRef(w, 2);
  const t = tables.get(ref.key);
  const object = w[ref.next];
  if (what === "table") {
    if (ref.next !== w.length) return false;
    if (!t) return true; // already gone: nothing read from it
    if (verb === "flush") for (const c of t.chains.values()) clearRules(c);
    else tables.delete(ref.key);
    return true;
  }
  if (object === undefined || ref.next + 1 !== w.length) return false;
  if (!t) return true;
  if (what === "chain") {
    const c = t.chains.get(object);
    if (c && verb === "flush") clearRules(c);
    else if (c) t.chains.delete(object);
    return true;
  }
  if (verb === "flush") {
    if (t.sets.has(object)) t.sets.clear(object);
    if (t.portSets.has(object)) t.portSets.set(object, []);
  } else {
    t.sets.remove(object);
    t.portSets.delete(object);
    t.addressSetRemovals ??= new KeyedRemovals(t.addressSets, (x) => x.name);
    t.addressSetRemovals.take(object, () => t.addressSets);
  }
  return true;
}

function clearRules(c: Chain): void {
  c.list = new PositionList();
}

/** Puts the inserted rules before the appended ones, once. */
function familiesOf(t: Table): readonly Family[] {
  return t.family === "ip" ? [4] : t.family === "ip6" ? [6] : BOTH_FAMILIES;
}

function priorityOf(w: readonly string[]): number {
  const base = w[0] ?? "0";
  let p = NAMED_PRIORITY[base] ?? Number(base);
  if (Number.isNaN(p)) p = 0;
  if ((w[1] === "+" || w[1] === "-") && w[2] !== undefined) p += (w[1] === "+" ? 1 : -1) * (Number(w[2]) || 0);
  return p;
}

type Element = { kind: "term"; term: AddressTerm; line: Line } | { kind: "ref"; ref: string; line: Line };

/** Elements of "{ a, b-c, d/len }" or a single value, with $variables expanded and @sets kept as references. */
function elementsOf(toks: readonly Tok[], findings: Finding[], defines: ReadonlyMap<string, Tok[]>): Element[] {
  const out: Element[] = [];
  eachElement(toks, 0, findings, defines, (term, ref, line) =>
    out.push(term !== undefined ? { kind: "term", term, line } : { kind: "ref", ref: ref!, line }),
  );
  return out;
}

/**
 * Each element of toks[from …] in order, as elementsOf lists them: an address term, or a set reference (`ref`).
 * A named set's element list is visited as it is read, not collected first (it may hold tens of thousands).
 */
function eachElement(
  toks: readonly Tok[],
  from: number,
  findings: Finding[],
  defines: ReadonlyMap<string, Tok[]>,
  visit: (term: AddressTerm | undefined, ref: string | undefined, line: Line) => void,
  depth = 0,
  budget: { left: number; deep?: boolean } = { left: MAX_EXPANSION },
): void {
  let expectValue = true;
  for (let k = from; k < toks.length; k++) {
    const t = toks[k]!;
    // Each $variable is expanded where it is used: defines holding the one before 30 times, six deep, stand for
    // 700 million elements.
    if (--budget.left < 0) {
      if (budget.left === -1)
        findings.push(
          finding(
            t.line,
            "not-understood",
            `The variables here expand to more than ${MAX_EXPANSION.toLocaleString("en-US")} elements: the rest is not read.`,
          ),
        );
      return;
    }
    if (t.w === "{" || t.w === "," || t.w === "}") {
      expectValue = true;
      continue;
    }
    if (!expectValue) continue; // element options: timeout, expires, comment, counter …
    expectValue = false;
    if (t.w.startsWith("$")) {
      const def = defines.get(t.w.slice(1));
      if (!def) findings.push(finding(t.line, "undefined-reference", `"${t.w}" is not defined in this paste.`));
      else if (depth > 8) {
        // Once a value: a define holding the one before twice, ten deep, meets it 512 times.
        if (!budget.deep)
          findings.push(
            finding(t.line, "not-understood", `"${t.w}" is a variable nested more than 8 deep in others: not read.`),
          );
        budget.deep = true;
      } else eachElement(def, 0, findings, defines, visit, depth + 1, budget);
      continue;
    }
    if (t.w.startsWith("@")) {
      visit(undefined, t.w.slice(1), t.line);
      continue;
    }
    const r = readAddressTerm(t.w);
    if (r.ok) visit(r.term, undefined, t.line);
    else findings.push(finding(t.line, r.kind, r.message));
  }
}

/** Ports of "443", "{ 80, 443, 8000-8080 }", "https". */
function portsOf(toks: readonly Tok[], findings: Finding[]): PortRange[] {
  const out: PortRange[] = [];
  let expectValue = true;
  for (const t of toks) {
    if (t.w === "{" || t.w === "," || t.w === "}") {
      expectValue = true;
      continue;
    }
    if (!expectValue) continue;
    expectValue = false;
    const r = parsePortRange(t.w) ?? SERVICE_PORTS[t.w.toLowerCase()];
    if (r) out.push(r);
    else findings.push(finding(t.line, "invalid", `"${t.w}" is not a port or port range.`));
  }
  return out;
}

const IP_FAMILIES = new Set(["ip", "ip6", "inet", "netdev"]);
const INPUT_HOOKS = new Set(["ingress", "prerouting", "input"]);
const FORWARD_HOOKS = new Set(["ingress", "prerouting", "forward"]);

/** Where a rule is evaluated: the base chain's hook, whether conntrack has seen the packet, the Internet's interface. */
interface RuleEnv {
  readonly hook: string;
  readonly tracked: boolean;
  readonly ingress: string | undefined;
  /** Read for the packets a notrack before conntrack exempted: their ct state is "untracked". */
  readonly untracked?: boolean;
  /** Whether a dnat of nat prerouting took the connection ("ct status dnat"); undefined: not known. */
  readonly dnat?: "yes" | "no";
}

type Verdict = "allow" | "deny" | "jump" | "goto" | "return";

interface Branch {
  readonly cond: Cond;
  readonly verdict: Verdict | undefined;
  readonly target?: string | undefined;
}

interface NftRule {
  /** Every match of the rule, ANDed. */
  base: Cond;
  /** A verdict map or a concatenation set: alternatives, each with its own conditions (and verdict for a vmap). */
  branches?: Branch[];
  verdict?: Verdict;
  target?: string;
  comment?: string;
  /** Matches read as met that tell the rule apart (a rate limit, an ICMP type, a destination): Entry.qualifier. */
  qualifier?: string;
  /** An address that does not read (reported): the rule is not read. */
  broken?: boolean;
  /** A "ct state" match: its answer depends on whether the packet was left untracked. */
  state?: boolean;
  /** A "ct status dnat" match decided by RuleEnv.dnat. */
  ctDnat?: boolean;
  /** A notrack statement. */
  notrack?: boolean;
  /** "ct original proto-dst": destination ports before any dnat. */
  origPorts?: readonly PortRange[];
}

/** nft's protocol names as entries spell them. */
function protoName(w: string): string {
  const p = w.toLowerCase();
  return p === "icmpv6" || p === "ipv6-icmp" || p === "58"
    ? "ipv6-icmp"
    : p === "6"
      ? "tcp"
      : p === "17"
        ? "udp"
        : p === "1"
          ? "icmp"
          : p;
}

const TCP_FLAGS = ["fin", "syn", "rst", "psh", "ack", "urg", "ecn", "cwr"];

/** The flags of one value: "syn", "syn|ack", "0x02". */
function flagSet(w: string): Set<string> | undefined {
  const out = new Set<string>();
  for (const f of w.split("|")) {
    const x = f.trim().toLowerCase();
    if (TCP_FLAGS.includes(x)) out.add(x);
    else if (/^0x[0-9a-f]+$|^\d+$/.test(x)) {
      const n = Number(x);
      TCP_FLAGS.forEach((name, i) => (n & (1 << i)) !== 0 && out.add(name));
    } else return undefined;
  }
  return out;
}

/**
 * Reads one rule's matches and verdict, deciding for a new inbound SYN from the Internet what does not depend on its
 * source address, protocol or port. Undefined when the rule cannot be read at all (reported).
 */
const L4 = new Set(["tcp", "udp", "sctp", "dccp", "udplite", "th"]);
const LOG_OPTIONS = new Set(["prefix", "level", "flags", "group", "snaplen", "queue-threshold"]);

/** A selector of a match or a verdict map: what its value is compared with. */
type Selector =
  | { readonly k: "addr"; readonly fam: Family }
  | { readonly k: "daddr"; readonly fam: Family }
  | { readonly k: "port"; readonly proto: string | undefined }
  | { readonly k: "state" | "iif" | "oif" | "proto" };
/** Shared by every source written in the rule itself (nothing appends to a source's via). */
const NO_VIA: readonly string[] = Object.freeze([]);

/** "tcp dport", "th dport" …: one shared selector per protocol word (L4 names them all). */
const PORT_SELECTORS = new Map<string, Selector>();
function portSelector(a: string): Selector {
  let sel = PORT_SELECTORS.get(a);
  if (sel === undefined) {
    sel = Object.freeze({ k: "port", proto: a === "th" ? undefined : a });
    PORT_SELECTORS.set(a, sel);
  }
  return sel;
}

const ADDR4: Selector = { k: "addr", fam: 4 };
const ADDR6: Selector = { k: "addr", fam: 6 };
const DADDR4: Selector = { k: "daddr", fam: 4 };
const DADDR6: Selector = { k: "daddr", fam: 6 };
const STATE: Selector = { k: "state" };
const IIF: Selector = { k: "iif" };
const OIF: Selector = { k: "oif" };
const PROTO: Selector = { k: "proto" };

/**
 * Reads one rule's matches and verdict, deciding for a new inbound SYN from the Internet what does not depend on its
 * source address, protocol or port. A class rather than closures: it runs once per rule of big rulesets.
 */
class RuleReader {
  i = 0;
  readonly n: number;
  readonly line: Line;
  readonly r: NftRule = { base: ANY_COND };

  constructor(
    readonly toks: readonly Tok[],
    readonly table: Table,
    readonly defines: ReadonlyMap<string, Tok[]>,
    readonly findings: Finding[],
    readonly env: RuleEnv,
  ) {
    this.n = toks.length;
    this.line = toks[0]!.line;
  }

  w(k: number): string {
    return this.toks[k]?.w ?? "";
  }

  and(c: Cond): void {
    const next = andCond(this.r.base, c);
    // No packet meets both: nothing of this rule can match.
    this.r.base = next ?? { ...this.r.base, unmet: this.r.base.unmet ?? "its matches contradict each other" };
  }
  never(why: string): void {
    this.and({ unmet: why });
  }
  unsure(what: string): void {
    this.findings.push(
      finding(
        this.line,
        "note",
        `"${what}" is not decided for a new connection from the Internet: an accept with it is not counted on, a drop is.`,
      ),
    );
    this.and({ unsure: what });
  }
  /** An operator, then one word or a whole { … } group. */
  value(): { neg: boolean; toks: Tok[]; op: string } {
    let op = "";
    const o = this.w(this.i);
    if (
      o === "!=" ||
      o === "==" ||
      o === "eq" ||
      o === "ne" ||
      o === "<" ||
      o === ">" ||
      o === "<=" ||
      o === ">=" ||
      o === "lt" ||
      o === "gt" ||
      o === "le" ||
      o === "ge"
    ) {
      op = o === "eq" ? "==" : o === "ne" ? "!=" : o;
      this.i++;
    }
    const neg = op === "!=";
    if (this.w(this.i) === "{") {
      const start = this.i;
      let d = 0;
      for (; this.i < this.n; this.i++) {
        if (this.w(this.i) === "{") d++;
        else if (this.w(this.i) === "}" && --d === 0) break;
      }
      return { neg, op, toks: this.toks.slice(start, ++this.i) };
    }
    if (this.i >= this.n) return { neg, op, toks: [] };
    // "established,related" and "established | related" (nft's listing): bits without braces.
    const start = this.i++;
    while ((this.w(this.i) === "," || this.w(this.i) === "|") && this.i + 1 < this.n) this.i += 2;
    return { neg, op, toks: this.toks.slice(start, this.i) };
  }
  /** The words of a value, without braces and commas, $variables expanded. */
  words(vt: readonly Tok[], depth = 0): string[] {
    const out: string[] = [];
    for (const t of vt) {
      if (t.w === "{" || t.w === "}" || t.w === "," || t.w === "|") continue;
      if (t.w.startsWith("$") && depth < 8) {
        const def = this.defines.get(t.w.slice(1));
        if (def) append(out, this.words(def, depth + 1));
        else this.findings.push(finding(t.line, "undefined-reference", `"${t.w}" is not defined in this paste.`));
      } else out.push(t.w);
    }
    return out;
  }

  addressSel(fam: Family, vt: readonly Tok[], neg: boolean): Cond | undefined {
    const before = this.findings.length;
    // Only the sources of the selector's family are kept, in order; a one-item list for the usual single address.
    let mine: Source[] | undefined;
    const els = elementsOf(vt, this.findings, this.defines);
    for (let k = 0; k < els.length; k++) {
      const el = els[k]!;
      if (el.kind === "term") {
        if (el.term.range.first.family !== fam) continue;
        const src: Source = { term: el.term, line: el.line, via: NO_VIA };
        if (mine === undefined) mine = [src];
        else mine.push(src);
      } else if (this.table.sets.has(el.ref)) {
        if (neg) this.table.negatedRefs.add(el.ref);
        const members = this.table.sets.resolve(el.ref, el.line, this.findings);
        for (let j = 0; j < members.length; j++) {
          const m = members[j]!;
          if (m.value.range.first.family !== fam) continue;
          (mine ??= []).push({ term: m.value, line: m.line, via: m.via });
        }
      } else {
        this.findings.push(
          finding(el.line, "undefined-reference", `Set "${el.ref}" is not an address set of table ${this.table.name}.`),
        );
        return { family: fam, unsure: `set @${el.ref}` };
      }
    }
    mine ??= [];
    // Nothing readable, and the reason is reported: the rule is not read (as iptables does with a bad source).
    if (mine.length === 0 && this.findings.length > before) this.r.broken = true;
    if (!neg) return mine.length > 0 ? { sources: mine, family: fam } : undefined;
    const written = vt
      .map((t) => t.w)
      .join(" ")
      .replace(/ ?([{},]) ?/g, "$1");
    return {
      sources: complementTerms(
        mine.map((s) => s.term.range),
        fam,
        written,
      ).map((term) => ({ term, line: this.line, via: NO_VIA })),
      family: fam,
    };
  }
  portSel(proto: string | undefined, vt: readonly Tok[], neg: boolean): Cond | undefined {
    let ports: PortRange[] = [];
    const ref = vt.length === 1 && vt[0]!.w.startsWith("@") ? vt[0]!.w.slice(1) : undefined;
    if (ref !== undefined) {
      const set = this.table.portSets.get(ref);
      if (set) ports = set;
      else {
        this.findings.push(
          finding(this.line, "undefined-reference", `Port set "${ref}" is not defined in this table.`),
        );
        return { unsure: `set @${ref}` };
      }
    } else if (vt.some((t) => t.w.startsWith("$")))
      ports = portsOf(
        vt.flatMap((t) => (t.w.startsWith("$") ? (this.defines.get(t.w.slice(1)) ?? [t]) : [t])),
        this.findings,
      );
    else ports = this.sharedPorts(vt);
    const c: { -readonly [K in keyof Cond]: Cond[K] } = {};
    if (proto !== undefined) c.protos = onlyProtocol(proto);
    if (ports.length === 0) return neg ? c : undefined;
    c.ports = neg ? complementPorts(ports) : ports;
    return c;
  }
  /** portsOf, once per distinct value text that reads without a finding (the lists are never changed in place). */
  sharedPorts(vt: readonly Tok[]): PortRange[] {
    if (vt.length > 32) return portsOf(vt, this.findings);
    // Looked up by a hash of the words (no key string built per rule), then the words compared.
    let h = vt.length;
    for (let k = 0; k < vt.length; k++) {
      const w = vt[k]!.w;
      h = (Math.imul(h, 31) + w.length) | 0;
      for (let c = 0; c < w.length; c++) h = (Math.imul(h, 31) + w.charCodeAt(c)) | 0;
    }
    const lists = this.table.portLists;
    const known = lists.get(h);
    if (known !== undefined && known.words.length === vt.length && known.words.every((w, k) => w === vt[k]!.w))
      return known.ports;
    const before = this.findings.length;
    const ports = portsOf(vt, this.findings);
    if (this.findings.length !== before || known !== undefined || lists.size >= 4096) return ports;
    // Frozen: conditions and entries share the list, nothing changes it.
    const shared = Object.freeze(ports) as PortRange[];
    lists.set(h, { words: vt.map((t) => t.w), ports: shared });
    return shared;
  }
  anyOf(vt: readonly Tok[], neg: boolean, meets: (x: string) => boolean, why: string): Cond {
    const met = this.words(vt).some((x) => meets(x.replace(/^"|"$/g, "")));
    return met !== neg ? ANY_COND : { unmet: why };
  }
  stateSel(vt: readonly Tok[], neg: boolean, op = ""): Cond | undefined {
    // A connection has exactly one state. "{ a, b }" is membership; "a,b" without an operator tests any of the bits;
    // "== a,b" / "!= a,b" compare with the bits ORed together, which one state never equals (nft's bitmask type).
    this.r.state = true;
    const state = this.env.untracked ? "untracked" : this.env.tracked ? "new" : "invalid";
    const list = this.words(vt).map((x) => x.toLowerCase());
    const braced = vt[0]?.w === "{";
    const meets = braced || op === "" || list.length === 1 ? list.includes(state) : false;
    if (meets !== neg) return ANY_COND;
    const shown = braced ? `{ ${list.join(", ")} }` : list.join(",");
    return {
      unmet: `ct state ${op ? `${op} ` : ""}${shown}: ${this.env.untracked ? "a connection left untracked (notrack) is UNTRACKED" : `a new connection's state is ${state.toUpperCase()}${this.env.tracked ? "" : " before conntrack"}`}`,
    };
  }
  iifSel(vt: readonly Tok[], neg: boolean, _op = ""): Cond | undefined {
    const names = this.words(vt).map((x) => x.replace(/^"|"$/g, ""));
    const on = (x: string) =>
      this.env.ingress !== undefined ? interfaceMatches(x, this.env.ingress) : !isInternalInterface(x);
    const why =
      names.length === 1
        ? inputInterfaceUnmet(names[0]!, neg, this.env.ingress)
        : `only traffic ${neg ? "not " : ""}arriving on ${names.join(", ")}`;
    return this.anyOf(vt, neg, on, why ?? "");
  }
  oifSel(vt: readonly Tok[], neg: boolean, _op = ""): Cond | undefined {
    if (this.env.hook !== "forward")
      return { unmet: `the output interface: not known yet on the ${this.env.hook} hook` };
    const names = this.words(vt).map((x) => x.replace(/^"|"$/g, ""));
    const met = names.some((x) => outputInterfaceUnmet(x, false, this.env.ingress) === undefined);
    const why = `only traffic ${neg ? "not " : ""}leaving through ${names.join(", ")}`;
    return met !== neg ? ANY_COND : { unmet: why };
  }
  protoSel(vt: readonly Tok[], neg: boolean, _op = ""): Cond | undefined {
    const list = this.words(vt).map(protoName);
    return { protos: neg ? PROTOCOL_UNIVERSE.filter((p) => !list.includes(p)) : list };
  }

  /** What a selector's membership in a value means, as a condition (or undefined: no packet matches). */
  apply(sel: Selector, vt: readonly Tok[], neg: boolean, op = ""): Cond | undefined {
    switch (sel.k) {
      case "addr":
        return this.addressSel(sel.fam, vt, neg);
      case "daddr":
        return this.daddrSel(sel.fam, vt, neg);
      case "port":
        return this.portSel(sel.proto, vt, neg);
      case "state":
        return this.stateSel(vt, neg, op);
      case "iif":
        return this.iifSel(vt, neg);
      case "oif":
        return this.oifSel(vt, neg);
      case "proto":
        return this.protoSel(vt, neg);
    }
  }

  /**
   * "ip daddr" as a part of a concatenation ("ip daddr . meta l4proto . th dport vmap @firewall-ips", kube-proxy's
   * nftables mode): the service's own address, met unless loopback, multicast or broadcast, as the daddr expression
   * reads it alone; addresses written out are kept for the diff's check against the catalog (Entry.destination).
   */
  daddrSel(fam: Family, vt: readonly Tok[], neg: boolean): Cond | undefined {
    const ranges = elementsOf(vt, this.findings, this.defines).flatMap((el) =>
      el.kind === "term" && el.term.range.first.family === fam ? [el.term.range] : [],
    );
    const special = ranges.length > 0 && ranges.every(isSpecialDestination);
    const token = this.words(vt).join(" ");
    if (!neg && special) return { family: fam, unmet: `only traffic to ${token}` };
    if (neg) return special ? { family: fam } : { family: fam, unsure: `daddr != ${token}` };
    return ranges.length > 0 ? { family: fam, destination: { token, ranges } } : { family: fam };
  }

  /** The selector at the cursor (advancing past it), or undefined when the words there are not one. */
  selector(): Selector | undefined {
    const a = this.w(this.i);
    const b = this.w(this.i + 1);
    if ((a === "ip" || a === "ip6") && b === "saddr") {
      this.i += 2;
      return a === "ip" ? ADDR4 : ADDR6;
    }
    // "ip daddr" alone is read by its expression (readAddressFamily); in a concatenation it is a selector.
    if ((a === "ip" || a === "ip6") && b === "daddr" && this.w(this.i + 2) === ".") {
      this.i += 2;
      return a === "ip" ? DADDR4 : DADDR6;
    }
    if (b === "dport" && L4.has(a)) {
      this.i += 2;
      return portSelector(a);
    }
    if (a === "ct" && b === "state") {
      this.i += 2;
      return STATE;
    }
    if ((a === "meta" && (b === "iif" || b === "iifname")) || a === "iif" || a === "iifname") {
      this.i += a === "meta" ? 2 : 1;
      return IIF;
    }
    if ((a === "meta" && (b === "oif" || b === "oifname")) || a === "oif" || a === "oifname") {
      this.i += a === "meta" ? 2 : 1;
      return OIF;
    }
    if (
      (a === "meta" && b === "l4proto") ||
      a === "l4proto" ||
      ((a === "ip" || a === "ip6") && (b === "protocol" || b === "nexthdr"))
    ) {
      this.i += a === "l4proto" ? 1 : 2;
      return PROTO;
    }
    return undefined;
  }

  /** "verdict" words at k: accept, drop, reject …, jump/goto X, return; undefined when there is none. */
  verdictAt(k: number): { verdict: Verdict; target?: string; width: number } | undefined {
    const v = this.toks[k]?.w;
    if (v === "accept") return { verdict: "allow", width: 1 };
    if (v === "drop" || v === "reject") return { verdict: "deny", width: 1 };
    if (v === "jump" || v === "goto") return { verdict: v, target: this.toks[k + 1]?.w ?? "", width: 2 };
    if (v === "return") return { verdict: "return", width: 1 };
    if (v === "queue") return { verdict: "deny", width: 1 };
    return undefined;
  }

  read(): NftRule {
    while (this.i < this.n) {
      const at = this.i;
      // A selector, or a concatenation of selectors ("ip saddr . tcp dport"), then a value, a set or a verdict map.
      // The list is made only when a selector is there (most words of a rule are not one).
      const first = this.selector();
      if (first !== undefined) {
        const sels: Selector[] = [first];
        while (this.w(this.i) === ".") {
          this.i++;
          const s = this.selector();
          if (s === undefined) break;
          sels.push(s);
        }
        this.selectorMatch(sels, at);
        continue;
      }
      const a = this.w(this.i);
      if (EXPRESSIONS.get(a)?.(this, a, this.w(this.i + 1))) continue;
      if (this.verdict(a)) continue;
      // An expression this reader does not know: never read as "matches anything".
      this.unsure(
        this.toks
          .slice(this.i, Math.min(this.n, this.i + 3))
          .map((t) => t.w)
          .join(" "),
      );
      this.i++;
      while (this.i < this.n && !this.verdictAt(this.i) && !STATEMENT_WORDS.has(this.w(this.i))) this.i++;
    }
    return this.r;
  }

  /** "accept", "drop", "jump X" … at the cursor: the rule's verdict (the first one counts). */
  verdict(a: string): boolean {
    const v = this.verdictAt(this.i);
    if (!v) return false;
    this.r.verdict ??= v.verdict;
    if (v.target !== undefined) this.r.target ??= v.target;
    this.i += v.width;
    if (a === "reject" || a === "queue") this.i = this.n; // "reject with tcp reset", "queue num 1 bypass"
    return true;
  }

  /** Selectors read from `at`, then "vmap { … }", a value, or a set of concatenated values. */
  selectorMatch(sels: readonly Selector[], at: number): void {
    if (this.w(this.i) === "vmap") {
      this.i++;
      this.verdictMap(sels, this.value());
      return;
    }
    const v = this.value();
    if (sels.length === 1) {
      const c = this.apply(sels[0]!, v.toks, v.neg, v.op);
      if (c === undefined)
        this.never(
          `no ${this.toks
            .slice(at, this.i)
            .map((t) => t.w)
            .join(" ")} can match`,
        );
      else this.and(c);
      return;
    }
    // A concatenation: the key matches one element of the set, each element a conjunction of its parts.
    const elements =
      v.toks.length === 1 && v.toks[0]!.w.startsWith("@")
        ? this.table.concatSets.get(v.toks[0]!.w.slice(1))
        : splitElements(v.toks);
    if (elements === undefined || v.neg) {
      this.unsure(
        this.toks
          .slice(at, this.i)
          .map((t) => t.w)
          .join(" "),
      );
      return;
    }
    const branches: Branch[] = [];
    for (const el of elements) {
      const cond = this.keyCond(sels, splitConcat(el));
      if (cond !== undefined) branches.push({ cond, verdict: undefined });
    }
    this.setBranches(branches);
    if (branches.length === 0) this.never("no element of the set can match");
  }

  /** "… vmap { key : verdict, … }": one branch per element, with its own verdict. */
  verdictMap(sels: readonly Selector[], v: { toks: Tok[] }): void {
    let elements: readonly Tok[][];
    if (v.toks.length === 1 && v.toks[0]!.w.startsWith("@")) {
      // A named verdict map of this table (nft(8) MAPS): its elements, as an anonymous one's.
      const named = this.table.vmaps.get(v.toks[0]!.w.slice(1));
      if (named === undefined) {
        this.unsure(`verdict map ${v.toks[0]!.w}`);
        return;
      }
      elements = named;
    } else elements = splitElements(v.toks);
    const branches: Branch[] = [];
    for (const el of elements) {
      const colon = el.findIndex((t) => t.w === ":");
      if (colon < 0) continue;
      const verdict = this.verdictAt2(el, colon + 1);
      // "443 counter packets 0 bytes 0 : accept", "443 comment \"x\" : drop": the key ends before those.
      const cond = this.keyCond(sels, splitConcat(el.slice(0, Math.min(colon, elementEnd(el)))));
      if (cond !== undefined && verdict) branches.push({ cond, verdict: verdict.verdict, target: verdict.target });
    }
    this.setBranches(branches);
  }

  /** The conjunction of each selector's match with its part of a concatenated key. */
  keyCond(sels: readonly Selector[], parts: readonly Tok[][]): Cond | undefined {
    let cond: Cond | undefined = ANY_COND;
    parts.forEach((p, k) => {
      const c = sels[k] ? this.apply(sels[k], p, false) : undefined;
      cond = cond === undefined || c === undefined ? undefined : andCond(cond, c);
    });
    return cond;
  }

  setBranches(branches: Branch[]): void {
    if (this.r.branches) this.unsure("two verdict maps or concatenated sets in one rule");
    else this.r.branches = branches;
  }

  /** "ip daddr …": the protected service's own address, met unless loopback, multicast or broadcast. */
  daddr(a: string): void {
    const from = this.i;
    this.i += 2;
    const v = this.value();
    this.qualify(from);
    this.and({ family: a === "ip" ? 4 : 6 });
    const elements = elementsOf(v.toks, this.findings, this.defines);
    const ranges = elements.flatMap((el) => (el.kind === "term" ? [el.term.range] : []));
    const special = ranges.length > 0 && ranges.every(isSpecialDestination);
    const token = v.toks
      .map((t) => t.w)
      .join(" ")
      .replace(/ ,/g, ",");
    if (!v.neg && special) this.never(`only traffic to ${token}`);
    else if (v.neg && !special) this.unsure(`${a} daddr != ${token}`);
    // Every address named (no set reference): the diff reads them against the catalog (Entry.destination).
    else if (!v.neg && ranges.length > 0 && ranges.length === elements.length)
      this.and({ destination: { token, ranges } });
  }

  /** "tcp sport …": the client picks its source port, so only "any port" is decided. */
  sport(a: string): void {
    this.i += 2;
    const v = this.value();
    const ports = portsOf(v.toks, this.findings);
    if (a !== "th") this.and({ protos: [a] });
    if (ports.some((p) => p.from <= 1024 && p.to >= 65535) === v.neg)
      this.unsure(`${a} sport ${v.neg ? "!= " : ""}${v.toks.map((t) => t.w).join(" ")}`);
  }

  /** "tcp flags [& mask] [op] value [/ mask]": decided for a SYN. */
  tcpFlags(): void {
    this.i += 2;
    this.and({ protos: ["tcp"] });
    const mask = this.w(this.i) === "&" ? this.flagMask() : undefined;
    const v = this.value();
    const vals = this.words(v.toks);
    // "tcp flags syn / fin,syn,rst,ack" (nft ≥ 1.0.2): value / mask.
    const slash = this.w(this.i) === "/" ? this.slashMask() : undefined;
    const m = mask ?? slash;
    const sets = vals.map((x) => flagSet(x));
    if (sets.some((x) => x === undefined) || (mask === undefined && this.w(this.i - 1) === "(")) {
      this.unsure(`tcp flags ${vals.join(" ")}`);
      return;
    }
    const masked = new Set(["syn"].filter((f) => m === undefined || m.has(f)));
    const eq = (x: Set<string>) => x.size === masked.size && [...x].every((f) => masked.has(f));
    let met: boolean;
    if (v.toks[0]?.w === "{") met = sets.some((x) => eq(x!));
    else {
      const all = new Set(sets.flatMap((x) => [...x!]));
      // Without an operator or mask: any of the flags is set; otherwise the masked flags equal the value.
      met = v.op === "" && m === undefined ? all.has("syn") : eq(all);
    }
    if (met === v.neg)
      this.never(
        `tcp flags ${v.op ? `${v.op} ` : ""}${vals.join(",")}${m ? ` under mask ${[...m].join("|")}` : ""}: a SYN does not match`,
      );
  }

  /** "& syn" or "& (syn | ack)" (which arrives as words "(syn", "|", "ack)": joined back). */
  flagMask(): Set<string> | undefined {
    this.i++;
    const m = this.w(this.i) === "(" ? undefined : this.w(this.i);
    let text = m ?? "";
    if (m === undefined || m.startsWith("(")) {
      text = "";
      for (; this.i < this.n && !this.w(this.i).endsWith(")"); this.i++) text += this.w(this.i);
      text += this.w(this.i);
    }
    this.i++;
    return flagSet(text.replace(/[()\s]/g, ""));
  }

  /** "/ fin,syn,rst,ack". */
  slashMask(): Set<string> | undefined {
    this.i++;
    let text = this.w(this.i++);
    while (this.w(this.i) === "," && this.i + 1 < this.n) {
      text += `|${this.w(this.i + 1)}`;
      this.i += 2;
    }
    return flagSet(text);
  }

  /** "meta nfproto ipv4|ipv6". */
  nfproto(a: string): void {
    this.i += a === "meta" ? 2 : 1;
    const v = this.value();
    const f = this.words(v.toks);
    if (f.length === 1 && (f[0] === "ipv4" || f[0] === "ipv6")) {
      const fam: Family = f[0] === "ipv4" ? 4 : 6;
      if (v.neg) this.and({ family: fam === 4 ? 6 : 4 });
      else this.and({ family: fam });
    } else this.unsure("meta nfproto");
  }

  /** "icmp type …": only the protocol matters here. */
  icmp(a: string): void {
    this.and({ protos: [a === "icmp" ? "icmp" : "ipv6-icmp"] });
    const from = this.i;
    this.i += 2;
    this.value();
    this.qualify(from);
  }

  /**
   * "fib saddr|daddr [. iif|. oif|. mark …] oif|oifname|type VALUE" (nft(8) FIB EXPRESSIONS): the daddr type is
   * decided by the hook; the reverse-path check "fib saddr … oif missing drop" (the nftables wiki's anti-spoofing
   * rule, firewalld's rpfilter) does not match a SYN from a public address arriving from the Internet, which the route
   * back to it (the default route) leaves through. Other fib lookups are not decided.
   */
  fib(): boolean {
    const key = this.w(this.i + 1);
    if (key !== "saddr" && key !== "daddr") return false;
    let k = this.i + 2;
    const parts = [key];
    while (this.w(k) === "." && (this.w(k + 1) === "iif" || this.w(k + 1) === "oif" || this.w(k + 1) === "mark")) {
      parts.push(this.w(k + 1));
      k += 2;
    }
    const result = this.w(k);
    if (key === "daddr" && result === "type" && !parts.includes("oif")) {
      this.i = k - 2;
      this.fibDaddrType(parts.join(" . "));
      return true;
    }
    if (key === "saddr" && (result === "oif" || result === "oifname") && !parts.includes("oif")) {
      const at = this.i;
      this.i = k + 1;
      const v = this.value();
      const vals = this.words(v.toks);
      const shown = `${this.toks
        .slice(at, this.i)
        .map((t) => t.w)
        .join(" ")}`;
      if (vals.length === 1 && (vals[0] === "missing" || vals[0] === "exists")) {
        // A route back to the source exists: "missing" is false, "exists" true.
        if ((vals[0] === "missing") !== v.neg)
          this.never(`${shown}: the route back to an Internet source leaves through the interface it arrived on`);
      } else this.unsure(shown);
      return true;
    }
    return false;
  }

  /** "fib daddr [. iif] type local|unicast …". */
  fibDaddrType(key = "daddr"): void {
    this.i += 3;
    const v = this.value();
    const types = this.words(v.toks);
    const local = this.env.hook === "input" || this.env.hook === "prerouting" || this.env.hook === "ingress";
    const met = types.some((t) => (t === "local" && local) || (t === "unicast" && !local));
    if (met === v.neg) this.never(`fib ${key} type ${v.neg ? "!= " : ""}${types.join(",")}`);
  }

  /** "meta pkttype host|…". */
  pkttype(): void {
    this.i += 2;
    const v = this.value();
    if (this.words(v.toks).includes("host") === v.neg) this.never(`meta pkttype ${this.words(v.toks).join(",")}`);
  }

  /** "meta|ct mark …": a new connection from the Internet carries mark 0. */
  mark(a: string): void {
    this.i += 2;
    const v = this.value();
    const zero = this.words(v.toks).some((x) => Number(x) === 0);
    if (zero === v.neg)
      this.never(
        `${a} mark ${v.neg ? "!= " : ""}${this.words(v.toks).join(",")} (a new connection from the Internet carries mark 0)`,
      );
  }

  /** "limit rate [over] 10/second [burst 5 packets]": only "over" can fail a first connection. */
  limit(): void {
    const from = this.i;
    this.limitWords();
    this.qualify(from);
  }

  /** Adds the words from `from` up to the cursor to the rule's qualifier (Entry.qualifier), bounded. */
  private qualify(from: number): void {
    const words: string[] = [];
    for (let k = from; k < this.i && k < from + 16; k++) words.push(this.w(k));
    const text = words.join(" ");
    const q = this.r.qualifier === undefined ? text : `${this.r.qualifier} ${text}`;
    this.r.qualifier = q.length > 200 ? q.slice(0, 200) : q;
  }

  private limitWords(): void {
    this.i += 2; // "limit rate"
    const over = this.w(this.i) === "over";
    if (over) this.i++;
    this.i++; // "10/second" (or "10" "/" "second" when spaced)
    if (this.w(this.i) === "/") this.i += 2;
    if (this.w(this.i) === "burst") this.i += 3;
    if (over) this.never("only over a rate limit (a first connection is within it)");
  }

  /** "meta|ct KEY set VALUE" (changes a packet, decides nothing), or a meta match read here. */
  metaOrCt(a: string, b: string): boolean {
    if (a === "ct" && b === "original" && this.w(this.i + 2) === "proto-dst") this.origDport();
    else if (a === "meta" && b === "nfproto") this.nfproto(a);
    else if (a === "meta" && b === "pkttype") this.pkttype();
    else if (a === "ct" && b === "status") this.ctStatus();
    else if (b === "mark" && this.w(this.i + 2) !== "set") this.mark(a);
    else if (this.w(this.i + 2) === "set")
      this.i += 4; // "meta mark set 1"
    else return false;
    return true;
  }

  /**
   * "ct status dnat accept" (firewalld's filter_INPUT and filter_FORWARD): the status bits of the connection
   * (nft(8) CONNTRACK EXPRESSIONS; IPS_* in linux/netfilter/nf_conntrack_common.h). A new connection from the
   * Internet, in a filter hook, is not expected, has seen no reply, is not assured, not yet confirmed (the kernel
   * confirms it after the last hook), not source-natted and not dying. Whether a dnat rewrote it depends on the nat
   * rules: not decided here.
   */
  ctStatus(): void {
    const at = this.i;
    this.i += 2;
    const v = this.value();
    const vals = this.words(v.toks);
    const shown = this.toks
      .slice(at, this.i)
      .map((t) => t.w)
      .join(" ");
    const known = this.env.dnat;
    if (vals.includes("dnat") && known !== undefined && vals.every((x) => x === "dnat" || CT_STATUS_UNSET.has(x))) {
      // The nat rules of the paste say whether a dnat rewrote this connection: its status has the dnat bit then.
      this.r.ctDnat = true;
      if ((known === "yes") === v.neg)
        this.never(
          `${shown}: ${known === "yes" ? "a dnat of nat prerouting took this connection" : "no dnat of nat prerouting takes this connection"}`,
        );
    } else if (vals.includes("dnat") || vals.some((x) => !CT_STATUS_UNSET.has(x))) this.unsure(shown);
    else if (!v.neg) this.never(`${shown}: a new connection from the Internet has none of these status bits`);
  }

  /** "ct original proto-dst 443": the port the client connected to, before any dnat (not shifted by it). */
  origDport(): void {
    this.i += 3;
    const v = this.value();
    const ports = portsOf(v.toks, this.findings);
    if (ports.length === 0) {
      this.r.broken = true;
      return;
    }
    const list = v.neg ? complementPorts(ports) : ports;
    this.r.origPorts = this.r.origPorts === undefined ? list : (intersectPorts(this.r.origPorts, list) ?? []);
  }

  /** Statements that match nothing: counter, log, comment, continue, notrack. */
  counter(): void {
    this.i++;
    while (this.w(this.i) === "packets" || this.w(this.i) === "bytes") this.i += 2;
  }
  log(): void {
    this.i++;
    while (LOG_OPTIONS.has(this.w(this.i))) this.i += 2;
  }
  comment(b: string): void {
    this.r.comment = b;
    this.i += 2;
  }
  notrack(): void {
    this.i++;
    this.r.notrack = true;
    if (this.env.tracked)
      this.findings.push(
        finding(this.line, "note", "notrack after conntrack (priority -200) has no effect on a new connection."),
      );
  }

  verdictAt2(el: readonly Tok[], k: number): { verdict: Verdict; target?: string } | undefined {
    const v = el[k]?.w;
    if (v === "accept") return { verdict: "allow" };
    if (v === "drop" || v === "reject") return { verdict: "deny" };
    if (v === "jump" || v === "goto") return { verdict: v, target: el[k + 1]?.w ?? "" };
    if (v === "return") return { verdict: "return" };
    return undefined;
  }
}

/** Reads the expression at the reader's cursor that starts with word `a` (then `b`); false when it is not one it knows. */
type ExpressionReader = (r: RuleReader, a: string, b: string) => boolean;

const readAddressFamily: ExpressionReader = (r, a, b) => b === "daddr" && (r.daddr(a), true);
const readLayer4: ExpressionReader = (r, a, b) => {
  if (b === "sport") r.sport(a);
  else if (a === "tcp" && b === "flags") r.tcpFlags();
  else return false;
  return true;
};

/** Expressions by their first word (selectors — saddr, dport, ct state, iif, l4proto — are read before these). */
const EXPRESSIONS: ReadonlyMap<string, ExpressionReader> = new Map([
  ["ip", readAddressFamily],
  ["ip6", readAddressFamily],
  ...[...L4].map((p): [string, ExpressionReader] => [p, readLayer4]),
  ["nfproto", (r, a) => (r.nfproto(a), true)],
  ["icmp", (r, a) => (r.icmp(a), true)],
  ["icmpv6", (r, a) => (r.icmp(a), true)],
  ["fib", (r) => r.fib()],
  ["meta", (r, a, b) => r.metaOrCt(a, b)],
  ["ct", (r, a, b) => r.metaOrCt(a, b)],
  ["counter", (r) => (r.counter(), true)],
  ["log", (r) => (r.log(), true)],
  ["limit", (r) => (r.limit(), true)],
  ["comment", (r, _a, b) => (r.comment(b), true)],
  ["continue", (r) => (r.i++, true)],
  ["notrack", (r) => (r.notrack(), true)],
]);

function readRule(
  toks: readonly Tok[],
  table: Table,
  defines: ReadonlyMap<string, Tok[]>,
  findings: Finding[],
  env: RuleEnv,
): NftRule | undefined {
  return new RuleReader(toks, table, defines, findings, env).read();
}

/** The elements of "{ a, b . c, d : accept }" as token lists (a single value is one element). */
function splitElements(vt: readonly Tok[]): Tok[][] {
  const out: Tok[][] = [];
  let cur: Tok[] = [];
  const inner = vt[0]?.w === "{" ? vt.slice(1, vt[vt.length - 1]?.w === "}" ? -1 : undefined) : vt;
  for (const t of inner) {
    if (t.w === ",") {
      if (cur.length > 0) out.push(cur);
      cur = [];
    } else cur.push(t);
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

/** Where an element's value ends: before its options (timeout, expires, comment, counter …). */
function elementEnd(el: readonly Tok[]): number {
  const k = el.findIndex((t) => t.w === "timeout" || t.w === "expires" || t.w === "comment" || t.w === "counter");
  return k < 0 ? el.length : k;
}

/** "a . b" → [[a], [b]]. */
function splitConcat(el: readonly Tok[]): Tok[][] {
  const out: Tok[][] = [[]];
  for (const t of el) {
    if (t.w === ".") out.push([]);
    else out[out.length - 1]!.push(t);
  }
  return out;
}

const SPECIAL_DESTINATIONS: readonly Range[] = [
  "127.0.0.0/8",
  "224.0.0.0/4",
  "255.255.255.255/32",
  "::1/128",
  "ff00::/8",
].map((c) => {
  const p = parsePrefix(c);
  if (!p.ok) throw new Error(c);
  return prefixRange(p.value);
});

function isSpecialDestination(r: Range): boolean {
  return SPECIAL_DESTINATIONS.some(
    (p) => p.first.family === r.first.family && p.first.value <= r.first.value && r.last.value <= p.last.value,
  );
}

/**
 * Forward when the forward hook's chains hold the rules for outside sources or ports and the input hook's only host
 * management; input otherwise. The ingress: the non-internal interface named most by iifname/iif.
 */
function detectNftPath(
  base: readonly Chain[],
  defines: ReadonlyMap<string, Tok[]>,
): { kind: PathKind; why: string; ingress?: string } {
  const score: Record<string, number> = { input: 0, forward: 0 };
  const names = new Map<string, number>();
  for (const c of base) {
    if (c.hook !== "input" && c.hook !== "forward") continue;
    const seen = new Set<Chain>();
    // No deeper than the kernel nests jumps: a recursion, and a hostile chain of 20,000 jumps overflowed it.
    const visit = (ch: Chain, depth = 0): void => {
      if (seen.has(ch) || depth >= NFT_JUMP_STACK_SIZE) return;
      seen.add(ch);
      for (const rule of ch.rules) {
        for (let k = 0; k < rule.length - 1; k++) {
          const w = rule[k]!.w;
          const next = rule[k + 1]!.w;
          // Not the "iif" of a fib key ("fib saddr . iif oif missing"): that names no interface.
          if ((w === "iifname" || w === "iif") && next !== "!=" && rule[k - 1]?.w !== ".") {
            // "define WAN = eth0" (Debian's /etc/nftables.conf examples): "iifname $WAN" names eth0, as the rules read it.
            const nm = defined(defines, (next === "==" ? rule[k + 2]?.w : next) ?? "");
            if (nm && nm !== "{" && nm !== "vmap" && !isInternalInterface(nm)) names.set(nm, (names.get(nm) ?? 0) + 1);
          }
          if ((w === "jump" || w === "goto") && ch.table.chains.has(next)) visit(ch.table.chains.get(next)!, depth + 1);
          // "oifname vmap @filter-forward-in-jumps" (Docker's nftables backend): the named map's jumps, as an
          // anonymous map's (whose words are the rule's own).
          if (w === "vmap" && next.startsWith("@"))
            for (const el of ch.table.vmaps.get(next.slice(1)) ?? [])
              for (let j = 0; j < el.length - 1; j++)
                if ((el[j]!.w === "jump" || el[j]!.w === "goto") && ch.table.chains.has(el[j + 1]!.w))
                  visit(ch.table.chains.get(el[j + 1]!.w)!, depth + 1);
        }
        // Only whether a hook scores at all decides: once it has, its other rules need not be weighed.
        if (score[c.hook!]! > 0) continue;
        const ws = rule.map((t) => t.w);
        if (
          !ws.includes("accept") ||
          ws.includes("established") ||
          ws.includes("related") ||
          ws.some((x) => x === "lo" || x === '"lo"')
        )
          continue;
        if (
          ws.some(
            (x, k) =>
              x === "saddr" && ws[k + 1] !== undefined && (ws[k + 1]!.startsWith("@") || isPublicText(ws[k + 1]!)),
          )
        )
          score[c.hook!]! += 2;
        else if (
          ws.includes("dport") &&
          !ws.some((x, k) => x === "dport" && (ws[k + 1] === "22" || ws[k + 1] === "ssh"))
        )
          score[c.hook!]! += 1;
      }
    };
    visit(c);
  }
  let ingress: string | undefined;
  let best = 0;
  for (const [nm, count] of names) if (count > best) [ingress, best] = [nm, count];
  const kind: PathKind = score.forward! > 0 && score.input === 0 ? "forward" : "input";
  const why =
    kind === "forward"
      ? "since the forward hook holds the rules for outside sources and ports and the input hook only host management"
      : "";
  return { kind, why, ...(ingress !== undefined ? { ingress } : {}) };
}

/**
 * The path read when --path is not given: forward when nat prerouting dnats every connection to the checked port to
 * another host (nft(8) NAT STATEMENTS; the routing decision after prerouting then forwards it, so the input hook
 * never sees it); otherwise what the filter chains suggest (`detected`, from detectNftPath).
 */
function forwardIfDnat(
  detected: { kind: PathKind; why: string },
  taken: DnatTaken | undefined,
  port: number,
): { kind: PathKind; why: string } {
  const all = taken?.all;
  if (detected.kind === "forward" || all === undefined || all.redirect || all.to === "") return detected;
  const m = /^(\[[^\]]*\]|[^:[]+|[0-9a-f:]+)(?::(\d+))?$/i.exec(all.to);
  const address = (m?.[1] ?? all.to).replace(/^\[|\]$/g, "");
  if (/^127\.|^::1$/.test(address)) return detected;
  const to =
    all.to.includes(":") && !all.to.startsWith("[") && !/^[\d.]+:\d+$/.test(all.to)
      ? `[${all.to}]:${port}`
      : /:\d+$/.test(all.to)
        ? all.to
        : `${all.to}:${port}`;
  return {
    kind: "forward",
    why: `since nat prerouting line ${all.line.n} DNATs TCP ${port} to ${to}: the connection is forwarded`,
  };
}

/** The one word a "$name" stands for, through nested defines (8 deep, as values are expanded); "" for a list. */
function defined(defines: ReadonlyMap<string, Tok[]>, w: string): string {
  for (let depth = 0; w.startsWith("$") && depth < 8; depth++) {
    const def = defines.get(w.slice(1));
    if (def === undefined || def.length !== 1) return "";
    w = def[0]!.w;
  }
  return w.startsWith("$") ? "" : w;
}

function isPublicText(w: string): boolean {
  const t = readAddressTerm(w);
  if (!t.ok) return false;
  const r = t.term.range;
  if (r.first.value === 0n) return false;
  return !["10.", "192.168.", "127.", "172.16.", "fc", "fd", "fe80"].some((p) => w.startsWith(p));
}

function nftAssumption(
  kind: PathKind,
  given: boolean,
  why: string,
  ingress: string | undefined,
  ingressGiven: boolean,
): string {
  const path =
    kind === "input"
      ? `Read as a new TCP connection to this host itself (hooks ingress, prerouting, input)${given ? ", as asked" : why ? `, ${why}` : ""}; use --path forward if the service runs behind it.`
      : `Read as a new TCP connection forwarded to a service behind this host (hooks ingress, prerouting, forward)${given ? ", as asked" : why ? `, ${why}` : ""}; use --path input if the service is the host itself.`;
  const side =
    ingress === undefined
      ? " Rules only for loopback, container, bridge or VPN interfaces are read as not met by Internet traffic; name the Internet-facing interface with --ingress."
      : ingressGiven
        ? ` The Internet arrives on ${ingress}.`
        : ` The Internet is assumed to arrive on ${ingress}, the interface the rules name; --ingress changes it.`;
  return path + side;
}

/** "nft add rule …", "sudo /usr/sbin/nft flush ruleset": a script of nft commands. */
const NFT_COMMAND =
  /^[ \t]*(?:sudo\s+)?(?:\S*\/)?nft\s+(?:-\S+\s+)*'?(?:add|create|insert|replace|delete|destroy|flush)\s+(?:rule|element|chain|set|map|table|ruleset)\b/m;
/** The same commands without "nft" (an nft -f file of commands): a verb, an object, then a table and a name. */
const BARE_COMMAND =
  /^[ \t]*(?:add|create|insert|replace|delete|destroy)\s+(?:(?:rule|element|chain|set|map)\s+(?:(?:ip6?|inet|arp|bridge|netdev)\s+)?[\w.-]+\s+[\w.-]+|table\s+(?:ip6?|inet|arp|bridge|netdev)\s+[\w.-]+\s*$)/m;

export const nftablesParser: Parser = {
  id: "nftables",
  label: "nftables (nft list ruleset)",
  detect(text: string): number {
    const head = detectHead(text);
    const table = /^\s*table (?:ip|ip6|inet|arp|bridge|netdev) \S+ \{/m.test(head);
    const hook = /type filter hook \w+ priority/.test(head);
    if (table && hook) return 0.95;
    if (NFT_COMMAND.test(head)) return 0.9;
    if (BARE_COMMAND.test(head)) return 0.85;
    if (table || (hook && /^\s*chain \S+ \{/m.test(head))) return 0.8;
    if (/\b(?:ip6?) saddr\b/.test(head) && /\b(?:accept|drop)\b/.test(head)) return 0.5;
    return 0;
  },
  parse: parseNftables,
};
