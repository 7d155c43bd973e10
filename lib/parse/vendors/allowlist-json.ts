/**
 * This app's own JSON export (lib/export/formats/json.ts): `{ provider, protocol, ports: [{from, to}], destination,
 * prefixes: [{ cidr, family, regions?, products? }] }` — each prefix allowed on the document's protocol and ports.
 */
import type { Entry, Finding, ParseOutput, Parser, PortRange } from "../types";
import { finding, readAddressTerm, TextLines } from "./common";
import { type JNode, cursor, field, items, looksLikeJson, num, readJson, str } from "./jsonloc";
import { detectHead, makeEntry } from "./linuxcommon";

/** The strings of a list joined with ", " (what `.map(str).filter(defined).join(", ")` gives), without the arrays. */
function joinStrings(node: JNode | undefined): string {
  let out = "";
  let first = true;
  for (const n of items(node)) {
    if (n.t !== "str") continue;
    out = first ? n.v : `${out}, ${n.v}`;
    first = false;
  }
  return out;
}

/** A prefix's regions, then its products, as the entry's comment; undefined when it has neither. */
function prefixComment(p: JNode): string | undefined {
  const regions = joinStrings(field(p, "regions"));
  const products = joinStrings(field(p, "products"));
  const text = regions !== "" && products !== "" ? `${regions} ${products}` : regions !== "" ? regions : products;
  return text === "" ? undefined : text;
}

export function parseAllowlistJson(text: string): ParseOutput {
  const lines = new TextLines(text);
  const findings: Finding[] = [];
  const entries: Entry[] = [];
  // Streamed: each prefix is built as it is read and dropped once it is an entry.
  const json = readJson(text, lines, true);
  const base = { format: "allowlist-json" as const, lineCount: lines.length, notes: [] as string[] };
  if (!json.ok) return { ...base, entries, findings: json.finding ? [json.finding] : [] };
  const root = json.root;
  const protocol = str(field(root, "protocol"))?.toLowerCase();
  const ports: PortRange[] = [];
  for (const p of items(field(root, "ports"))) {
    const from = num(field(p, "from"));
    const to = num(field(p, "to")) ?? from;
    if (
      from === undefined ||
      to === undefined ||
      !Number.isInteger(from) ||
      !Number.isInteger(to) ||
      from < 0 ||
      to > 65535 ||
      from > to
    ) {
      findings.push(finding(lines.at(p.line), "invalid", 'A port range needs integer "from" ≤ "to" within 0–65535.'));
      continue;
    }
    ports.push({ from, to });
  }
  const list = cursor(field(root, "prefixes"));
  for (let p = list.next(); p; p = list.next()) {
    const node = field(p, "cidr") ?? p;
    const at = lines.at(node.line);
    const r = readAddressTerm(str(node) ?? "");
    if (!r.ok) {
      findings.push(finding(at, r.kind, r.message));
      continue;
    }
    entries.push(
      makeEntry(at, r.term, {
        action: "allow",
        direction: "in",
        protocol: protocol === "any" ? undefined : protocol,
        ports: ports.length > 0 ? ports : undefined,
        comment: prefixComment(p),
      }),
    );
  }
  return { ...base, entries, findings: findings.sort((a, b) => a.line - b.line) };
}

export const allowlistJsonParser: Parser = {
  id: "allowlist-json",
  label: "Allowlist JSON (this app's export)",
  detect(text: string): number {
    const head = detectHead(text);
    if (!looksLikeJson(head)) return 0;
    return /"prefixes"\s*:\s*\[/.test(head) && /"cidr"\s*:/.test(head) && /"(?:protocol|scope)"\s*:/.test(head)
      ? 0.95
      : 0;
  },
  parse: parseAllowlistJson,
};
