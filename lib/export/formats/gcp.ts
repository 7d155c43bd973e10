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
import type { Exporter } from "../types";

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
    for (const r of rules)
      if (r.name.length > MAX_NAME) errors.push(`gcp: rule name "${r.name}" is longer than ${MAX_NAME} characters`);
    if (errors.length > 0) return refused(errors);

    const allow = options.ports.map((p) => `${options.protocol}:${portText(p)}`).join(",");
    const lines: string[] = ["#!/bin/sh"];
    if (options.comments) lines.push(...describeExport(items, options).map((l) => `# ${l}`));
    lines.push("set -eu", 'NETWORK="${NETWORK:-default}"');
    for (const rule of rules) {
      lines.push(
        `gcloud compute firewall-rules create ${rule.name} \\`,
        `  --network="$NETWORK" --direction=INGRESS --action=ALLOW --priority=${PRIORITY} \\`,
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
      priority: PRIORITY,
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
      warnings: [],
    };
  },
} satisfies Exporter;
