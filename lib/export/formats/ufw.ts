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

/**
 * A POSIX shell script (ufw hands port lists to iptables multiport, hence the port groups) of `ufw allow proto … from … to … port …` commands. ufw skips a rule it already has, so
 * the script can be re-run; it never removes rules, which is stated in the header.
 */
export const ufw = {
  id: "ufw",
  label: "ufw (shell script)",
  extension: "sh",
  supports: { families: [4, 6], ports: true, destination: true, comments: true },
  render(items, options, baseName) {
    const errors = familyErrors("ufw", items, options, [4, 6]);
    if (errors.length > 0) return refused(errors);

    const to = options.destination === undefined ? "any" : formatPrefix(options.destination);
    const portGroups = multiportGroups(options.ports).map((g) => portsText(g, ":"));
    const lines = ["#!/bin/sh"];
    if (options.comments) {
      lines.push(...describeExport(items, options).map((l) => `# ${l}`));
      lines.push("# Adds rules only (ufw skips existing ones); remove outdated ones with: ufw status numbered, ufw delete N");
    }
    lines.push("set -e");
    for (const item of items) {
      const comment = options.comments ? ` comment ${shellQuote(commentText(itemComment(item), "'\""))}` : "";
      for (const ports of portGroups) {
        lines.push(`ufw allow proto ${options.protocol} from ${itemCidr(item)} to ${to} port ${ports}${comment}`);
      }
    }
    return oneFile(`${baseName}.sh`, "text/x-shellscript; charset=utf-8", textFile(lines));
  },
} satisfies Exporter;
