/**
 * iptables-save / ip6tables-save output (also `iptables -S` and shell scripts of `iptables -A|-I|-D|-P|-N|-F|-X …`
 * commands, applied in order), with the ipsets of the same paste. Entries come in evaluation order: INPUT then FORWARD rules (user chains inlined at each jump,
 * the jump's own matches ANDed in), then those chains' policies, then OUTPUT (direction "out") and its policy.
 */
import type { Direction, Entry, Finding, ParseOutput, Parser, PortRange } from "../types";
import type { Family, Range } from "../../ip/types";
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
import {
  BOTH_FAMILIES,
  anyTerms,
  complementPorts,
  complementTerms,
  detectHead,
  intersectPorts,
  makeEntry,
  type Source,
  andSources, append
} from "./linuxcommon";


type SourceSpec =
  | { readonly k: "terms"; readonly terms: readonly AddressTerm[]; readonly negated: boolean; readonly token: string }
  | { readonly k: "set"; readonly name: string; readonly negated: boolean };

interface Rule {
  readonly line: Line;
  /** The rule as written after the chain name, to find it again for "-D chain rule…". */
  readonly spec: string;
  readonly sources: SourceSpec[];
  protocol?: string;
  ports?: readonly PortRange[];
  /** Why the rule never sees new inbound connections from the vendor (loopback, established-only …). */
  inert?: string;
  target?: string;
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
  "LOG NFLOG ULOG MARK CONNMARK TRACE CT NOTRACK TCPMSS CLASSIFY DSCP TOS SET AUDIT NFQUEUE QUEUE CHECKSUM TPROXY DNAT SNAT MASQUERADE REDIRECT NETMAP TEE LED SECMARK CONNSECMARK IDLETIMER HMARK RATEEST SYNPROXY TTL HL ECN".split(" "),
);
/** The program word of a script line: iptables, /sbin/ip6tables, iptables-legacy, ip6tables-nft … */
const PROGRAM = /^(?:\S*\/)?ip(6?)tables(?:-legacy|-nft)?$/;
const PROTOCOL_NUMBERS: Record<string, string> = { "6": "tcp", "17": "udp", "1": "icmp", "58": "ipv6-icmp", "0": "all" };

/** Inlining budget per paste, so crafted jump fan-outs stay linear-ish instead of exponential. */
const EXPANSION_FACTOR = 20;

