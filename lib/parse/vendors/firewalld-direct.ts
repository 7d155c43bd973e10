/**
 * firewalld's direct interface: `firewall-cmd [--permanent] --direct --add-rule|--remove-rule|--remove-rules|
 * --add-chain|--remove-chain …` and /etc/firewalld/direct.xml (firewalld.direct(5),
 * https://firewalld.org/documentation/man-pages/firewalld.direct.html). Direct rules are iptables rules: with the
 * nftables backend (firewalld's default since 0.6) firewalld writes them into iptables' own tables, ordered by
 * priority (lower first, then in the order added), beside its nftables table. A connection crosses both: a direct
 * DROP or REJECT blocks it whatever the zone allows, and a direct ACCEPT lets it past the iptables chain only, so the
 * zone still decides (checked with firewalld 1.3 and iptables 1.8.9 here: a direct ACCEPT alone let nothing in).
 */
import type { Entry, Finding, PathContext } from "../types";
import { type Line, finding } from "./common";
import { parseIptables } from "./iptables";

export interface DirectRule {
  readonly ipv: string;
  readonly table: string;
  readonly chain: string;
  readonly priority: number;
  /** The iptables rule's words, as written. */
  readonly args: readonly string[];
  readonly line: Line;
}

export interface DirectState {
  /** By "ipv table chain priority args", in the order added (firewalld holds a rule once). */
  readonly rules: Map<string, DirectRule>;
  /** The keys of `rules` by "ipv table chain", for --remove-rules. */
  readonly byChain: Map<string, Set<string>>;
  /** User chains added with --add-chain, by "ipv table chain". */
  readonly chains: Map<string, Line>;
}

export function newDirectState(): DirectState {
  return { rules: new Map(), byChain: new Map(), chains: new Map() };
}

/** The built-in chains of iptables' filter table (the only table read here). */
const FILTER_CHAINS: readonly string[] = ["INPUT", "FORWARD", "OUTPUT"];

const ruleKey = (r: Omit<DirectRule, "line">): string =>
  `${r.ipv} ${r.table} ${r.chain} ${r.priority} ${r.args.join(" ")}`;

/**
 * One `--direct` command: `words` are the command's words after the program, `lineOf(k)` the line word k stands on.
 * firewalld refuses a rule added twice (ALREADY_ENABLED) and the removal of one it does not hold (NOT_ENABLED): both
 * change nothing.
 */
export function readDirectCommand(
  d: DirectState,
  words: readonly string[],
  lineOf: (k: number) => Line,
  findings: Finding[],
): void {
  const k = words.findIndex((w) => /^--(?:add|remove|query|get)-|^--passthrough$|^--get-all-/.test(w));
  const option = words[k] ?? "";
  const line = lineOf(Math.max(k, 0));
  const args = words.slice(k + 1);
  const [ipv = "", table = "", chain = ""] = args;
  if (option === "--add-rule" || option === "--remove-rule") {
    const priority = Number(args[3]);
    if (!/^(?:ipv4|ipv6|eb)$/.test(ipv) || !Number.isInteger(priority) || args.length < 5) {
      findings.push(
        finding(line, "not-understood", `firewall-cmd ${option} takes {ipv4|ipv6|eb} TABLE CHAIN PRIORITY ARGS….`),
      );
      return;
    }
    const rule = { ipv, table, chain, priority, args: args.slice(4), line };
    const key = ruleKey(rule);
    const chainKey = `${ipv} ${table} ${chain}`;
    if (option === "--add-rule") {
      if (d.rules.has(key))
        findings.push(
          finding(line, "note", "firewalld holds this direct rule already (ALREADY_ENABLED): nothing changes."),
        );
      else {
        d.rules.set(key, rule);
        const keys = d.byChain.get(chainKey);
        if (keys) keys.add(key);
        else d.byChain.set(chainKey, new Set([key]));
      }
    } else if (d.rules.delete(key)) d.byChain.get(chainKey)?.delete(key);
    else findings.push(finding(line, "note", "firewalld holds no such direct rule (NOT_ENABLED): nothing is removed."));
    return;
  }
  if (option === "--remove-rules") {
    const chainKey = `${ipv} ${table} ${chain}`;
    for (const key of d.byChain.get(chainKey) ?? []) d.rules.delete(key);
    d.byChain.delete(chainKey);
    return;
  }
  if (option === "--add-chain") {
    d.chains.set(`${ipv} ${table} ${chain}`, line);
    return;
  }
  if (option === "--remove-chain") {
    d.chains.delete(`${ipv} ${table} ${chain}`);
    return;
  }
  if (/^--(?:query|get)-/.test(option)) return;
  findings.push(
    finding(
      line,
      "not-understood",
      option.includes("passthrough")
        ? "Direct passthrough rules are not read: paste `iptables-save` to show what they did."
        : `firewall-cmd --direct ${option} is not read.`,
    ),
  );
}

