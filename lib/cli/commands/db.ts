import { resolve } from "node:path";
import { z } from "zod";
import { databaseTarget, databaseUrl } from "../../db/target";
import { askYes, parseOptions, UsageError, write, type Command } from "../common";

const HELP = `Usage: allowlist db backup FILE
       allowlist db restore FILE [--yes]

  backup     a consistent copy of the database (DATABASE_URL) while the app runs: SQLite's online backup API for a
             file, pg_dump's custom format for PostgreSQL. FILE must not exist.
  restore    replace every row of the database with a backup of the same kind (asks first; --yes does not).
             PostgreSQL restores in one transaction: a failure changes nothing. Exit 0 restored, 1 not confirmed,
             2 error.`;

const schema = z.object({ yes: z.boolean().default(false), help: z.boolean().default(false) });

function describe(url: string): string {
  const target = databaseTarget(url);
  if (target.kind === "sqlite") return target.path;
  const u = new URL(target.url);
  return `postgresql://${u.host}${u.pathname}`; // never the password
}

export const dbCommand: Command = {
  name: "db",
  help: HELP,
  async run(argv) {
    const [sub, ...rest] = argv;
    const { values, positionals } = parseOptions(
      rest,
      { yes: { type: "boolean", short: "y" }, help: { type: "boolean", short: "h" } },
      schema,
      1,
    );
    if (sub === undefined || sub === "--help" || sub === "-h" || values.help) {
      await write(`${HELP}\n`);
      return sub === undefined ? 2 : 0;
    }
    if (sub !== "backup" && sub !== "restore") throw new UsageError(`Unknown db command "${sub}" (backup, restore).`);
    const arg = positionals[0];
    if (arg === undefined) throw new UsageError(`db ${sub} needs a FILE (see allowlist db --help).`);
    const file = resolve(arg);
    const url = databaseUrl();
    const { backupDatabase, restoreDatabase } = await import("../../db/backup");
    if (sub === "backup") {
      await backupDatabase(url, file);
      await write(`Backed up ${describe(url)} to ${file}.\n`);
      return 0;
    }
    if (!values.yes && !(await askYes(`Replace every row of ${describe(url)} with ${file}? [y/N] `))) {
      process.stderr.write("Not restored (confirm, or pass --yes).\n");
      return 1;
    }
    await restoreDatabase(url, file);
    await write(`Restored ${describe(url)} from ${file}.\n`);
    return 0;
  },
};
