import { formatAddress } from "../../ip/address";
import { netmaskFromBits } from "../../ip/mask";
import { formatPrefix } from "../../ip/prefix";
import type { Family, Prefix } from "../../ip/types";
import {
  chunked,
  clip,
  commentText,
  describeExport,
  familiesOf,
  familyErrors,
  itemComment,
  itemsOfFamily,
  nameLengthErrors,
  objectName,
  oneFile,
  portsText,
  refused,
  serviceName,
  textFile,
} from "../helpers";
import type { Exporter } from "../types";

const MAX_NAME = 79;
/** Policy names are shorter than object names. */
const MAX_POLICY_NAME = 35;
/** Members per address group in older FortiOS releases; larger lists become several groups. */
const GROUP_SIZE = 600;
const MAX_COMMENT = 255;

const quoted = (text: string) => `"${commentText(text, '"\\')}"`;

function addressSetting(p: Prefix): string {
  if (p.address.family === 6) return `set ip6 ${formatPrefix(p)}`;
  return `set subnet ${formatAddress(p.address)} ${netmaskFromBits(p.bits, 4)}`;
}

/**
 * FortiOS CLI: address/address6 objects, addrgrp/addrgrp6 groups (split past 600 members), a custom service and
 * one accept policy (FortiOS 7 policies take srcaddr and srcaddr6 together). Members are appended (`append member`),
 * so a re-run or a delta never drops members; sync uses `set member`, which replaces them. `edit 0` lets FortiOS pick
 * the next free policy id (a new policy per run, said in the file); the policy goes last, so the file says how to move it.
 * The delta carries the policy as well: without it the new groups would be referenced by nothing on a device whose
 * own policies use its own objects (https://docs.fortinet.com/document/fortigate/7.6.1/cli-reference/333889629).
 */
export const fortigate = {
  id: "fortigate",
  label: "FortiGate (FortiOS CLI)",
  extension: "conf",
  supports: { families: [4, 6], ports: true, destination: true, comments: true, sync: true },
  render(items, options, baseName) {
    const families = familiesOf(items);
    const groups = new Map<Family, string[][]>(
      families.map((f) => [
        f,
        chunked(
          itemsOfFamily(items, f).map((i) => objectName(options.namePrefix, i.prefix, MAX_NAME)),
          GROUP_SIZE,
        ),
      ]),
    );
    const groupNames = (f: Family) => {
      const parts = groups.get(f) ?? [];
      return parts.map((_, k) =>
        parts.length === 1 ? `${options.namePrefix}-v${f}` : `${options.namePrefix}-v${f}-${k + 1}`,
      );
    };
    const service = serviceName(options.namePrefix, options, MAX_NAME);
    const policy = `${options.namePrefix}-in`;
    const dstName = `${options.namePrefix}-dst`;
    const errors = [
      ...familyErrors("fortigate", items, options, [4, 6]),
      ...nameLengthErrors("fortigate", [...families.flatMap(groupNames), service, dstName], MAX_NAME),
      ...nameLengthErrors("fortigate", [policy], MAX_POLICY_NAME),
    ];
    if (errors.length > 0) return refused(errors);

    const lines: string[] = [];
    if (options.comments) lines.push(...describeExport(items, options).map((l) => `# ${l}`));
    if (options.scope === "sync")
      lines.push(
        "# Sync: set member replaces each group's members with exactly this list (members not listed are removed).",
      );
    const groupComment = quoted(clip(`${options.provider} allowlist, ${options.catalogLabel}`, MAX_COMMENT));
    for (const f of families) {
      lines.push(f === 4 ? "config firewall address" : "config firewall address6");
      for (const item of itemsOfFamily(items, f)) {
        lines.push(`    edit "${objectName(options.namePrefix, item.prefix, MAX_NAME)}"`);
        lines.push(`        ${addressSetting(item.prefix)}`);
        if (options.comments) lines.push(`        set comment ${quoted(clip(itemComment(item), MAX_COMMENT))}`);
        lines.push("    next");
      }
      if (options.destination !== undefined && options.destination.address.family === f) {
        lines.push(`    edit "${dstName}"`, `        ${addressSetting(options.destination)}`, "    next");
      }
      lines.push("end");
    }
    for (const f of families) {
      lines.push(f === 4 ? "config firewall addrgrp" : "config firewall addrgrp6");
      const names = groupNames(f);
      (groups.get(f) ?? []).forEach((members, k) => {
        lines.push(`    edit "${names[k]}"`);
        // `set member` replaces the group's members (sync); `append member` adds to them (full and delta).
        lines.push(
          `        ${options.scope === "sync" ? "set" : "append"} member ${members.map((m) => `"${m}"`).join(" ")}`,
        );
        if (options.comments) lines.push(`        set comment ${groupComment}`);
        lines.push("    next");
      });
      lines.push("end");
    }
    lines.push("config firewall service custom");
    lines.push(`    edit "${service}"`);
    lines.push(`        set ${options.protocol}-portrange ${portsText(options.ports, "-", " ")}`);
    lines.push("    next", "end");

    // A delta carries the policy too: it is computed from the admin's own config, whose policies do not use these
    // groups unless that config is our earlier full export (then the comment says to skip the block).
    // A delta against a config with a deny of a missing entry: the policy takes an id of its own (one above the
    // list's largest) and `move` puts it ahead of that deny, since FortiOS appends new policies and the first match decides
    // (https://community.fortinet.com/t5/FortiGate/Technical-Tip-How-policy-order-in-works-on-FortiGate/ta-p/207381).
    const placed = options.scope === "missing" ? options.targetPolicyId : undefined;
    const warnings: string[] = [];
    if (placed !== undefined) {
      const why = `fortigate: the policy takes id ${placed.id} (one above the compared list's largest) and is moved before policy ${placed.before}, the first that denies a missing entry, so it is met before it`;
      warnings.push(why);
      lines.push(`# ${why}`);
    } else {
      lines.push(
        `# "edit 0" creates a new policy on every run: skip this block when "${policy}" exists (re-runs, sync, a delta on top of the full export).`,
      );
      lines.push(
        `# The new policy goes last, below any deny: then run config firewall policy / move <its id> before <deny id> / end`,
      );
    }
    lines.push("config firewall policy", `    edit ${placed?.id ?? 0}`, `        set name "${policy}"`);
    lines.push('        set srcintf "any"', '        set dstintf "any"');
    const dst = options.destination === undefined ? "all" : dstName;
    for (const f of families) {
      const suffix = f === 4 ? "" : "6";
      lines.push(
        `        set srcaddr${suffix} ${groupNames(f)
          .map((n) => `"${n}"`)
          .join(" ")}`,
      );
      lines.push(`        set dstaddr${suffix} "${dst}"`);
    }
    lines.push("        set action accept", '        set schedule "always"', `        set service "${service}"`);
    if (options.comments) lines.push(`        set comments ${groupComment}`);
    lines.push("    next", "end");
    if (placed !== undefined)
      lines.push("config firewall policy", `    move ${placed.id} before ${placed.before}`, "end");
    return oneFile(`${baseName}.conf`, "text/plain; charset=utf-8", textFile(lines), warnings);
  },
} satisfies Exporter;
