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
import { deploymentSentences, portWords, syncRemovalLoop } from "./deploy";

/** firewalld's IPSET_MAXNAMELEN (firewall/core/ipset.py). */
const MAX_IPSET_NAME = 32;
/** Entries per call: keeps each command line far below ARG_MAX. */
const ENTRIES_PER_CALL = 500;

/**
 * A POSIX shell script for firewalld: one hash:net ipset per family and rich rules in the default zone. On a running
 * firewalld it changes the permanent configuration with `firewall-cmd --permanent` and then runs
 * `firewall-cmd --reload` (an ipset can only be created permanently), which the header says; with firewalld
 * stopped it uses firewall-offline-cmd. The ipset is created only when absent and firewalld skips entries and
 * rules it already has, so re-running changes nothing and a delta only adds; sync removes the entries not listed.
 * Dedicated adds a drop of the port at a priority just below the accept, ahead of the zone's ports and services.
 */
export const firewalld = {
  id: "firewalld",
  label: "firewalld (shell script)",
  extension: "sh",
  supports: { families: [4, 6], ports: true, destination: true, comments: true, sync: true, dedicated: true },
  render(items, options, baseName) {
    const errors = familyErrors("firewalld", items, options, [4, 6]);
    const setName = (f: Family) => `${options.namePrefix}_v${f}`;
    const families = familiesOf(items);
    // firewalld creates and fills a longer ipset, then refuses the rich rule naming it (INVALID_IPSET): refuse first.
    for (const name of families.map(setName))
      if (name.length > MAX_IPSET_NAME)
        errors.push(
          `firewalld: ipset name "${name}" is longer than ${MAX_IPSET_NAME} characters; choose a shorter name prefix`,
        );
    if (errors.length > 0) return refused(errors);

    const description = describeExport(items, options).slice(0, 2).join(". ");
    const dedicated = options.deployment === "dedicated";
    const lines = ["#!/bin/sh"];
    if (options.comments) {
      lines.push(...describeExport(items, options).map((l) => `# ${l}`));
      lines.push(...deploymentSentences(options, `ipset ${families.map(setName).join(" / ")}`).map((l) => `# ${l}`));
      lines.push("# On a running firewalld: changes the permanent configuration, then runs firewall-cmd --reload.");
      lines.push(
        "# A reload drops runtime-only changes: make yours permanent first (firewall-cmd --runtime-to-permanent).",
      );
      if (dedicated)
        lines.push(
          `# Rich rules with priorities -2 (accept) and -1 (drop ${portWords(options)}) run before the zone's ports and services.`,
        );
      lines.push(`# Run as root: sh ${baseName}.sh`);
    }
    lines.push(
      "set -eu",
      "if firewall-cmd --state >/dev/null 2>&1; then running=1; else running=0; fi",
      `fw() { if [ "$running" = 1 ]; then firewall-cmd --permanent "$@"; else firewall-offline-cmd "$@"; fi; }`,
    );
    const dest = options.destination === undefined ? "" : ` destination address="${formatPrefix(options.destination)}"`;
    const priority = (p: number) => (dedicated ? ` priority="${p}"` : "");
    for (const family of families) {
      const name = setName(family);
      lines.push(
        `fw --info-ipset=${name} >/dev/null 2>&1 || fw --new-ipset=${name} --type=hash:net --option=family=inet${family === 4 ? "" : "6"}`,
      );
      if (options.comments)
        lines.push(`fw --ipset=${name} --set-description=${shellQuote(commentText(description, ""))}`);
      if (options.scope === "sync") {
        lines.push(
          ...syncRemovalLoop(
            itemsOfFamily(items, family).map(itemCidr),
            `fw --ipset=${name} --get-entries`,
            `fw --ipset=${name} --remove-entry`,
            `ipset ${name}`,
          ),
        );
      }
      for (const chunk of chunked(itemsOfFamily(items, family), ENTRIES_PER_CALL)) {
        lines.push(`fw --ipset=${name} \\`);
        chunk.forEach((item, i) => lines.push(`  --add-entry=${itemCidr(item)}${i < chunk.length - 1 ? " \\" : ""}`));
      }
    }
    // One call for all rich rules: each firewall-cmd call costs a process start (and a D-Bus round trip).
    const rules: string[] = [];
    for (const family of [4, 6] as const) {
      for (const port of options.ports) {
        const where = `${dest} port port="${portText(port)}" protocol="${options.protocol}"`;
        if (families.includes(family))
          rules.push(`rule${priority(-2)} family="ipv${family}" source ipset="${setName(family)}"${where} accept`);
        const reachable = options.destination === undefined || options.destination.address.family === family;
        if (dedicated && reachable) rules.push(`rule${priority(-1)} family="ipv${family}"${where} drop`);
      }
    }
    lines.push(
      "fw \\",
      ...rules.map((r, i) => `  --add-rich-rule=${shellQuote(r)}${i < rules.length - 1 ? " \\" : ""}`),
    );
    lines.push(`if [ "$running" = 1 ]; then firewall-cmd --reload; fi`);
    return oneFile(`${baseName}.sh`, "text/x-shellscript; charset=utf-8", textFile(lines));
  },
} satisfies Exporter;
