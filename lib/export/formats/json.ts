import { formatPrefix } from "../../ip/prefix";
import { familyErrors, itemCidr, oneFile, refused } from "../helpers";
import type { Exporter } from "../types";

/** A self-describing document: what to allow (protocol, ports, destination) and the prefixes, with comments their origin. */
export const json = {
  id: "json",
  label: "JSON",
  extension: "json",
  supports: { families: [4, 6], ports: true, destination: true, comments: true },
  render(items, options, baseName) {
    const errors = familyErrors("json", items, options, [4, 6]);
    if (errors.length > 0) return refused(errors);
    const doc = {
      provider: options.provider,
      ...(options.comments ? { catalog: options.catalogLabel } : {}),
      scope: options.scope,
      protocol: options.protocol,
      ports: options.ports.map((p) => ({ from: p.from, to: p.to })),
      destination: options.destination === undefined ? null : formatPrefix(options.destination),
      prefixes: items.map((item) =>
        options.comments
          ? { cidr: itemCidr(item), family: item.prefix.address.family, regions: item.regions, products: item.products }
          : { cidr: itemCidr(item), family: item.prefix.address.family },
      ),
    };
    return oneFile(`${baseName}.json`, "application/json", `${JSON.stringify(doc, null, 2)}\n`);
  },
} satisfies Exporter;
