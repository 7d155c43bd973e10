import { z } from "zod";
import { rangesOverlap, rangeContainsRange } from "../../ip/range";
import { parseTerm } from "../../parse/plain";
import { loadCatalog, palette, parseOptions, UsageError, write, type Command } from "../common";

const schema = z.object({ json: z.boolean().default(false), help: z.boolean().default(false) });

export const checkCommand: Command = {
  name: "check",
  summary: "say whether and where an address (or CIDR, range) is published",
  help: `Usage: allowlist check ADDRESS [--json]

Says whether ADDRESS (an address, CIDR, range or wildcard) is published in the current catalog, and where.
Exit status: 0 published (in whole or part), 1 not published, 2 usage error.
  --json   print JSON: { query, published, matches: [{ cidr, region, products, contains }] }
  --help   show this help`,
  async run(argv) {
    const { values, positionals } = parseOptions(argv, { json: { type: "boolean" }, help: { type: "boolean", short: "h" } }, schema, 1);
    if (values.help) {
      await write(`${this.help}\n`);
      return 0;
    }
    const query = positionals[0];
    if (query === undefined) throw new UsageError("check needs an ADDRESS (see allowlist check --help).");
    const term = parseTerm(query.trim());
    if (!term.ok) throw new UsageError(`"${query}" is not an address: ${term.message}.`);
    const catalog = await loadCatalog();
    const matches = catalog.parsed.flatMap(({ entry: e, range }) => {
      if (!rangesOverlap(range, term.range)) return [];
      // contains: the published CIDR holds the whole query (rather than merely overlapping it).
      return [{ cidr: e.cidr, region: e.region, products: e.products, contains: rangeContainsRange(range, term.range) }];
    });
    if (values.json) {
      await write(`${JSON.stringify({ query, catalogVersion: catalog.version.version, published: matches.length > 0, matches }, null, 2)}\n`);
    } else if (matches.length === 0) {
      await write(`${query} is not published in ${catalog.provider.name} catalog v${catalog.version.version}.\n`);
    } else {
      const c = palette();
      const lines = [`${query} is ${c.green("published")} in ${catalog.provider.name} catalog v${catalog.version.version}:`];
      for (const m of matches) lines.push(`  ${m.cidr.padEnd(20)} ${m.region.padEnd(4)} ${m.products.join(", ")}`);
      await write(`${lines.join("\n")}\n`);
    }
    return matches.length > 0 ? 0 : 1;
  },
};
