/**
 * Check Point (R80+ management API): scripts of `mgmt_cli` commands (our export: hosts, networks, address ranges,
 * groups, TCP/UDP services, access rules with their positions) and `mgmt_cli show access-rulebase … --format json`
 * output (rules with the objects-dictionary).
 *
 * Semantics (Check Point Management API reference, https://sc1.checkpoint.com/documents/latest/APIs/ — add host,
 * add network, add group, add access-rule "position", show access-rulebase): an access layer is evaluated top down
 * and the first matching rule decides; a connection no rule matches is dropped (the implicit cleanup). Disabled
 * rules do nothing; "Negate" cells match everything except their objects.
 */
import type { Action, Entry, Finding, ParseOutput, Parser, PortRange } from "../types";
import { IPSet, makePrefix, parseAddress, parseRange } from "../../ip";
import {
  type AddressTerm,
  type Line,
  ObjectTable,
  type Resolved,
  SERVICE_PORTS,
  countLines,
  finding,
  parsePortRange,
  prefixTerm,
  splitLines,
} from "./common";
import { anySources, pathEntry } from "./hostcommon";
import { type JNode, field, items, looksLikeJson, num, readJson, str } from "./jsonloc";
import { complementTerms, detectHead } from "./linuxcommon";
import { type Item as RulebaseItem, Rulebase } from "./checkpoint-order";
import { lineAt, shCommands } from "./checkpoint-sh";

interface Service {
  readonly protocol?: string;
  readonly ports?: readonly PortRange[];
}

interface AccessRule {
  readonly line: Line;
  readonly name: string;
  /** The access layer the rule sits in ("" when not said). */
  readonly layer: string;
  sources: { name: string; line: Line }[];
  services: { name: string; line: Line }[];
  action: Action | undefined;
  /** The action as written, for the finding when it is neither Accept nor Drop/Reject. */
  actionWord: string;
  enabled: boolean;
  negate: boolean;
  serviceNegate: boolean;
  /** Time objects other than Any: the rule applies only then. */
  time: string[];
  /** VPN communities other than Any: the rule matches only connections through them. */
  vpn: string[];
  /** The inline layer the rule hands its connections to (action Apply Layer / "Inner Layer"). */
  inline?: string;
}

/** A rule, or the head of an access section (rules can be placed at its top or bottom). */
type Item = RulebaseItem<AccessRule>;

/** Predefined services a rule may name without defining them. */
const PREDEFINED: Readonly<Record<string, Service>> = Object.fromEntries(
  Object.entries(SERVICE_PORTS).map(([k, v]) => [k, { protocol: "tcp", ports: [v] }]),
);

function readPorts(text: string): PortRange[] | undefined {
  const t = text.trim();
  const gt = /^>\s*(\d{1,5})$/.exec(t);
  if (gt) return Number(gt[1]) < 65535 ? [{ from: Number(gt[1]) + 1, to: 65535 }] : undefined;
  const lt = /^<\s*(\d{1,5})$/.exec(t);
  if (lt) return Number(lt[1]) > 0 ? [{ from: 0, to: Number(lt[1]) - 1 }] : undefined;
  const r = parsePortRange(t);
  return r ? [r] : undefined;
}

/** UserCheck actions: a page asks the user (Ask) or tells them (Inform) before the connection goes on. */
const USERCHECK_ACTION = /^(?:ask|inform)$/i;

/** The action of a rule whose matching connections an inline layer decides (SmartConsole "Inline Layer"). */
const INLINE_ACTION = /^(?:apply layer|inner layer|inline layer)$/i;

function actionOf(word: string): Action | undefined {
  const w = word.toLowerCase();
  if (w === "accept" || w === "allow") return "allow";
  if (w === "drop" || w === "reject") return "deny";
  return undefined;
}