/** A <rule>, <chain> or <passthrough> of /etc/firewalld/direct.xml. */
export function readDirectXml(
  d: DirectState,
  name: string,
  attrs: Readonly<Record<string, string>>,
  body: string,
  line: Line,
  findings: Finding[],
): void {
  const words = body.trim() === "" ? [] : body.trim().split(/\s+/);
  if (name === "rule")
    readDirectCommand(
      d,
      ["--add-rule", attrs.ipv ?? "", attrs.table ?? "", attrs.chain ?? "", attrs.priority ?? "", ...words],
      () => line,
      findings,
    );
  else if (name === "chain") d.chains.set(`${attrs.ipv ?? ""} ${attrs.table ?? ""} ${attrs.chain ?? ""}`, line);
  else if (name === "passthrough") readDirectCommand(d, ["--add-passthrough"], () => line, findings);
}

/**
 * The path context of the direct rules a new inbound connection meets (iptables filter INPUT and the chains it jumps
 * to, both families), with their entries: read by the iptables reader from the rules in firewalld's order. Undefined
 * when no such rule is held. Rules of other tables and chains are reported when they could drop it.
 */
export function directContext(
  d: DirectState,
  context: number,
  findings: Finding[],
): { context: PathContext; entries: Entry[] } | undefined {
  const lines: Line[] = [];
  const text: string[] = [];
  const entries: Entry[] = [];
  let first: Line | undefined;
  // Tables that can drop a connection before filter (raw, mangle, security) and ebtables rules are not read.
  for (const r of d.rules.values())
    if ((r.table !== "filter" && r.table !== "nat") || r.ipv === "eb")
      findings.push(
        finding(
          r.line,
          "note",
          `Direct rules of ${r.ipv === "eb" ? "ebtables" : `table ${r.table}`} are not read; only the iptables filter table's decide here.`,
        ),
      );
  for (const ipv of ["ipv4", "ipv6"]) {
    const rules = [...d.rules.values()]
      .map((r, order) => ({ r, order }))
      .filter(({ r }) => r.ipv === ipv)
      .sort((a, b) => a.r.priority - b.r.priority || a.order - b.order)
      .map(({ r }) => r);
    const filter = rules.filter((r) => r.table === "filter");
    if (filter.length === 0) continue;
    first ??= filter[0]!.line;
    const push = (t: string, l: Line) => {
      text.push(t);
      lines.push(l);
    };
    push(ipv === "ipv6" ? "# ip6tables-save" : "# iptables-save", filter[0]!.line);
    push("*filter", filter[0]!.line);
    for (const c of FILTER_CHAINS) push(`:${c} ACCEPT [0:0]`, filter[0]!.line);
    for (const [key, l] of d.chains) {
      const [v, t, c] = key.split(" ");
      if (v === ipv && t === "filter" && !FILTER_CHAINS.includes(c!)) push(`:${c} - [0:0]`, l);
    }
    for (const r of filter) push(`-A ${r.chain} ${r.args.join(" ")}`, r.line);
    push("COMMIT", filter[filter.length - 1]!.line);
  }
  if (first === undefined) return undefined;
  const out = parseIptables(`${text.join("\n")}\n`, { path: "input" });
  const at = (n: number): Line => lines[n - 1] ?? first!;
  for (const f of out.findings) {
    // The reader's remarks on the chain heads written here are about nothing the paste holds.
    if (/^:/.test(text[f.line - 1] ?? "") || /^(?:# |\*|COMMIT)/.test(text[f.line - 1] ?? "")) continue;
    findings.push({ ...f, line: at(f.line).n, text: at(f.line).text });
  }
  const contexts = out.path?.contexts ?? [];
  for (const e of out.entries) {
    if (!(contexts[e.context ?? 0]?.onPath ?? true)) continue;
    const l = at(e.line);
    const rule = e.ruleLine !== undefined ? at(e.ruleLine) : undefined;
    const copy: { -readonly [K in keyof Entry]: Entry[K] } = { ...e, line: l.n, text: l.text, context };
    if (context === 0) delete copy.context;
    if (rule !== undefined && rule.n !== l.n) copy.ruleLine = rule.n;
    else delete copy.ruleLine;
    entries.push(copy);
  }
  return {
    context: {
      name: "firewalld direct rules (iptables filter INPUT)",
      line: first.n,
      text: first.text,
      fallthrough: "allow",
      onPath: true,
      reason:
        "firewalld puts direct rules in iptables, which a new connection crosses besides firewalld's own table: a drop there blocks it, an accept there still leaves the zone to decide",
    },
    entries,
  };
}
