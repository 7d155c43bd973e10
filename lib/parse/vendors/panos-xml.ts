/**
 * PAN-OS running configuration XML (`show config running`, a saved running-config.xml, Panorama's device-group
 * scopes): every leaf value (address ip-netmask/ip-range/ip-wildcard/fqdn, address-group static members, service
 * ports, service-group members, security rule source/service/application/action/negate-source/disabled) is written
 * as the `set` command it stands for and read by the PAN-OS set reader (panos.ts); entries and findings are mapped
 * back to the line of the XML element they came from. Same semantics as the set form (PAN-OS "Security Policy",
 * https://docs.paloaltonetworks.com/pan-os/11-1/pan-os-admin/policy/security-policy).
 */
import type { Finding, ParseOptions, ParseOutput, Parser } from "../types";
import { type Line, countLines, finding, splitLines } from "./common";
import { detectHead } from "./linuxcommon";
import { panosParser } from "./panos";
import { relocate } from "./relocate";
import { type XmlTag, decodeXml, xmlTags } from "./xmltags";

/** An open element, with what the set form says up to and including it. */
interface Frame {
  readonly name: string;
  readonly line: number;
  /** Offset just after the open tag: a leaf's text starts here. */
  readonly start: number;
  children: number;
  /** The set-form words of the path so far, quoted and joined ("" for none). */
  readonly words: string;
  /** Whether the path names an address, address-group, service, service-group or security element. */
  readonly relevant: boolean;
}

/** Path elements with no word in the set form: the document wrapper, the device entry, list members. */
const SCOPE_ONLY = new Set(["config", "response", "result", "devices", "member"]);
const RELEVANT = new Set(["address", "address-group", "service", "service-group", "security"]);

function quote(w: string): string {
  return /[\s"]/.test(w) || w === "" ? `"${w.replace(/"/g, "")}"` : w;
}

/** The set-form word an element adds to its parent's path: its name, an entry's name attribute, or none. */
function setWord(name: string, entry: string | undefined, parent: Frame | undefined): string | undefined {
  if (SCOPE_ONLY.has(name) || (name === "entry" && parent?.name === "devices")) return undefined;
  return name === "entry" ? (entry ?? "") : name;
}

function open(stack: Frame[], t: XmlTag): void {
  const parent = stack[stack.length - 1];
  const word = setWord(t.name, t.attrs.name, parent);
  const words =
    word === undefined
      ? (parent?.words ?? "")
      : parent === undefined || parent.words === ""
        ? quote(word)
        : `${parent.words} ${quote(word)}`;
  const relevant = (parent?.relevant ?? false) || (word !== undefined && RELEVANT.has(word));
  stack.push({ name: t.name, line: t.line, start: t.end, children: 0, words, relevant });
}

/** Every leaf value under an address, group, service or security element, as the set command it stands for. */
function xmlToSet(text: string): { out: string[]; origin: number[] } {
  const stack: Frame[] = [];
  const out: string[] = [];
  const origin: number[] = [];
  for (const t of xmlTags(text)) {
    if (!t.close) {
      const parent = stack[stack.length - 1];
      if (parent) parent.children++;
      if (!t.selfClose) open(stack, t);
      continue;
    }
    let idx = stack.length - 1;
    while (idx >= 0 && stack[idx]!.name !== t.name) idx--;
    if (idx < 0) continue;
    const f = stack[idx]!;
    if (idx === stack.length - 1 && f.children === 0 && f.relevant) {
      // A leaf: its text is the value of the set command its path stands for.
      const raw = text.slice(f.start, t.start).trim();
      const value = raw.includes("&") ? decodeXml(raw) : raw;
      if (value !== "") {
        out.push(`set ${f.words} ${quote(value)}`);
        origin.push(f.line);
      }
    }
    stack.length = idx;
  }
  return { out, origin };
}

export function parsePanosXml(text: string, options: ParseOptions = {}): ParseOutput {
  const lines = splitLines(text);
  const findings: Finding[] = [];
  const at = (n: number): Line => lines[n - 1] ?? { n, text: "" };
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
    lineCount: countLines(text),
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
