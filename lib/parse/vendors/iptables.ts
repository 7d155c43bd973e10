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
import { parsePrefix, prefixRange } from "../../ip";
import {
  type AddressTerm,
  type Line,
  OBJECTS_ONLY_NOTE,
  SERVICE_PORTS,
  countLines,
  finding,
  parsePortRange,
  readAddressTerm,
  splitLines,
  tokenize,
} from "./common";
import { IpsetTable, setsAsAllowlist } from "./ipset";
import { looksLikeShellScript, readShell } from "./shell";
import {
  ANY_COND,
  BOTH_FAMILIES,
  type Cond,
  andCond,
  append,
  complementPorts,
  complementTerms,
  condEntries,
  detectHead,
  inputInterfaceUnmet,
  isInternalInterface,
  makeEntry,
  anyTerms,
  minusCond,
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
  /** The rule as written after the chain name, to find it again for "-D chain rule…". */
  readonly spec: string;
  readonly sources: SourceSpec[];
  protos?: readonly string[];
  ports?: readonly PortRange[];
  readonly ifaces: Iface[];
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
}

interface Chain {
  readonly name: string;
  line: Line;
  policy?: "allow" | "deny";
  rules: Rule[];
  /** Rules of "-I chain" at position 1, newest last: put in front once, not spliced one by one. */
  readonly front: Rule[];
}

interface Block {
  readonly table: string;
  readonly chains: Map<string, Chain>;
  familyHint?: Family;
  families: Set<Family>;
}

const BUILTIN = ["INPUT", "FORWARD", "OUTPUT", "PREROUTING", "POSTROUTING"];
const TERMINAL: Record<string, "allow" | "deny"> = { ACCEPT: "allow", DROP: "deny", REJECT: "deny" };
/** Targets that log, mark or rewrite and let the packet go on: they decide nothing here. */
const EXTENSION_TARGETS = new Set(
  "LOG NFLOG ULOG MARK CONNMARK TRACE CT NOTRACK TCPMSS CLASSIFY DSCP TOS SET AUDIT CHECKSUM TPROXY DNAT SNAT MASQUERADE REDIRECT NETMAP TEE LED SECMARK CONNSECMARK IDLETIMER HMARK RATEEST SYNPROXY TTL HL ECN".split(" "),
);
/** The program word of a script line: iptables, /sbin/ip6tables, iptables-legacy, ip6tables-nft … */
const PROGRAM = /^(?:\S*\/)?ip(6?)tables(?:-legacy|-nft)?$/;
const RESTORE_PROGRAM = /^(?:\S*\/)?ip(6?)tables(?:-legacy|-nft)?-restore$/;
const PROTOCOL_NUMBERS: Record<string, string> = { "6": "tcp", "17": "udp", "1": "icmp", "58": "ipv6-icmp", "0": "all", icmpv6: "ipv6-icmp", "ipv6-icmp": "ipv6-icmp" };

/** Inlining budget per paste, so crafted jump fan-outs stay linear-ish instead of exponential. */
const EXPANSION_FACTOR = 20;

/** The chains a new inbound connection crosses, in the kernel's hook order (netfilter packet flow). */
const PATH_CHAINS: Record<PathKind, readonly (readonly [string, string])[]> = {
  input: [["raw", "PREROUTING"], ["mangle", "PREROUTING"], ["mangle", "INPUT"], ["filter", "INPUT"], ["security", "INPUT"]],
  forward: [["raw", "PREROUTING"], ["mangle", "PREROUTING"], ["mangle", "FORWARD"], ["filter", "FORWARD"], ["security", "FORWARD"]],
};
/** Tables whose rules can drop a new inbound SYN; nat cannot (DROP is not allowed there). */
const PATH_TABLES = new Set(["raw", "mangle", "filter", "security"]);

