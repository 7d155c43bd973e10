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
 * `Require ip` lines (mod_authz_host) for a Directory, Location or .htaccess. Apache comments must stand on their own
 * line, so each entry's comment precedes it. The Listen/VirtualHost that holds the section decides the port.
 * Require lines standing directly in a section are alternatives, an implicit <RequireAny>, and a <RequireAny> there
 * is merged into it (https://httpd.apache.org/docs/2.4/mod/mod_authz_core.html#require, mod_authz_core.c
 * add_authz_section: "be associative"); a section with Require lines of its own replaces what it inherits
 * (AuthMerging Off, the default).
 * Additive (full or delta) is `Require ip` lines only, to put beside the admin's own Require lines in the section that
 * holds them: they add these sources and the admin's lines still decide the rest. Dedicated (full) is a <RequireAny>
 * block that is the section's whole access policy: only these sources get in. A delta is the same lines for both
 * models (beside the earlier dedicated block, or inside it).
 */
export const apache = {
  id: "apache",
  label: "Apache httpd (Require ip)",
  extension: "conf",
  supports: { families: [4, 6], ports: false, destination: false, comments: true, dedicated: true },
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
    const delta = options.scope === "missing";
    const block = options.deployment === "dedicated" && !delta;
    if (options.comments)
      lines.push(
        delta
          ? "# Delta: put these lines beside the Require lines of the section that holds them (or inside the earlier export's <RequireAny>)."
          : block
            ? "# Dedicated: the section's whole access policy; replace its Require lines with this block: only these sources get in."
            : "# Additive: put these lines beside your own Require lines, directly in the section that holds them; they still decide the rest.",
      );
    const indent = block ? "    " : "";
    if (block) lines.push("<RequireAny>");
    for (const item of items) {
      if (options.comments) lines.push(`${indent}# ${commentText(itemComment(item), "")}`);
      lines.push(`${indent}Require ip ${itemCidr(item)}`);
    }
    if (block) lines.push("</RequireAny>");
    return oneFile(`${baseName}.conf`, "text/plain; charset=utf-8", textFile(lines), [
      `apache: the Listen/VirtualHost that includes the block decides the port, not this file (${options.protocol} ${portsText(options.ports)})`,
      delta
        ? "apache: delta: Require ip lines only; put them directly in the section that holds your Require lines or the earlier export's <RequireAny>, beside them or inside that <RequireAny> (not inside a <RequireAll>, where every line must match)"
        : block
          ? "apache: dedicated: the <RequireAny> block is the section's whole access policy: replace the section's Require lines with it (a Require line left beside it still lets its addresses in), or put it in a Directory/Location of its own, which drops the access rules it inherits (AuthMerging Off, the default)"
          : "apache: additive: Require ip lines only; put them directly in the section (Directory, Location, .htaccess) that holds your own Require lines, beside them: lines there are alternatives (an implicit <RequireAny>), so they add these sources and keep yours, and a Require all denied beside them refuses only the rest. Not inside a <RequireAll> (every line must match) or a <RequireNone>; in a section without Require lines, or one of their own, they become its whole policy (it no longer inherits its parent's rules: AuthMerging Off, the default)",
    ]);
  },
} satisfies Exporter;
