/**
 * Azure network security groups: `az network nsg show` (securityRules + defaultSecurityRules), `nsg list`, `nsg rule
 * list`, ARM/REST shapes (fields under "properties") and PowerShell casing. Inbound rules are emitted by priority
 * (lowest number first, as Azure evaluates them), then outbound rules.
 */
import type {
  Destination,
  Action,
  Entry,
  Finding,
  ParseOptions,
  ParseOutput,
  Parser,
  PathContext,
  PathInfo,
  PortRange,
} from "../types";
import type { Range } from "../../ip/types";
import { finding, parsePortRange, readAddressTerm, TextLines } from "./common";
import { type JNode, field, items, looksLikeJson, num, readJson, str } from "./jsonloc";
import { BOTH_FAMILIES, anyTerms, detectHead, makeEntry } from "./linuxcommon";
import { truncatedMessage } from "./aws";

interface NsgRule {
  readonly order: number;
  readonly priority: number;
  readonly direction: "in" | "out";
  readonly action: Action;
  readonly protocol?: string;
  readonly ports?: PortRange[];
  readonly sources: readonly JNode[];
  readonly name?: string;
  readonly unmet?: string;
  /** An inbound rule's destination prefixes, when every one is an address or CIDR (Entry.destination). */
  readonly destination?: Destination | undefined;
}

const ANY_WORDS = new Set(["*", "any", "internet", "0.0.0.0/0"]);

/** Destinations that hold every address a VM of the VNet has: a rule to them applies to the service's VM. */
const DEST_ANY = new Set(["*", "any", "internet", "virtualnetwork", "0.0.0.0/0", "::/0"]);

/** A field that is a string or a list of strings (CLI vs PowerShell), as string nodes. */
function stringNodes(node: JNode | undefined): JNode[] {
  if (!node) return [];
  if (node.t === "str") return node.v === "" ? [] : [node];
  return items(node).filter((n) => n.t === "str" && n.v !== "");
}

/**
 * Whether source port ranges hold every port a client may pick for its side of a connection (1024–65535: the
 * ephemeral range of RFC 6335 §6 is 49152–65535, Linux picks from 32768–60999, none below 1024): such a rule matches
 * the webhook sender whatever it picks. Anything narrower is a condition the sender cannot be relied on to meet.
 */
export function coversEphemeral(ranges: readonly string[]): boolean {
  const parsed = ranges.map((r) => (r === "*" ? { from: 0, to: 65535 } : parsePortRange(r)));
  if (parsed.some((r) => r === undefined)) return false;
  const sorted = (parsed as PortRange[]).slice().sort((a, b) => a.from - b.from);
  let next = 1024;
  for (const r of sorted) {
    if (r.from > next) return false;
    next = Math.max(next, r.to + 1);
    if (next > 65535) return true;
  }
  return false;
}

