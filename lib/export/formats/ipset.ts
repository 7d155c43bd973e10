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
import type { Exporter, ExportOptions } from "../types";
import { deploymentSentences } from "./deploy";

/** IPSET_MAXNAMELEN is 32 with the NUL. */
const MAX_SET_NAME = 31;
const DEFAULT_MAXELEM = 65536;
const MAX_COMMENT = 255;

/** The iptables commands that use the set, each added only when `-C` does not find it (header "Run:" lines). */
function ruleCommands(family: Family, set: string, options: ExportOptions): string[] {
  const tool = family === 4 ? "iptables" : "ip6tables";
  const port = `-p ${options.protocol} -m multiport --dports ${portsText(options.ports, ":")}`;
  const once = (rule: string) => `${tool} -w -C ${rule} 2>/dev/null || ${tool} -w -I ${rule}`;
  const accept = once(`INPUT -m set --match-set ${set} src ${port} -j ACCEPT`);
  // Inserted first, so the accept inserted after it sits above it.
  return options.deployment === "dedicated"
    ? [once(`INPUT ${port} -m set ! --match-set ${set} src -j DROP`), accept]
    : [accept];
}

/**
 * `ipset restore` file, one hash:net set per family (a set holds one family), plus the iptables rules that use the
 * sets as "Run:" lines in the header. Full and delta add with `-exist` into the live set (nothing is flushed, so a
 * delta never revokes and a re-run changes nothing); sync fills "<name>_tmp" and swaps it in atomically.
 */
export const ipset = {
  id: "ipset",
  label: "ipset restore",
  extension: "ipset",
  supports: { families: [4, 6], ports: false, destination: false, comments: true, sync: true, dedicated: true },
  render(items, options, baseName) {
    const errors = destinationErrors("ipset", options, "the iptables rule using the set decides it");
    const setName = (f: Family) => `${options.namePrefix}_v${f}`;
    const longest = `${setName(4)}_tmp`;
    if (longest.length > MAX_SET_NAME) {
      errors.push(
        `ipset: set name "${longest}" is longer than ${MAX_SET_NAME} characters; choose a shorter name prefix`,
      );
    }
    if (errors.length > 0) return refused(errors);

    const families = familiesOf(items);
    const lines: string[] = [];
    // The rules are the deployment: always written, even without comments.
    if (options.comments) {
      lines.push(...describeExport(items, options).map((l) => `# ${l}`));
      lines.push(
        ...deploymentSentences(options, `set ${families.map(setName).join(" / ")}`, false).map((l) => `# ${l}`),
      );
      lines.push(
        `# Load: ipset restore -f ${baseName}.ipset, then run the lines below (each adds its rule only once).`,
      );
    }
    for (const f of families) lines.push(...ruleCommands(f, setName(f), options).map((c) => `# Run: ${c}`));
    for (const family of families) {
      const members = itemsOfFamily(items, family);
      const live = setName(family);
      const maxelem = members.length > DEFAULT_MAXELEM ? ` maxelem ${members.length}` : "";
      const create = `hash:net family inet${family === 4 ? "" : "6"}${options.comments ? " comment" : ""}${maxelem} -exist`;
      const target = options.scope === "sync" ? `${live}_tmp` : live;
      lines.push(`create ${live} ${create}`);
      if (options.scope === "sync") lines.push(`create ${target} ${create}`, `flush ${target}`);
      for (const item of members) {
        const comment = options.comments
          ? ` comment "${commentText(itemComment(item), '"\\').slice(0, MAX_COMMENT)}"`
          : "";
        lines.push(`add ${target} ${itemCidr(item)}${comment} -exist`);
      }
      if (options.scope === "sync") lines.push(`swap ${target} ${live}`, `destroy ${target}`);
    }
    return oneFile(`${baseName}.ipset`, "text/plain; charset=utf-8", textFile(lines), [
      `ipset: the iptables rules using the sets decide the port; run the "Run:" lines of the header after loading`,
    ]);
  },
} satisfies Exporter;
