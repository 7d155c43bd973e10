/**
 * iptables-save / ip6tables-save output (also `iptables -S` and shell scripts of `iptables -A|-I|-D|-P|-N|-F|-X …`
 * commands, applied in order), with the ipsets of the same paste, read as the path a new inbound TCP connection (a
 * SYN) from the Internet takes (iptables(8), iptables-extensions(8); netfilter packet flow):
 * - host path: raw PREROUTING, mangle PREROUTING, mangle INPUT, filter INPUT, security INPUT — each chain a context,
 *   its policy the fall-through; forward path: the same with FORWARD. The path not read and OUTPUT are off the path.
 * - user chains are inlined at each jump with the jump's matches ANDed in; a RETURN (conditional too) sends the
 *   packets it matches back to the caller after the jump (the rest of the chain no longer sees them); a goto does not
 *   come back: the packets it takes skip the rest of the calling chain.
 * - conditions that do not depend on the address are decided for a SYN from the Internet: interfaces, conntrack
 *   state (a SYN is NEW), TCP flags, fragments …; a rule whose condition cannot hold is kept with `unmet`.
 */
import type { Entry, Finding, ParseOptions, ParseOutput, Parser, PathContext, PathKind, PortRange } from "../types";
import type { Family, Range } from "../../ip/types";
import { formatRange, parsePrefix, prefixRange, rangeContainsRange } from "../../ip";
import {
  type AddressTerm,
  type Line,
  OBJECTS_ONLY_NOTE,
  SERVICE_PORTS,
  countLines,
  eachLine,
  finding,
  parsePortRange,
  readAddressTerm,
  tokenize,
  wordTable,
} from "./common";
import { IpsetTable, setsAsAllowlist } from "./ipset";
import { looksLikeShellScript, readShell, type ShellProblem } from "./shell";
import { PositionList } from "./positionlist";
import { KeyedRemovals } from "./keyedremovals";
import {
  ANY_COND,
  BOTH_FAMILIES,
  type Cond,
  andCond,
  append,
  complementPorts,
  intersectPorts,
  complementTerms,
  condEntries,
  detectHead,
  inputInterfaceUnmet,
  isInternalInterface,
  makeEntry,
  anyTerms,
  minusExits,
  onlyProtocol,
  onLine,
  outputInterfaceUnmet,
  synMatchesFlags,
  type Source,
  PROTOCOL_UNIVERSE,
} from "./linuxcommon";

type SourceSpec =
  | { readonly k: "terms"; readonly terms: readonly AddressTerm[]; readonly negated: boolean; readonly token: string }
  | { readonly k: "set"; readonly name: string; readonly negated: boolean; readonly flags: readonly string[] };

interface Iface {
  readonly out: boolean;
  readonly name: string;
  readonly negated: boolean;
}

interface Rule {
  readonly line: Line;
  /**
   * The rule as written after the chain name, to find it again for "-D chain rule…" ("" when no delete can come); a
   * "-E" of its target chain writes the new name in it.
   */
  spec: string;
  /** NO_SPECS until the rule names a source; a list made at its first one (most rules name one). */
  sources: SourceSpec[];
  protos?: readonly string[];
  ports?: readonly PortRange[];
  /** NO_IFACES until the rule names an interface. */
  ifaces: Iface[];
  /** The ipsets the rule matches ("--match-set NAME src|dst…"): ipset cannot destroy them while it is loaded. */
  sets?: string[];
  /** A condition a SYN from the Internet never meets, whatever the path (ESTABLISHED only, fragments …). */
  unmet?: string;
  /** A condition this reader cannot decide. */
  unsure?: string;
  /** Conntrack states matched ("--ctstate"/"--state"), decided per table: raw runs before conntrack. */
  states?: { readonly list: readonly string[]; readonly negated: boolean };
  /** An address or port that does not read (reported as invalid): the rule is not read. */
  broken?: boolean;
  target?: string;
  goto?: boolean;
  comment?: string;
  /** Matches read as met that tell the rule apart (a rate limit, an ICMP type, a destination): Entry.qualifier. */
  qualifier?: string;
  /** DNAT / REDIRECT: the new destination port; undefined keeps the port; NaN when it cannot be read (a range). */
  natPort?: number;
  /** "-m conntrack --ctorigdstport": the destination port before any DNAT. */
  origPorts?: readonly PortRange[];
  /** "-d" / "--dst-range": the destinations named, read against the connection's address where it is known. */
  dests?: { readonly ranges: readonly Range[]; readonly negated: boolean; readonly token: string };
  /** DNAT: the new destination address ("--to-destination 10.244.1.5:8443"); undefined for a range or none. */
  natTo?: Range;
  /** "-m mark --mark VALUE[/MASK]", and the reason it gave for a packet of mark 0 (decided again for another mark). */
  markMatch?: { readonly value: number; readonly mask: number; readonly negated: boolean; readonly why?: string };
  /** "-m statistic": the rule takes some of the connections, which ones is not known. */
  random?: boolean;
  /** "-j MARK …" as mark' = (mark & and) ^ xor (iptables-extensions(8) MARK; iptables-save writes --set-xmark). */
  markSet?: { readonly and: number; readonly xor: number };
}

interface Chain {
  /** Changed by "-E": the rules that jump to the chain follow it. */
  name: string;
  line: Line;
  policy?: "allow" | "deny";
  /** The rules in order, once the paste is read (`flattenBlocks`). */
  rules: Rule[];
  /**
   * The rules while the paste is read: "-I CHAIN N" and "-D CHAIN N" take about √n steps (an array's splice made
   * 80,000 "-I INPUT 2" take 3.2 s, growing with the square).
   */
  list: PositionList<Rule>;
  /** "-D CHAIN rule…" looks rules up here (built at the chain's first such delete); `sweep` drops the deleted. */
  removals?: KeyedRemovals<Rule>;
}

interface Block {
  readonly table: string;
  readonly chains: Map<string, Chain>;
  familyHint?: Family;
  families: Set<Family>;
}

const BUILTIN = ["INPUT", "FORWARD", "OUTPUT", "PREROUTING", "POSTROUTING"];

/**
 * Jumps followed below a built-in chain. iptables-legacy sets no limit (iptables-nft has the kernel's 16 of nftables);
 * a hostile chain of 20,000 user chains, each jumping to the next, overflowed the recursive walk.
 */
export const MAX_JUMP_DEPTH = 64;
/** ACCEPT, DROP, REJECT: compared, not looked up by key (a keyed load internalizes each sliced target string). */
function terminal(target: string): "allow" | "deny" | undefined {
  return target === "ACCEPT" ? "allow" : target === "DROP" || target === "REJECT" ? "deny" : undefined;
}
/** Targets that log, mark or rewrite and let the packet go on: they decide nothing here. */
const EXTENSION_TARGETS = new Set(
  "LOG NFLOG ULOG MARK CONNMARK TRACE CT NOTRACK TCPMSS CLASSIFY DSCP TOS SET AUDIT CHECKSUM TPROXY DNAT SNAT MASQUERADE REDIRECT NETMAP TEE LED SECMARK CONNSECMARK IDLETIMER HMARK RATEEST SYNPROXY TTL HL ECN".split(
    " ",
  ),
);
/** The program word of a script line: iptables, /sbin/ip6tables, iptables-legacy, ip6tables-nft … */
const PROGRAM = /^(?:\S*\/)?ip(6?)tables(?:-legacy|-nft)?$/;
const RESTORE_PROGRAM = /^(?:\S*\/)?ip(6?)tables(?:-legacy|-nft)?-restore$/;
const PROTOCOL_NUMBERS: Record<string, string> = {
  "6": "tcp",
  "17": "udp",
  "1": "icmp",
  "58": "ipv6-icmp",
  "0": "all",
  icmpv6: "ipv6-icmp",
  "ipv6-icmp": "ipv6-icmp",
};

/** Inlining budget per paste, so crafted jump fan-outs stay linear-ish instead of exponential. */
const EXPANSION_FACTOR = 20;

/** The chains a new inbound connection crosses, in the kernel's hook order (netfilter packet flow). */
const PATH_CHAINS: Record<PathKind, readonly (readonly [string, string])[]> = {
  input: [
    ["raw", "PREROUTING"],
    ["mangle", "PREROUTING"],
    ["mangle", "INPUT"],
    ["filter", "INPUT"],
    ["security", "INPUT"],
  ],
  forward: [
    ["raw", "PREROUTING"],
    ["mangle", "PREROUTING"],
    ["mangle", "FORWARD"],
    ["filter", "FORWARD"],
    ["security", "FORWARD"],
  ],
};
/** Tables whose rules can drop a new inbound SYN; nat cannot (DROP is not allowed there). */
const PATH_TABLES = new Set(["raw", "mangle", "filter", "security"]);

/**
 * `iptables -L -n [-v] [--line-numbers]` output: a table per chain ("Chain INPUT (policy DROP …)", a column header,
 * then "target prot opt [in out] source destination …" rows). It is a summary, not the rules: without -v it leaves
 * out the interfaces, and its match columns are abbreviations that do not read back. It was taken for a plain list,
 * where every address on it (destinations and DROP rules too) read as allowed.
 */