function readRule(raw: JNode, order: number, lines: TextLines, findings: Finding[]): NsgRule | undefined {
  const p = field(raw, "properties") ?? raw;
  // A template's child resource is named "nsg/rule" or "[concat(parameters('nsg'), '/rule')]".
  const rawName = str(field(raw, "name"));
  const name = rawName && (/'\/([^']*)'\)\]$/.exec(rawName)?.[1] ?? rawName.split("/").pop());
  const access = str(field(p, "access"))?.toLowerCase();
  const dir = str(field(p, "direction"))?.toLowerCase();
  const priority = num(field(p, "priority"));
  if ((access !== "allow" && access !== "deny") || (dir !== "inbound" && dir !== "outbound")) {
    const at = lines.at(raw.line);
    findings.push(
      finding(
        at,
        "not-understood",
        `Rule ${name ? `"${name}" ` : ""}has no readable access (Allow/Deny) or direction (Inbound/Outbound).`,
      ),
    );
    return undefined;
  }
  const protoText = (str(field(p, "protocol")) ?? "*").toLowerCase();
  // Effective rules (`az network nic list-effective-nsg`) write every protocol as "All".
  const protocol = protoText === "*" || protoText === "any" || protoText === "all" ? undefined : protoText;
  const portNodes = [
    ...stringNodes(field(p, "destinationPortRange")),
    ...stringNodes(field(p, "destinationPortRanges")),
  ];
  let ports: PortRange[] | undefined = [];
  for (const n of portNodes) {
    const v = str(n) ?? "";
    if (v === "*") {
      ports = undefined;
      break;
    }
    const r = parsePortRange(v);
    if (r) ports.push(r);
    else findings.push(finding(lines.at(n.line), "invalid", `"${v}" is not a port or port range.`));
  }
  if (ports && ports.length === 0) ports = undefined;
  // Effective rules repeat the one prefix in both fields: the plural is read, and the singular only when it is not in it.
  const plural = stringNodes(field(p, "sourceAddressPrefixes"));
  const sources = [
    ...stringNodes(field(p, "sourceAddressPrefix")).filter((n) => !plural.some((x) => str(x) === str(n))),
    ...plural,
  ];
  for (const asg of items(field(p, "sourceApplicationSecurityGroups"))) {
    const at = lines.at(asg.line);
    findings.push(
      finding(
        at,
        "undefined-reference",
        "An application security group is referenced but not resolved: it holds Azure NICs, not published addresses.",
      ),
    );
  }
  // A destination other than every address of the VNet: the rule applies only to connections to those addresses (or
  // to the NICs of those application security groups), which the paste does not tie to the service
  // (https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview#security-rules: Source or
  // destination). The rule is read as applying; a note says to what.
  let destination: Destination | undefined;
  if (dir === "inbound") {
    const dest = [
      ...stringNodes(field(p, "destinationAddressPrefix")),
      ...stringNodes(field(p, "destinationAddressPrefixes")),
    ]
      .map((n) => str(n) ?? "")
      .filter((v) => !DEST_ANY.has(v.toLowerCase()));
    const asgs = items(field(p, "destinationApplicationSecurityGroups")).map(
      (n) => (str(field(n, "id")) ?? "").split("/").pop() ?? "",
    );
    const said =
      dest.length > 0
        ? `connections to ${[...new Set(dest)].slice(0, 5).join(", ")}${dest.length > 5 ? " and more" : ""}`
        : asgs.length > 0
          ? `the NICs of application security group ${asgs.slice(0, 5).join(", ")}`
          : undefined;
    const ranges: Range[] = [];
    for (const d of dest) {
      const t = readAddressTerm(d);
      if (t.ok) ranges.push(t.term.range);
    }
    if (asgs.length === 0 && ranges.length > 0 && ranges.length === dest.length)
      destination = { token: dest.join(", "), ranges };
    if (said)
      findings.push(
        finding(
          lines.at(raw.line),
          "note",
          `Rule ${name ? `"${name}" ` : ""}applies only to ${said}: it is read as applying to the service. If the service is not ${dest.length > 1 ? "at one of those addresses" : dest.length > 0 ? "at that address" : "behind such a NIC"}, this rule ${access === "allow" ? "does not let the connection in" : "does not block it"}.`,
        ),
      );
  }
  // A source port: the webhook's client picks an ephemeral one, so an allow limited to some is not counted.
  const srcPorts = [...stringNodes(field(p, "sourcePortRange")), ...stringNodes(field(p, "sourcePortRanges"))]
    .map((n) => str(n) ?? "")
    .filter((v) => v !== "*");
  return {
    order,
    priority: priority ?? 65535,
    direction: dir === "inbound" ? "in" : "out",
    action: access,
    // Every key always (undefined when absent): one shape for the sort and the entry loop to read.
    protocol: protocol ? protocol : undefined,
    ports,
    sources,
    name: name ? name : undefined,
    destination,
    unmet:
      srcPorts.length > 0 && access === "allow" && !coversEphemeral(srcPorts)
        ? `only source port ${srcPorts.join(", ")} (a client's source port is ephemeral)`
        : undefined,
  };
}

