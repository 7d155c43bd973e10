/**
 * AWS: `aws ec2 describe-security-groups` JSON (IpPermissions inbound, IpPermissionsEgress outbound) or
 * `describe-security-group-rules` JSON (SecurityGroupRules, IsEgress) — security groups only allow, so order does not
 * matter — and managed prefix list entries (`get-managed-prefix-list-entries`), which are address objects read as the
 * allowlist itself. `describe-network-acls` JSON is read too: entries by rule number, first match, deny by default.
 */
import type { Entry, Finding, ParseOptions, ParseOutput, Parser, PathContext, PortRange } from "../types";
import { OBJECTS_ONLY_NOTE, finding, readAddressTerm, someNames, TextLines } from "./common";
import { type ItemCursor, type JNode, cursor, field, items, looksLikeJson, num, readJson, str } from "./jsonloc";
import { type RuleFacts, detectHead, makeEntry } from "./linuxcommon";

const PROTOCOLS: Record<string, string> = { "-1": "", all: "", "6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6" };

/** Reads one address string node into entries (or a finding), at the node's own line. */
function addressEntry(
  node: JNode | undefined,
  lines: TextLines,
  findings: Finding[],
  facts: Parameters<typeof makeEntry>[2],
): Entry | undefined {
  if (!node) return undefined;
  const v = str(node);
  const line = lines.at(node.line);
  if (v === undefined) {
    findings.push(finding(line, "invalid", "The address is not a string: not read."));
    return undefined;
  }
  const r = readAddressTerm(v);
  if (!r.ok) {
    findings.push(finding(line, r.kind, r.message));
    return undefined;
  }
  return makeEntry(line, r.term, facts);
}

/**
 * A permission's or rule's facts with one comment: always the same keys in the same order (what `{ ...facts, comment }`
 * gives makeEntry, but one shape rather than a new copy's), so makeEntry reads them quickly.
 */
function withComment(f: RuleFacts, comment: string | undefined): RuleFacts {
  return { action: f.action, direction: f.direction, protocol: f.protocol, ports: f.ports, via: f.via, comment };
}

function permissionFacts(p: JNode): { protocol?: string; ports?: PortRange[] } {
  const raw = (str(field(p, "IpProtocol")) ?? String(num(field(p, "IpProtocol")) ?? "-1")).toLowerCase();
  const protocol = PROTOCOLS[raw] ?? raw;
  if (protocol === "") return {};
  const from = num(field(p, "FromPort"));
  const to = num(field(p, "ToPort"));
  // ICMP's FromPort/ToPort are type and code; -1 means all ports.
  if (protocol !== "tcp" && protocol !== "udp") return { protocol };
  if (from === undefined || to === undefined || from < 0 || to < 0 || (from === 0 && to === 65535)) return { protocol };
  return { protocol, ports: [{ from, to }] };
}

/**
 * A list that is a string: PowerShell's ConvertTo-Json writes what lies deeper than its -Depth (2 by default) as the
 * object's type name, e.g. "System.Collections.Generic.List`1[Amazon.EC2.Model.IpRange]".
 */
export function truncatedMessage(key: string, value: string): string {
  return /^System\.|^Amazon\.|^Microsoft\./.test(value)
    ? `${key} is "${value}": ConvertTo-Json cut it off at its depth limit; export again with ConvertTo-Json -Depth 10.`
    : `${key} is not a list: not read.`;
}

/** The security groups entries came from: a label and the names it answers to (GroupName, GroupId). */
interface Owners {
  readonly groups: { label: string; keys: string[] }[];
  /** Each name a group answers to → its index in `groups` (a VPC listing of thousands of groups stays linear). */
  readonly byKey: Map<string, number>;
  /** Parallel to the entries: the index of each entry's group. */
  readonly of: number[];
}

