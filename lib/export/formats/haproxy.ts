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
    for (const item of items) {
      if (options.comments) lines.push(`# ${commentText(itemComment(item), "")}`);
      lines.push(`acl ${acl} src ${itemCidr(item)}`);
    }
    lines.push(`tcp-request connection reject unless ${acl}`);
    return oneFile(`${baseName}.cfg`, "text/plain; charset=utf-8", textFile(lines), [
      `haproxy: the frontend's bind line decides the port, not this file (${options.protocol} ${portsText(options.ports)})`,
    ]);
  },
} satisfies Exporter;
