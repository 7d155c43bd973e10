import { commentText, destinationErrors, itemCidr, itemComment, oneFile, refused, textFile } from "../helpers";
import type { Exporter } from "../types";

/**
 * One prefix per line, for feeds polled by firewalls: PAN-OS external dynamic lists, FortiGate threat feeds,
 * pfSense URL tables. No header lines (a "#" line is an invalid entry to some readers). With comments, each line
 * is "CIDR # comment": PAN-OS EDL reads "[entry] [space] [comment]", and the "#" makes it a comment for readers
 * that strip "#" comments (ours, pfSense). Turn comments off for FortiGate threat feeds, which expect bare entries.
 */
export const plain = {
  id: "plain",
  label: "Plain list (EDL / threat feed / URL table)",
  extension: "txt",
  supports: { families: [4, 6], ports: false, destination: false, comments: true },
  render(items, options, baseName) {
    const refusals = destinationErrors("plain", options, "a feed list has no destination");
    if (refusals.length > 0) return refused(refusals);
    const lines = items.map((item) => {
      const comment = options.comments ? commentText(itemComment(item), "") : "";
      return comment === "" ? itemCidr(item) : `${itemCidr(item)} # ${comment}`;
    });
    return oneFile(`${baseName}.txt`, "text/plain; charset=utf-8", textFile(lines));
  },
} satisfies Exporter;
