import { formatPrefix } from "../../ip/prefix";
import {
  chunked,
  clip,
  describeExport,
  familiesOf,
  familyErrors,
  itemCidr,
  itemsOfFamily,
  portText,
  portsText,
  refused,
  shellQuote,
  singleLine,
  textFile,
} from "../helpers";
import type { ExportOptions, Exporter } from "../types";

/** Azure limits: prefixes per address field of one rule, and the usable priority range. */
const PREFIXES_PER_RULE = 4000;
const FIRST_PRIORITY = 100;
const LAST_PRIORITY = 4096;
/** Priorities step by 10 so rules can be inserted between them later. */
const PRIORITY_STEP = 10;
const MAX_DESCRIPTION = 140;
const MAX_NAME = 80;
const PREFIXES_PER_LINE = 8;

/**
 * The priorities of a delta's `count` rules: free in the compared NSG (Azure: "The priority number must be unique for
 * each rule in the collection", per direction, https://learn.microsoft.com/en-us/azure/virtual-network/network-security-groups-overview#security-rules)
 * and below the first inbound deny that blocks a missing entry (lower numbers are processed first; processing stops at
 * the first match). Steps of 10 from 100 where free, else any free number; the sentence says why, for the warning.
 */
function deltaPriorities(
  count: number,
  options: ExportOptions,
): { priorities: number[]; why?: string } | { error: string } {
  let first: { priority: number; name?: string; line: number } | undefined;
  for (const d of options.blockingDenies ?? [])
    if (d.priority !== undefined && (first === undefined || d.priority < first.priority))
      first = { priority: d.priority, line: d.line, ...(d.name !== undefined ? { name: d.name } : {}) };
  const limit = first === undefined ? LAST_PRIORITY : Math.min(first.priority - 1, LAST_PRIORITY);
  const used = new Set(options.usedPriorities ?? []);
  const free: number[] = [];
  for (let p = FIRST_PRIORITY; p <= limit; p += PRIORITY_STEP) if (!used.has(p)) free.push(p);
  for (let p = FIRST_PRIORITY; p <= limit && free.length < count; p++)
    if (!used.has(p) && p % PRIORITY_STEP !== 0) free.push(p);
  const rule =
    first === undefined
      ? undefined
      : `the inbound deny ${first.name !== undefined ? `"${first.name}" ` : ""}(line ${first.line}, priority ${first.priority})`;
  const where =
    rule === undefined
      ? `${FIRST_PRIORITY}–${LAST_PRIORITY}`
      : `${FIRST_PRIORITY}–${limit}, below ${rule} that blocks missing entries on the port`;
  if (free.length < count)
    return {
      error: `azure-nsg: ${count} rule${count === 1 ? "" : "s"} need${count === 1 ? "s" : ""} a free inbound priority in ${where}, and ${free.length === 0 ? "none is" : `only ${free.length} ${free.length === 1 ? "is" : "are"}`} left: free some numbers there or change that deny`,
    };
  const priorities = free.slice(0, count).sort((a, b) => a - b);
  // No compared NSG was read (a delta of a plain list): the numbers are the full export's, nothing to explain.
  if (options.usedPriorities === undefined && first === undefined) return { priorities };
  return {
    priorities,
    why: `azure-nsg: the rules get priorit${count === 1 ? "y" : "ies"} ${priorities.join(", ")}: free among the compared NSG's inbound rules (a priority is unique per direction) in ${where}; Azure processes the lower number first`,
  };
}

/**
 * A shell script of `az network nsg rule create` calls: one inbound Allow rule per family and per 4000 prefixes,
 * priorities 100, 110, … (refused past 4096). The resource group and NSG come from the environment. The same rules
 * follow as JSON. `create` overwrites a rule of the same name (https://github.com/Azure/azure-cli/issues/7185: "by
 * design … for nearly all create commands"), so a delta first checks that none of its rules exists and stops if one does.
 */
