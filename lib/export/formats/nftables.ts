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
  shellQuote,
  textFile,
} from "../helpers";
import type { ExportItem, ExportOptions, Exporter } from "../types";
import { deploymentSentences, portWords } from "./deploy";

/** nft keeps at most 128 bytes of an element comment; ours are ASCII in practice. */
const MAX_ELEMENT_COMMENT = 128;

const ipOf = (f: Family) => (f === 4 ? "ip" : "ip6");

/** `add set …` and its elements (flushed first for sync), for one family, in `table`. */
function setLines(
  table: string,
  name: string,
  family: Family,
  items: readonly ExportItem[],
  options: ExportOptions,
): string[] {
  const members = itemsOfFamily(items, family).map((item) => {
    const comment = options.comments
      ? ` comment "${commentText(itemComment(item), '"\\').slice(0, MAX_ELEMENT_COMMENT)}"`
      : "";
    return `${itemCidr(item)}${comment}`;
  });
  const lines = [`add set ${table} ${name} { type ipv${family}_addr; flags interval; auto-merge; }`];
  if (options.scope === "sync") lines.push(`flush set ${table} ${name}`);
  if (members.length > 0)
    lines.push(
      `add element ${table} ${name} {`,
      ...members.map((m, i) => `\t${m}${i < members.length - 1 ? "," : ""}`),
      "}",
    );
  return lines;
}

/**
 * A POSIX shell script around one `nft -f` transaction. nftables runs every base chain on the input hook and a
 * drop is final, so an accept in a table of our own cannot open what the admin's default-drop chain closes:
 * additive puts named sets and one accept rule per family into the admin's own table and chain (inet filter input
 * by default). The rule is inserted only when absent (nft has no "add if absent"), so re-running changes nothing;
 * later updates only add elements to the sets (sync flushes and refills them in the same transaction).
 * Dedicated adds a table of our own whose input chain (before the admin's) drops the port for other sources.
 */
export const nftables = {
  id: "nftables",
  label: "nftables (shell script: nft)",
  extension: "sh",
  supports: { families: [4, 6], ports: true, destination: true, comments: true, sync: true, dedicated: true },
  render(items, options, baseName) {
    const errors = familyErrors("nftables", items, options, [4, 6]);
    if (options.deployment === "additive" && options.nftFamily !== "inet") {
      const allowed: Family = options.nftFamily === "ip" ? 4 : 6;
      for (const item of items) {
        if (item.prefix.address.family !== allowed) {
          errors.push(
            `nftables: IPv${item.prefix.address.family} prefix ${itemCidr(item)} cannot go into the ${options.nftFamily} table ${options.nftTable}; choose family inet or export IPv${allowed} only`,
          );
        }
      }
    }
    if (errors.length > 0) return refused(errors);

    const ports = options.ports.length === 1 ? portsText(options.ports) : `{ ${portsText(options.ports, "-", ", ")} }`;
    const match = (f: Family) => {
      const dest = options.destination === undefined ? "" : ` ${ipOf(f)} daddr ${formatPrefix(options.destination)}`;
      return `${dest.trim()}${dest === "" ? "" : " "}${options.protocol} dport ${ports}`;
    };
    const setName = (f: Family) => `${options.namePrefix}_v${f}`;
    const families = familiesOf(items);
    const adminChain = `${options.nftFamily} ${options.nftTable} ${options.nftChain}`;
    const adminTable = `${options.nftFamily} ${options.nftTable}`;
    const own = `inet ${options.namePrefix}`;
    const dedicated = options.deployment === "dedicated";

    const lines = ["#!/bin/sh"];
    if (options.comments) {
      lines.push(...describeExport(items, options).map((l) => `# ${l}`));
      const object = dedicated ? `table ${own}` : families.map((f) => `set ${adminTable} ${setName(f)}`).join(" and ");
      lines.push(...deploymentSentences(options, object, false).map((l) => `# ${l}`));
      if (dedicated) {
        lines.push(
          `# Table ${own} drops ${portWords(options)} from every other source before any other input chain runs.`,
        );
        lines.push(
          `# When chain ${adminChain} exists (a default-drop policy), a rule accepting the port is inserted at its top once.`,
        );
      } else {
        lines.push(
          `# Needs your base chain ${adminChain} (the Debian and RHEL default); set another with the nftables options.`,
        );
        lines.push(
          `# An accept rule per family is inserted at the top of that chain once; updates only touch the sets.`,
        );
      }
      lines.push(`# Run as root: sh ${baseName}.sh`);
    }
    lines.push("set -eu", "nft -f - <<'EOF'");
    if (dedicated) {
      lines.push(`add table ${own}`);
      for (const f of families) lines.push(...setLines(own, setName(f), f, items, options));
      lines.push(
        `add chain ${own} guard { type filter hook input priority filter - 10; policy accept; }`,
        `flush chain ${own} guard`,
      );
      for (const f of [4, 6] as const) {
        if (families.includes(f))
          lines.push(`add rule ${own} guard ${ipOf(f)} saddr != @${setName(f)} ${match(f)} drop`);
        else if (options.destination === undefined || options.destination.address.family === f) {
          lines.push(`add rule ${own} guard meta nfproto ipv${f} ${match(f)} drop`);
        }
      }
    } else {
      for (const f of families) lines.push(...setLines(adminTable, setName(f), f, items, options));
    }
    lines.push("EOF");
    if (dedicated) {
      const tag = `${options.namePrefix}`;
      const rule = `insert rule ${adminChain} ${options.protocol} dport ${ports} accept comment "${tag}"`;
      lines.push(`if nft list chain ${adminChain} >/dev/null 2>&1; then`);
      lines.push(`  nft list chain ${adminChain} | grep -qF 'comment "${tag}"' || nft ${shellQuote(rule)}`, "fi");
    } else {
      for (const f of families) {
        const tag = setName(f);
        const rule = `insert rule ${adminChain} ${ipOf(f)} saddr @${tag} ${match(f)} accept comment "${tag}"`;
        lines.push(`nft list chain ${adminChain} | grep -qF 'comment "${tag}"' || nft ${shellQuote(rule)}`);
      }
    }
    return oneFile(`${baseName}.sh`, "text/x-shellscript; charset=utf-8", textFile(lines));
  },
} satisfies Exporter;