interface State {
  readonly findings: Finding[];
  readonly addrs: ObjectTable<AddressTerm>;
  readonly services: Map<string, Service>;
  /** Service groups: lower-cased name → member names. */
  readonly serviceGroups: Map<string, string[]>;
  /** Groups with exclusion: lower-cased name → the group included and the group excepted. */
  readonly exclusions: Map<string, { readonly include: string; readonly except: string; readonly line: Line }>;
  /** Access roles (lower-cased names): they match identified users and machines only. */
  readonly roles: Set<string>;
  /** Rules and section heads in rulebase order. */
  readonly items: Rulebase<AccessRule>;
  /**
   * The items by name (a rule's or a section's), so that `set`, `delete` and `position.above|below` find theirs
   * without a pass over the rulebase each: 20,000 adds then 20,000 sets took 104 s.
   */
  readonly byName: Map<string, Item[]>;
  readonly rules: AccessRule[];
}

const itemName = (it: Item): string => ("rule" in it ? it.rule.name : it.section);

function addItem(st: State, at: number, item: Item): void {
  st.items.insert(at, item);
  const named = st.byName.get(itemName(item));
  if (named) named.push(item);
  else st.byName.set(itemName(item), [item]);
}

function removeItem(st: State, item: Item): void {
  st.items.remove(item);
  const named = st.byName.get(itemName(item));
  if (named) named.splice(named.indexOf(item), 1);
}

/** The place in rulebase order of the first item called `name` that `accept`s (all by default), or -1. */
function firstNamed(st: State, name: string, accept: (it: Item) => boolean = () => true): number {
  let first = -1;
  for (const it of st.byName.get(name) ?? []) {
    if (!accept(it)) continue;
    // A few candidates, each placed through the chunk that holds it.
    const at = st.items.indexOf(it);
    if (at >= 0 && (first < 0 || at < first)) first = at;
  }
  return first;
}

function addressOf(st: State, line: Line, kv: Map<string, string>): AddressTerm | undefined {
  const host = kv.get("ip-address") ?? kv.get("ipv4-address") ?? kv.get("ipv6-address");
  if (host !== undefined) {
    const a = parseAddress(host);
    if (!a.ok) {
      st.findings.push(finding(line, "invalid", `"${host}": ${a.error.message}.`));
      return undefined;
    }
    return prefixTerm(host, makePrefix(a.value, a.value.family === 4 ? 32 : 128), "address");
  }
  const subnet = kv.get("subnet4") ?? kv.get("subnet6") ?? kv.get("subnet");
  if (subnet !== undefined) {
    const len = kv.get("mask-length4") ?? kv.get("mask-length6") ?? kv.get("mask-length");
    const a = parseAddress(subnet);
    const bits = Number(len);
    if (!a.ok || !Number.isInteger(bits) || bits < 0 || bits > (a.value.family === 4 ? 32 : 128)) {
      st.findings.push(finding(line, "invalid", `"${subnet}/${len ?? ""}" is not a network.`));
      return undefined;
    }
    return prefixTerm(`${subnet}/${bits}`, makePrefix(a.value, bits));
  }
  const first = kv.get("ip-address-first") ?? kv.get("ipv4-address-first") ?? kv.get("ipv6-address-first");
  const last = kv.get("ip-address-last") ?? kv.get("ipv4-address-last") ?? kv.get("ipv6-address-last");
  if (first !== undefined && last !== undefined) {
    const r = parseRange(`${first}-${last}`);
    if (!r.ok) {
      st.findings.push(finding(line, "invalid", `"${first}-${last}": ${r.error.message}.`));
      return undefined;
    }
    return { token: `${first}-${last}`, range: r.value, kind: "range" };
  }
  st.findings.push(finding(line, "not-understood", "The object has no address, network or range."));
  return undefined;
}

/** "groups.1 G", "members.add X", "source.2 Y" → the values of a list-valued key. */
function listValues(kv: Map<string, string>, key: string): string[] {
  const out: string[] = [];
  for (const [k, v] of kv) if (k === key || k.startsWith(`${key}.`)) out.push(v);
  return out;
}

