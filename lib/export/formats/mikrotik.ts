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
 * A RouterOS script (/import or paste): an address list per family and one forward-chain accept rule per family
 * matching it. New filter rules go last: move them above any drop rule (or use chain=input when the server is
 * the router itself).
 */
export const mikrotik = {
  id: "mikrotik",
  label: "MikroTik RouterOS (address-list + filter)",
  extension: "rsc",
  supports: { families: [4, 6], ports: true, destination: true, comments: true },
  render(items, options, baseName) {
    const errors = familyErrors("mikrotik", items, options, [4, 6]);
    if (errors.length > 0) return refused(errors);

    const list = options.namePrefix;
    const lines: string[] = [];
    if (options.comments) lines.push(...describeExport(items, options).map((l) => `# ${l}`));
    for (const f of familiesOf(items)) {
      const menu = f === 4 ? "/ip" : "/ipv6";
      lines.push(`${menu} firewall address-list`);
      for (const item of itemsOfFamily(items, f)) {
        const comment = options.comments ? ` comment=${quoted(itemComment(item))}` : "";
        lines.push(`add list=${list} address=${rosAddress(item.prefix)}${comment}`);
      }
      lines.push(`${menu} firewall filter`);
      const dst = options.destination === undefined ? "" : ` dst-address=${formatPrefix(options.destination)}`;
      const comment = options.comments ? ` comment=${quoted(`${options.provider} allowlist, ${options.catalogLabel}`)}` : "";
      lines.push(
        `add chain=forward action=accept protocol=${options.protocol} dst-port=${portsText(options.ports)} src-address-list=${list}${dst}${comment}`,
      );
    }
    return oneFile(`${baseName}.rsc`, "text/plain; charset=utf-8", textFile(lines));
  },
} satisfies Exporter;
