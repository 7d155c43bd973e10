/**
 * pfSense and OPNsense `config.xml` (Diagnostics > Backup & Restore): aliases (host, network, nested; URL and URL-table
 * aliases reported as unresolved) and the filter rules, read with fast-xml-parser (structure and well-formedness);
 * lines come from the document order of the <rule> and <alias> elements (xmltags.ts).
 *
 * Semantics (pfSense docs "Firewall Rule Basics" and "Floating Rules",
 * https://docs.netgate.com/pfsense/en/latest/firewall/rule-methodology.html and …/firewall/floating-rules.html;
 * OPNsense "Rules", https://docs.opnsense.org/manual/firewall.html): floating rules with Quick act first, first match;
 * then the rules of the interface the connection arrives on (the WAN), first match; a floating rule without Quick
 * applies only when no later rule matches (the last such match wins); what nothing passes is blocked (default deny).
 * Disabled rules do nothing.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import type {
  Action,
  Destination,
  Entry,
  Finding,
  ParseOptions,
  ParseOutput,
  Parser,
  PathContext,
  PortRange,
} from "../types";
import type { Address, Family, Prefix } from "../../ip/types";
import {
  type AddressTerm,
  type Line,
  MAX_EXPANSION,
  MAX_GROUP_DEPTH,
  finding,
  parsePortRange,
  TextLines,
  readAddressTerm,
} from "./common";
import { anySources, pathEntry } from "./hostcommon";
import { conditionalUnmet, joinUnmet } from "./pathkit";
import { complementTerms, detectHead } from "./linuxcommon";
import { xmlTags } from "./xmltags";
import { isJsWhitespace } from "../lines";
import { parseAddress, parsePrefix, prefixContains, rangeContains } from "../../ip";

type X = Record<string, unknown>;

const ARRAYS = new Set(["rule", "alias"]);

function obj(v: unknown): X | undefined {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as X) : undefined;
}

function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined ? [] : [v];
}

function text(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  const o = obj(v);
  if (o && typeof o["#text"] === "string") return o["#text"];
  return undefined;
}

function has(o: X | undefined, key: string): boolean {
  return o !== undefined && Object.hasOwn(o, key);
}

/**
 * An alias. A config may hold thousands that no rule names: its entries are split, and its line made, when a rule
 * uses it (aliasEntries, aliasLine).
 */
interface Alias {
  readonly name: string;
  readonly type: string;
  /** Its <address> or <content>. */
  readonly raw: string;
  /** The entries of raw, once split. */
  entries: readonly string[] | undefined;
  /** The line of its <address> or <content>, else its own; 0: none (the first line). */
  readonly n: number;
}

/**
 * Lines of the <rule> elements under <filter> and the <alias> elements, in document order, as numbers (0: none): a
 * line is made when a rule or alias names it (most aliases are named by their content's line, not their own).
 */
type ElementLines = {
  /** The k-th filter rule's line, and that of its <source><address>. */
  readonly rules: number[];
  readonly ruleAddress: number[];
  /** The k-th alias's line, and that of its <address> or <content>. */
  readonly aliases: number[];
  readonly aliasContent: number[];
  /** The <rule> elements of <nat> (port forwards). */
  readonly nat: number[];
  readonly natAddress: number[];
};

function noElementLines(): ElementLines {
  return { rules: [], ruleAddress: [], aliases: [], aliasContent: [], nat: [], natAddress: [] };
}

/** Notes the opening tag `name` on line n, whose parent is `parent`, inside a <rule> or not and inside <nat> or not. */
function noteTag(where: ElementLines, name: string, parent: string, inRule: boolean, inNat: boolean, n: number): void {
  if (name === "rule" && parent === "filter") {
    where.rules.push(n);
    where.ruleAddress.push(0);
  } else if (name === "rule" && parent === "nat") {
    where.nat.push(n);
    where.natAddress.push(0);
  } else if (name === "alias" && parent === "aliases") {
    where.aliases.push(n);
    where.aliasContent.push(0);
  } else if (name === "address" && parent === "source" && inRule) {
    const address = inNat ? where.natAddress : where.ruleAddress;
    if (address.length > 0 && address[address.length - 1] === 0) address[address.length - 1] = n;
  } else if ((name === "address" || name === "content") && parent === "alias") {
    const content = where.aliasContent;
    if (content.length > 0 && content[content.length - 1] === 0) content[content.length - 1] = n;
  }
}

function elementLines(textIn: string): ElementLines {
  const stack: string[] = [];
  const where = noElementLines();
  for (const t of xmlTags(textIn)) {
    if (t.close) {
      const i = stack.lastIndexOf(t.name);
      if (i >= 0) stack.length = i;
      continue;
    }
    const parent = stack[stack.length - 1] ?? "";
    // Only a source address needs to know what holds it (a search of the open elements).
    const address = t.name === "address" && parent === "source";
    noteTag(where, t.name, parent, address && stack.includes("rule"), address && stack.includes("nat"), t.line);
    if (!t.selfClose) stack.push(t.name);
  }
  return where;
}

type Source = { term: AddressTerm; line: Line; via?: string[] };

interface Rule {
  readonly line: Line;
  readonly addrLine: Line;
  readonly action: Action;
  /** Where the inbound half meets a connection arriving on the WAN; "out": the rule has no inbound half. */
  readonly ctx: "rdr-pass" | "quick" | "group" | "iface" | "late" | "off" | "out";
  /** The outbound half (direction out or any): the interfaces it filters traffic leaving through (none: all). */
  readonly egress?: { readonly ifs: readonly string[]; readonly quick: boolean };
  /** For a non-quick ("late") rule: where pf meets it, floating (0), an interface group's (1), the interface's (2). */
  readonly tier?: number;
  readonly iface: string;
  readonly sources: Source[];
  readonly protocols: (string | undefined)[];
  readonly ports?: PortRange[];
  readonly unmet?: string;
  readonly comment?: string;
  /** <icmptype>: read as met (no TCP connection meets an ICMP rule), it tells rules apart (Entry.qualifier). */
  readonly qualifier?: string;
  /** The destination's addresses, when it names some (Entry.destination). */
  readonly destination?: Destination | undefined;
}