export const azureNsg = {
  id: "azure-nsg",
  label: "Azure NSG (az network nsg rule create)",
  extension: "sh",
  supports: { families: [4, 6], ports: true, destination: true, comments: true },
  render(items, options, baseName) {
    const rules = familiesOf(items).flatMap((f) => {
      const parts = chunked(itemsOfFamily(items, f), PREFIXES_PER_RULE);
      return parts.map((part, k) => ({
        name: parts.length === 1 ? `${options.namePrefix}-v${f}` : `${options.namePrefix}-v${f}-${k + 1}`,
        part,
      }));
    });
    const errors = familyErrors("azure-nsg", items, options, [4, 6]);
    const last = FIRST_PRIORITY + (rules.length - 1) * PRIORITY_STEP;
    // A delta is numbered against the compared NSG; the full export (no NSG to compare) from 100 by 10.
    const placed =
      options.scope === "missing"
        ? deltaPriorities(rules.length, options)
        : { priorities: rules.map((_, k) => FIRST_PRIORITY + k * PRIORITY_STEP), why: undefined };
    if ("error" in placed) errors.push(placed.error);
    else if (options.scope !== "missing" && last > LAST_PRIORITY) {
      errors.push(
        `azure-nsg: ${rules.length} rules need priorities up to ${last}, past the highest (${LAST_PRIORITY})`,
      );
    }
    for (const r of rules)
      if (r.name.length > MAX_NAME)
        errors.push(`azure-nsg: rule name "${r.name}" is longer than ${MAX_NAME} characters`);
    if (errors.length > 0 || "error" in placed) return refused(errors);
    const { priorities, why } = placed;

    const protocol = options.protocol === "tcp" ? "Tcp" : "Udp";
    const description = clip(singleLine(`${options.provider} allowlist, ${options.catalogLabel}`), MAX_DESCRIPTION);
    const dest = options.destination === undefined ? "'*'" : formatPrefix(options.destination);
    const lines: string[] = ["#!/bin/sh"];
    if (options.comments) lines.push(...describeExport(items, options).map((l) => `# ${l}`));
    if (why !== undefined) lines.push(`# ${singleLine(why)}`);
    lines.push(
      "set -eu",
      ': "${RESOURCE_GROUP:?set RESOURCE_GROUP to the resource group of the network security group}"',
      ': "${NSG_NAME:?set NSG_NAME to the network security group}"',
    );
    if (options.scope === "missing") {
      // `az network nsg rule create` replaces a rule of the same name (a PUT): on top of the earlier export it would
      // swap that rule's sources for the delta's and revoke the rest. Stop before any change instead.
      lines.push(
        `for rule in ${rules.map((r) => shellQuote(r.name)).join(" ")}; do`,
        '  if az network nsg rule show --resource-group "$RESOURCE_GROUP" --nsg-name "$NSG_NAME" --name "$rule" >/dev/null 2>&1; then',
        '    echo "azure-nsg: rule $rule exists: creating it again would replace its sources with this delta\'s only. Nothing changed; apply the full export instead." >&2',
        "    exit 1",
        "  fi",
        "done",
      );
    }
    rules.forEach((rule, k) => {
      lines.push(
        "az network nsg rule create \\",
        '  --resource-group "$RESOURCE_GROUP" --nsg-name "$NSG_NAME" \\',
        `  --name ${shellQuote(rule.name)} --priority ${priorities[k]} \\`,
        `  --direction Inbound --access Allow --protocol ${protocol} \\`,
        "  --source-address-prefixes \\",
        ...chunked(rule.part.map(itemCidr), PREFIXES_PER_LINE).map((cidrs) => `    ${cidrs.join(" ")} \\`),
        `  --source-port-ranges '*' --destination-address-prefixes ${dest} \\`,
      );
      const describe = options.comments ? ` \\\n  --description ${shellQuote(description)}` : "";
      lines.push(`  --destination-port-ranges ${portsText(options.ports, "-", " ")}${describe}`);
    });
    // The same rules as securityRules resources (REST/ARM shape: name + properties): for API or IaC pipelines, and
    // read back by our own Azure parser.
    const resources = rules.map((rule, k) => ({
      name: rule.name,
      properties: {
        priority: priorities[k],
        direction: "Inbound",
        access: "Allow",
        protocol,
        sourceAddressPrefixes: rule.part.map(itemCidr),
        sourcePortRange: "*",
        destinationAddressPrefix: options.destination === undefined ? "*" : formatPrefix(options.destination),
        destinationPortRanges: options.ports.map((p) => portText(p)),
        ...(options.comments ? { description } : {}),
      },
    }));
    return {
      ok: true,
      files: [
        { name: `${baseName}.sh`, mime: "text/x-shellscript; charset=utf-8", content: textFile(lines) },
        { name: `${baseName}.json`, mime: "application/json", content: `${JSON.stringify(resources, null, 2)}\n` },
      ],
      warnings: why !== undefined ? [why] : [],
    };
  },
} satisfies Exporter;
