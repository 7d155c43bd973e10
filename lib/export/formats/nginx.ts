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
 * A delta (scope missing) is `allow` lines only, for the block that already holds the admin's allow/deny lines,
 * above them: nginx applies the first rule that matches, so a `deny all;` of its own would revoke the admin's
 * allows placed below it, and below the admin's `deny all;` its allows would never be reached.
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
    const delta = options.scope === "missing";
    if (options.comments && delta)
      lines.push("# Delta: include above the allow/deny lines of the block that holds them.");
    for (const item of items) {
      const comment = options.comments ? ` # ${commentText(itemComment(item), "")}` : "";
      lines.push(`allow ${itemCidr(item)};${comment}`);
    }
    if (!delta) lines.push("deny all;");
    return oneFile(`${baseName}.conf`, "text/plain; charset=utf-8", textFile(lines), [
      `nginx: the listen directive of the including server decides the port, not this file (${options.protocol} ${portsText(options.ports)})`,
      ...(delta
        ? [
            "nginx: delta: allow lines only; include them in the block that holds your allow/deny lines, above them (the first rule that matches decides)",
          ]
        : []),
    ]);
  },
} satisfies Exporter;
