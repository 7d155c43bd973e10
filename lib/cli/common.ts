import { userInfo } from "node:os";
import { createInterface } from "node:readline/promises";
import { isAscii } from "node:buffer";
import { readFile } from "node:fs/promises";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { z } from "zod";
import { ingressField, pathField } from "../parse/path-schema";
import { formatIds, isFormatId } from "../parse/registry";
import type { PathInfo } from "../parse/types";
import type { CurrentCatalog } from "../db/catalog";
import type { Db } from "../db/client";
import { quickState, readCurrentCatalogSqlite } from "../db/catalog-sqlite";
import { DatabaseError } from "../db/errors";
import { databaseTarget, databaseUrl } from "../db/target";

/** Wrong arguments or unreadable input: exit status 2 with one line on stderr. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

export interface Command {
  readonly name: string;
  readonly help: string;
  /** Returns the exit status. Throws UsageError for status 2. */
  run(argv: readonly string[]): Promise<number>;
}

/** node:util parseArgs for syntax, then a zod schema for meaning; both report as UsageError. */
export function parseOptions<S extends z.ZodType>(
  argv: readonly string[],
  options: NonNullable<ParseArgsConfig["options"]>,
  schema: S,
  allowPositionals = 0,
): { values: z.infer<S>; positionals: string[] } {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: allowPositionals > 0, strict: true });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message.split("\n")[0]! : String(e));
  }
  if (parsed.positionals.length > allowPositionals) {
    throw new UsageError(`Unexpected argument "${parsed.positionals[allowPositionals]}".`);
  }
  const result = schema.safeParse(parsed.values);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.length ? `--${issue.path.join(".")}: ` : "";
    throw new UsageError(`${where}${issue?.message ?? "invalid options"}`);
  }
  return { values: result.data, positionals: parsed.positionals };
}

/** The current catalog from the app's database (DATABASE_URL), migrated and seeded on first use like the app. */
export async function loadCatalog(): Promise<CurrentCatalog> {
  const url = databaseUrl();
  // A ready SQLite file is read with plain queries: loading Prisma's client, its query engine and the migration
  // engine would cost a short run more than its whole diff. Every other case takes the app's path and messages.
  const target = databaseTarget(url);
  if (target.kind === "sqlite" && quickState(url) === "ready") {
    const quick = readCurrentCatalogSqlite(target.path);
    if (quick !== null) return quick;
  }
  const [{ ensureDatabase }, { createDb }, { getCurrentCatalog }] = await Promise.all([
    import("../db/setup"),
    import("../db/client"),
    import("../db/catalog"),
  ]);
  await ensureDatabase(url);
  if (target.kind === "sqlite") {
    const quick = readCurrentCatalogSqlite(target.path);
    if (quick !== null) return quick;
  }
  const db = createDb(url);
  try {
    return await getCurrentCatalog(db);
  } finally {
    await db.$disconnect();
  }
}

export { DatabaseError };

/** ANSI colour only for a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function palette(stream: NodeJS.WriteStream = process.stdout) {
  const on = stream.isTTY === true && !process.env.NO_COLOR;
  const wrap = (code: string) => (s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);
  return { red: wrap("31"), green: wrap("32"), yellow: wrap("33"), bold: wrap("1"), dim: wrap("2") };
}

/** Writes and waits for the pipe to drain, so large JSON is complete before the process exits. */
export function write(text: string | Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(text, (err) => (err ? reject(err) : resolve()));
  });
}

/**
 * UTF-8 bytes as one flat string. ASCII (most lists and configs) is copied byte for byte, which is what UTF-8 decoding
 * gives it. readFile(path, "utf8") decodes in chunks into a rope of strings, which the first search then flattens:
 * about 70 ms for a 16 MB list, against a few here.
 */
export function decodeUtf8(bytes: Buffer): string {
  return isAscii(bytes) ? bytes.toString("latin1") : bytes.toString("utf8");
}

/** Reads a file, or stdin for "-"; an unreadable input is a usage error (exit 2) that says why. */
export async function readInput(input: string): Promise<string> {
  try {
    if (input === "-") {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return decodeUtf8(Buffer.concat(chunks));
    }
    return decodeUtf8(await readFile(input));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "no such file"
        : code === "EISDIR"
          ? "it is a directory"
          : code === "EACCES"
            ? "permission denied"
            : String((e as Error).message);
    throw new UsageError(`Cannot read ${input === "-" ? "stdin" : `"${input}"`}: ${why}.`);
  }
}

/**
 * The lines a human report starts with when the config has a path: what was assumed (and how to override it), then
 * each context, on the path or not, with why.
 */
export function pathLines(path: PathInfo, c: ReturnType<typeof palette>): string[] {
  const out: string[] = [];
  if (path.assumption !== undefined) out.push(`Assumed: ${path.assumption}`);
  for (const ctx of path.contexts) {
    const where = `${ctx.line > 0 ? `${ctx.name} (line ${ctx.line})` : ctx.name}${ctx.family !== undefined ? `, IPv${ctx.family} only` : ""}`;
    const state = ctx.onPath ? `on the path, default ${ctx.fallthrough}` : c.dim("not on the path");
    out.push(`  ${where}: ${state} — ${ctx.reason}`);
  }
  return out;
}

/** The options every command that reads a config shares (diff, trace): where it comes from, how to read it, the port. */
export const configInputShape = {
  input: z.string().default("-"),
  format: z
    .string()
    .default("auto")
    .refine((f) => f === "auto" || isFormatId(f), { message: `must be auto or one of ${formatIds.join(", ")}` }),
  port: z
    .string()
    .default("443")
    .refine((p) => /^\d{1,5}$/.test(p) && Number(p) >= 1 && Number(p) <= 65535, {
      message: "must be a port number from 1 to 65535",
    })
    .transform(Number),
  path: pathField.optional(),
  ingress: ingressField.optional(),
  json: z.boolean().default(false),
  help: z.boolean().default(false),
};

/** Who the CLI acts as in the logs: the machine's user running it (the CLI is a shell on the server). */
export function cliActor(): { readonly actor: string; readonly userId: null } {
  let name = process.env.USER ?? "";
  try {
    name = userInfo().username;
  } catch {
    // no passwd entry (a container's arbitrary uid): the environment's USER, else the uid
  }
  return { actor: `cli:${name || `uid ${process.getuid?.() ?? "?"}`}`, userId: null };
}

/** Runs `run` on the app's database (migrated and seeded first, as the app would), then disconnects. */
export async function withDb<T>(run: (db: Db) => Promise<T>): Promise<T> {
  const url = databaseUrl();
  const [{ ensureDatabase }, { createDb }] = await Promise.all([import("../db/setup"), import("../db/client")]);
  await ensureDatabase(url);
  const db = createDb(url);
  try {
    return await run(db);
  } finally {
    await db.$disconnect();
  }
}

/** A yes/no question on a terminal (stderr, so stdout stays the command's output); without a terminal the answer is no. */
export async function askYes(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}
