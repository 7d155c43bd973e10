import { addressBits, formatAddress } from "../../ip/address";
import { formatPrefix } from "../../ip/prefix";
import type { Prefix } from "../../ip/types";
import {
  clip,
  commentText,
  describeExport,
  familiesOf,
  familyErrors,
  itemComment,
  itemsOfFamily,
  oneFile,
  portsText,
  refused,
  textFile,
} from "../helpers";
import type { Exporter } from "../types";

const MAX_COMMENT = 255;

/** RouterOS strings: quotes, backslashes and "$" (variable expansion) are left out rather than escaped. */
const quoted = (text: string) => `"${commentText(clip(text, MAX_COMMENT), '"\\$')}"`;

/** IPv4 hosts as RouterOS prints them (no /32); IPv6 always with its length. */
function rosAddress(p: Prefix): string {
  return p.address.family === 4 && p.bits === addressBits(4) ? formatAddress(p.address) : formatPrefix(p);
}

/**
 * A RouterOS script (/import or paste): an address list per family and one accept rule per family matching it, in
 * chain forward (a service behind the router) or in the chain targetAcl names (a missing delta takes the compared
 * config's chain on the path: input when the service is the router itself, which forward rules never see,
 * https://help.mikrotik.com/docs/display/ROS/Filter). Existing list entries are skipped (`on-error`), the rule is
 * added once (found by its comment) and placed before the first rule of its chain, above any drop.
 */
export const mikrotik = {
  id: "mikrotik",
  label: "MikroTik RouterOS (address-list + filter)",
  extension: "rsc",
  supports: { families: [4, 6], ports: true, destination: true, comments: true, target: true },
  render(items, options, baseName) {
    const errors = familyErrors("mikrotik", items, options, [4, 6]);
    const chain = options.targetAcl ?? "forward";
    if (!/^[A-Za-z0-9_-]+$/.test(chain))
      errors.push(`mikrotik: chain "${chain}" must be letters, digits, "_" or "-" (the chain the accept rule joins)`);
    if (options.targetLine !== undefined)
      errors.push(`mikrotik: the rule goes first in chain ${chain}; a line number (targetLine) cannot be expressed`);
    if (errors.length > 0) return refused(errors);

    const list = options.namePrefix;
    const lines: string[] = [];
    if (options.comments) lines.push(...describeExport(items, options).map((l) => `# ${l}`));
    for (const f of familiesOf(items)) {
      const menu = f === 4 ? "/ip" : "/ipv6";
      lines.push(`${menu} firewall address-list`);
      // An entry that exists makes `add` fail and stop the import: skip it instead, so re-runs and deltas only add.
      for (const item of itemsOfFamily(items, f)) {
        const comment = options.comments ? ` comment=${quoted(itemComment(item))}` : "";
        lines.push(`:do { add list=${list} address=${rosAddress(item.prefix)}${comment} } on-error={}`);
      }
      lines.push(`${menu} firewall filter`);
      const dst = options.destination === undefined ? "" : ` dst-address=${formatPrefix(options.destination)}`;
      // The rule is found again by its comment (added once), and placed before the first rule of its chain, above any drop.
      const tag = quoted(`${list}-in`);
      const rule = `chain=${chain} action=accept protocol=${options.protocol} dst-port=${portsText(options.ports)} src-address-list=${list}${dst} comment=${tag}`;
      lines.push(`:if ([:len [find comment=${tag}]] = 0) do={`);
      lines.push(`  :local first [find chain=${chain}]`);
      lines.push(`  :if ([:len $first] > 0) do={ add ${rule} place-before=[:pick $first 0] } else={ add ${rule} }`);
      lines.push("}");
    }
    return oneFile(`${baseName}.rsc`, "text/plain; charset=utf-8", textFile(lines));
  },
} satisfies Exporter;