const NSG_TYPE = "microsoft.network/networksecuritygroups";

/** An ARM template (`az group export`, the portal's "Export template"): its NSGs are among its `resources`. */
function isTemplate(root: JNode): boolean {
  return root.t === "obj" && field(root, "resources")?.t === "arr" && !field(root, "securityRules");
}

/**
 * The NSGs of an ARM template: each networkSecurityGroups resource with its inline securityRules and its child
 * securityRules resources (nested, or top-level named "nsg/rule"), as
 * https://learn.microsoft.com/azure/templates/microsoft.network/networksecuritygroups describes them.
 */
function templateGroups(root: JNode): { name: string; line: number; rules: JNode[] }[] {
  const groups: { name: string; line: number; rules: JNode[]; ruleNames: Set<string> }[] = [];
  const byKey = new Map<string, (typeof groups)[number]>();
  // An exported template names its NSG "[parameters('p')]" (shown as the parameter's default value) and each child
  // rule "[concat(parameters('p'), '/rule')]"; a hand-written one "nsg" and "nsg/rule".
  const params = field(root, "parameters");
  const shown = (key: string): string => {
    const p = /^\[parameters\('([^']+)'\)\]$/.exec(key)?.[1];
    return (p !== undefined ? str(field(field(params, p), "defaultValue")) : undefined) ?? key;
  };
  const groupOf = (key: string, line: number) => {
    let g = byKey.get(key);
    if (!g) {
      g = { name: shown(key), line, rules: [], ruleNames: new Set() };
      byKey.set(key, g);
      groups.push(g);
    }
    return g;
  };
  const childName = (name: string): { owner: string; rule: string } => {
    const m = /^\[concat\((.+?),\s*'\/([^']*)'\)\]$/.exec(name);
    if (m) return { owner: `[${m[1]!.trim()}]`, rule: m[2]! };
    const cut = name.lastIndexOf("/");
    return { owner: cut < 0 ? "" : name.slice(0, cut), rule: name.slice(cut + 1) };
  };
  const visit = (resources: readonly JNode[], parent?: string): void => {
    for (const r of resources) {
      const type = (str(field(r, "type")) ?? "").toLowerCase();
      const name = str(field(r, "name")) ?? "";
      if (type === NSG_TYPE) {
        const g = groupOf(name, r.line);
        for (const rule of items(field(field(r, "properties"), "securityRules"))) {
          g.rules.push(rule);
          g.ruleNames.add(str(field(rule, "name")) ?? "");
        }
        visit(items(field(r, "resources")), name);
      } else if (type === `${NSG_TYPE}/securityrules` || (parent !== undefined && type === "securityrules")) {
        const { owner, rule } = childName(name);
        const g = groupOf(parent ?? owner, r.line);
        // The portal's export lists each rule twice: inline in the NSG and as a child resource.
        if (g.ruleNames.has(rule)) continue;
        g.ruleNames.add(rule);
        g.rules.push(r);
      }
    }
  };
  visit(items(field(root, "resources")));
  return groups.length > 0
    ? groups.map(({ name, line, rules }) => ({ name, line, rules }))
    : [{ name: "the template", line: root.line, rules: [] }];
}

/**
 * A template's "[parameters('p')]" as the parameter's defaultValue (a string or a list of strings), the value the
 * deployment uses when none is given; undefined when it is not that or has no default.
 */
function parameterValue(root: JNode, node: JNode): JNode[] | undefined {
  const text = str(node)?.trim() ?? "";
  // Most sources are addresses: only "[…" can be the expression.
  if (text.charCodeAt(0) !== 91) return undefined;
  const p = /^\[parameters\('([^']+)'\)\]$/.exec(text)?.[1];
  if (p === undefined) return undefined;
  const def = field(field(field(root, "parameters"), p), "defaultValue");
  if (def?.t === "str") return [def];
  if (def?.t === "arr" && def.items.every((x) => x.t === "str")) return [...def.items];
  return undefined;
}

