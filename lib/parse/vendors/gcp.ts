/**
 * GCP VPC firewall rules: `gcloud compute firewall-rules list --format=json` (or one rule). Ingress rules are emitted
 * by priority (lowest number first; at equal priority deny wins, as GCP documents), then egress rules.
 */
import type { Action, Entry, Finding, ParseOutput, Parser, PortRange } from "../types";
import { finding, parsePortRange, readAddressTerm, TextLines } from "./common";
import { type JNode, field, items, looksLikeJson, num, readJson, str } from "./jsonloc";
import { detectHead, makeEntry } from "./linuxcommon";

const PROTOCOL_NUMBERS: Record<string, string> = { "6": "tcp", "17": "udp", "1": "icmp", "58": "ipv6-icmp" };

interface Service {
  readonly protocol?: string;
  readonly ports?: PortRange[];
}

interface GcpRule {
  readonly order: number;
  readonly priority: number;
  readonly direction: "in" | "out";
  readonly action: Action;
  readonly services: Service[];
  readonly ranges: readonly JNode[];
  readonly name?: string;
  readonly disabled?: boolean;
}

function services(list: readonly JNode[], lines: TextLines, findings: Finding[]): Service[] {
  const out: Service[] = [];
  for (const s of list) {
    const raw = (str(field(s, "IPProtocol")) ?? "all").toLowerCase();
    const protocol = raw === "all" ? undefined : (PROTOCOL_NUMBERS[raw] ?? raw);
    const ports: PortRange[] = [];
    for (const p of items(field(s, "ports"))) {
      const r = parsePortRange(str(p) ?? String(num(p) ?? ""));
      if (r) ports.push(r);
      else findings.push(finding(lines.at(p.line), "invalid", `"${str(p) ?? ""}" is not a port or port range.`));
    }
    out.push({ ...(protocol ? { protocol } : {}), ...(ports.length > 0 ? { ports } : {}) });
  }
  return out;
}

export function parseGcp(text: string): ParseOutput {
  const lines = new TextLines(text);
  const findings: Finding[] = [];
  const entries: Entry[] = [];
  const json = readJson(text, lines);
  if (!json.ok)
    return {
      format: "gcp",
      entries,
      findings: json.finding ? [json.finding] : [],
      lineCount: lines.length,
      notes: [],
    };
  const list = json.root.t === "arr" ? json.root.items : [json.root];
  const rules: GcpRule[] = [];
  list.forEach((r, order) => {
    const name = str(field(r, "name"));
    const at = lines.at(r.line);
    const disabledNode = field(r, "disabled");
    const disabled = disabledNode?.t === "lit" && disabledNode.v === true;
    const direction = (str(field(r, "direction")) ?? "INGRESS").toUpperCase() === "EGRESS" ? "out" : "in";
    const allowed = items(field(r, "allowed"));
    const denied = items(field(r, "denied"));
    if (allowed.length === 0 && denied.length === 0) {
      findings.push(finding(at, "not-understood", `Rule "${name ?? ""}" has neither "allowed" nor "denied".`));
      return;
    }
    const ranges = items(field(r, direction === "in" ? "sourceRanges" : "destinationRanges"));
    if (direction === "in" && (field(r, "sourceTags") || field(r, "sourceServiceAccounts"))) {
      findings.push(
        finding(
          at,
          "undefined-reference",
          `Rule "${name ?? ""}" also matches source tags or service accounts: they are not resolved (they name VMs, not published addresses).`,
        ),
      );
      if (ranges.length === 0) return;
    }
    const action: Action = allowed.length > 0 ? "allow" : "deny";
    rules.push({
      order,
      priority: num(field(r, "priority")) ?? 1000,
      direction,
      action,
      services: services(action === "allow" ? allowed : denied, lines, findings),
      ranges,
      ...(name ? { name } : {}),
      ...(disabled ? { disabled: true } : {}),
    });
  });
  rules.sort(
    (a, b) =>
      (a.direction === b.direction ? 0 : a.direction === "in" ? -1 : 1) ||
      a.priority - b.priority ||
      (a.action === b.action ? 0 : a.action === "deny" ? -1 : 1) ||
      a.order - b.order,
  );
  for (const rule of rules) {
    for (const node of rule.ranges) {
      const line = lines.at(node.line);
      const r = readAddressTerm(str(node) ?? "");
      if (!r.ok) {
        findings.push(finding(line, r.kind, r.message));
        continue;
      }
      for (const s of rule.services) {
        const e = makeEntry(line, r.term, {
          action: rule.action,
          direction: rule.direction,
          protocol: s.protocol,
          ports: s.ports,
          comment: rule.name,
        });
        entries.push(rule.disabled ? { ...e, unmet: "disabled" } : e);
      }
    }
  }
  return {
    format: "gcp",
    entries,
    findings: findings.sort((a, b) => a.line - b.line),
    lineCount: lines.length,
    notes: [],
  };
}

export const gcpParser: Parser = {
  id: "gcp",
  label: "GCP firewall rules (gcloud JSON)",
  detect(text: string): number {
    const head = detectHead(text);
    if (!looksLikeJson(head)) return 0;
    const ranges = /"(?:sourceRanges|destinationRanges)"\s*:/.test(head);
    const verdict = /"(?:allowed|denied)"\s*:/.test(head) && /"IPProtocol"\s*:/.test(head);
    if (ranges && verdict) return 0.95;
    if (verdict || (ranges && /"compute#firewall"/.test(head))) return 0.8;
    return 0;
  },
  parse: parseGcp,
};
