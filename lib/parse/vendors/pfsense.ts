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
import type { Action, Entry, Finding, ParseOptions, ParseOutput, Parser, PathContext, PortRange } from "../types";
import type { Family } from "../../ip/types";
import { type AddressTerm, type Line, countLines, finding, parsePortRange, readAddressTerm, splitLines } from "./common";
import { anySources, pathEntry } from "./hostcommon";
import { complementTerms, detectHead } from "./linuxcommon";
import { xmlTags } from "./xmltags";

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

interface Alias {
  readonly name: string;
  readonly type: string;
  readonly entries: readonly string[];
  readonly line: Line;
}

/** Lines of the <rule> elements under <filter> and the <alias> elements, in document order. */
function elementLines(textIn: string, lines: readonly Line[]): { rules: { rule: Line; address?: Line }[]; aliases: { alias: Line; content?: Line }[] } {
  const at = (n: number): Line => lines[n - 1] ?? { n, text: "" };
  const stack: string[] = [];
  const rules: { rule: Line; address?: Line }[] = [];
  const aliases: { alias: Line; content?: Line }[] = [];
  for (const t of xmlTags(textIn)) {
    if (t.close) {
      const i = stack.lastIndexOf(t.name);
      if (i >= 0) stack.length = i;
      continue;
    }
    const parent = stack[stack.length - 1];
    if (t.name === "rule" && parent === "filter") rules.push({ rule: at(t.line) });
    else if (t.name === "alias" && parent === "aliases") aliases.push({ alias: at(t.line) });
    else if (t.name === "address" && parent === "source" && stack.includes("rule")) {
      const r = rules[rules.length - 1];
      if (r && !r.address) r.address = at(t.line);
    } else if ((t.name === "address" || t.name === "content") && parent === "alias") {
      const a = aliases[aliases.length - 1];
      if (a && !a.content) a.content = at(t.line);
    }
    if (!t.selfClose) stack.push(t.name);
  }
  return { rules, aliases };
}

