import { formatPrefix } from "../../ip/prefix";
import {
  chunked,
  clip,
  commentText,
  familyErrors,
  itemComment,
  nameLengthErrors,
  objectName,
  oneFile,
  portsText,
  refused,
  serviceName,
  textFile,
} from "../helpers";
import type { Exporter } from "../types";

const MAX_NAME = 63;
/** Static members per address group (the lowest platform limit); longer lists become several groups. */
const GROUP_SIZE = 2500;
/** Members per `static [ … ]` line; repeated set lines add to the list. */
const MEMBERS_PER_LINE = 20;
const MAX_DESCRIPTION = 255;

const quoted = (text: string) => `"${commentText(text, '"\\')}"`;

/**
 * PAN-OS set commands: an address object per prefix (ip-netmask takes both families), static address groups, one
 * custom service for the ports and one security rule, moved to the top of the rulebase (a new rule lands below any
 * cleanup deny). Paste in configure mode, then commit. The PAN-OS CLI has no comment syntax, so the catalog label
 * goes into descriptions and the apply hints into the warnings.
 */
export const panos = {
  id: "panos",
  label: "Palo Alto PAN-OS (set commands)",
  extension: "txt",
  supports: { families: [4, 6], ports: true, destination: true, comments: true },
  render(items, options, baseName) {
    const names = items.map((i) => objectName(options.namePrefix, i.prefix, MAX_NAME));
    const groups = chunked(names, GROUP_SIZE);
    const groupName = (k: number) => (groups.length === 1 ? options.namePrefix : `${options.namePrefix}-${k + 1}`);
    const service = serviceName(options.namePrefix, options, MAX_NAME);
    const rule = `${options.namePrefix}-in`;
    const dstName = `${options.namePrefix}-dst`;
    const errors = [
      ...familyErrors("panos", items, options, [4, 6]),
      ...nameLengthErrors("panos", [...groups.map((_, k) => groupName(k)), service, rule, dstName], MAX_NAME),
    ];
    if (errors.length > 0) return refused(errors);

    const lines: string[] = [];
    items.forEach((item, k) => {
      lines.push(`set address ${names[k]} ip-netmask ${formatPrefix(item.prefix)}`);
      if (options.comments)
        lines.push(`set address ${names[k]} description ${quoted(clip(itemComment(item), MAX_DESCRIPTION))}`);
    });
    groups.forEach((members, k) => {
      for (const line of chunked(members, MEMBERS_PER_LINE)) {
        lines.push(`set address-group ${groupName(k)} static [ ${line.join(" ")} ]`);
      }
      if (options.comments) {
        lines.push(
          `set address-group ${groupName(k)} description ${quoted(clip(`${options.provider} allowlist, ${options.catalogLabel}`, MAX_DESCRIPTION))}`,
        );
      }
    });
    if (options.destination !== undefined) {
      lines.push(`set address ${dstName} ip-netmask ${formatPrefix(options.destination)}`);
    }
    lines.push(`set service ${service} protocol ${options.protocol} port ${portsText(options.ports)}`);
    const sources = groups.map((_, k) => groupName(k));
    const source = sources.length === 1 ? sources[0] : `[ ${sources.join(" ")} ]`;
    const destination = options.destination === undefined ? "any" : dstName;
    lines.push(
      `set rulebase security rules ${rule} from any to any source ${source} destination ${destination} application any service ${service} action allow`,
    );
    if (options.comments) {
      lines.push(
        `set rulebase security rules ${rule} description ${quoted(clip(`${options.provider} allowlist, ${options.catalogLabel}`, MAX_DESCRIPTION))}`,
      );
    }
    // A new rule lands at the bottom of the rulebase, below any cleanup deny: move it up.
    lines.push(`move rulebase security rules ${rule} top`);
    return oneFile(`${baseName}.txt`, "text/plain; charset=utf-8", textFile(lines), [
      `panos: paste in configure mode, then commit. Re-running changes nothing: set overwrites, and "static [ … ]" adds members to the group, so a delta only adds. The rule is moved to the top of the security rulebase; to put it below a rule of yours instead: move rulebase security rules ${rule} after <rule>`,
    ]);
  },
} satisfies Exporter;
