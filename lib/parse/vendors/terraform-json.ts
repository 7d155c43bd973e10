/**
 * `terraform show -json` (the state: https://developer.hashicorp.com/terraform/internals/json-format#state-representation,
 * or a saved plan: its `planned_values`) as the HCL blocks the Terraform reader reads: every managed resource of the
 * root module and its child modules becomes a `resource "TYPE" "NAME"` block whose attributes are the values Terraform
 * resolved, and each list of objects (ingress, egress, security_rule, allow, deny, entry …: nested blocks, which the
 * JSON gives as lists) a list of nested blocks. The IDs a resource of the document carries (sg-…, acl-…, pl-…) become
 * references to it, as the configuration would write them, so a rule resource lands on its group.
 */
import type { Finding } from "../types";
import { type TextLines, finding } from "./common";
import type { HclBlock, HclValue } from "./hcl";
import { type JNode, field, items, readJson, str } from "./jsonloc";

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
  // In the state, a security group's ingress and egress (and a network ACL's) list every rule it has in AWS, the ones
  // its standalone rule resources added too: the provider reads them back into the group ("Optional, Computed";
  // https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/security_group, "NOTE on Security
  // Groups and Security Group Rules"). Reading those resources as well would count each rule twice.
  const withLists = new Set(
    resources.filter((r) => REFERENCED.has(r.type) && hasRuleLists(r.values)).map((r) => str(field(r.values, "id"))),
  );
  let folded = 0;
  const kept = resources.filter((r) => {
    const group = STANDALONE_RULES.get(r.type);
    if (!state || group === undefined || !withLists.has(str(field(r.values, group)))) return true;
    folded++;
    return false;
  });
  const blocks = kept.map((r) => resourceBlock(r, ids));
  const what = state
    ? "Read from terraform show -json (the state): the values Terraform recorded for each resource."
    : "Read from terraform show -json (a saved plan): the planned values; a value known only after apply is not read.";
  return {
    body: { type: "", labels: [], line: root.line, attrs: new Map(), blocks },
    findings: [],
    note:
      folded === 0
        ? what
        : `${what} ${folded} standalone rule resource${folded === 1 ? " is" : "s are"} read through ${folded === 1 ? "its" : "their"} group's ingress and egress, where the state lists every rule of the group.`,
  };
}

/** Standalone rule resources, by the argument naming their group. */
const STANDALONE_RULES: ReadonlyMap<string, string> = new Map([
  ["aws_security_group_rule", "security_group_id"],
  ["aws_vpc_security_group_ingress_rule", "security_group_id"],
  ["aws_vpc_security_group_egress_rule", "security_group_id"],
  ["aws_network_acl_rule", "network_acl_id"],
]);

function hasRuleLists(values: JNode): boolean {
  return field(values, "ingress")?.t === "arr" || field(values, "egress")?.t === "arr";
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

function resourceBlock(r: Resource, ids: ReadonlyMap<string, readonly [string, string]>): HclBlock {
  const block = objectBlock("resource", [r.type, r.label], r.values, ids);
  return { ...block, line: r.node.line };
}

/** An object's fields as a block: lists of objects are nested blocks, unset arguments are left out. */
function objectBlock(
  type: string,
  labels: readonly string[],
  node: JNode,
  ids: ReadonlyMap<string, readonly [string, string]>,
): HclBlock {
  const attrs = new Map<string, HclValue>();
  const blocks: HclBlock[] = [];
  if (node.t === "obj")
    for (const [key, v] of node.fields) {
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
