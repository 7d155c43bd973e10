import {
  commentText,
  describeExport,
  destinationErrors,
  itemCidr,
  itemComment,
  oneFile,
  portsText,
  refused,
  textFile,
} from "../helpers";
import type { Exporter } from "../types";

/**
 * Lines for a HAProxy frontend: one `acl <prefix>_src src …` line per prefix (lines with one acl name are ORed)
 * and `tcp-request connection reject unless …`, which works in both tcp and http mode and before any parsing.
 * The frontend's bind line sets the port, so ports and destination do not apply.
 * A delta (scope missing) ends with `tcp-request connection accept if …` instead: a second `reject unless` in a
 * frontend that has one rejects every source (each must pass both), while `accept` ends the connection rules for
 * these sources only, so above the admin's own reject it adds them and changes nothing else. Its `acl` lines also
 * extend the full export's acl of the same name, wherever in the frontend they stand.
 */
export const haproxy = {
  id: "haproxy",
  label: "HAProxy (frontend acl)",
  extension: "cfg",
  supports: { families: [4, 6], ports: false, destination: false, comments: true },
  render(items, options, baseName) {
    const refusals = destinationErrors("haproxy", options, "the frontend's bind line decides it");
    if (refusals.length > 0) return refused(refusals);
    const acl = `${options.namePrefix}_src`;
    const lines: string[] = [];
    if (options.comments)
      lines.push(
        ...describeExport(items, options)
          .slice(0, 2)
          .map((l) => `# ${l}`),
      );
    const delta = options.scope === "missing";
    if (options.comments && delta)
      lines.push("# Delta: put in the frontend above its tcp-request connection reject rule.");
    for (const item of items) {
      if (options.comments) lines.push(`# ${commentText(itemComment(item), "")}`);
      lines.push(`acl ${acl} src ${itemCidr(item)}`);
    }
    lines.push(delta ? `tcp-request connection accept if ${acl}` : `tcp-request connection reject unless ${acl}`);
    return oneFile(`${baseName}.cfg`, "text/plain; charset=utf-8", textFile(lines), [
      `haproxy: the frontend's bind line decides the port, not this file (${options.protocol} ${portsText(options.ports)})`,
      ...(delta
        ? [
            "haproxy: delta: put these lines in the frontend above its tcp-request connection reject rule (rules run in the order written)",
          ]
        : []),
    ]);
  },
} satisfies Exporter;
