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
 * An `allow …; deny all;` snippet for `include` inside http, server or location (ngx_http_access_module).
 * The listening port and server are where it is included, so ports and destination do not apply.
 */
export const nginx = {
  id: "nginx",
  label: "nginx (allow/deny snippet)",
  extension: "conf",
  supports: { families: [4, 6], ports: false, destination: false, comments: true },
  render(items, options, baseName) {
    const refusals = destinationErrors(
      "nginx",
      options,
      "the snippet applies to the server or location that includes it",
    );
    if (refusals.length > 0) return refused(refusals);
    const lines: string[] = [];
    if (options.comments)
      lines.push(
        ...describeExport(items, options)
          .slice(0, 2)
          .map((l) => `# ${l}`),
      );
    for (const item of items) {
      const comment = options.comments ? ` # ${commentText(itemComment(item), "")}` : "";
      lines.push(`allow ${itemCidr(item)};${comment}`);
    }
    lines.push("deny all;");
    return oneFile(`${baseName}.conf`, "text/plain; charset=utf-8", textFile(lines), [
      `nginx: the listen directive of the including server decides the port, not this file (${options.protocol} ${portsText(options.ports)})`,
    ]);
  },
} satisfies Exporter;
