/**
 * `nft list ruleset` output, nft -f scripts in the same syntax, and shell scripts of nft commands (`nft add rule …`,
 * `insert rule`, `add element`, `add set|chain|table`, `flush`, `delete`), applied in order into the same tables.
 * Base filter chains are read in hook order (input and forward as inbound, output as outbound), then priority;
 * regular chains are inlined at jump/goto with the jump's matches ANDed in; named sets (@name), anonymous sets and
 * `define`d variables are resolved.
 */
import type { Direction, Entry, Finding, ParseOutput, Parser, PortRange } from "../types";
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
} from "./common";
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
  readonly portSets: Map<string, PortRange[]>;
  readonly chains: Map<string, Chain>;
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
  rules: Tok[][];
  /** Rules of "insert rule" without a position, newest last: prepended once at the end, not spliced one by one. */
  readonly front: Tok[][];
  /** Created or filled by commands: its hook may live on the machine rather than in the paste. */
  scripted?: boolean;
  /** Read as the input hook by name (a command script that never declared the hook). */
  assumedHook?: boolean;
}

const HOOK_ORDER: Record<string, number> = { ingress: 0, prerouting: 1, input: 2, forward: 3, output: 4, postrouting: 5 };
const NAMED_PRIORITY: Record<string, number> = { raw: -300, mangle: -150, dstnat: -100, filter: 0, security: 50, srcnat: 100 };
/** Words an nft rule can start with; anything else in a chain is reported, not guessed. */
const STATEMENT_WORDS = new Set(
  "ip ip6 inet tcp udp sctp dccp udplite th meta ct iif iifname oif oifname iiftype oiftype icmp icmpv6 igmp counter log limit accept drop reject jump goto return continue queue mark fib rt ether vlan arp ah esp comp dnat snat masquerade redirect notrack tproxy quota synproxy socket osf nftrace flow numgen jhash symhash exthdr dup fwd l4proto nfproto ipsec update add set @".split(" "),
);
const SKIPPED_BLOCKS = new Set(["map", "flowtable", "counter", "quota", "limit", "ct", "secmark", "synproxy", "meter"]);
/** Words whose "{" opens a block of statements (a "{" after any other word opens a value: a set of elements). */
const BLOCK_WORDS = new Set(["table", "chain", "set", ...SKIPPED_BLOCKS]);
/** Command verbs for objects inside a table ("add table", "flush …" and "delete table|chain|set" are read apart). */
const OBJECT_VERBS = new Set(["add", "create", "insert", "replace", "delete", "destroy"]);
const TABLE_OBJECTS = new Set(["rule", "element", "chain", "set", ...SKIPPED_BLOCKS]);

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
    out.push({ w: s.slice(i, j), line });
    i = j;
  }
}

/** Space, tab, { } , ; #, quotes and the backslash end a bare word. */
function isWordEnd(c: number): boolean {
  return c === 32 || c === 9 || c === 123 || c === 125 || c === 44 || c === 59 || c === 35 || c === 34 || c === 39 || c === 92;
}

