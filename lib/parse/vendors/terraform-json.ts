/**
 * `terraform show -json` (the state: https://developer.hashicorp.com/terraform/internals/json-format#state-representation,
 * or a saved plan: its `planned_values`) as the HCL blocks the Terraform reader reads: every managed resource of the
 * root module and its child modules becomes a `resource "TYPE" "NAME"` block whose attributes are the values Terraform
 * resolved, and each list of objects (ingress, egress, security_rule, allow, deny, entry …: nested blocks, which the
 * JSON gives as lists) a list of nested blocks. The IDs a resource of the document carries (sg-…, acl-…, pl-…) become
 * references to it, as the configuration would write them, so a rule resource lands on its group. Where a group has
 * rule resources, they are read for it, not the group's own list of rules, which may be stale (see RuleFamily).
 */
import type { Finding } from "../types";
import { type TextLines, finding, someNames } from "./common";
import type { HclBlock, HclValue } from "./hcl";
import { type JNode, field, items, num, readJson, str } from "./jsonloc";

/** Resource types whose ID other resources name (security_group_id, network_acl_id, prefix_list_ids). */
const REFERENCED: ReadonlySet<string> = new Set([
  "aws_security_group",
  "aws_network_acl",
  "aws_default_network_acl",
  "aws_ec2_managed_prefix_list",
]);