export function parseIptables(text: string): ParseOutput {
  const findings: Finding[] = [];
  const sets = new IpsetTable();
  const blocks: Block[] = [];
  let current: Block | undefined;
  let pendingFamily: Family | undefined;
  /** The filter table a script's iptables (4) or ip6tables (6) commands build, however they alternate. */
  const scriptBlocks = new Map<Family, Block>();

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

  for (const line of splitLines(text)) {
    const t = line.text;
    if (t === "") continue;
    if (t.startsWith("#")) {
      if (/ip6tables-save|ip6tables/.test(t)) pendingFamily = 6;
      else if (/iptables-save/.test(t)) pendingFamily = 4;
      continue;
    }
    let words = tokenize(t);
    if (words[0] === "sudo") words = words.slice(1);
    const program = PROGRAM.exec(words[0] ?? "");
    if (program) {
      const family: Family = program[1] === "6" ? 6 : 4;
      let block = scriptBlocks.get(family);
      if (!block) {
        block = { table: "filter", chains: new Map(), families: new Set(), familyHint: family };
        scriptBlocks.set(family, block);
        blocks.push(block);
      }
      current = block;
      words = words.slice(1);
      // "-w [seconds]" only waits for the xtables lock.
      while (words[0] === "-w" || words[0] === "--wait") words = words.slice(/^\d+$/.test(words[1] ?? "") ? 2 : 1);
      const ti = words.findIndex((x) => x === "-t" || x === "--table");
      if (ti >= 0) {
        const table = words[ti + 1] ?? "filter";
        words = [...words.slice(0, ti), ...words.slice(ti + 2)];
        if (table !== "filter") {
          // Flushing or setting up another table (a script's "iptables -t nat -F") changes nothing that is read.
          if (/^(?:-[AI]|--append|--insert)$/.test(words[0] ?? "")) {
            findings.push(finding(line, "note", `Table "${table}" does not decide what is allowed: this rule is not read.`));
          }
          continue;
        }
      }
    }
    if (words[0]?.charCodeAt(0) === 91 && /^\[\d+:\d+\]$/.test(words[0])) words = words.slice(1);
    const w0 = words[0] ?? "";
    if (w0.startsWith("*")) {
      current = { table: w0.slice(1), chains: new Map(), families: new Set(), ...(pendingFamily ? { familyHint: pendingFamily } : {}) };
      blocks.push(current);
      continue;
    }
    if (w0 === "COMMIT") {
      current = undefined;
      pendingFamily = undefined;
      continue;
    }
    if (w0.startsWith(":")) {
      const chain = chainOf(blockFor(), w0.slice(1), line);
      setPolicy(chain, words[1]);
      continue;
    }
    if (w0 === "-P" || w0 === "--policy") {
      const chain = chainOf(blockFor(), words[1] ?? "", line);
      chain.line = line;
      setPolicy(chain, words[2]);
      continue;
    }
    if ((w0 === "-N" || w0 === "--new-chain") && words.length === 2) {
      chainOf(blockFor(), words[1] ?? "", line);
      continue;
    }
    if (w0 === "-A" || w0 === "--append" || w0 === "-I" || w0 === "--insert") {
      const block = blockFor();
      const chainName = words[1] ?? "";
      const rule = readRule(line, words, 2, findings, block);
      if (block.table !== "filter") continue;
      const chain = chainOf(block, chainName, line);
      if (w0 === "-I" || w0 === "--insert") {
        const pos = /^\d+$/.test(words[2] ?? "") ? Number(words[2]) - 1 : 0;
        if (pos <= 0) chain.front.push(rule);
        else {
          flatten(chain);
          chain.rules.splice(Math.min(pos, chain.rules.length), 0, rule);
        }
      } else chain.rules.push(rule);
      continue;
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
      continue;
    }
    if ((w0 === "-F" || w0 === "--flush" || w0 === "-X" || w0 === "--delete-chain" || w0 === "-Z" || w0 === "--zero") && words.length <= 2) {
      const block = blockFor();
      const named = words[1];
      if (w0 === "-F" || w0 === "--flush") {
        for (const chain of named === undefined ? block.chains.values() : [block.chains.get(named)]) {
          if (!chain) continue;
          chain.rules = [];
          chain.front.length = 0;
        }
      } else if (w0 === "-X" || w0 === "--delete-chain") {
        // Built-in chains cannot be deleted; without a name every user chain goes.
        for (const name of named === undefined ? [...block.chains.keys()] : [named]) if (!BUILTIN.includes(name)) block.chains.delete(name);
      }
      continue;
    }
    if (sets.read(line, words, findings)) continue;
    findings.push(finding(line, "not-understood", "Not an iptables-save line."));
  }

  for (const b of blocks) {
    if (b.table !== "filter" && b.chains.size > 0) {
      const first = [...b.chains.values()][0]!;
      findings.push(
        finding(first.line, "note", `Table "${b.table}" does not decide what is allowed: its rules are not read.`),
      );
    }
  }

  const entries: Entry[] = [];
  const allowReached = new Set<string>();
  let ruleCount = 0;
  for (const b of blocks) {
    if (b.table !== "filter") continue;
    for (const chain of b.chains.values()) {
      flatten(chain);
      ruleCount += chain.rules.length;
    }
  }
  if (ruleCount === 0 && sets.order.length > 0) {
    append(entries, setsAsAllowlist(sets, findings));
    return done(text, entries, findings, [OBJECTS_ONLY_NOTE]);
  }
  let budget = EXPANSION_FACTOR * (ruleCount + 100);
  for (const block of blocks) {
    if (block.table !== "filter") continue;
    const families: readonly Family[] = block.familyHint
      ? [block.familyHint]
      : block.families.size === 1
        ? [...block.families]
        : BOTH_FAMILIES;
    const visited = new Set<string>();
    // Rules without a source reach "any": one set of terms per block, shared by their entries.
    const anyOfBlock = anyTerms(families);
    const expand = (chainName: string, ctx: Context, stack: string[]): void => {
      const chain = block.chains.get(chainName);
      if (!chain) return;
      visited.add(chainName);
      for (const rule of chain.rules) {
        if (--budget < 0) {
          if (budget === -1) findings.push(finding(rule.line, "note", "Too many nested jumps: the rest of the rules are not read."));
          return;
        }
        if (rule.inert || rule.target === undefined) continue;
        const verdict = TERMINAL[rule.target];
        const isChain = verdict === undefined && !BUILTIN.includes(rule.target) && block.chains.has(rule.target);
        if (verdict === undefined && !isChain) {
          if (rule.target === "RETURN") {
            if (rule.sources.length === 0 && rule.protocol === undefined && rule.ports === undefined) return;
            findings.push(finding(rule.line, "note", "A conditional RETURN is read as if matching traffic went on through this chain."));
          } else if (!EXTENSION_TARGETS.has(rule.target)) {
            findings.push(finding(rule.line, "undefined-reference", `Chain "${rule.target}" is not defined in this paste.`));
          }
          continue;
        }
        const next = narrow(ctx, rule, sets, families, findings);
        if (!next) continue;
        if (isChain) {
          if (stack.includes(rule.target)) {
            findings.push(finding(rule.line, "reference-loop", `Chain "${rule.target}" jumps back to itself through ${[...stack, rule.target].join(" → ")}.`));
            continue;
          }
          expand(rule.target, { ...next, via: [...next.via, rule.target] }, [...stack, rule.target]);
          continue;
        }
        const sources = next.sources ?? anyOfBlock.map((term) => ({ term, line: rule.line, via: [] as string[] }));
        for (const s of sources) {
          const via = s.via.length === 0 ? next.via : next.via.length === 0 ? s.via : [...next.via, ...s.via];
          if (verdict === "allow") for (const v of via) allowReached.add(v);
          entries.push(
            makeEntry(s.line, s.term, {
              action: verdict!,
              direction: ctx.direction,
              protocol: next.protocol,
              ports: next.ports,
              via,
              ruleLine: rule.line.n,
              comment: rule.comment,
            }),
          );
        }
      }
    };
    const policyEntries = (names: readonly string[]): void => {
      for (const name of names) {
        const chain = block.chains.get(name);
        if (!chain?.policy) continue;
        for (const term of anyTerms(families)) {
          const direction = name === "OUTPUT" ? "out" : "in";
          entries.push(makeEntry(chain.line, term, { action: chain.policy, direction, comment: `${name} policy` }));
        }
      }
    };
    const input = block.chains.get("INPUT");
    const forward = block.chains.get("FORWARD");
    if (input && forward && input.rules.some((r) => !r.inert) && forward.rules.some((r) => !r.inert)) {
      findings.push(
        finding(forward.line, "note", "INPUT and FORWARD both hold rules: they are read as one sequence, INPUT first, then both policies."),
      );
    }
    for (const name of ["INPUT", "FORWARD"]) expand(name, { direction: "in", via: [] }, [name]);
    policyEntries(["INPUT", "FORWARD"]);
    expand("OUTPUT", { direction: "out", via: [] }, ["OUTPUT"]);
    policyEntries(["OUTPUT"]);
    for (const chain of block.chains.values()) {
      if (!visited.has(chain.name) && !BUILTIN.includes(chain.name) && chain.rules.length > 0) {
        findings.push(finding(chain.line, "note", `Chain "${chain.name}" is not reached from INPUT, FORWARD or OUTPUT: its rules are not read.`));
      }
    }
  }
  for (const name of sets.order) {
    if (!allowReached.has(name)) {
      const info = sets.sets.get(name)!;
      findings.push(finding(info.line, "unused-object", `Set "${name}" is defined but no allow rule uses it.`));
    }
  }
  return done(text, entries, findings, []);
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

/** What the traffic reaching a rule has already matched: the jumps' conditions, ANDed. */
interface Context {
  readonly direction: Direction;
  readonly via: readonly string[];
  readonly sources?: readonly Source[];
  readonly protocol?: string;
  readonly ports?: readonly PortRange[];
}

/** The context ANDed with the rule's own matches; undefined when no packet can match both. */
function narrow(ctx: Context, rule: Rule, sets: IpsetTable, families: readonly Family[], findings: Finding[]): Context | undefined {
  let protocol = ctx.protocol;
  if (rule.protocol !== undefined) {
    if (protocol !== undefined && protocol !== rule.protocol) return undefined;
    protocol = rule.protocol;
  }
  const ports = intersectPorts(ctx.ports, rule.ports);
  if (ports === null) return undefined;
  let sources = ctx.sources;
  for (const spec of rule.sources) {
    const own = specSources(spec, rule.line, sets, families, findings);
    sources = sources === undefined ? own : andSources(sources, own);
    if (sources.length === 0) return undefined;
  }
  // Built by assignment, not spreads: this runs once per rule reached.
  const out: { -readonly [K in keyof Context]: Context[K] } = { direction: ctx.direction, via: ctx.via };
  if (sources) out.sources = sources;
  if (protocol !== undefined) out.protocol = protocol;
  if (ports !== undefined) out.ports = ports;
  return out;
}

function specSources(spec: SourceSpec, line: Line, sets: IpsetTable, families: readonly Family[], findings: Finding[]): Source[] {
  if (spec.k === "terms") {
    if (!spec.negated) return spec.terms.map((term) => ({ term, line, via: [] }));
    return complementOf(spec.terms.map((t) => t.range), spec.token, line, [], families);
  }
  const members = sets.objects.resolve(spec.name, line, findings);
  if (!spec.negated) {
    return members.map((m) => ({ term: m.value.term, line: m.line, via: m.via }));
  }
  const fam = sets.sets.get(spec.name)?.family;
  return complementOf(members.map((m) => m.value.term.range), spec.name, line, [spec.name], fam ? [fam] : families);
}

function complementOf(ranges: readonly Range[], token: string, line: Line, via: readonly string[], families: readonly Family[]): Source[] {
  const fams = ranges.length > 0 ? [...new Set(ranges.map((r) => r.first.family))] : families;
  return fams.flatMap((f) =>
    complementTerms(ranges.filter((r) => r.first.family === f), f, token).map((term) => ({ term, line, via })),
  );
}


/** Options whose value is a single word that this reader ignores (interfaces handled apart). */
function readRule(line: Line, words: readonly string[], start: number, findings: Finding[], block: Block): Rule {
  const rule: Rule = { line, spec: specOf(words, start), sources: [] };
  let negate = false;
  let i = start;
  if (/^\d+$/.test(words[start] ?? "")) i = start + 1; // "-I INPUT 3 …": the position, read by the caller
  const take = (): string => words[++i] ?? "";
  for (; i < words.length; i++) {
    const w = words[i]!;
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
        let v = take();
        let n = neg;
        if (v === "!") {
          n = true;
          v = take();
        }
        const terms: AddressTerm[] = [];
        for (const tok of v.includes(",") ? v.split(",") : [v]) {
          const r = readAddressTerm(tok);
          if (r.ok) {
            terms.push(r.term);
            block.families.add(r.term.range.first.family);
          } else findings.push(finding(line, r.kind, r.message));
        }
        if (terms.length > 0) rule.sources.push({ k: "terms", terms, negated: n, token: v });
        else rule.inert = "no readable source";
        break;
      }
      case "--src-range": {
        const v = take();
        const r = readAddressTerm(v);
        if (r.ok) rule.sources.push({ k: "terms", terms: [r.term], negated: neg, token: v });
        else {
          findings.push(finding(line, r.kind, r.message));
          rule.inert = "no readable source";
        }
        break;
      }
      case "--match-set":
      case "--set": {
        const name = take();
        const flags = take();
        // Only a set matched on the source address (first flag "src") says who may connect.
        if (flags.split(",")[0] === "src") rule.sources.push({ k: "set", name, negated: neg });
        break;
      }
      case "-p":
      case "--protocol": {
        const v = take().toLowerCase();
        const p = PROTOCOL_NUMBERS[v] ?? v;
        if (neg) {
          findings.push(finding(line, "negation", `"! -p ${v}" cannot be expressed: the rule is not read.`));
          rule.inert = "negated protocol";
        } else if (p !== "all") rule.protocol = p;
        break;
      }
      case "--dport":
      case "--destination-port":
      case "--dports":
      case "--destination-ports": {
        const v = take();
        const ports: PortRange[] = [];
        for (const part of v.includes(",") ? v.split(",") : [v]) {
          const r = parsePortRange(part) ?? SERVICE_PORTS[part.toLowerCase()];
          if (r) ports.push(r);
          else findings.push(finding(line, "invalid", `"${part}" is not a port or port range.`));
        }
        if (ports.length === 0) rule.inert = "no readable port";
        else rule.ports = neg ? complementPorts(ports) : ports;
        break;
      }
      case "-i":
      case "--in-interface": {
        const v = take();
        if (!neg && v === "lo") rule.inert = "loopback";
        break;
      }
      case "--ctstate":
      case "--state": {
        const states = take().toUpperCase().split(",");
        if (neg ? states.includes("NEW") : !states.includes("NEW")) rule.inert = "not new connections";
        break;
      }
      case "--comment":
        rule.comment = take();
        break;
      case "-j":
      case "--jump":
      case "-g":
      case "--goto":
        rule.target = take();
        break;
      default:
        // Other options (modules, destinations, interfaces, limits …) only narrow the match: their values are skipped.
        while (i + 1 < words.length && words[i + 1]!.charCodeAt(0) !== 45 && words[i + 1] !== "!") i++;
    }
  }
  return rule;
}