export function parseNftables(text: string): ParseOutput {
  const findings: Finding[] = [];
  /** Live tables by "family name": a table written again is the same table (nft merges them). */
  const tables = new Map<string, Table>();
  const defines = new Map<string, Tok[]>();
  const stack: ("table" | "set" | "chain" | "skip")[] = [];
  let table: Table | undefined;
  let chain: Chain | undefined;
  let set: { name: string; line: Line; kind: "address" | "port" | "other"; family?: Family } | undefined;
  let pending: Tok[] = [];

  const statement = (toks: Tok[]): void => {
    const first = toks[0];
    if (!first) return;
    const line = first.line;
    const w = toks.map((t) => t.w);
    const top = stack[stack.length - 1];
    if (w[0] === "}") {
      const popped = stack.pop();
      if (popped === "chain") chain = undefined;
      if (popped === "set") set = undefined;
      if (popped === "table") table = undefined;
      if (toks.length > 1) statement(toks.slice(1));
      return;
    }
    if (w[0] === ";") {
      statement(toks.slice(1));
      return;
    }
    if (top === "skip") {
      if (w[w.length - 1] === "{") stack.push("skip");
      return;
    }
    const opensBlock = w[w.length - 1] === "{";
    const brace = w.indexOf("{");
    if (brace >= 0 && brace < w.length - 1 && opensBlockAt(toks)) {
      // A block on one line ("chain input { type filter hook input priority 0; policy drop; }").
      feed(toks);
      return;
    }
    if (top === undefined) {
      const w0 = w[0] ?? "";
      if (w0 === "sudo" || w0 === "nft" || w0.endsWith("/nft")) {
        // "nft [options] add rule …" in a shell script: the command after the program and its options.
        let k = w0 === "sudo" ? 1 : 0;
        if (w[k] === "nft" || w[k]?.endsWith("/nft")) k++;
        while (w[k]?.startsWith("-")) k++;
        if (w[k] !== "list" && k < toks.length) statement(toks.slice(k));
        return;
      }
      if (w0 === "set" && /^-[a-z]+$/.test(w[1] ?? "") && w.length === 2) return; // "set -e" of a shell script
      if (OBJECT_VERBS.has(w0) && TABLE_OBJECTS.has(w[1] ?? "")) {
        command(toks);
        return;
      }
      // "table inet x" without a body, "add table …" and "create table …" declare it (the atomic-replace idiom
      // "table inet x" + "delete table inet x" before the full table makes the delete succeed on a fresh system).
      const declare = w[0] === "table" ? 1 : (w[0] === "add" || w[0] === "create") && w[1] === "table" ? 2 : 0;
      if (declare > 0) {
        const ref = tableRef(w, declare);
        const t = tables.get(ref.key) ?? newTable(ref.family, ref.name);
        tables.set(ref.key, t);
        if (opensBlock) {
          table = t;
          stack.push("table");
        } else if (ref.next < w.length) findings.push(finding(line, "not-understood", "Not an nftables table declaration."));
        return;
      }
      if ((w[0] === "delete" || w[0] === "destroy" || w[0] === "flush") && !opensBlock) {
        if (!maintain(w, tables)) findings.push(finding(line, "not-understood", `Not an nftables ${w[0]} command.`));
        return;
      }
      if (w[0] === "define" && w[2] === "=") {
        defines.set(w[1] ?? "", toks.slice(3));
        return;
      }
      if (w[0] === "include" || w[0] === "#!/usr/sbin/nft") return;
      if (opensBlock) stack.push("skip");
      findings.push(finding(line, "not-understood", "Not an nftables table or definition."));
      return;
    }
    if (top === "table" && table) {
      if ((w[0] === "set" || w[0] === "chain") && opensBlock) {
        const name = w[1] ?? "";
        if (w[0] === "set") {
          // A set written again (reopened table, "add element") keeps what its type made of it.
          set = { name, line, kind: table.portSets.has(name) ? "port" : table.sets.has(name) ? "address" : "other" };
          stack.push("set");
        } else {
          chain = table.chains.get(name) ?? { name, line, table, priority: 0, rules: [], front: [] };
          table.chains.set(name, chain);
          stack.push("chain");
        }
        return;
      }
      if (SKIPPED_BLOCKS.has(w[0] ?? "") && opensBlock) {
        stack.push("skip");
        return;
      }
      findings.push(finding(line, "not-understood", "Not a set, chain or map of this table."));
      return;
    }
    if (top === "set" && set && table) {
      if (w[0] === "type" || w[0] === "typeof") {
        const spec = w.slice(1).join(" ");
        if (/^(?:ipv4_addr|ip saddr|ip daddr)/.test(spec)) set.kind = "address";
        else if (/^(?:ipv6_addr|ip6 saddr|ip6 daddr)/.test(spec)) set.kind = "address";
        else if (/^(?:inet_service|tcp dport|udp dport|th dport)/.test(spec)) set.kind = "port";
        if (set.kind === "address" && !table.sets.has(set.name)) {
          set.family = /ipv6_addr|ip6 /.test(spec) ? 6 : 4;
          table.sets.define(set.name, { line: set.line, members: [] });
          table.addressSets.push({ name: set.name, line: set.line });
        } else if (set.kind === "port" && !table.portSets.has(set.name)) table.portSets.set(set.name, []);
        return;
      }
      if (w[0] === "elements" && w[1] === "=") {
        if (set.kind === "address") {
          for (const el of elementsOf(toks.slice(2), findings, defines)) {
            table.sets.addMember(set.name, el.kind === "term" ? { value: el.term, line: el.line } : { ref: el.ref, line: el.line }, el.line);
          }
        } else if (set.kind === "port") {
          append(table.portSets.get(set.name)!, portsOf(toks.slice(2), findings));
        }
        return;
      }
      return; // flags, timeout, size, auto-merge, comment, counter: no addresses
    }
    if (top === "chain" && chain) {
      if (w[0] === "type") {
        chain.type = w[1];
        const hookAt = w.indexOf("hook");
        if (hookAt >= 0) chain.hook = w[hookAt + 1];
        const prioAt = w.indexOf("priority");
        if (prioAt >= 0) chain.priority = priorityOf(w.slice(prioAt + 1, w.indexOf(";", prioAt) >= 0 ? w.indexOf(";", prioAt) : undefined));
        const polAt = w.indexOf("policy");
        if (polAt >= 0) {
          chain.policy = w[polAt + 1] === "drop" ? "deny" : "allow";
          chain.policyLine = line;
        }
        return;
      }
      if (w[0] === "policy") {
        chain.policy = w[1] === "drop" ? "deny" : "allow";
        chain.policyLine = line;
        return;
      }
      if (w[0] === "comment") return;
      if (!STATEMENT_WORDS.has(w[0] ?? "")) {
        findings.push(finding(line, "not-understood", "Not an nftables rule."));
        return;
      }
      chain.rules.push(toks);
      return;
    }
    findings.push(finding(line, "not-understood", "Not understood here."));
  };

  /** Whether the "{" ending `cur` opens a block of statements here rather than a set of values. */
  const opensBlockAt = (cur: readonly Tok[]): boolean => {
    const top = stack[stack.length - 1];
    const w0 = cur[0]?.w ?? "";
    return top !== "chain" && top !== "set" && (BLOCK_WORDS.has(w0) || ((w0 === "add" || w0 === "create") && cur[1]?.w === "table"));
  };

  /** Reads statements written on one line: a block word's "{" opens a block, "}" closes it, ";" ends a statement. */
  const feed = (toks: readonly Tok[]): void => {
    let cur: Tok[] = [];
    let value = 0;
    for (const t of toks) {
      if (value > 0) {
        cur.push(t);
        if (t.w === "{") value++;
        else if (t.w === "}") value--;
        continue;
      }
      if (t.w === "{") {
        cur.push(t);
        if (opensBlockAt(cur)) {
          statement(cur);
          cur = [];
        } else value = 1;
        continue;
      }
      if (t.w === "}" || t.w === ";") {
        if (cur.length > 0) statement(cur);
        cur = [];
        if (t.w === "}") statement([t]);
        continue;
      }
      cur.push(t);
    }
    if (cur.length > 0) statement(cur);
  };

  const tableFor = (family: string, name: string): Table => {
    const key = `${family} ${name}`;
    const t = tables.get(key) ?? newTable(family, name);
    tables.set(key, t);
    return t;
  };

  /**
   * One command of a script ("add rule …", "insert rule …", "add element …", "add set|chain … { … }", "delete rule|
   * element …"), applied to the tables read so far. Tables and chains a command names are created when missing: a
   * script often adds to what the machine already holds.
   */
  const command = (toks: readonly Tok[]): void => {
    const w = toks.map((t) => t.w);
    const line = toks[0]!.line;
    const verb = w[0]!;
    const what = w[1]!;
    const ref = tableRef(w, 2);
    const name = toks[ref.next];
    if (!name || name.w === "{" || name.w === "}") {
      findings.push(finding(line, "not-understood", `"${verb} ${what}" without a table and a name.`));
      return;
    }
    const rest = toks.slice(ref.next + 1);
    if (verb === "delete" || verb === "destroy") {
      if (what === "rule") {
        const handle = rest.findIndex((t) => t.w === "handle");
        const which = handle >= 0 ? `Rule handle ${rest[handle + 1]?.w ?? ""}` : "A rule to delete";
        findings.push(finding(line, "note", `${which} is not known in a paste: this delete is not applied, so that rule is still read if it is here.`));
      } else if (what === "element") removeElements(tables.get(ref.key), name.w, rest, line);
      else if ((what === "chain" || what === "set") && !maintain(w, tables)) {
        findings.push(finding(line, "not-understood", `Not an nftables ${verb} command.`));
      }
      return; // maps, counters, quotas … hold no rules or addresses
    }
    if (what === "rule") {
      addRule(verb, tableFor(ref.family, ref.name), name, rest, line);
      return;
    }
    if (verb === "insert" || verb === "replace") {
      findings.push(finding(line, "not-understood", `Not an nftables command: "${verb}" applies to rules only.`));
      return;
    }
    const open = { w: "{", line };
    const close = { w: "}", line };
    let body: Tok[] = [];
    if (rest.length > 0) {
      let depth = 0;
      let end = 0;
      for (; end < rest.length; end++) {
        if (rest[end]!.w === "{") depth++;
        else if (rest[end]!.w === "}" && --depth === 0) break;
      }
      if (rest[0]!.w !== "{" || end < rest.length - 1) {
        findings.push(finding(line, "not-understood", `Not an nftables "${verb} ${what}" command.`));
        return;
      }
      body = rest.slice(1, end);
    }
    table = tableFor(ref.family, ref.name);
    stack.push("table");
    if (what === "element") {
      const known = table.sets.has(name.w) || table.portSets.has(name.w);
      statement([{ w: "set", line }, name, open]);
      if (!known) {
        const first = body.find((t) => t.w !== "," && t.w !== "{");
        const addr = first ? readAddressTerm(first.w) : undefined;
        const type = addr?.ok ? (addr.term.range.first.family === 6 ? "ipv6_addr" : "ipv4_addr") : first && parsePortRange(first.w) ? "inet_service" : "ipv4_addr";
        statement([{ w: "type", line }, { w: type, line }]);
        findings.push(finding(line, "note", `Set "${name.w}" is not created in this paste: its type is read from its elements (${type}).`));
      }
      statement([{ w: "elements", line }, { w: "=", line }, open, ...body, close]);
      statement([close]);
    } else {
      statement([{ w: what, line }, name, open]);
      if (chain) chain.scripted = true;
      feed(body);
      statement([close]);
    }
    // A body with stray braces must not leave a block open for the next command.
    stack.length = 0;
    table = chain = set = undefined;
  };

  const addRule = (verb: string, t: Table, name: Tok, rest: readonly Tok[], line: Line): void => {
    let i = 0;
    const at = rest[0]?.w;
    const pos = (at === "position" || at === "handle" || at === "index") && /^\d+$/.test(rest[1]?.w ?? "") ? Number(rest[1]!.w) : undefined;
    if (pos !== undefined) i = 2;
    const rule = rest.slice(i);
    if (rule.length === 0 || !STATEMENT_WORDS.has(rule[0]!.w)) {
      findings.push(finding(line, "not-understood", "Not an nftables rule."));
      return;
    }
    let c = t.chains.get(name.w);
    if (!c) {
      c = { name: name.w, line, table: t, priority: 0, rules: [], front: [] };
      t.chains.set(name.w, c);
    }
    c.scripted = true;
    if (verb === "replace") {
      findings.push(finding(line, "note", `Rule handle ${pos ?? ""} is not known in a paste: this replace is not applied.`));
      return;
    }
    if (pos !== undefined && at === "index") {
      flatten(c);
      c.rules.splice(Math.min(pos + (verb === "insert" ? 0 : 1), c.rules.length), 0, rule);
      return;
    }
    if (pos !== undefined) {
      const where = verb === "insert" ? "first" : "last";
      findings.push(finding(line, "note", `Rule handle ${pos} is not known in a paste: this rule is read as the ${where} of chain "${c.name}".`));
    }
    if (verb === "insert") c.front.push(rule);
    else c.rules.push(rule);
  };

  const removeElements = (t: Table | undefined, name: string, rest: readonly Tok[], line: Line): void => {
    if (!t || (!t.sets.has(name) && !t.portSets.has(name))) {
      findings.push(finding(line, "undefined-reference", `Set "${name}" is not defined in this paste.`));
      return;
    }
    const ports = t.portSets.get(name);
    if (ports) {
      for (const p of portsOf(rest, findings)) {
        const at = ports.findIndex((x) => x.from === p.from && x.to === p.to);
        if (at >= 0) ports.splice(at, 1);
      }
      return;
    }
    for (const el of elementsOf(rest, findings, defines)) {
      if (el.kind !== "term") continue;
      const r = el.term.range;
      const removed = t.sets.removeMember(
        name,
        (m) => "value" in m && m.value.range.first.value === r.first.value && m.value.range.last.value === r.last.value && m.value.range.first.family === r.first.family,
      );
      if (!removed) findings.push(finding(line, "note", `"${el.term.token}" is not an element of set "${name}": nothing is deleted.`));
    }
  };

  // Running brace depth and "=" of the pending statement, kept as words arrive so long element lists stay linear.
  let depth = 0;
  let hasAssign = false;
  for (const line of splitLines(text)) {
    if (line.text === "" || line.text.startsWith("#")) continue;
    const from = pending.length;
    words(line, pending);
    for (let k = from; k < pending.length; k++) {
      const w = pending[k]!.w;
      if (w === "{") depth++;
      else if (w === "}") depth--;
      else if (w === "=") hasAssign = true;
    }
    // A statement with an open anonymous set or element list goes on over the next lines.
    const last = pending[pending.length - 1]?.w;
    const first = pending[0]?.w ?? "";
    // A command's "{ … }" is its value, however many lines it spans ("add element … {" over several lines).
    const isCommand = first === "nft" || first === "sudo" || first.endsWith("/nft") || (OBJECT_VERBS.has(first) && pending[1]?.w !== "table");
    const isBlockOpen = depth === 1 && last === "{" && !hasAssign && !isCommand && !/^(?:ip6?|tcp|udp|meta|ct|th)$/.test(first);
    // A shell line ending in a backslash goes on over the next line.
    if ((depth > 0 && !isBlockOpen) || line.text.trimEnd().endsWith("\\")) continue;
    if (depth < 0 && pending.length > 1 && pending[0]?.w !== "}") {
      // "… accept }" closes the block on the rule's own line.
      const closeAt = pending.length - 1;
      statement(pending.slice(0, closeAt));
      statement(pending.slice(closeAt));
    } else statement(pending);
    pending = [];
    depth = 0;
    hasAssign = false;
  }
  if (pending.length > 0) statement(pending);

  const entries: Entry[] = [];
  const allowReached = new Set<string>();
  const live = [...tables.values()];
  let ruleCount = 0;
  for (const t of live) {
    for (const c of t.chains.values()) {
      flatten(c);
      ruleCount += c.rules.length;
      if (c.scripted && c.hook === undefined && c.type === undefined && c.name.toLowerCase() === "input" && c.rules.length > 0) {
        c.type = "filter";
        c.hook = "input";
        c.assumedHook = true;
        const policy = c.policy === undefined ? ", its policy unknown" : "";
        findings.push(finding(c.line, "note", `Chain "${c.name}" has no hook in this paste: read as the input hook by its name${policy}.`));
      }
    }
  }
  const hasAddressSets = live.some((t) => t.addressSets.length > 0);
  if (ruleCount === 0 && hasAddressSets) {
    for (const t of live) {
      for (const s of t.addressSets) {
        for (const r of t.sets.resolve(s.name, s.line, findings)) {
          entries.push(makeEntry(r.line, r.value, { action: "allow", direction: "in", via: r.via }));
        }
      }
    }
    return result(text, entries, findings, [OBJECTS_ONLY_NOTE]);
  }

  const base = live
    .flatMap((t) => [...t.chains.values()])
    .filter((c) => c.type === "filter" && c.hook !== undefined && HOOK_ORDER[c.hook] !== undefined)
    .map((c, i) => ({ c, i }))
    .sort((a, b) => HOOK_ORDER[a.c.hook!]! - HOOK_ORDER[b.c.hook!]! || a.c.priority - b.c.priority || a.i - b.i)
    .map((x) => x.c);
  const inbound = base.filter((c) => c.hook !== "output" && c.hook !== "postrouting");
  const outbound = base.filter((c) => c.hook === "output" || c.hook === "postrouting");
  let budget = 20 * (ruleCount + 100);
  const visited = new Set<Chain>();

  const expand = (c: Chain, ctx: Context, stackNames: string[]): void => {
    visited.add(c);
    const families = familiesOf(c.table);
    for (const rule of c.rules) {
      if (--budget < 0) {
        if (budget === -1) findings.push(finding(rule[0]!.line, "note", "Too many nested jumps: the rest of the rules are not read."));
        return;
      }
      const r = readRule(rule, c.table, defines, findings);
      if (!r || r.inert) continue;
      const next = narrow(ctx, r);
      if (!next) continue;
      const line = rule[0]!.line;
      if (r.verdict === "jump" || r.verdict === "goto") {
        const target = c.table.chains.get(r.target ?? "");
        if (!target) {
          findings.push(finding(line, "undefined-reference", `Chain "${r.target}" is not defined in table ${c.table.name}.`));
          continue;
        }
        if (stackNames.includes(target.name)) {
          findings.push(finding(line, "reference-loop", `Chain "${target.name}" jumps back to itself through ${[...stackNames, target.name].join(" → ")}.`));
          continue;
        }
        expand(target, { ...next, via: [...next.via, target.name] }, [...stackNames, target.name]);
        if (r.verdict === "goto") return;
        continue;
      }
      if (r.verdict === "return") {
        if (r.sources === undefined && r.protocol === undefined && r.ports === undefined) return;
        continue;
      }
      if (r.verdict !== "allow" && r.verdict !== "deny") continue;
      const fams = r.family ? [r.family] : families;
      const sources = next.sources ?? anyTerms(fams).map((term) => ({ term, line, via: [] as string[] }));
      for (const s of sources) {
        const via = [...next.via, ...s.via];
        if (r.verdict === "allow") for (const v of via) allowReached.add(`${c.table.name}\u0000${v}`);
        entries.push(
          makeEntry(s.line, s.term, {
            action: r.verdict,
            direction: ctx.direction,
            protocol: next.protocol,
            ports: next.ports,
            via,
            ruleLine: line.n,
            comment: r.comment,
          }),
        );
      }
    }
  };
  const policies = (chains: readonly Chain[], direction: Direction): void => {
    for (const c of chains) {
      if (c.assumedHook && c.policy === undefined) continue;
      for (const term of anyTerms(familiesOf(c.table))) {
        entries.push(
          makeEntry(c.policyLine ?? c.line, term, { action: c.policy ?? "allow", direction, comment: `${c.name} policy` }),
        );
      }
    }
  };
  for (const c of inbound) expand(c, { direction: "in", via: [] }, [c.name]);
  policies(inbound, "in");
  for (const c of outbound) expand(c, { direction: "out", via: [] }, [c.name]);
  policies(outbound, "out");

  for (const t of live) {
    for (const s of t.addressSets) {
      if (!allowReached.has(`${t.name}\u0000${s.name}`)) {
        findings.push(finding(s.line, "unused-object", `Set "${s.name}" is defined but no allow rule uses it.`));
      }
    }
    for (const c of t.chains.values()) {
      if (!visited.has(c) && c.hook === undefined && c.rules.length > 0) {
        findings.push(finding(c.line, "note", `Chain "${c.name}" is not reached from a filter hook: its rules are not read.`));
      } else if (c.type !== undefined && c.type !== "filter" && c.rules.length > 0) {
        findings.push(finding(c.line, "note", `Chain "${c.name}" is a ${c.type} chain: it does not decide what is allowed; its rules are not read.`));
      }
    }
  }
  return result(text, entries, findings, []);
}