/** What the rule reader needs: the aliases, the WAN's key, where each element is, and the findings so far. */
interface PfState {
  readonly findings: Finding[];
  readonly aliases: Map<string, Alias>;
  readonly wanKey: string;
  /** Interface groups (lower-cased name → member interface keys). */
  readonly groups: Map<string, string[]>;
  /** Each interface's subnet (lower-cased key → <ipaddr>/<subnet>), where both are addresses. */
  readonly nets: Map<string, Prefix>;
  readonly where: ElementLines;
  readonly lines: TextLines;
  /** The first line: where findings about the document as a whole go. */
  readonly first: Line;
  /** An OPNsense config: its interface rules may be non-quick. */
  readonly opnsense: boolean;
  /** Alias members the resolutions may still visit (MAX_EXPANSION in all): below 0 once one ran out. */
  expansionLeft: number;
  /** The port forward the checked connection takes, when one does: the WAN rules filter what it translated to. */
  forward?: Forward;
}

/** A port forward of the checked port: where it sends the connection (address and port), and its line. */
interface Forward {
  readonly target: Address;
  readonly targetText: string;
  /** The checked port, and the port it becomes. */
  readonly from: number;
  readonly to: number;
  readonly line: Line;
}

type Base = { readonly format: "pfsense"; readonly lineCount: number; readonly notes: string[] };

const XML_DECL = /^<\?xml version="1\.0"(?: encoding="[A-Za-z0-9._-]+")?\?>/;

/** [A-Za-z_]: the first char of an element name. */
function isNameStart(c: number): boolean {
  return ((c | 32) >= 97 && (c | 32) <= 122) || c === 95;
}

/** [\w.-]: the other chars of an element name (the fast reader's names have no colon). */
function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57) || c === 46 || c === 45;
}

/** What the fast reader notes for elementLines: the line it is on and where the rules and aliases are. */
interface LineScan {
  line: number;
  openRules: number;
  /** Inside <nat>. */
  inNat: boolean;
  readonly where: ElementLines;
}

/**
 * Adds a finished element to the open element `at` (its children in kids[at]) the way fast-xml-parser does: repeated
 * names become arrays.
 */
function addChild(kids: (X | undefined)[], at: number, name: string, value: unknown): void {
  let children = kids[at];
  if (children === undefined) kids[at] = children = {};
  const old = children[name];
  if (old === undefined) children[name] = name === "rule" || name === "alias" ? [value] : value;
  else if (Array.isArray(old)) old.push(value);
  else children[name] = [old, value];
}

/**
 * The name text[start, end) (hash h of its chars) as one string per distinct name: a config.xml repeats a few dozen
 * names in 100,000 tags, and a name sliced anew for each is one more string to allocate and to hash as a key. A name
 * whose slot holds another one is sliced (and takes the slot).
 */
function nameOf(text: string, start: number, end: number, h: number, names: (string | undefined)[]): string {
  const slot = h & (names.length - 1);
  const known = names[slot];
  if (known !== undefined && known.length === end - start && text.startsWith(known, start)) return known;
  const name = text.slice(start, end);
  names[slot] = name;
  return name;
}

/**
 * The document as fast-xml-parser (with readDocument's options) reads it, in one scan, when the text keeps to a plain
 * subset: an optional `<?xml version="1.0"?>`, elements without attributes, text without entities or mixed content,
 * one root, no carriage returns. Anything else (comments, CDATA, attributes, entities, CRLF, malformed text) gives
 * undefined and the caller runs the validator and fast-xml-parser, so what is outside the subset is read exactly as before.
 * Tags are read char by char, as the expressions <([A-Za-z_][\w.-]*)(\/?)> and <\/([A-Za-z_][\w.-]*)> would.
 */