function ownerIndex(owners: Owners, name: string | undefined, id: string | undefined): number {
  const keys = [name, id].filter((k): k is string => k !== undefined);
  for (const k of keys) {
    const i = owners.byKey.get(k);
    if (i !== undefined) {
      // A group met first by one name and now by both answers to both from here on.
      for (const other of keys) {
        if (owners.byKey.has(other)) continue;
        owners.groups[i]!.keys.push(other);
        owners.byKey.set(other, i);
      }
      return i;
    }
  }
  owners.groups.push({ label: keys[0] ?? `group ${owners.groups.length + 1}`, keys });
  const i = owners.groups.length - 1;
  for (const k of keys) owners.byKey.set(k, i);
  return i;
}

/**
 * Several security groups: an instance's groups add up ("the rules from all the security groups that are associated
 * with the instance are aggregated": https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html), but
 * a listing of a whole VPC also holds groups of other resources. --ingress names the attached ones; without it all are
 * read as attached, and the assumption line says so.
 */
function groupPath(out: ParseOutput, owners: Owners, options: ParseOptions): ParseOutput {
  if (owners.groups.length <= 1) return out;
  const wanted = (options.ingress ?? "")
    .split(",")
    .map((n) => n.trim().toLowerCase())
    .filter((n) => n !== "");
  const chosen = owners.groups.map((g) => g.keys.some((k) => wanted.includes(k.toLowerCase())));
  const labels = owners.groups.filter((_, i) => chosen[i]).map((g) => g.label);
  if (labels.length === 0)
    return {
      ...out,
      path: {
        contexts: [
          {
            name: `security groups ${someNames(owners.groups.map((g) => g.label))}`,
            line: 0,
            text: "",
            fallthrough: "deny",
            onPath: true,
            reason: "every group read as attached to the service: their rules add up, what none allows is denied",
          },
        ],
        assumption: `${owners.groups.length} security groups: all read as attached to the service (an instance's groups add up). Name the attached ones with --ingress GROUP[,GROUP].`,
      },
    };
  const contexts: PathContext[] = [
    {
      name: `security groups ${someNames(labels)}`,
      line: 0,
      text: "",
      fallthrough: "deny",
      onPath: true,
      reason: "the groups attached to the service (as given): their rules add up, what none allows is denied",
    },
    {
      name: "the other security groups",
      line: 0,
      text: "",
      fallthrough: "deny",
      onPath: false,
      reason: "not named with --ingress: read as attached to other resources",
    },
  ];
  return {
    ...out,
    entries: out.entries.map((e, i) => (chosen[owners.of[i]!] ? e : { ...e, context: 1 })),
    path: {
      contexts,
      ingress: labels.join(","),
      assumption: `${owners.groups.length} security groups: ${labels.join(" and ")} read as attached to the service (as given).`,
    },
  };
}

export function parseAwsSecurityGroups(text: string, options: ParseOptions = {}): ParseOutput {
  const lines = new TextLines(text);
  const findings: Finding[] = [];
  // Streamed: groups, permissions and rules are built as they are read and dropped once they are entries.
  const json = readJson(text, lines, true);
  if (!json.ok)
    return {
      format: "aws-sg",
      entries: [],
      findings: json.finding ? [json.finding] : [],
      lineCount: lines.length,
      notes: [],
    };
  const root = json.root;
  const acls = field(root, "NetworkAcls");
  if (acls) {
    const aclsOut = networkAcls(acls, lines, findings, options);
    // One document holding both (`jq -s add` of the two listings): the ACL, then the groups.
    if (field(root, "SecurityGroups") === undefined && field(root, "SecurityGroupRules") === undefined) return aclsOut;
    return aclThenGroups(aclsOut, readGroups(root, lines, [], options));
  }
  return readGroups(root, lines, findings, options);
}

/**
 * A connection to an instance crosses its subnet's network ACL, then the instance's security groups; each must let
 * it in ("Network ACLs … act as a firewall at the subnet level"; "security groups … at the instance level":
 * https://docs.aws.amazon.com/vpc/latest/userguide/infrastructure-security.html). The two readings become one path,
 * the ACL's contexts first.
 */
