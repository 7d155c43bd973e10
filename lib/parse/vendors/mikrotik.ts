/**
 * MikroTik RouterOS: `/ip firewall export` and `/ipv6 firewall export` (also `/export`): address-lists and filter
 * rules, with RouterOS's `\` line continuations.
 *
 * Semantics (RouterOS manual, "Filter", https://help.mikrotik.com/docs/display/ROS/Filter, and "Firewall and QoS
 * Case Studies" / "Building Your First Firewall"): rules of a chain are processed in order and the first rule whose
 * conditions all match and whose action is final (accept, drop, reject, tarpit) decides; a chain accepts what no rule
 * decides. `input` filters connections to the router, `forward` connections through it. `disabled=yes` rules do
 * nothing. A new connection is `connection-state=new`; established/related/untracked/invalid never match it.
 * `action=jump jump-target=C` sends what it matches to chain C; when C ends without a decision, or a rule there with
 * `action=return` matches, processing goes on after the jump; passthrough, log and the other non-final actions go on
 * with the next rule (https://help.mikrotik.com/docs/spaces/ROS/pages/250708066/Firewall, "jump", "return",
 * "passthrough"). A jumped-to chain is read in place at each jump, with the jump's conditions ANDed in; a jump back
 * into a chain already on the way is a finding, not followed.
 * Scripts' `set`, `remove`, `enable` and `disable` with a `[find …]` selector (mikrotik-find.ts) change the address-list
 * entries and rules made before them, as RouterOS runs them in order.
 */
import type { Entry, Finding, ParseOptions, ParseOutput, Parser, PathContext, PortRange } from "../types";
import type { Family } from "../../ip/types";
import { type AddressTerm, type Line, MAX_EXPANSION, countLines, finding, readAddressTerm, splitLines } from "./common";
import { anySources, pathEntry, readPortList } from "./hostcommon";
import {
  ANY_COND,
  type Cond,
  type Source,
  andCond,
  complementTerms,
  destinationOf,
  detectHead,
  minusExits,
  onlyProtocol,
} from "./linuxcommon";
import { conditionalUnmet } from "./pathkit";
import { type ScriptStatement, readScript } from "./mikrotik-script";
import { type FindCond, findMatches, readFind } from "./mikrotik-find";

const lineAt = (lines: readonly Line[], n: number): Line => lines[n - 1] ?? { n, text: "" };

interface Node {
  readonly rule: Rule;
  prev: Node | undefined;
  next: Node | undefined;
}

/**
 * Filter rules in the order the device holds them: appended, or moved by `place-before` in front of the first rule of
 * their chain or of the rule with a comment. A doubly linked list, so every placement is O(1).
 */
class RuleOrder {
  private head: Node | undefined;
  private tail: Node | undefined;
  /** First rule of each "family chain". */
  private readonly firstOf = new Map<string, Node>();
  private readonly byComment = new Map<string, Node>();

  add(rule: Rule, place: ScriptStatement["placeBefore"], note: (message: string) => void): void {
    const key = `${rule.family} ${rule.chain}`;
    let before: Node | undefined;
    if (place !== undefined) {
      if ("top" in place) before = this.firstOf.get(key);
      else if ("chain" in place) {
        if (place.chain === rule.chain) before = this.firstOf.get(key);
        else
          note(
            `place-before names a rule of chain "${place.chain}", not "${rule.chain}": the rule is read last in its chain.`,
          );
      } else {
        const target = this.byComment.get(`${rule.family} ${place.comment}`);
        if (target && target.rule.chain === rule.chain) before = target;
        else
          note(
            `place-before names no rule of chain "${rule.chain}" commented "${place.comment}" in this paste: the rule is read last in its chain.`,
          );
      }
    }
    const node: Node = { rule, prev: undefined, next: undefined };
    if (before) {
      node.prev = before.prev;
      node.next = before;
      if (before.prev) before.prev.next = node;
      else this.head = node;
      before.prev = node;
      if (this.firstOf.get(key) === before) this.firstOf.set(key, node);
    } else {
      node.prev = this.tail;
      if (this.tail) this.tail.next = node;
      else this.head = node;
      this.tail = node;
      if (!this.firstOf.has(key)) this.firstOf.set(key, node);
    }
    const ck = `${rule.family} ${rule.comment ?? ""}`;
    if (rule.comment !== undefined && !this.byComment.has(ck)) this.byComment.set(ck, node);
  }

  list(): Rule[] {
    const out: Rule[] = [];
    for (let n = this.head; n; n = n.next) out.push(n.rule);
    return out;
  }

  /** The rules of one family, in device order, with their nodes (for remove). */
  nodes(family: Family): Node[] {
    const out: Node[] = [];
    for (let n = this.head; n; n = n.next) if (n.rule.family === family) out.push(n);
    return out;
  }

  /**
   * Takes a rule out. Where it was the first of its chain (or of its comment), the next such rule takes its place: a
   * walk forward from it, which successive removals never repeat.
   */
  remove(node: Node): void {
    if (node.prev) node.prev.next = node.next;
    else this.head = node.next;
    if (node.next) node.next.prev = node.prev;
    else this.tail = node.prev;
    const { rule } = node;
    const key = `${rule.family} ${rule.chain}`;
    if (this.firstOf.get(key) === node) {
      let n = node.next;
      while (n && `${n.rule.family} ${n.rule.chain}` !== key) n = n.next;
      if (n) this.firstOf.set(key, n);
      else this.firstOf.delete(key);
    }
    const ck = `${rule.family} ${rule.comment ?? ""}`;
    if (rule.comment !== undefined && this.byComment.get(ck) === node) {
      let n = node.next;
      while (n && !(n.rule.family === rule.family && n.rule.comment === rule.comment)) n = n.next;
      if (n) this.byComment.set(ck, n);
      else this.byComment.delete(ck);
    }
  }
}

const FINAL: ReadonlyMap<string, "allow" | "deny"> = new Map([
  ["accept", "allow"],
  ["drop", "deny"],
  ["reject", "deny"],
  ["tarpit", "deny"],
]);

