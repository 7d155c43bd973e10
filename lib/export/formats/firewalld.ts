import { formatPrefix } from "../../ip/prefix";
import type { Family } from "../../ip/types";
import {
  chunked,
  commentText,
  describeExport,
  familiesOf,
  familyErrors,
  itemCidr,
  itemsOfFamily,
  oneFile,
  portText,
  refused,
  shellQuote,
  textFile,
} from "../helpers";
import type { Exporter } from "../types";

/** Entries per firewall-offline-cmd call: keeps each command line far below ARG_MAX. */
const ENTRIES_PER_CALL = 500;

/**
 * A shell script of firewall-offline-cmd calls: one hash:net ipset per family (entries added in a few calls, as
 * each call costs a process start) and one rich rule per family and port range in the default zone. ipset
 * entries take no comments, so the comment goes in the ipset description. On a running firewalld the same
 * arguments work with `firewall-cmd --permanent` followed by `firewall-cmd --reload`.
 */
export const firewalld = {
  id: "firewalld",
  label: "firewalld (firewall-offline-cmd)",
  extension: "sh",
  supports: { families: [4, 6], ports: true, destination: true, comments: true },
  render(items, options, baseName) {
    const errors = familyErrors("firewalld", items, options, [4, 6]);
    if (errors.length > 0) return refused(errors);

    const setName = (f: Family) => `${options.namePrefix}_v${f}`;
    const description = describeExport(items, options).slice(0, 2).join(". ");
    const lines = ["#!/bin/sh"];
    if (options.comments) {
      lines.push(...describeExport(items, options).map((l) => `# ${l}`));
      lines.push(`# Run once: --new-ipset fails when ${familiesOf(items).map(setName).join(" / ")} already exists.`);
    }
    lines.push("set -e");
    for (const family of familiesOf(items)) {
      const name = setName(family);
      lines.push(`firewall-offline-cmd --new-ipset=${name} --type=hash:net --option=family=inet${family === 4 ? "" : "6"}`);
      if (options.comments) {
        lines.push(`firewall-offline-cmd --ipset=${name} --set-description=${shellQuote(commentText(description, ""))}`);
      }
      for (const chunk of chunked(itemsOfFamily(items, family), ENTRIES_PER_CALL)) {
        lines.push(`firewall-offline-cmd --ipset=${name} \\`);
        chunk.forEach((item, i) => lines.push(`  --add-entry=${itemCidr(item)}${i < chunk.length - 1 ? " \\" : ""}`));
      }
      const dest = options.destination === undefined ? "" : ` destination address="${formatPrefix(options.destination)}"`;
      for (const port of options.ports) {
        const rule = `rule family="ipv${family}" source ipset="${name}"${dest} port port="${portText(port)}" protocol="${options.protocol}" accept`;
        lines.push(`firewall-offline-cmd --add-rich-rule=${shellQuote(rule)}`);
      }
    }
    return oneFile(`${baseName}.sh`, "text/x-shellscript; charset=utf-8", textFile(lines));
  },
} satisfies Exporter;
