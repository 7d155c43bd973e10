/**
 * PAN-OS running configuration XML (`show config running`, a saved running-config.xml, Panorama's device-group
 * scopes): every leaf value (address ip-netmask/ip-range/ip-wildcard/fqdn, address-group static members, service
 * ports, service-group members, security rule source/service/application/action/negate-source/disabled) is written
 * as the `set` command it stands for and read by the PAN-OS set reader (panos.ts); entries and findings are mapped
 * back to the line of the XML element they came from. Same semantics as the set form (PAN-OS "Security Policy",
 * https://docs.paloaltonetworks.com/pan-os/11-1/pan-os-admin/policy/security-policy).
 */
import type { Finding, ParseOptions, ParseOutput, Parser } from "../types";
import { type Line, TextLines, finding } from "./common";
import { detectHead } from "./linuxcommon";
import { panosParser } from "./panos";
import { relocate } from "./relocate";
import { XmlScanner, decodeXml } from "./xmltags";

/** Path elements with no word in the set form: the document wrapper, the device entry, list members. */
const SCOPE_ONLY = new Set(["config", "response", "result", "devices", "member"]);
const RELEVANT = new Set([
  "address",
  "address-group",
  "service",
  "service-group",
  "security",
  "default-security-rules",
]);

function quote(w: string): string {
  return /[\s"]/.test(w) || w === "" ? `"${w.replace(/"/g, "")}"` : w;
}

/**
 * The open elements, as parallel stacks (the depth-th is the innermost): each one's name, line, the offset just after
 * its open tag (a leaf's text starts there), how many children it has had, the set-form words of the path up to and
 * including it (quoted and joined, "" for none), and whether that path names an address, address-group, service,
 * service-group or security element. Reused from element to element: no object per element.
 */
interface Open {
  depth: number;
  readonly names: string[];
  readonly lines: number[];
  readonly starts: number[];
  readonly children: number[];
  readonly words: string[];
  readonly relevant: boolean[];
}

/** The set-form word the element t opens adds to its parent's path (the element at `parent`): its name, an entry's name attribute, or none. */
function setWord(t: XmlScanner, s: Open, parent: number): string | undefined {
  const name = t.name;
  if (SCOPE_ONLY.has(name) || (name === "entry" && parent >= 0 && s.names[parent] === "devices")) return undefined;
  // An element name has no white space or quote: it is its own quoted word.
  return name === "entry" ? quote(t.attr("name") ?? "") : name;
}

function open(s: Open, t: XmlScanner): void {
  const parent = s.depth - 1;
  const word = setWord(t, s, parent);
  const parentWords = parent >= 0 ? s.words[parent]! : "";
  const k = s.depth++;
  s.names[k] = t.name;
  s.lines[k] = t.line;
  s.starts[k] = t.end;
  s.children[k] = 0;
  s.words[k] = word === undefined ? parentWords : parentWords === "" ? word : `${parentWords} ${word}`;
  s.relevant[k] = (parent >= 0 && s.relevant[parent]!) || (word !== undefined && RELEVANT.has(word));
}

/** Every leaf value under an address, group, service or security element, as the set command it stands for. */
function xmlToSet(text: string): { out: string[]; origin: number[] } {
  const s: Open = { depth: 0, names: [], lines: [], starts: [], children: [], words: [], relevant: [] };
  const out: string[] = [];
  const origin: number[] = [];
  const t = new XmlScanner(text);
  while (t.next()) {
    if (!t.close) {
      if (s.depth > 0) s.children[s.depth - 1] = s.children[s.depth - 1]! + 1;
      if (!t.selfClose) open(s, t);
      continue;
    }
    let idx = s.depth - 1;
    while (idx >= 0 && s.names[idx] !== t.name) idx--;
    if (idx < 0) continue;
    if (idx === s.depth - 1 && s.children[idx] === 0 && s.relevant[idx]) {
      // A leaf: its text is the value of the set command its path stands for.
      const raw = text.slice(s.starts[idx], t.start).trim();
      const value = raw.includes("&") ? decodeXml(raw) : raw;
      if (value !== "") {
        out.push(`set ${s.words[idx]} ${quote(value)}`);
        origin.push(s.lines[idx]!);
      }
    }
    s.depth = idx;
  }
  return { out, origin };
}

export function parsePanosXml(text: string, options: ParseOptions = {}): ParseOutput {
  // Lines are made when an entry or finding names them.
  const lines = new TextLines(text);
  const findings: Finding[] = [];
  const at = (n: number): Line => lines.at(n);
  const { out, origin } = xmlToSet(text);
  if (out.length === 0 && text.trim() !== "")
    findings.push(
      finding(at(1), "not-understood", "No address, service or security rule element was found in this XML."),
    );
  const read = panosParser.parse(out.join("\n") + "\n", options);
  const r = relocate(read, origin, at, findings);
  return {
    format: "panos-xml",
    entries: r.entries,
    findings: r.findings,
    lineCount: lines.length,
    notes: r.notes,
    ...(r.path ? { path: r.path } : {}),
  };
}

export const panosXmlParser: Parser = {
  id: "panos-xml",
  label: "PAN-OS running config (XML)",
  detect(text: string): number {
    const head = detectHead(text);
    if (/<config\b[^>]*\burldb=|<config\s+version="\d/.test(head) && /<(?:devices|shared|rulebase|address)>/.test(head))
      return 0.97;
    if (/<rulebase>\s*<security>/.test(head) || /<entry name="[^"]*">\s*<ip-netmask>/.test(head)) return 0.9;
    return 0;
  },
  parse: parsePanosXml,
};
