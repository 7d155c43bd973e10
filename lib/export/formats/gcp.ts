import { formatPrefix } from "../../ip/prefix";
import {
  chunked,
  clip,
  deltaHash,
  describeExport,
  familiesOf,
  familyErrors,
  itemCidr,
  itemsOfFamily,
  portText,
  refused,
  shellQuote,
  singleLine,
  textFile,
} from "../helpers";
import type { ExportOptions, Exporter } from "../types";

/** GCP limits: source ranges per firewall rule (one family per rule), rule names (RFC 1035 label). */
const RANGES_PER_RULE = 5000;
const MAX_NAME = 63;
const MAX_DESCRIPTION = 2048;
/**
 * One above the default priority (1000): "DENY rules take precedence over ALLOW rules if they have equal priority"
 * (https://cloud.google.com/compute/docs/reference/rest/v1/firewalls, field priority), so at 1000 a deny-all created
 * without --priority would override these allows. A deny the admin placed above the default still wins.
 */
const PRIORITY = 999;

/**
 * The delta's priority: one below (evaluated ahead of) the smallest priority of an ingress deny of the compared config
 * that blocks a missing entry, since "DENY rules take precedence over ALLOW rules if they have equal priority"
 * (https://cloud.google.com/compute/docs/reference/rest/v1/firewalls, field priority: 0 is the highest). Without such
 * a deny, PRIORITY. The sentence says which deny and why, for the warning and the script.
 */
function deltaPriority(options: ExportOptions): { priority: number; why?: string } | { error: string } {
  let first: { priority: number; name?: string; line: number } | undefined;
  for (const d of options.blockingDenies ?? [])
    if (d.priority !== undefined && (first === undefined || d.priority < first.priority))
      first = { priority: d.priority, line: d.line, ...(d.name !== undefined ? { name: d.name } : {}) };
  if (first === undefined) return { priority: PRIORITY };
  const rule = `the ingress deny ${first.name !== undefined ? `"${first.name}" ` : ""}(line ${first.line}, priority ${first.priority})`;
  if (first.priority === 0)
    return {
      error: `gcp: ${rule} blocks missing entries on the port and has the highest priority (0): no allow can be evaluated ahead of it, so change that rule`,
    };
  const priority = first.priority - 1;
  return {
    priority,
    why: `gcp: the rules get priority ${priority}, one below ${rule} that blocks missing entries on the port: GCP evaluates the lower number first, and a deny wins over an allow of equal priority`,
  };
}

/** A valid GCP resource name from the user's name prefix: lower case, '_' → '-'. */
function gcpName(text: string): string {
  return text.toLowerCase().replace(/_/g, "-");
}

/**
 * A shell script of `gcloud compute firewall-rules create` calls: one INGRESS ALLOW rule per family and per 5000
 * source ranges, on the VPC network named by $NETWORK (default "default"), and the same rules as JSON. A delta's rules
 * get names of their own (`<name>-delta-<hash of the CIDRs>`): `create` refuses an existing name ("already exists"),
 * so under the full export's names a delta could never be applied on top of it; allow rules add up.
 */
export const gcp = {
  id: "gcp",
  label: "Google Cloud (gcloud compute firewall-rules)",
  extension: "sh",
  supports: { families: [4, 6], ports: true, destination: true, comments: true },
  render(items, options, baseName) {
    const base = gcpName(options.namePrefix);
    const rules = familiesOf(items).flatMap((f) => {
      const parts = chunked(itemsOfFamily(items, f), RANGES_PER_RULE);
      return parts.map((part, k) => {
        const name = parts.length === 1 ? `${base}-v${f}` : `${base}-v${f}-${k + 1}`;
        // A delta's rules are named after their content: under the full export's names `create` fails on top of it.
        return { name: options.scope === "missing" ? `${name}-delta-${deltaHash(part)}` : name, part };
      });
    });
    const errors = familyErrors("gcp", items, options, [4, 6]);
    const placed = options.scope === "missing" ? deltaPriority(options) : { priority: PRIORITY };
    if ("error" in placed) errors.push(placed.error);
    for (const r of rules)
      if (r.name.length > MAX_NAME) errors.push(`gcp: rule name "${r.name}" is longer than ${MAX_NAME} characters`);
    if (errors.length > 0 || "error" in placed) return refused(errors);
    const { priority, why } = placed;

    const allow = options.ports.map((p) => `${options.protocol}:${portText(p)}`).join(",");
    const lines: string[] = ["#!/bin/sh"];
    if (options.comments) lines.push(...describeExport(items, options).map((l) => `# ${l}`));
    if (why !== undefined) lines.push(`# ${singleLine(why)}`);
    lines.push("set -eu", 'NETWORK="${NETWORK:-default}"');
    for (const rule of rules) {
      lines.push(
        `gcloud compute firewall-rules create ${rule.name} \\`,
        `  --network="$NETWORK" --direction=INGRESS --action=ALLOW --priority=${priority} \\`,
        `  --rules=${allow} \\`,
      );
      if (options.destination !== undefined)
        lines.push(`  --destination-ranges=${formatPrefix(options.destination)} \\`);
      if (options.comments) {
        lines.push(
          `  --description=${shellQuote(clip(singleLine(`${options.provider} allowlist, ${options.catalogLabel}`), MAX_DESCRIPTION))} \\`,
        );
      }
      lines.push(`  --source-ranges=${rule.part.map(itemCidr).join(",")}`);
    }
    // The same rules as Firewall resources (REST firewalls.insert bodies, the shape `gcloud … list --format=json`
    // prints): for API or IaC pipelines, and read back by our own GCP parser.
    const resources = rules.map((rule) => ({
      name: rule.name,
      network: "global/networks/default",
      direction: "INGRESS",
      priority,
      ...(options.comments
        ? { description: clip(singleLine(`${options.provider} allowlist, ${options.catalogLabel}`), MAX_DESCRIPTION) }
        : {}),
      sourceRanges: rule.part.map(itemCidr),
      ...(options.destination !== undefined ? { destinationRanges: [formatPrefix(options.destination)] } : {}),
      allowed: [{ IPProtocol: options.protocol, ports: options.ports.map((p) => portText(p)) }],
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