interface Rule {
  readonly line: Line;
  readonly comment: string | undefined;
  readonly chain: string;
  readonly family: Family;
  readonly args: Map<string, string>;
}

type Lists = Map<string, { term: AddressTerm; line: Line }[]>;

/** An address-list entry as added (kept when disabled: `enable` or `set disabled=no` may bring it back). */
interface ListEntry {
  readonly line: Line;
  readonly family: Family;
  readonly args: Map<string, string>;
  term: AddressTerm;
}

/**
 * Items `[find …]` selectors may compare in one paste: each compares every item of its menu, so n items and n
 * selectors would take n² steps. 5,000,000 comparisons take about a quarter of a second; each command past them is a
 * finding, not applied.
 */
export const FIND_LIMIT = 5_000_000;

/** Values RouterOS gives a property the command did not set, as `[find …]` compares them. */
const DEFAULTS: Readonly<Record<string, string>> = { disabled: "no", dynamic: "no", invalid: "no", action: "accept" };

/** What a menu path is, for the statements this reader uses (a few menus repeat on every line: tested once each). */
type MenuKind = "address-list" | "filter" | "raw" | "nat" | "other";

function menuKind(menu: string): MenuKind {
  if (/^\/ip(?:v6)? firewall address-list$/.test(menu)) return "address-list";
  if (/^\/ip(?:v6)? firewall filter$/.test(menu)) return "filter";
  if (/^\/ip(?:v6)? firewall (?:raw|nat|mangle)$/.test(menu))
    return menu.endsWith("raw") ? "raw" : menu.endsWith("nat") ? "nat" : "other";
  return "other";
}

export function parseMikrotik(text: string, options: ParseOptions = {}): ParseOutput {
  const lines = splitLines(text);
  const findings: Finding[] = [];
  const { lists, order, nat, raw } = readStatements(text, lines, findings);
  const rules = order.list();
  const port = options.port ?? 443;
  // Port forwards (chain=dstnat action=dst-nat|netmap) for the port: the connection reaches the service behind the
  // router only through them (https://help.mikrotik.com/docs/display/ROS/NAT#NAT-DestinationNAT).
  const forwards = nat.filter((r) => {
    const action = r.args.get("action") ?? "accept";
    if (r.chain !== "dstnat" || (action !== "dst-nat" && action !== "netmap")) return false;
    const proto = r.args.get("protocol");
    if (proto !== undefined && !/^(?:tcp|6)$/i.test(proto)) return false;
    const dport = r.args.get("dst-port");
    const ports = dport === undefined ? undefined : readPortList(dport.replace(/^!/, ""));
    return ports === undefined || ports.some((p) => p.from <= port && port <= p.to) !== dport!.startsWith("!");
  });
  const kind = options.path ?? (forwards.some((r) => r.args.get("disabled") !== "yes") ? "forward" : pathKind(rules));
  const prerouting = raw.filter((r) => r.chain === "prerouting");
  // Contexts in the order a packet crosses them (https://help.mikrotik.com/docs/display/ROS/Packet+Flow+in+RouterOS): raw prerouting, then dst-nat
  // in prerouting, then the routing decision sends it to the filter's input or forward chain.
  let slot = 0;
  const slots: ContextSlots = {
    raw: prerouting.length > 0 ? slot++ : -1,
    dstnat: forwards.length > 0 ? slot++ : -1,
    input: slot++,
    forward: slot++,
  };
  const contexts: PathContext[] = new Array<PathContext>(slot);
  for (const chain of ["input", "forward"] as const)
    contexts[slots[chain]] = {
      name: `filter chain ${chain}`,
      line: 0,
      text: "",
      fallthrough: "allow",
      onPath: chain === kind,
      // The chain a missing delta's accept must join: a forward rule never sees connections to the router itself.
      ...(chain === kind
        ? {
            list: {
              kind: "mikrotik-chain" as const,
              name: chain,
              boundOn: `chain ${chain}`,
              rules: rules
                .filter((r) => r.chain === chain)
                .map((r, k) => ({ line: r.line.n, position: k + 1, text: r.line.text })),
            },
          }
        : {}),
      reason:
        chain === "input"
          ? "the service runs on the router itself"
          : "the service is behind the router (dst-nat or routed)",
    };
  const entries: Entry[] = [];
  const ingress = options.ingress;
  const assumptions: string[] = [];
  // One reading state for every rule (not an object per rule); port lists read once per distinct text.
  const reading: RuleReading = {
    slots,
    lists,
    findings,
    entries,
    assumptions,
    ingress,
    kind,
    port,
    portLists: new Map(),
    expansion: { left: MAX_EXPANSION },
    chains: chainsOf(rules),
    budget: { left: JUMP_BUDGET_FACTOR * (rules.length + raw.length) + MAX_JUMP_DEPTH },
    reported: new Set(),
  };
  walkFilter(rules, reading);
  if (prerouting.length > 0) {
    // /ip firewall raw chain=prerouting sees every packet that arrives, before connection tracking and the filter:
    // first match, a drop drops it, an accept ends the raw rules (the filter rules still follow), no match goes on
    // (RouterOS "Raw": "prerouting - used to process any packet entering the router", https://help.mikrotik.com/docs/x/bYDmAg).
    contexts[slots.raw] = {
      name: "raw chain prerouting",
      line: prerouting[0]!.line.n,
      text: prerouting[0]!.line.text,
      fallthrough: "allow",
      onPath: true,
      reason: "every packet that arrives crosses it, before connection tracking and the filter rules",
    };
  }
  walkRaw(raw, reading);
  if (forwards.length > 0) {
    contexts[slots.dstnat] = {
      name: "nat chain dstnat (port forwards)",
      // /ip firewall nat: IPv4 only (IPv6 connections to a routed service do not cross it).
      family: 4,
      line: forwards[0]!.line.n,
      text: forwards[0]!.line.text,
      fallthrough: "deny",
      onPath: kind === "forward",
      reason:
        kind === "forward"
          ? `a connection reaches the service behind the router only through a dst-nat rule for port ${port}`
          : "the service runs on the router itself",
    };
    for (const r of forwards) readForward(r, { ...reading, expansion: { left: MAX_EXPANSION } }, slots.dstnat);
  }
  const assumption =
    [
      kind === "input"
        ? "Read as connections to the router itself (chain input)"
        : "Read as connections to a service behind the router (chain forward)",
      ...new Set(assumptions),
    ].join("; ") + ". Override with --path input|forward and --ingress <interface or interface list>.";
  return {
    format: "mikrotik",
    entries,
    findings: onePerLine(findings).sort((a, b) => a.line - b.line),
    lineCount: countLines(text),
    notes: [],
    path: { contexts, kind, ...(ingress !== undefined ? { ingress } : {}), assumption },
  };
}

