/**
 * The `allowlist` command line: one module per command in ./commands, dispatched by name. A command's module is
 * imported only when it runs, so `allowlist diff` does not load (compile and evaluate) the exporters, the account
 * store or the backup code at start-up.
 */
import { DatabaseError, UsageError, type Command } from "./common";

interface CommandEntry {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  load(): Promise<Command>;
}

const commands: readonly CommandEntry[] = [
  {
    name: "diff",
    summary: "diff a firewall allowlist against the published NAT IPs",
    load: async () => (await import("./commands/diff")).diffCommand,
  },
  {
    name: "trace",
    summary: "show the rules a new connection from an address meets, and what decides",
    load: async () => (await import("./commands/trace")).traceCommand,
  },
  {
    name: "regions",
    summary: "list the catalog's regions and how many NAT IPs each has",
    load: async () => (await import("./commands/regions")).regionsCommand,
  },
  {
    name: "check",
    summary: "say whether and where an address (or CIDR, range) is published, or which published entries it overlaps",
    load: async () => (await import("./commands/check")).checkCommand,
  },
  {
    name: "export",
    summary: "write the allowlist (or only what a list misses) in a firewall format",
    load: async () => (await import("./commands/export")).exportCommand,
  },
  {
    name: "catalog",
    summary: "import a new catalog version, list versions, show what changed",
    load: async () => (await import("./commands/catalog")).catalogCommand,
  },
  {
    name: "user",
    summary: "create a person who can sign in (user create --admin EMAIL)",
    load: async () => (await import("./commands/accounts")).userCommand,
  },
  {
    name: "token",
    summary: "create a personal API token (token create --user EMAIL --role editor)",
    load: async () => (await import("./commands/accounts")).tokenCommand,
  },
  {
    name: "db",
    summary: "back up the database to a file, or restore it from one",
    load: async () => (await import("./commands/db")).dbCommand,
  },
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
  const entry = commands.find((c) => c.name === name);
  if (!entry) throw new UsageError(`Unknown command "${name}" (commands: ${commands.map((c) => c.name).join(", ")}).`);
  const command = await entry.load();
  if (command.name !== entry.name) throw new Error(`command table: "${entry.name}" loaded "${command.name}"`);
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