function runMgmtCli(st: State, line: Line, words: readonly string[]): void {
  const verb = words[0] ?? "";
  const type = words[1] ?? "";
  const kv = new Map<string, string>();
  for (let i = 2; i < words.length; i++) {
    const k = words[i]!;
    if (k.startsWith("-")) {
      i++; // -s sid.txt, --format json …
      continue;
    }
    kv.set(k, words[i + 1] ?? "");
    i++;
  }
  const name = kv.get("name") ?? "";
  if (verb === "add" && (type === "host" || type === "network" || type === "address-range")) {
    const term = addressOf(st, line, kv);
    if (!term) return;
    st.addrs.addMember(name, { value: term, line }, line);
    for (const g of listValues(kv, "groups")) st.addrs.addMember(g, { ref: name, line }, line);
  } else if ((verb === "add" || verb === "set") && type === "group") {
    if (!st.addrs.has(name)) st.addrs.define(name, { line, members: [] });
    // "members.1 X", "members.add X": every key under members.
    for (const m of listValues(kv, "members")) st.addrs.addMember(name, { ref: m, line }, line);
  } else if (verb === "add" && (type === "service-tcp" || type === "service-udp")) {
    const ports = readPorts(kv.get("port") ?? "");
    if (!ports) st.findings.push(finding(line, "invalid", `"${kv.get("port") ?? ""}" is not a port or range.`));
    else st.services.set(name.toLowerCase(), { protocol: type.slice(8), ports });
  } else if (verb === "add" && type === "access-role") {
    st.roles.add(name.toLowerCase());
  } else if ((verb === "add" || verb === "set") && type === "group-with-exclusion") {
    const old = st.exclusions.get(name.toLowerCase());
    st.exclusions.set(name.toLowerCase(), {
      include: kv.get("include") ?? old?.include ?? "",
      except: kv.get("except") ?? old?.except ?? "",
      line,
    });
  } else if ((verb === "add" || verb === "set") && type === "service-group") {
    const members = st.serviceGroups.get(name.toLowerCase()) ?? [];
    for (const m of listValues(kv, "members")) members.push(m);
    st.serviceGroups.set(name.toLowerCase(), members);
  } else if (verb === "add" && type === "access-section") {
    placeItem(st, { section: name }, kv, line);
  } else if (verb === "add" && type === "access-rule") {
    const rule: AccessRule = {
      line,
      name,
      layer: kv.get("layer") ?? "",
      sources: [],
      services: [],
      action: undefined,
      actionWord: "Drop",
      enabled: true,
      negate: false,
      serviceNegate: false,
      time: [],
      vpn: [],
    };
    applyRuleFields(rule, kv, line);
    placeItem(st, { rule }, kv, line);
  } else if (verb === "set" && type === "access-rule") {
    const rule = findRule(st, kv);
    if (rule) applyRuleFields(rule.rule, kv, line);
    else
      st.findings.push(
        finding(
          line,
          "undefined-reference",
          `Rule "${name || kv.get("rule-number") || ""}" is not defined in this paste: this change is not read.`,
        ),
      );
  } else if (verb === "delete" && type === "access-rule") {
    const rule = findRule(st, kv);
    if (rule) removeItem(st, rule);
    else st.findings.push(finding(line, "undefined-reference", `Rule "${name}" is not defined in this paste.`));
  } else if (
    !["login", "logout", "publish", "discard", "install-policy", "show"].includes(verb) &&
    !(verb === "set" && /^(?:session|package|access-layer|gateway|simple-gateway)$/.test(type))
  ) {
    st.findings.push(finding(line, "not-understood", `"mgmt_cli ${verb} ${type}" is not read.`));
  }
}

/**
 * Reads the fields of `add|set access-rule` (Management API reference, "add access-rule": source, service, action,
 * enabled, source-negate, service-negate, time; "set access-rule" changes the named fields of an existing rule).
 */
function applyRuleFields(rule: AccessRule, kv: Map<string, string>, line: Line): void {
  const has = (key: string) => [...kv.keys()].some((k) => k === key || k.startsWith(`${key}.`));
  if (has("source")) rule.sources = listValues(kv, "source").map((n) => ({ name: n, line }));
  if (has("service")) rule.services = listValues(kv, "service").map((n) => ({ name: n, line }));
  const action = kv.get("action");
  if (action !== undefined || rule.action === undefined) {
    rule.actionWord = action ?? rule.actionWord;
    rule.action = actionOf(rule.actionWord);
  }
  if (kv.has("enabled")) rule.enabled = kv.get("enabled")!.toLowerCase() !== "false";
  if (kv.has("source-negate")) rule.negate = kv.get("source-negate")!.toLowerCase() === "true";
  if (kv.has("service-negate")) rule.serviceNegate = kv.get("service-negate")!.toLowerCase() === "true";
  if (has("time")) rule.time = listValues(kv, "time").filter((t) => t.toLowerCase() !== "any");
  if (has("vpn")) rule.vpn = listValues(kv, "vpn").filter((t) => t.toLowerCase() !== "any");
  if (kv.has("inline-layer")) rule.inline = kv.get("inline-layer");
}