/** The findings without repeats: a chain reached by several jumps is read (and its rules' problems found) at each. */
function onePerLine(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.line} ${f.kind} ${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Address-list entries and filter rules (in device order) of the script, after its set, remove, enable and disable
 * commands; findings for what is not read.
 */
function readStatements(
  text: string,
  lines: readonly Line[],
  findings: Finding[],
): { readonly lists: Lists; readonly order: RuleOrder; readonly nat: Rule[]; readonly raw: Rule[] } {
  const entries: ListEntry[] = [];
  const order = new RuleOrder();
  const nat: Rule[] = [];
  const raw: Rule[] = [];
  const edits: Edits = { gone: new Set(), left: FIND_LIMIT, indexed: 0 };
  const kinds = new Map<string, MenuKind>();
  const script = readScript(text);
  for (const p of script.problems) findings.push(finding(lineAt(lines, p.line), p.kind, p.message));
  for (const st of script.statements) {
    const line = lineAt(lines, st.line);
    const family: Family = st.menu.startsWith("/ipv6") ? 6 : 4;
    let kind = kinds.get(st.menu);
    if (kind === undefined) kinds.set(st.menu, (kind = menuKind(st.menu)));
    if (kind === "other") continue;
    if (st.verb !== "add") {
      applyEdit(st, line, family, kind, { entries, order, nat, raw }, edits, findings);
      continue;
    }
    if (kind === "address-list") readListEntry(st.args, line, family, entries, findings);
    else if (kind === "filter") {
      order.add(
        { line, chain: st.args.get("chain") ?? "", family, args: st.args, comment: st.args.get("comment") },
        st.placeBefore,
        (m) => findings.push(finding(line, "note", m)),
      );
    } else if (kind === "nat" && family === 4) {
      nat.push({ line, chain: st.args.get("chain") ?? "", family, args: st.args, comment: st.args.get("comment") });
    } else if (kind === "raw" && st.args.get("chain") !== "output") {
      // Chain output sees only what the router sends; other chains than prerouting are reached through jumps.
      raw.push({ line, chain: st.args.get("chain") ?? "", family, args: st.args, comment: st.args.get("comment") });
    }
  }
  const { gone } = edits;
  const lists: Lists = new Map();
  for (const e of entries) {
    if (gone.has(e) || e.args.get("disabled") === "yes") continue;
    const key = `${e.family} ${e.args.get("list")!}`;
    let members = lists.get(key);
    if (!members) lists.set(key, (members = []));
    members.push({ term: e.term, line: e.line });
  }
  const kept = (rules: Rule[]) => (gone.size === 0 ? rules : rules.filter((r) => !gone.has(r)));
  return { lists, order, nat: kept(nat), raw: kept(raw) };
}

/** `/ip firewall address-list add list=L address=A`: an entry, unless RouterOS would refuse it. */
function readListEntry(
  args: Map<string, string>,
  line: Line,
  family: Family,
  entries: ListEntry[],
  findings: Finding[],
): void {
  const list = args.get("list");
  const address = args.get("address");
  if (list === undefined || address === undefined) {
    return void findings.push(finding(line, "not-understood", "An address-list entry needs list= and address=."));
  }
  const r = readAddressTerm(address);
  if (!r.ok) return void findings.push(finding(line, r.kind, r.message));
  entries.push({ line, family, args, term: r.term });
}

interface Edits {
  /** Address-list entries, NAT and raw rules removed (filter rules leave the RuleOrder). */
  readonly gone: Set<object>;
  /** Comparisons `[find …]` may still make (FIND_LIMIT in all). */
  left: number;
  /**
   * Address-list entries by address (the range they stand for) and by list, built at the first address-list edit and
   * kept up to date after it: `remove [find address=A]` for each of n entries looks at one, not n. Arrays may hold
   * entries since removed or changed (swept when read; every candidate is checked against the selector).
   */
  byAddress?: Map<string, ListEntry[]>;
  byList?: Map<string, ListEntry[]>;
  /** Entries of `entries` already in the indexes. */
  indexed: number;
}

const rangeKey = (t: AddressTerm): string =>
  `${t.range.first.family} ${t.range.first.value.toString(16)} ${t.range.last.value.toString(16)}`;

function pushTo(map: Map<string, ListEntry[]>, key: string, e: ListEntry): void {
  const list = map.get(key);
  if (list) list.push(e);
  else map.set(key, [e]);
}

/**
 * The entries of the family a selector can match: through an index when it names an address or a list. `scanned`
 * counts what was looked at (every entry ever made, removed ones too, when no index applies).
 */
function listCandidates(
  entries: ListEntry[],
  edits: Edits,
  conds: readonly FindCond[],
  family: Family,
): { found: ListEntry[]; scanned: number } {
  const byAddress = (edits.byAddress ??= new Map());
  const byList = (edits.byList ??= new Map());
  for (; edits.indexed < entries.length; edits.indexed++) {
    const e = entries[edits.indexed]!;
    pushTo(byAddress, rangeKey(e.term), e);
    pushTo(byList, e.args.get("list")!, e);
  }
  let found: ListEntry[] | undefined;
  let map: Map<string, ListEntry[]> | undefined;
  let key: string | undefined;
  for (const c of conds) {
    if (c.op !== "=") continue;
    if (c.key === "address") {
      const r = readAddressTerm(c.value);
      if (!r.ok) return { found: [], scanned: 0 };
      [map, key] = [byAddress, rangeKey(r.term)];
      break;
    }
    if (c.key === "list") [map, key] = [byList, c.value];
  }
  if (map === undefined || key === undefined) found = entries;
  else {
    // Swept as read: entries removed since are dropped from the index for good.
    const live = (map.get(key) ?? []).filter((e) => !edits.gone.has(e));
    map.set(key, live);
    found = live.length > 1 ? [...new Set(live)] : live;
  }
  return { found: found.filter((e) => e.family === family && !edits.gone.has(e)), scanned: found.length };
}

type Menus = {
  readonly entries: ListEntry[];
  readonly order: RuleOrder;
  readonly nat: Rule[];
  readonly raw: Rule[];
};

/**
 * `remove`, `set`, `enable`, `disable` with a `[find …]` selector, on the items of the command's menu and family made
 * so far ("Scripting", https://help.mikrotik.com/docs/display/ROS/Scripting; `set` changes the properties it names,
 * `disable` is `set disabled=yes`). A selector not evaluated, or an address RouterOS would refuse, changes nothing and
 * says so.
 */
function applyEdit(
  st: ScriptStatement,
  line: Line,
  family: Family,
  kind: Exclude<MenuKind, "other">,
  menus: Menus,
  edits: Edits,
  findings: Finding[],
): void {
  const verb = st.verb;
  const what = kind === "address-list" ? "address-list entry" : `${kind} rule`;
  if (st.select === undefined) {
    findings.push(finding(line, "not-understood", `${verb} names no ${what} ([find …]): nothing is changed.`));
    return;
  }
  const find = readFind(st.select);
  if (!find.ok) {
    findings.push(finding(line, "not-understood", `${verb}: ${find.reason}: nothing is changed.`));
    return;
  }
  const changes = new Map(st.args);
  if (verb === "set") {
    for (const key of ["chain", "place-before"])
      if (changes.delete(key))
        findings.push(
          finding(line, "not-understood", `set ${key}= is not read: the rules keep their chain and place.`),
        );
    if (changes.size === 0) return;
  }
  let term: AddressTerm | undefined;
  const address = kind === "address-list" ? changes.get("address") : undefined;
  if (address !== undefined) {
    const r = readAddressTerm(address);
    if (!r.ok)
      return void findings.push(finding(line, r.kind, `${r.message} RouterOS refuses the set: nothing is changed.`));
    term = r.term;
  }
  type Item = { readonly args: Map<string, string>; readonly take: () => void; readonly entry?: ListEntry };
  let items: Item[];
  // What the selector looks at, charged to FIND_LIMIT: removed NAT and raw rules and list entries too.
  let scanned: number;
  if (kind === "address-list") {
    const c = listCandidates(menus.entries, edits, find.conds, family);
    items = c.found.map((e) => ({ args: e.args, take: () => edits.gone.add(e), entry: e }));
    scanned = c.scanned;
  } else if (kind === "filter") {
    items = menus.order.nodes(family).map((n) => ({ args: n.rule.args, take: () => menus.order.remove(n) }));
    scanned = items.length;
  } else {
    const rules = kind === "nat" ? menus.nat : menus.raw;
    items = rules
      .filter((r) => r.family === family && !edits.gone.has(r))
      .map((r) => ({ args: r.args, take: () => edits.gone.add(r) }));
    scanned = rules.length;
  }
  if (scanned > edits.left) {
    edits.left = 0;
    findings.push(
      finding(
        line,
        "invalid",
        `Not applied: the [find …] selectors above already compared ${FIND_LIMIT.toLocaleString("en-US")} items, the limit one paste may take; the items this command would change are read as they stand.`,
      ),
    );
    return;
  }
  edits.left -= scanned;
  const matched = items.filter((it) => findMatches(find.conds, (key) => it.args.get(key) ?? DEFAULTS[key]));
  if (matched.length === 0) {
    findings.push(finding(line, "note", `No ${what} made above matches ${st.select}: nothing is changed.`));
    return;
  }
  for (const it of matched) {
    if (verb === "remove") it.take();
    else if (verb === "enable" || verb === "disable") it.args.set("disabled", verb === "disable" ? "yes" : "no");
    else {
      for (const [k, v] of changes) it.args.set(k, v);
      const e = it.entry;
      if (e !== undefined && term !== undefined) e.term = term;
      if (e !== undefined && edits.byAddress !== undefined && edits.byList !== undefined) {
        if (term !== undefined) pushTo(edits.byAddress, rangeKey(term), e);
        if (changes.has("list")) pushTo(edits.byList, changes.get("list")!, e);
      }
    }
  }
}

/**
 * Forward when only rules met from chain forward (its own or those of the chains it jumps to) allow listed sources;
 * input otherwise.
 */
function pathKind(rules: readonly Rule[]): "input" | "forward" {
  const chains = chainsOf(rules);
  const allowsSources = (chain: string) => {
    const reached = reachedFrom(chain, chains);
    return rules.some(
      (r) =>
        reached.has(`${r.family} ${r.chain}`) &&
        FINAL.get(r.args.get("action") ?? "accept") === "allow" &&
        (r.args.has("src-address") || r.args.has("src-address-list")),
    );
  };
  return allowsSources("forward") && !allowsSources("input") ? "forward" : "input";
}

/** Filter rules by "family chain", in device order. */
function chainsOf(rules: readonly Rule[]): Map<string, Rule[]> {
  const out = new Map<string, Rule[]>();
  for (const r of rules) {
    const key = `${r.family} ${r.chain}`;
    let list = out.get(key);
    if (!list) out.set(key, (list = []));
    list.push(r);
  }
  return out;
}

/** The "family chain" keys reached from built-in chain `chain` (of either family) through jumps. */
function reachedFrom(chain: string, chains: ReadonlyMap<string, readonly Rule[]>): Set<string> {
  const seen = new Set<string>([`4 ${chain}`, `6 ${chain}`]);
  const todo = [...seen];
  while (todo.length > 0) {
    for (const r of chains.get(todo.pop()!) ?? []) {
      const target = r.args.get("jump-target");
      if (r.args.get("action") !== "jump" || target === undefined) continue;
      const key = `${r.family} ${target}`;
      if (seen.has(key)) continue;
      seen.add(key);
      todo.push(key);
    }
  }
  return seen;
}

/** Jumps followed below chain input or forward; deeper is a finding (as the iptables reader). */
const MAX_JUMP_DEPTH = 64;
/** Rules read per rule of the paste, at most, so a crafted jump fan-out stays linear instead of exponential. */
const JUMP_BUDGET_FACTOR = 20;

/**
 * Chains input and forward (their context slots), each read in device order with the chains they jump to inlined;
 * rules of chains that neither reaches are noted.
 */
function walkFilter(rules: readonly Rule[], rd: RuleReading): void {
  const exits = new Map<string, Cond[]>();
  const reached = new Set([...reachedFrom("input", rd.chains), ...reachedFrom("forward", rd.chains)]);
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i]!;
    const ctx = r.chain === "input" ? rd.slots.input : r.chain === "forward" ? rd.slots.forward : -1;
    if (ctx >= 0) {
      const key = `${r.family} ${r.chain}`;
      let out = exits.get(key);
      if (!out) exits.set(key, (out = []));
      if (--rd.budget.left >= 0)
        readRule(r, rd, { ctx, guard: ANY_COND, exits: out, stack: [r.chain], chains: rd.chains });
      else if (rd.budget.left === -1)
        rd.findings.push(finding(r.line, "note", "Too many nested jumps: the rest of the rules are not read."));
      continue;
    }
    if (reached.has(`${r.family} ${r.chain}`) || !FINAL.has(r.args.get("action") ?? "accept")) continue;
    rd.findings.push(
      finding(
        r.line,
        "note",
        `Chain "${r.chain}" is not reached from chain input or forward (no jump from them leads to it): not read.`,
      ),
    );
  }
}

