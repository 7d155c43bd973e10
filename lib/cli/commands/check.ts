import { z } from "zod";
import { rangesOverlap, rangeContainsRange } from "../../ip/range";
import { IPSet } from "../../ip/set";
import type { Range } from "../../ip/types";
import { parseTerm } from "../../parse/plain";
import { loadCatalog, palette, parseOptions, UsageError, write, type Command } from "../common";

const schema = z.object({ json: z.boolean().default(false), help: z.boolean().default(false) });

export const checkCommand: Command = {
  name: "check",
  help: `Usage: allowlist check ADDRESS [--json]

Says whether ADDRESS (an address, CIDR, range or wildcard) is published in the current catalog, and where; for a
wider prefix, which published entries it overlaps.
Exit status: 0 published (every address of it), 1 not published (none, or only some: an overlap), 2 usage error.
  --json   print JSON: { query, published, overlaps, matches: [{ cidr, region, products, contains }] }
  --help   show this help`,
  async run(argv) {
    const { values, positionals } = parseOptions(
      argv,
      { json: { type: "boolean" }, help: { type: "boolean", short: "h" } },
      schema,
      1,
    );
    if (values.help) {
      await write(`${this.help}\n`);
      return 0;
    }
    const query = positionals[0];
    if (query === undefined) throw new UsageError("check needs an ADDRESS (see allowlist check --help).");
    const term = parseTerm(query.trim());
    if (!term.ok) throw new UsageError(`"${query}" is not an address: ${term.message}.`);
    const catalog = await loadCatalog();
    const matchRanges: Range[] = [];
    const matches = catalog.parsed.flatMap(({ entry: e, range }) => {
      if (!rangesOverlap(range, term.range)) return [];
      matchRanges.push(range);
      // contains: the published CIDR holds the whole query (rather than merely overlapping it).
      return [
        { cidr: e.cidr, region: e.region, products: e.products, contains: rangeContainsRange(range, term.range) },
      ];
    });
    // Published: every address of the query is in some published entry. An overlap alone (a /24 holding a few
    // published /32s) is not: allowing the whole prefix would let in addresses nobody published.
    const published = matches.length > 0 && IPSet.fromRanges(matchRanges).containsRange(term.range);
    const where = `${catalog.provider.name} catalog v${catalog.version.version}`;
    const c = palette();
    const rows = matches.map((m) => `  ${m.cidr.padEnd(20)} ${m.region.padEnd(4)} ${m.products.join(", ")}`);
    if (values.json) {
      await write(
        `${JSON.stringify({ query, catalogVersion: catalog.version.version, published, overlaps: matches.length > 0, matches }, null, 2)}\n`,
      );
    } else if (matches.length === 0) {
      await write(`${query} is not published in ${where}.\n`);
    } else if (published) {
      await write(`${[`${query} is ${c.green("published")} in ${where}:`, ...rows].join("\n")}\n`);
    } else {
      const n = matches.length;
      await write(
        `${[
          `${query} is ${c.red("not published")} in ${where}: it overlaps ${n} published ${n === 1 ? "entry" : "entries"}:`,
          ...rows,
          `Only ${n === 1 ? "that entry is" : "those entries are"} published: allow ${n === 1 ? "it" : "them"}, not all of ${query}.`,
        ].join("\n")}\n`,
      );
    }
    return published ? 0 : 1;
  },
};