/** A script's "[sudo] [/sbin/]iptables [-w] [-t table] -A|-I|-D|-P|-N|-F|-X …" line. */
const SCRIPT_LINE =
  /^[ \t]*(?:sudo\s+)?(?:\S*\/)?ip6?tables(?:-legacy|-nft)?\s+(?:(?:-w|--wait)(?:\s+\d+)?\s+)?(?:(?:-t|--table)\s+\S+\s+)?(?:-[AIDPNFXZ](?:\s|$)|--(?:append|insert|delete|policy|new-chain|flush|delete-chain)\b)/m;

export const iptablesParser: Parser = {
  id: "iptables",
  label: "iptables-save / ip6tables-save",
  detect(text: string): number {
    const head = detectHead(text);
    const filter = /^\*filter\s*$/m.test(head);
    const chains = /^:(?:INPUT|FORWARD|OUTPUT) (?:ACCEPT|DROP|-)/m.test(head);
    if (filter && chains) return 0.95;
    if (/^-A (?:INPUT|FORWARD|OUTPUT)\b/m.test(head) || /^-P (?:INPUT|FORWARD|OUTPUT) (?:ACCEPT|DROP)/m.test(head)) return 0.9;
    if (SCRIPT_LINE.test(head)) return 0.85;
    if (filter || chains) return 0.6;
    return 0;
  },
  parse: parseIptables,
};