function plainXmlTree(body: string, sc: LineScan): X | undefined {
  if (body.includes("&") || body.includes("<!") || body.includes("\r")) return undefined;
  const decl = XML_DECL.exec(body);
  const len = body.length;
  // The open elements as parallel stacks, reused (index 0 is the document): no object per element but its children.
  // texts[k] is the text read so far in element k: "" when it is blank (all of it that trim() removes).
  const names: string[] = [""];
  const kids: (X | undefined)[] = [undefined];
  const texts: string[] = [""];
  let depth = 1;
  const known = new Array<string | undefined>(256).fill(undefined);
  let roots = 0;
  // Tags and the declaration hold no newline: the line advances past each newline before the next tag, once.
  let nextNewline = body.indexOf("\n");
  let pos = decl ? decl[0].length : 0;
  while (pos < len) {
    const lt = body.indexOf("<", pos);
    const end = lt < 0 ? len : lt;
    while (nextNewline !== -1 && nextNewline < end) {
      sc.line++;
      nextNewline = body.indexOf("\n", nextNewline + 1);
    }
    const top = depth - 1;
    if (depth === 1) {
      // Outside the root only XML white space (the validator refuses a no-break space there).
      for (let k = pos; k < end; k++) {
        const c = body.charCodeAt(k);
        if (c !== 32 && c !== 9 && c !== 10) return undefined;
      }
    } else {
      let k = pos;
      while (k < end && isJsWhitespace(body.charCodeAt(k))) k++;
      if (k < end) {
        // Text: no ">" in it (the first ">" from here is at most the next tag's, so this stays linear).
        const gt = body.indexOf(">", k);
        if ((gt !== -1 && gt < end) || texts[top] !== "") return undefined;
        texts[top] = body.slice(pos, end);
      }
    }
    if (lt < 0) break;
    if (body.charCodeAt(lt + 1) === 47 /* / */) {
      if (depth === 1) return undefined;
      const name = names[top]!;
      const after = lt + 2 + name.length;
      if (!body.startsWith(name, lt + 2) || body.charCodeAt(after) !== 62) return undefined;
      depth--;
      if (name === "rule") sc.openRules--;
      if (name === "nat") sc.inNat = false;
      const children = kids[top];
      const text = texts[top]!.trim();
      if (children !== undefined && text !== "") return undefined;
      kids[top] = undefined;
      addChild(kids, top - 1, name, children ?? text);
      pos = after + 1;
      continue;
    }
    let j = lt + 1;
    let c = body.charCodeAt(j);
    if (!isNameStart(c)) return undefined;
    let h = c;
    for (c = body.charCodeAt(++j); isNameChar(c); c = body.charCodeAt(++j)) h = (h * 31 + c) | 0;
    const name = nameOf(body, lt + 1, j, h, known);
    const selfClose = c === 47;
    if (selfClose) c = body.charCodeAt(++j);
    if (c !== 62 || name === "__proto__") return undefined;
    if (depth === 1 && ++roots > 1) return undefined;
    if (texts[top] !== "") return undefined;
    noteTag(sc.where, name, names[top]!, sc.openRules > 0, sc.inNat, sc.line);
    if (selfClose) addChild(kids, top, name, "");
    else {
      names[depth] = name;
      kids[depth] = undefined;
      texts[depth] = "";
      depth++;
      if (name === "rule") sc.openRules++;
      if (name === "nat") sc.inNat = true;
    }
    pos = j + 1;
  }
  return depth === 1 && roots === 1 ? kids[0] : undefined;
}

/** The document's root element, or the output that says why there is none. */
function readDocument(textIn: string, lines: TextLines, base: Base): Document | ParseOutput {
  const first: Line = lines.at(1);
  if (textIn.trim() === "") return { ...base, entries: [], findings: [] };
  // A paste often starts with a blank line; the XML declaration must open the document.
  const body = textIn.trimStart();
  const lead = textIn.slice(0, textIn.length - body.length).split("\n").length - 1;
  const sc: LineScan = {
    line: 1 + lead,
    openRules: 0,
    inNat: false,
    where: noElementLines(),
  };
  const plain = plainXmlTree(body, sc);
  if (plain !== undefined) return rootOf(plain, base, first, sc.where);
  const valid = XMLValidator.validate(body);
  if (valid !== true) {
    const n = valid.err.line + lead;
    return {
      ...base,
      entries: [],
      findings: [finding(lines.line(n) ?? first, "invalid", `Not well-formed XML: ${valid.err.msg}`)],
    };
  }
  let doc: X;
  try {
    doc = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: "@_",
      parseTagValue: false,
      trimValues: true,
      isArray: (name) => ARRAYS.has(name),
      processEntities: true,
    }).parse(body) as X;
  } catch (e) {
    return {
      ...base,
      entries: [],
      findings: [finding(first, "invalid", `XML: ${e instanceof Error ? e.message : String(e)}`)],
    };
  }
  return rootOf(doc, base, first);
}

/** The parsed document; `where` is set when the fast reader already found the element lines. */
type Document = { readonly doc: X; readonly root: X; readonly where?: ElementLines };

function rootOf(doc: X, base: Base, first: Line, where?: ElementLines): Document | ParseOutput {
  const root = obj(doc.pfsense) ?? obj(doc.opnsense);
  if (!root)
    return {
      ...base,
      entries: [],
      findings: [finding(first, "not-understood", "The root element is neither <pfsense> nor <opnsense>.")],
    };
  return where ? { doc, root, where } : { doc, root };
}

