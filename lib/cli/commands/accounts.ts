/**
 * `allowlist user create` and `allowlist token create`: the machine's owner (a shell on the server) manages people
 * and tokens on the local database directly; each write is in the audit log as the CLI user.
 */
import { createInterface } from "node:readline/promises";
import { Writable } from "node:stream";
import { z } from "zod";
import { parseOptions, UsageError, withDb, write, type Command } from "../common";
import { cliSession } from "../identity";

/** All of standard input (a password piped in), without its final newline. */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

/** Asks on the terminal without echoing what is typed. */
async function promptHidden(question: string): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk, _encoding, done) {
      if (!muted) process.stderr.write(chunk as Buffer);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  try {
    const answer = rl.question(question);
    muted = true;
    return await answer;
  } finally {
    muted = false;
    process.stderr.write("\n");
    rl.close();
  }
}

/** The password: from standard input when it is not a terminal, else asked twice. Never a default. */
async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) return readStdin();
  const first = await promptHidden("Password: ");
  const again = await promptHidden("Password again: ");
  if (first !== again) throw new UsageError("The two passwords differ.");
  return first;
}

const userSchema = z.object({
  admin: z.boolean().default(false),
  role: z.enum(["viewer", "editor", "admin"]).optional(),
  name: z.string().default(""),
  help: z.boolean().default(false),
});

const USER_HELP = `Usage: allowlist user create [--admin | --role viewer|editor|admin] [--name NAME] EMAIL

Creates a person who signs in with EMAIL. The password is read from standard input when it is not a terminal
(echo "$PASSWORD" | allowlist user create --admin ann@example.com), else asked twice without echo. There is no
default password. The first admin of a new install is made this way or on the setup screen.
  --admin   the role admin (same as --role admin)
  --role    viewer (default), editor or admin
  --name    the name shown (default: the e-mail)`;

export const userCommand: Command = {
  name: "user",
  help: USER_HELP,
  async run(argv) {
    const [sub, ...rest] = argv;
    if (sub === undefined || sub === "--help" || sub === "-h") {
      await write(`${USER_HELP}\n`);
      return sub === undefined ? 2 : 0;
    }
    if (sub !== "create") throw new UsageError(`Unknown subcommand "user ${sub}" (try: user create).`);
    const { values, positionals } = parseOptions(
      rest,
      {
        admin: { type: "boolean" },
        role: { type: "string" },
        name: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      userSchema,
      1,
    );
    if (values.help) {
      await write(`${USER_HELP}\n`);
      return 0;
    }
    if (values.admin && values.role !== undefined && values.role !== "admin")
      throw new UsageError("--admin and --role disagree.");
    const email = positionals[0];
    if (email === undefined) throw new UsageError("Name the e-mail address: allowlist user create [--admin] EMAIL.");
    const { newUserSchema, createUser } = await import("../../db/user");
    const password = await readPassword();
    const parsed = newUserSchema.safeParse({
      email,
      name: values.name,
      password,
      role: values.admin ? "admin" : (values.role ?? "viewer"),
    });
    if (!parsed.success) {
      const i = parsed.error.issues[0]!;
      throw new UsageError(`${String(i.path[0] ?? "input")}: ${i.message}`);
    }
    return withDb(async (db) => {
      const who = await cliSession(db, "user:admin");
      const made = await createUser(db, parsed.data);
      if (!made.ok) throw new UsageError(`A user with the e-mail ${parsed.data.email} exists.`);
      const { recordAudit } = await import("../../db/audit");
      await recordAudit(db, {
        action: "user.create",
        who,
        ip: "cli",
        target: `user:${made.user.email}`,
        details: { role: { after: made.user.role } },
      });
      await write(`Created ${made.user.email} (${made.user.role}).\n`);
      return 0;
    });
  },
};

const tokenSchema = z.object({
  user: z.string({ message: "--user EMAIL is required" }),
  role: z.enum(["viewer", "editor", "admin"], { message: "--role must be viewer, editor or admin" }),
  expires: z.string().optional(),
  name: z.string().default("cli"),
  help: z.boolean().default(false),
});

const TOKEN_HELP = `Usage: allowlist token create --user EMAIL --role viewer|editor|admin [--expires 90d] [--name NAME]

Creates a personal API token for EMAIL and prints it once (only its sha256 is stored). Its role may not be above
the user's. Send it as Authorization: Bearer <token> to /api/v1, or set ALLOWLIST_TOKEN.
  --expires  days until it expires (90d); default: never
  --name     a name to tell it apart (default: cli)`;

export const tokenCommand: Command = {
  name: "token",
  help: TOKEN_HELP,
  async run(argv) {
    const [sub, ...rest] = argv;
    if (sub === undefined || sub === "--help" || sub === "-h") {
      await write(`${TOKEN_HELP}\n`);
      return sub === undefined ? 2 : 0;
    }
    if (sub !== "create") throw new UsageError(`Unknown subcommand "token ${sub}" (try: token create).`);
    const { values } = parseOptions(
      rest,
      {
        user: { type: "string" },
        role: { type: "string" },
        expires: { type: "string" },
        name: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      z.union([z.object({ help: z.literal(true) }).passthrough(), tokenSchema]),
    );
    if (values.help === true) {
      await write(`${TOKEN_HELP}\n`);
      return 0;
    }
    const input = tokenSchema.parse(values);
    const { parseExpiry, createApiToken, newTokenSchema } = await import("../../db/api-token");
    let days: number | undefined;
    if (input.expires !== undefined) {
      const e = parseExpiry(input.expires);
      if (!e.ok) throw new UsageError(`--expires: ${e.error}.`);
      days = e.days;
    }
    const token = newTokenSchema.safeParse({
      name: input.name,
      role: input.role,
      ...(days !== undefined ? { expiresInDays: days } : {}),
    });
    if (!token.success) throw new UsageError(token.error.issues[0]!.message);
    return withDb(async (db) => {
      const who = await cliSession(db, "user:admin");
      const { findUserByEmail } = await import("../../db/user");
      const user = await findUserByEmail(db, input.user);
      if (user === null) throw new UsageError(`No user ${input.user}: create one with allowlist user create.`);
      const made = await createApiToken(db, user.id, token.data);
      if (!made.ok)
        throw new UsageError(
          made.reason === "role-too-high"
            ? `${user.email} is ${user.role}: a token cannot be ${input.role}.`
            : `${user.email} is disabled.`,
        );
      const { recordAudit } = await import("../../db/audit");
      await recordAudit(db, {
        action: "token.create",
        who,
        ip: "cli",
        target: `token:${made.view.id}`,
        details: {
          name: made.view.name,
          role: made.view.role,
          owner: user.email,
          expiresAt: made.view.expiresAt?.toISOString() ?? null,
        },
      });
      await write(`${made.token}\n`);
      process.stderr.write(
        `allowlist: token "${made.view.name}" (${made.view.role}) for ${user.email}${made.view.expiresAt ? `, expires ${made.view.expiresAt.toISOString().slice(0, 10)}` : ""}. It is not shown again.\n`,
      );
      return 0;
    });
  },
};