/** Where a rule is read: its context, the jumps' conditions ANDed, what earlier returns took, the chains on the way. */
interface Place {
  readonly ctx: number;
  readonly guard: Cond;
  readonly exits: Cond[];
  readonly stack: readonly string[];
  /** The chains of the table being walked (filter or raw), by "family chain". */
  readonly chains: ReadonlyMap<string, readonly Rule[]>;
}

/**
 * Raw chain prerouting (its context slot), in order, with the raw chains it jumps to inlined; rules of raw chains it does
 * not reach are noted.
 */
function walkRaw(raw: readonly Rule[], rd: RuleReading): void {
  const chains = chainsOf(raw);
  const reached = reachedFrom("prerouting", chains);
  const exits = new Map<string, Cond[]>();
  for (const r of raw) {
    if (r.chain === "prerouting") {
      let out = exits.get(`${r.family}`);
      if (!out) exits.set(`${r.family}`, (out = []));
      if (--rd.budget.left >= 0)
        readRule(r, rd, { ctx: rd.slots.raw, guard: ANY_COND, exits: out, stack: [r.chain], chains });
      else if (rd.budget.left === -1)
        rd.findings.push(finding(r.line, "note", "Too many nested jumps: the rest of the rules are not read."));
      continue;
    }
    if (reached.has(`${r.family} ${r.chain}`) || !FINAL.has(r.args.get("action") ?? "accept")) continue;
    rd.findings.push(
      finding(
        r.line,
        "note",
        `Raw chain "${r.chain}" is not reached from chain prerouting (no jump from it leads to it): not read.`,
      ),
    );
  }
}

