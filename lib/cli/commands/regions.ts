import { z } from "zod";
import { loadCatalog, palette, parseOptions, write, type Command } from "../common";

const schema = z.object({ json: z.boolean().default(false), help: z.boolean().default(false) });

export const regionsCommand: Command = {
  name: "regions",
  help: `Usage: allowlist regions [--json]

Lists the regions of the current catalog version with their number of published entries.
  --json   print JSON: { catalogVersion, regions: [{ code, name, count }] }
  --help   show this help`,
  async run(argv) {
    const { values } = parseOptions(argv, { json: { type: "boolean" }, help: { type: "boolean", short: "h" } }, schema);
    if (values.help) {
      await write(`${this.help}\n`);
      return 0;
    }
    const catalog = await loadCatalog();
    if (values.json) {
      await write(
        `${JSON.stringify({ catalogVersion: catalog.version.version, regions: catalog.regions }, null, 2)}\n`,
      );
      return 0;
    }
    const c = palette();
    const lines = [c.bold(`${catalog.provider.name} catalog v${catalog.version.version}`)];
    for (const r of catalog.regions)
      lines.push(`  ${r.code.padEnd(4)} ${r.name.padEnd(24)} ${String(r.count).padStart(4)} NAT IPs`);
    await write(`${lines.join("\n")}\n`);
    return 0;
  },
};