export function parsePfsense(textIn: string, options: ParseOptions = {}): ParseOutput {
  // Lines are made when an element or finding names them: most of a config.xml's lines are never shown.
  const lines = new TextLines(textIn);
  const base: Base = { format: "pfsense", lineCount: lines.length, notes: [] };
  const read = readDocument(textIn, lines, base);
  if (!("root" in read)) return read;
  const { doc, root } = read;
  const first: Line = lines.at(1);
  const where = read.where ?? elementLines(textIn);
  const wanKey = wanKeyOf(root, (options.ingress ?? "wan").toLowerCase());
  const opnsense = obj(doc.pfsense) === undefined;
  const st: PfState = {
    findings: [],
    aliases: new Map(),
    wanKey,
    groups: groupsOf(root),
    nets: netsOf(root),
    where,
    lines,
    first,
    opnsense,
    expansionLeft: MAX_EXPANSION,
  };
  readAliases(st, root);
  if (options.path !== "input") {
    const forward = forwardOf(st, root, options.port ?? 443);
    if (forward !== undefined) st.forward = forward;
  }
  const rules: Rule[] = [];
  arr(obj(root.filter)?.rule).forEach((node, k) => {
    const rule = readRule(st, node, k);
    if (rule) rules.push(rule);
  });
  // OPNsense's MVC filter rules (Firewall > Automation > Filter; the new rules UI of 26.1): not read, but said.
  const mvc = arr(obj(obj(obj(obj(root.OPNsense)?.Firewall)?.Filter)?.rules)?.rule);
  if (mvc.length > 0) {
    const at = textIn.search(/<Filter[\s>]/);
    const n = at < 0 ? 1 : textIn.slice(0, at).split("\n").length;
    st.findings.push(
      finding(
        lines.line(n) ?? first,
        "not-understood",
        `${mvc.length} OPNsense MVC filter rule${mvc.length === 1 ? "" : "s"} (Firewall > Automation / the new rules UI) ${mvc.length === 1 ? "is" : "are"} not read: the verdicts come from the legacy <filter> rules only.`,
      ),
    );
  }
  arr(obj(root.nat)?.rule).forEach((node, k) => {
    const rule = readNatPass(st, node, k);
    if (rule) rules.push(rule);
  });
  const contexts: PathContext[] = [
    {
      name: `${wanKey.toUpperCase()} rules (with floating rules)`,
      line: 0,
      text: "",
      fallthrough: "deny",
      onPath: true,
      reason: "a connection from the Internet arrives on this interface",
    },
    {
      name: "rules of other interfaces",
      line: 0,
      text: "",
      fallthrough: "deny",
      onPath: false,
      reason: `they filter traffic arriving on other interfaces than ${wanKey}`,
    },
  ];
  const entries: Entry[] = [];
  for (const r of rules) if (r.ctx === "rdr-pass") emitRule(entries, r, 0);
  for (const r of rules) if (r.ctx === "quick") emitRule(entries, r, 0);
  // Interface group rules come before the member interface's own rules.
  for (const r of rules) if (r.ctx === "group") emitRule(entries, r, 0);
  for (const r of rules) if (r.ctx === "iface") emitRule(entries, r, 0);
  // Non-quick rules (floating ones; in OPNsense any rule with Quick unchecked): pf keeps the last of them that matches
  // and applies it when no quick rule matched (https://man.openbsd.org/pf.conf#quick). So they come after every quick
  // rule, in reverse of the order pf meets them: floating, interface groups', the interface's.
  const late = rules.filter((r) => r.ctx === "late");
  const order = late.map((r, k) => ({ r, k })).sort((a, b) => (a.r.tier ?? 0) - (b.r.tier ?? 0) || a.k - b.k);
  for (const { r } of order.reverse()) emitRule(entries, r, 0);
  for (const r of rules) if (r.ctx === "off") emitRule(entries, r, 1);
  const outbound = rules.filter((r) => r.egress !== undefined);
  let egress: ReturnType<typeof egressOf>;
  if (outbound.length > 0) {
    egress = options.path === "input" ? undefined : egressOf(st, root, options.port ?? 443);
    const out = egress;
    const meets = (r: Rule) =>
      out !== undefined && (r.egress!.ifs.length === 0 || r.egress!.ifs.some((i) => out.ifs.includes(i)));
    const met = outbound.filter(meets);
    if (egress !== undefined) {
      contexts.push({
        name: `outbound rules on ${egress.ifs.map((i) => i.toUpperCase()).join(", ")} (floating, out or any)`,
        line: egress.line.n,
        text: egress.line.text,
        // pfSense's own "pass out … all keep state" (non-quick) lets out what no user rule decides.
        fallthrough: "allow",
        onPath: true,
        reason: `the port forward sends the connection on to ${egress.target}, and pf filters it again as it leaves through ${egress.ifs.join(", ")}`,
      });
      const ci = contexts.length - 1;
      for (const r of met) if (r.egress!.quick) emitRule(entries, r, ci);
      // Non-quick: the last match wins, after pfSense's "pass out all" (so an unmatched connection passes).
      for (const r of met.filter((x) => !x.egress!.quick).reverse()) emitRule(entries, r, ci);
    }
    const unmet = outbound.filter((r) => r.ctx === "out" && !meets(r));
    if (unmet.length > 0) {
      contexts.push({
        name: "outbound rules of other interfaces",
        line: 0,
        text: "",
        fallthrough: "allow",
        onPath: false,
        reason:
          egress !== undefined
            ? `they filter traffic leaving through other interfaces than ${egress.ifs.join(", ")}`
            : options.path === "input"
              ? "the connection ends on the firewall itself and leaves through no interface"
              : `no port forward on ${wanKey} for TCP ${options.port ?? 443} leads to an interface subnet of this config: the connection is read as ending on the firewall itself, which leaves through no interface`,
      });
      for (const r of unmet) emitRule(entries, r, contexts.length - 1);
    }
  }
  const flavour = has(doc, "opnsense") ? "OPNsense" : "pfSense";
  return {
    ...base,
    entries,
    findings: st.findings.sort((a, b) => a.line - b.line),
    path: {
      contexts,
      kind: "forward",
      ingress: wanKey,
      assumption: `Read as ${flavour} traffic arriving on ${wanKey}${options.ingress === undefined ? " (the WAN interface)" : ""}: floating quick rules, then its interface groups' and its own rules, first match; ${late.length > 0 ? "then the rules with Quick unticked, last match; " : ""}default deny${egress !== undefined ? `; then, leaving through ${egress.ifs.join(", ")} toward the port forward's ${egress.target}, the floating rules out (or any) on it, quick first, then last match; default pass` : ""}. Override with --ingress <interface>.`,
    },
  };
}

/**
 * Where a port-forwarded connection to `port` leaves the firewall: the enabled port forwards (<nat><rule>) on the WAN
 * for TCP and the port, whose <target> lies in an interface's subnet (<ipaddr>/<subnet>). pf filters a forwarded
 * packet on the interface it arrives on and again, outbound, on the one it leaves through
 * (https://docs.netgate.com/pfsense/en/latest/firewall/floating-rules.html: floating rules act "in the inbound,
 * outbound, or both directions"). Undefined when no such forward is found.
 */