export function parseIptables(text: string, options: ParseOptions = {}): ParseOutput {
  const findings: Finding[] = [];
  const sets = new IpsetTable();
  const blocks: Block[] = [];
  let current: Block | undefined;
  let pendingFamily: Family | undefined;
  /** The tables a script's iptables (4) or ip6tables (6) commands build, however they alternate. */
  const scriptBlocks = new Map<string, Block>();

  const blockFor = (): Block => {
    if (!current) {
      // `iptables -S` and scripts have no "*filter" header: the filter table is implied.
      current = { table: "filter", chains: new Map(), families: new Set(), ...(pendingFamily ? { familyHint: pendingFamily } : {}) };
      blocks.push(current);
    }
    return current;
  };
  const chainOf = (block: Block, name: string, line: Line): Chain => {
    let c = block.chains.get(name);
    if (!c) {
      c = { name, line, rules: [], front: [] };
      block.chains.set(name, c);
    }
    return c;
  };

  const scriptBlock = (family: Family, table: string): Block => {
    const key = `${family} ${table}`;
    let block = scriptBlocks.get(key);
    if (!block) {
      block = { table, chains: new Map(), families: new Set(), familyHint: family };
      scriptBlocks.set(key, block);
      blocks.push(block);
    }
    return block;
  };
  /** Set while the lines of an iptables-restore heredoc are read. */
  let restore: { family: Family; noflush: boolean } | undefined;

  const readWords = (line: Line, input: readonly string[]): void => {
    let words = [...input];
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
      current = scriptBlock(family, table);
    }
    if (words[0]?.charCodeAt(0) === 91 && /^\[\d+:\d+\]$/.test(words[0])) words = words.slice(1);
    const w0 = words[0] ?? "";
    if (w0.startsWith("*")) {
      if (restore) {
        // iptables-restore into the tables the script's commands build: one table, whatever wrote it.
        current = scriptBlock(restore.family, w0.slice(1));
        if (!restore.noflush) current.chains.clear();
        return;
      }
      current = { table: w0.slice(1), chains: new Map(), families: new Set(), ...(pendingFamily ? { familyHint: pendingFamily } : {}) };
      blocks.push(current);
      return;
    }
    if (w0 === "COMMIT") {
      current = undefined;
      pendingFamily = undefined;
      return;
    }
    if (w0.startsWith(":")) {
      const chain = chainOf(blockFor(), w0.slice(1), line);
      // iptables-restore --noflush flushes the user chains it declares (":name - [0:0]"), then refills them.
      if (restore && !BUILTIN.includes(chain.name)) {
        chain.rules = [];
        chain.front.length = 0;
      }
      setPolicy(chain, words[1]);
      return;
    }
    if (w0 === "-P" || w0 === "--policy") {
      const chain = chainOf(blockFor(), words[1] ?? "", line);
      chain.line = line;
      setPolicy(chain, words[2]);
      return;
    }
    if ((w0 === "-N" || w0 === "--new-chain") && words.length === 2) {
      chainOf(blockFor(), words[1] ?? "", line);
      return;
    }
    if (w0 === "-A" || w0 === "--append" || w0 === "-I" || w0 === "--insert") {
      const block = blockFor();
      const chainName = words[1] ?? "";
      const rule = readRule(line, words, 2, findings, block);
      const chain = chainOf(block, chainName, line);
      if (w0 === "-I" || w0 === "--insert") {
        const pos = /^\d+$/.test(words[2] ?? "") ? Number(words[2]) - 1 : 0;
        if (pos <= 0) chain.front.push(rule);
        else {
          flatten(chain);
          chain.rules.splice(Math.min(pos, chain.rules.length), 0, rule);
        }
      } else chain.rules.push(rule);
      return;
    }
    if (w0 === "-D" || w0 === "--delete") {
      const chain = blockFor().chains.get(words[1] ?? "");
      if (chain) flatten(chain);
      const at = !chain
        ? -1
        : words.length === 3 && /^\d+$/.test(words[2]!)
          ? Number(words[2]) - 1
          : chain.rules.findIndex((r) => r.spec === specOf(words, 2));
      if (chain && at >= 0 && at < chain.rules.length) chain.rules.splice(at, 1);
      else findings.push(finding(line, "note", `No rule of chain "${words[1] ?? ""}" read so far matches this delete: nothing is deleted.`));
      return;
    }
    if ((w0 === "-F" || w0 === "--flush" || w0 === "-X" || w0 === "--delete-chain" || w0 === "-Z" || w0 === "--zero") && words.length <= 2) {
      const block = blockFor();
      const named = words[1];
      if (w0 === "-F" || w0 === "--flush") {
        for (const chain of named === undefined ? block.chains.values() : [block.chains.get(named)]) {
          if (!chain) return;
          chain.rules = [];
          chain.front.length = 0;
        }
      } else if (w0 === "-X" || w0 === "--delete-chain") {
        // Built-in chains cannot be deleted; without a name every user chain goes.
        for (const name of named === undefined ? [...block.chains.keys()] : [named]) if (!BUILTIN.includes(name)) block.chains.delete(name);
      }
      return;
    }
    if (sets.read(line, words, findings)) return;
    findings.push(finding(line, "not-understood", restore ? "Not an iptables-restore line." : "Not an iptables-save line."));
  };

  if (looksLikeShellScript(text)) {
    for (const cmd of readShell(text)) {
      const w = cmd.words[0] === "sudo" ? cmd.words.slice(1) : cmd.words;
      const restoreProgram = RESTORE_PROGRAM.exec(w[0] ?? "");
      if (restoreProgram && cmd.heredoc) {
        restore = { family: restoreProgram[1] === "6" ? 6 : 4, noflush: w.includes("--noflush") || w.includes("-n") };
        for (const l of cmd.heredoc) if (l.text !== "" && !l.text.startsWith("#")) readWords(l, tokenize(l.text));
        restore = undefined;
        current = undefined;
      } else if (/^(?:\S*\/)?ipset$/.test(w[0] ?? "") && cmd.heredoc && w[1] === "restore") {
        for (const l of cmd.heredoc) if (l.text !== "" && !l.text.startsWith("#") && !sets.read(l, tokenize(l.text), findings)) findings.push(finding(l, "not-understood", "Not an ipset restore line."));
      } else if (PROGRAM.test(w[0] ?? "") || /^(?:\S*\/)?ipset$/.test(w[0] ?? "")) readWords(cmd.line, cmd.words);
      else findings.push(finding(cmd.line, "note", `"${w[0] ?? ""}" is not an iptables or ipset command: not read.`));
    }
  } else {
    for (const line of splitLines(text)) {
      const t = line.text;
      if (t === "") continue;
      if (t.startsWith("#")) {
        if (/ip6tables-save|ip6tables/.test(t)) pendingFamily = 6;
        else if (/iptables-save/.test(t)) pendingFamily = 4;
        continue;
      }
      readWords(line, tokenize(t));
    }
  }

  let ruleCount = 0;
  for (const b of blocks) {
    for (const chain of b.chains.values()) {
      flatten(chain);
      if (PATH_TABLES.has(b.table)) ruleCount += chain.rules.length;
    }
    if (!PATH_TABLES.has(b.table) && b.chains.size > 0) {
      const first = [...b.chains.values()][0]!;
      findings.push(finding(first.line, "note", `Table "${b.table}" cannot drop a connection: its rules are not read.`));
    }
  }
  const entries: Entry[] = [];
  if (ruleCount === 0 && sets.order.length > 0) {
    append(entries, setsAsAllowlist(sets, findings));
    return done(text, entries, findings, [OBJECTS_ONLY_NOTE]);
  }

  const pathBlocks = blocks.filter((b) => PATH_TABLES.has(b.table));
  const familiesOf = (block: Block): readonly Family[] =>
    block.familyHint ? [block.familyHint] : block.families.size === 1 ? [...block.families] : BOTH_FAMILIES;
  const detected = detectPath(pathBlocks);
  const kind: PathKind = options.path ?? detected.kind;
  const ingress = options.ingress ?? detected.ingress;
  const ingressGiven = options.ingress !== undefined;

  // Contexts: the chains of the path in hook order, then the other filter chains (off the path).
  const contexts: PathContext[] = [];
  const contextOf = new Map<string, number>();
  const declared = (table: string, name: string): Chain | undefined => {
    for (const b of pathBlocks) if (b.table === table && b.chains.has(name)) return b.chains.get(name);
    return undefined;
  };
  const other: PathKind = kind === "input" ? "forward" : "input";
  const offPath: [string, string, string][] = [
    ["filter", other === "input" ? "INPUT" : "FORWARD", other === "input" ? "the service is read as behind this host (forward path), not the host itself" : "the service is read as this host itself (input path), not a host behind it"],
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
      reason: name === "PREROUTING" ? "every packet arriving crosses it" : kind === "input" ? "a connection to this host crosses it" : "a connection forwarded to a host behind this one crosses it",
    });
  }
  for (const [table, name, reason] of offPath) {
    const chain = declared(table, name);
    if (!chain) continue;
    contextOf.set(`${table} ${name}`, contexts.length);
    contexts.push({ name: `${table} ${name}`, line: chain.line.n, text: chain.line.text, fallthrough: chain.policy ?? "allow", onPath: false, reason });
  }

  let budget = EXPANSION_FACTOR * (ruleCount + 100);
  const allowReached = new Set<string>();
  // Each context's chains of every family, in block order: IPv4 and IPv6 entries never meet the other family's packets.
  for (const [key, ci] of contextOf) {
    const [table, name] = key.split(" ") as [string, string];
    const ctx = contexts[ci]!;
    const pathKind: PathKind | "output" = name === "OUTPUT" ? "output" : name === "FORWARD" ? "forward" : name === "INPUT" ? "input" : kind;
    const direction = name === "OUTPUT" ? "out" : "in";
    const policies: { families: readonly Family[]; policy: "allow" | "deny"; chain: Chain }[] = [];
    for (const block of pathBlocks) {
      if (block.table !== table) continue;
      const start = block.chains.get(name);
      if (!start) continue;
      const families = familiesOf(block);
      policies.push({ families, policy: start.policy ?? "allow", chain: start });
      const walk = (chain: Chain, guard: Cond, stack: string[], via: readonly string[]): void => {
        const exits: Cond[] = [];
        for (const rule of chain.rules) {
          if (--budget < 0) {
            if (budget === -1) findings.push(finding(rule.line, "note", "Too many nested jumps: the rest of the rules are not read."));
            return;
          }
          const target = rule.target;
          if (target === undefined || rule.broken) continue;
          const verdict = TERMINAL[target];
          const isChain = verdict === undefined && !BUILTIN.includes(target) && block.chains.has(target);
          if (verdict === undefined && !isChain && target !== "RETURN") {
            if (target === "NFQUEUE" || target === "QUEUE") {
              findings.push(finding(rule.line, "note", `${target} hands the packet to a program: read as a drop (what it decides is not in the paste).`));
            } else {
              if (!EXTENSION_TARGETS.has(target)) findings.push(finding(rule.line, "undefined-reference", `Chain "${target}" is not defined in this paste.`));
              continue;
            }
          }
          // Usually one condition; a set of address and port pairs gives one per member.
          const joinedAll: Cond[] = [];
          for (const own of ruleCond(rule, table, pathKind, ingress, sets, families, findings)) {
            const j = andCond(guard, own);
            if (j !== undefined) joinedAll.push(j);
          }
          if (joinedAll.length === 0) continue;
          const joined = joinedAll[0]!;
          let pieces: Cond[] = joinedAll;
          for (const x of exits) {
            const next: Cond[] = [];
            for (const p of pieces) append(next, minusCond(p, x, families, rule.line));
            pieces = next;
            if (pieces.length === 0) break;
          }
          if (pieces.length === 0) continue;
          if (target === "RETURN") {
            if (joined.unsure !== undefined) {
              findings.push(finding(rule.line, "note", `This RETURN depends on ${joined.unsure}: read as if it did not return.`));
            }
            append(exits, joinedAll);
            continue;
          }
          if (isChain) {
            if (stack.includes(target)) {
              findings.push(finding(rule.line, "reference-loop", `Chain "${target}" jumps back to itself through ${[...stack, target].join(" → ")}.`));
              continue;
            }
            for (const p of pieces) walk(block.chains.get(target)!, p, [...stack, target], [...via, target]);
            // A goto does not come back: what it took skips the rest of this chain.
            if (rule.goto) append(exits, joinedAll);
            continue;
          }
          const action = verdict ?? "deny";
          for (const p of pieces) {
            if (action === "allow" && p.unmet === undefined) for (const s of p.sources ?? []) for (const v of s.via) allowReached.add(v);
            condEntries(entries, p, families, rule.line, { action, direction, via, ruleLine: rule.line.n, comment: rule.comment, context: ci });
          }
        }
      };
      walk(start, ANY_COND, [name], []);
    }
    // One fall-through per context: where the families' policies differ, the others' policy is an explicit last entry.
    // A chain only one family's rules declare is crossed by that family only (an IPv4 iptables-save says nothing of IPv6).
    const first = policies[0];
    if (first) {
      const fams = new Set<number>(policies.flatMap((p): number[] => (p.families.length === 1 ? [p.families[0]!] : [0])));
      const only = fams.size === 1 && !fams.has(0) ? policies[0]!.families[0] : undefined;
      contexts[ci] = { ...ctx, fallthrough: first.policy, line: first.chain.line.n, text: first.chain.line.text, ...(only !== undefined ? { family: only } : {}) };
      for (const p of policies.slice(1)) {
        if (p.policy === first.policy) continue;
        for (const term of anyTerms(p.families)) {
          entries.push(makeEntry(p.chain.line, term, { action: p.policy, direction, comment: `${name} policy`, context: ci }));
        }
      }
    }
  }
  for (const block of pathBlocks) {
    for (const chain of block.chains.values()) {
      if (BUILTIN.includes(chain.name) || chain.rules.length === 0) continue;
      const reached = [...block.chains.values()].some((c) => c.rules.some((r) => r.target === chain.name));
      if (!reached) findings.push(finding(chain.line, "note", `Chain "${chain.name}" is not reached from a built-in chain: its rules are not read.`));
    }
  }
  for (const name of sets.order) {
    if (!allowReached.has(name)) {
      const info = sets.sets.get(name)!;
      findings.push(finding(info.line, "unused-object", `Set "${name}" is defined but no allow rule uses it.`));
    }
  }
  const assumption = assumptionLine(kind, options.path !== undefined, detected.why, ingress, ingressGiven);
  return {
    ...done(text, entries, findings, []),
    path: { contexts, kind, ...(ingress !== undefined ? { ingress } : {}), assumption },
  };
}

