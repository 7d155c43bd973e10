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
 * A `<RequireAny>` block of `Require ip` lines (mod_authz_host) for a Directory/Location or an Include. Apache
 * comments must stand on their own line, so each entry's comment precedes it.
 */
export const apache = {
  id: "apache",
  label: "Apache httpd (Require ip)",
  extension: "conf",
  supports: { families: [4, 6], ports: false, destination: false, comments: true },
  render(items, options, baseName) {
    const refusals = destinationErrors(
      "apache",
      options,
      "the block applies to the Directory or Location that includes it",
    );
    if (refusals.length > 0) return refused(refusals);
    const lines: string[] = [];
    if (options.comments)
      lines.push(
        ...describeExport(items, options)
          .slice(0, 2)
          .map((l) => `# ${l}`),
      );
    lines.push("<RequireAny>");
    for (const item of items) {
      if (options.comments) lines.push(`    # ${commentText(itemComment(item), "")}`);
      lines.push(`    Require ip ${itemCidr(item)}`);
    }
    lines.push("</RequireAny>");
    return oneFile(`${baseName}.conf`, "text/plain; charset=utf-8", textFile(lines), [
      `apache: the Listen/VirtualHost that includes the block decides the port, not this file (${options.protocol} ${portsText(options.ports)})`,
    ]);
  },
} satisfies Exporter;
