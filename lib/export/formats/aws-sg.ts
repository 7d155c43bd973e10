import {
  awsDescription,
  destinationErrors,
  familyErrors,
  itemCidr,
  itemComment,
  itemsOfFamily,
  refused,
  splitPerFamily,
} from "../helpers";
import type { ExportFile, ExportItem, ExportOptions, Exporter } from "../types";

/** Default quota: inbound rules per security group, IPv4 and IPv6 counted separately. */
export const SG_RULES_PER_FAMILY = 60;

/**
 * How many prefixes fit one security group when every prefix gets one rule per port range, or the error when even
 * one prefix does not fit.
 */
export function prefixesPerGroup(
  id: string,
  options: ExportOptions,
): { ok: true; size: number } | { ok: false; error: string } {
  const size = Math.floor(SG_RULES_PER_FAMILY / options.ports.length);
  if (size >= 1) return { ok: true, size };
  return {
    ok: false,
    error: `${id}: ${options.ports.length} port ranges need ${options.ports.length} rules per prefix, more than the ${SG_RULES_PER_FAMILY} rules a security group holds per family`,
  };
}

function permissions(items: readonly ExportItem[], options: ExportOptions): unknown[] {
  const v4 = itemsOfFamily(items, 4);
  const v6 = itemsOfFamily(items, 6);
  const described = (item: ExportItem) => (options.comments ? { Description: awsDescription(itemComment(item)) } : {});
  return options.ports.map((p) => ({
    IpProtocol: options.protocol,
    FromPort: p.from,
    ToPort: p.to,
    ...(v4.length > 0 ? { IpRanges: v4.map((i) => ({ CidrIp: itemCidr(i), ...described(i) })) } : {}),
    ...(v6.length > 0 ? { Ipv6Ranges: v6.map((i) => ({ CidrIpv6: itemCidr(i), ...described(i) })) } : {}),
  }));
}

/**
 * Input for `aws ec2 authorize-security-group-ingress --group-id sg-… --cli-input-json file://…`: the group id is
 * given on the command line, so the file holds only IpPermissions. Past 60 rules per family the list is split
 * into one file per security group.
 */
export const awsSg = {
  id: "aws-sg",
  label: "AWS security group (authorize-security-group-ingress JSON)",
  extension: "json",
  supports: { families: [4, 6], ports: true, destination: false, comments: true },
  render(items, options, baseName) {
    const per = prefixesPerGroup("aws-sg", options);
    const errors = [
      ...familyErrors("aws-sg", items, { ...options, destination: undefined }, [4, 6]),
      ...destinationErrors(
        "aws-sg",
        options,
        "a security group rule applies to the resources the group is attached to",
      ),
      ...(per.ok ? [] : [per.error]),
    ];
    if (errors.length > 0 || !per.ok) return refused(errors);

    const parts = splitPerFamily(items, per.size);
    const files: ExportFile[] = parts.map((part, k) => ({
      name: parts.length === 1 ? `${baseName}.json` : `${baseName}-${k + 1}.json`,
      mime: "application/json",
      content: `${JSON.stringify({ IpPermissions: permissions(part, options) }, null, 2)}\n`,
    }));
    const warnings = [
      `aws-sg: run aws ec2 authorize-security-group-ingress --group-id <sg-id> --cli-input-json file://<file>${parts.length > 1 ? `, one security group per file (${parts.length} files: at most ${SG_RULES_PER_FAMILY} rules per family each)` : ""}`,
    ];
    return { ok: true, files, warnings };
  },
} satisfies Exporter;