/** The rule a `set|delete access-rule` names: by name (or uid), else by rule-number, in its layer when said. */
function findRule(st: State, kv: Map<string, string>): { readonly rule: AccessRule } | undefined {
  const layer = kv.get("layer");
  const inLayer = (it: Item): it is { readonly rule: AccessRule } =>
    "rule" in it && (layer === undefined || sameLayer(it.rule.layer, layer));
  const name = kv.get("name");
  if (name !== undefined) {
    const at = firstNamed(st, name, inLayer);
    return at < 0 ? undefined : (st.items.at(at) as { readonly rule: AccessRule });
  }
  // Rule number N of the layer: counted by the chunks' rules of that layer, then in one chunk.
  const at = st.items.nthRule(Number(kv.get("rule-number")), layer, inLayer);
  return at < 0 ? undefined : (st.items.at(at) as { readonly rule: AccessRule });
}

function sameLayer(a: string, b: string): boolean {
  return a === "" || b === "" || a.toLowerCase() === b.toLowerCase();
}

/**
 * Places a rule or section head as `position` says: top, bottom, a rule number (counting rules only), or
 * `position.above|below RULE-or-SECTION`, `position.top|bottom SECTION` (Management API reference, "add access-rule").
 */
function placeItem(st: State, item: Item, kv: Map<string, string>, line: Line): void {
  const { items } = st;
  const pos = (kv.get("position") ?? "").toLowerCase();
  const named = (n: string) => firstNamed(st, n);
  const sectionEnd = (at: number) => items.sectionAfter(at);
  let at = items.length;
  if (pos === "top") at = 0;
  else if (/^\d+$/.test(pos)) {
    // Rule number N: before the rule now numbered N (or at the end).
    at = items.nthRule(Number(pos), undefined, (it) => "rule" in it);
    if (at < 0) at = items.length;
  } else if (
    pos === "bottom" ||
    (pos === "" &&
      !kv.has("position.above") &&
      !kv.has("position.below") &&
      !kv.has("position.top") &&
      !kv.has("position.bottom"))
  )
    at = items.length;
  else {
    const rel = [...kv.keys()].find((k) => /^position\.(?:above|below|top|bottom)$/.test(k));
    const target = rel === undefined ? -1 : named(kv.get(rel)!);
    if (rel === undefined || target < 0) {
      st.findings.push(
        finding(
          line,
          "not-understood",
          `The position "${rel === undefined ? pos : `${rel} ${kv.get(rel)}`}" names no rule or section of this paste: placed at the bottom.`,
        ),
      );
    } else if (rel === "position.above") at = target;
    else if (rel === "position.below") at = "rule" in items.at(target)! ? target + 1 : sectionEnd(target);
    else if (rel === "position.top") at = target + 1;
    else at = sectionEnd(target);
  }
  addItem(st, at, item);
}

