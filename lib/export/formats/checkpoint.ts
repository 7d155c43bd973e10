import { addressBits, formatAddress } from "../../ip/address";
import type { Prefix } from "../../ip/types";
import {
  chunked,
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

/** Objects joined to the group per `set group … members.add` call. */
const MEMBERS_PER_CALL = 100;

/** "host 'name' ip-address 'a'" or "network 'name' subnet4 'a' mask-length4 n": the arguments of `once`. */
function objectOnce(name: string, p: Prefix): string {
  const a = formatAddress(p.address);
  if (p.bits === addressBits(p.address.family)) return `host ${shellQuote(name)} ip-address ${shellQuote(a)}`;
  const v = p.address.family;
  return `network ${shellQuote(name)} subnet${v} ${shellQuote(a)} mask-length${v} ${p.bits}`;
}

/**
 * A shell script of Check Point management API calls (mgmt_cli): a host or network object per prefix (added only
 * when absent), joined to one group with `set group … members.add` (re-runs and deltas on existing objects only add),
 * a service per port range, one access rule, then publish and install-policy. It expects a session file made by
 * `mgmt_cli login … > sid.txt`; `set -e` stops at the first refused call, before publish. Publish only saves the
 * change in the management database: the gateway keeps enforcing its installed policy until `install-policy
 * policy-package P targets.1 G` pushes the package to it (Management API reference, "install-policy",
 * https://sc1.checkpoint.com/documents/latest/APIs/index.html#cli/install-policy~v1.9). The package and the gateway
 * cannot be known from the selection: the header names two variables to fill in, and the script stops before any call
 * while they are empty.
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

    const comments = (text: string) =>
      options.comments ? ` comments ${shellQuote(clip(singleLine(text), MAX_COMMENT))}` : "";
    const summary = `${options.provider} allowlist, ${options.catalogLabel}`;
    const lines: string[] = ["#!/bin/sh"];
    if (options.comments) lines.push(...describeExport(items, options).map((l) => `# ${l}`));
    lines.push(
      "# First log in: mgmt_cli login user <admin> > sid.txt",
      "# Then fill in PACKAGE (the policy package whose 'Network' layer gets the rule) and GATEWAY (the gateway or",
      "# cluster it is installed on): publish only saves the change; the gateway enforces it after install-policy.",
      "PACKAGE=''",
      "GATEWAY=''",
      "set -e",
      // ${V:?word}: a non-interactive shell exits, before any call, while V is empty (POSIX "Parameter Expansion").
      ': "${PACKAGE:?fill in PACKAGE at the top of this script}" "${GATEWAY:?fill in GATEWAY at the top of this script}"',
    );
    // Every object is added only when `show` finds no object of that name, and joined to the group with
    // members.add, so a re-run on existing objects and a delta only add (an `add` of an existing name would fail).
    lines.push(
      `once() { t="$1"; n="$2"; shift 2; mgmt_cli show "$t" name "$n" ${SESSION} >/dev/null 2>&1 || mgmt_cli add "$t" name "$n" "$@" ${SESSION}; }`,
    );
    lines.push(`once group ${shellQuote(group)}${comments(summary)}`);
    const names: string[] = [];
    for (const item of items) {
      const name = objectName(options.namePrefix, item.prefix, MAX_NAME);
      names.push(name);
      lines.push(`once ${objectOnce(name, item.prefix)}${comments(itemComment(item))}`);
    }
    for (const chunk of chunked(names, MEMBERS_PER_CALL)) {
      lines.push(
        `mgmt_cli set group name ${shellQuote(group)} ${chunk.map((n, k) => `members.add.${k + 1} ${shellQuote(n)}`).join(" ")} ${SESSION}`,
      );
    }
    if (options.destination !== undefined) lines.push(`once ${objectOnce(dstName, options.destination)}`);
    options.ports.forEach((p, k) => {
      lines.push(`once service-${options.protocol} ${shellQuote(services[k] ?? "")} port ${shellQuote(portText(p))}`);
    });
    const serviceArgs = services.map((s, k) => `service.${k + 1} ${shellQuote(s)}`).join(" ");
    const destination = shellQuote(options.destination === undefined ? "Any" : dstName);
    lines.push(
      `mgmt_cli show access-rule layer 'Network' name ${shellQuote(rule)} ${SESSION} >/dev/null 2>&1 || mgmt_cli add access-rule layer 'Network' position 'top' name ${shellQuote(rule)} source ${shellQuote(group)} destination ${destination} ${serviceArgs} action 'Accept'${comments(summary)} ${SESSION}`,
    );
    lines.push(`mgmt_cli publish ${SESSION}`);
    lines.push(`mgmt_cli install-policy policy-package "$PACKAGE" access true targets.1 "$GATEWAY" ${SESSION}`);
    return oneFile(`${baseName}.sh`, "text/x-shellscript; charset=utf-8", textFile(lines), [
      "checkpoint: fill in PACKAGE (the policy package) and GATEWAY (the gateway it is installed on) at the top of the script: it ends with install-policy, without which the gateway keeps enforcing its old policy",
    ]);
  },
} satisfies Exporter;