export function parseAzureNsg(text: string, options: ParseOptions = {}): ParseOutput {
  const lines = new TextLines(text);
  const findings: Finding[] = [];
  const entries: Entry[] = [];
  const json = readJson(text, lines);
  if (!json.ok)
    return {
      format: "azure-nsg",
      entries,
      findings: json.finding ? [json.finding] : [],
      lineCount: lines.length,
      notes: [],
    };
  const root = json.root;
  const isNsg = (n: JNode): boolean => {
    const p = field(n, "properties") ?? n;
    return field(p, "securityRules") !== undefined || field(p, "defaultSecurityRules") !== undefined;
  };
  // One list of rules per NSG; a bare rule list is one anonymous NSG.
  const rulesOf = (n: JNode): JNode[] => {
    const p = field(n, "properties") ?? n;
    return [...items(field(p, "securityRules")), ...items(field(p, "defaultSecurityRules"))];
  };
  // `az network nic list-effective-nsg`: {"value": [{networkSecurityGroup, association, effectiveSecurityRules}]}, one
  // item per NSG applied to the NIC (its subnet's and its own), each with its rules and the default ones
  // (https://learn.microsoft.com/cli/azure/network/nic#az-network-nic-list-effective-nsg).
  const effective = items(field(root, "value")).filter((n) => field(n, "effectiveSecurityRules") !== undefined);
  const groups: { name: string; line: number; rules: JNode[] }[] = isTemplate(root)
    ? templateGroups(root)
    : effective.length > 0
      ? effective.map((n, i) => ({
          name: (str(field(field(n, "networkSecurityGroup"), "id")) ?? "").split("/").pop() || `NSG ${i + 1}`,
          line: n.line,
          rules: [...items(field(n, "effectiveSecurityRules"))],
        }))
      : root.t === "arr"
        ? root.items.some(isNsg)
          ? root.items.map((n, i) => ({
              name: str(field(n, "name")) ?? `NSG ${i + 1}`,
              line: n.line,
              rules: rulesOf(n),
            }))
          : [{ name: "the NSG rules", line: root.line, rules: [...root.items] }]
        : isNsg(root)
          ? [{ name: str(field(root, "name")) ?? "the NSG", line: root.line, rules: rulesOf(root) }]
          : [{ name: "the NSG rule", line: root.line, rules: [root] }];
  if (isTemplate(root) && groups.length === 1 && groups[0]!.rules.length === 0)
    findings.push(
      finding(lines.at(root.line), "not-understood", "The template holds no network security group or security rule."),
    );
  // Several NSGs: a connection crosses the NSG of the VM's subnet, then the one of its NIC, and must be allowed by each
  // (https://learn.microsoft.com/azure/virtual-network/network-security-group-how-it-works). `nsg list` gives every
  // NSG of a subscription: --ingress names the ones in front of the service; without it, all are read as on the path.
  const chosen = (options.ingress ?? "")
    .split(",")
    .map((n) => n.trim().toLowerCase())
    .filter((n) => n !== "" && groups.some((g) => g.name.toLowerCase() === n));
  const onPathOf = (g: { name: string }): boolean => chosen.length === 0 || chosen.includes(g.name.toLowerCase());
  const contexts: PathContext[] = groups.map((g) => ({
    name: `NSG ${g.name}`,
    line: g.line,
    text: lines.line(g.line)?.text ?? "",
    fallthrough: "deny",
    onPath: onPathOf(g),
    reason: onPathOf(g)
      ? "Inbound rules by priority, first match; no match ends in DenyAllInBound (65500)."
      : "not named with --ingress: read as the NSG of another subnet or NIC.",
  }));
  groups.forEach((group, c) => {
    const rules = group.rules
      .map((r, i) => readRule(r, i, lines, findings))
      .filter((r): r is NsgRule => r !== undefined);
    rules.sort(
      (a, b) =>
        (a.direction === b.direction ? 0 : a.direction === "in" ? -1 : 1) ||
        a.priority - b.priority ||
        a.order - b.order,
    );
    for (const rule of rules) {
      const facts = {
        action: rule.action,
        direction: rule.direction,
        protocol: rule.protocol,
        ports: rule.ports,
        comment: rule.name,
        destination: rule.destination,
        priority: rule.priority,
      };
      const tag = (e: Entry): Entry =>
        groups.length > 1 || rule.unmet
          ? { ...e, ...(groups.length > 1 ? { context: c } : {}), ...(rule.unmet ? { unmet: rule.unmet } : {}) }
          : e;
      // Each source, or the values of the parameter it names, in order (what flatMap gave, without its lists).
      for (const n of rule.sources) {
        const values = parameterValue(root, n);
        const count = values ? values.length : 1;
        for (let k = 0; k < count; k++) {
          const s = values ? values[k]! : n;
          const v = str(s) ?? "";
          const line = lines.at(s.line);
          if (ANY_WORDS.has(v.toLowerCase()) && v !== "0.0.0.0/0") {
            for (const term of anyTerms(BOTH_FAMILIES, v)) entries.push(tag(makeEntry(line, term, facts)));
            continue;
          }
          if (/^(?:System|Microsoft)\.[\w.`]+\[/.test(v)) {
            findings.push(finding(line, "invalid", truncatedMessage("The source", v)));
            continue;
          }
          if (/^\[.*\]$/s.test(v.trim())) {
            findings.push(
              finding(
                line,
                "not-understood",
                `"${v}" is a template expression that is not a parameter with a default value: it is not read.`,
              ),
            );
            continue;
          }
          const r = readAddressTerm(v);
          if (r.ok) entries.push(tag(makeEntry(line, r.term, facts)));
          else if (/^[A-Za-z][A-Za-z0-9.]*$/.test(v)) {
            findings.push(
              finding(
                line,
                "note",
                `Service tag "${v}" is not expanded: it is read as matching none of the published addresses.`,
              ),
            );
          } else findings.push(finding(line, r.kind, r.message));
        }
      }
    }
  });
  if (groups.length > 1) {
    const path: PathInfo = {
      contexts,
      ...(chosen.length > 0 ? { ingress: chosen.join(",") } : {}),
      assumption:
        chosen.length > 0
          ? `${groups.length} NSGs: ${groups
              .filter(onPathOf)
              .map((g) => g.name)
              .join(" and ")} read as in front of the service (as given), each must allow the connection.`
          : groups.length === 2
            ? "2 NSGs: read as the subnet's and the NIC's, both on the path, so each must allow the connection. Override with --ingress NSG[,NSG]."
            : `${groups.length} NSGs: all read as on the path, so each must allow the connection; a connection crosses at most two (its subnet's and its NIC's): name them with --ingress NSG[,NSG].`,
    };
    return {
      format: "azure-nsg",
      entries,
      findings: findings.sort((a, b) => a.line - b.line),
      lineCount: lines.length,
      notes: [],
      path,
    };
  }
  return {
    format: "azure-nsg",
    entries,
    findings: findings.sort((a, b) => a.line - b.line),
    lineCount: lines.length,
    notes: [],
  };
}

export const azureNsgParser: Parser = {
  id: "azure-nsg",
  label: "Azure NSG (az network nsg show / rule list JSON)",
  detect(text: string): number {
    const head = detectHead(text);
    if (!looksLikeJson(head)) return 0;
    if (/"(?:securityRules|defaultSecurityRules|effectiveSecurityRules)"\s*:/i.test(head)) return 0.95;
    if (/"sourceAddressPrefix(?:es)?"\s*:/i.test(head)) return 0.9;
    return 0;
  },
  parse: parseAzureNsg,
};