function readRulebaseJson(st: State, root: JNode, lines: readonly Line[]): void {
  const lineOf = (n: number): Line => lines[n - 1] ?? { n, text: "" };
  const dict = new Map<string, JNode>();
  for (const o of items(field(root, "objects-dictionary"))) {
    const uid = str(field(o, "uid"));
    if (uid) dict.set(uid, o);
  }
  const objectName = (n: JNode): string => {
    const uid = str(n);
    const o = uid !== undefined ? dict.get(uid) : n;
    return str(field(o, "name")) ?? uid ?? "";
  };
  const define = (o: JNode | undefined, seen: Set<string>): void => {
    if (!o) return;
    const name = str(field(o, "name")) ?? "";
    if (seen.has(name)) return;
    seen.add(name);
    const type = str(field(o, "type")) ?? "";
    const line = lineOf(o.line);
    if (type === "host" || type === "network" || type === "address-range") {
      const kv = new Map<string, string>();
      for (const k of [
        "ipv4-address",
        "ipv6-address",
        "subnet4",
        "subnet6",
        "mask-length4",
        "mask-length6",
        "ipv4-address-first",
        "ipv4-address-last",
        "ipv6-address-first",
        "ipv6-address-last",
      ]) {
        const v = field(o, k);
        if (v) kv.set(k, str(v) ?? String(num(v) ?? ""));
      }
      const term = addressOf(st, lineOf(field(o, "ipv4-address")?.line ?? field(o, "subnet4")?.line ?? o.line), kv);
      if (term)
        st.addrs.addMember(
          name,
          {
            value: term,
            line: lineOf(
              field(o, "ipv4-address")?.line ??
                field(o, "ipv6-address")?.line ??
                field(o, "subnet4")?.line ??
                field(o, "subnet6")?.line ??
                o.line,
            ),
          },
          line,
        );
    } else if (type === "group") {
      if (!st.addrs.has(name)) st.addrs.define(name, { line, members: [] });
      for (const m of items(field(o, "members"))) {
        const target = m.t === "str" ? dict.get(m.v) : m;
        st.addrs.addMember(
          name,
          { ref: target ? (str(field(target, "name")) ?? "") : (str(m) ?? ""), line: lineOf(m.line) },
          line,
        );
        define(target, seen);
      }
    } else if (type === "service-tcp" || type === "service-udp") {
      const ports = readPorts(str(field(o, "port")) ?? String(num(field(o, "port")) ?? ""));
      if (ports) st.services.set(name.toLowerCase(), { protocol: type.slice(8), ports });
    } else if (type === "service-group") {
      const members = items(field(o, "members")).map((m) => {
        const target = m.t === "str" ? dict.get(m.v) : m;
        define(target, seen);
        return target ? (str(field(target, "name")) ?? "") : (str(m) ?? "");
      });
      st.serviceGroups.set(name.toLowerCase(), members);
    } else if (type === "access-role") {
      st.roles.add(name.toLowerCase());
    } else if (type === "group-with-exclusion") {
      const part = (k: string): string => {
        const v = field(o, k);
        const target = v?.t === "str" ? dict.get(v.v) : v;
        define(target, seen);
        return target ? (str(field(target, "name")) ?? "") : (str(v) ?? "");
      };
      st.exclusions.set(name.toLowerCase(), { include: part("include"), except: part("except"), line });
    }
  };
  const seen = new Set<string>();
  for (const o of dict.values()) define(o, seen);
  const walk = (list: readonly JNode[]): void => {
    for (const r of list) {
      const type = str(field(r, "type"));
      if (type === "access-section") {
        walk(items(field(r, "rulebase")));
        continue;
      }
      if (type !== "access-rule") continue;
      const actionNode = field(r, "action");
      const actionName =
        actionNode?.t === "obj"
          ? str(field(actionNode, "name"))
          : objectName(actionNode ?? { t: "lit", v: null, line: r.line });
      const enabled = field(r, "enabled");
      const negate = field(r, "source-negate");
      const serviceNegate = field(r, "service-negate");
      const rule: AccessRule = {
        line: lineOf(r.line),
        name: str(field(r, "name")) ?? "",
        layer: "",
        sources: items(field(r, "source")).map((s) => ({ name: objectName(s), line: lineOf(s.line) })),
        services: items(field(r, "service")).map((s) => ({ name: objectName(s), line: lineOf(s.line) })),
        action: actionOf(actionName ?? ""),
        actionWord: actionName ?? "",
        enabled: !(enabled?.t === "lit" && enabled.v === false),
        negate: negate?.t === "lit" && negate.v === true,
        serviceNegate: serviceNegate?.t === "lit" && serviceNegate.v === true,
        time: items(field(r, "time"))
          .map((t) => objectName(t))
          .filter((t) => t.toLowerCase() !== "any"),
        vpn: items(field(r, "vpn"))
          .map((t) => objectName(t))
          .filter((t) => t.toLowerCase() !== "any"),
      };
      const inline = field(r, "inline-layer");
      if (inline !== undefined) rule.inline = objectName(inline);
      addItem(st, st.items.length, { rule });
    }
  };
  walk(items(field(root, "rulebase")));
}

