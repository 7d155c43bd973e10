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
  splitPerFamily,
  textFile,
  oneFile,
} from "../helpers";
import type { Exporter, PortSpec } from "../types";
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
 * Terraform for the AWS provider (v5+): per family, a local map of CIDR → description (or a set without comments)
 * and one aws_vpc_security_group_ingress_rule per port range with for_each over it, so each CIDR is its own
 * rule and resource. Past 60 rules per family the list is split over several security group variables.
 */
export const terraformAws = {
  id: "terraform-aws",
  label: "Terraform (aws_vpc_security_group_ingress_rule)",
  extension: "tf",
  supports: { families: [4, 6], ports: true, destination: false, comments: true },
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
    if (errors.length > 0 || !per.ok) return refused(errors);

    const id = options.namePrefix.replace(/-/g, "_");
    const parts = splitPerFamily(items, per.size);
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