function egressOf(
  st: PfState,
  root: X,
  port: number,
): { readonly ifs: string[]; readonly target: string; readonly line: Line } | undefined {
  const nets: [string, ReturnType<typeof parsePrefix>][] = [];
  for (const [key, v] of Object.entries(obj(root.interfaces) ?? {})) {
    const ip = text(obj(v)?.ipaddr) ?? "";
    const bits = text(obj(v)?.subnet) ?? "";
    if (key !== st.wanKey && ip !== "" && bits !== "") nets.push([key.toLowerCase(), parsePrefix(`${ip}/${bits}`)]);
  }
  const ifs: string[] = [];
  const targets: string[] = [];
  let line: Line | undefined;
  for (const f of forwardsOf(st, root, port)) {
    for (const [key, net] of nets) {
      if (!net.ok || !prefixContains(net.value, f.target)) continue;
      if (!ifs.includes(key)) ifs.push(key);
      if (!targets.includes(f.targetText)) targets.push(f.targetText);
      line ??= f.line;
    }
  }
  return line === undefined ? undefined : { ifs, target: targets.join(", "), line };
}

/**
 * A rule's destination addresses (an address, a CIDR or an alias of them; not negated), for the diff's check against
 * the catalog (Entry.destination): a rule only to published NAT IPs never meets a connection from the vendor.
 */
function destinationOf(st: PfState, dst: X, line: Line): Destination | undefined {
  if (!has(dst, "address") || has(dst, "not")) return undefined;
  const a = text(dst.address) ?? "";
  const direct = readAddressTerm(a);
  const terms = direct.ok ? [direct.term] : quietAlias(st, a, line, [4, 6]);
  return terms === undefined || terms.length === 0 || terms.some((t) => t.kind === "any")
    ? undefined
    : { token: a, ranges: terms.map((t) => t.range) };
}

function netsOf(root: X): Map<string, Prefix> {
  const out = new Map<string, Prefix>();
  for (const [key, v] of Object.entries(obj(root.interfaces) ?? {})) {
    const p = parsePrefix(`${text(obj(v)?.ipaddr) ?? ""}/${text(obj(v)?.subnet) ?? ""}`);
    if (p.ok) out.set(key.toLowerCase(), p.value);
  }
  return out;
}

/** The enabled port forwards (<nat><rule>) on the WAN for TCP and `port` whose <target> is an address, in order. */
function forwardsOf(st: PfState, root: X, port: number): Forward[] {
  const out: Forward[] = [];
  arr(obj(root.nat)?.rule).forEach((node, k) => {
    const r = obj(node);
    if (!r || (has(r, "disabled") && text(r.disabled) !== "0")) return;
    const on = (text(r.interface) ?? "wan").toLowerCase().split(",");
    const proto = (text(r.protocol) ?? "").toLowerCase();
    if (!on.includes(st.wanKey) || (proto !== "tcp" && proto !== "tcp/udp")) return;
    const n = st.where.nat[k];
    const at = n ? st.lines.at(n) : st.first;
    // Its port is reported where the forward is read as a rule (readNatPass), not twice.
    const ports = portsOf({ ...st, findings: [] }, text(obj(r.destination)?.port) ?? "", at);
    const range = ports?.find((p) => p.from <= port && port <= p.to);
    if (ports === null || (ports !== undefined && range === undefined)) return;
    const targetText = text(r.target) ?? "";
    const addr = parseAddress(targetText);
    if (!addr.ok) return;
    // <local-port> is where the range starts on the target: port N of the range goes to local-port + (N - first).
    const local = Number(text(r["local-port"]) ?? "");
    const to = Number.isInteger(local) && local > 0 ? local + (port - (range?.from ?? port)) : port;
    out.push({ target: addr.value, targetText, from: port, to: to <= 65535 ? to : port, line: at });
  });
  return out;
}

/**
 * The port forward a new connection to `port` from the Internet takes (the first that applies; pf "rdr", first
 * match). pf translates before it filters: "Since translation occurs before filtering the filter engine will see
 * packets as they look after any addresses and ports have been translated" (pf.conf(5), TRANSLATION); so the WAN
 * rules are read against the target and its port (pfSense's own associated rule names them:
 * https://docs.netgate.com/pfsense/en/latest/nat/port-forwards.html).
 */
function forwardOf(st: PfState, root: X, port: number): Forward | undefined {
  return forwardsOf(st, root, port)[0];
}

/**
 * Why a WAN rule's destination misses the port-forwarded connection (addressed to the forward's target once pf
 * translated it), or undefined when it holds the target (or cannot be told: an alias that does not resolve).
 */
function forwardMiss(
  st: PfState,
  dst: X,
  ports: readonly PortRange[] | undefined,
  portText: string,
  line: Line,
): string | undefined {
  const f = st.forward;
  if (f === undefined) return undefined;
  const after = `the port forward at line ${f.line.n} sends the connection to ${f.targetText}${f.to !== f.from ? ` port ${f.to}` : ""}, and pf filters it as translated`;
  if (ports !== undefined && !ports.some((p) => p.from <= f.to && f.to <= p.to))
    return `only port ${portText}: ${after}`;
  let holds: boolean | undefined;
  let what = "";
  if (has(dst, "network")) {
    const n = (text(dst.network) ?? "").toLowerCase();
    what = n;
    // "wanip", "(self)", "lanip": the firewall's own addresses, never the target; an interface key: its subnet.
    if (n === "(self)" || n.endsWith("ip")) holds = false;
    else {
      const net = st.nets.get(n);
      if (net !== undefined) holds = prefixContains(net, f.target);
    }
  } else if (has(dst, "address")) {
    const a = text(dst.address) ?? "";
    what = a;
    const direct = readAddressTerm(a);
    const terms = direct.ok ? [direct.term] : quietAlias(st, a, line, [f.target.family]);
    if (terms !== undefined && terms.length > 0) holds = terms.some((t) => rangeContains(t.range, f.target));
  }
  if (holds === undefined) return undefined;
  if (has(dst, "not")) holds = !holds;
  return holds ? undefined : `only traffic ${has(dst, "not") ? "not " : ""}to ${what}: ${after}`;
}

