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
 * Lines for a HAProxy frontend: one `acl <prefix>_src src …` line per prefix (lines with one acl name are ORed),
 * then a tcp-request connection rule, which works in both tcp and http mode and before any parsing.
 * The frontend's bind line sets the port, so ports and destination do not apply.
 * Additive (full or delta) ends with `tcp-request connection accept if …`: it ends the connection rules for these
 * sources only, so above the admin's own reject it adds them and changes nothing else (a `reject unless` would
 * close the frontend to every address the admin let in; a second one in a frontend that has one rejects every
 * source, each having to pass both). Dedicated (full) ends with `tcp-request connection reject unless …`: only these
 * sources may connect. A delta is the same for both models: its `acl` lines also extend the full export's acl of the
 * same name, wherever in the frontend they stand (HAProxy ORs every line of one name in the section).
 */
export const haproxy = {
  id: "haproxy",
  label: "HAProxy (frontend acl)",
  extension: "cfg",
  supports: { families: [4, 6], ports: false, destination: false, comments: true, dedicated: true },
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
    const rejectOthers = options.deployment === "dedicated" && !delta;
    if (options.comments)
      lines.push(
        delta
          ? "# Delta: put in the frontend above its tcp-request connection reject rule."
          : rejectOthers
            ? "# Dedicated: only these sources may connect to the frontend; it rejects every other address."
            : "# Additive: put in the frontend above its tcp-request connection reject rule; its rules still decide the rest.",
      );
    for (const item of items) {
      if (options.comments) lines.push(`# ${commentText(itemComment(item), "")}`);
      lines.push(`acl ${acl} src ${itemCidr(item)}`);
    }
    lines.push(
      rejectOthers ? `tcp-request connection reject unless ${acl}` : `tcp-request connection accept if ${acl}`,
    );
    return oneFile(`${baseName}.cfg`, "text/plain; charset=utf-8", textFile(lines), [
      `haproxy: the frontend's bind line decides the port, not this file (${options.protocol} ${portsText(options.ports)})`,
      delta
        ? "haproxy: delta: put these lines in the frontend above its tcp-request connection reject rule (rules run in the order written)"
        : rejectOthers
          ? "haproxy: dedicated: tcp-request connection reject unless closes the frontend to every other address"
          : "haproxy: additive: put these lines in the frontend above its tcp-request connection reject rule (rules run in the order written); accept ends only the tcp-request connection rules, the http-request rules below still apply",
    ]);
  },
} satisfies Exporter;
