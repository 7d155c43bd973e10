import { formatPrefix } from "../../ip/prefix";
import {
  chunked,
  clip,
  commentText,
  describeExport,
  familyErrors,
  itemComment,
  nameLengthErrors,
  objectName,
  oneFile,
  portText,
  refused,
  textFile,
} from "../helpers";
import type { ExportOptions, Exporter } from "../types";

const MAX_NAME = 63;
/** Addresses per address-set (SRX limit; larger lists become several sets, all matched by the policy). */
const SET_SIZE = 1024;
const MAX_DESCRIPTION = 255;

/** Predefined applications that match exactly one TCP port; anything else gets a custom application. */
const PREDEFINED: Record<string, string> = { "tcp/80": "junos-http", "tcp/443": "junos-https" };

function applications(options: ExportOptions): { name: string; custom?: { protocol: string; port: string } }[] {
  return options.ports.map((p) => {
    const port = portText(p);
    const known = p.from === p.to ? PREDEFINED[`${options.protocol}/${port}`] : undefined;
    if (known !== undefined) return { name: known };
    return { name: `${options.namePrefix}-${options.protocol}-${port}`, custom: { protocol: options.protocol, port } };
  });
}

const quoted = (text: string) => `"${commentText(text, '"\\')}"`;
/** A zone or policy name as a set command word: bare when it can be, else quoted. */
const word = (name: string) => (/^[A-Za-z0-9._:/-]+$/.test(name) ? name : quoted(name));

/**
 * Junos set commands: global address-book entries (one per prefix, IPv4 and IPv6 alike), address-sets of at most
 * 1024 members, custom applications for ports without a predefined one, and one policy untrust → trust that
 * permits them. Load with `load set terminal`; a new policy goes last in its zone pair, so move it with `insert`.
 * With a target (targetFromZone/targetToZone, the compared config's zone pair by default) the policy goes in that pair,
 * and with targetPolicy `insert security policies from-zone A to-zone B policy NEW before policy P` moves it ahead of
 * P, the pair's first policy that denies a missing entry (policies are evaluated in order, first match; Junos
 * "insert": https://www.juniper.net/documentation/us/en/software/junos/cli-reference/topics/ref/command/insert.html,
 * https://www.juniper.net/documentation/us/en/software/junos/security-policies/topics/topic-map/security-policy-configuration.html).
 */
export const junosSrx = {
  id: "junos-srx",
  label: "Juniper SRX (set commands)",
  extension: "set",
  supports: { families: [4, 6], ports: true, destination: true, comments: true, zoneTarget: true },
  render(items, options, baseName) {
    const book = "set security address-book global";
    const names = items.map((i) => objectName(options.namePrefix, i.prefix, MAX_NAME));
    const sets = chunked(names, SET_SIZE);
    const setName = (k: number) => (sets.length === 1 ? options.namePrefix : `${options.namePrefix}-${k + 1}`);
    const apps = applications(options);
    const policy = `${options.namePrefix}-in`;
    const dstName = `${options.namePrefix}-dst`;
    const errors = [
      ...familyErrors("junos-srx", items, options, [4, 6]),
      ...nameLengthErrors(
        "junos-srx",
        [...sets.map((_, k) => setName(k)), ...apps.map((a) => a.name), policy, dstName],
        MAX_NAME,
      ),
    ];
    if (errors.length > 0) return refused(errors);

    const targeted = options.targetFromZone !== undefined && options.targetToZone !== undefined;
    const lines: string[] = [];
    if (options.comments) {
      lines.push(...describeExport(items, options).map((l) => `# ${l}`));
      lines.push(
        targeted
          ? "# Load with: load set terminal"
          : "# Load with: load set terminal (then move the policy with insert ... before ... if needed)",
      );
    }
    items.forEach((item, k) => {
      lines.push(`${book} address ${names[k]} ${formatPrefix(item.prefix)}`);
      if (options.comments) {
        lines.push(`${book} address ${names[k]} description ${quoted(clip(itemComment(item), MAX_DESCRIPTION))}`);
      }
    });
    sets.forEach((members, k) => {
      for (const m of members) lines.push(`${book} address-set ${setName(k)} address ${m}`);
    });
    if (options.destination !== undefined) {
      lines.push(`${book} address ${dstName} ${formatPrefix(options.destination)}`);
    }
    for (const app of apps) {
      if (app.custom === undefined) continue;
      lines.push(`set applications application ${app.name} protocol ${app.custom.protocol}`);
      lines.push(`set applications application ${app.name} destination-port ${app.custom.port}`);
    }
    const pair = targeted
      ? `from-zone ${word(options.targetFromZone!)} to-zone ${word(options.targetToZone!)}`
      : "from-zone untrust to-zone trust";
    const rule = `set security policies ${pair} policy ${policy}`;
    if (options.comments) {
      lines.push(
        `${rule} description ${quoted(clip(`${options.provider} allowlist, ${options.catalogLabel}`, MAX_DESCRIPTION))}`,
      );
    }
    sets.forEach((_, k) => lines.push(`${rule} match source-address ${setName(k)}`));
    lines.push(`${rule} match destination-address ${options.destination === undefined ? "any" : dstName}`);
    for (const app of apps) lines.push(`${rule} match application ${app.name}`);
    lines.push(`${rule} then permit`);
    if (targeted) {
      if (options.targetPolicy !== undefined) {
        lines.push(`insert security policies ${pair} policy ${policy} before policy ${word(options.targetPolicy)}`);
      }
      if (options.comments) {
        lines.push(
          options.targetPolicy === undefined
            ? `# Appended to ${pair}, after its policies: met only if none of them denies the connection first.`
            : `# Moved ahead of policy ${options.targetPolicy} of ${pair}, the first that denies a missing entry.`,
        );
      }
      return oneFile(`${baseName}.set`, "text/plain; charset=utf-8", textFile(lines), []);
    }
    // Junos appends a new policy to its zone pair and the first match decides: below a deny policy it never matches.
    return oneFile(`${baseName}.set`, "text/plain; charset=utf-8", textFile(lines), [
      `junos-srx: the policy goes last in from-zone untrust to-zone trust (use your zone names), below any deny policy there, where it never matches: then run insert security policies from-zone untrust to-zone trust policy ${policy} before policy <your first policy>`,
    ]);
  },
} satisfies Exporter;