function aclThenGroups(acls: ParseOutput, groups: ParseOutput): ParseOutput {
  const first = acls.path?.contexts ?? [
    {
      name: "network ACL",
      line: 0,
      text: "",
      fallthrough: "deny" as const,
      onPath: true,
      reason: "the subnet's network ACL: inbound entries by rule number, first match; the * rule denies the rest",
    },
  ];
  const second = groups.path?.contexts ?? [
    {
      name: "security groups",
      line: 0,
      text: "",
      fallthrough: "deny" as const,
      onPath: true,
      reason: "the groups attached to the service: their rules add up, what none allows is denied",
    },
  ];
  const offset = first.length;
  const entries = acls.entries.slice();
  for (const e of groups.entries) entries.push({ ...e, context: (e.context ?? 0) + offset });
  const ingress = [acls.path?.ingress, groups.path?.ingress].filter((x) => x !== undefined).join(",");
  const assumption = [
    "The subnet's network ACL, then the instance's security groups: a connection must pass both",
    acls.path?.assumption,
    groups.path?.assumption,
  ]
    .filter((x) => x !== undefined)
    .map((x) => x.replace(/\.$/, ""))
    .join(". ");
  return {
    format: "aws-sg",
    entries,
    findings: [...acls.findings, ...groups.findings].sort((a, b) => a.line - b.line),
    lineCount: acls.lineCount,
    notes: [...acls.notes, ...groups.notes],
    path: { contexts: [...first, ...second], ...(ingress !== "" ? { ingress } : {}), assumption: `${assumption}.` },
  };
}

/** describe-security-groups or describe-security-group-rules: the entries, and the path when there are several groups. */
function readGroups(root: JNode, lines: TextLines, findings: Finding[], options: ParseOptions): ParseOutput {
  const entries: Entry[] = [];
  const owners: Owners = { groups: [], byKey: new Map(), of: [] };
  const ruleList = field(root, "SecurityGroupRules");
  if (ruleList) {
    groupRules(cursor(ruleList), lines, findings, entries, owners);
    return groupPath({ format: "aws-sg", entries, findings, lineCount: lines.length, notes: [] }, owners, options);
  }
  const groups =
    root.t === "arr"
      ? cursor(root)
      : field(root, "SecurityGroups")
        ? cursor(field(root, "SecurityGroups"))
        : cursor([root]);
  for (let g = groups.next(); g; g = groups.next()) {
    const name = str(field(g, "GroupName")) ?? str(field(g, "GroupId"));
    const owner = ownerIndex(owners, str(field(g, "GroupName")), str(field(g, "GroupId")));
    const before = entries.length;
    for (const [key, direction] of [
      ["IpPermissions", "in"],
      ["IpPermissionsEgress", "out"],
    ] as const) {
      const permissions = cursor(field(g, key));
      for (let p = permissions.next(); p; p = permissions.next()) {
        const pf = permissionFacts(p);
        const facts = withComment(
          { action: "allow", direction, protocol: pf.protocol, ports: pf.ports, via: name ? [name] : undefined },
          undefined,
        );
        // AWS Tools for PowerShell (Get-EC2SecurityGroup | ConvertTo-Json) gives Ipv4Ranges objects and mirrors them
        // in IpRanges as bare strings (https://docs.aws.amazon.com/powershell/latest/reference/items/Get-EC2SecurityGroup.html).
        for (const key of ["IpRanges", "Ipv4Ranges", "Ipv6Ranges", "PrefixListIds", "UserIdGroupPairs"]) {
          const n = field(p, key);
          if (n && n.t === "str") findings.push(finding(lines.at(n.line), "invalid", truncatedMessage(key, n.v)));
        }
        const v4 = field(p, "Ipv4Ranges");
        // IpRanges then Ipv4Ranges, without copying both into one list.
        const ranges = items(field(p, "IpRanges"));
        const v4Ranges = items(v4);
        for (let k = 0; k < ranges.length + v4Ranges.length; k++) {
          const r = k < ranges.length ? ranges[k]! : v4Ranges[k - ranges.length]!;
          if (r.t === "str") {
            if (v4) continue;
            const e = addressEntry(r, lines, findings, facts);
            if (e) entries.push(e);
            continue;
          }
          const e = addressEntry(field(r, "CidrIp"), lines, findings, withComment(facts, str(field(r, "Description"))));
          if (e) entries.push(e);
        }
        for (const r of items(field(p, "Ipv6Ranges"))) {
          const e = addressEntry(
            field(r, "CidrIpv6"),
            lines,
            findings,
            withComment(facts, str(field(r, "Description"))),
          );
          if (e) entries.push(e);
        }
        for (const r of items(field(p, "PrefixListIds"))) {
          const id = field(r, "PrefixListId");
          if (id) {
            findings.push(
              finding(
                lines.at(id.line),
                "undefined-reference",
                `Prefix list "${str(id) ?? ""}" is not in this paste (paste its entries to check them).`,
              ),
            );
          }
        }
        for (const r of items(field(p, "UserIdGroupPairs"))) {
          const id = field(r, "GroupId");
          if (id && direction === "in") {
            findings.push(
              finding(
                lines.at(id.line),
                "undefined-reference",
                `Security group "${str(id) ?? ""}" is referenced but not resolved: its members are AWS resources, not published addresses, so it allows none of them.`,
              ),
            );
          }
        }
      }
    }
    for (let i = before; i < entries.length; i++) owners.of.push(owner);
  }
  return groupPath({ format: "aws-sg", entries, findings, lineCount: lines.length, notes: [] }, owners, options);
}

