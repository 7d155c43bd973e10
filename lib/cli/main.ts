/** The `allowlist` command line: one module per command in ./commands, dispatched by name. */
import { tokenCommand, userCommand } from "./commands/accounts";
import { catalogCommand } from "./commands/catalog";
import { checkCommand } from "./commands/check";
import { dbCommand } from "./commands/db";
import { diffCommand } from "./commands/diff";
import { exportCommand } from "./commands/export";
import { regionsCommand } from "./commands/regions";
import { traceCommand } from "./commands/trace";
import { DatabaseError, UsageError, type Command } from "./common";

const commands: readonly Command[] = [
  diffCommand,
  traceCommand,
  regionsCommand,
  checkCommand,
  exportCommand,
  catalogCommand,
  userCommand,
  tokenCommand,
  dbCommand,
];

const HELP = `Usage: allowlist COMMAND [options]

Commands:
${commands.map((c) => `  ${c.name.padEnd(9)} ${c.summary}`).join("\n")}

Run "allowlist COMMAND --help" for a command's options. The catalog comes from DATABASE_URL
(default file:./data/allowlist.db), created and seeded on first use.`;

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(`${HELP}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command)
    throw new UsageError(`Unknown command "${name}" (commands: ${commands.map((c) => c.name).join(", ")}).`);
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const known = error instanceof UsageError || error instanceof DatabaseError;
    process.stderr.write(
      `allowlist: ${known ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 2;
  },
);
