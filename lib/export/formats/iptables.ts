import { formatPrefix } from "../../ip/prefix";
import type { Family } from "../../ip/types";
import {
  commentText,
  describeExport,
  familyErrors,
  itemCidr,
  itemComment,
  multiportGroups,
  oneFile,
  portText,
  refused,
  textFile,
} from "../helpers";
import type { ExportItem, ExportOptions, Exporter, PortSpec, RenderResult } from "../types";

/** Longest chain name iptables accepts (XT_EXTENSION_MAXNAMELEN minus the NUL). */
const MAX_CHAIN = 28;
const MAX_COMMENT = 256;

/** Port groups that each fit one rule: a single port/range uses --dport, several use multiport. */
function portMatches(ports: readonly PortSpec[], protocol: string): string[] {
  if (ports.length === 1 && ports[0] !== undefined) return [`-m ${protocol} --dport ${portText(ports[0], ":")}`];
  return multiportGroups(ports).map((g) => `-m multiport --dports ${g.map((p) => portText(p, ":")).join(",")}`);
}

/**
 * An iptables-restore / ip6tables-restore file: a chain named after the name prefix with one ACCEPT rule per
 * prefix (and port group), and a jump to it at the top of INPUT. Merged into rules.v4/rules.v6 it is an ordinary
 * block; loaded with --noflush, declaring the chain empties it, so a reload replaces the list without touching
 * other rules (the jump is inserted again: harmless, and the header says how to remove extras).
 */
export function renderXtables(
  id: "iptables" | "ip6tables",
  family: Family,
  items: readonly ExportItem[],
  options: ExportOptions,
  baseName: string,
): RenderResult {
  const chain = options.namePrefix;
  const errors = familyErrors(id, items, options, [family]);
  if (chain.length > MAX_CHAIN) {
    errors.push(`${id}: chain name "${chain}" is longer than ${MAX_CHAIN} characters; choose a shorter name prefix`);
  }
  if (errors.length > 0) return refused(errors);

  const tool = `${id}-restore`;
  const dest = options.destination === undefined ? "" : ` -d ${formatPrefix(options.destination)}`;
  const matches = portMatches(options.ports, options.protocol);
  const lines: string[] = [];
  if (options.comments) {
    lines.push(...describeExport(items, options).map((l) => `# ${l}`));
    lines.push(`# Load: ${tool} --noflush ${baseName}.rules (a reload empties and refills chain ${chain})`);
    lines.push(`# Each load inserts the INPUT jump again; remove extras with: ${id} -D INPUT -j ${chain}`);
  }
  lines.push("*filter", `:${chain} - [0:0]`);
  for (const item of items) {
    const comment = options.comments
      ? ` -m comment --comment "${commentText(itemComment(item), '"\\').slice(0, MAX_COMMENT)}"`
      : "";
    for (const match of matches) {
      lines.push(`-A ${chain} -s ${itemCidr(item)}${dest} -p ${options.protocol} ${match}${comment} -j ACCEPT`);
    }
  }
  lines.push(`-I INPUT -j ${chain}`, "COMMIT");
  return oneFile(`${baseName}.rules`, "text/plain; charset=utf-8", textFile(lines));
}

export const iptables = {
  id: "iptables",
  label: "iptables-restore (IPv4)",
  extension: "rules",
  supports: { families: [4], ports: true, destination: true, comments: true },
  render: (items, options, baseName) => renderXtables("iptables", 4, items, options, baseName),
} satisfies Exporter;