/**
 * `aws ec2 describe-security-group-rules`: one rule per item, IsEgress for the direction, one source each (CidrIpv4,
 * CidrIpv6, PrefixListId or ReferencedGroupInfo), as
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_SecurityGroupRule.html describes it.
 */
function groupRules(list: ItemCursor, lines: TextLines, findings: Finding[], entries: Entry[], owners: Owners): void {
  for (let r = list.next(); r; r = list.next()) {
    const egress = field(r, "IsEgress");
    const direction = egress?.t === "lit" && egress.v === true ? "out" : "in";
    const name = str(field(r, "GroupId"));
    const pf = permissionFacts(r);
    const facts = withComment(
      { action: "allow", direction, protocol: pf.protocol, ports: pf.ports, via: name ? [name] : undefined },
      str(field(r, "Description")),
    );
    const cidr = field(r, "CidrIpv4") ?? field(r, "CidrIpv6");
    if (cidr) {
      const e = addressEntry(cidr, lines, findings, facts);
      if (e) {
        entries.push(e);
        owners.of.push(ownerIndex(owners, undefined, name));
      }
      continue;
    }
    const pl = field(r, "PrefixListId");
    const ref = field(field(r, "ReferencedGroupInfo"), "GroupId");
    if (pl)
      findings.push(
        finding(
          lines.at(pl.line),
          "undefined-reference",
          `Prefix list "${str(pl) ?? ""}" is not in this paste (paste its entries to check them).`,
        ),
      );
    else if (ref && direction === "in")
      findings.push(
        finding(
          lines.at(ref.line),
          "undefined-reference",
          `Security group "${str(ref) ?? ""}" is referenced but not resolved: its members are AWS resources, not published addresses, so it allows none of them.`,
        ),
      );
    else if (!ref)
      findings.push(
        finding(
          lines.at(r.line),
          "not-understood",
          "The rule has no CidrIpv4, CidrIpv6, PrefixListId or ReferencedGroupInfo.",
        ),
      );
  }
}

/** A field that is a string, or an enum PowerShell's ConvertTo-Json wrote as { "Value": "…" }. */
function enumText(node: JNode | undefined): string | undefined {
  return str(node) ?? str(field(node, "Value"));
}