/**
 * Interface groups (<ifgroups><ifgroupentry><ifname>, <members> as interface keys): their rules apply to every member
 * and are processed after the floating rules and before the member interface's own rules.
 * https://docs.netgate.com/pfsense/en/latest/interfaces/groups.html, https://docs.opnsense.org/manual/firewall_groups.html
 */
function groupsOf(root: X): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const g of arr(obj(root.ifgroups)?.ifgroupentry)) {
    const name = text(obj(g)?.ifname);
    if (name === undefined) continue;
    const members = (text(obj(g)?.members) ?? "")
      .toLowerCase()
      .split(/[\s,]+/)
      .filter((m) => m !== "");
    out.set(name.toLowerCase(), members);
  }
  return out;
}

/** The key (wan, lan, opt1) of the interface whose key, description or device is `want`; "wan" when none is. */
function wanKeyOf(root: X, want: string): string {
  const ifaces = new Map<string, string[]>();
  for (const [key, v] of Object.entries(obj(root.interfaces) ?? {}))
    ifaces.set(
      key,
      [key, text(obj(v)?.descr) ?? "", text(obj(v)?.if) ?? ""].filter((x) => x !== ""),
    );
  return [...ifaces].find(([, names]) => names.some((n) => n.toLowerCase() === want))?.[0] ?? "wan";
}

/** Aliases: pfSense <aliases><alias>, OPNsense <OPNsense><Firewall><Alias><aliases><alias>. */
function readAliases(st: PfState, root: X): void {
  const aliasNodes = [
    ...arr(obj(root.aliases)?.alias),
    ...arr(obj(obj(obj(obj(root.OPNsense)?.Firewall)?.Alias)?.aliases)?.alias),
  ];
  aliasNodes.forEach((node, k) => {
    const a = obj(node);
    const name = text(a?.name) ?? "";
    const n = st.where.aliasContent[k] || st.where.aliases[k] || 0;
    const raw = text(a?.address) ?? text(a?.content) ?? "";
    if (has(a, "enabled") && text(a?.enabled) === "0") return;
    st.aliases.set(name.toLowerCase(), {
      name,
      type: (text(a?.type) ?? "").toLowerCase(),
      raw,
      entries: undefined,
      n,
    });
  });
}

function aliasEntries(a: Alias): readonly string[] {
  return (a.entries ??= a.raw.split(/[\s,]+/).filter((x) => x !== ""));
}

function aliasLine(st: PfState, a: Alias): Line {
  return a.n ? st.lines.at(a.n) : st.first;
}

function resolveAlias(
  st: PfState,
  name: string,
  line: Line,
  family: Family[],
  seen: Set<string>,
): { term: AddressTerm; line: Line; via: string[] }[] {
  const a = st.aliases.get(name.toLowerCase());
  if (!a) {
    st.findings.push(
      finding(line, "undefined-reference", `"${name}" is neither an address nor an alias of this configuration.`),
    );
    return [];
  }
  if (seen.has(a.name)) {
    st.findings.push(finding(line, "reference-loop", `Alias "${a.name}" includes itself.`));
    return [];
  }
  // The limits of ObjectTable (common.ts): 20,000 nested aliases overflowed this recursion, and an alias holding
  // another twice, 20 levels down, stood for a million addresses from a 2 kB config.
  if (seen.size >= MAX_GROUP_DEPTH) {
    st.findings.push(
      finding(
        line,
        "not-understood",
        `Alias "${a.name}" is nested more than ${MAX_GROUP_DEPTH} aliases deep: its members are not read.`,
      ),
    );
    return [];
  }
  if (seen.size === 0 && st.expansionLeft <= 0) return expansionSpent(st, a.name, line);
  if (a.type.startsWith("url") || a.type === "geoip" || a.type === "dynipv6host" || a.type === "asn") {
    st.findings.push(
      finding(
        aliasLine(st, a),
        "not-understood",
        `Alias "${a.name}" (${a.type}) is filled from outside the configuration: unresolved, not read.`,
      ),
    );
    return [];
  }
  const out: { term: AddressTerm; line: Line; via: string[] }[] = [];
  seen.add(a.name);
  const at = aliasLine(st, a);
  for (const e of aliasEntries(a)) {
    if (--st.expansionLeft < 0) break;
    const r = readAddressTerm(e);
    if (r.ok) {
      if (family.includes(r.term.range.first.family)) out.push({ term: r.term, line: at, via: [a.name] });
    } else if (st.aliases.has(e.toLowerCase()))
      // Each member carried up a level counts too: the work stays within the budget however deep the nesting.
      for (const x of resolveAlias(st, e, at, family, seen)) {
        if (--st.expansionLeft < 0) break;
        out.push({ ...x, via: [a.name, ...x.via] });
      }
    else st.findings.push(finding(at, r.kind, r.message));
  }
  seen.delete(a.name);
  if (seen.size === 0 && st.expansionLeft < 0) return expansionSpent(st, a.name, line);
  return out;
}

/**
 * An alias's members where a rule's destination names it: its problems are reported where the alias is read as a
 * source (and on its own line), so they are not said again; the members it expands to count against the one budget.
 * Undefined when the budget ran out (what it stands for is then not known).
 */
function quietAlias(st: PfState, name: string, line: Line, family: Family[]): AddressTerm[] | undefined {
  const scratch: PfState = { ...st, findings: [] };
  const out = resolveAlias(scratch, name, line, family, new Set());
  st.expansionLeft = scratch.expansionLeft;
  return scratch.expansionLeft <= 0 ? undefined : out.map((x) => x.term);
}