/** Cheap detection: a JSON document from `terraform show -json` names the Terraform version near its start. */
export function looksLikeTerraformJson(head: string): boolean {
  return /^\s*\{/.test(head) && /"terraform_version"\s*:/.test(head) && /"format_version"\s*:/.test(head);
}

export interface TerraformJsonRead {
  readonly body: HclBlock;
  readonly findings: Finding[];
  /** What was read, for the report's notes. */
  readonly note?: string;
}

interface Resource {
  readonly type: string;
  /** The block's second label: the name, with the module path and instance key when there are any. */
  readonly label: string;
  readonly node: JNode;
  readonly values: JNode;
}

export function readTerraformJson(text: string, lines: TextLines): TerraformJsonRead {
  const empty: HclBlock = { type: "", labels: [], line: 0, attrs: new Map(), blocks: [] };
  const read = readJson(text, lines);
  if (!read.ok) return { body: empty, findings: read.finding ? [read.finding] : [] };
  const root = read.root;
  const state = field(field(root, "values"), "root_module");
  const planned = field(field(root, "planned_values"), "root_module");
  const rootModule = state ?? planned;
  if (!rootModule)
    return {
      body: empty,
      findings: [
        finding(
          lines.at(root.line),
          "not-understood",
          "A terraform show -json document without values or planned_values (an empty state?): no resource to read.",
        ),
      ],
    };
  const resources: Resource[] = [];
  collect(rootModule, resources, 0);
  const ids = new Map<string, readonly [string, string]>();
  for (const r of resources) {
    const id = str(field(r.values, "id"));
    if (id !== undefined && id !== "" && REFERENCED.has(r.type)) ids.set(id, [r.type, r.label]);
  }
  const { replaced, findings, fromResources } = ruleLists(resources, lines);
  const blocks = resources.map((r) => resourceBlock(r, ids, replaced.get(r) ?? NONE));
  const what = state
    ? "Read from terraform show -json (the state): the values Terraform recorded for each resource."
    : "Read from terraform show -json (a saved plan): the planned values; a value known only after apply is not read.";
  return {
    body: { type: "", labels: [], line: root.line, attrs: new Map(), blocks },
    findings,
    note:
      fromResources === 0
        ? what
        : `${what} ${fromResources} rule resource${fromResources === 1 ? " is" : "s are"} read for ${fromResources === 1 ? "its" : "their"} group, instead of the group's own list of rules, which Terraform updates only when it reads the group again.`,
  };
}

const NONE: ReadonlySet<string> = new Set();

/**
 * A security group, network ACL or NSG and its standalone rule resources. The group's own list of rules (ingress and
 * egress, security_rule) is "Optional, Computed": without inline rules in the configuration, Terraform records there
 * what the provider's Read finds in the cloud, every rule of the group, the rule resources' ones too. But it reads the
 * group only when it refreshes it (before a plan or apply, or `terraform apply -refresh-only`:
 * https://developer.hashicorp.com/terraform/cli/commands/plan#planning-modes), and an apply that creates or destroys
 * a rule resource changes that resource's state alone. After such an apply the group's list is stale: a probe against
 * AWS (Terraform 1.11, provider 5.100) recorded ingress [] beside the rule resource just created, and after one was
 * destroyed, the group still listed its rule, which AWS no longer had. Reading the group's list as the truth, and
 * skipping the rule resources as its duplicates, read the first as blocked and the second as allowed.
 *
 * The providers do not support inline rules beside rule resources for one group ("You should not use the
 * aws_security_group resource with in-line rules … in conjunction with the aws_vpc_security_group_egress_rule and
 * aws_vpc_security_group_ingress_rule resources or the aws_security_group_rule resource. Doing so may cause rule
 * conflicts, perpetual differences, and result in rules being overwritten":
 * https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/security_group; the same note for
 * aws_network_acl and aws_network_acl_rule, and "you cannot use a Network Security Group with in-line Network Security
 * Rules in conjunction with any Network Security Rule resources":
 * https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/network_security_group). So where a
 * group's list has rule resources, those resources are what Terraform manages and are read, each once, and the list
 * is not. A rule of the list that none of them holds is either one Terraform removed since the group was last read,
 * or one added outside Terraform; the state cannot tell which. It is not read, and is a note on its line saying how to
 * tell: after `terraform apply -refresh-only` the list is current, and a rule it still holds was added outside
 * Terraform and is in force. Reading it as allowed instead would let the check that runs right after an apply which
 * removed an address's rule pass with that address missing.
 */
interface RuleFamily {
  /** The group's lists of rules. */
  readonly lists: readonly string[];
  /** What a note calls the group. */
  readonly noun: string;
  /** The group as its rule resources name it. */
  readonly key: (values: JNode) => string | undefined;
  /** The rules one item of a list holds: each one's key, and what tells it apart within the item. */
  readonly rules: (item: JNode, groupKey: string) => { key: string; shown: string }[];
  /** How a note names rules of one item: all of it, or the ones shown. */
  readonly describe: (item: JNode, shown: readonly string[]) => string;
}

/** An AWS rule's sources, each as it keys the rule: a CIDR, a prefix list ID, a group ID, "self". */
function awsSources(
  v: JNode,
  lists: readonly string[],
  ones: readonly string[],
  groups: readonly string[],
  own: string | undefined,
): string[] {
  const self = field(v, "self");
  return [
    ...lists.flatMap((k) => items(field(v, k)).map(str)),
    ...ones.map((k) => str(field(v, k))),
    ...groups.flatMap((k) => {
      const g = field(v, k);
      return (g?.t === "arr" ? g.items : [g]).map((x) => awsGroup(str(x), own));
    }),
    self?.t === "lit" && self.v === true ? "self" : undefined,
  ].filter((x): x is string => x !== undefined && x !== "");
}

const AWS_SG: RuleFamily = {
  lists: ["ingress", "egress"],
  noun: "security group",
  key: (v) => str(field(v, "id")),
  rules: (item, own) => {
    const head = awsHead(item, "protocol");
    return awsSources(item, ["cidr_blocks", "ipv6_cidr_blocks", "prefix_list_ids"], [], ["security_groups"], own).map(
      (src) => ({ key: `${head} ${src}`, shown: src }),
    );
  },
  describe: (item, sources) => `${awsHead(item, "protocol")} from ${someNames(sources)}`,
};

const AWS_ACL: RuleFamily = {
  lists: ["ingress", "egress"],
  noun: "network ACL",
  key: (v) => str(field(v, "id")),
  rules: (item) => {
    const n = num(field(item, "rule_no"));
    return n === undefined ? [] : [{ key: String(n), shown: String(n) }];
  },
  describe: (item) => `rule ${num(field(item, "rule_no"))}`,
};

/** Azure names are case-insensitive; a rule is one name within its NSG. */
const AZURE_NSG: RuleFamily = {
  lists: ["security_rule"],
  noun: "NSG",
  key: (v) => azureKey(str(field(v, "resource_group_name")), str(field(v, "name"))),
  rules: (item) => {
    const name = str(field(item, "name"));
    return name === undefined ? [] : [{ key: name.toLowerCase(), shown: name }];
  },
  describe: (item) => `rule "${str(field(item, "name"))}"`,
};

const FAMILIES: ReadonlyMap<string, RuleFamily> = new Map([
  ["aws_security_group", AWS_SG],
  ["aws_network_acl", AWS_ACL],
  ["aws_default_network_acl", AWS_ACL],
  ["azurerm_network_security_group", AZURE_NSG],
]);

/** A rule resource: its family, the group it names, the list of the group it belongs to, and the rules it holds. */
interface Held {
  readonly family: RuleFamily;
  readonly group: string | undefined;
  readonly list: string;
  readonly keys: readonly string[];
}

/** aws_vpc_security_group_ingress_rule / _egress_rule: one source each. */
function vpcRule(list: "ingress" | "egress"): (v: JNode) => Held {
  return (v) => {
    const group = str(field(v, "security_group_id"));
    const head = awsHead(v, "ip_protocol");
    const sources = awsSources(
      v,
      [],
      ["cidr_ipv4", "cidr_ipv6", "prefix_list_id"],
      ["referenced_security_group_id"],
      group,
    );
    return { family: AWS_SG, group, list, keys: sources.map((src) => `${head} ${src}`) };
  };
}

const RULE_RESOURCES: ReadonlyMap<string, (v: JNode) => Held> = new Map([
  [
    "aws_security_group_rule",
    (v: JNode): Held => {
      const group = str(field(v, "security_group_id"));
      const head = awsHead(v, "protocol");
      const sources = awsSources(
        v,
        ["cidr_blocks", "ipv6_cidr_blocks", "prefix_list_ids"],
        [],
        ["source_security_group_id"],
        group,
      );
      return {
        family: AWS_SG,
        group,
        list: str(field(v, "type")) === "egress" ? "egress" : "ingress",
        keys: sources.map((src) => `${head} ${src}`),
      };
    },
  ],
  ["aws_vpc_security_group_ingress_rule", vpcRule("ingress")],
  ["aws_vpc_security_group_egress_rule", vpcRule("egress")],
  [
    "aws_network_acl_rule",
    (v: JNode): Held => {
      const n = num(field(v, "rule_number"));
      const egress = field(v, "egress");
      return {
        family: AWS_ACL,
        group: str(field(v, "network_acl_id")),
        list: egress?.t === "lit" && egress.v === true ? "egress" : "ingress",
        keys: n === undefined ? [] : [String(n)],
      };
    },
  ],
  [
    "azurerm_network_security_rule",
    (v: JNode): Held => {
      const name = str(field(v, "name"));
      return {
        family: AZURE_NSG,
        group: azureKey(str(field(v, "resource_group_name")), str(field(v, "network_security_group_name"))),
        list: "security_rule",
        keys: name === undefined ? [] : [name.toLowerCase()],
      };
    },
  ],
]);

/** Protocol numbers and words the EC2 API also takes, as it names them in a group's rules. */
const AWS_PROTOCOL_NAMES: Readonly<Record<string, string | undefined>> = {
  all: "-1",
  "6": "tcp",
  "17": "udp",
  "1": "icmp",
  "58": "icmpv6",
};

/** An AWS rule's protocol and ports, as a note shows them: "tcp 443", "tcp 8000-8100", "all traffic". */
function awsHead(v: JNode, protoKey: string): string {
  const p = field(v, protoKey);
  const raw = (p?.t === "num" ? String(p.v) : (str(p) ?? "-1")).toLowerCase();
  const proto = AWS_PROTOCOL_NAMES[raw] ?? raw;
  if (proto === "-1") return "all traffic";
  const from = num(field(v, "from_port"));
  const to = num(field(v, "to_port"));
  return `${proto} ${from === to ? String(from) : `${from}-${to}`}`;
}

/** A source security group (an ID, or owner/ID across accounts): "self" for the group's own. */
function awsGroup(id: string | undefined, own: string | undefined): string | undefined {
  const bare = id?.split("/").pop();
  return bare === undefined || bare === "" ? undefined : bare === own ? "self" : bare;
}

function azureKey(resourceGroup: string | undefined, name: string | undefined): string | undefined {
  return resourceGroup === undefined || name === undefined ? undefined : `${resourceGroup}/${name}`.toLowerCase();
}

/**
 * Which lists of which groups are left unread because rule resources hold the group's rules (see RuleFamily), the
 * notes on the rules of those lists that no rule resource holds, and how many rule resources stand for such lists.
 */
function ruleLists(
  resources: readonly Resource[],
  lines: TextLines,
): { replaced: Map<Resource, Set<string>>; findings: Finding[]; fromResources: number } {
  const slot = (family: RuleFamily, group: string, list: string) => JSON.stringify([family.noun, group, list]);
  const held = new Map<string, { keys: Set<string>; resources: number }>();
  for (const r of resources) {
    const h = RULE_RESOURCES.get(r.type)?.(r.values);
    if (h?.group === undefined) continue;
    const at = slot(h.family, h.group, h.list);
    const s = held.get(at) ?? { keys: new Set<string>(), resources: 0 };
    for (const k of h.keys) s.keys.add(k);
    s.resources++;
    held.set(at, s);
  }
  const replaced = new Map<Resource, Set<string>>();
  const findings: Finding[] = [];
  let fromResources = 0;
  for (const r of resources) {
    const family = FAMILIES.get(r.type);
    const group = family?.key(r.values);
    if (!family || group === undefined) continue;
    for (const list of family.lists) {
      const h = held.get(slot(family, group, list));
      if (!h) continue;
      const lists = replaced.get(r) ?? new Set<string>();
      lists.add(list);
      replaced.set(r, lists);
      fromResources += h.resources;
      for (const item of items(field(r.values, list))) {
        const unheld = family.rules(item, group).filter((x) => !h.keys.has(x.key));
        if (unheld.length === 0) continue;
        findings.push(
          finding(
            lines.at(item.line),
            "note",
            `The ${list} of ${family.noun} ${r.label}, as Terraform last read the ${family.noun}, lists ${family.describe(
              item,
              unheld.map((x) => x.shown),
            )}, which none of its rule resources holds: removed by Terraform since, or added outside Terraform. Not read (the rule resources are what Terraform manages); after terraform apply -refresh-only the list is current, and a rule still listed then was added outside Terraform and is in force.`,
          ),
        );
      }
    }
  }
  return { replaced, findings, fromResources };
}

/** Module nesting deeper than this is not followed (a real configuration nests a few levels). */
const MAX_MODULE_DEPTH = 32;

function collect(module: JNode, out: Resource[], depth: number): void {
  for (const r of items(field(module, "resources"))) {
    const type = str(field(r, "type"));
    const name = str(field(r, "name"));
    const values = field(r, "values");
    // Data sources are read, not managed: they filter nothing.
    if (type === undefined || name === undefined || values?.t !== "obj" || str(field(r, "mode")) === "data") continue;
    const address = str(field(r, "address")) ?? "";
    const at = address.lastIndexOf(`${type}.${name}`);
    const modulePath = at > 0 ? address.slice(0, at) : "";
    const index = field(r, "index");
    const key = index?.t === "str" ? `["${index.v}"]` : index?.t === "num" ? `[${index.v}]` : "";
    out.push({ type, label: `${modulePath}${name}${key}`, node: r, values });
  }
  if (depth >= MAX_MODULE_DEPTH) return;
  for (const child of items(field(module, "child_modules"))) collect(child, out, depth + 1);
}

function resourceBlock(
  r: Resource,
  ids: ReadonlyMap<string, readonly [string, string]>,
  omit: ReadonlySet<string>,
): HclBlock {
  const block = objectBlock("resource", [r.type, r.label], r.values, ids, omit);
  return { ...block, line: r.node.line };
}

/** An object's fields but `omit` as a block: lists of objects are nested blocks, unset arguments are left out. */
function objectBlock(
  type: string,
  labels: readonly string[],
  node: JNode,
  ids: ReadonlyMap<string, readonly [string, string]>,
  omit: ReadonlySet<string> = NONE,
): HclBlock {
  const attrs = new Map<string, HclValue>();
  const blocks: HclBlock[] = [];
  if (node.t === "obj")
    for (const [key, v] of node.fields) {
      if (omit.has(key)) continue;
      // The state records an unset argument as null, or as "" (a provider on the plugin SDK cannot tell the two apart:
      // source_address_prefix is "" beside source_address_prefixes): either is an argument not written.
      if ((v.t === "lit" && v.v === null) || (v.t === "str" && v.v === "")) continue;
      if (v.t === "arr" && v.items.length > 0 && v.items.every((x) => x.t === "obj")) {
        for (const item of v.items) blocks.push(objectBlock(key, [], item, ids));
        continue;
      }
      attrs.set(key, hclValue(v, ids));
    }
  return { type, labels, line: node.line, attrs, blocks };
}

function hclValue(v: JNode, ids: ReadonlyMap<string, readonly [string, string]>): HclValue {
  switch (v.t) {
    case "str": {
      const target = ids.get(v.v);
      return target
        ? { t: "ref", path: [target[0], target[1], "id"], line: v.line }
        : { t: "str", v: v.v, line: v.line };
    }
    case "num":
      return { t: "num", v: v.v, line: v.line };
    case "lit":
      return v.v === null ? { t: "null", line: v.line } : { t: "bool", v: v.v, line: v.line };
    case "arr":
      return { t: "list", items: v.items.map((x) => hclValue(x, ids)), line: v.line };
    case "obj":
      return {
        t: "obj",
        entries: [...v.fields].map(([key, value]) => ({ key, keyLine: value.line, value: hclValue(value, ids) })),
        line: v.line,
      };
  }
}