/**
 * `aws ec2 describe-network-acls` (or Get-EC2NetworkAcl | ConvertTo-Json): a network ACL filters the subnet's traffic
 * before the security groups, statelessly; its entries by RuleNumber, lowest first, the first match decides, and the
 * "*" rule (32767) denies what none matches; Egress true entries are outbound
 * (https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html,
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_NetworkAclEntry.html). A subnet has exactly one network
 * ACL: with several, --ingress names the service subnet's; without it all are read as on the path.
 */
function networkAcls(list: JNode, lines: TextLines, findings: Finding[], options: ParseOptions): ParseOutput {
  const entries: Entry[] = [];
  const names: { label: string; keys: string[]; line: number }[] = [];
  const acls = items(list);
  acls.forEach((acl, c) => {
    const id = str(field(acl, "NetworkAclId"));
    const tag = items(field(acl, "Tags")).find((t) => str(field(t, "Key")) === "Name");
    const name = tag ? str(field(tag, "Value")) : undefined;
    names.push({
      label: name ?? id ?? `network ACL ${c + 1}`,
      keys: [id, name].filter((k): k is string => k !== undefined),
      line: acl.line,
    });
    const rules: { egress: boolean; number: number; order: number; node: JNode }[] = [];
    items(field(acl, "Entries")).forEach((e, order) => {
      const egress = field(e, "Egress");
      const number = num(field(e, "RuleNumber"));
      if (number === undefined) {
        findings.push(finding(lines.at(e.line), "not-understood", "The entry has no RuleNumber: not read."));
        return;
      }
      rules.push({ egress: egress?.t === "lit" && egress.v === true, number, order, node: e });
    });
    rules.sort((a, b) => Number(a.egress) - Number(b.egress) || a.number - b.number || a.order - b.order);
    for (const r of rules) {
      const e = r.node;
      const action = enumText(field(e, "RuleAction"))?.toLowerCase();
      if (action !== "allow" && action !== "deny") {
        findings.push(
          finding(lines.at(e.line), "not-understood", "The entry's RuleAction is not allow or deny: not read."),
        );
        continue;
      }
      const raw = (str(field(e, "Protocol")) ?? String(num(field(e, "Protocol")) ?? "-1")).toLowerCase();
      const protocol = PROTOCOLS[raw] ?? raw;
      const range = field(e, "PortRange");
      const from = num(field(range, "From"));
      const to = num(field(range, "To"));
      const ports =
        (protocol === "tcp" || protocol === "udp") &&
        from !== undefined &&
        to !== undefined &&
        !(from <= 0 && to >= 65535)
          ? [{ from, to }]
          : undefined;
      const facts: RuleFacts = {
        action,
        direction: r.egress ? "out" : "in",
        protocol: protocol === "" ? undefined : protocol,
        ports,
        comment: r.number === 32767 ? "the * rule" : `rule ${r.number}`,
        context: acls.length > 1 && c > 0 ? c : undefined,
      };
      const cidr = field(e, "CidrBlock") ?? field(e, "Ipv6CidrBlock");
      if (cidr === undefined) {
        findings.push(
          finding(lines.at(e.line), "not-understood", "The entry has no CidrBlock or Ipv6CidrBlock: not read."),
        );
        continue;
      }
      const entry = addressEntry(cidr, lines, findings, facts);
      if (entry) entries.push(entry);
    }
  });
  const out: ParseOutput = { format: "aws-sg", entries, findings, lineCount: lines.length, notes: [] };
  if (acls.length <= 1) return out;
  const wanted = (options.ingress ?? "")
    .split(",")
    .map((n) => n.trim().toLowerCase())
    .filter((n) => n !== "");
  const chosen = names.map((n) => wanted.length === 0 || n.keys.some((k) => wanted.includes(k.toLowerCase())));
  const given = wanted.length > 0 && chosen.some(Boolean);
  const on = (i: number) => !given || chosen[i]!;
  return {
    ...out,
    path: {
      contexts: names.map((n, i) => ({
        name: `network ACL ${n.label}`,
        line: n.line,
        text: lines.line(n.line)?.text ?? "",
        fallthrough: "deny",
        onPath: on(i),
        reason: on(i)
          ? "the subnet's network ACL: inbound entries by rule number, first match; the * rule denies the rest"
          : "not named with --ingress: the network ACL of another subnet",
      })),
      ...(given
        ? {
            ingress: names
              .filter((_, i) => on(i))
              .map((n) => n.label)
              .join(","),
          }
        : {}),
      assumption: given
        ? `${names.length} network ACLs: ${names
            .filter((_, i) => on(i))
            .map((n) => n.label)
            .join(" and ")} read as the service subnet's (as given).`
        : `${names.length} network ACLs: all read as on the path, but a subnet has exactly one: name the service subnet's with --ingress ACL.`,
    },
  };
}

