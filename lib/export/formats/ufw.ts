import { formatPrefix } from "../../ip/prefix";
import {
  commentText,
  describeExport,
  familyErrors,
  itemCidr,
  itemComment,
  multiportGroups,
  oneFile,
  portsText,
  refused,
  shellQuote,
  textFile,
} from "../helpers";
import type { Exporter } from "../types";
import { deploymentSentences, portWords, syncRemovalLoop } from "./deploy";

/**
 * A POSIX shell script of `ufw prepend allow …` commands (ufw hands port lists to iptables multiport, hence the
 * port groups). Prepended rules sit above the admin's own rules of the same family; ufw skips a rule it already
 * has, so re-running changes nothing and a delta only adds. Every rule carries the comment "<name prefix>:", which
 * is how sync finds the rules it owns (`ufw show added`) and deletes those whose source is not in the list.
 * Dedicated first denies the port for every source (turning an "allow from anywhere" of it into that deny), then
 * prepends the allows above it.
 */
export const ufw = {
  id: "ufw",
  label: "ufw (shell script)",
  extension: "sh",
  supports: { families: [4, 6], ports: true, destination: true, comments: true, sync: true, dedicated: true },
  render(items, options, baseName) {
    const errors = familyErrors("ufw", items, options, [4, 6]);
    if (errors.length > 0) return refused(errors);

    const to = options.destination === undefined ? "any" : formatPrefix(options.destination);
    const portGroups = multiportGroups(options.ports).map((g) => portsText(g, ":"));
    const tag = `${options.namePrefix}:`;
    const lines = ["#!/bin/sh"];
    if (options.comments) {
      lines.push(...describeExport(items, options).map((l) => `# ${l}`));
      lines.push(...deploymentSentences(options, `the ufw rules commented "${tag}"`).map((l) => `# ${l}`));
      lines.push(`# Rules are prepended: they come before your own rules of the same family.`);
      if (options.deployment === "dedicated") {
        lines.push(
          `# A deny of ${portWords(options)} for every other source follows; it replaces your "allow ${portsText(options.ports, ":", ",")}/${options.protocol} from anywhere" rule if you have one.`,
        );
      }
      lines.push(`# Run as root: sh ${baseName}.sh`);
    }
    lines.push("set -eu");
    if (options.scope === "sync") {
      const keep = items.flatMap((i) => {
        const cidr = itemCidr(i);
        // ufw shows a host prefix as the bare address.
        return i.prefix.bits === (i.prefix.address.family === 4 ? 32 : 128)
          ? [cidr, formatPrefix(i.prefix).split("/")[0] ?? cidr]
          : [cidr];
      });
      lines.push(
        `unallow() { ufw show added | grep -F "ufw allow from $1 " | grep -F " comment '${tag}" | sed "s/^ufw //; s/ comment '.*$//" | while read -r rule; do ufw delete $rule; done; }`,
      );
      lines.push(
        ...syncRemovalLoop(
          keep,
          `ufw show added | grep -F " comment '${tag}" | sed -n 's/^ufw allow from \\([^ ]*\\) .*/\\1/p' | sort -u`,
          "unallow",
          "ufw",
        ),
      );
    }
    if (options.deployment === "dedicated") {
      // Not prepended: ufw treats a deny with the same ports as an existing "allow from anywhere" and would skip it;
      // `ufw deny` turns that allow into the deny in place (or appends one), below the prepended allows.
      for (const ports of portGroups) lines.push(`ufw deny proto ${options.protocol} to ${to} port ${ports}`);
    }
    for (const item of items) {
      const text = options.comments ? `${tag} ${commentText(itemComment(item), "'\"")}` : tag;
      for (const ports of portGroups) {
        lines.push(
          `ufw prepend allow proto ${options.protocol} from ${itemCidr(item)} to ${to} port ${ports} comment ${shellQuote(text)}`,
        );
      }
    }
    return oneFile(`${baseName}.sh`, "text/x-shellscript; charset=utf-8", textFile(lines));
  },
} satisfies Exporter;
