import { z } from "zod";
import { catalogChanges, formatChanges } from "../../catalog/changes";
import type { CatalogDocument, ImportPreview } from "../../db/catalog-import";
import { cliSession } from "../identity";
import { askYes, palette, parseOptions, readInput, UsageError, withDb, write, type Command } from "../common";

const HELP = `Usage: allowlist catalog import FILE|URL [--yes] [--json]
       allowlist catalog check --url URL [--notify] [--json]
       allowlist catalog versions [--json]
       allowlist catalog diff FROM TO [--json]

  import     read a new catalog document (the vendor's page saved as HTML or text, "-" for stdin, or an
             http(s) URL), show what changes per region, and create the next version when confirmed
             (--yes confirms without asking). Exit 0 imported or no change, 1 not confirmed, 2 error.
  check      for cron or a systemd timer: fetch URL and import it only if the list changed; --notify sends
             the webhooks and e-mails configured for a new version. Exit 0 no change, 1 a new version was
             imported, 2 error (the URL could not be read or is not a catalog).
  versions   every version, newest first: number, date, entries, source.
  diff       what changed from version FROM to version TO, per region.`;

const schema = z.object({
  yes: z.boolean().default(false),
  json: z.boolean().default(false),
  notify: z.boolean().default(false),
  url: z.string().optional(),
  help: z.boolean().default(false),
});

/** Anything with a scheme is a URL (fetchDocument refuses all but http and https with a reason); the rest a file. */
async function documentOf(arg: string, mode: "import" | "check"): Promise<CatalogDocument> {
  if (mode === "check" || /^[a-z][a-z0-9+.-]*:\/\//i.test(arg)) return { kind: "url", url: arg };
  return { kind: "text", text: await readInput(arg), ...(arg === "-" ? {} : { name: arg }) };
}

function previewLines(p: ImportPreview): string[] {
  const c = palette();
  const head =
    p.status === "changed"
      ? c.bold(`Changes from version ${p.base.version} (${p.entryCount} entries in the new list):`)
      : p.status === "unchanged"
        ? `No change: ${p.source} has the same list as version ${p.base.version}.`
        : `No change to import: ${p.source} has the same list as version ${p.matchesVersion ?? "?"} (a version's list cannot be imported twice).`;
  return p.status === "changed" ? [head, ...formatChanges(p.changes)] : [head];
}

async function importCommand(arg: string, values: z.infer<typeof schema>, mode: "import" | "check"): Promise<number> {
  const doc = await documentOf(arg, mode);
  return withDb(async (db) => {
    const who = await cliSession(db, "catalog:import");
    const { previewCatalogImport, confirmCatalogImport } = await import("../../db/catalog-import");
    const out = await previewCatalogImport(db, doc);
    if (!out.ok) throw new UsageError(out.message);
    const p = out.preview;
    if (!values.json) await write(`${previewLines(p).join("\n")}\n`);
    if (p.status !== "changed") {
      if (values.json) await write(`${JSON.stringify({ created: false, preview: p }, null, 2)}\n`);
      return 0;
    }
    const go = mode === "check" || values.yes || (await askYes(`Create version ${p.base.version + 1}? [y/N] `));
    if (!go) {
      if (values.json) await write(`${JSON.stringify({ created: false, preview: p }, null, 2)}\n`);
      else process.stderr.write("allowlist: not imported (pass --yes to import without asking).\n");
      return 1;
    }
    const done = await confirmCatalogImport(db, doc, { baseVersion: p.base.version, checksum: p.checksum });
    if (!done.ok) throw new UsageError(done.message);
    if (done.created) {
      const { recordAudit } = await import("../../db/audit");
      await recordAudit(db, {
        action: "catalog.import",
        who,
        ip: "cli",
        target: `catalog:v${done.version.version}`,
        details: {
          fromVersion: p.base.version,
          version: done.version.version,
          source: done.version.source,
          checksum: done.version.checksum,
        },
      });
    }
    let notified = "";
    if (done.created && mode === "check" && values.notify) {
      const { notifyCatalogChange } = await import("../../notify/dispatch");
      await notifyCatalogChange(db, { from: p.base.version, to: done.version.version }, { wait: true });
      notified = " Notifications sent.";
    }
    if (values.json)
      await write(`${JSON.stringify({ created: done.created, version: done.version.version, preview: p }, null, 2)}\n`);
    else await write(`${done.created ? `Imported as version ${done.version.version}.${notified}` : "No change."}\n`);
    return mode === "check" && done.created ? 1 : 0;
  });
}

export const catalogCommand: Command = {
  name: "catalog",
  help: HELP,
  async run(argv) {
    const [sub, ...rest] = argv;
    const { values, positionals } = parseOptions(
      rest,
      {
        yes: { type: "boolean", short: "y" },
        json: { type: "boolean" },
        notify: { type: "boolean" },
        url: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      schema,
      2,
    );
    if (sub === undefined || sub === "--help" || sub === "-h" || values.help) {
      await write(`${HELP}\n`);
      return sub === undefined ? 2 : 0;
    }
    switch (sub) {
      case "import": {
        const arg = positionals[0];
        if (arg === undefined || positionals.length > 1)
          throw new UsageError("catalog import needs one FILE or URL (see allowlist catalog --help).");
        return importCommand(arg, values, "import");
      }
      case "check": {
        if (values.url === undefined) throw new UsageError("catalog check needs --url URL.");
        if (positionals.length > 0) throw new UsageError(`Unexpected argument "${positionals[0]}".`);
        return importCommand(values.url, values, "check");
      }
      case "versions":
        return withDb(async (db) => {
          const { listCatalogVersions } = await import("../../db/catalog");
          const versions = await listCatalogVersions(db);
          if (values.json) {
            await write(
              `${JSON.stringify({ versions: versions.map((v) => ({ version: v.version, importedAt: v.importedAt.toISOString(), source: v.source, checksum: v.checksum, note: v.note, entryCount: v.entryCount })) }, null, 2)}\n`,
            );
          } else {
            const lines = versions.map(
              (v) =>
                `v${String(v.version).padEnd(4)} ${v.importedAt.toISOString().slice(0, 16).replace("T", " ")}  ${String(v.entryCount).padStart(4)} entries  ${v.source}${v.note ? `  (${v.note})` : ""}`,
            );
            await write(`${lines.join("\n")}\n`);
          }
          return 0;
        });
      case "diff": {
        const nums = positionals.map((p) => Number(p));
        if (nums.length !== 2 || nums.some((n) => !Number.isInteger(n) || n < 1))
          throw new UsageError("catalog diff needs two version numbers: FROM TO.");
        return withDb(async (db) => {
          const { getCatalogVersion } = await import("../../db/catalog");
          const [from, to] = await Promise.all(nums.map((n) => getCatalogVersion(db, n)));
          if (!from) throw new UsageError(`No catalog version ${nums[0]}.`);
          if (!to) throw new UsageError(`No catalog version ${nums[1]}.`);
          const changes = catalogChanges(
            from.entries,
            to.entries,
            to.regions.map((r) => r.code),
          );
          if (values.json)
            await write(
              `${JSON.stringify({ from: from.version.version, to: to.version.version, changes }, null, 2)}\n`,
            );
          else
            await write(
              `${[`Catalog v${from.version.version} → v${to.version.version}:`, ...formatChanges(changes)].join("\n")}\n`,
            );
          return 0;
        });
      }
      default:
        throw new UsageError(`Unknown catalog command "${sub}" (import, check, versions, diff).`);
    }
  },
};
