import { addressBits, formatAddress } from "../../ip/address";
import { formatPrefix } from "../../ip/prefix";
import { wildcardFromBits } from "../../ip/mask";
import type { Family, Prefix } from "../../ip/types";
import {
  clip,
  commentText,
  describeExport,
  familiesOf,
  familyErrors,
  itemComment,
  itemsOfFamily,
  oneFile,
  refused,
  singleLine,
  textFile,
} from "../helpers";
import type { ExportItem, ExportOptions, Exporter } from "../types";
import { ciscoPort } from "./cisco-asa";

const MAX_REMARK = 100;

/** "host 52.1.37.96", "44.206.73.232 0.0.0.7" (wildcard mask), "2406:da00:ff00::/48". */
function iosAddress(p: Prefix): string {
  const a = formatAddress(p.address);
  if (p.bits === addressBits(p.address.family)) return `host ${a}`;
  return p.address.family === 4 ? `${a} ${wildcardFromBits(p.bits, 4)}` : `${a}/${p.bits}`;
}

/**
 * A named extended ACL for IPv4 and an IPv6 ACL, one permit per prefix and port range, each prefix after a
 * remark naming its region and products. Applying them (ip access-group / ipv6 traffic-filter) is left to the
 * administrator: an ACL ends with an implicit deny.
 */
export const ciscoIos = {
  id: "cisco-ios",
  label: "Cisco IOS / IOS-XE (extended ACL + IPv6 ACL)",
  extension: "txt",
  supports: { families: [4, 6], ports: true, destination: true, comments: true, target: true },
  render(items, options, baseName) {
    if (options.targetAcl !== undefined) return renderIntoAcl(items, options, options.targetAcl, baseName);
    const errors = familyErrors("cisco-ios", items, options, [4, 6]);
    if (errors.length > 0) return refused(errors);

    const aclName = (f: Family) => (f === 4 ? `${options.namePrefix}-in` : `${options.namePrefix}-in-v6`);
    const dest = options.destination === undefined ? "any" : iosAddress(options.destination);
    const lines: string[] = [];
    if (options.comments) lines.push(...describeExport(items, options).map((l) => `! ${l}`));
    for (const f of familiesOf(items)) {
      lines.push(f === 4 ? `ip access-list extended ${aclName(f)}` : `ipv6 access-list ${aclName(f)}`);
      if (options.comments) {
        lines.push(` remark ${clip(singleLine(`${options.provider} allowlist, ${options.catalogLabel}`), MAX_REMARK)}`);
      }
      for (const item of itemsOfFamily(items, f)) {
        if (options.comments) lines.push(` remark ${clip(commentText(itemComment(item), ""), MAX_REMARK)}`);
        for (const p of options.ports) {
          lines.push(` permit ${options.protocol} ${iosAddress(item.prefix)} ${dest} ${ciscoPort(p)}`);
        }
      }
    }
    if (options.comments) {
      const apply = familiesOf(items).map((f) =>
        f === 4 ? `ip access-group ${aclName(f)} in` : `ipv6 traffic-filter ${aclName(f)} in`,
      );
      lines.push(`! Apply on the outside interface: ${apply.join(" / ")}`);
      lines.push(
        "! Warning: an IOS ACL is stateless. Bound inbound, it drops the return traffic of sessions the router and",
      );
      lines.push(
        "! the hosts behind it open (DNS, updates, NTP) unless an entry permits it: add 'permit tcp any any established'",
      );
      lines.push("! and the UDP replies you need, or use reflexive ACLs or the zone-based firewall instead.");
      lines.push(
        "! An interface holds one ACL per direction: if it already has one, add these entries to that ACL instead.",
      );
    }
    // Said with or without comments: an interface holds one ACL a direction, and an entry added to an existing ACL
    // without a sequence number goes last, below its deny.
    return oneFile(`${baseName}.txt`, "text/plain; charset=utf-8", textFile(lines), [
      "cisco-ios: these ACLs are bound to no interface, and binding one replaces the ACL bound there in that direction. To add the entries to an ACL already bound, give each a sequence number below that ACL's first deny (or they go last, below it)",
    ]);
  },
} satisfies Exporter;

/**
 * The permits inside the admin's own extended IPv4 ACL, bound already, each with a sequence number: between
 * targetAfter and targetLine (the entry before the first deny of a missing entry, and that deny), spread evenly, so
 * they come before the deny; without targetLine they are appended (IOS numbers them last). Remarks are left out (a
 * remark holds no number an entry can be placed by). Nothing is bound or replaced.
 * Cisco "Configure Commonly Used IP ACLs" (named ACL: "ip access-list extended NAME", then "15 permit …" goes between
 * entries 10 and 20) and IOS XE "IP Access List Entry Sequence Numbering":
 * https://www.cisco.com/c/en/us/support/docs/ip/access-lists/26448-ACLsamples.html
 * https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/sec_data_acl/configuration/xe-16/sec-data-acl-xe-16-book/sec-acl-seq-num.html
 */
function renderIntoAcl(items: readonly ExportItem[], options: ExportOptions, acl: string, baseName: string) {
  const errors = familyErrors("cisco-ios", items, options, [4, 6]);
  for (const item of itemsOfFamily(items, 6)) {
    errors.push(
      `cisco-ios: IPv6 prefix ${formatPrefix(item.prefix)} cannot go into ${acl}: ip access-group filters IPv4 only (export IPv6 with family 6, without targetAcl)`,
    );
  }
  const count = itemsOfFamily(items, 4).length * options.ports.length;
  const { targetLine, targetAfter } = options;
  if (targetLine !== undefined && targetAfter === undefined) {
    errors.push(`cisco-ios: targetLine ${targetLine} needs targetAfter, the sequence number of the entry before it`);
  }
  const step =
    targetLine !== undefined && targetAfter !== undefined ? Math.floor((targetLine - targetAfter) / (count + 1)) : 1;
  if (targetLine !== undefined && targetAfter !== undefined && step < 1) {
    errors.push(
      `cisco-ios: ${count} entries do not fit between sequence numbers ${targetAfter} and ${targetLine} of ${acl}: renumber it first (ip access-list resequence ${acl} 10 ${10 * (count + 1)}), compare again and export`,
    );
  }
  if (errors.length > 0) return refused(errors);

  const dest = options.destination === undefined ? "any" : iosAddress(options.destination);
  let seq = targetAfter ?? 0;
  const numbered = () => (targetLine === undefined ? "" : `${(seq += step)} `);
  const lines: string[] = [];
  if (options.comments) lines.push(...describeExport(items, options).map((l) => `! ${l}`));
  lines.push(`ip access-list extended ${acl}`);
  for (const item of itemsOfFamily(items, 4)) {
    for (const p of options.ports) {
      lines.push(` ${numbered()}permit ${options.protocol} ${iosAddress(item.prefix)} ${dest} ${ciscoPort(p)}`);
    }
  }
  if (options.comments) {
    lines.push(
      targetLine === undefined
        ? `! Appended to ${acl}, the ACL already bound: met only if no entry above denies them first.`
        : `! Numbered between ${targetAfter} and ${targetLine} of ${acl}, the ACL already bound: ahead of entry ${targetLine}.`,
    );
  }
  return oneFile(`${baseName}.txt`, "text/plain; charset=utf-8", textFile(lines), []);
}
