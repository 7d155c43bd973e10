import { formatPrefix } from "../../ip/prefix";
import type { Family } from "../../ip/types";
import {
  commentText,
  describeExport,
  familiesOf,
  familyErrors,
  itemCidr,
  itemComment,
  itemsOfFamily,
  oneFile,
  portsText,
  refused,
  textFile,
} from "../helpers";
import type { Exporter } from "../types";

/** nft keeps at most 128 bytes of an element comment; ours are ASCII in practice. */
const MAX_ELEMENT_COMMENT = 128;

/**
 * `nft -f` file: a table of its own (inet, so one table for both families) with one interval set per family and
 * an input chain accepting those sources on the chosen ports. The leading "table …; delete table …" pair makes
 * re-loading an atomic replacement. `auto-merge` lets overlapping prefixes (aggregate off) load.
 */
export const nftables = {
  id: "nftables",
  label: "nftables (nft -f)",
  extension: "nft",
  supports: { families: [4, 6], ports: true, destination: true, comments: true },
  render(items, options, baseName) {
    const errors = familyErrors("nftables", items, options, [4, 6]);
    if (errors.length > 0) return refused(errors);

    const table = options.namePrefix;
    const setName = (f: Family) => `${table}_v${f}`;
    const ports = options.ports.length === 1 ? portsText(options.ports) : `{ ${portsText(options.ports, "-", ", ")} }`;
    const lines: string[] = ["#!/usr/sbin/nft -f"];
    if (options.comments) {
      lines.push(...describeExport(items, options).map((l) => `# ${l}`));
      lines.push("# nftables runs every table's input chain: an accept here does not undo a drop in another table.");
    }
    lines.push(`table inet ${table}`, `delete table inet ${table}`, `table inet ${table} {`);
    for (const family of familiesOf(items)) {
      lines.push(`\tset ${setName(family)} {`, `\t\ttype ipv${family}_addr`, "\t\tflags interval", "\t\tauto-merge");
      lines.push("\t\telements = {");
      const members = itemsOfFamily(items, family);
      members.forEach((item, i) => {
        const comment = options.comments
          ? ` comment "${commentText(itemComment(item), '"\\').slice(0, MAX_ELEMENT_COMMENT)}"`
          : "";
        lines.push(`\t\t\t${itemCidr(item)}${comment}${i < members.length - 1 ? "," : ""}`);
      });
      lines.push("\t\t}", "\t}");
    }
    lines.push("\tchain input {", "\t\ttype filter hook input priority filter; policy accept;");
    for (const family of familiesOf(items)) {
      const ip = family === 4 ? "ip" : "ip6";
      const dest = options.destination === undefined ? "" : ` ${ip} daddr ${formatPrefix(options.destination)}`;
      lines.push(`\t\t${ip} saddr @${setName(family)}${dest} ${options.protocol} dport ${ports} accept`);
    }
    lines.push("\t}", "}");
    return oneFile(`${baseName}.nft`, "text/plain; charset=utf-8", textFile(lines));
  },
} satisfies Exporter;
