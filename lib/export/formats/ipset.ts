import type { Family } from "../../ip/types";
import {
  commentText,
  describeExport,
  destinationErrors,
  familiesOf,
  itemCidr,
  itemComment,
  itemsOfFamily,
  oneFile,
  portsText,
  refused,
  textFile,
} from "../helpers";
import type { Exporter } from "../types";

/** IPSET_MAXNAMELEN is 32 with the NUL. */
const MAX_SET_NAME = 31;
const DEFAULT_MAXELEM = 65536;
const MAX_COMMENT = 255;

/**
 * `ipset restore` file, one hash:net set per family (a set holds one family). Each set is filled as "<name>_tmp"
 * and swapped in, so the live set changes atomically and re-loading replaces it; `-exist` makes re-runs and a
 * leftover temporary set harmless. Ports are matched by the iptables rule that uses the set.
 */
export const ipset = {
  id: "ipset",
  label: "ipset restore",
  extension: "ipset",
  supports: { families: [4, 6], ports: false, destination: false, comments: true },
  render(items, options, baseName) {
    const errors = destinationErrors("ipset", options, "the iptables rule using the set decides it");
    const setName = (f: Family) => `${options.namePrefix}_v${f}`;
    const longest = `${setName(4)}_tmp`;
    if (longest.length > MAX_SET_NAME) {
      errors.push(`ipset: set name "${longest}" is longer than ${MAX_SET_NAME} characters; choose a shorter name prefix`);
    }
    if (errors.length > 0) return refused(errors);

    const lines: string[] = [];
    if (options.comments) {
      lines.push(...describeExport(items, options).map((l) => `# ${l}`));
      lines.push(`# Load: ipset restore -f ${baseName}.ipset`);
      for (const f of familiesOf(items)) {
        const tool = f === 4 ? "iptables" : "ip6tables";
        lines.push(`# Use: ${tool} -I INPUT -m set --match-set ${setName(f)} src -p ${options.protocol} -m multiport --dports ${portsText(options.ports, ":")} -j ACCEPT`);
      }
    }
    for (const family of familiesOf(items)) {
      const members = itemsOfFamily(items, family);
      const live = setName(family);
      const tmp = `${live}_tmp`;
      const maxelem = members.length > DEFAULT_MAXELEM ? ` maxelem ${members.length}` : "";
      const create = `hash:net family inet${family === 4 ? "" : "6"}${options.comments ? " comment" : ""}${maxelem} -exist`;
      lines.push(`create ${live} ${create}`, `create ${tmp} ${create}`, `flush ${tmp}`);
      for (const item of members) {
        const comment = options.comments
          ? ` comment "${commentText(itemComment(item), '"\\').slice(0, MAX_COMMENT)}"`
          : "";
        lines.push(`add ${tmp} ${itemCidr(item)}${comment} -exist`);
      }
      lines.push(`swap ${tmp} ${live}`, `destroy ${tmp}`);
    }
    return oneFile(`${baseName}.ipset`, "text/plain; charset=utf-8", textFile(lines), [
      `ipset: the iptables rule using the set decides the port (see the header)`,
    ]);
  },
} satisfies Exporter;
