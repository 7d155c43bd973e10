/**
 * GCP VPC firewall rules: `gcloud compute firewall-rules list --format=json` (or one rule). Ingress rules are emitted
 * by priority (lowest number first; at equal priority deny wins, as GCP documents), then egress rules.
 */
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
import type { Range } from "../../ip/types";
import { type AddressTerm, type Line, finding, parsePortRange, readAddressTerm, TextLines } from "./common";
import { type JNode, cursor, field, items, looksLikeJson, num, readJson, str } from "./jsonloc";
import { anyTerms, detectHead, makeEntry } from "./linuxcommon";

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
  /** No source (or destination) given: the API stores 0.0.0.0/0, read at the rule's line. */
  readonly impliedAny?: number;
  readonly name?: string;
  readonly disabled?: boolean;
  /** The VPC network's name (the last part of its URL); "" when the rule does not say. */
  readonly network: string;
  /** An ingress rule's destinationRanges, when every one reads (Entry.destination). */
  readonly destination?: Destination | undefined;
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
    // Both keys always (undefined when absent): one shape for the entry loop to read.
    out.push({ protocol: protocol ? protocol : undefined, ports: ports.length > 0 ? ports : undefined });
  }
  return out;
}

/**
 * What limits an ingress rule to some VMs of its network ("Target tags", "Target service accounts"; no target: every VM
 * of the network, https://cloud.google.com/firewall/docs/firewalls#rule_assignment), said in words; undefined for none.
 */
function targetScope(r: JNode): { readonly text: string; readonly one: boolean } | undefined {
  const words = (key: string) => items(field(r, key)).map((n) => str(n) ?? "");
  const tags = words("targetTags");
  const accounts = words("targetServiceAccounts");
  const said = (list: string[], one: string, many: string) => ({
    text: `${list.length === 1 ? one : many} ${list.slice(0, 5).join(", ")}${list.length > 5 ? ` and ${list.length - 5} more` : ""}`,
    one: list.length === 1,
  });
  if (tags.length > 0) return said(tags, "the network tag", "one of the network tags");
  if (accounts.length > 0) return said(accounts, "the service account", "one of the service accounts");
  return undefined;
}

