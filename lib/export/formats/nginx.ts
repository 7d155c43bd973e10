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
 * An allow snippet for `include` inside http, server or location (ngx_http_access_module).
 * The listening port and server are where it is included, so ports and destination do not apply.
 * Additive (full or delta) is `allow` lines only, for the block that already holds the admin's allow/deny lines,
 * above them: nginx applies the first rule that matches, so a `deny all;` of its own would revoke the admin's
 * allows placed below it (and every address the block let in before), and below the admin's `deny all;` its allows
 * would never be reached. Dedicated (full) ends with `deny all;`: only these sources get past the including block.
 * A delta is the same allow lines for both models (above the earlier export's `deny all;`).
 */
export const nginx = {
  id: "nginx",
  label: "nginx (allow/deny snippet)",
  extension: "conf",
  supports: { families: [4, 6], ports: false, destination: false, comments: true, dedicated: true },
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
    const denyAll = options.deployment === "dedicated" && !delta;
    if (options.comments)
      lines.push(
        delta
          ? "# Delta: include above the allow/deny lines of the block that holds them."
          : denyAll
            ? "# Dedicated: ends with deny all; only these sources get past the block that includes it."
            : "# Additive: include above the allow/deny lines of the block that holds them; they still decide the rest.",
      );
    for (const item of items) {
      const comment = options.comments ? ` # ${commentText(itemComment(item), "")}` : "";
      lines.push(`allow ${itemCidr(item)};${comment}`);
    }
    if (denyAll) lines.push("deny all;");
    return oneFile(`${baseName}.conf`, "text/plain; charset=utf-8", textFile(lines), [
      `nginx: the listen directive of the including server decides the port, not this file (${options.protocol} ${portsText(options.ports)})`,
      delta
        ? "nginx: delta: allow lines only; include them in the block that holds your allow/deny lines, above them (the first rule that matches decides)"
        : denyAll
          ? "nginx: dedicated: ends with deny all; every other address gets 403 in the block that includes it, and allow/deny lines below it there are never reached"
          : "nginx: additive: allow lines only; include them in the block that holds your allow/deny lines, above them (the first rule that matches decides); a block without a deny already lets every address in",
    ]);
  },
} satisfies Exporter;