/** A finding once per line and message (a chain reached by several jumps is read at each). */
function reportOnce(rd: RuleReading, line: Line, kind: Finding["kind"], message: string): void {
  const key = `${line.n} ${message}`;
  if (rd.reported.has(key)) return;
  rd.reported.add(key);
  rd.findings.push(finding(line, kind, message));
}

/** `action=jump`: the target chain's rules read here, under the jump's conditions; `action=return`: an exit. */
function readJumpOrReturn(r: Rule, action: string, rd: RuleReading, at: Place): void {
  const own = ruleCond(r, rd);
  if (own === undefined) return;
  const joined = andCond(at.guard, own);
  if (joined === undefined) return;
  const pieces = minusExits([joined], at.exits, [r.family], r.line);
  if (action === "return") {
    for (const p of pieces) {
      if (p.unmet !== undefined) continue;
      if (p.unsure !== undefined) {
        reportOnce(rd, r.line, "note", `This return depends on ${p.unsure}: read as if it did not return.`);
        continue;
      }
      at.exits.push(p);
    }
    return;
  }
  const target = r.args.get("jump-target");
  if (target === undefined || target === "")
    return reportOnce(rd, r.line, "invalid", "action=jump needs jump-target=: the rule is not read.");
  const chain = at.chains.get(`${r.family} ${target}`);
  if (chain === undefined)
    return reportOnce(
      rd,
      r.line,
      "undefined-reference",
      `Chain "${target}" has no rules in this paste (for IPv${r.family}): the jump returns at once.`,
    );
  if (at.stack.includes(target))
    return reportOnce(
      rd,
      r.line,
      "reference-loop",
      `Chain "${target}" jumps back to itself through ${[...at.stack, target].join(" → ")}: the jump is not followed.`,
    );
  if (at.stack.length > MAX_JUMP_DEPTH)
    return reportOnce(
      rd,
      r.line,
      "not-understood",
      `Jumps nested more than ${MAX_JUMP_DEPTH} deep: chain "${target}" is not read from here.`,
    );
  const stack = [...at.stack, target];
  for (const p of pieces) {
    // A jump a new inbound connection cannot take: the rules of its chain are read as never met from here.
    const guard: Cond =
      p.unmet !== undefined
        ? { ...p, unmet: `reached only through the jump at line ${r.line.n} (${p.unmet})` }
        : p.unsure !== undefined && !p.unsure.startsWith("reached only through")
          ? { ...p, unsure: `reached only through the jump at line ${r.line.n} (${p.unsure})` }
          : p;
    const exits: Cond[] = [];
    for (const rule of chain) {
      if (--rd.budget.left < 0) {
        if (rd.budget.left === -1)
          rd.findings.push(finding(rule.line, "note", "Too many nested jumps: the rest of the rules are not read."));
        return;
      }
      readRule(rule, rd, { ctx: at.ctx, guard, exits, stack, chains: at.chains });
    }
  }
}