export function parseGcp(text: string, options: ParseOptions = {}): ParseOutput {
  const lines = new TextLines(text);
  const findings: Finding[] = [];
  const entries: Entry[] = [];
  // Streamed: each rule is built as it is read; only its range nodes are kept (until the rules are sorted).
  const json = readJson(text, lines, true);
  if (!json.ok)
    return {
      format: "gcp",
      entries,
      findings: json.finding ? [json.finding] : [],
      lineCount: lines.length,
      notes: [],
    };
  // The REST API's firewalls.list answer (a FirewallList: "kind": "compute#firewallList", the rules in "items",
  // https://cloud.google.com/compute/docs/reference/rest/v1/firewalls/list) holds the rules one level down.
  const root = json.root;
  const wrapped =
    root.t === "obj" && field(root, "items")?.t === "arr" && !field(root, "allowed") && !field(root, "denied");
  const list = cursor(root.t === "arr" ? root : wrapped ? field(root, "items") : [root]);
  const pageToken = wrapped ? field(root, "nextPageToken") : undefined;
  if (pageToken && str(pageToken))
    findings.push(
      finding(
        lines.at(pageToken.line),
        "note",
        "The list has a nextPageToken: it is one page of the network's rules, and the rules of the next pages are not in the paste.",
      ),
    );
  const rules: GcpRule[] = [];
  let order = -1;
  for (let r = list.next(); r; r = list.next()) {
    order++;
    const name = str(field(r, "name"));
    const at = lines.at(r.line);
    const disabledNode = field(r, "disabled");
    const disabled = disabledNode?.t === "lit" && disabledNode.v === true;
    const direction = (str(field(r, "direction")) ?? "INGRESS").toUpperCase() === "EGRESS" ? "out" : "in";
    const allowed = items(field(r, "allowed"));
    const denied = items(field(r, "denied"));
    if (allowed.length === 0 && denied.length === 0) {
      findings.push(finding(at, "not-understood", `Rule "${name ?? ""}" has neither "allowed" nor "denied".`));
      continue;
    }
    const rangesNode = field(r, direction === "in" ? "sourceRanges" : "destinationRanges");
    const ranges = items(rangesNode);
    if (rangesNode && rangesNode.t !== "arr")
      findings.push(
        finding(
          lines.at(rangesNode.line),
          "invalid",
          `${direction === "in" ? "sourceRanges" : "destinationRanges"} is not a list: not read.`,
        ),
      );
    const byIdentity = direction === "in" && (field(r, "sourceTags") || field(r, "sourceServiceAccounts"));
    // No range, tag or service account: the API sets 0.0.0.0/0 (https://cloud.google.com/firewall/docs/firewalls
    // "Sources for ingress rules", "Destinations for egress rules").
    const impliedAny = rangesNode === undefined && !byIdentity ? r.line : undefined;
    if (byIdentity) {
      findings.push(
        finding(
          at,
          "undefined-reference",
          `Rule "${name ?? ""}" also matches source tags or service accounts: they are not resolved (they name VMs, not published addresses).`,
        ),
      );
      if (ranges.length === 0) continue;
    }
    const action: Action = allowed.length > 0 ? "allow" : "deny";
    const scope = targetScope(r);
    if (direction === "in" && scope !== undefined)
      findings.push(
        finding(
          at,
          "note",
          `Rule "${name ?? ""}" applies only to VMs with ${scope.text}: it is read as applying to the service's VM. If that VM does not have ${scope.one ? "it" : "any of them"}, this rule ${action === "allow" ? "does not let the connection in" : "does not block it"}.`,
        ),
      );
    // An ingress rule's destinationRanges limit it to connections to those addresses
    // (https://cloud.google.com/firewall/docs/firewalls#destinations_for_ingress_rules).
    const dests = direction === "in" ? items(field(r, "destinationRanges")).map((n) => str(n) ?? "") : [];
    const dranges: Range[] = [];
    for (const d of dests) {
      const t = readAddressTerm(d);
      if (t.ok) dranges.push(t.term.range);
    }
    rules.push({
      destination:
        dranges.length > 0 && dranges.length === dests.length
          ? { token: dests.join(", "), ranges: dranges }
          : undefined,
      order,
      priority: num(field(r, "priority")) ?? 1000,
      direction,
      action,
      services: services(action === "allow" ? allowed : denied, lines, findings),
      ranges,
      // Every key always (undefined when absent): one shape for the sort and the entry loop to read.
      impliedAny,
      name: name ? name : undefined,
      disabled: disabled ? true : undefined,
      network: (str(field(r, "network")) ?? "").replace(/\/+$/, "").split("/").pop() ?? "",
    });
  }
  // Rules of several VPC networks (a project-wide listing): a VM's interface is in one network, and only that
  // network's rules apply to it (https://cloud.google.com/firewall/docs/firewalls: "each firewall rule applies to
  // one VPC network"). The one read is --ingress when it names one, else the one with the most ingress rules.
  // Each network's ingress rules, networks in order of first rule (Maps: a listing of thousands stays linear).
  const ingressCount = new Map<string, number>();
  for (const r of rules)
    ingressCount.set(r.network, (ingressCount.get(r.network) ?? 0) + (r.direction === "in" ? 1 : 0));
  const named = [...ingressCount.keys()].filter((n) => n !== "");
  const namedIndex = new Map(named.map((n, i) => [n, i]));
  const chosen =
    named.length <= 1
      ? undefined
      : options.ingress !== undefined && namedIndex.has(options.ingress)
        ? options.ingress
        : named.reduce((a, b) => ((ingressCount.get(b) ?? 0) > (ingressCount.get(a) ?? 0) ? b : a));
  const contextOf = (network: string): number => (chosen === undefined ? 0 : (namedIndex.get(network) ?? 0));
  rules.sort(
    (a, b) =>
      (a.direction === b.direction ? 0 : a.direction === "in" ? -1 : 1) ||
      a.priority - b.priority ||
      (a.action === b.action ? 0 : a.action === "deny" ? -1 : 1) ||
      a.order - b.order,
  );
  for (const rule of rules) {
    const terms: { line: Line; term: AddressTerm }[] = [];
    if (rule.impliedAny !== undefined) {
      const key = rule.direction === "in" ? "sourceRanges" : "destinationRanges";
      terms.push({ line: lines.at(rule.impliedAny), term: anyTerms([4], `0.0.0.0/0 (no ${key})`)[0]! });
    }
    for (const node of rule.ranges) {
      const line = lines.at(node.line);
      const r = readAddressTerm(str(node) ?? "");
      if (!r.ok) {
        findings.push(finding(line, r.kind, r.message));
        continue;
      }
      terms.push({ line, term: r.term });
    }
    for (const { line, term } of terms) {
      for (const s of rule.services) {
        const e = makeEntry(line, term, {
          action: rule.action,
          direction: rule.direction,
          protocol: s.protocol,
          ports: s.ports,
          comment: rule.name,
          // makeEntry leaves out what is undefined: the same entry as without these keys, one facts shape.
          context: chosen !== undefined ? contextOf(rule.network) : undefined,
          unmet: rule.disabled ? "disabled" : undefined,
          destination: rule.destination,
          priority: rule.priority,
        });
        entries.push(e);
      }
    }
  }
  const base = {
    format: "gcp" as const,
    entries,
    findings: findings.sort((a, b) => a.line - b.line),
    lineCount: lines.length,
    notes: [],
  };
  if (chosen === undefined) return base;
  const contexts: PathContext[] = named.map((n) => ({
    name: `VPC network ${n}`,
    line: 0,
    text: "",
    fallthrough: "deny",
    onPath: n === chosen,
    reason:
      n === chosen
        ? "the service's VM is read as being in this network: its rules by priority, implied deny ingress"
        : "another VPC network: its rules apply only to VMs with an interface in it",
  }));
  return {
    ...base,
    path: {
      contexts,
      ingress: chosen,
      assumption: `Rules of ${named.length} VPC networks: the service's VM is read as being in ${chosen}${options.ingress === chosen ? " (as given)" : " (the one with the most ingress rules)"}. Override with --ingress NETWORK.`,
    },
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