/** A rule's services, groups expanded; `unknown` when a name is not defined in the paste. */
function ruleServices(st: State, r: AccessRule): { services: Service[]; unknown: boolean } {
  const services: Service[] = [];
  let unknown = false;
  const seen = new Set<string>();
  const add = (name: string, line: Line): boolean => {
    const key = name.toLowerCase();
    if (key === "any") return true;
    if (seen.has(key)) return false;
    seen.add(key);
    const group = st.serviceGroups.get(key);
    if (group) return group.some((m) => add(m, line));
    const svc = st.services.get(key) ?? PREDEFINED[key];
    if (svc) services.push(svc);
    else {
      st.findings.push(finding(line, "undefined-reference", `Service "${name}" is not defined in this paste.`));
      unknown = true;
    }
    return false;
  };
  for (const s of r.services) if (add(s.name, s.line)) return { services: [{}], unknown: false };
  if (r.services.length === 0) services.push({});
  return { services, unknown };
}

/**
 * A group with exclusion: the addresses of its include group that are not in its except group (Management API
 * reference, "add group-with-exclusion": include, except). Either side may be Any.
 */
function excludedGroup(st: State, name: string, at: Line): Resolved<AddressTerm>[] {
  const g = st.exclusions.get(name.toLowerCase())!;
  const side = (n: string): IPSet =>
    n.toLowerCase() === "any"
      ? IPSet.fromRanges(anySources([4, 6], "Any").map((t) => t.range))
      : IPSet.fromRanges(st.addrs.resolve(n, at, st.findings).map((r) => r.value.range));
  const via = [name];
  return side(g.include)
    .difference(side(g.except))
    .ranges.map((range) => ({ value: { token: name, range, kind: "range" as const }, line: at, via }));
}

/** Every TCP and UDP port the services leave out (a service with no protocol, such as Any, leaves nothing). */
function complementServices(listed: readonly Service[]): Service[] {
  const out: Service[] = [];
  for (const proto of ["tcp", "udp"]) {
    const taken = listed.filter((t) => t.protocol === undefined || t.protocol === proto);
    if (taken.some((t) => t.ports === undefined)) continue;
    const ranges = taken.flatMap((t) => t.ports ?? []).sort((a, b) => a.from - b.from);
    const free: PortRange[] = [];
    let next = 0;
    for (const x of ranges) {
      if (x.from > next) free.push({ from: next, to: x.from - 1 });
      next = Math.max(next, x.to + 1);
    }
    if (next <= 65535) free.push({ from: next, to: 65535 });
    if (free.length > 0) out.push({ protocol: proto, ports: free });
  }
  return out;
}