/** The index of each context in the path (-1: not there): the order a packet crosses them. */
interface ContextSlots {
  readonly raw: number;
  readonly dstnat: number;
  readonly input: number;
  readonly forward: number;
}

interface RuleReading {
  readonly slots: ContextSlots;
  readonly lists: Lists;
  readonly findings: Finding[];
  readonly entries: Entry[];
  readonly assumptions: string[];
  readonly ingress: string | undefined;
  readonly kind: "input" | "forward";
  /** The service's port (the question's P). */
  readonly port: number;
  /** dst-port texts read so far: one list shared by every rule writing it (lists are never changed in place). */
  readonly portLists?: Map<string, PortRange[] | undefined>;
  /**
   * Address-list members the rules may still take (MAX_EXPANSION in all): each rule naming a list takes all of it,
   * so a 3,000-address list named by 3,000 rules made 9 million entries.
   */
  expansion?: { left: number };
  /** Filter rules by "family chain": where jumps lead. */
  readonly chains: ReadonlyMap<string, readonly Rule[]>;
  /** Rules the walk may still read (JUMP_BUDGET_FACTOR per rule of the paste). */
  readonly budget: { left: number };
  /** Findings already made on a line (a chain reached by several jumps is read at each). */
  readonly reported: Set<string>;
}

/**
 * One rule where the walk reads it: a final action gives one entry per source (under the jumps' conditions, less what
 * earlier returns took); a jump reads its chain here; a return takes what it matches back to the caller; passthrough,
 * log, add-src-to-address-list, fasttrack-connection (established connections only) … decide nothing.
 */
function readRule(r: Rule, rd: RuleReading, at: Place): void {
  const a = r.args.get("action") ?? "accept";
  const action = FINAL.get(a);
  if (action === undefined) {
    if (a === "jump" || a === "return") readJumpOrReturn(r, a, rd, at);
    return;
  }
  const own = ruleCond(r, rd);
  if (own === undefined) return;
  const joined = andCond(at.guard, own);
  if (joined === undefined) return;
  const pieces = at.exits.length === 0 ? [joined] : minusExits([joined], at.exits, [r.family], r.line);
  const comment = r.args.get("comment");
  // icmp-options=TYPE:CODE: read as met (no TCP connection meets an ICMP rule anyway), it tells rules apart: two
  // accepts of other ICMP types are not duplicates.
  const icmp = r.args.get("icmp-options");
  const qualifier = icmp === undefined ? undefined : `icmp-options=${icmp}`;
  // dst-address (not negated): the diff reads a rule only to published NAT IPs as never met (Entry.destination).
  const dst = r.args.get("dst-address");
  const dstTerm = dst !== undefined && !dst.startsWith("!") ? readAddressTerm(dst) : undefined;
  const destination = dstTerm?.ok ? destinationOf(dstTerm.term) : undefined;
  for (let k = 0; k < pieces.length; k++) {
    const p = pieces[k]!;
    // A condition that holds only sometimes: an accept under it is not counted, a drop is read as matching.
    const unmet = p.unmet ?? (action === "allow" ? p.unsure : undefined);
    const protocol = p.protos?.[0];
    const sources = p.sources ?? anySources([r.family], "any").map((term) => ({ term, line: r.line, via: NO_VIA }));
    for (let i = 0; i < sources.length; i++) {
      const s = sources[i]!;
      rd.entries.push(
        pathEntry(s.line, s.term, {
          action,
          direction: "in",
          protocol,
          ports: p.ports,
          via: s.via.length > 0 ? s.via : undefined,
          ruleLine: r.line.n,
          comment,
          context: at.ctx,
          unmet,
          qualifier,
          destination,
        }),
      );
    }
  }
}

const NO_VIA: readonly string[] = Object.freeze([]);

/**
 * A rule's own conditions for a new inbound TCP connection: sources (undefined: any), protocol, ports, what it cannot
 * meet (`unmet`) and what holds only sometimes (`unsure`). Undefined when the rule is not read (a finding says why).
 */
function ruleCond(r: Rule, rd: RuleReading): Cond | undefined {
  const { findings } = rd;
  const protocol = r.args.get("protocol");
  const anyPort = r.args.get("port");
  const byPort = portCondition(anyPort, rd.port);
  const unmet =
    unmetOf(r, rd.ingress, rd.kind, rd.assumptions) ??
    negatedProtocol(protocol) ??
    (byPort === "unmet"
      ? `only port=${anyPort} (neither the service's port nor a new connection's ephemeral source port)`
      : undefined);
  const some = sometimes(r.args);
  const unsure = (byPort === "sometimes" ? [...(some ?? []), `only from source port ${anyPort}`] : some)?.join("; ");
  let ports: PortRange[] | undefined;
  const dport = r.args.get("dst-port");
  if (dport !== undefined) {
    if (dport.startsWith("!")) {
      return void findings.push(
        finding(
          r.line,
          "negation",
          `dst-port=${dport} (every port but these) is not read exactly: the rule is not read.`,
        ),
      );
    }
    const known = rd.portLists?.get(dport);
    ports = known ?? readPortList(dport);
    if (known === undefined && ports !== undefined && rd.portLists !== undefined && rd.portLists.size < 4096)
      rd.portLists.set(dport, ports);
    if (!ports) return void findings.push(finding(r.line, "invalid", `"${dport}" is not a port list.`));
  }
  // port=LIST holding the service's port: read as its destination ports (the source port matching is chance).
  if (ports === undefined && byPort === "met" && anyPort !== undefined && !anyPort.startsWith("!"))
    ports = readPortList(anyPort);
  let sources: Source[] | undefined;
  if (r.args.has("src-address") || r.args.has("src-address-list")) {
    sources = sourcesOf(r, rd.lists, findings, rd.expansion);
    if (!sources) return undefined;
  }
  const proto =
    protocol === undefined || protocol === "" || protocol.startsWith("!")
      ? undefined
      : protocol.toLowerCase() === "6"
        ? "tcp"
        : protocol.toLowerCase();
  const cond: { -readonly [K in keyof Cond]: Cond[K] } = { family: r.family };
  if (sources !== undefined) cond.sources = sources;
  if (proto !== undefined) cond.protos = onlyProtocol(proto);
  if (ports !== undefined) cond.ports = ports;
  if (unmet !== undefined) cond.unmet = unmet;
  if (unsure !== undefined) cond.unsure = unsure;
  return cond;
}

