import { formatAddress } from "../../ip/address";
import { netmaskFromBits } from "../../ip/mask";
import { addressBits } from "../../ip/address";
import type { Family, Prefix } from "../../ip/types";
import {
  clip,
  commentText,
  describeExport,
  familiesOf,
  familyErrors,
  itemsOfFamily,
  nameLengthErrors,
  oneFile,
  refused,
  singleLine,
  textFile,
} from "../helpers";
import type { ExportItem, ExportOptions, Exporter, PortSpec } from "../types";

const MAX_NAME = 64;
/** ASA ACL names are up to 241 characters (access-list, access_list_name). */
const MAX_ACL_NAME = 241;
const MAX_REMARK = 100;
const MAX_DESCRIPTION = 200;

/** "host 52.1.37.96", "44.206.73.232 255.255.255.248", "2406:da00:ff00::/48": ASA address syntax per family. */
function asaAddress(p: Prefix): string {
  const a = formatAddress(p.address);
  if (p.bits === addressBits(p.address.family)) return `host ${a}`;
  return p.address.family === 4 ? `${a} ${netmaskFromBits(p.bits, 4)}` : `${a}/${p.bits}`;
}

/** "eq 443", "range 8000 8100": the destination port operator shared by ASA and IOS. */
export function ciscoPort(p: PortSpec): string {
  return p.from === p.to ? `eq ${p.from}` : `range ${p.from} ${p.to}`;
}

/**
 * One object-group per family (ASA 9.x unified ACLs take IPv4 and IPv6 in one access-list, but an ACE holds one
 * family), and one ACE per group and port range. The ACL is applied nowhere: binding it with access-group would
 * replace what the interface has, so that step is left to the administrator.
 */
export const ciscoAsa = {
  id: "cisco-asa",
  label: "Cisco ASA (object-group + access-list)",
  extension: "txt",
  supports: { families: [4, 6], ports: true, destination: true, comments: true, target: true },
  render(items, options, baseName) {
    if (options.targetAcl !== undefined) return renderIntoAcl(items, options, options.targetAcl, baseName);
    const acl = `${options.namePrefix}-in`;
    const groupName = (f: Family) => `${options.namePrefix}-v${f}`;
    const families = familiesOf(items);
    const errors = [
      ...familyErrors("cisco-asa", items, options, [4, 6]),
      ...nameLengthErrors("cisco-asa", [acl, ...families.map(groupName)], MAX_NAME),
    ];
    if (errors.length > 0) return refused(errors);

    const lines = groupsAndPermits(items, options, acl, groupName, () => "");
    if (options.comments) {
      lines.push(
        `! Apply: access-group binds one ACL per interface and direction, so 'access-group ${acl} in interface outside'`,
      );
      lines.push(
        "! REPLACES an ACL already bound there (and everything it permits). Check first: show running-config access-group.",
      );
      lines.push(
        `! If one is bound, add the permit lines above to that ACL instead (access-list <its name> line 1 extended permit ...).`,
      );
      lines.push("! Re-running is harmless: the ASA keeps one copy of an existing network-object or ACE.");
    }
    // Said with or without comments: binding this ACL replaces the interface's own, and an ACL bound nowhere does nothing.
    return oneFile(`${baseName}.txt`, "text/plain; charset=utf-8", textFile(lines), [
      `cisco-asa: ${acl} is bound to no interface; 'access-group ${acl} in interface outside' would replace the ACL bound there. If one is bound, add the permit lines to it with 'access-list <its name> line 1 extended permit ...' instead`,
    ]);
  },
} satisfies Exporter;

/**
 * The object-groups, then the permits inside the admin's own ACL, bound already: with a line number each goes in at
 * that line, ahead of the entry that held it (the first deny of a missing entry), the next one at the following line,
 * so they keep their order and all come before that entry; without one they are appended. Nothing is bound or replaced.
 * Cisco ASA command reference, "access-list extended" and "access-list remark" (line line-num: "the line number at
 * which to insert the remark or ACE"; without it the entry is added to the end of the ACL):
 * https://www.cisco.com/c/en/us/td/docs/security/asa/asa-cli-reference/A-H/asa-command-ref-A-H/aa-ac-commands.html
 */
function renderIntoAcl(items: readonly ExportItem[], options: ExportOptions, acl: string, baseName: string) {
  const groupName = (f: Family) => `${options.namePrefix}-v${f}`;
  const families = familiesOf(items);
  const errors = [
    ...familyErrors("cisco-asa", items, options, [4, 6]),
    ...nameLengthErrors("cisco-asa", families.map(groupName), MAX_NAME),
    ...nameLengthErrors("cisco-asa", [acl], MAX_ACL_NAME),
    ...(options.targetAfter !== undefined
      ? [`cisco-asa: targetAfter is an IOS sequence number; the ASA inserts at targetLine ${options.targetLine ?? ""}`]
      : []),
  ];
  if (errors.length > 0) return refused(errors);

  let next = options.targetLine;
  const lines = groupsAndPermits(items, options, acl, groupName, () => (next === undefined ? "" : ` line ${next++}`));
  if (options.comments) {
    lines.push(
      options.targetLine === undefined
        ? `! Appended to ${acl}, the ACL already bound: met only if no entry above denies them first.`
        : `! Inserted into ${acl}, the ACL already bound, from line ${options.targetLine}: ahead of the entry that held it.`,
    );
  }
  return oneFile(`${baseName}.txt`, "text/plain; charset=utf-8", textFile(lines), []);
}

/**
 * The description, one object-group per family, the remark and one permit per group and port, in the ACL `acl`;
 * `at()` gives each access-list line its " line N" (or nothing, to append).
 */
function groupsAndPermits(
  items: readonly ExportItem[],
  options: ExportOptions,
  acl: string,
  groupName: (f: Family) => string,
  at: () => string,
): string[] {
  const families = familiesOf(items);
  const dest = options.destination === undefined ? "any" : asaAddress(options.destination);
  const lines: string[] = [];
  if (options.comments) lines.push(...describeExport(items, options).map((l) => `! ${l}`));
  for (const f of families) {
    const members = itemsOfFamily(items, f);
    lines.push(`object-group network ${groupName(f)}`);
    if (options.comments) {
      const regions = [...new Set(members.flatMap((m) => m.regions))].join("+");
      const text = commentText(`${options.provider} ${regions} IPv${f}, ${options.catalogLabel}`, "");
      lines.push(` description ${clip(text, MAX_DESCRIPTION)}`);
    }
    for (const m of members) lines.push(` network-object ${asaAddress(m.prefix)}`);
  }
  if (options.comments) {
    const remark = clip(singleLine(`${options.provider} allowlist, ${options.catalogLabel}`), MAX_REMARK);
    lines.push(`access-list ${acl}${at()} remark ${remark}`);
  }
  for (const f of families) {
    for (const p of options.ports) {
      lines.push(
        `access-list ${acl}${at()} extended permit ${options.protocol} object-group ${groupName(f)} ${dest} ${ciscoPort(p)}`,
      );
    }
  }
  return lines;
}