export function parseCheckpoint(text: string): ParseOutput {
  const lines = splitLines(text);
  const st: State = {
    findings: [],
    addrs: new ObjectTable<AddressTerm>(true),
    services: new Map(),
    serviceGroups: new Map(),
    exclusions: new Map(),
    roles: new Set(),
    items: new Rulebase(),
    byName: new Map(),
    rules: [],
  };
  if (looksLikeJson(detectHead(text))) {
    const json = readJson(text, lines);
    if (!json.ok)
      return {
        format: "checkpoint",
        entries: [],
        findings: json.finding ? [json.finding] : [],
        lineCount: countLines(text),
        notes: [],
      };
    readRulebaseJson(st, json.root, lines);
  } else {
    const sh = shCommands(text);
    for (const p of sh.problems) st.findings.push(finding(lineAt(lines, p.line), p.kind, p.message));
    for (const c of sh.commands) {
      const line = lineAt(lines, c.line);
      const words = c.words;
      if (words[0] === "sudo") words.shift();
      if (/^(?:set|exit|echo|true|:|printf|cat|read|export|trap)$/.test(words[0] ?? "")) continue;
      if (!/(?:^|\/)mgmt_cli$/.test(words[0] ?? "")) {
        st.findings.push(finding(line, "not-understood", "Not a mgmt_cli command."));
        continue;
      }
      runMgmtCli(st, line, words.slice(1));
    }
  }
  const entries: Entry[] = [];
  for (const it of st.items) if ("rule" in it) st.rules.push(it.rule);
  // Ordered layers ("Ordered Layers and Inline Layers": a connection passes only if every ordered layer accepts it,
  // each with its own implicit cleanup): one context each, in the order the paste first names them. A layer that a
  // rule applies as an inline layer is not an ordered layer: its rules are not read (the parent rule's finding).
  const inlineTargets = new Set(st.rules.flatMap((r) => (r.inline === undefined ? [] : [r.inline.toLowerCase()])));
  const layers: string[] = [];
  const layerAt = new Map<string, number>();
  const inlineNoted = new Set<string>();
  const firstLine = new Map<string, number>();
  for (const r of st.rules) {
    const k = r.layer.toLowerCase();
    if (k === "" || inlineTargets.has(k)) continue;
    const seen = firstLine.get(k);
    if (seen === undefined) layers.push(r.layer);
    if (seen === undefined || r.line.n < seen) firstLine.set(k, r.line.n);
  }
  layers.sort((a, b) => firstLine.get(a.toLowerCase())! - firstLine.get(b.toLowerCase())!);
  layers.forEach((l, i) => layerAt.set(l.toLowerCase(), i));
  for (const r of st.rules) {
    const layerKey = r.layer.toLowerCase();
    if (inlineTargets.has(layerKey)) {
      if (!inlineNoted.has(layerKey)) {
        inlineNoted.add(layerKey);
        st.findings.push(
          finding(
            r.line,
            "not-understood",
            `Layer "${r.layer}" is applied as an inline layer: its rules are not read under their parent rule.`,
          ),
        );
      }
      continue;
    }
    const context = layerAt.get(layerKey) ?? 0;
    if (r.inline !== undefined || INLINE_ACTION.test(r.actionWord)) {
      // A connection the parent rule matches is decided by the inline layer's rules (and its own cleanup rule): it
      // never meets the rules below the parent. The inline layer is another rulebase, not in this paste.
      r.action = "deny";
      st.findings.push(
        finding(
          r.line,
          "not-understood",
          `Rule "${r.name}" hands the connections it matches to the inline layer${r.inline ? ` "${r.inline}"` : ""}, whose rules are not in this paste: they never reach the rules below it, and are read as dropped by the inline layer's cleanup. Paste that layer's rulebase to check it.`,
        ),
      );
    }
    if (r.action === undefined && USERCHECK_ACTION.test(r.actionWord)) {
      // Ask and Inform show a UserCheck page and wait for a click; when the page "cannot be shown in the browser or
      // application that caused the notification", the interaction object's fallback action (Accept or Drop) decides
      // (https://sc1.checkpoint.com/documents/R80.10/SmartConsole_OLH/EN/mxKIfgrx2Zl1bXaKRkcQ0g2.htm). Either way the
      // rule decides what it matches: the rules below it are never met. The fallback is not in the rulebase.
      r.action = "deny";
      st.findings.push(
        finding(
          r.line,
          "not-understood",
          `Rule "${r.name}": ${r.actionWord} waits for a person to answer a UserCheck page; a webhook's sender is a program, so its UserCheck object's fallback action (Accept or Drop, not in this paste) decides, and the rules below are never met. Read as dropped; use Accept for webhooks.`,
        ),
      );
    }
    if (r.action === undefined) {
      st.findings.push(
        finding(
          r.line,
          "not-understood",
          `Rule "${r.name}": the action "${r.actionWord}" is neither Accept nor Drop/Reject.`,
        ),
      );
      continue;
    }
    const read = ruleServices(st, r);
    let services = read.services;
    const conditions: string[] = [];
    if (read.unknown && r.action === "deny") services = [{}];
    else if (read.unknown && services.length === 0) continue;
    if (r.serviceNegate) {
      // Every service but the listed ones (Management API "service-negate"): TCP/UDP ports outside them.
      if (read.unknown) {
        if (r.action === "allow") conditions.push("service-negate over a service not in this paste");
        services = [{}];
      } else services = complementServices(services);
      if (services.length === 0)
        conditions.push(
          `service-negate: every service but ${r.services.map((x) => x.name).join(", ")}, which is all of them`,
        );
    }
    if (services.length === 0) services = [{}];
    if (r.time.length > 0 && r.action === "allow") conditions.push(`only during time ${r.time.join(", ")}`);
    // The VPN cell: only connections through that community (decrypted from its gateways or remote-access clients)
    // match; a webhook comes in clear from the Internet, so neither an accept nor a drop of this rule meets it.
    if (r.vpn.length > 0) conditions.push(`only connections through the VPN community ${r.vpn.join(", ")}`);
    const unmet = [...(r.enabled ? [] : ["the rule is disabled"]), ...conditions].join("; ") || undefined;
    let sources: Resolved<AddressTerm>[] = [];
    for (const s of r.sources) {
      if (s.name.toLowerCase() === "any")
        sources.push(...anySources([4, 6], "Any").map((value) => ({ value, line: r.line, via: [] })));
      else if (st.exclusions.has(s.name.toLowerCase())) sources.push(...excludedGroup(st, s.name, s.line));
      else if (st.roles.has(s.name.toLowerCase()))
        // Identity Awareness: an access role matches connections from identified users or machines; a webhook's
        // sender is not identified, so this source never matches it.
        st.findings.push(
          finding(
            s.line,
            "note",
            `"${s.name}" is an access role: it matches identified users and machines only, never a webhook's sender.`,
          ),
        );
      else sources.push(...st.addrs.resolve(s.name, s.line, st.findings));
    }
    if (r.sources.length === 0)
      sources.push(...anySources([4, 6], "Any").map((value) => ({ value, line: r.line, via: [] })));
    if (r.negate) {
      const ranges = sources.map((s) => s.value.range);
      sources = ([4, 6] as const).flatMap((f) =>
        complementTerms(
          ranges.filter((x) => x.first.family === f),
          f,
          r.sources.map((s) => s.name).join(" "),
        ).map((value) => ({ value, line: r.line, via: [] })),
      );
    }
    for (const s of sources) {
      for (const svc of services) {
        entries.push(
          pathEntry(s.line, s.value, {
            action: r.action,
            direction: "in",
            protocol: svc.protocol,
            ports: svc.ports,
            via: s.via,
            ruleLine: r.line.n,
            comment: r.name || undefined,
            unmet,
            context,
          }),
        );
      }
    }
  }
  return {
    format: "checkpoint",
    entries,
    findings: st.findings.sort((a, b) => a.line - b.line),
    lineCount: countLines(text),
    notes: [],
    path: {
      contexts:
        layers.length <= 1
          ? [
              {
                name: "Check Point access layer",
                line: 0,
                text: "",
                fallthrough: "deny",
                onPath: true,
                reason: "the layer's rules decide connections through the gateway",
              },
            ]
          : layers.map((name) => ({
              name: `Check Point ordered layer ${name}`,
              line: 0,
              text: "",
              fallthrough: "deny" as const,
              onPath: true,
              reason: "every ordered layer of the policy must accept the connection",
            })),
      kind: "forward",
      assumption:
        layers.length <= 1
          ? "Read as the access layer the connection meets, top down; a connection no rule matches is dropped (implicit cleanup). Destination cells are not read."
          : `Read as ${layers.length} ordered layers in the order the paste first names them, each top down: the connection passes only if every one accepts it, and one no rule of a layer matches is dropped by that layer's implicit cleanup. Destination cells are not read.`,
    },
  };
}

export const checkpointParser: Parser = {
  id: "checkpoint",
  label: "Check Point (mgmt_cli, show access-rulebase JSON)",
  detect(text: string): number {
    const head = detectHead(text);
    if (/^\s*(?:sudo\s+)?(?:\S*\/)?mgmt_cli\s+(?:add|set|login|publish|show)\s/m.test(head)) return 0.95;
    if (looksLikeJson(head) && /"type"\s*:\s*"access-(?:rule|section)"/.test(head)) return 0.95;
    if (looksLikeJson(head) && /"objects-dictionary"\s*:/.test(head)) return 0.9;
    return 0;
  },
  parse: parseCheckpoint,
};
