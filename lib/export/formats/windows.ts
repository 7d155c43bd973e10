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
  oneFile,
  portText,
  refused,
  singleLine,
  textFile,
} from "../helpers";
import type { Exporter } from "../types";

/** Addresses per rule: large RemoteAddress lists are slow to apply and fail past a few thousand entries. */
const ADDRESSES_PER_RULE = 1000;
const MAX_DESCRIPTION = 1024;

/** PowerShell single-quoted string; the typographic single quotes PowerShell also treats as quotes are doubled too. */
function psQuote(text: string): string {
  return `'${text.replace(/['\u2018\u2019\u201a\u201b]/g, (q) => q + q)}'`;
}

/**
 * A PowerShell script of New-NetFirewallRule calls: one inbound Allow rule per family and per 1000 addresses, all in
 * one rule group so `Remove-NetFirewallRule -Group <prefix>` takes them out again. -Name is fixed, so running the
 * script twice fails instead of duplicating rules. A delta's rules get names of their own (`<name>-delta-<hash of the
 * CIDRs>`), so it applies on top of the earlier export (allow rules add up) and applying it twice still fails.
 */
export const windows = {
  id: "windows",
  label: "Windows Defender Firewall (PowerShell)",
  extension: "ps1",
  supports: { families: [4, 6], ports: true, destination: true, comments: true },
  render(items, options, baseName) {
    const errors = familyErrors("windows", items, options, [4, 6]);
    if (errors.length > 0) return refused(errors);

    // An allow rule never overrides a block rule ("block rules take precedence over allow rules", MS-FASP 3.1.4.1:
    // https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-fasp/702e3c23-c9d8-43db-8380-b4c670dd7f7d):
    // a delta whose entries the compared config blocks says which rule must change, in the warnings and the script.
    const warnings = (options.scope === "missing" ? (options.blockingDenies ?? []) : []).map(
      (d) =>
        `windows: the inbound block rule ${d.name !== undefined ? `"${singleLine(d.name)}" ` : ""}(line ${d.line}) matches missing entries on the port: block rules take precedence over allow rules, so the allow rules added here cannot let them in; change or remove that block rule`,
    );
    const lines: string[] = [];
    if (options.comments) lines.push(...describeExport(items, options).map((l) => `# ${l}`));
    lines.push(...warnings.map((w) => `# ${w}`));
    lines.push("$ErrorActionPreference = 'Stop'");
    const ports = options.ports.map((p) => psQuote(portText(p))).join(", ");
    const local =
      options.destination === undefined ? "" : ` -LocalAddress ${psQuote(formatPrefix(options.destination))}`;
    const description = options.comments
      ? ` -Description ${psQuote(clip(singleLine(`${options.provider} allowlist, ${options.catalogLabel}`), MAX_DESCRIPTION))}`
      : "";
    for (const f of familiesOf(items)) {
      const parts = chunked(itemsOfFamily(items, f), ADDRESSES_PER_RULE);
      parts.forEach((part, k) => {
        const base = parts.length === 1 ? `${options.namePrefix}-v${f}` : `${options.namePrefix}-v${f}-${k + 1}`;
        // A delta's rules are named after their content: under the full export's names they would fail on top of it.
        const name = psQuote(options.scope === "missing" ? `${base}-delta-${deltaHash(part)}` : base);
        lines.push("$addresses = @(", ...part.map((i) => `  ${psQuote(itemCidr(i))}`), ")");
        lines.push(
          `New-NetFirewallRule -Name ${name} -DisplayName ${name} -Group ${psQuote(options.namePrefix)}${description} ` +
            `-Direction Inbound -Action Allow -Protocol ${options.protocol.toUpperCase()} -LocalPort ${ports}${local} ` +
            "-RemoteAddress $addresses | Out-Null",
        );
      });
    }
    return oneFile(`${baseName}.ps1`, "text/plain; charset=utf-8", textFile(lines), warnings);
  },
} satisfies Exporter;
