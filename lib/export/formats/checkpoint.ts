import { addressBits, formatAddress } from "../../ip/address";
import type { Prefix } from "../../ip/types";
import {
  clip,
  describeExport,
  familyErrors,
  itemComment,
  nameLengthErrors,
  objectName,
  oneFile,
  portText,
  refused,
  shellQuote,
  singleLine,
  textFile,
} from "../helpers";
import type { Exporter } from "../types";

const MAX_NAME = 63;
const MAX_COMMENT = 255;
const SESSION = "-s sid.txt";

/** `add host …` or `add network …` arguments for a prefix, both families. */
function objectArgs(name: string, p: Prefix): string {
  const a = formatAddress(p.address);
  if (p.bits === addressBits(p.address.family)) return `add host name ${shellQuote(name)} ip-address ${shellQuote(a)}`;
  const v = p.address.family;
  return `add network name ${shellQuote(name)} subnet${v} ${shellQuote(a)} mask-length${v} ${p.bits}`;
}

/**
 * A shell script of Check Point management API calls (mgmt_cli): a host or network object per prefix, each joined
 * to one group through its `groups` field, a service per port range, one access rule, then publish. It expects a
 * session file made by `mgmt_cli login … > sid.txt`; `set -e` stops at the first refused call, before publish.
 */
export const checkpoint = {
  id: "checkpoint",
  label: "Check Point (mgmt_cli script)",
  extension: "sh",
  supports: { families: [4, 6], ports: true, destination: true, comments: true },
  render(items, options, baseName) {
    const group = options.namePrefix;
    const rule = `${options.namePrefix}-in`;
    const dstName = `${options.namePrefix}-dst`;
    const services = options.ports.map((p) => `${options.namePrefix}-${options.protocol}-${portText(p)}`);
    const errors = [
      ...familyErrors("checkpoint", items, options, [4, 6]),
      ...nameLengthErrors("checkpoint", [...services, rule, dstName], MAX_NAME),
    ];
    if (errors.length > 0) return refused(errors);

    const comments = (text: string) => (options.comments ? ` comments ${shellQuote(clip(singleLine(text), MAX_COMMENT))}` : "");
    const summary = `${options.provider} allowlist, ${options.catalogLabel}`;
    const lines: string[] = ["#!/bin/sh"];
    if (options.comments) lines.push(...describeExport(items, options).map((l) => `# ${l}`));
    lines.push("# First log in: mgmt_cli login user <admin> > sid.txt", "set -e");
    lines.push(`mgmt_cli add group name ${shellQuote(group)}${comments(summary)} ${SESSION}`);
    for (const item of items) {
      const name = objectName(options.namePrefix, item.prefix, MAX_NAME);
      lines.push(`mgmt_cli ${objectArgs(name, item.prefix)} groups.1 ${shellQuote(group)}${comments(itemComment(item))} ${SESSION}`);
    }
    if (options.destination !== undefined) lines.push(`mgmt_cli ${objectArgs(dstName, options.destination)} ${SESSION}`);
    options.ports.forEach((p, k) => {
      lines.push(`mgmt_cli add service-${options.protocol} name ${shellQuote(services[k] ?? "")} port ${shellQuote(portText(p))} ${SESSION}`);
    });
    const serviceArgs = services.map((s, k) => `service.${k + 1} ${shellQuote(s)}`).join(" ");
    const destination = shellQuote(options.destination === undefined ? "Any" : dstName);
    lines.push(
      `mgmt_cli add access-rule layer 'Network' position 'top' name ${shellQuote(rule)} source ${shellQuote(group)} destination ${destination} ${serviceArgs} action 'Accept'${comments(summary)} ${SESSION}`,
    );
    lines.push(`mgmt_cli publish ${SESSION}`);
    return oneFile(`${baseName}.sh`, "text/x-shellscript; charset=utf-8", textFile(lines));
  },
} satisfies Exporter;