function result(text: string, entries: Entry[], findings: Finding[], notes: string[]): ParseOutput {
  return { format: "nftables", entries, findings: findings.sort((a, b) => a.line - b.line), lineCount: countLines(text), notes };
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
  return { family, name, sets: new ObjectTable(), addressSets: [], portSets: new Map(), chains: new Map() };
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
    const at = t.addressSets.findIndex((x) => x.name === object);
    if (at >= 0) t.addressSets.splice(at, 1);
  }
  return true;
}

function clearRules(c: Chain): void {
  c.rules.length = 0;
  c.front.length = 0;
}

/** Puts the inserted rules before the appended ones, once. */
function flatten(c: Chain): void {
  if (c.front.length === 0) return;
  c.rules = c.front.reverse().concat(c.rules);
  c.front.length = 0;
}

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
function elementsOf(toks: readonly Tok[], findings: Finding[], defines: ReadonlyMap<string, Tok[]>, depth = 0): Element[] {
  const out: Element[] = [];
  let expectValue = true;
  for (const t of toks) {
    if (t.w === "{" || t.w === "," || t.w === "}") {
      expectValue = true;
      continue;
    }
    if (!expectValue) continue; // element options: timeout, expires, comment, counter …
    expectValue = false;
    if (t.w.startsWith("$")) {
      const def = defines.get(t.w.slice(1));
      if (!def || depth > 8) findings.push(finding(t.line, "undefined-reference", `"${t.w}" is not defined in this paste.`));
      else append(out, elementsOf(def, findings, defines, depth + 1));
      continue;
    }
    if (t.w.startsWith("@")) {
      out.push({ kind: "ref", ref: t.w.slice(1), line: t.line });
      continue;
    }
    const r = readAddressTerm(t.w);
    if (r.ok) out.push({ kind: "term", term: r.term, line: t.line });
    else findings.push(finding(t.line, r.kind, r.message));
  }
  return out;
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

interface NftRule {
  sources?: Source[];
  family?: Family;
  protocol?: string;
  ports?: readonly PortRange[];
  inert?: boolean;
  verdict?: "allow" | "deny" | "jump" | "goto" | "return";
  target?: string;
  comment?: string;
}

/** Reads one rule's matches and verdict. Unknown matches only narrow the rule: they are skipped. */
function readRule(toks: readonly Tok[], table: Table, defines: ReadonlyMap<string, Tok[]>, findings: Finding[]): NftRule | undefined {
  const r: NftRule = {};
  let i = 0;
  const n = toks.length;
  const w = (k: number): string => toks[k]?.w ?? "";
  /** The value after a match keyword: an operator, then one word or a whole { … } group. */
  const value = (): { neg: boolean; toks: Tok[] } => {
    let neg = false;
    if (w(i) === "!=") {
      neg = true;
      i++;
    } else if (w(i) === "==" || w(i) === "eq") i++;
    else if (w(i) === "ne") {
      neg = true;
      i++;
    }
    if (w(i) === "{") {
      const start = i;
      let d = 0;
      for (; i < n; i++) {
        if (w(i) === "{") d++;
        else if (w(i) === "}" && --d === 0) break;
      }
      return { neg, toks: toks.slice(start, ++i) };
    }
    return { neg, toks: i < n ? [toks[i++]!] : [] };
  };
  while (i < n) {
    const a = w(i);
    const b = w(i + 1);
    if ((a === "ip" || a === "ip6") && b === "saddr") {
      i += 2;
      const fam: Family = a === "ip" ? 4 : 6;
      r.family = fam;
      const v = value();
      const sources: Source[] = [];
      for (const el of elementsOf(v.toks, findings, defines)) {
        if (el.kind === "term") sources.push({ term: el.term, line: el.line, via: [] });
        else if (table.portSets.has(el.ref)) continue;
        else for (const m of table.sets.resolve(el.ref, el.line, findings)) sources.push({ term: m.value, line: m.line, via: m.via });
      }
      const written = v.toks.map((t) => t.w).join(" ").replace(/ ?([{},]) ?/g, "$1");
      const own = v.neg
        ? complementTerms(sources.map((s) => s.term.range), fam, written).map((term) => ({ term, line: toks[0]!.line, via: [] }))
        : sources;
      r.sources = r.sources === undefined ? own : andSources(r.sources, own);
      continue;
    }
    if ((a === "ip" || a === "ip6") && (b === "protocol" || b === "nexthdr")) {
      i += 2;
      const v = value();
      if (v.neg || v.toks.length !== 1) r.inert = true;
      else r.protocol = v.toks[0]!.w;
      continue;
    }
    if ((a === "meta" && b === "l4proto") || a === "l4proto") {
      i += a === "meta" ? 2 : 1;
      const v = value();
      if (v.neg || v.toks.length !== 1) r.inert = !v.toks.some((t) => t.w === "tcp") || v.neg;
      else r.protocol = v.toks[0]!.w;
      continue;
    }
    if (["tcp", "udp", "sctp", "dccp", "udplite", "th"].includes(a) && b === "dport") {
      i += 2;
      if (a !== "th") r.protocol = a;
      const v = value();
      let ports: PortRange[] = [];
      const ref = v.toks.length === 1 && v.toks[0]!.w.startsWith("@") ? v.toks[0]!.w.slice(1) : undefined;
      if (ref !== undefined) {
        const set = table.portSets.get(ref);
        if (set) ports = set;
        else findings.push(finding(v.toks[0]!.line, "undefined-reference", `Port set "${ref}" is not defined in this table.`));
      } else ports = portsOf(v.toks, findings);
      if (ports.length === 0) r.inert = true;
      const mine = v.neg ? complementPorts(ports) : ports;
      const both = intersectPorts(r.ports, mine);
      if (both === null) r.inert = true;
      else if (both !== undefined) r.ports = both;
      continue;
    }
    if (a === "icmp" || a === "icmpv6") {
      r.protocol = a === "icmp" ? "icmp" : "ipv6-icmp";
      i++;
      continue;
    }
    if ((a === "meta" && (b === "iif" || b === "iifname")) || a === "iif" || a === "iifname") {
      i += a === "meta" ? 2 : 1;
      const v = value();
      if (!v.neg && v.toks.some((t) => t.w === "lo")) r.inert = true;
      continue;
    }
    if ((a === "meta" && b === "nfproto") || a === "nfproto") {
      i += a === "meta" ? 2 : 1;
      const v = value();
      const f = v.toks[0]?.w;
      if (f === "ipv4") r.family = 4;
      else if (f === "ipv6") r.family = 6;
      continue;
    }
    if (a === "ct" && b === "state") {
      i += 2;
      const v = value();
      const states = v.toks.flatMap((t) => t.w.split(","));
      if (v.neg === states.includes("new")) r.inert = true;
      continue;
    }
    if (a === "comment") {
      r.comment = b;
      i += 2;
      continue;
    }
    if (a === "accept" || a === "drop" || a === "reject") {
      r.verdict ??= a === "accept" ? "allow" : "deny";
      i++;
      continue;
    }
    if ((a === "jump" || a === "goto") && b !== "") {
      r.verdict ??= a;
      r.target = b;
      i += 2;
      continue;
    }
    if (a === "return") {
      r.verdict ??= "return";
      i++;
      continue;
    }
    i++;
  }
  return r;
}

interface Context {
  readonly direction: Direction;
  readonly via: readonly string[];
  readonly sources?: readonly Source[];
  readonly protocol?: string;
  readonly ports?: readonly PortRange[];
}

function narrow(ctx: Context, r: NftRule): Context | undefined {
  let protocol = ctx.protocol;
  if (r.protocol !== undefined) {
    if (protocol !== undefined && protocol !== r.protocol) return undefined;
    protocol = r.protocol;
  }
  const ports = intersectPorts(ctx.ports, r.ports);
  if (ports === null) return undefined;
  let sources = ctx.sources;
  if (r.sources) {
    sources = sources === undefined ? r.sources : andSources(sources, r.sources);
    if (sources.length === 0) return undefined;
  } else if (sources && r.family) {
    sources = sources.filter((s) => s.term.range.first.family === r.family);
    if (sources.length === 0) return undefined;
  }
  return {
    direction: ctx.direction,
    via: ctx.via,
    ...(sources ? { sources } : {}),
    ...(protocol !== undefined ? { protocol } : {}),
    ...(ports !== undefined ? { ports } : {}),
  };
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