export function parseAwsPrefixList(text: string): ParseOutput {
  const lines = new TextLines(text);
  const findings: Finding[] = [];
  const entries: Entry[] = [];
  // Streamed: each entry is built as it is read.
  const json = readJson(text, lines, true);
  if (!json.ok)
    return {
      format: "aws-prefix-list",
      entries,
      findings: json.finding ? [json.finding] : [],
      lineCount: lines.length,
      notes: [],
    };
  const root = json.root;
  // `describe-managed-prefix-lists` lists the lists, not their entries: say which command gives them. It read as an
  // empty allowlist without a word.
  const described = field(root, "PrefixLists");
  if (described !== undefined && field(root, "Entries") === undefined) {
    const names = items(described).map((p) => str(field(p, "PrefixListId")) ?? "?");
    findings.push(
      finding(
        lines.at(described.line),
        "not-understood",
        `This is describe-managed-prefix-lists output: it names ${names.length === 1 ? "the list" : "the lists"} (${names.slice(0, 5).join(", ")}${names.length > 5 ? " …" : ""}) but not ${names.length === 1 ? "its" : "their"} entries. Paste the output of aws ec2 get-managed-prefix-list-entries --prefix-list-id ${names[0] ?? "ID"} instead.`,
      ),
    );
  }
  const list = cursor(root.t === "arr" ? root : field(root, "Entries"));
  const id = str(field(root, "PrefixListId"));
  for (let e = list.next(); e; e = list.next()) {
    const entry = addressEntry(field(e, "Cidr"), lines, findings, {
      action: "allow",
      direction: "in",
      via: id ? [id] : undefined,
      comment: str(field(e, "Description")),
    });
    if (entry) entries.push(entry);
  }
  return {
    format: "aws-prefix-list",
    entries,
    findings,
    lineCount: lines.length,
    notes: entries.length > 0 ? [OBJECTS_ONLY_NOTE] : [],
  };
}

export const awsSecurityGroupParser: Parser = {
  id: "aws-sg",
  label: "AWS security groups (describe-security-groups JSON) and network ACLs (describe-network-acls)",
  detect(text: string): number {
    const head = detectHead(text);
    if (!looksLikeJson(head)) return 0;
    if (/"IpPermissions(?:Egress)?"\s*:/.test(head) || /"SecurityGroupRules"\s*:/.test(head)) return 0.95;
    if (/"NetworkAcls"\s*:/.test(head) && /"RuleAction"\s*:/.test(head)) return 0.95;
    if (/"SecurityGroups"\s*:/.test(head) || /"CidrIp(?:v6)?"\s*:/.test(head)) return 0.7;
    return 0;
  },
  parse: parseAwsSecurityGroups,
};

export const awsPrefixListParser: Parser = {
  id: "aws-prefix-list",
  label: "AWS managed prefix list entries (JSON)",
  detect(text: string): number {
    const head = detectHead(text);
    if (!looksLikeJson(head) || /"IpPermissions/.test(head)) return 0;
    if (/"Entries"\s*:/.test(head) && /"Cidr"\s*:/.test(head)) return 0.95;
    if (/"Cidr"\s*:/.test(head)) return 0.7;
    if (/"PrefixLists"\s*:/.test(head) && /"PrefixListId"\s*:/.test(head)) return 0.9;
    return 0;
  },
  parse: parseAwsPrefixList,
};
