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
import { deploymentSentences, portWords, syncRemovalLoop } from "./deploy";

/** Longest chain name iptables accepts (XT_EXTENSION_MAXNAMELEN minus the NUL). */
const MAX_CHAIN = 28;
const MAX_COMMENT = 256;

/** Port groups that each fit one rule: a single port/range uses --dport, several use multiport. */
function portMatches(ports: readonly PortSpec[], protocol: string): string[] {
  if (ports.length === 1 && ports[0] !== undefined) return [`-m ${protocol} --dport ${portText(ports[0], ":")}`];
  return multiportGroups(ports).map((g) => `-m multiport --dports ${g.map((p) => portText(p, ":")).join(",")}`);
}

/**
 * A POSIX shell script for iptables / ip6tables. The accept rules live in a chain of their own (named after the
 * name prefix) that one rule at the top of INPUT jumps to, so the admin's rules keep deciding everything else.
 * Every rule is added only when `-C` does not find it, so running the script again changes nothing and a delta
 * only adds. Sync prints the sources the chain holds that are not in the list, then refills the chain in one
 * iptables-restore transaction. Dedicated ends the chain with a drop of the port for every other source.
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

  const dest = options.destination === undefined ? "" : ` -d ${formatPrefix(options.destination)}`;
  const matches = portMatches(options.ports, options.protocol);
  const accepts: string[] = [];
  for (const item of items) {
    const comment = options.comments
      ? ` -m comment --comment "${commentText(itemComment(item), '"\\$`').slice(0, MAX_COMMENT)}"`
      : "";
    for (const match of matches)
      accepts.push(`-s ${itemCidr(item)}${dest} -p ${options.protocol} ${match}${comment} -j ACCEPT`);
  }
  const drops =
    options.deployment === "dedicated"
      ? matches.map((m) => `${dest.trim()} -p ${options.protocol} ${m} -j DROP`.trim())
      : [];

  const lines = ["#!/bin/sh"];
  if (options.comments) {
    lines.push(...describeExport(items, options).map((l) => `# ${l}`));
    lines.push(...deploymentSentences(options, `chain ${chain}`).map((l) => `# ${l}`));
    lines.push(
      `# Run as root: sh ${baseName}.sh. Rules go into chain ${chain}; one rule at the top of INPUT jumps to it.`,
    );
    if (options.deployment === "dedicated") {
      lines.push(
        `# The chain ends with a drop of ${portWords(options)}: keep it the first rule of INPUT for that port.`,
      );
    }
    lines.push(`# To undo: ${id} -D INPUT -j ${chain}; ${id} -F ${chain}; ${id} -X ${chain}`);
  }
  lines.push("set -eu", `ipt() { ${id} -w "$@"; }`);
  lines.push(`ipt -n -L ${chain} >/dev/null 2>&1 || ipt -N ${chain}`);
  if (options.scope === "sync") {
    const keep = items.map(itemCidr);
    lines.push(
      ...syncRemovalLoop(
        keep,
        `ipt -S ${chain} 2>/dev/null | sed -n 's/^-A ${chain} -s \\([^ ]*\\) .*-j ACCEPT$/\\1/p' | sort -u`,
        ":",
        `chain ${chain}`,
      ),
    );
    lines.push(`${id}-restore -w --noflush <<'EOF'`, "*filter", `:${chain} - [0:0]`);
    lines.push(...accepts.map((r) => `-A ${chain} ${r}`), ...drops.map((r) => `-A ${chain} ${r}`), "COMMIT", "EOF");
  } else {
    // Accepts are inserted at the top of the chain so they stay above a dedicated drop added at its end.
    lines.push(`allow() { ipt -C ${chain} "$@" 2>/dev/null || ipt -I ${chain} "$@"; }`);
    lines.push(...accepts.map((r) => `allow ${r}`));
    lines.push(...drops.map((r) => `ipt -C ${chain} ${r} 2>/dev/null || ipt -A ${chain} ${r}`));
  }
  lines.push(`ipt -C INPUT -j ${chain} 2>/dev/null || ipt -I INPUT -j ${chain}`);
  return oneFile(`${baseName}.sh`, "text/x-shellscript; charset=utf-8", textFile(lines));
}

export const iptables = {
  id: "iptables",
  label: "iptables (shell script, IPv4)",
  extension: "sh",
  supports: { families: [4], ports: true, destination: true, comments: true, sync: true, dedicated: true },
  render: (items, options, baseName) => renderXtables("iptables", 4, items, options, baseName),
} satisfies Exporter;
