import {
  awsDescription,
  chunked,
  familiesOf,
  familyErrors,
  itemCidr,
  itemComment,
  itemsOfFamily,
  portsText,
  refused,
} from "../helpers";
import type { ExportFile, Exporter } from "../types";
import { formatPrefix } from "../../ip/prefix";

/** AWS caps a managed prefix list at 1000 entries; larger lists are split. */
const MAX_ENTRIES = 1000;

/**
 * Input for `aws ec2 create-managed-prefix-list --cli-input-json file://…`, one list per family (a prefix list
 * holds one family) and per 1000 entries. MaxEntries equals the entry count because it, not the number of
 * entries, is what a referencing security group counts against its rule quota.
 */
export const awsPrefixList = {
  id: "aws-prefix-list",
  label: "AWS managed prefix list (create-managed-prefix-list JSON)",
  extension: "json",
  supports: { families: [4, 6], ports: false, destination: false, comments: true },
  render(items, options, baseName) {
    const errors = familyErrors("aws-prefix-list", items, { ...options, destination: undefined }, [4, 6]);
    if (errors.length > 0) return refused(errors);

    const files: ExportFile[] = [];
    for (const f of familiesOf(items)) {
      const lists = chunked(itemsOfFamily(items, f), MAX_ENTRIES);
      lists.forEach((list, k) => {
        const suffix = lists.length === 1 ? `-v${f}` : `-v${f}-${k + 1}`;
        const body = {
          PrefixListName: `${options.namePrefix}${suffix}`,
          AddressFamily: f === 4 ? "IPv4" : "IPv6",
          MaxEntries: list.length,
          Entries: list.map((i) => ({
            Cidr: itemCidr(i),
            ...(options.comments ? { Description: awsDescription(itemComment(i)) } : {}),
          })),
        };
        files.push({
          name: `${baseName}${suffix}.json`,
          mime: "application/json",
          content: `${JSON.stringify(body, null, 2)}\n`,
        });
      });
    }
    const where = options.destination === undefined ? "" : ` to ${formatPrefix(options.destination)}`;
    const warnings = [
      `aws-prefix-list: a prefix list holds addresses only; allow ${options.protocol} ${portsText(options.ports)}${where} in the security group rule that references it`,
    ];
    return { ok: true, files, warnings };
  },
} satisfies Exporter;
