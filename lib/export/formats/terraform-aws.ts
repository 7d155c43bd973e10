import type { Family } from "../../ip/types";
import {
  awsDescription,
  describeExport,
  destinationErrors,
  familiesOf,
  familyErrors,
  itemCidr,
  itemComment,
  itemsOfFamily,
  portText,
  refused,
  singleLine,
  splitPerFamily,
  textFile,
  oneFile,
} from "../helpers";
import type { ExportItem, ExportOptions, Exporter, PortSpec } from "../types";
import { prefixesPerGroup, SG_RULES_PER_FAMILY } from "./aws-sg";

/** HCL quoted string: escapes, and template sequences made literal. */
function hclString(text: string): string {
  const escaped = text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\$\{/g, "$${").replace(/%\{/g, "%%{");
  return `"${escaped}"`;
}

/** Attribute lines aligned on "=" the way `terraform fmt` aligns a run of attributes. */
function aligned(indent: string, pairs: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...pairs.map(([k]) => k.length));
  return pairs.map(([k, v]) => `${indent}${k.padEnd(width)} = ${v}`);
}

const portId = (p: PortSpec) => portText(p, "_");

/**
 * The delta for a group whose rules are inline: ingress blocks (one per family and port range) to add inside
 * `resource "aws_security_group" "<group>"`. The AWS provider: "You should not use the
 * aws_vpc_security_group_egress_rule and aws_vpc_security_group_ingress_rule resources in conjunction with the
 * aws_security_group resource with in-line rules … may cause rule conflicts, perpetual differences, and result in
 * rules being overwritten" (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/security_group).
 */
function inlineIngress(items: readonly ExportItem[], options: ExportOptions, group: string): string[] {
  const lines: string[] = [];
  if (options.comments) lines.push(...describeExport(items, options).map((l) => `# ${l}`));
  lines.push(
    `# Add these ingress blocks inside resource "aws_security_group" "${group}" { … }, next to its own:`,
    "# its rules are inline, and standalone aws_vpc_security_group_ingress_rule resources would conflict with them.",
  );
  for (const f of familiesOf(items)) {
    const members = itemsOfFamily(items, f);
    for (const p of options.ports) {
      const attrs: [string, string][] = [];
      if (options.comments)
        attrs.push([
          "description",
          hclString(awsDescription(`${options.provider} allowlist, ${options.catalogLabel}`)),
        ]);
      attrs.push(["from_port", String(p.from)], ["to_port", String(p.to)], ["protocol", hclString(options.protocol)]);
      const key = f === 4 ? "cidr_blocks" : "ipv6_cidr_blocks";
      lines.push("", "  ingress {", ...aligned("    ", [...attrs, [key, "["]]));
      for (const m of members)
        lines.push(`      ${hclString(itemCidr(m))},${options.comments ? ` # ${singleLine(itemComment(m))}` : ""}`);
      lines.push("    ]", "  }");
    }
  }
  return lines;
}

/**
 * Terraform for the AWS provider (v5+): per family, a local map of CIDR → description (or a set without comments)
 * and one aws_vpc_security_group_ingress_rule per port range with for_each over it, so each CIDR is its own
 * rule and resource. Past 60 rules per family the list is split over several security group variables. With
 * targetAcl (a missing delta of a config whose aws_security_group has inline ingress blocks) the delta is ingress
 * blocks to add to that group instead (see inlineIngress).
 */
export const terraformAws = {
  id: "terraform-aws",
  label: "Terraform (aws_vpc_security_group_ingress_rule)",
  extension: "tf",
  supports: { families: [4, 6], ports: true, destination: false, comments: true, target: true },
  render(items, options, baseName) {
    const per = prefixesPerGroup("terraform-aws", options);
    const errors = [
      ...familyErrors("terraform-aws", items, { ...options, destination: undefined }, [4, 6]),
      ...destinationErrors(
        "terraform-aws",
        options,
        "a security group rule applies to the resources the group is attached to",
      ),
      ...(per.ok ? [] : [per.error]),
    ];
    const group = options.targetAcl;
    if (group !== undefined && !/^[A-Za-z_][A-Za-z0-9_-]*$/.test(group))
      errors.push(`terraform-aws: "${group}" is not a Terraform resource name`);
    if (options.targetLine !== undefined)
      errors.push("terraform-aws: security group rules are unordered: a line number (targetLine) cannot be expressed");
    if (errors.length > 0 || !per.ok) return refused(errors);

    const parts = splitPerFamily(items, per.size);
    if (group !== undefined) {
      if (parts.length > 1)
        return refused([
          `terraform-aws: aws_security_group.${group} holds at most ${SG_RULES_PER_FAMILY} rules per family: the delta does not fit in it`,
        ]);
      const blocks = textFile(inlineIngress(items, options, group));
      return oneFile(`${baseName}-ingress-blocks.txt`, "text/plain; charset=utf-8", blocks);
    }
    const id = options.namePrefix.replace(/-/g, "_");
    const suffix = (k: number) => (parts.length === 1 ? "" : `_${k + 1}`);
    const lines: string[] = [];
    if (options.comments) {
      lines.push(...describeExport(items, options).map((l) => `# ${l}`));
      if (parts.length > 1)
        lines.push(
          `# Split over ${parts.length} security groups: at most ${SG_RULES_PER_FAMILY} rules per family each.`,
        );
      lines.push("");
    }
    parts.forEach((_, k) => {
      lines.push(`variable "security_group_id${suffix(k)}" {`);
      lines.push(
        ...aligned("  ", [
          ["description", hclString("ID of the security group that receives these ingress rules")],
          ["type", "string"],
        ]),
      );
      lines.push("}", "");
    });
    lines.push("locals {");
    const localName = (f: Family, k: number) => `${id}_ipv${f}${suffix(k)}`;
    const blocks: string[][] = [];
    parts.forEach((part, k) => {
      for (const f of familiesOf(part)) {
        const members = itemsOfFamily(part, f);
        if (options.comments) {
          blocks.push([
            `  ${localName(f, k)} = {`,
            ...aligned(
              "    ",
              members.map((m) => [hclString(itemCidr(m)), hclString(awsDescription(itemComment(m)))] as const),
            ),
            "  }",
          ]);
        } else {
          blocks.push([
            `  ${localName(f, k)} = toset([`,
            ...members.map((m) => `    ${hclString(itemCidr(m))},`),
            "  ])",
          ]);
        }
      }
    });
    blocks.forEach((b, n) => lines.push(...(n > 0 ? [""] : []), ...b));
    lines.push("}");
    parts.forEach((part, k) => {
      for (const f of familiesOf(part)) {
        for (const p of options.ports) {
          lines.push("", `resource "aws_vpc_security_group_ingress_rule" "${localName(f, k)}_${portId(p)}" {`);
          lines.push(`  for_each = local.${localName(f, k)}`, "");
          const attrs: [string, string][] = [
            ["security_group_id", `var.security_group_id${suffix(k)}`],
            [`cidr_ipv${f}`, "each.key"],
            ["ip_protocol", hclString(options.protocol)],
            ["from_port", String(p.from)],
            ["to_port", String(p.to)],
          ];
          if (options.comments) attrs.push(["description", "each.value"]);
          lines.push(...aligned("  ", attrs), "}");
        }
      }
    });
    return oneFile(`${baseName}.tf`, "text/plain; charset=utf-8", textFile(lines));
  },
} satisfies Exporter;
