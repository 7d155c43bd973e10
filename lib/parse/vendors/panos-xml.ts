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
import { decodeXml, xmlTags } from "./xmltags";

/** Scope words of the set form for the XML path so far, or undefined when the path is not a configuration scope. */
function setWords(stack: readonly { name: string; entry?: string }[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < stack.length; i++) {
    const f = stack[i]!;
    if (f.name === "config" || f.name === "response" || f.name === "result") continue;
    if (f.name === "devices" || (f.name === "entry" && stack[i - 1]?.name === "devices")) continue;
    if (f.name === "member") continue;
    if (f.name === "entry") out.push(f.entry ?? "");
    else out.push(f.name);
  }
  return out;
}

function quote(w: string): string {
  return /[\s"]/.test(w) || w === "" ? `"${w.replace(/"/g, "")}"` : w;
}

export function parsePanosXml(text: string, options: ParseOptions = {}): ParseOutput {
  const lines = splitLines(text);
  const findings: Finding[] = [];
  const at = (n: number): Line => lines[n - 1] ?? { n, text: "" };
  const stack: { name: string; entry?: string; line: number; start: number; children: number }[] = [];
  const out: string[] = [];
  const origin: number[] = [];
  for (const t of xmlTags(text)) {
    if (!t.close) {
      const parent = stack[stack.length - 1];
      if (parent) parent.children++;
      if (t.selfClose) continue;
      stack.push({ name: t.name, ...(t.attrs.name !== undefined ? { entry: t.attrs.name } : {}), line: t.line, start: t.end, children: 0 });
      continue;
    }
    const idx = stack.map((f) => f.name).lastIndexOf(t.name);
    if (idx < 0) continue;
    const f = stack[idx]!;
    if (idx === stack.length - 1 && f.children === 0) {
      // A leaf: its text is the value of the set command its path stands for.
      const value = decodeXml(text.slice(f.start, t.start).trim());
      const words = setWords(stack);
      const relevant = words.some((w) => w === "address" || w === "address-group" || w === "service" || w === "service-group" || w === "security");
      if (relevant && value !== "") {
        out.push(`set ${words.map(quote).join(" ")} ${quote(value)}`);
        origin.push(f.line);
      }
    }
    stack.length = idx;
  }
  if (out.length === 0 && text.trim() !== "") findings.push(finding(at(1), "not-understood", "No address, service or security rule element was found in this XML."));
  const read = panosParser.parse(out.join("\n") + "\n", options);
  const back = (n: number): Line => at(origin[n - 1] ?? 1);
  const entries = read.entries.map((e) => ({ ...e, line: back(e.line).n, text: back(e.line).text, ...(e.ruleLine !== undefined ? { ruleLine: back(e.ruleLine).n } : {}) }));
  const all = [...findings, ...read.findings.map((f) => ({ ...f, line: back(f.line).n, text: back(f.line).text }))].sort((a, b) => a.line - b.line);
  const path = read.path ? { ...read.path, contexts: read.path.contexts.map((c) => (c.line > 0 ? { ...c, line: back(c.line).n, text: back(c.line).text } : c)) } : undefined;
  return { format: "panos-xml", entries, findings: all, lineCount: countLines(text), notes: read.notes, ...(path ? { path } : {}) };
}

export const panosXmlParser: Parser = {
  id: "panos-xml",
  label: "PAN-OS running config (XML)",
  detect(text: string): number {
    const head = detectHead(text);
    if (/<config\b[^>]*\burldb=|<config\s+version="\d/.test(head) && /<(?:devices|shared|rulebase|address)>/.test(head)) return 0.97;
    if (/<rulebase>\s*<security>/.test(head) || /<entry name="[^"]*">\s*<ip-netmask>/.test(head)) return 0.9;
    return 0;
  },
  parse: parsePanosXml,
};