const LISTING_CHAIN = /^Chain \S+ \((?:policy [A-Z]+|\d+ references?)\b/m;
const LISTING_HEADER = /^\s*(?:num\s+)?(?:pkts\s+bytes\s+)?target\s+prot\s+opt\s/m;

function isListing(head: string): boolean {
  return LISTING_CHAIN.test(head) && LISTING_HEADER.test(head) && !/^(?:\*filter|-A |:INPUT )/m.test(head);
}

/** The 1-based line at character `at` of `text`. */
function lineAtIndex(text: string, at: number): Line {
  const n = text.slice(0, at).split("\n").length;
  const start = text.lastIndexOf("\n", at - 1) + 1;
  const end = text.indexOf("\n", at);
  return { n, text: text.slice(start, end < 0 ? text.length : end).trim() };
}

/** iptables-nft-save's warning that rules also live in iptables-legacy tables, which the kernel applies as well. */
const LEGACY_WARNING = /^# Warning: iptables-legacy tables present/m;

export function parseIptables(text: string, options: ParseOptions = {}): ParseOutput {
  const head = detectHead(text);
  if (isListing(head)) {
    const at = LISTING_CHAIN.exec(text)!.index;
    return done(
      text,
      [],
      [
        finding(
          lineAtIndex(text, at),
          "not-understood",
          "This is iptables -L output, a summary that leaves out what rules match on (interfaces without -v, match options abbreviated): it is not read. Paste the output of iptables-save (or iptables -S) instead.",
        ),
      ],
      [],
    );
  }
  const s = new IptablesState();
  if (looksLikeShellScript(text)) readScript(s, text);
  else {
    s.keepSpecs = text.includes("-D") || text.includes("--delete");
    readSaveText(s, text);
  }
  const { findings, sets } = s;
  const legacy = LEGACY_WARNING.exec(text);
  if (legacy !== null)
    findings.push(
      finding(
        lineAtIndex(text, legacy.index),
        "note",
        "iptables-nft-save says rules also live in iptables-legacy tables: the kernel applies them too, and this paste does not show them. Paste the output of iptables-legacy-save as well.",
      ),
    );
  const ruleCount = flattenBlocks(s.blocks, findings);
  const entries: Entry[] = [];
  if (ruleCount === 0 && sets.order.length > 0) {
    append(entries, setsAsAllowlist(sets, findings));
    return done(text, entries, findings, [OBJECTS_ONLY_NOTE]);
  }
  const pathBlocks = s.blocks.filter((b) => PATH_TABLES.has(b.table));
  const port = options.port ?? 443;
  const filtered = detectPath(pathBlocks);
  const ingress = options.ingress ?? filtered.ingress;
  const detected = options.path === undefined ? forwardIfDnat(filtered, s.blocks, ingress, sets, port) : filtered;
  const kind: PathKind = options.path ?? detected.kind;
  const { contexts, contextOf } = pathContexts(pathBlocks, kind);
  const nat = natShift(s.blocks, kind, ingress, sets, port, findings);
  const walker = new PathWalker(findings, entries, sets, ingress, EXPANSION_FACTOR * (ruleCount + 100), nat);
  for (const [key, ci] of contextOf) contexts[ci] = walker.context(key, ci, contexts[ci]!, pathBlocks, kind);
  noteUnreachedChains(pathBlocks, findings);
  for (const name of sets.order) {
    if (!walker.allowReached.has(name)) {
      const info = sets.sets.get(name)!;
      findings.push(finding(info.line, "unused-object", `Set "${name}" is defined but no allow rule uses it.`));
    }
  }
  const assumption = assumptionLine(
    kind,
    options.path !== undefined,
    detected.why,
    ingress,
    options.ingress !== undefined,
  );
  return {
    ...done(text, entries, findings, []),
    path: { contexts, kind, ...(ingress !== undefined ? { ingress } : {}), assumption },
  };
}

/**
 * Rules one paste's `ipset destroy`, `iptables -X` and `iptables -E` commands may look at, to find the rules that
 * use a set or jump to a chain (ipset refuses to destroy a set in use, iptables a chain a rule jumps to, and a rename
 * takes the jumps with it). Past it, those commands are read unchecked, with a finding.
 */
export const REFERENCE_SCAN_LIMIT = 5_000_000;

/** What the lines read so far built: the tables, and where the next command goes. */
class IptablesState {
  readonly findings: Finding[] = [];
  readonly sets = new IpsetTable();
  readonly blocks: Block[] = [];
  current: Block | undefined;
  /** The family an "# ip6tables-save" or "# iptables-save" comment announces for the next table. */
  pendingFamily: Family | undefined;
  /** The tables a script's iptables (4) or ip6tables (6) commands build, however they alternate. */
  readonly scriptBlocks = new Map<string, Block>();
  /**
   * Whether a delete command can come, so rules keep their spec: always in a script (its words may be quoted or
   * escaped apart), else when the text holds "-D" or "--delete" (a tokenized word is a run of the text).
   */
  keepSpecs = true;
  /** Port lists read so far by their text ("80,443"): one frozen list shared by every rule that writes it. */
  readonly portLists = new Map<string, readonly PortRange[]>();
  /** Set while the lines of an iptables-restore heredoc are read. */
  restore: { readonly family: Family; readonly noflush: boolean } | undefined;

  /** What is left of REFERENCE_SCAN_LIMIT. */
  scansLeft = REFERENCE_SCAN_LIMIT;

  constructor() {
    this.sets.inUse = (name, line) =>
      this.someRule(
        this.blocks,
        line,
        `set "${name}" is read as destroyed, which ipset refuses while a rule uses it`,
        (r) => r.sets?.includes(name) === true,
      );
  }

  /**
   * Whether a rule of `blocks` passes `test`, charged to REFERENCE_SCAN_LIMIT; past the limit false, with a finding
   * that says what is `assumed`.
   */
  someRule(blocks: readonly Block[], line: Line, assumed: string, test: (rule: Rule) => boolean): boolean {
    for (const block of blocks) {
      for (const chain of block.chains.values()) {
        sweep(chain);
        if (chain.list.length > this.scansLeft) {
          this.scansLeft = 0;
          this.findings.push(
            finding(
              line,
              "invalid",
              `Not checked: the ipset destroy, iptables -X and -E commands above already looked at ${REFERENCE_SCAN_LIMIT.toLocaleString("en-US")} rules, the limit one paste may take; ${assumed}.`,
            ),
          );
          return false;
        }
        this.scansLeft -= chain.list.length;
        for (const rule of chain.list) if (test(rule)) return true;
      }
    }
    return false;
  }

  /** A new table of a save file ("*filter", or implied). */
  openBlock(table: string): Block {
    const block: Block = {
      table,
      chains: new Map(),
      families: new Set(),
      ...(this.pendingFamily ? { familyHint: this.pendingFamily } : {}),
    };
    this.blocks.push(block);
    return block;
  }

  blockFor(): Block {
    // `iptables -S` and scripts have no "*filter" header: the filter table is implied.
    this.current ??= this.openBlock("filter");
    return this.current;
  }

  scriptBlock(family: Family, table: string): Block {
    const key = `${family} ${table}`;
    let block = this.scriptBlocks.get(key);
    if (!block) {
      block = { table, chains: new Map(), families: new Set(), familyHint: family };
      this.scriptBlocks.set(key, block);
      this.blocks.push(block);
    }
    return block;
  }
}

function chainOf(block: Block, name: string, line: Line): Chain {
  let c = block.chains.get(name);
  if (!c) {
    c = { name, line, rules: [], list: new PositionList() };
    block.chains.set(name, c);
  }
  return c;
}

/** The lines of iptables-save or `iptables -S` output, one at a time (no array of every line kept while reading). */
function readSaveText(s: IptablesState, text: string): void {
  eachLine(text, (line) => {
    const t = line.text;
    if (t === "") return;
    if (t.charCodeAt(0) === 35) {
      if (/ip6tables-save|ip6tables/.test(t)) s.pendingFamily = 6;
      else if (/iptables-save/.test(t)) s.pendingFamily = 4;
      return;
    }
    readWords(s, line, restoreWords(t));
  });
}

/**
 * The words of an iptables-restore line as iptables-restore splits them (xshared.c add_param_to_argv): inside double
 * quotes a backslash takes the next character literally, so iptables-save's `--comment "say \"hi\""` is one word.
 * Lines without a backslash split as before (a single-quoted word stays one word, leniently).
 */
export function restoreWords(t: string): string[] {
  if (t.indexOf("\\") < 0) return saveWords(t);
  const words: string[] = [];
  let word = "";
  let inWord = false;
  let quoted = false;
  for (let i = 0; i < t.length; i++) {
    const c = t[i]!;
    if (quoted) {
      if (c === "\\" && i + 1 < t.length) word += t[++i];
      else if (c === '"') quoted = false;
      else word += c;
    } else if (c === '"') {
      quoted = true;
      inWord = true;
    } else if (c === " " || c === "\t") {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/**
 * The words of a save line (tokenize), with the words most rules repeat ("-A", "-s", "-p", "tcp", "--dport", "-j",
 * "ACCEPT" …) as shared literals rather than a sliced copy each.
 */
const SAVE_WORDS = wordTable(
  "-A -I -D -N -P -s -d -p -m -i -o -j -g ! --dport --sport --dports --sports --comment --ctstate --state --match-set --tcp-flags --syn --to-destination --to-ports --limit --limit-burst --set --name --rcheck --update --seconds --hitcount --log-prefix --reject-with tcp udp icmp comment conntrack state multiport set limit recent ACCEPT DROP REJECT RETURN LOG INPUT FORWARD OUTPUT PREROUTING POSTROUTING NEW ESTABLISHED RELATED ESTABLISHED,RELATED RELATED,ESTABLISHED src dst COMMIT 22 80 443".split(
    " ",
  ),
);

function saveWords(line: string): string[] {
  return tokenize(line, SAVE_WORDS);
}

/** A shell script: its iptables and ipset commands, and the heredocs of iptables-restore and ipset restore. */
function readScript(s: IptablesState, text: string): void {
  const problems: ShellProblem[] = [];
  const commands = readShell(text, problems);
  for (const p of problems) s.findings.push(finding(p.line, "not-understood", p.message));
  for (const cmd of commands) {
    const w = cmd.words[0] === "sudo" ? cmd.words.slice(1) : cmd.words;
    const restoreProgram = RESTORE_PROGRAM.exec(w[0] ?? "");
    if (restoreProgram && cmd.heredoc) {
      s.restore = { family: restoreProgram[1] === "6" ? 6 : 4, noflush: w.includes("--noflush") || w.includes("-n") };
      for (const l of cmd.heredoc) if (l.text !== "" && !l.text.startsWith("#")) readWords(s, l, restoreWords(l.text));
      s.restore = undefined;
      s.current = undefined;
    } else if (/^(?:\S*\/)?ipset$/.test(w[0] ?? "") && cmd.heredoc && w[1] === "restore") {
      for (const l of cmd.heredoc)
        if (l.text !== "" && !l.text.startsWith("#") && !s.sets.read(l, tokenize(l.text), s.findings))
          s.findings.push(finding(l, "not-understood", "Not an ipset restore line."));
    } else if (PROGRAM.test(w[0] ?? "") || /^(?:\S*\/)?ipset$/.test(w[0] ?? "")) readWords(s, cmd.line, cmd.words);
    else s.findings.push(finding(cmd.line, "note", `"${w[0] ?? ""}" is not an iptables or ipset command: not read.`));
  }
}

/** One line's words: a table or chain header, an iptables command, or an ipset command. */
function readWords(s: IptablesState, line: Line, input: readonly string[]): void {
  const words = commandWords(s, input);
  const w0 = words[0] ?? "";
  const c0 = w0.charCodeAt(0);
  const read = c0 === 42 ? readTableHeader : c0 === 58 ? readChainHeader : COMMANDS.get(w0);
  if (read?.(s, line, words)) return;
  if (s.sets.read(line, words, s.findings)) return;
  s.findings.push(
    finding(line, "not-understood", s.restore ? "Not an iptables-restore line." : "Not an iptables-save line."),
  );
}

/** The words after "[sudo] iptables [-w n] [-t table]" (which pick the script's table) and a "[packets:bytes]" counter. */
function commandWords(s: IptablesState, input: readonly string[]): readonly string[] {
  let words = input;
  if (words[0] === "sudo") words = words.slice(1);
  const program = PROGRAM.exec(words[0] ?? "");
  if (program) {
    const family: Family = program[1] === "6" ? 6 : 4;
    words = words.slice(1);
    // "-w [seconds]" only waits for the xtables lock.
    while (words[0] === "-w" || words[0] === "--wait") words = words.slice(/^\d+$/.test(words[1] ?? "") ? 2 : 1);
    let table = "filter";
    const ti = words.findIndex((x) => x === "-t" || x === "--table");
    if (ti >= 0) {
      table = words[ti + 1] ?? "filter";
      words = [...words.slice(0, ti), ...words.slice(ti + 2)];
    }
    s.current = s.scriptBlock(family, table);
  }
  if (words[0]?.charCodeAt(0) === 91 && /^\[\d+:\d+\]$/.test(words[0])) words = words.slice(1);
  return words;
}

/** Reads one command; false when the words are not that command after all (they may be an ipset command). */
type Command = (s: IptablesState, line: Line, words: readonly string[]) => boolean;

/** "*table": a table of iptables-save, or of an iptables-restore heredoc (into the tables the script builds). */
function readTableHeader(s: IptablesState, _line: Line, words: readonly string[]): boolean {
  const table = words[0]!.slice(1);
  if (s.restore) {
    // iptables-restore into the tables the script's commands build: one table, whatever wrote it.
    s.current = s.scriptBlock(s.restore.family, table);
    if (!s.restore.noflush) s.current.chains.clear();
    return true;
  }
  s.current = s.openBlock(table);
  return true;
}

/** ":CHAIN POLICY [packets:bytes]". */
function readChainHeader(s: IptablesState, line: Line, words: readonly string[]): boolean {
  const chain = chainOf(s.blockFor(), words[0]!.slice(1), line);
  // iptables-restore --noflush flushes the user chains it declares (":name - [0:0]"), then refills them.
  if (s.restore && !BUILTIN.includes(chain.name)) emptyChain(chain);
  setPolicy(chain, words[1]);
  return true;
}

function readCommit(s: IptablesState): boolean {
  s.current = undefined;
  s.pendingFamily = undefined;
  return true;
}

/** "-P CHAIN POLICY". */
function readPolicy(s: IptablesState, line: Line, words: readonly string[]): boolean {
  const chain = chainOf(s.blockFor(), words[1] ?? "", line);
  chain.line = line;
  setPolicy(chain, words[2]);
  return true;
}

/** "-N CHAIN". */
function readNewChain(s: IptablesState, line: Line, words: readonly string[]): boolean {
  if (words.length !== 2) return false;
  chainOf(s.blockFor(), words[1] ?? "", line);
  return true;
}

/** "-A CHAIN rule…" and "-I CHAIN [n] rule…". */
function readAppendInsert(s: IptablesState, line: Line, words: readonly string[]): boolean {
  const block = s.blockFor();
  const chain = chainOf(block, words[1] ?? "", line);
  const insert = words[0] === "-I" || words[0] === "--insert";
  const pos = insert && /^\d+$/.test(words[2] ?? "") ? Number(words[2]) - 1 : 0;
  if (pos < 0) {
    s.findings.push(finding(line, "note", "iptables refuses rule number 0 (they start at 1): nothing is inserted."));
    return true;
  }
  if (pos > 0) sweep(chain);
  if (pos > chain.list.length) {
    // iptables(8): "-I chain [rulenum]": 1 … one past the last rule; further fails ("Index of insertion too big").
    const n = chain.list.length;
    s.findings.push(
      finding(
        line,
        "note",
        `Chain "${chain.name}" has ${n} ${n === 1 ? "rule" : "rules"} read so far: iptables refuses an insertion at ${pos + 1}, nothing is inserted.`,
      ),
    );
    return true;
  }
  const rule = readRule(line, words, 2, s, block);
  const gone = rule.sets?.find((n) => s.sets.isDestroyed(n));
  if (gone !== undefined) {
    s.findings.push(
      finding(
        line,
        "note",
        `Set "${gone}" is destroyed above: iptables refuses a rule that matches it ("Set ${gone} doesn't exist"), nothing is added.`,
      ),
    );
    return true;
  }
  if (!insert) {
    chain.list.push(rule);
    chain.removals?.appended(rule);
  } else if (pos === 0) {
    chain.list.insert(0, rule);
    chain.removals?.prepended(rule);
  } else {
    if (pos === chain.list.length) chain.removals?.appended(rule);
    else chain.removals?.inserted(rule);
    chain.list.insert(pos, rule);
  }
  return true;
}

/** "-D CHAIN n" or "-D CHAIN rule…" (the rule as written). */
function readDelete(s: IptablesState, line: Line, words: readonly string[]): boolean {
  const chain = s.blockFor().chains.get(words[1] ?? "");
  let deleted = false;
  if (chain && words.length === 3 && /^\d+$/.test(words[2]!)) {
    sweep(chain);
    deleted = chain.list.removeAt(Number(words[2]) - 1) !== undefined;
    // The index would still hold the rule: built again at the next delete by rule.
    chain.removals = undefined;
  } else if (chain) {
    chain.removals ??= new KeyedRemovals(chain.list, (r) => r.spec);
    deleted = chain.removals.take(specOf(words, 2), () => chain.list) !== undefined;
  }
  if (!deleted)
    s.findings.push(
      finding(
        line,
        "note",
        `No rule of chain "${words[1] ?? ""}" read so far matches this delete: nothing is deleted.`,
      ),
    );
  return true;
}

/**
 * "-R CHAIN n rule…": the n-th rule of the chain (from 1) becomes this one, in its place (iptables(8), "-R, --replace
 * chain rulenum rule-specification"). A number past the end fails ("Index of replacement too big"), changing nothing.
 */
function readReplace(s: IptablesState, line: Line, words: readonly string[]): boolean {
  if (!/^\d+$/.test(words[2] ?? "")) return false;
  const block = s.blockFor();
  const chain = block.chains.get(words[1] ?? "");
  const n = Number(words[2]);
  if (chain) sweep(chain);
  if (!chain || n < 1 || n > chain.list.length) {
    s.findings.push(
      finding(
        line,
        "note",
        `Chain "${words[1] ?? ""}" has no rule ${n} read so far: iptables refuses the replacement, nothing is replaced.`,
      ),
    );
    return true;
  }
  const rule = readRule(line, words, 2, s, block);
  chain.list.removeAt(n - 1);
  chain.list.insert(n - 1, rule);
  // The index would still hold the old rule: built again at the next delete by rule.
  chain.removals = undefined;
  return true;
}

/** "-F [CHAIN]": every chain of the table without a name. */
function readFlush(s: IptablesState, _line: Line, words: readonly string[]): boolean {
  if (words.length > 2) return false;
  const block = s.blockFor();
  const named = words[1];
  for (const chain of named === undefined ? block.chains.values() : [block.chains.get(named)]) {
    if (!chain) return true;
    emptyChain(chain);
  }
  return true;
}

/**
 * "-X [CHAIN]": deletes a user chain, or without a name every user chain of the table. iptables refuses (and deletes
 * none) when one holds rules or a rule jumps to it ("CHAIN_DEL failed (Device or resource busy)"), or when it is not
 * there or built in (checked with iptables 1.8.9, nf_tables).
 */
function readDeleteChain(s: IptablesState, line: Line, words: readonly string[]): boolean {
  if (words.length > 2) return false;
  const block = s.blockFor();
  const named = words[1];
  const refuse = (why: string) =>
    void s.findings.push(finding(line, "note", `iptables refuses -X: ${why}, so nothing is deleted.`));
  if (named !== undefined && (BUILTIN.includes(named) || !block.chains.has(named))) {
    refuse(BUILTIN.includes(named) ? `"${named}" is a built-in chain` : `no chain "${named}" is read so far`);
    return true;
  }
  const names = named === undefined ? [...block.chains.keys()].filter((n) => !BUILTIN.includes(n)) : [named];
  for (const name of names) {
    const chain = block.chains.get(name)!;
    sweep(chain);
    if (chain.list.length > 0) {
      refuse(
        `chain "${name}" holds ${chain.list.length} ${chain.list.length === 1 ? "rule" : "rules"} (flush it first)`,
      );
      return true;
    }
  }
  const gone = new Set(names);
  let jumper: Rule | undefined;
  s.someRule([block], line, `the chains are read as deleted, which iptables refuses while a rule jumps to one`, (r) => {
    if (r.target === undefined || !gone.has(r.target)) return false;
    jumper = r;
    return true;
  });
  if (jumper !== undefined) {
    refuse(`the rule at line ${jumper.line.n} jumps to chain "${jumper.target}"`);
    return true;
  }
  for (const name of names) block.chains.delete(name);
  return true;
}

/**
 * "-E OLD NEW": renames a user chain. The rules that jump to it keep jumping to it, now by its new name (the kernel's
 * jumps name the chain, not its name: checked with iptables 1.8.9, nf_tables). A chain not read so far, or a new name
 * taken, is refused ("File exists").
 */
function readRenameChain(s: IptablesState, line: Line, words: readonly string[]): boolean {
  if (words.length !== 3) return false;
  const block = s.blockFor();
  const from = words[1]!;
  const to = words[2]!;
  const chain = block.chains.get(from);
  const why =
    chain === undefined
      ? `no chain "${from}" is read so far`
      : BUILTIN.includes(from)
        ? `"${from}" is a built-in chain`
        : block.chains.has(to)
          ? `chain "${to}" exists ("File exists")`
          : undefined;
  if (why !== undefined || chain === undefined) {
    s.findings.push(finding(line, "note", `iptables refuses -E: ${why ?? ""}, so nothing is renamed.`));
    return true;
  }
  block.chains.delete(from);
  chain.name = to;
  block.chains.set(to, chain);
  s.someRule([block], line, `the rules that jump to "${from}" are read as jumping to a chain no longer there`, (r) => {
    if (r.target !== from) return false;
    r.target = to;
    if (r.spec !== "") r.spec = renameTarget(r.spec, from, to);
    return false;
  });
  // "-D CHAIN rule…" must find the renamed jumps by their new words.
  for (const c of block.chains.values()) c.removals = undefined;
  return true;
}

/** A rule's words with "-j|-g|--jump|--goto FROM" written as TO. */
function renameTarget(spec: string, from: string, to: string): string {
  const words = spec.split(" ");
  for (let k = 1; k < words.length; k++)
    if (words[k] === from && /^(?:-j|-g|--jump|--goto)$/.test(words[k - 1]!)) words[k] = to;
  return words.join(" ");
}

/** "-Z [CHAIN]" only zeroes counters. */
function readZero(s: IptablesState, _line: Line, words: readonly string[]): boolean {
  if (words.length > 2) return false;
  s.blockFor();
  return true;
}

const COMMANDS: ReadonlyMap<string, Command> = new Map([
  ["COMMIT", readCommit],
  ["-P", readPolicy],
  ["--policy", readPolicy],
  ["-N", readNewChain],
  ["--new-chain", readNewChain],
  ["-A", readAppendInsert],
  ["--append", readAppendInsert],
  ["-I", readAppendInsert],
  ["--insert", readAppendInsert],
  ["-D", readDelete],
  ["--delete", readDelete],
  ["-R", readReplace],
  ["--replace", readReplace],
  ["-F", readFlush],
  ["--flush", readFlush],
  ["-X", readDeleteChain],
  ["--delete-chain", readDeleteChain],
  ["-E", readRenameChain],
  ["--rename-chain", readRenameChain],
  ["-Z", readZero],
  ["--zero", readZero],
]);

/** Puts each chain's inserted rules in place; notes tables off the path. The number of rules on the path's tables. */
function flattenBlocks(blocks: readonly Block[], findings: Finding[]): number {
  let ruleCount = 0;
  for (const b of blocks) {
    for (const chain of b.chains.values()) {
      sweep(chain);
      chain.rules = chain.list.toArray();
      if (PATH_TABLES.has(b.table)) ruleCount += chain.rules.length;
    }
    if (!PATH_TABLES.has(b.table) && b.chains.size > 0) {
      const first = [...b.chains.values()][0]!;
      findings.push(
        finding(first.line, "note", `Table "${b.table}" cannot drop a connection: its rules are not read.`),
      );
    }
  }
  return ruleCount;
}

/** Contexts: the chains of the path in hook order, then the other filter chains (off the path). */
function pathContexts(
  pathBlocks: readonly Block[],
  kind: PathKind,
): { contexts: PathContext[]; contextOf: Map<string, number> } {
  const contexts: PathContext[] = [];
  const contextOf = new Map<string, number>();
  const declared = (table: string, name: string): Chain | undefined => {
    for (const b of pathBlocks) if (b.table === table && b.chains.has(name)) return b.chains.get(name);
    return undefined;
  };
  const other: PathKind = kind === "input" ? "forward" : "input";
  const offPath: [string, string, string][] = [
    [
      "filter",
      other === "input" ? "INPUT" : "FORWARD",
      other === "input"
        ? "the service is read as behind this host (forward path), not the host itself"
        : "the service is read as this host itself (input path), not a host behind it",
    ],
    ["filter", "OUTPUT", "it filters connections this host opens, not inbound ones"],
  ];
  for (const [table, name] of PATH_CHAINS[kind]) {
    const chain = declared(table, name);
    // A built-in chain of the filter table always exists; those of raw, mangle and security only when the paste has them.
    if (!chain && table !== "filter") continue;
    contextOf.set(`${table} ${name}`, contexts.length);
    contexts.push({
      name: `${table} ${name}`,
      line: chain?.line.n ?? 0,
      text: chain?.line.text ?? "",
      fallthrough: chain?.policy ?? "allow",
      onPath: true,
      reason:
        name === "PREROUTING"
          ? "every packet arriving crosses it"
          : kind === "input"
            ? "a connection to this host crosses it"
            : "a connection forwarded to a host behind this one crosses it",
    });
  }
  for (const [table, name, reason] of offPath) {
    const chain = declared(table, name);
    if (!chain) continue;
    contextOf.set(`${table} ${name}`, contexts.length);
    contexts.push({
      name: `${table} ${name}`,
      line: chain.line.n,
      text: chain.line.text,
      fallthrough: chain.policy ?? "allow",
      onPath: false,
      reason,
    });
  }
  return { contexts, contextOf };
}

function familiesOfBlock(block: Block): readonly Family[] {
  return block.familyHint ? [block.familyHint] : block.families.size === 1 ? [...block.families] : BOTH_FAMILIES;
}

/** Where a chain's rules are inlined: its block and table, the path, and the context the entries belong to. */
interface Walk {
  /** The port shift of a DNAT, for the chains after nat PREROUTING (INPUT, FORWARD). */
  readonly nat?: NatShift | undefined;
  /** The addresses a DNAT sent the connection to (one of them): "-d" is decided against them (otherwise read as met). */
  readonly dest?: readonly Range[] | undefined;
  /** The mark nat rules gave the connection on its way to that DNAT (otherwise 0). */
  readonly mark?: number | undefined;
  /** A DNAT of nat PREROUTING took the connection: "--ctstate DNAT" holds. */
  readonly dnated?: boolean;
  /** Sources another walk of this context decides (those a DNAT sent elsewhere): no rule of this walk takes them. */
  readonly excluded?: readonly Cond[];
  readonly block: Block;
  readonly table: string;
  readonly pathKind: PathKind | "output";
  readonly direction: "in" | "out";
  readonly families: readonly Family[];
  readonly ci: number;
}

interface ContextPolicy {
  readonly families: readonly Family[];
  readonly policy: "allow" | "deny";
  readonly chain: Chain;
}

/** Inlines the chains of each context into entries, within one budget for the whole paste. */
class PathWalker {
  readonly allowReached = new Set<string>();
  /**
   * The packets raw PREROUTING exempts from conntrack (CT --notrack, NOTRACK; iptables-extensions(8) "UNTRACKED"):
   * a later state match sees them UNTRACKED, not NEW.
   */
  readonly untracked: Cond[] = [];
  /** What the raw table's ACCEPT and DROP rules took so far: a notrack after them does not reach it. */
  private readonly rawTaken: Cond[] = [];

  constructor(
    readonly findings: Finding[],
    readonly entries: Entry[],
    readonly sets: IpsetTable,
    readonly ingress: string | undefined,
    public budget: number,
    readonly nat?: NatResult,
  ) {}

  /** Each context's chains of every family, in block order: IPv4 and IPv6 entries never meet the other family's packets. */
  context(key: string, ci: number, ctx: PathContext, pathBlocks: readonly Block[], kind: PathKind): PathContext {
    const [table, name] = key.split(" ") as [string, string];
    const pathKind: PathKind | "output" =
      name === "OUTPUT" ? "output" : name === "FORWARD" ? "forward" : name === "INPUT" ? "input" : kind;
    const direction = name === "OUTPUT" ? "out" : "in";
    const policies: ContextPolicy[] = [];
    for (const block of pathBlocks) {
      if (block.table !== table) continue;
      const start = block.chains.get(name);
      if (!start) continue;
      const families = familiesOfBlock(block);
      policies.push({ families, policy: start.policy ?? "allow", chain: start });
      const hook = name === "INPUT" || name === "FORWARD";
      const nat = hook ? this.nat?.shift : undefined;
      // Only on the path read: the off-path chain lists its rules as they are.
      const onPath = name === (kind === "input" ? "INPUT" : "FORWARD");
      const excluded = onPath ? this.diverted(block, table, name, families, ci) : [];
      const dest = name === "FORWARD" && this.nat?.dest !== undefined ? [this.nat.dest] : undefined;
      const dnated = hook && this.nat?.dnat !== undefined;
      this.walk(
        { nat, dest, dnated, excluded, block, table, pathKind, direction, families, ci },
        start,
        ANY_COND,
        [name],
        [],
      );
    }
    return this.fallthrough(ctx, ci, name, direction, policies);
  }

  /**
   * The sources a jump of nat PREROUTING sent to a DNAT's address (kube-proxy's loadBalancerSourceRanges): forwarded,
   * so this table's FORWARD chain decides them in this context, with "-d" read against the DNAT's address, and then
   * FORWARD's policy where this context is INPUT. Returns them, for the context's own chain to leave alone.
   */
  diverted(block: Block, table: string, name: string, families: readonly Family[], ci: number): Cond[] {
    const diversions = this.nat?.diversions ?? [];
    const excluded: Cond[] = [];
    if (diversions.length === 0) return excluded;
    const fwd = block.chains.get("FORWARD");
    const own = block.chains.get(name);
    for (const d of diversions) {
      for (const taken of d.conds) {
        // An IPv4 DNAT's sources never cross ip6tables' chains (nor the other way round).
        const guard = families.length === 1 ? andCond(taken, { family: families[0]! }) : taken;
        if (guard === undefined) continue;
        const wk: Walk = {
          nat: d.shift,
          dest: d.dest,
          mark: d.mark,
          dnated: true,
          block,
          table,
          pathKind: "forward",
          direction: "in",
          families,
          ci,
        };
        if (fwd !== undefined) this.walk(wk, fwd, guard, ["FORWARD"], []);
        const policy = fwd?.policy ?? "allow";
        if (name !== "FORWARD" && (table === "filter" || policy !== (own?.policy ?? "allow")))
          condEntries(this.entries, guard, families, fwd?.line ?? d.line, {
            action: policy,
            direction: "in",
            via: [],
            ruleLine: (fwd?.line ?? d.line).n,
            comment: `FORWARD policy, after the DNAT at line ${d.dnat.line.n}`,
            context: ci,
          });
      }
      append(excluded, d.conds);
    }
    return excluded;
  }

  /**
   * One fall-through per context: where the families' policies differ, the others' policy is an explicit last entry.
   * A chain only one family's rules declare is crossed by that family only (an IPv4 iptables-save says nothing of IPv6).
   */
  fallthrough(
    ctx: PathContext,
    ci: number,
    name: string,
    direction: "in" | "out",
    policies: readonly ContextPolicy[],
  ): PathContext {
    const first = policies[0];
    if (!first) return ctx;
    const fams = new Set<number>(policies.flatMap((p): number[] => (p.families.length === 1 ? [p.families[0]!] : [0])));
    const only = fams.size === 1 && !fams.has(0) ? first.families[0] : undefined;
    for (const p of policies.slice(1)) {
      if (p.policy === first.policy) continue;
      for (const term of anyTerms(p.families)) {
        this.entries.push(
          makeEntry(p.chain.line, term, { action: p.policy, direction, comment: `${name} policy`, context: ci }),
        );
      }
    }
    return {
      ...ctx,
      fallthrough: first.policy,
      line: first.chain.line.n,
      text: first.chain.line.text,
      ...(only !== undefined ? { family: only } : {}),
    };
  }

  walk(wk: Walk, chain: Chain, guard: Cond, stack: readonly string[], via: readonly string[]): void {
    const exits: Cond[] = [];
    const rules = chain.rules;
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i]!;
      if (--this.budget < 0) {
        if (this.budget === -1)
          this.findings.push(finding(rule.line, "note", "Too many nested jumps: the rest of the rules are not read."));
        return;
      }
      if (rule.target !== undefined && !rule.broken) this.rule(wk, rule, rule.target, guard, exits, stack, via);
    }
  }

  /** The rule's conditions ANDed with the jumps' (`guard`); a state match split where raw left packets untracked. */
  joined(wk: Walk, rule: Rule, guard: Cond): Cond[] {
    if (rule.states === undefined || wk.table === "raw" || this.untracked.length === 0)
      return this.own(wk, rule, guard, false);
    // Packets outside what raw left untracked see NEW; those inside see UNTRACKED.
    const out: Cond[] = [];
    for (const c of this.own(wk, rule, guard, false)) {
      const { unmet, ...rest } = c;
      for (const q of minusExits([rest], this.untracked, wk.families, rule.line)) {
        const p = onLine(q, rule.line, rest);
        out.push(unmet === undefined ? p : { ...p, unmet });
      }
    }
    for (const c of this.own(wk, rule, guard, true))
      for (const u of this.untracked) {
        const j = andCond(c, u);
        // Addresses the rule itself does not name are shown on the rule's line, not the notrack's.
        if (j !== undefined) out.push(onLine(j, rule.line, c));
      }
    return out;
  }

  /** The rule's own conditions ANDed with `guard`, in the list ruleCond made (a new list each time, so kept in place). */
  own(wk: Walk, rule: Rule, guard: Cond, untracked: boolean): Cond[] {
    const conds = ruleCond(
      rule,
      wk.table,
      wk.pathKind,
      this.ingress,
      this.sets,
      wk.families,
      this.findings,
      untracked,
      wk.nat,
      wk.dest,
      wk.mark,
      wk.dnated === true,
    );
    if (guard === ANY_COND) return conds;
    let k = 0;
    for (let i = 0; i < conds.length; i++) {
      const j = andCond(guard, conds[i]!);
      if (j !== undefined) conds[k++] = j;
    }
    conds.length = k;
    return conds;
  }

  /** "-t raw -j CT --notrack" (or NOTRACK): what reaches it is exempted from conntrack. */
  notrack(wk: Walk, rule: Rule, guard: Cond, exits: readonly Cond[]): void {
    const reached = minusExits(
      minusExits(this.joined(wk, rule, guard), exits, wk.families, rule.line),
      this.rawTaken,
      wk.families,
      rule.line,
    );
    for (const p of reached) {
      if (p.unmet !== undefined) continue;
      if (p.unsure !== undefined) {
        this.findings.push(
          finding(
            rule.line,
            "note",
            `This notrack depends on ${p.unsure}: later state matches read the connection as NEW.`,
          ),
        );
        continue;
      }
      this.untracked.push(p);
    }
  }

  /** One rule under `guard`, minus what earlier RETURNs and gotos took (`exits`, extended here). */
  rule(
    wk: Walk,
    rule: Rule,
    target: string,
    guard: Cond,
    exits: Cond[],
    stack: readonly string[],
    via: readonly string[],
  ): void {
    const verdict = terminal(target);
    const isChain = verdict === undefined && !BUILTIN.includes(target) && wk.block.chains.has(target);
    if (target === "NOTRACK" && wk.table === "raw" && wk.pathKind !== "output") {
      this.notrack(wk, rule, guard, exits);
      return;
    }
    if (verdict === undefined && !isChain && target !== "RETURN") {
      if (target !== "NFQUEUE" && target !== "QUEUE") {
        if (!EXTENSION_TARGETS.has(target))
          this.findings.push(
            finding(rule.line, "undefined-reference", `Chain "${target}" is not defined in this paste.`),
          );
        return;
      }
      this.findings.push(
        finding(
          rule.line,
          "note",
          `${target} hands the packet to a program: read as a drop (what it decides is not in the paste).`,
        ),
      );
    }
    // Usually one condition; a set of address and port pairs gives one per member.
    const joinedAll = this.joined(wk, rule, guard);
    if (joinedAll.length === 0) return;
    if (wk.table === "raw" && wk.pathKind !== "output" && verdict !== undefined) append(this.rawTaken, joinedAll);
    let pieces = minusExits(joinedAll, exits, wk.families, rule.line);
    // The sources another walk decides leave at the verdict (shown on its line), not at the jumps above it.
    if (!isChain && wk.excluded !== undefined && wk.excluded.length > 0 && pieces.length > 0)
      pieces = minusExits(pieces, wk.excluded, wk.families, rule.line);
    if (pieces.length === 0) return;
    if (target === "RETURN") {
      if (joinedAll[0]!.unsure !== undefined) {
        this.findings.push(
          finding(rule.line, "note", `This RETURN depends on ${joinedAll[0]!.unsure}: read as if it did not return.`),
        );
      }
      append(exits, joinedAll);
      return;
    }
    if (isChain) {
      if (stack.includes(target)) {
        this.findings.push(
          finding(
            rule.line,
            "reference-loop",
            `Chain "${target}" jumps back to itself through ${[...stack, target].join(" → ")}.`,
          ),
        );
        return;
      }
      if (stack.length > MAX_JUMP_DEPTH) {
        this.findings.push(
          finding(
            rule.line,
            "not-understood",
            `Jumps nested more than ${MAX_JUMP_DEPTH} deep: chain "${target}" is not read from here.`,
          ),
        );
        return;
      }
      for (const p of pieces) this.walk(wk, wk.block.chains.get(target)!, p, [...stack, target], [...via, target]);
      // A goto does not come back: what it took skips the rest of this chain.
      if (rule.goto) append(exits, joinedAll);
      return;
    }
    const action = verdict ?? "deny";
    for (let i = 0; i < pieces.length; i++) {
      const p = pieces[i]!;
      const sources = p.sources;
      if (action === "allow" && p.unmet === undefined && sources !== undefined)
        for (let k = 0; k < sources.length; k++) {
          const via = sources[k]!.via;
          for (let j = 0; j < via.length; j++) this.allowReached.add(via[j]!);
        }
      condEntries(this.entries, p, wk.families, rule.line, {
        action,
        direction: wk.direction,
        via,
        ruleLine: rule.line.n,
        comment: rule.comment,
        context: wk.ci,
        qualifier: rule.qualifier,
      });
    }
  }
}

/** User chains with rules that no rule jumps to. */
function noteUnreachedChains(pathBlocks: readonly Block[], findings: Finding[]): void {
  for (const block of pathBlocks) {
    // Every rule's target, once: looking through all the rules for each chain grew with the square (20,000 chains
    // took 8 s).
    const targets = new Set<string>();
    for (const c of block.chains.values()) for (const r of c.rules) if (r.target !== undefined) targets.add(r.target);
    for (const chain of block.chains.values()) {
      if (BUILTIN.includes(chain.name) || chain.rules.length === 0) continue;
      if (!targets.has(chain.name))
        findings.push(
          finding(
            chain.line,
            "note",
            `Chain "${chain.name}" is not reached from a built-in chain: its rules are not read.`,
          ),
        );
    }
  }
}

/**
 * The path read when --path is not given: forward when nat PREROUTING DNATs every source's connection to the checked
 * port to another host (Docker's published ports: "-A DOCKER ! -i docker0 -p tcp --dport 443 -j DNAT --to-destination
 * 172.17.0.2:443"), since the routing decision after it forwards the connection and INPUT never sees it (Docker docs,
 * https://docs.docker.com/engine/network/firewall-iptables/: published ports are filtered in DOCKER-USER / FORWARD);
 * otherwise what the filter rules suggest (`detected`, from detectPath).
 */
function forwardIfDnat(
  detected: { kind: PathKind; why: string },
  blocks: readonly Block[],
  ingress: string | undefined,
  sets: IpsetTable,
  port: number,
): { kind: PathKind; why: string } {
  if (detected.kind === "forward") return detected;
  const dnat = natShift(blocks, "forward", ingress, sets, port, []).dnat;
  const to = dnat?.target === "DNAT" ? dnat.natTo : undefined;
  if (dnat === undefined || to === undefined || isLoopback(to)) return detected;
  const address = formatRange(to).replace(/\/(32|128)$/, "");
  const toPort = dnat.natPort ?? port;
  return {
    kind: "forward",
    why: `since nat PREROUTING line ${dnat.line.n} DNATs TCP ${port} to ${to.first.family === 6 ? `[${address}]` : address}:${toPort}: the connection is forwarded`,
  };
}

/** 127.0.0.0/8 or ::1: a DNAT there keeps the connection on this host. */
function isLoopback(r: Range): boolean {
  return r.first.family === 4 ? r.first.value >> 24n === 127n : r.first.value === 1n && r.last.value === 1n;
}

function assumptionLine(
  kind: PathKind,
  given: boolean,
  why: string,
  ingress: string | undefined,
  ingressGiven: boolean,
): string {
  const path =
    kind === "input"
      ? `Read as a new TCP connection to this host itself (INPUT)${given ? ", as asked" : why ? `, ${why}` : ""}; use --path forward if the service runs behind it (FORWARD).`
      : `Read as a new TCP connection forwarded to a service behind this host (FORWARD)${given ? ", as asked" : why ? `, ${why}` : ""}; use --path input if the service is the host itself.`;
  const side =
    ingress === undefined
      ? " Rules only for loopback, container, bridge or VPN interfaces are read as not met by Internet traffic; name the Internet-facing interface with --ingress."
      : ingressGiven
        ? ` The Internet arrives on ${ingress}.`
        : ` The Internet is assumed to arrive on ${ingress}, the interface the rules name; --ingress changes it.`;
  return path + side;
}

/**
 * Which path the paste is about, and the interface the Internet most likely arrives on. Forward when FORWARD holds
 * accept rules for public sources or ports while INPUT holds only host management (loopback, established, ssh,
 * private sources); input otherwise. The ingress: the non-internal interface the rules name most with -i.
 */
function detectPath(blocks: readonly Block[]): { kind: PathKind; why: string; ingress?: string } {
  const score = { INPUT: 0, FORWARD: 0 };
  const names = new Map<string, number>();
  for (const b of blocks) {
    if (b.table !== "filter") continue;
    for (const [start, chainName] of [
      ["INPUT", "INPUT"],
      ["FORWARD", "FORWARD"],
    ] as const) {
      const seen = new Set<string>();
      // As deep as the walk follows jumps (MAX_JUMP_DEPTH): a recursion, so it must stop where the walk does.
      const visit = (chain: Chain | undefined, depth = 0): void => {
        if (!chain || seen.has(chain.name) || depth > MAX_JUMP_DEPTH) return;
        seen.add(chain.name);
        const rules = chain.rules;
        for (let k = 0; k < rules.length; k++) {
          const r = rules[k]!;
          for (let j = 0; j < r.ifaces.length; j++) {
            const i = r.ifaces[j]!;
            if (!i.out && !i.negated && !isInternalInterface(i.name)) names.set(i.name, (names.get(i.name) ?? 0) + 1);
          }
          if (r.target && !terminal(r.target) && b.chains.has(r.target)) visit(b.chains.get(r.target), depth + 1);
          // Only whether a start chain scores at all decides: once it has, its other rules need not be weighed.
          if (
            score[start] > 0 ||
            r.target !== "ACCEPT" ||
            r.unmet !== undefined ||
            r.ifaces.some((i) => !i.out && !i.negated && isInternalInterface(i.name))
          )
            continue;
          if (r.sources.some((s) => s.k === "set" || s.terms.some((t) => isPublic(t.range)))) score[start] += 2;
          else if (r.ports !== undefined && !r.ports.every((p) => p.from === 22 && p.to === 22)) score[start] += 1;
        }
      };
      visit(b.chains.get(chainName));
    }
  }
  let ingress: string | undefined;
  let best = 0;
  for (const [n, c] of names) if (c > best) [ingress, best] = [n, c];
  const kind: PathKind = score.FORWARD > 0 && score.INPUT === 0 ? "forward" : "input";
  const why =
    kind === "forward"
      ? "since FORWARD holds the rules for outside sources and ports and INPUT only host management"
      : "";
  return { kind, why, ...(ingress !== undefined ? { ingress } : {}) };
}

const PRIVATE: readonly Range[] = [
  "10.0.0.0/8",
  "172.16.0.0/12",
  "192.168.0.0/16",
  "127.0.0.0/8",
  "100.64.0.0/10",
  "169.254.0.0/16",
  "fc00::/7",
  "fe80::/10",
  "::1/128",
].map((c) => {
  const p = parsePrefix(c);
  if (!p.ok) throw new Error(c);
  return prefixRange(p.value);
});

/** A source that is neither private nor "any": an outside address someone allows on purpose. */
function isPublic(r: Range): boolean {
  if (
    r.first.value === 0n &&
    (r.first.family === 4 ? r.last.value === 0xffffffffn : r.last.value === (1n << 128n) - 1n)
  )
    return false;
  return !PRIVATE.some(
    (p) => p.first.family === r.first.family && p.first.value <= r.first.value && r.last.value <= p.last.value,
  );
}

type NatWalk = NatShift | "keep" | "unsure" | "fallthrough" | "return";

/**
 * Sources that a jump of nat PREROUTING sends down to a DNAT while the other sources go on (kube-proxy's
 * loadBalancerSourceRanges: "-A KUBE-FW-… -s RANGE -j KUBE-EXT-…" ends in the DNAT to the pod; the rest stays
 * addressed to the load balancer IP). Their connection is forwarded to the DNAT's address: the FORWARD rules decide
 * it, with "-d" read against that address (iptables(8): nat PREROUTING alters packets "as soon as they come in",
 * before the routing decision that picks INPUT or FORWARD).
 */
interface Diversion {
  /** The sources (and the jump's other conditions) the jump takes. */
  readonly conds: readonly Cond[];
  /** The jump. */
  readonly line: Line;
  readonly dnat: Rule;
  /** The DNAT's address (one of them, kube-proxy picking an endpoint at random); undefined when one is not known. */
  readonly dest?: readonly Range[];
  /** The DNAT's port change, when it changes the port. */
  readonly shift?: NatShift;
  /** The mark the nat rules on the way set (kube-proxy's KUBE-MARK-MASQ); undefined when not known. */
  readonly mark?: number;
}

/** What nat PREROUTING does to the checked connection. */
interface NatResult {
  /** The port change every source meets. */
  readonly shift?: NatShift;
  /** The address a DNAT every source meets sends the connection to (the forward path reads "-d" against it). */
  readonly dest?: Range;
  /** The DNAT or REDIRECT every source meets. */
  readonly dnat?: Rule;
  readonly diversions: readonly Diversion[];
}

/** The walk's state: the address the connection is read as addressed to, and what it found. */
interface NatState {
  /** The destination "-d" is decided against in nat; undefined: read as met. */
  readonly dest?: Range;
  /** Inside a jump taken by some sources only: a further source-dependent DNAT is not split again. */
  readonly nested: boolean;
  readonly diversions: Diversion[];
  /** The first DNAT for some sources that keeps the port (a port-changing one after it is not for every source). */
  keep?: Rule;
  /** The DNAT the walk ended at. */
  dnat?: Rule;
  /** DNATs some of the connections took on the way ("-m statistic" jumps: kube-proxy's endpoints but the last). */
  alternatives?: { readonly dnat: Rule; readonly shift: NatShift | undefined }[];
  /** The connection's mark so far (0 from the Internet); undefined once a MARK under an undecided condition ran. */
  mark?: number;
}

/**
 * The address the connection is read as addressed to in nat PREROUTING, when its rules name several: the one the
 * filter rules name too (kube-proxy: KUBE-SERVICES names every cluster IP and the load balancer IP, KUBE-PROXY-FIREWALL
 * only the load balancer IP; cluster IPs are reached from inside the cluster only). Undefined when that is not one
 * address: "-d" is then read as met, as before.
 */
function natDestination(blocks: readonly Block[]): { range: Range; line: Line } | undefined {
  const named = (table: (t: string) => boolean): Map<string, { range: Range; line: Line }> => {
    const out = new Map<string, { range: Range; line: Line }>();
    for (const b of blocks) {
      if (!table(b.table)) continue;
      for (const c of b.chains.values())
        for (const r of c.rules) {
          const d = r.dests;
          if (d === undefined || d.negated || r.broken) continue;
          for (const range of d.ranges)
            if (range.first.value === range.last.value && !isSpecialDestination(range))
              if (!out.has(formatRange(range))) out.set(formatRange(range), { range, line: r.line });
        }
    }
    return out;
  };
  const nat = named((t) => t === "nat");
  if (nat.size < 2) return undefined;
  const filter = named((t) => PATH_TABLES.has(t));
  const both = [...nat.keys()].filter((k) => filter.has(k));
  return both.length === 1 ? nat.get(both[0]!) : undefined;
}

/**
 * What nat PREROUTING does to a new TCP connection to `port` from the Internet (iptables(8): the nat table's
 * PREROUTING runs before INPUT and FORWARD, "for altering packets as soon as they come in"; iptables-extensions(8)
 * DNAT, REDIRECT): the first DNAT/REDIRECT every source meets, with its port and address, and the jumps that send
 * some sources only down to a DNAT (diversions). The filter rules after it see the new port. One that depends on a
 * condition not decided is noted and the port read unchanged.
 */
function natShift(
  blocks: readonly Block[],
  kind: PathKind,
  ingress: string | undefined,
  sets: IpsetTable,
  port: number,
  findings: Finding[],
): NatResult {
  const target = natDestination(blocks);
  for (const block of blocks) {
    const start = block.table === "nat" ? block.chains.get("PREROUTING") : undefined;
    if (!start) continue;
    const st: NatState = { nested: false, diversions: [], mark: 0, ...(target ? { dest: target.range } : {}) };
    const r = walkNat(block, start, familiesOfBlock(block), kind, ingress, sets, port, findings, [start.name], st);
    if (target !== undefined && st.diversions.length > 0)
      findings.push(
        finding(
          target.line,
          "note",
          `The nat rules name several destinations: the connection is read as addressed to ${formatRange(target.range)}, the one the filter rules name too; the nat rules for the other addresses are not met.`,
        ),
      );
    const dest = st.dnat?.natTo;
    if (typeof r === "object") {
      findings.push(
        finding(
          r.line,
          "note",
          `A new connection to port ${r.from} continues as port ${r.to} after this ${r.line.text.includes("REDIRECT") ? "REDIRECT" : "DNAT"}: the INPUT and FORWARD rules are read for port ${r.to}.`,
        ),
      );
      return { shift: r, ...(dest ? { dest } : {}), ...(st.dnat ? { dnat: st.dnat } : {}), diversions: st.diversions };
    }
    if (r === "keep")
      return { ...(dest ? { dest } : {}), ...(st.dnat ? { dnat: st.dnat } : {}), diversions: st.diversions };
    if (r === "unsure" || st.diversions.length > 0) return { diversions: st.diversions };
  }
  return { diversions: [] };
}

function walkNat(
  block: Block,
  chain: Chain,
  families: readonly Family[],
  kind: PathKind,
  ingress: string | undefined,
  sets: IpsetTable,
  port: number,
  findings: Finding[],
  stack: readonly string[],
  st: NatState,
): NatWalk {
  // As deep as the filter walk follows jumps (a chain of 20,000 jumps must not overflow the stack).
  if (stack.length > MAX_JUMP_DEPTH) return "unsure";
  for (const rule of chain.rules) {
    if (rule.broken || rule.target === undefined) continue;
    const natDest = st.dest !== undefined ? [st.dest] : undefined;
    const conds = ruleCond(rule, "nat", kind, ingress, sets, families, [], false, undefined, natDest);
    const c = conds.length === 1 ? conds[0]! : undefined;
    if (c?.unmet !== undefined) continue;
    if (c !== undefined && c.protos !== undefined && !c.protos.includes("tcp")) continue;
    if (c !== undefined && c.ports !== undefined && !c.ports.some((p) => p.from <= port && port <= p.to)) continue;
    const t = rule.target;
    if (t === "MARK") {
      // iptables-extensions(8) MARK: the mark the filter rules' "-m mark" see after nat.
      const m = rule.markSet;
      const always = c !== undefined && c.sources === undefined && c.unsure === undefined;
      st.mark = always && m !== undefined && st.mark !== undefined ? ((st.mark & m.and) ^ m.xor) >>> 0 : undefined;
      continue;
    }
    const acts = t === "DNAT" || t === "REDIRECT" || t === "ACCEPT" || t === "RETURN" || block.chains.has(t);
    if (!acts) continue;
    if (
      st.nested &&
      rule.random === true &&
      c !== undefined &&
      c.sources === undefined &&
      c.unsure === rule.unsure &&
      block.chains.has(t) &&
      !stack.includes(t)
    ) {
      // kube-proxy's "-m statistic --mode random --probability P -j KUBE-SEP-…": some connections take this
      // endpoint's DNAT, the others go on to the next rule (the last endpoint's jump has no condition).
      const alt: NatState = {
        nested: true,
        diversions: [],
        ...(st.dest ? { dest: st.dest } : {}),
        ...(st.mark !== undefined ? { mark: st.mark } : {}),
      };
      const r = walkNat(block, block.chains.get(t)!, families, kind, ingress, sets, port, findings, [...stack, t], alt);
      if ((r === "keep" || typeof r === "object") && alt.dnat !== undefined && alt.mark === st.mark) {
        (st.alternatives ??= []).push({ dnat: alt.dnat, shift: typeof r === "object" ? r : undefined });
        continue;
      }
    }
    if (
      t === "DNAT" &&
      !st.nested &&
      c !== undefined &&
      c.sources !== undefined &&
      c.unsure === undefined &&
      rule.natTo !== undefined &&
      !Number.isNaN(rule.natPort)
    ) {
      // A DNAT of some sources (-s): their connections are forwarded to its address, as a jump's diversion is; the
      // FORWARD rules decide them and the other sources go on (iptables(8): nat PREROUTING alters packets "as soon as
      // they come in", before the routing decision that picks INPUT or FORWARD).
      const shift =
        rule.natPort !== undefined && rule.natPort !== port
          ? { from: port, to: rule.natPort, line: rule.line }
          : undefined;
      st.diversions.push({
        conds: [c],
        line: rule.line,
        dnat: rule,
        dest: [rule.natTo],
        ...(shift ? { shift } : {}),
        ...(st.mark !== undefined ? { mark: st.mark } : {}),
      });
      findings.push(
        finding(
          rule.line,
          "note",
          `This DNAT${dnatTo(rule)} takes the connections of some sources only: they are forwarded there, so the FORWARD rules decide them, read for ${formatRange(rule.natTo)}${shift ? ` and port ${shift.to}` : ""}; an INPUT rule does not see them. The other sources stay addressed to this host.`,
        ),
      );
      continue;
    }
    if (c === undefined || c.sources !== undefined || c.unsure !== undefined) {
      // A DNAT for some sources that keeps the port changes nothing here, unless a port-changing one follows.
      if ((t === "DNAT" || t === "REDIRECT") && (rule.natPort === undefined || rule.natPort === port)) {
        st.keep ??= rule;
        continue;
      }
      if (t === "DNAT" || t === "REDIRECT")
        findings.push(
          finding(
            rule.line,
            "note",
            `This ${t} of port ${port} depends on the source or on a condition not decided: the rules after it are read for port ${port}.`,
          ),
        );
      if (t !== "DNAT" && t !== "REDIRECT" && block.chains.has(t) && !stack.includes(t)) {
        const dnat = dnatBelow(block, t);
        // A chain that can neither DNAT nor ACCEPT (KUBE-MARK-MASQ: a MARK) changes nothing here.
        if (dnat === undefined && dnatBelow(block, t, "ACCEPT") === undefined) {
          // It may mark some sources: the mark stays known only where every MARK below leaves it as it is (kube-proxy's
          // hairpin "-s POD -j KUBE-MARK-MASQ" after KUBE-EXT already set that bit).
          if (st.mark !== undefined && !marksKeep(block, t, st.mark)) st.mark = undefined;
          continue;
        }
        if (dnat === undefined) return "unsure";
        if (!st.nested && c !== undefined && c.sources !== undefined && c.unsure === undefined) {
          // kube-proxy's loadBalancerSourceRanges: the sources this jump takes go down to the DNAT; the others go on.
          const sub: NatState = {
            nested: true,
            diversions: [],
            ...(st.dest ? { dest: st.dest } : {}),
            ...(st.mark !== undefined ? { mark: st.mark } : {}),
          };
          const r = walkNat(
            block,
            block.chains.get(t)!,
            families,
            kind,
            ingress,
            sets,
            port,
            findings,
            [...stack, t],
            sub,
          );
          const shift = typeof r === "object" ? r : undefined;
          const ends = [{ dnat: sub.dnat, shift }, ...(sub.alternatives ?? [])];
          // Every endpoint keeps the port, or all change it alike.
          const alike = ends.every((e) => e.shift?.to === shift?.to);
          if ((r === "keep" || typeof r === "object") && sub.dnat !== undefined && alike) {
            const addresses = ends.map((e) => e.dnat?.natTo);
            const to = addresses.every((a) => a !== undefined) ? (addresses as Range[]) : undefined;
            st.diversions.push({
              conds,
              line: rule.line,
              dnat: sub.dnat,
              ...(to ? { dest: to } : {}),
              ...(shift ? { shift } : {}),
              ...(sub.mark !== undefined ? { mark: sub.mark } : {}),
            });
            findings.push(
              finding(
                rule.line,
                "note",
                `The connections this jump takes are DNATed at line ${ends.map((e) => `${e.dnat!.line.n}${dnatTo(e.dnat!)}`).join(" or ")}: they are forwarded there, so the FORWARD rules decide them${to ? `, read for ${to.map(formatRange).join(" or ")}` : ""}; the other sources stay addressed to this host.`,
              ),
            );
            continue;
          }
          if (r === "fallthrough" || r === "return") continue;
        }
        findings.push(
          finding(
            rule.line,
            "note",
            `This jump leads to the ${dnat.target} at line ${dnat.line.n}${dnatTo(dnat)} ${c?.sources !== undefined ? "for some sources only" : "only under a condition not decided"}: the connections it takes no longer meet the filter rules for this host's address; the rules are read as if no ${dnat.target} applied.`,
          ),
        );
      }
      if (t === "DNAT" || t === "REDIRECT" || block.chains.has(t)) return "unsure";
      continue;
    }
    if (t === "DNAT" || t === "REDIRECT") {
      if (rule.natPort === undefined || rule.natPort === port) {
        st.dnat = rule;
        return "keep";
      }
      if (Number.isNaN(rule.natPort)) {
        findings.push(
          finding(
            rule.line,
            "note",
            `This ${t} maps port ${port} to a range: the rules after it are read for port ${port}.`,
          ),
        );
        return "unsure";
      }
      if (st.keep !== undefined) {
        findings.push(
          finding(
            rule.line,
            "note",
            `This ${t} of port ${port} applies only to sources the ${st.keep.target} at line ${st.keep.line.n} does not take: the rules after it are read for port ${port}.`,
          ),
        );
        return "unsure";
      }
      st.dnat = rule;
      return { from: port, to: rule.natPort, line: rule.line };
    }
    if (t === "ACCEPT") return "keep";
    if (t === "RETURN") return "return";
    if (stack.includes(t)) return "unsure";
    const r = walkNat(block, block.chains.get(t)!, families, kind, ingress, sets, port, findings, [...stack, t], st);
    if (r === "fallthrough" || r === "return") {
      if (rule.goto) return "return";
      continue;
    }
    return r;
  }
  return "fallthrough";
}

/**
 * The first DNAT or REDIRECT (or the first rule with target `only`) of chain `name` or of a chain below it (jumps and
 * gotos), found with a work list: a hostile chain of 20,000 jumps does not overflow the stack.
 */
function dnatBelow(block: Block, name: string, only?: string): Rule | undefined {
  const seen = new Set<string>([name]);
  const queue = [name];
  while (queue.length > 0) {
    for (const r of block.chains.get(queue.pop()!)?.rules ?? []) {
      if (r.broken || r.target === undefined) continue;
      if (only === undefined ? r.target === "DNAT" || r.target === "REDIRECT" : r.target === only) return r;
      if (block.chains.has(r.target) && !seen.has(r.target)) {
        seen.add(r.target);
        queue.push(r.target);
      }
    }
  }
  return undefined;
}

/** Whether every MARK of chain `name` and the chains below it leaves `mark` as it is (or there is none). */
function marksKeep(block: Block, name: string, mark: number): boolean {
  const seen = new Set<string>([name]);
  const queue = [name];
  while (queue.length > 0) {
    for (const r of block.chains.get(queue.pop()!)?.rules ?? []) {
      if (r.broken || r.target === undefined) continue;
      if (r.target === "MARK" && (r.markSet === undefined || ((mark & r.markSet.and) ^ r.markSet.xor) >>> 0 !== mark))
        return false;
      if (block.chains.has(r.target) && !seen.has(r.target)) {
        seen.add(r.target);
        queue.push(r.target);
      }
    }
  }
  return true;
}

/** " (to 10.244.1.5:8443)": where a DNAT sends the connection, as its rule writes it; "" when it does not say. */
function dnatTo(r: Rule): string {
  const m = /--to-(?:destination|ports)\s+(\S+)/.exec(r.line.text);
  return m === null ? "" : ` (to ${m[1]})`;
}

/** A DNAT or REDIRECT of nat PREROUTING that changes the checked port `from` into `to` for every source. */
interface NatShift {
  readonly from: number;
  readonly to: number;
  readonly line: Line;
}

const NO_DIMS: readonly string[] = Object.freeze([]);

/** The rule's conditions for a SYN from the Internet on `path`. */
function ruleCond(
  rule: Rule,
  table: string,
  path: PathKind | "output",
  ingress: string | undefined,
  sets: IpsetTable,
  families: readonly Family[],
  findings: Finding[],
  untracked = false,
  nat?: NatShift,
  dest?: readonly Range[],
  mark?: number,
  dnated = false,
): Cond[] {
  let unmet = rule.unmet;
  const mm = rule.markMatch;
  if (mark !== undefined && mark !== 0 && mm !== undefined && (unmet === undefined || unmet === mm.why)) {
    // The connection carries a mark a nat rule set (kube-proxy's KUBE-MARK-MASQ): the match is decided against it.
    const matches = ((mark & mm.mask) >>> 0 === mm.value) !== mm.negated;
    unmet = matches
      ? undefined
      : `only packets with mark ${mm.negated ? "not " : ""}${mm.value}: this connection's mark is 0x${mark.toString(16)}`;
  }
  let unsure = rule.unsure;
  const dests = rule.dests;
  if (dest !== undefined && dest.length > 0 && dests !== undefined) {
    // The connection's address is known (a DNAT sent it there; one of several when it picks one at random): "-d" is
    // decided against it, not read as met.
    const inside = dest.map((d) => dests.ranges.some((r) => rangeContainsRange(r, d)));
    const all = inside.every((x) => x);
    const none = !inside.some((x) => x);
    const addressed = `the connection is addressed to ${dest.length > 1 ? "one of " : ""}${dest.map(formatRange).join(", ")}`;
    if (dests.negated ? all : none)
      unmet ??= `only traffic ${dests.negated ? "not " : ""}to ${dests.token}: ${addressed}`;
    else {
      if (dests.negated && unsure === `destination not ${dests.token}`) unsure = undefined;
      // Some of the addresses only: it depends on the one picked.
      if (!all && !none) unsure ??= `destination ${dests.negated ? "not " : ""}${dests.token} (${addressed})`;
    }
  }
  if (unmet === undefined && rule.states !== undefined) {
    // A SYN opening a connection is NEW once conntrack has seen it; in the raw table (before conntrack) it has no
    // conntrack entry yet, which the state match reads as INVALID (xt_conntrack, xt_state). One the raw table
    // exempted from tracking (CT --notrack) is UNTRACKED.
    const state = untracked ? "UNTRACKED" : table === "raw" ? "INVALID" : "NEW";
    // iptables-extensions(8) conntrack: DNAT is "a virtual state, matching if the original destination differs from
    // the reply source", which holds for a connection a DNAT of nat PREROUTING took, on the hooks after it.
    const states = dnated && !untracked ? [state, "DNAT"] : [state];
    const { list, negated } = rule.states;
    if (states.some((x) => list.includes(x)) === negated)
      unmet = `only ${negated ? "connections not " : ""}${list.join(",")}${untracked ? " (the raw table left this connection untracked)" : table === "raw" ? " (in the raw table a new connection is not tracked yet)" : ""}`;
  }
  // Indexed loops: for..of here ran through the iterator protocol once per rule and walk.
  for (let k = 0; k < rule.ifaces.length; k++) {
    const i = rule.ifaces[k]!;
    if (unmet !== undefined) break;
    if (path === "output") continue;
    if (!i.out) unmet = inputInterfaceUnmet(i.name, i.negated, ingress);
    else if (path === "input") unmet = `-o ${i.name}: a packet to this host has no output interface`;
    else unmet = outputInterfaceUnmet(i.name, i.negated, ingress);
  }
  let ports = rule.ports;
  if (nat !== undefined && ports !== undefined && unmet === undefined) {
    // After the DNAT the packet's destination port is nat.to: the rule meets the connection to nat.from only if it
    // lists nat.to (its other ports concern other connections).
    const listsNew = ports.some((p) => p.from <= nat.to && nat.to <= p.to);
    const others = intersectPorts(ports, complementPorts([{ from: nat.from, to: nat.from }]));
    if (listsNew) ports = [...(others ?? []), { from: nat.from, to: nat.from }];
    else if (others === null || others === undefined)
      unmet = `the DNAT at line ${nat.line.n} turned port ${nat.from} into ${nat.to}, which this rule does not list`;
    else ports = others;
  }
  if (rule.origPorts !== undefined && unmet === undefined) {
    const both = ports === undefined ? rule.origPorts : intersectPorts(ports, rule.origPorts);
    if (both === null || both === undefined) unmet = "its ports and original ports exclude each other";
    else ports = both;
  }
  // "-d" read as met names the addresses for the diff's check against the catalog (Entry.destination); where the
  // connection's address is known it was decided above.
  const destination =
    dests !== undefined && !dests.negated && (dest === undefined || dest.length === 0)
      ? { token: dests.token, ranges: dests.ranges }
      : undefined;
  const plain =
    rule.protos === undefined &&
    ports === undefined &&
    unmet === undefined &&
    unsure === undefined &&
    destination === undefined;
  const only = rule.sources.length === 1 ? rule.sources[0]! : undefined;
  if (only !== undefined && only.k === "terms") {
    // The usual rule, one address match: its condition made at once, as andCond(base, { sources }) makes it (ANY_COND
    // ANDed with the sources is the sources as they are; otherwise no sources is no packet).
    const sources = specSources(only, rule.line, sets, families, findings);
    if (plain) return [{ sources }];
    if (sources.length === 0) return [];
    const one: { -readonly [K in keyof Cond]: Cond[K] } = { sources };
    if (rule.protos !== undefined) one.protos = rule.protos;
    if (ports !== undefined) one.ports = ports;
    if (unmet !== undefined) one.unmet = unmet;
    if (unsure !== undefined) one.unsure = unsure;
    if (destination !== undefined) one.destination = destination;
    return [one];
  }
  let cond: Cond = ANY_COND;
  if (!plain) {
    const base: { -readonly [K in keyof Cond]: Cond[K] } = {};
    if (rule.protos !== undefined) base.protos = rule.protos;
    if (ports !== undefined) base.ports = ports;
    if (unmet !== undefined) base.unmet = unmet;
    if (unsure !== undefined) base.unsure = unsure;
    if (destination !== undefined) base.destination = destination;
    cond = base;
  }
  let alternatives: Cond[] | undefined;
  for (let k = 0; k < rule.sources.length; k++) {
    const spec = rule.sources[k]!;
    const info = spec.k === "set" ? sets.sets.get(spec.name) : undefined;
    const dims = info === undefined ? NO_DIMS : (info.type.split(":")[1]?.split(",") ?? NO_DIMS);
    if (spec.k === "set" && info !== undefined && spec.flags.length < dims.length) {
      // ipset finds nothing when the rule names fewer directions than the set has dimensions (ip_set_test): the
      // match never holds, and its negation always does.
      if (!spec.negated)
        cond = {
          ...cond,
          unmet:
            cond.unmet ??
            `set ${spec.name} (${info.type}) is matched with ${spec.flags.length} of its ${dims.length} dimensions`,
        };
      continue;
    }
    if (spec.k === "set" && dims[1] === "port" && !spec.negated) {
      if (spec.flags[1] !== "dst") {
        cond = { ...cond, unsure: cond.unsure ?? `set ${spec.name} on the source port` };
        continue;
      }
      // hash:ip,port with src,dst: each member is an address AND a protocol and destination port.
      const members = sets.matching(spec.name, rule.line, findings);
      const next: Cond[] = [];
      for (const base of alternatives ?? [cond]) {
        for (const m of members) {
          const c = andCond(base, {
            sources: [{ term: m.value.term, line: m.line, via: m.via }],
            ...(m.value.protocol ? { protos: [m.value.protocol] } : {}),
            ...(m.value.ports ? { ports: m.value.ports } : {}),
          });
          if (c !== undefined) next.push(c);
        }
      }
      alternatives = next;
      continue;
    }
    if (spec.k === "set" && dims[1] === "port")
      cond = { ...cond, unsure: cond.unsure ?? `! set ${spec.name} with ports` };
    const own = specSources(spec, rule.line, sets, families, findings);
    if (alternatives !== undefined) {
      alternatives = alternatives.flatMap((a) => {
        const c = andCond(a, { sources: own });
        return c === undefined ? [] : [c];
      });
      continue;
    }
    const next = andCond(cond, { sources: own });
    if (next === undefined) return [];
    cond = next;
  }
  if (alternatives !== undefined)
    return cond.unmet === undefined && cond.unsure === undefined
      ? alternatives
      : alternatives.map((a) => ({
          ...a,
          ...(cond.unmet ? { unmet: cond.unmet } : {}),
          ...(cond.unsure ? { unsure: cond.unsure } : {}),
        }));
  return [cond];
}

function done(text: string, entries: Entry[], findings: Finding[], notes: string[]): ParseOutput {
  return {
    format: "iptables",
    entries,
    findings: findings.sort((a, b) => a.line - b.line),
    lineCount: countLines(text),
    notes,
  };
}

/** Puts the rules inserted at the top before the others, once. */
/** Drops the rules "-D CHAIN rule…" marked, before positions are read. */
function sweep(chain: Chain): void {
  chain.removals?.sweep(chain.list);
}

function emptyChain(chain: Chain): void {
  chain.list = new PositionList();
  chain.removals = undefined;
}

/** The rule part of "-A|-I|-D chain [n] rule…", as "-D" compares it (iptables matches the rule as written). */
function specOf(words: readonly string[], start: number): string {
  return words.slice(/^\d+$/.test(words[start] ?? "") ? start + 1 : start).join(" ");
}

function setPolicy(chain: Chain, word: string | undefined): void {
  const p = word ? terminal(word) : undefined;
  if (p) chain.policy = p;
}

/** Shared by every source written in the rule itself (nothing appends to a source's via). */
const NO_VIA: readonly string[] = Object.freeze([]);

function specSources(
  spec: SourceSpec,
  line: Line,
  sets: IpsetTable,
  families: readonly Family[],
  findings: Finding[],
): Source[] {
  if (spec.k === "terms") {
    if (!spec.negated) return spec.terms.map((term) => ({ term, line, via: NO_VIA }));
    return complementOf(
      spec.terms.map((t) => t.range),
      spec.token,
      line,
      [],
      families,
    );
  }
  const members = sets.matching(spec.name, line, findings);
  if (!spec.negated) {
    return members.map((m) => ({ term: m.value.term, line: m.line, via: m.via }));
  }
  const fam = sets.sets.get(spec.name)?.family;
  return complementOf(
    members.map((m) => m.value.term.range),
    spec.name,
    line,
    [spec.name],
    fam ? [fam] : families,
  );
}

/** Everything of the families outside `ranges` ("! -s", "! --match-set"): both families for an empty list. */
function complementOf(
  ranges: readonly Range[],
  token: string,
  line: Line,
  via: readonly string[],
  families: readonly Family[],
): Source[] {
  const fams = ranges.length > 0 ? [...new Set(ranges.map((r) => r.first.family))] : families;
  return fams.flatMap((f) =>
    complementTerms(
      ranges.filter((r) => r.first.family === f),
      f,
      token,
    ).map((term) => ({ term, line, via })),
  );
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

/** A destination no connection from the Internet is addressed to (loopback, multicast, broadcast). */
function isSpecialDestination(r: Range): boolean {
  return SPECIAL_DESTINATIONS.some(
    (p) => p.first.family === r.first.family && p.first.value <= r.first.value && r.last.value <= p.last.value,
  );
}

/**
 * Ports of "443", "80,443", "1000:2000", "https"; "1024:" and ":1023" are open-ended (iptables-extensions(8) tcp:
 * "If the first port is omitted, 0 is assumed; if the last is omitted, 65535 is assumed"; multiport ranges alike).
 */
function readPorts(line: Line, v: string, findings: Finding[]): PortRange[] {
  const ports: PortRange[] = [];
  for (const part of v.includes(",") ? v.split(",") : [v]) {
    const open =
      part.length > 1 && part.endsWith(":")
        ? `${part}65535`
        : part.length > 1 && part.startsWith(":")
          ? `0${part}`
          : part;
    const r = parsePortRange(open) ?? SERVICE_PORTS[part.toLowerCase()];
    if (r) ports.push(r);
    else findings.push(finding(line, "invalid", `"${part}" is not a port or port range.`));
  }
  return ports;
}

/**
 * The destination port a DNAT ("--to-destination 10.0.0.5:8443", "[2001:db8::5]:8443") or REDIRECT ("--to-ports
 * 8443") gives; undefined when it keeps the port; NaN for a port range (which port is picked is not known).
 */
function natPortOf(words: readonly string[], from: number, target: string): number | undefined {
  const opt = target === "REDIRECT" ? ["--to-ports", "--to-port"] : ["--to-destination", "--to"];
  const k = words.findIndex((w, i) => i >= from && opt.includes(w));
  const v = k >= 0 ? (words[k + 1] ?? "") : "";
  const port = target === "REDIRECT" ? v : /^(?:\[[^\]]*\]|[^:]*):(.+)$/.exec(v)?.[1];
  if (!port) return undefined;
  return /^\d{1,5}$/.test(port) && Number(port) <= 65535 ? Number(port) : NaN;
}

/**
 * The address a DNAT sends the connection to ("--to-destination 10.244.1.5:8443", "[2001:db8::5]:8443", "10.0.0.5");
 * undefined for an address range (which address is picked is not known) or when it cannot be read.
 */
function natAddressOf(words: readonly string[], from: number): Range | undefined {
  const k = words.findIndex((w, i) => i >= from && (w === "--to-destination" || w === "--to"));
  const v = k >= 0 ? (words[k + 1] ?? "") : "";
  // "[v6]:port", a bare IPv6 address (two colons or more), or "v4[:port]".
  const addr = v.startsWith("[")
    ? /^\[([^\]]+)\]/.exec(v)?.[1]
    : v.indexOf(":") !== v.lastIndexOf(":")
      ? v
      : v.split(":")[0];
  if (addr === undefined || addr === "" || addr.includes("-")) return undefined;
  const r = readAddressTerm(addr);
  return r.ok && r.term.range.first.value === r.term.range.last.value ? r.term.range : undefined;
}

/** "--ctorigdstport 443" (conntrack): the port the client connected to, before any DNAT. */
function readOrigDstPort(s: RuleScan, _option: string, neg: boolean): void {
  const ports = readPorts(s.rule.line, take(s), s.findings);
  if (ports.length === 0) s.rule.broken = true;
  else s.rule.origPorts = neg ? complementPorts(ports) : ports;
}

/** Match options that take no value. */
const FLAG_OPTIONS = new Set([
  "--syn",
  "-f",
  "--fragment",
  "--rsource",
  "--rdest",
  "--rcheck",
  "--update",
  "--remove",
  "--rttl",
  "--set",
  "--log-tcp-sequence",
  "--log-tcp-options",
  "--log-ip-options",
  "--log-uid",
]);
/** Options of matches that only shape counting or logging, or always hold for a first SYN (limits have their burst). */
const HARMLESS = new Set([
  "--limit",
  "--limit-burst",
  "--hashlimit",
  "--hashlimit-upto",
  "--hashlimit-burst",
  "--hashlimit-mode",
  "--hashlimit-name",
  "--hashlimit-htable-size",
  "--hashlimit-htable-max",
  "--hashlimit-htable-expire",
  "--hashlimit-htable-gcinterval",
  "--hashlimit-srcmask",
  "--hashlimit-dstmask",
  "--connlimit-upto",
  "--connlimit-mask",
  "--connlimit-saddr",
  "--connlimit-daddr",
  "--seconds",
  "--hitcount",
  "--name",
  "--mask",
  "--reap",
  "--icmp-type",
  "--icmpv6-type",
  "--pkt-type",
]);

/** A rule being read: the command's words, the cursor, and the match module named last ("-m recent"). */
interface RuleScan {
  readonly words: readonly string[];
  i: number;
  readonly rule: Rule;
  readonly findings: Finding[];
  readonly portLists: Map<string, readonly PortRange[]>;
  readonly block: Block;
  matchModule: string;
  /** Whether the value valueOf read last is negated. */
  neg: boolean;
  /** A "--ports" (source or destination) match was read: undecided unless the rule accepts. */
  portsEither?: boolean;
}

/** Reads one option of a rule at the cursor (its values too); `neg` when a "!" came before it. */
type OptionReader = (s: RuleScan, option: string, neg: boolean) => void;

function take(s: RuleScan): string {
  return s.words[++s.i] ?? "";
}

/** The value; `s.neg` says whether it is negated, flipped when written the old way ("-s ! 1.2.3.4"). */
function valueOf(s: RuleScan, neg: boolean): string {
  const v = take(s);
  s.neg = neg;
  if (v !== "!") return v;
  s.neg = !neg;
  return take(s);
}

/** A rule's lists before their first item: shared, never pushed to (addSpec and readInterface replace them). */
const NO_SPECS: SourceSpec[] = Object.freeze([]) as unknown as SourceSpec[];
const NO_IFACES: Iface[] = Object.freeze([]) as unknown as Iface[];

/** Adds a source spec; the first one makes a one-item list (an empty list pushed to would reserve 16 slots). */
function addSpec(rule: Rule, spec: SourceSpec): void {
  if (rule.sources === NO_SPECS) rule.sources = [spec];
  else rule.sources.push(spec);
}

function never(rule: Rule, why: string): void {
  // A mark match's reason holds for mark 0 only: another reason replaces it, as it holds whatever the mark.
  const mm = rule.markMatch;
  if (mm?.why !== undefined && rule.unmet === mm.why) {
    rule.unmet = why;
    rule.markMatch = { value: mm.value, mask: mm.mask, negated: mm.negated };
    return;
  }
  rule.unmet ??= why;
}

function readSource(s: RuleScan, _option: string, neg: boolean): void {
  const v = valueOf(s, neg);
  let terms: AddressTerm[] | undefined;
  if (v.includes(",")) {
    terms = [];
    for (const tok of v.split(",")) {
      const term = sourceTerm(s, tok);
      if (term !== undefined) terms.push(term);
    }
  } else {
    // One address (most rules): a one-item list, not a grown one.
    const term = sourceTerm(s, v);
    if (term !== undefined) terms = [term];
  }
  if (terms !== undefined && terms.length > 0) addSpec(s.rule, { k: "terms", terms, negated: s.neg, token: v });
  else s.rule.broken = true;
}

/**
 * "52.1.37.0/255.255.255.0" as "52.1.37.0/24" (iptables(8) -s: "The mask can be either an ipv4 network mask (for
 * iptables) or a plain number"); other text unchanged. A non-contiguous mask is left for the reader to report.
 */
export function dottedMask(tok: string): string {
  // No "." after the first "/": not a dotted mask (most tokens are CIDRs or addresses), without running the pattern.
  const slash = tok.indexOf("/");
  if (slash < 0 || tok.indexOf(".", slash) < 0) return tok;
  const m = /^([^/]+)\/(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(tok);
  if (!m) return tok;
  const bits = m.slice(2, 6).reduce((acc, o) => acc * 256 + Number(o), 0);
  if (m.slice(2, 6).some((o) => Number(o) > 255)) return tok;
  let len = 0;
  while (len < 32 && Math.floor(bits / 2 ** (31 - len)) % 2 === 1) len++;
  // Contiguous: the bits after the prefix are all zero.
  return bits % 2 ** (32 - len) === 0 ? `${m[1]}/${len}` : tok;
}

function sourceTerm(s: RuleScan, tok: string): AddressTerm | undefined {
  const r = readAddressTerm(dottedMask(tok));
  if (r.ok) {
    s.block.families.add(r.term.range.first.family);
    return r.term;
  }
  s.findings.push(finding(s.rule.line, r.kind, r.message));
  return undefined;
}

function readSourceRange(s: RuleScan, _option: string, neg: boolean): void {
  const v = take(s);
  const r = readAddressTerm(v);
  if (r.ok) addSpec(s.rule, { k: "terms", terms: [r.term], negated: neg, token: v });
  else {
    s.findings.push(finding(s.rule.line, r.kind, r.message));
    s.rule.broken = true;
  }
}

function readDestination(s: RuleScan, _option: string, neg: boolean): void {
  const v = valueOf(s, neg);
  destinationSpec(s.rule, v, s.neg);
}

function readDestinationRange(s: RuleScan, _option: string, neg: boolean): void {
  destinationSpec(s.rule, take(s), neg);
}

function destinationSpec(rule: Rule, v: string, neg: boolean): void {
  const ranges: Range[] = [];
  for (const tok of v.split(",")) {
    const r = readAddressTerm(dottedMask(tok));
    if (r.ok) ranges.push(r.term.range);
  }
  if (ranges.length === 0) return;
  // Kept for where the connection's address is known (after a DNAT): the rule is then decided against it.
  if (rule.dests === undefined) rule.dests = { ranges, negated: neg, token: v };
  qualify(rule, `${neg ? "! " : ""}-d ${v}`);
  const special = ranges.every(isSpecialDestination);
  // The destination is the protected service's own address: read as met unless it is loopback, multicast or broadcast.
  if (!neg && special) never(rule, `only traffic to ${v}`);
  else if (neg && !special) rule.unsure ??= `destination not ${v}`;
}

/** "--match-set NAME src[,dst…]"; "-m recent --set" only remembers the source and always matches. */
function readMatchSet(s: RuleScan, option: string, neg: boolean): void {
  if (option === "--set" && s.matchModule === "recent") return;
  const name = take(s);
  const flags = take(s).split(",");
  (s.rule.sets ??= []).push(name);
  if (flags[0] === "src") addSpec(s.rule, { k: "set", name, negated: neg, flags });
  else if (neg) s.rule.unsure ??= `destination not in set ${name}`;
}

function readMatch(s: RuleScan): void {
  s.matchModule = take(s);
}

function readProtocol(s: RuleScan, _option: string, neg: boolean): void {
  const raw = valueOf(s, neg);
  const n = s.neg;
  const v = raw.toLowerCase();
  const p = PROTOCOL_NUMBERS[v] ?? v;
  if (p === "all") {
    if (n) never(s.rule, "no protocol (! -p all)");
  } else setProtos(s.rule, n ? PROTOCOL_UNIVERSE.filter((x) => x !== p) : onlyProtocol(p));
}

function setProtos(rule: Rule, protos: readonly string[]): void {
  rule.protos = rule.protos === undefined ? protos : rule.protos.filter((p) => protos.includes(p));
}

/**
 * "-m multiport --ports P" matches when the source OR the destination port is in P (iptables-extensions(8)): a SYN to
 * a port of P always matches; one to another port matches only when the client picked a source port of P. An ACCEPT
 * is read with the destination ports P (exact where it is counted on); anything else stays undecided.
 */
const PORTS_EITHER = "--ports also matches the source port";
const PORTS_EITHER_NEGATED = "! --ports also tests the source port";

function readDestinationPorts(s: RuleScan, option: string, neg: boolean): void {
  const ports = sharedPorts(s, take(s));
  if (option === "--ports") {
    if (neg) s.rule.unsure ??= PORTS_EITHER_NEGATED;
    else s.portsEither = true;
  }
  if (ports.length === 0) s.rule.broken = true;
  else s.rule.ports = neg ? complementPorts(ports) : ports;
}

/** readPorts, once per distinct text that reads without a finding (lists are never changed in place). */
function sharedPorts(s: RuleScan, v: string): readonly PortRange[] {
  const known = s.portLists.get(v);
  if (known !== undefined) return known;
  const before = s.findings.length;
  const ports = readPorts(s.rule.line, v, s.findings);
  if (s.findings.length !== before || s.portLists.size >= 4096) return ports;
  const shared = Object.freeze(ports);
  s.portLists.set(v, shared);
  return shared;
}

function readSourcePorts(s: RuleScan, _option: string, neg: boolean): void {
  const ports = sharedPorts(s, take(s));
  // The client picks its source port (Linux: 32768-60999): a rule on it cannot be decided in general.
  const all = ports.some((p) => p.from <= 1024 && p.to >= 65535);
  if (all !== neg) return;
  s.rule.unsure ??= `source port ${neg ? "not " : ""}${ports.map((p) => (p.from === p.to ? p.from : `${p.from}:${p.to}`)).join(",")}`;
}

function readInterface(s: RuleScan, option: string, neg: boolean): void {
  const v = valueOf(s, neg);
  const iface: Iface = { out: option === "-o" || option === "--out-interface", name: v, negated: s.neg };
  if (s.rule.ifaces === NO_IFACES) s.rule.ifaces = [iface];
  else s.rule.ifaces.push(iface);
}

function readState(s: RuleScan, _option: string, neg: boolean): void {
  const list = take(s).toUpperCase().split(",");
  if (s.rule.states) s.rule.unsure ??= "two state matches";
  s.rule.states = { list, negated: neg };
}

function readCtStatus(s: RuleScan): void {
  s.rule.unsure ??= `conntrack status ${take(s)}`;
}

function readSyn(s: RuleScan, _option: string, neg: boolean): void {
  if (neg) never(s.rule, "only packets that are not a SYN (! --syn)");
}

function readTcpFlags(s: RuleScan, _option: string, neg: boolean): void {
  const mask = take(s).split(",");
  const comp = take(s).split(",");
  if (synMatchesFlags(mask, comp) === neg)
    never(s.rule, `TCP flags ${neg ? "! " : ""}${mask.join(",")} ${comp.join(",")}: a SYN does not match`);
}

function readFragment(s: RuleScan, _option: string, neg: boolean): void {
  if (!neg) never(s.rule, "only fragments");
}

/** "--dst-type" / "--src-type" of -m addrtype. */
function readAddressType(s: RuleScan, option: string, neg: boolean): void {
  const types = take(s).toUpperCase().split(",");
  const dst = option === "--dst-type";
  // A SYN from the Internet: the source is a unicast address; the destination is local on the input path.
  const meets = dst ? types.includes("LOCAL") || types.includes("UNICAST") : types.includes("UNICAST");
  if (meets === neg)
    never(s.rule, `address type ${dst ? "destination" : "source"} ${neg ? "not " : ""}${types.join(",")}`);
}

function readMark(s: RuleScan, _option: string, neg: boolean): void {
  const [val, mask] = take(s).split("/");
  // Packets from the Internet carry mark 0 unless an earlier rule set one.
  const m = mask === undefined ? 0xffffffff : Number(mask);
  const zero = (Number(val) & m) === 0;
  const why = zero === neg ? `only packets with mark ${neg ? "not " : ""}${val}` : undefined;
  if (why !== undefined) never(s.rule, why);
  if (s.rule.markMatch === undefined && !Number.isNaN(Number(val)) && !Number.isNaN(m))
    s.rule.markMatch = { value: Number(val) >>> 0, mask: m >>> 0, negated: neg, ...(why ? { why } : {}) };
}

const MARK_OPTIONS = new Set(["--set-xmark", "--set-mark", "--or-mark", "--and-mark", "--xor-mark"]);

/**
 * "-j MARK --set-xmark V/M" (mark' = (mark & ~M) ^ V), "--set-mark V[/M]", "--or-mark", "--and-mark", "--xor-mark"
 * (iptables-extensions(8) MARK) as one (and, xor) pair; undefined when it cannot be read.
 */
function markSetOf(words: readonly string[], from: number): { and: number; xor: number } | undefined {
  for (let i = from; i < words.length - 1; i++) {
    if (!MARK_OPTIONS.has(words[i]!)) continue;
    const [v, m] = words[i + 1]!.split("/").map(Number) as [number, number | undefined];
    if (Number.isNaN(v) || (m !== undefined && Number.isNaN(m))) return undefined;
    const mask = m ?? 0xffffffff;
    switch (words[i]) {
      case "--set-xmark":
        return { and: ~mask >>> 0, xor: v >>> 0 };
      case "--set-mark":
        return { and: ~(mask | v) >>> 0, xor: v >>> 0 };
      case "--or-mark":
        return { and: ~v >>> 0, xor: v >>> 0 };
      case "--and-mark":
        return { and: v >>> 0, xor: 0 };
      case "--xor-mark":
        return { and: 0xffffffff, xor: v >>> 0 };
    }
  }
  return undefined;
}

/** "-m hashlimit --hashlimit-above RATE": only over the rate (a first connection is within it), as "-m limit" is. */
function readHashlimitAbove(s: RuleScan, _option: string, neg: boolean): void {
  take(s);
  if (!neg) never(s.rule, "only over a rate limit (a first connection is within it)");
}

function readConnlimitAbove(s: RuleScan, _option: string, neg: boolean): void {
  take(s);
  if (!neg) never(s.rule, "only over a connection count (the first connection is not)");
}

/** "-m recent --rcheck|--update". */
function readRecentCheck(s: RuleScan, _option: string, neg: boolean): void {
  if (!neg) never(s.rule, "only sources already in a recent list (a first connection is not)");
}

/** "-m owner": only locally generated packets have an owner. */
function readOwner(s: RuleScan, option: string): void {
  if (option !== "--socket-exists") take(s);
  never(s.rule, "only packets this host sends (owner)");
}

function readComment(s: RuleScan): void {
  s.rule.comment = take(s);
}

function readTarget(s: RuleScan, option: string): void {
  const t = take(s);
  // The usual verdicts as the shared literals: every rule keeps its target until the end, a sliced copy each otherwise.
  s.rule.target = t === "ACCEPT" ? "ACCEPT" : t === "DROP" ? "DROP" : t === "REJECT" ? "REJECT" : t;
  if (option === "-g" || option === "--goto") s.rule.goto = true;
}

/** "-4", "-6": the family is the program's. */
function readFamilyOption(): void {}

/** Any other option: undecided unless harmless; its values are skipped. */
function readOtherOption(s: RuleScan, option: string): void {
  const flag = FLAG_OPTIONS.has(option);
  if (s.matchModule === "statistic") s.rule.random = true;
  if (!HARMLESS.has(option) && !flag) s.rule.unsure ??= `${s.matchModule ? `-m ${s.matchModule} ` : ""}${option}`;
  const from = s.i;
  if (!flag)
    while (s.i + 1 < s.words.length && s.words[s.i + 1]!.charCodeAt(0) !== 45 && s.words[s.i + 1] !== "!") s.i++;
  if (HARMLESS.has(option)) qualify(s.rule, s.words.slice(from, s.i + 1).join(" "));
}

/** Adds a match read as met to the rule's qualifier (Entry.qualifier); bounded, as a hostile rule may hold many. */
function qualify(rule: Rule, text: string): void {
  const q = rule.qualifier === undefined ? text : `${rule.qualifier} ${text}`;
  rule.qualifier = q.length > MAX_QUALIFIER ? q.slice(0, MAX_QUALIFIER) : q;
}

const MAX_QUALIFIER = 200;

function options(names: string, read: OptionReader): [string, OptionReader][] {
  return names.split(" ").map((n) => [n, read]);
}

const RULE_OPTIONS: ReadonlyMap<string, OptionReader> = new Map([
  ...options("-s --source --src", readSource),
  ...options("--src-range", readSourceRange),
  ...options("-d --destination --dst", readDestination),
  ...options("--dst-range", readDestinationRange),
  ...options("--match-set --set", readMatchSet),
  ...options("-m --match", readMatch),
  ...options("-p --protocol", readProtocol),
  ...options("--dport --destination-port --dports --destination-ports --ports", readDestinationPorts),
  ...options("--sport --source-port --sports --source-ports", readSourcePorts),
  ...options("-i --in-interface -o --out-interface", readInterface),
  ...options("--ctstate --state", readState),
  ...options("--ctstatus", readCtStatus),
  ...options("--ctorigdstport", readOrigDstPort),
  ...options("--syn", readSyn),
  ...options("--tcp-flags", readTcpFlags),
  ...options("-f --fragment", readFragment),
  ...options("--dst-type --src-type", readAddressType),
  ...options("--mark", readMark),
  ...options("--connlimit-above", readConnlimitAbove),
  ...options("--hashlimit-above", readHashlimitAbove),
  ...options("--rcheck --update", readRecentCheck),
  ...options("--uid-owner --gid-owner --socket-exists", readOwner),
  ...options("--comment", readComment),
  ...options("-j --jump -g --goto", readTarget),
  ...options("-4 --ipv4 -6 --ipv6", readFamilyOption),
]);

/** The rule of "-A|-I|-D chain [n] rule…" from word `start` on; what follows -j are the target's own options. */
function readRule(line: Line, words: readonly string[], start: number, st: IptablesState, block: Block): Rule {
  const findings = st.findings;
  // Every field present from the start: one object shape for all rules keeps the walks over 100k rules monomorphic.
  const rule: Rule = {
    line,
    spec: st.keepSpecs ? specOf(words, start) : "",
    sources: NO_SPECS,
    ifaces: NO_IFACES,
    protos: undefined,
    ports: undefined,
    unmet: undefined,
    unsure: undefined,
    states: undefined,
    broken: undefined,
    target: undefined,
    goto: undefined,
    comment: undefined,
    natPort: undefined,
    origPorts: undefined,
    dests: undefined,
    natTo: undefined,
    markMatch: undefined,
    markSet: undefined,
    random: undefined,
  };
  // "-I INPUT 3 …": the position, read by the caller.
  const s: RuleScan = {
    words,
    i: /^\d+$/.test(words[start] ?? "") ? start + 1 : start,
    rule,
    findings,
    portLists: st.portLists,
    block,
    matchModule: "",
    neg: false,
    portsEither: false,
  };
  let negate = false;
  for (; s.i < words.length && rule.target === undefined; s.i++) {
    const w = words[s.i]!;
    if (w === "!") {
      negate = true;
      continue;
    }
    (RULE_OPTIONS.get(w) ?? readOtherOption)(s, w, negate);
    negate = false;
  }
  const targetEnd = s.i;
  // "-A DOCKER-USER -j RETURN -s 10.0.0.0/8" (ufw-docker's after.rules): iptables reads match options after the
  // target too (iptables-save prints them before it). The matches known here are read; the target's own options
  // ("--reject-with …", "--log-prefix …") and their values are passed over.
  for (negate = false; s.i < words.length; s.i++) {
    const w = words[s.i]!;
    if (w === "!") {
      negate = true;
      continue;
    }
    const read = RULE_OPTIONS.get(w);
    if (read !== undefined && read !== readTarget) read(s, w, negate);
    negate = false;
  }
  if (s.portsEither && rule.target !== "ACCEPT") rule.unsure ??= PORTS_EITHER;
  if (rule.target === "DNAT" || rule.target === "REDIRECT") rule.natPort = natPortOf(words, targetEnd, rule.target);
  if (rule.target === "DNAT") rule.natTo = natAddressOf(words, targetEnd);
  if (rule.target === "MARK") rule.markSet = markSetOf(words, targetEnd);
  // "-j CT --notrack" is the NOTRACK target of old (iptables-extensions(8) CT).
  if (rule.target === "CT" && words.indexOf("--notrack", targetEnd) >= 0) rule.target = "NOTRACK";
  if (rule.unsure !== undefined)
    findings.push(
      finding(
        line,
        "note",
        `"${rule.unsure}" is not decided for a new connection from the Internet: an ACCEPT with it is not counted on, a DROP is.`,
      ),
    );
  return rule;
}

/** A script's "[sudo] [/sbin/]iptables [-w] [-t table] -A|-I|-D|-P|-N|-F|-X …" line. */
const SCRIPT_LINE =
  /^[ \t]*(?:sudo\s+)?(?:\S*\/)?ip6?tables(?:-legacy|-nft)?\s+(?:(?:-w|--wait)(?:\s+\d+)?\s+)?(?:(?:-t|--table)\s+\S+\s+)?(?:-[AIDPNFXZ](?:\s|$)|--(?:append|insert|delete|policy|new-chain|flush|delete-chain)\b)/m;

/** A shell script (functions, guards, heredocs) whose commands change iptables rules or restore a table. */
function scriptCommands(head: string): boolean {
  if (!looksLikeShellScript(head)) return false;
  return readShell(head).some((c) => {
    const w = c.words[0] === "sudo" ? c.words.slice(1) : c.words;
    if (RESTORE_PROGRAM.test(w[0] ?? "")) return c.heredoc !== undefined;
    return (
      PROGRAM.test(w[0] ?? "") &&
      w.some((x) => /^(?:-[AIDPNFX]|--(?:append|insert|delete|policy|new-chain|flush|delete-chain))$/.test(x))
    );
  });
}

export const iptablesParser: Parser = {
  id: "iptables",
  label: "iptables-save / ip6tables-save",
  detect(text: string): number {
    const head = detectHead(text);
    if (isListing(head)) return 0.9;
    const filter = /^\*filter\s*$/m.test(head);
    const chains = /^:(?:INPUT|FORWARD|OUTPUT) (?:ACCEPT|DROP|-)/m.test(head);
    if (filter && chains) return 0.95;
    if (/^-A (?:INPUT|FORWARD|OUTPUT)\b/m.test(head) || /^-P (?:INPUT|FORWARD|OUTPUT) (?:ACCEPT|DROP)/m.test(head))
      return 0.9;
    if (SCRIPT_LINE.test(head) || scriptCommands(head)) return 0.85;
    if (filter || chains) return 0.6;
    return 0;
  },
  parse: parseIptables,
};
