import { addressBits, formatAddress } from "../../ip/address";
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
import type { Exporter } from "../types";
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
  supports: { families: [4, 6], ports: true, destination: true, comments: true },
  render(items, options, baseName) {
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