function assumptionLine(kind: PathKind, given: boolean, why: string, ingress: string | undefined, ingressGiven: boolean): string {
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
    for (const [start, chainName] of [["INPUT", "INPUT"], ["FORWARD", "FORWARD"]] as const) {
      const seen = new Set<string>();
      const visit = (chain: Chain | undefined): void => {
        if (!chain || seen.has(chain.name)) return;
        seen.add(chain.name);
        for (const r of chain.rules) {
          for (const i of r.ifaces) if (!i.out && !i.negated && !isInternalInterface(i.name)) names.set(i.name, (names.get(i.name) ?? 0) + 1);
          if (r.target && !TERMINAL[r.target] && b.chains.has(r.target)) visit(b.chains.get(r.target));
          if (r.target !== "ACCEPT" || r.unmet !== undefined || r.ifaces.some((i) => !i.out && !i.negated && isInternalInterface(i.name))) continue;
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
  const why = kind === "forward" ? "since FORWARD holds the rules for outside sources and ports and INPUT only host management" : "";
  return { kind, why, ...(ingress !== undefined ? { ingress } : {}) };
}

const PRIVATE: readonly Range[] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "100.64.0.0/10", "169.254.0.0/16", "fc00::/7", "fe80::/10", "::1/128"].map((c) => {
  const p = parsePrefix(c);
  if (!p.ok) throw new Error(c);
  return prefixRange(p.value);
});

/** A source that is neither private nor "any": an outside address someone allows on purpose. */
function isPublic(r: Range): boolean {
  if (r.first.value === 0n && (r.first.family === 4 ? r.last.value === 0xffffffffn : r.last.value === (1n << 128n) - 1n)) return false;
  return !PRIVATE.some((p) => p.first.family === r.first.family && p.first.value <= r.first.value && r.last.value <= p.last.value);
}

/** The rule's conditions for a SYN from the Internet on `path`. */
function ruleCond(rule: Rule, table: string, path: PathKind | "output", ingress: string | undefined, sets: IpsetTable, families: readonly Family[], findings: Finding[]): Cond[] {
  let unmet = rule.unmet;
  if (unmet === undefined && rule.states !== undefined) {
    // A SYN opening a connection is NEW once conntrack has seen it; in the raw table (before conntrack) it has no
    // conntrack entry yet, which the state match reads as INVALID (xt_conntrack, xt_state).
    const state = table === "raw" ? "INVALID" : "NEW";
    const { list, negated } = rule.states;
    if (list.includes(state) === negated) unmet = `only ${negated ? "connections not " : ""}${list.join(",")}${table === "raw" ? " (in the raw table a new connection is not tracked yet)" : ""}`;
  }
  for (const i of rule.ifaces) {
    if (unmet !== undefined) break;
    if (path === "output") continue;
    if (!i.out) unmet = inputInterfaceUnmet(i.name, i.negated, ingress);
    else if (path === "input") unmet = `-o ${i.name}: a packet to this host has no output interface`;
    else unmet = outputInterfaceUnmet(i.name, i.negated, ingress);
  }
  let cond: Cond = ANY_COND;
  if (rule.protos !== undefined || rule.ports !== undefined || unmet !== undefined || rule.unsure !== undefined) {
    const base: { -readonly [K in keyof Cond]: Cond[K] } = {};
    if (rule.protos !== undefined) base.protos = rule.protos;
    if (rule.ports !== undefined) base.ports = rule.ports;
    if (unmet !== undefined) base.unmet = unmet;
    if (rule.unsure !== undefined) base.unsure = rule.unsure;
    cond = base;
  }
  let alternatives: Cond[] | undefined;
  for (const spec of rule.sources) {
    const info = spec.k === "set" ? sets.sets.get(spec.name) : undefined;
    const dims = info?.type.split(":")[1]?.split(",") ?? [];
    if (spec.k === "set" && info !== undefined && spec.flags.length < dims.length) {
      // ipset finds nothing when the rule names fewer directions than the set has dimensions (ip_set_test): the
      // match never holds, and its negation always does.
      if (!spec.negated) cond = { ...cond, unmet: cond.unmet ?? `set ${spec.name} (${info.type}) is matched with ${spec.flags.length} of its ${dims.length} dimensions` };
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
          const c = andCond(base, { sources: [{ term: m.value.term, line: m.line, via: m.via }], ...(m.value.protocol ? { protos: [m.value.protocol] } : {}), ...(m.value.ports ? { ports: m.value.ports } : {}) });
          if (c !== undefined) next.push(c);
        }
      }
      alternatives = next;
      continue;
    }
    if (spec.k === "set" && dims[1] === "port") cond = { ...cond, unsure: cond.unsure ?? `! set ${spec.name} with ports` };
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
  if (alternatives !== undefined) return cond.unmet === undefined && cond.unsure === undefined ? alternatives : alternatives.map((a) => ({ ...a, ...(cond.unmet ? { unmet: cond.unmet } : {}), ...(cond.unsure ? { unsure: cond.unsure } : {}) }));
  return [cond];
}

function done(text: string, entries: Entry[], findings: Finding[], notes: string[]): ParseOutput {
  return { format: "iptables", entries, findings: findings.sort((a, b) => a.line - b.line), lineCount: countLines(text), notes };
}

/** Puts the rules inserted at the top before the others, once. */
function flatten(chain: Chain): void {
  if (chain.front.length === 0) return;
  chain.rules = chain.front.reverse().concat(chain.rules);
  chain.front.length = 0;
}

/** The rule part of "-A|-I|-D chain [n] rule…", as "-D" compares it (iptables matches the rule as written). */
function specOf(words: readonly string[], start: number): string {
  return words.slice(/^\d+$/.test(words[start] ?? "") ? start + 1 : start).join(" ");
}

function setPolicy(chain: Chain, word: string | undefined): void {
  const p = word ? TERMINAL[word] : undefined;
  if (p) chain.policy = p;
}

function specSources(spec: SourceSpec, line: Line, sets: IpsetTable, families: readonly Family[], findings: Finding[]): Source[] {
  if (spec.k === "terms") {
    if (!spec.negated) return spec.terms.map((term) => ({ term, line, via: [] }));
    return complementOf(spec.terms.map((t) => t.range), spec.token, line, [], families);
  }
  const members = sets.matching(spec.name, line, findings);
  if (!spec.negated) {
    return members.map((m) => ({ term: m.value.term, line: m.line, via: m.via }));
  }
  const fam = sets.sets.get(spec.name)?.family;
  return complementOf(members.map((m) => m.value.term.range), spec.name, line, [spec.name], fam ? [fam] : families);
}

/** Everything of the families outside `ranges` ("! -s", "! --match-set"): both families for an empty list. */
function complementOf(ranges: readonly Range[], token: string, line: Line, via: readonly string[], families: readonly Family[]): Source[] {
  const fams = ranges.length > 0 ? [...new Set(ranges.map((r) => r.first.family))] : families;
  return fams.flatMap((f) =>
    complementTerms(ranges.filter((r) => r.first.family === f), f, token).map((term) => ({ term, line, via })),
  );
}

const SPECIAL_DESTINATIONS: readonly Range[] = ["127.0.0.0/8", "224.0.0.0/4", "255.255.255.255/32", "::1/128", "ff00::/8"].map((c) => {
  const p = parsePrefix(c);
  if (!p.ok) throw new Error(c);
  return prefixRange(p.value);
});

/** A destination no connection from the Internet is addressed to (loopback, multicast, broadcast). */
function isSpecialDestination(r: Range): boolean {
  return SPECIAL_DESTINATIONS.some((p) => p.first.family === r.first.family && p.first.value <= r.first.value && r.last.value <= p.last.value);
}

/** Ports of "443", "80,443", "1000:2000", "https". */
function readPorts(line: Line, v: string, findings: Finding[]): PortRange[] {
  const ports: PortRange[] = [];
  for (const part of v.includes(",") ? v.split(",") : [v]) {
    const r = parsePortRange(part) ?? SERVICE_PORTS[part.toLowerCase()];
    if (r) ports.push(r);
    else findings.push(finding(line, "invalid", `"${part}" is not a port or port range.`));
  }
  return ports;
}

/** Match options that take no value. */
const FLAG_OPTIONS = new Set(["--syn", "-f", "--fragment", "--rsource", "--rdest", "--rcheck", "--update", "--remove", "--rttl", "--set", "--log-tcp-sequence", "--log-tcp-options", "--log-ip-options", "--log-uid"]);
/** Options of matches that only shape counting or logging, or always hold for a first SYN (limits have their burst). */
const HARMLESS = new Set([
  "--limit", "--limit-burst", "--hashlimit", "--hashlimit-upto", "--hashlimit-burst", "--hashlimit-mode", "--hashlimit-name",
  "--hashlimit-htable-size", "--hashlimit-htable-max", "--hashlimit-htable-expire", "--hashlimit-htable-gcinterval",
  "--hashlimit-srcmask", "--hashlimit-dstmask", "--connlimit-upto", "--connlimit-mask", "--connlimit-saddr", "--connlimit-daddr",
  "--seconds", "--hitcount", "--name", "--mask", "--reap", "--icmp-type", "--icmpv6-type", "--pkt-type",
]);

/** Module-level helpers of readRule (closures made per rule cost more than the rule's own reading). */
interface Cursor {
  readonly words: readonly string[];
  i: number;
}

function take(c: Cursor): string {
  return c.words[++c.i] ?? "";
}

/** The value, and whether it was negated the old way ("-s ! 1.2.3.4"). */
function valueOf(c: Cursor, neg: boolean): [string, boolean] {
  const v = take(c);
  return v === "!" ? [take(c), !neg] : [v, neg];
}

function never(rule: Rule, why: string): void {
  rule.unmet ??= why;
}

function addressSpec(rule: Rule, v: string, neg: boolean, findings: Finding[], block: Block): void {
  const terms: AddressTerm[] = [];
  for (const tok of v.includes(",") ? v.split(",") : [v]) {
    const r = readAddressTerm(tok);
    if (r.ok) {
      terms.push(r.term);
      block.families.add(r.term.range.first.family);
    } else findings.push(finding(rule.line, r.kind, r.message));
  }
  if (terms.length > 0) rule.sources.push({ k: "terms", terms, negated: neg, token: v });
  else rule.broken = true;
}

function destinationSpec(rule: Rule, v: string, neg: boolean): void {
  const ranges: Range[] = [];
  for (const tok of v.split(",")) {
    const r = readAddressTerm(tok);
    if (r.ok) ranges.push(r.term.range);
  }
  if (ranges.length === 0) return;
  const special = ranges.every(isSpecialDestination);
  // The destination is the protected service's own address: read as met unless it is loopback, multicast or broadcast.
  if (!neg && special) never(rule, `only traffic to ${v}`);
  else if (neg && !special) rule.unsure ??= `destination not ${v}`;
}

function setProtos(rule: Rule, protos: readonly string[]): void {
  rule.protos = rule.protos === undefined ? protos : rule.protos.filter((p) => protos.includes(p));
}

function readRule(line: Line, words: readonly string[], start: number, findings: Finding[], block: Block): Rule {
  const rule: Rule = { line, spec: specOf(words, start), sources: [], ifaces: [] };
  let negate = false;
  let matchModule = "";
  const c: Cursor = { words, i: /^\d+$/.test(words[start] ?? "") ? start + 1 : start }; // "-I INPUT 3 …": the position, read by the caller
  for (; c.i < words.length; c.i++) {
    const w = words[c.i]!;
    if (rule.target !== undefined) break; // what follows -j are the target's own options
    if (w === "!") {
      negate = true;
      continue;
    }
    const neg = negate;
    negate = false;
    switch (w) {
      case "-s":
      case "--source":
      case "--src": {
        const [v, n] = valueOf(c, neg);
        addressSpec(rule, v, n, findings, block);
        break;
      }
      case "--src-range": {
        const v = take(c);
        const r = readAddressTerm(v);
        if (r.ok) rule.sources.push({ k: "terms", terms: [r.term], negated: neg, token: v });
        else {
          findings.push(finding(line, r.kind, r.message));
          rule.broken = true;
        }
        break;
      }
      case "-d":
      case "--destination":
      case "--dst": {
        const [v, n] = valueOf(c, neg);
        destinationSpec(rule, v, n);
        break;
      }
      case "--dst-range":
        destinationSpec(rule, take(c), neg);
        break;
      case "--match-set":
      case "--set": {
        if (w === "--set" && matchModule === "recent") break; // recent --set: remembers the source, always matches
        const name = take(c);
        const flags = take(c).split(",");
        if (flags[0] === "src") rule.sources.push({ k: "set", name, negated: neg, flags });
        else if (neg) rule.unsure ??= `destination not in set ${name}`;
        break;
      }
      case "-m":
      case "--match":
        matchModule = take(c);
        break;
      case "-p":
      case "--protocol": {
        const [raw, n] = valueOf(c, neg);
        const v = raw.toLowerCase();
        const p = PROTOCOL_NUMBERS[v] ?? v;
        if (p === "all") {
          if (n) never(rule, "no protocol (! -p all)");
        } else setProtos(rule, n ? PROTOCOL_UNIVERSE.filter((x) => x !== p) : [p]);
        break;
      }
      case "--dport":
      case "--destination-port":
      case "--dports":
      case "--destination-ports":
      case "--ports": {
        const ports = readPorts(line, take(c), findings);
        if (w === "--ports") rule.unsure ??= "--ports also matches the source port";
        if (ports.length === 0) rule.broken = true;
        else rule.ports = neg ? complementPorts(ports) : ports;
        break;
      }
      case "--sport":
      case "--source-port":
      case "--sports":
      case "--source-ports": {
        const ports = readPorts(line, take(c), findings);
        // The client picks its source port (Linux: 32768-60999): a rule on it cannot be decided in general.
        const all = ports.some((p) => p.from <= 1024 && p.to >= 65535);
        if (all !== neg) break;
        rule.unsure ??= `source port ${neg ? "not " : ""}${ports.map((p) => (p.from === p.to ? p.from : `${p.from}:${p.to}`)).join(",")}`;
        break;
      }
      case "-i":
      case "--in-interface":
      case "-o":
      case "--out-interface": {
        const [v, n] = valueOf(c, neg);
        rule.ifaces.push({ out: w === "-o" || w === "--out-interface", name: v, negated: n });
        break;
      }
      case "--ctstate":
      case "--state": {
        const list = take(c).toUpperCase().split(",");
        if (rule.states) rule.unsure ??= "two state matches";
        rule.states = { list, negated: neg };
        break;
      }
      case "--ctstatus":
        rule.unsure ??= `conntrack status ${take(c)}`;
        break;
      case "--syn":
        if (neg) never(rule, "only packets that are not a SYN (! --syn)");
        break;
      case "--tcp-flags": {
        const mask = take(c).split(",");
        const comp = take(c).split(",");
        if (synMatchesFlags(mask, comp) === neg) never(rule, `TCP flags ${neg ? "! " : ""}${mask.join(",")} ${comp.join(",")}: a SYN does not match`);
        break;
      }
      case "-f":
      case "--fragment":
        if (!neg) never(rule, "only fragments");
        break;
      case "--dst-type":
      case "--src-type": {
        const types = take(c).toUpperCase().split(",");
        const want = w === "--dst-type" ? "LOCAL" : "UNICAST";
        // A SYN from the Internet: the source is a unicast address; the destination is local on the input path.
        const meets = w === "--dst-type" ? types.includes(want) || types.includes("UNICAST") : types.includes(want);
        if (meets === neg) never(rule, `address type ${w === "--dst-type" ? "destination" : "source"} ${neg ? "not " : ""}${types.join(",")}`);
        break;
      }
      case "--mark": {
        const [val, mask] = take(c).split("/");
        // Packets from the Internet carry mark 0 unless an earlier rule set one.
        const zero = (Number(val) & (mask === undefined ? 0xffffffff : Number(mask))) === 0;
        if (zero === neg) never(rule, `only packets with mark ${neg ? "not " : ""}${val}`);
        break;
      }
      case "--connlimit-above":
        take(c);
        if (!neg) never(rule, "only over a connection count (the first connection is not)");
        break;
      case "--rcheck":
      case "--update":
        if (!neg) never(rule, "only sources already in a recent list (a first connection is not)");
        break;
      case "--uid-owner":
      case "--gid-owner":
      case "--socket-exists":
        if (w !== "--socket-exists") take(c);
        never(rule, "only packets this host sends (owner)");
        break;
      case "--comment":
        rule.comment = take(c);
        break;
      case "-j":
      case "--jump":
      case "-g":
      case "--goto":
        rule.target = take(c);
        if (w === "-g" || w === "--goto") rule.goto = true;
        break;
      case "-4":
      case "--ipv4":
      case "-6":
      case "--ipv6":
        break;
      default: {
        const flag = FLAG_OPTIONS.has(w);
        if (!HARMLESS.has(w) && !flag) rule.unsure ??= `${matchModule ? `-m ${matchModule} ` : ""}${w}`;
        // Its values are skipped.
        if (!flag) while (c.i + 1 < words.length && words[c.i + 1]!.charCodeAt(0) !== 45 && words[c.i + 1] !== "!") c.i++;
      }
    }
  }
  if (rule.unsure !== undefined) findings.push(finding(line, "note", `"${rule.unsure}" is not decided for a new connection from the Internet: an ACCEPT with it is not counted on, a DROP is.`));
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
    return PROGRAM.test(w[0] ?? "") && w.some((x) => /^(?:-[AIDPNFX]|--(?:append|insert|delete|policy|new-chain|flush|delete-chain))$/.test(x));
  });
}

export const iptablesParser: Parser = {
  id: "iptables",
  label: "iptables-save / ip6tables-save",
  detect(text: string): number {
    const head = detectHead(text);
    const filter = /^\*filter\s*$/m.test(head);
    const chains = /^:(?:INPUT|FORWARD|OUTPUT) (?:ACCEPT|DROP|-)/m.test(head);
    if (filter && chains) return 0.95;
    if (/^-A (?:INPUT|FORWARD|OUTPUT)\b/m.test(head) || /^-P (?:INPUT|FORWARD|OUTPUT) (?:ACCEPT|DROP)/m.test(head)) return 0.9;
    if (SCRIPT_LINE.test(head) || scriptCommands(head)) return 0.85;
    if (filter || chains) return 0.6;
    return 0;
  },
  parse: parseIptables,
};