export function parsePfsense(textIn: string, options: ParseOptions = {}): ParseOutput {
  const lines = splitLines(textIn);
  const findings: Finding[] = [];
  const base = { format: "pfsense" as const, lineCount: countLines(textIn), notes: [] as string[] };
  const first: Line = lines[0] ?? { n: 1, text: "" };
  if (textIn.trim() === "") return { ...base, entries: [], findings: [] };
  // A paste often starts with a blank line; the XML declaration must open the document.
  const body = textIn.trimStart();
  const lead = textIn.slice(0, textIn.length - body.length).split("\n").length - 1;
  const valid = XMLValidator.validate(body);
  if (valid !== true) {
    const n = valid.err.line + lead;
    return { ...base, entries: [], findings: [finding(lines[n - 1] ?? first, "invalid", `Not well-formed XML: ${valid.err.msg}`)] };
  }
  let doc: X;
  try {
    doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@_", parseTagValue: false, trimValues: true, isArray: (name) => ARRAYS.has(name), processEntities: true }).parse(body) as X;
  } catch (e) {
    return { ...base, entries: [], findings: [finding(first, "invalid", `XML: ${e instanceof Error ? e.message : String(e)}`)] };
  }
  const root = obj(doc.pfsense) ?? obj(doc.opnsense);
  if (!root) return { ...base, entries: [], findings: [finding(first, "not-understood", "The root element is neither <pfsense> nor <opnsense>.")] };
  const where = elementLines(textIn, lines);

  // Interfaces: key (wan, lan, opt1) → description and device.
  const ifaces = new Map<string, string[]>();
  for (const [key, v] of Object.entries(obj(root.interfaces) ?? {})) ifaces.set(key, [key, text(obj(v)?.descr) ?? "", text(obj(v)?.if) ?? ""].filter((x) => x !== ""));
  const want = (options.ingress ?? "wan").toLowerCase();
  const wanKey = [...ifaces].find(([, names]) => names.some((n) => n.toLowerCase() === want))?.[0] ?? "wan";

  // Aliases: pfSense <aliases><alias>, OPNsense <OPNsense><Firewall><Alias><aliases><alias>.
  const aliasNodes = [...arr(obj(root.aliases)?.alias), ...arr(obj(obj(obj(obj(root.OPNsense)?.Firewall)?.Alias)?.aliases)?.alias)];
  const aliases = new Map<string, Alias>();
  aliasNodes.forEach((node, k) => {
    const a = obj(node);
    const name = text(a?.name) ?? "";
    const pos = where.aliases[k];
    const line = pos?.content ?? pos?.alias ?? first;
    const raw = text(a?.address) ?? text(a?.content) ?? "";
    if (has(a, "enabled") && text(a?.enabled) === "0") return;
    aliases.set(name.toLowerCase(), { name, type: (text(a?.type) ?? "").toLowerCase(), entries: raw.split(/[\s,]+/).filter((x) => x !== ""), line });
  });

  const resolveAlias = (name: string, line: Line, family: Family[], seen: Set<string>): { term: AddressTerm; line: Line; via: string[] }[] => {
    const a = aliases.get(name.toLowerCase());
    if (!a) {
      findings.push(finding(line, "undefined-reference", `"${name}" is neither an address nor an alias of this configuration.`));
      return [];
    }
    if (seen.has(a.name)) {
      findings.push(finding(line, "reference-loop", `Alias "${a.name}" includes itself.`));
      return [];
    }
    if (a.type.startsWith("url") || a.type === "geoip" || a.type === "dynipv6host" || a.type === "asn") {
      findings.push(finding(a.line, "not-understood", `Alias "${a.name}" (${a.type}) is filled from outside the configuration: unresolved, not read.`));
      return [];
    }
    const out: { term: AddressTerm; line: Line; via: string[] }[] = [];
    seen.add(a.name);
    for (const e of a.entries) {
      const r = readAddressTerm(e);
      if (r.ok) {
        if (family.includes(r.term.range.first.family)) out.push({ term: r.term, line: a.line, via: [a.name] });
      } else if (aliases.has(e.toLowerCase())) out.push(...resolveAlias(e, a.line, family, seen).map((x) => ({ ...x, via: [a.name, ...x.via] })));
      else findings.push(finding(a.line, r.kind, r.message));
    }
    seen.delete(a.name);
    return out;
  };

  const portsOf = (spec: string, line: Line): PortRange[] | undefined | null => {
    if (spec === "" || spec.toLowerCase() === "any") return undefined;
    const r = parsePortRange(spec.replace(":", "-"));
    if (r) return [r];
    const a = aliases.get(spec.toLowerCase());
    if (a && a.type === "port") {
      const out: PortRange[] = [];
      for (const e of a.entries) {
        const p = parsePortRange(e.replace(":", "-"));
        if (p) out.push(p);
      }
      return out;
    }
    findings.push(finding(line, "not-understood", `Port "${spec}" is neither a port, a range nor a port alias.`));
    return null;
  };

  interface Rule {
    readonly line: Line;
    readonly addrLine: Line;
    readonly action: Action;
    readonly ctx: "quick" | "iface" | "late" | "off";
    readonly iface: string;
    readonly sources: { term: AddressTerm; line: Line; via?: string[] }[];
    readonly protocols: (string | undefined)[];
    readonly ports?: PortRange[];
    readonly unmet?: string;
    readonly comment?: string;
  }
  const rules: Rule[] = [];
  arr(obj(root.filter)?.rule).forEach((node, k) => {
    const r = obj(node);
    const pos = where.rules[k];
    const line = pos?.rule ?? first;
    if (!r) return;
    const type = (text(r.type) ?? "pass").toLowerCase();
    const action: Action = type === "pass" ? "allow" : "deny";
    if (type !== "pass" && type !== "block" && type !== "reject") {
      findings.push(finding(line, "not-understood", `Rule type "${type}" is not pass, block or reject.`));
      return;
    }
    const floating = has(r, "floating") && text(r.floating) !== "no";
    const ifs = (text(r.interface) ?? "").toLowerCase().split(",").filter((x) => x !== "");
    const onWan = ifs.includes(wanKey) || (floating && ifs.length === 0);
    const direction = (text(r.direction) ?? "in").toLowerCase();
    const quick = has(r, "quick") && text(r.quick) !== "no" && text(r.quick) !== "0";
    const ctx: Rule["ctx"] = !onWan || direction === "out" ? "off" : floating ? (quick ? "quick" : "late") : "iface";
    const ipp = (text(r.ipprotocol) ?? "inet").toLowerCase();
    const families: Family[] = ipp === "inet6" ? [6] : ipp === "inet46" ? [4, 6] : [4];
    const proto = (text(r.protocol) ?? "").toLowerCase();
    const protocols = proto === "" || proto === "any" ? [undefined] : proto === "tcp/udp" ? ["tcp", "udp"] : [proto];
    const src = obj(r.source) ?? {};
    const dst = obj(r.destination) ?? {};
    const addrLine = pos?.address ?? line;
    let sources: { term: AddressTerm; line: Line; via?: string[] }[] = [];
    let unmet = has(r, "disabled") && text(r.disabled) !== "0" ? "the rule is disabled" : undefined;
    if (has(src, "any")) sources = anySources(families, "any").map((term) => ({ term, line }));
    else if (has(src, "address")) {
      const a = text(src.address) ?? "";
      const direct = readAddressTerm(a);
      if (direct.ok) sources = families.includes(direct.term.range.first.family) ? [{ term: direct.term, line: addrLine }] : [];
      else sources = resolveAlias(a, addrLine, families, new Set());
    } else if (has(src, "network")) {
      const n = text(src.network) ?? "";
      unmet ??= `only from the ${n} network (not an Internet sender)`;
      sources = anySources(families, n).map((term) => ({ term, line }));
    } else sources = anySources(families, "any").map((term) => ({ term, line }));
    if (has(src, "not")) {
      const ranges = sources.map((s) => s.term.range);
      sources = families.flatMap((f) => complementTerms(ranges.filter((x) => x.first.family === f), f, text(src.address) ?? "source").map((term) => ({ term, line: addrLine })));
    }
    if (has(src, "port") && (text(src.port) ?? "") !== "") unmet ??= `only from source port ${text(src.port)} (a new connection comes from an ephemeral port)`;
    const ports = portsOf(text(dst.port) ?? "", line);
    if (ports === null) return;
    const descr = text(r.descr);
    rules.push({ line, addrLine, action, ctx, iface: ifs.join(",") || "any", sources, protocols, ...(ports ? { ports } : {}), ...(unmet ? { unmet } : {}), ...(descr ? { comment: descr } : {}) });
  });

  const contexts: PathContext[] = [
    { name: `${wanKey.toUpperCase()} rules (with floating rules)`, line: 0, text: "", fallthrough: "deny", onPath: true, reason: "a connection from the Internet arrives on this interface" },
    { name: "rules of other interfaces", line: 0, text: "", fallthrough: "deny", onPath: false, reason: `they filter traffic arriving on other interfaces than ${wanKey}` },
  ];
  const entries: Entry[] = [];
  const emit = (r: Rule, context: number): void => {
    for (const s of r.sources) for (const protocol of r.protocols) entries.push(pathEntry(s.line, s.term, { action: r.action, direction: "in", protocol, ports: r.ports, via: s.via, ruleLine: r.line.n, comment: r.comment, context, unmet: r.unmet }));
  };
  for (const r of rules) if (r.ctx === "quick") emit(r, 0);
  for (const r of rules) if (r.ctx === "iface") emit(r, 0);
  // Non-quick floating rules: the last match wins, and only when no rule above matched.
  for (const r of [...rules].reverse()) if (r.ctx === "late") emit(r, 0);
  for (const r of rules) if (r.ctx === "off") emit(r, 1);
  const flavour = has(doc, "opnsense") ? "OPNsense" : "pfSense";
  return {
    ...base,
    entries,
    findings: findings.sort((a, b) => a.line - b.line),
    path: {
      contexts,
      kind: "forward",
      ingress: wanKey,
      assumption: `Read as ${flavour} traffic arriving on ${wanKey}${options.ingress === undefined ? " (the WAN interface)" : ""}: floating quick rules, then its interface rules, first match; default deny. Override with --ingress <interface>.`,
    },
  };
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