/**
 * Conditions that hold only at some times or for some packets (https://help.mikrotik.com/docs/display/ROS/Filter:
 * time, limit, dst-limit, nth, random, per-connection-classifier; src-mac-address, which for a sender on the Internet
 * is the upstream router's): an accept under them is not counted as coverage, a drop is read as matching.
 */
function sometimes(a: ReadonlyMap<string, string>): string[] | undefined {
  // The list is made only when a rule has one of these (most have none).
  let out: string[] | undefined;
  for (let k = 0; k < SOMETIMES.length; k++) {
    const key = SOMETIMES[k]!;
    if (a.has(key)) (out ??= []).push(`only when ${key}=${a.get(key)}`);
  }
  return out;
}
const SOMETIMES = ["time", "limit", "dst-limit", "nth", "random", "per-connection-classifier", "src-mac-address"];

/** `protocol=!udp` matches TCP; `protocol=!tcp` never does. */
function negatedProtocol(protocol: string | undefined): string | undefined {
  if (protocol === undefined || !protocol.startsWith("!")) return undefined;
  return /^!(?:tcp|6)$/i.test(protocol) ? `only protocols other than TCP (protocol=${protocol})` : undefined;
}

const LOOPBACK_OR_GROUP = /^(?:127\.|22[4-9]\.|23\d\.|255\.255\.255\.255|::1(?:\/128)?$|ff[0-9a-f]{2}:)/i;

/**
 * dst-address, dst-address-list, dst-address-type and src-address-type: the conditions on where the connection goes
 * (the service's address, which the paste does not say) and on the kind of sender
 * (https://help.mikrotik.com/docs/display/ROS/Filter, properties). Loopback, multicast and broadcast destinations and
 * a local sender never hold a webhook; other destinations are assumed to be the service's.
 */
function unmetByDestination(
  a: ReadonlyMap<string, string>,
  kind: "input" | "forward",
  assumptions: string[],
): string | undefined {
  const dst = a.get("dst-address");
  if (dst !== undefined) {
    const negated = dst.startsWith("!");
    const loop = LOOPBACK_OR_GROUP.test(dst.replace(/^!/, ""));
    if (loop && !negated) return `only to dst-address=${dst} (loopback, multicast or broadcast)`;
    if (!loop)
      assumptions.push(`dst-address=${dst} is assumed to ${negated ? "exclude" : "hold"} the service's address`);
  }
  const dstList = a.get("dst-address-list");
  if (dstList !== undefined)
    assumptions.push(
      `dst-address-list=${dstList} is assumed to ${dstList.startsWith("!") ? "exclude" : "hold"} the service's address`,
    );
  const dstType = a.get("dst-address-type");
  if (dstType !== undefined) {
    const negated = dstType.startsWith("!");
    const types = dstType.replace(/^!/, "").split(",");
    // The webhook goes to a unicast address: the router's own (local) on input, a host behind it on forward.
    const is = (t: string) => t === "unicast" || (t === "local" && kind === "input");
    if (types.some(is) === negated) return `only when dst-address-type=${dstType}`;
  }
  const srcType = a.get("src-address-type");
  if (srcType !== undefined) {
    const negated = srcType.startsWith("!");
    // The vendor's address is a unicast address of another host.
    if (srcType.replace(/^!/, "").split(",").includes("unicast") === negated)
      return `only when src-address-type=${srcType}`;
  }
  return undefined;
}

/** A dst-nat rule for the port: the sources it forwards (its own conditions as for a filter rule, on the router's address). */
function readForward(r: Rule, rd: RuleReading, context: number): void {
  // Before the translation the destination is the router's own address (dst-address-type=local holds).
  const unmet = unmetOf(r, rd.ingress, "input", rd.assumptions) ?? conditionalUnmet("allow", sometimes(r.args));
  const sources = sourcesOf(r, rd.lists, rd.findings, rd.expansion);
  if (!sources) return;
  const dport = r.args.get("dst-port");
  const ports = dport === undefined || dport.startsWith("!") ? undefined : readPortList(dport);
  for (const s of sources)
    rd.entries.push(
      pathEntry(s.line, s.term, {
        action: "allow",
        direction: "in",
        protocol: "tcp",
        ports,
        via: s.via,
        ruleLine: r.line.n,
        comment: r.args.get("comment"),
        context,
        unmet,
      }),
    );
}

/**
 * Whether a SYN (SYN alone) meets `tcp-flags=LIST`: every flag listed must be set, every `!flag` clear. Read as "all
 * of them", as RouterOS's own advanced firewall ("Building Advanced Firewall", chain bad_tcp:
 * https://help.mikrotik.com/docs/display/ROS/Building+Advanced+Firewall) drops tcp-flags=fin,syn and
 * tcp-flags=!fin,!syn,!rst,!ack as invalid packets, which would drop every SYN were any one flag enough.
 */
function synMatches(flags: string): boolean {
  return flags.split(",").every((f) => (f.replace(/^!/, "").toLowerCase() === "syn") !== f.startsWith("!"));
}

/**
 * `port=LIST` matches when the source or the destination port is in the list
 * (https://help.mikrotik.com/docs/display/ROS/Filter): met when it holds the service's port; never when every port in
 * it is below 1024 (a new connection's source port is ephemeral); otherwise only for some source ports.
 */