/** The finding for a reference past the expansion budget (which stays spent: later references get theirs). */
function expansionSpent(st: PfState, name: string, line: Line): [] {
  st.expansionLeft = 0;
  st.findings.push(
    finding(
      line,
      "not-understood",
      `Alias "${name}" is not expanded: the aliases of this configuration already expanded to ${MAX_EXPANSION.toLocaleString("en-US")} members, the most this reader follows.`,
    ),
  );
  return [];
}

/** Destination ports: undefined for any, null (with a finding) when they do not read. */
function portsOf(st: PfState, spec: string, line: Line): PortRange[] | undefined | null {
  if (spec === "" || spec.toLowerCase() === "any") return undefined;
  const r = parsePortRange(spec.replace(":", "-"));
  if (r) return [r];
  const a = st.aliases.get(spec.toLowerCase());
  if (a && a.type === "port") {
    const out: PortRange[] = [];
    for (const e of aliasEntries(a)) {
      const p = parsePortRange(e.replace(":", "-"));
      if (p) out.push(p);
    }
    return out;
  }
  st.findings.push(finding(line, "not-understood", `Port "${spec}" is neither a port, a range nor a port alias.`));
  return null;
}

/**
 * Whether pf applies the rule as soon as it matches ("quick"). pfSense: every interface rule is, and a floating rule
 * when its Quick box is ticked (<quick>yes</quick>). OPNsense stores the box on every rule (<quick>1</quick> or
 * <quick>0</quick>, and unticked means last match wins there too); a rule without the element keeps the old default,
 * quick unless floating (OPNsense's FilterRule: "all rules are quick by default except floating", and `quick` set is
 * read as PHP's !empty, so "0" and an empty element are not quick).
 */
function isQuick(st: PfState, r: X, floating: boolean): boolean {
  if (!has(r, "quick")) return !floating;
  const value = (text(r.quick) ?? "").trim().toLowerCase();
  if (st.opnsense) return value !== "" && value !== "0";
  return !floating || (value !== "no" && value !== "0");
}

/** The k-th <rule> of <filter>; undefined when it is not read (with a finding when it says something). */
function readRule(st: PfState, node: unknown, k: number): Rule | undefined {
  const r = obj(node);
  const n = st.where.rules[k];
  const line = n ? st.lines.at(n) : st.first;
  if (!r) return undefined;
  const type = (text(r.type) ?? "pass").toLowerCase();
  const action: Action = type === "pass" ? "allow" : "deny";
  if (type !== "pass" && type !== "block" && type !== "reject") {
    return void st.findings.push(finding(line, "not-understood", `Rule type "${type}" is not pass, block or reject.`));
  }
  const floating = has(r, "floating") && text(r.floating) !== "no";
  const ifs = (text(r.interface) ?? "")
    .toLowerCase()
    .split(",")
    .filter((x) => x !== "");
  const onWan = ifs.includes(st.wanKey) || (floating && ifs.length === 0);
  // Without a direction, a pfSense floating rule filters both ways (filter.inc writes no direction unless it is in or
  // out); OPNsense reads a missing direction as "in" (FilterRule.php: 'direction' => 'parseReplaceSimple,any:|:in').
  const direction = (text(r.direction) ?? (floating && !st.opnsense ? "any" : "in")).trim().toLowerCase();
  const quick = isQuick(st, r, floating);
  const viaGroup = !floating && !onWan && ifs.some((i) => st.groups.get(i)?.includes(st.wanKey) === true);
  const placed: Rule["ctx"] =
    direction === "out" ? "out" : viaGroup ? "group" : !onWan ? "off" : floating ? "quick" : "iface";
  const ctx: Rule["ctx"] = placed !== "off" && placed !== "out" && !quick ? "late" : placed;
  const egress = direction === "out" || direction === "any" ? { ifs, quick } : undefined;
  const tier = floating ? 0 : viaGroup ? 1 : 2;
  const ipp = (text(r.ipprotocol) ?? "inet").toLowerCase();
  const families: Family[] = ipp === "inet6" ? [6] : ipp === "inet46" ? [4, 6] : [4];
  const proto = (text(r.protocol) ?? "").toLowerCase();
  const protocols = proto === "" || proto === "any" ? [undefined] : proto === "tcp/udp" ? ["tcp", "udp"] : [proto];
  const src = obj(r.source) ?? {};
  const dst = obj(r.destination) ?? {};
  const address = st.where.ruleAddress[k];
  const addrLine = address ? st.lines.at(address) : line;
  const disabled = has(r, "disabled") && text(r.disabled) !== "0" ? "the rule is disabled" : undefined;
  const { sources, unmet: sourceUnmet } = ruleSources(st, src, families, line, addrLine, disabled);
  // A rule with a schedule is active only during it (https://docs.netgate.com/pfsense/en/latest/firewall/time-based-rules.html):
  // a pass rule under one is not counted as coverage, a block rule under one is read as active.
  const sched = text(r.sched) ?? "";
  const unmetBefore = joinUnmet(
    sourceUnmet,
    conditionalUnmet(action, sched !== "" ? [`only during schedule "${sched}"`] : undefined),
  );
  const read = portsOf(st, text(dst.port) ?? "", line);
  if (read === null) return undefined;
  let ports = read;
  // Inbound on the WAN, a port-forwarded connection meets the rules as translated (forwardMiss); once it matched, the
  // rule's port is the checked one.
  const inbound = ctx === "quick" || ctx === "group" || ctx === "iface" || ctx === "late";
  const missed = inbound ? forwardMiss(st, dst, read, text(dst.port) ?? "", addrLine) : undefined;
  if (inbound && st.forward !== undefined && read !== undefined && missed === undefined)
    ports = [{ from: st.forward.from, to: st.forward.from }];
  const unmet = joinUnmet(unmetBefore, missed);
  const descr = text(r.descr);
  const icmp = proto.startsWith("icmp") ? text(r.icmptype) : undefined;
  const destination = destinationOf(st, dst, addrLine);
  return {
    destination,
    line,
    addrLine,
    action,
    ctx,
    ...(ctx === "late" ? { tier } : {}),
    ...(egress ? { egress } : {}),
    iface: ifs.join(",") || "any",
    sources,
    protocols,
    ...(ports ? { ports } : {}),
    ...(unmet ? { unmet } : {}),
    ...(descr ? { comment: descr } : {}),
    ...(icmp ? { qualifier: `icmptype ${icmp}` } : {}),
  };
}