function portCondition(text: string | undefined, port: number): "met" | "unmet" | "sometimes" {
  if (text === undefined || text.startsWith("!")) return "met";
  const ports = readPortList(text);
  if (ports === undefined || ports.some((p) => p.from <= port && port <= p.to)) return "met";
  return ports.every((p) => p.to < 1024) ? "unmet" : "sometimes";
}

/** Why a new inbound connection from the Internet cannot meet the rule, or undefined. */
function unmetOf(
  r: Rule,
  ingress: string | undefined,
  kind: "input" | "forward",
  assumptions: string[],
): string | undefined {
  const a = r.args;
  if (a.get("disabled") === "yes") return "the rule is disabled";
  const byDestination = unmetByDestination(a, kind, assumptions);
  if (byDestination !== undefined) return byDestination;
  const nat = a.get("connection-nat-state");
  if (nat !== undefined) {
    // A service behind the router is reached through a port forward (dst-nat); the router itself is not.
    const negated = nat.startsWith("!");
    const dstnat = nat.replace(/^!/, "").split(",").includes("dstnat");
    if (kind === "forward")
      assumptions.push("connections to the service behind the router are port-forwarded (dst-nat)");
    const forwarded = kind === "forward";
    if (dstnat && negated === forwarded) return `only when connection-nat-state=${nat}`;
  }
  const state = a.get("connection-state");
  if (state !== undefined) {
    const negated = state.startsWith("!");
    const states = state.replace(/^!/, "").split(",");
    if (negated ? states.includes("new") : !states.includes("new")) return `only connection-state=${state}`;
  }
  const flags = a.get("tcp-flags");
  if (flags !== undefined && !synMatches(flags))
    return `only tcp-flags=${flags} (a new connection's first packet has SYN alone)`;
  if (a.has("src-port"))
    return `only from source port ${a.get("src-port")} (a new connection comes from an ephemeral port)`;
  // ipsec-policy=in,ipsec: only packets IPsec decrypted; out,ipsec: only packets an IPsec policy will encapsulate
  // (RouterOS's defconf "accept out ipsec policy" in forward). A webhook is neither (…,none matches it).
  const ipsec = /^(in|out),ipsec$/.exec(a.get("ipsec-policy") ?? "");
  if (ipsec !== null)
    return ipsec[1] === "in"
      ? "only for IPsec-decrypted traffic"
      : "only for traffic an IPsec policy will encapsulate (ipsec-policy=out,ipsec), not a plain connection from the Internet";
  for (const key of ["in-interface", "in-interface-list"] as const) {
    const v = a.get(key);
    if (v === undefined) continue;
    const negated = v.startsWith("!");
    const name = v.replace(/^!/, "");
    if (ingress !== undefined) {
      if ((name === ingress) === negated) return `only when ${key}=${v}, and the Internet side is ${ingress}`;
      continue;
    }
    // Without --ingress: the names RouterOS's default configuration uses (WAN list, ether1) face the Internet.
    const wan = /^(?:wan|ether1|pppoe-out\d*|internet|outside|uplink)$/i.test(name);
    const lan = /^(?:lan|bridge\d*|local|inside)$/i.test(name);
    if ((lan && !negated) || (wan && negated)) return `only when ${key}=${v} (not the Internet side)`;
    if (!wan && !lan) assumptions.push(`${key}=${name} is assumed to face the Internet`);
  }
  return undefined;
}

function sourcesOf(
  r: Rule,
  lists: ReadonlyMap<string, { term: AddressTerm; line: Line }[]>,
  findings: Finding[],
  expansion: { left: number } = { left: MAX_EXPANSION },
): Source[] | undefined {
  const src = r.args.get("src-address");
  const list = r.args.get("src-address-list");
  if (src !== undefined && list !== undefined) {
    findings.push(finding(r.line, "not-understood", "A rule with both src-address and src-address-list is not read."));
    return undefined;
  }
  if (src !== undefined) {
    const negated = src.startsWith("!");
    const read = readAddressTerm(src.replace(/^!/, ""));
    if (!read.ok) {
      findings.push(finding(r.line, read.kind, read.message));
      return undefined;
    }
    if (!negated) return [{ term: read.term, line: r.line, via: NO_VIA }];
    return complementTerms([read.term.range], r.family, src.slice(1)).map((term) => ({
      term,
      line: r.line,
      via: NO_VIA,
    }));
  }
  if (list !== undefined) {
    const negated = list.startsWith("!");
    const name = list.replace(/^!/, "");
    const members = lists.get(`${r.family} ${name}`);
    if (!members) {
      findings.push(
        finding(
          r.line,
          "undefined-reference",
          `Address list "${name}" is not defined in this paste (for IPv${r.family}).`,
        ),
      );
      return negated ? anySources([r.family], list).map((term) => ({ term, line: r.line, via: NO_VIA })) : undefined;
    }
    if (members.length > expansion.left) {
      expansion.left = 0;
      findings.push(
        finding(
          r.line,
          "not-understood",
          `Address list "${name}" is not expanded here: the rules above already took ${MAX_EXPANSION.toLocaleString("en-US")} list members, the most this reader follows. The rule is not read.`,
        ),
      );
      return undefined;
    }
    expansion.left -= members.length;
    if (!negated) {
      const via = [name];
      return members.map((m) => ({ term: m.term, line: m.line, via }));
    }
    return complementTerms(
      members.map((m) => m.term.range),
      r.family,
      name,
    ).map((term) => ({ term, line: r.line, via: NO_VIA }));
  }
  return anySources([r.family], "any").map((term) => ({ term, line: r.line, via: NO_VIA }));
}

export const mikrotikParser: Parser = {
  id: "mikrotik",
  label: "MikroTik RouterOS (/ip firewall export)",
  detect(text: string): number {
    const head = detectHead(text);
    if (/^\/ip(?:v6)? firewall (?:filter|address-list|raw|nat|mangle)\s*$/m.test(head)) return 0.97;
    if (/^# .*by RouterOS /m.test(head)) return 0.9;
    if (/^add (?:action=\S+ )?chain=(?:input|forward|output)\b/m.test(head)) return 0.85;
    return 0;
  },
  parse: parseMikrotik,
};