/**
 * A port forward (<nat><rule>) whose filter rule association is "Pass" (<associated-rule-id>pass</associated-rule-id>):
 * the traffic it redirects passes without any firewall rule (pf "rdr pass"), before the filter rules are consulted.
 * https://docs.netgate.com/pfsense/en/latest/nat/port-forwards.html ("Filter rule association": Pass)
 */
function readNatPass(st: PfState, node: unknown, k: number): Rule | undefined {
  const r = obj(node);
  if (!r || (text(r["associated-rule-id"]) ?? "").toLowerCase() !== "pass") return undefined;
  const n = st.where.nat[k];
  const line = n ? st.lines.at(n) : st.first;
  const ifs = (text(r.interface) ?? "wan")
    .toLowerCase()
    .split(",")
    .filter((x) => x !== "");
  if (!ifs.includes(st.wanKey)) return undefined;
  const ipp = (text(r.ipprotocol) ?? "inet").toLowerCase();
  const families: Family[] = ipp === "inet6" ? [6] : ipp === "inet46" ? [4, 6] : [4];
  const proto = (text(r.protocol) ?? "").toLowerCase();
  const protocols = proto === "" || proto === "any" ? [undefined] : proto === "tcp/udp" ? ["tcp", "udp"] : [proto];
  const address = st.where.natAddress[k];
  const addrLine = address ? st.lines.at(address) : line;
  const disabled = has(r, "disabled") && text(r.disabled) !== "0" ? "the port forward is disabled" : undefined;
  const { sources, unmet } = ruleSources(st, obj(r.source) ?? {}, families, line, addrLine, disabled);
  const ports = portsOf(st, text(obj(r.destination)?.port) ?? "", line);
  if (ports === null) return undefined;
  const descr = text(r.descr);
  return {
    line,
    addrLine,
    action: "allow",
    ctx: "rdr-pass",
    iface: ifs.join(","),
    sources,
    protocols,
    ...(ports ? { ports } : {}),
    ...(unmet ? { unmet } : {}),
    comment: descr ? `port forward (pass): ${descr}` : "port forward (pass)",
  };
}

/** A rule's <source>: any, an address or alias, a network (never the Internet), negated with <not/>; and what it cannot meet. */
function ruleSources(
  st: PfState,
  src: X,
  families: Family[],
  line: Line,
  addrLine: Line,
  disabled: string | undefined,
): { sources: Source[]; unmet: string | undefined } {
  let sources: Source[] = [];
  let unmet = disabled;
  if (has(src, "any")) sources = anySources(families, "any").map((term) => ({ term, line }));
  else if (has(src, "address")) {
    const a = text(src.address) ?? "";
    const direct = readAddressTerm(a);
    if (direct.ok)
      sources = families.includes(direct.term.range.first.family) ? [{ term: direct.term, line: addrLine }] : [];
    else sources = resolveAlias(st, a, addrLine, families, new Set());
    // A source of the other address family only (an IPv4 alias in an inet6 rule): pf's rule matches no address. It was
    // left out without a word.
    const other: Family[] = families.includes(4) ? [6] : [4];
    if (sources.length === 0 && families.length === 1) {
      const held = direct.ok ? [direct.term] : (quietAlias(st, a, addrLine, other) ?? []);
      if (held.some((t) => t.range.first.family === other[0]))
        st.findings.push(
          finding(
            addrLine,
            "note",
            `The rule is for IPv${families[0]} only, and its source ${a} holds IPv${other[0]} addresses only: it matches no connection.`,
          ),
        );
    }
  } else if (has(src, "network")) {
    const n = text(src.network) ?? "";
    unmet ??= `only from the ${n} network (not an Internet sender)`;
    sources = anySources(families, n).map((term) => ({ term, line }));
  } else sources = anySources(families, "any").map((term) => ({ term, line }));
  if (has(src, "not")) {
    const ranges = sources.map((s) => s.term.range);
    sources = families.flatMap((f) =>
      complementTerms(
        ranges.filter((x) => x.first.family === f),
        f,
        text(src.address) ?? "source",
      ).map((term) => ({ term, line: addrLine })),
    );
  }
  if (has(src, "port") && (text(src.port) ?? "") !== "")
    unmet ??= `only from source port ${text(src.port)} (a new connection comes from an ephemeral port)`;
  return { sources, unmet };
}

function emitRule(entries: Entry[], r: Rule, context: number): void {
  for (const s of r.sources) {
    for (const protocol of r.protocols) {
      entries.push(
        pathEntry(s.line, s.term, {
          action: r.action,
          direction: "in",
          protocol,
          ports: r.ports,
          via: s.via,
          ruleLine: r.line.n,
          comment: r.comment,
          context,
          unmet: r.unmet,
          qualifier: r.qualifier,
          destination: r.destination,
        }),
      );
    }
  }
}

export const pfsenseParser: Parser = {
  id: "pfsense",
  label: "pfSense / OPNsense (config.xml)",
  detect(textIn: string): number {
    const head = detectHead(textIn);
    if (/<(?:pfsense|opnsense)>/.test(head) && /<(?:filter|aliases|interfaces)>/.test(head)) return 0.97;
    if (/<(?:pfsense|opnsense)>/.test(head)) return 0.9;
    return 0;
  },
  parse: parsePfsense,
};
