import { mkdir, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { formatLabelOf, storedExportOptions } from "../../export/describe";
import { planExportRequest } from "../../api/export-plan";
import { databaseUrl } from "../../db/target";
import { exportFormatIds } from "../../export/registry";
import { formatIds as parseFormatIds } from "../../parse/registry";
import { cliSession } from "../identity";
import { parseOptions, readInput, UsageError, write, type Command } from "../common";

const schema = z.object({
  format: z.string().optional(),
  regions: z.string().default("all"),
  "missing-from": z.string().optional(),
  "list-format": z.string().default("auto"),
  output: z.string().optional(),
  file: z.string().optional(),
  ports: z.string().optional(),
  protocol: z.string().optional(),
  family: z.string().optional(),
  destination: z.string().optional(),
  "name-prefix": z.string().optional(),
  deployment: z.string().optional(),
  sync: z.boolean().default(false),
  "nft-family": z.string().optional(),
  "nft-table": z.string().optional(),
  "nft-chain": z.string().optional(),
  "target-acl": z.string().optional(),
  "target-line": z.string().optional(),
  "target-after": z.string().optional(),
  "target-from-zone": z.string().optional(),
  "target-to-zone": z.string().optional(),
  "target-policy": z.string().optional(),
  "no-aggregate": z.boolean().default(false),
  "no-comments": z.boolean().default(false),
  help: z.boolean().default(false),
});

/** API option names (planExportRequest's issue paths) as the flags a CLI user typed. */
const FLAG_OF: Record<string, string> = {
  format: "--format",
  regions: "--regions",
  ports: "--ports",
  protocol: "--protocol",
  family: "--family",
  destination: "--destination",
  namePrefix: "--name-prefix",
  scope: "--sync",
  deployment: "--deployment",
  nftFamily: "--nft-family",
  nftTable: "--nft-table",
  nftChain: "--nft-chain",
  targetAcl: "--target-acl",
  targetLine: "--target-line",
  targetAfter: "--target-after",
  targetFromZone: "--target-from-zone",
  targetToZone: "--target-to-zone",
  targetPolicy: "--target-policy",
  "missingFrom.format": "--list-format",
};

export const exportCommand: Command = {
  name: "export",
  help: `Usage: allowlist export --format FORMAT [--regions us,eu|all] [--missing-from FILE|-] [--output FILE]
                        [--ports 443] [--protocol tcp|udp] [--family 4|6|both] [--destination CIDR]
                        [--name-prefix NAME] [--no-aggregate] [--no-comments] [--sync]
                        [--deployment additive|dedicated] [--nft-family F] [--nft-table T] [--nft-chain C]
                        [--target-acl NAME [--target-line N [--target-after M]]]
                        [--target-from-zone Z --target-to-zone Z [--target-policy NAME]]

Writes the published NAT IPs of the chosen regions as a rule set, to stdout or --output.
  --format FORMAT      one of: ${exportFormatIds.join(", ")}
  --regions LIST       comma-separated region codes, or "all" (default)
  --missing-from FILE  export only the entries this firewall list does not cover ("-" reads stdin)
  --list-format F      format of that list: auto (default) or one of: ${parseFormatIds.join(", ")}
  --output PATH        file to write (default stdout); an existing or, for several files, a new directory
  --file NAME          write only this file of a multi-file format
  --ports LIST         ports or ranges, e.g. 443 or 80,443 or 8000-8100 (default 443)
  --protocol P         tcp (default) or udp
  --family F           4, 6 or both (default)
  --destination CIDR   restrict to this destination address or CIDR (default any)
  --name-prefix NAME   prefix of object, group and rule names (default allowlist)
  --no-aggregate       one entry per published CIDR instead of the minimal CIDR cover
  --no-comments        leave out comments (region, product, catalog version)
  --sync               make the device's own objects hold exactly the selection (removes what is no longer published)
  --deployment D       additive (default: accept rules inside your policy) or dedicated (only these may reach the port)
  --nft-family F       nftables: family of your table, inet (default), ip or ip6
  --nft-table T        nftables: your table (default filter)
  --nft-chain C        nftables: your input base chain (default input)
  --target-acl NAME    cisco-asa, cisco-ios: put the permits in this ACL you have bound already (with
                       --missing-from, the compared config's inbound ACL by default)
  --target-line N      ahead of this entry of it: ASA line number, IOS sequence number (by default, the compared
                       ACL's first entry that denies a missing entry)
  --target-after M     cisco-ios: the sequence number of the entry before it; the permits take the numbers between
  --target-from-zone Z, --target-to-zone Z
                       junos-srx: the zone pair the policy goes in (with --missing-from, the compared config's)
  --target-policy NAME junos-srx: insert the policy before this one of the pair (by default, the compared pair's
                       first policy that denies a missing entry)
  --help               show this help
Warnings go to stderr. Each export is recorded in the export log.
Exit status: 0 written (or nothing missing), 2 usage error, unreadable input, or errors the format lists.`,
  async run(argv) {
    const { values } = parseOptions(
      argv,
      {
        format: { type: "string", short: "f" },
        regions: { type: "string", short: "r" },
        "missing-from": { type: "string" },
        "list-format": { type: "string" },
        output: { type: "string", short: "o" },
        file: { type: "string" },
        ports: { type: "string", short: "p" },
        protocol: { type: "string" },
        family: { type: "string" },
        destination: { type: "string" },
        "name-prefix": { type: "string" },
        deployment: { type: "string" },
        sync: { type: "boolean" },
        "nft-family": { type: "string" },
        "nft-table": { type: "string" },
        "nft-chain": { type: "string" },
        "target-acl": { type: "string" },
        "target-line": { type: "string" },
        "target-after": { type: "string" },
        "target-from-zone": { type: "string" },
        "target-to-zone": { type: "string" },
        "target-policy": { type: "string" },
        "no-aggregate": { type: "boolean" },
        "no-comments": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      schema,
    );
    if (values.help) {
      await write(`${this.help}\n`);
      return 0;
    }
    if (values.format === undefined)
      throw new UsageError(`--format is required: one of ${exportFormatIds.join(", ")}.`);
    const missingText = values["missing-from"] === undefined ? undefined : await readInput(values["missing-from"]);

    const url = databaseUrl();
    // Loaded here, not at the top: every other command would otherwise start the Prisma client too.
    const [{ ensureDatabase }, { createDb }, { getCurrentCatalog }, { createExportRecord }] = await Promise.all([
      import("../../db/setup"),
      import("../../db/client"),
      import("../../db/catalog"),
      import("../../db/export-record"),
    ]);
    await ensureDatabase(url);
    const db = createDb(url);
    try {
      const who = await cliSession(db, "export:create");
      const catalog = await getCurrentCatalog(db);
      const options: Record<string, unknown> = { aggregate: !values["no-aggregate"], comments: !values["no-comments"] };
      const flags = [
        ["ports", "ports"],
        ["protocol", "protocol"],
        ["family", "family"],
        ["destination", "destination"],
        ["name-prefix", "namePrefix"],
        ["deployment", "deployment"],
        ["nft-family", "nftFamily"],
        ["nft-table", "nftTable"],
        ["nft-chain", "nftChain"],
        ["target-acl", "targetAcl"],
        ["target-line", "targetLine"],
        ["target-after", "targetAfter"],
        ["target-from-zone", "targetFromZone"],
        ["target-to-zone", "targetToZone"],
        ["target-policy", "targetPolicy"],
      ] as const;
      for (const [flag, key] of flags) {
        if (values[flag] !== undefined) options[key] = values[flag];
      }
      if (values.sync) options.scope = "sync";
      const plan = planExportRequest(
        {
          providerName: catalog.provider.name,
          version: catalog.version.version,
          checksum: catalog.version.checksum,
          regionCodes: catalog.regions.map((r) => r.code),
          catalog,
        },
        {
          format: values.format,
          regions: values.regions,
          options,
          maxBytes: Number.POSITIVE_INFINITY,
          ...(missingText === undefined ? {} : { missingFrom: { text: missingText, format: values["list-format"] } }),
        },
      );
      if (!plan.ok) {
        // Option problems are usage errors; a format that cannot express the request lists each reason.
        const lines = plan.issues.map((i) =>
          i.path ? `${FLAG_OF[i.path] ?? `--${i.path}`}: ${i.message}` : i.message,
        );
        throw new UsageError(lines.join("\nallowlist: "));
      }
      for (const warning of plan.warnings) process.stderr.write(`allowlist: warning: ${warning}\n`);
      if (plan.files.length === 0) {
        process.stderr.write(
          `allowlist: nothing is missing: the list covers every published entry of ${plan.regions.join(", ")}.\n`,
        );
        return 0;
      }

      let files = plan.files;
      const names = files.map((f) => f.name);
      if (values.file !== undefined) {
        files = files.filter((f) => f.name === values.file);
        if (files.length === 0)
          throw new UsageError(`--file: no file "${values.file}" in this export (files: ${names.join(", ")}).`);
      }
      const only = files.length === 1 ? files[0] : undefined;
      const intoDirectory = values.output !== undefined && (await isDirectory(values.output));
      if (only !== undefined && !intoDirectory) {
        if (values.output === undefined) await write(only.content);
        else await writeOut(values.output, only.content);
      } else {
        if (values.output === undefined) {
          throw new UsageError(
            `The ${formatLabelOf(plan.format)} export has ${names.length} files (${names.join(", ")}): use --output DIR, or --file NAME.`,
          );
        }
        await mkdir(values.output, { recursive: true }).catch((e: unknown) => {
          throw new UsageError(`Cannot create the directory "${values.output}": ${(e as Error).message}.`);
        });
        for (const f of files) await writeOut(join(values.output, f.name), f.content);
        process.stderr.write(
          `allowlist: wrote ${files.map((f) => join(values.output as string, f.name)).join(", ")}\n`,
        );
      }

      await createExportRecord(db, {
        format: plan.format,
        scope: plan.options.scope,
        options: JSON.stringify(storedExportOptions(plan.options)),
        catalogVersion: catalog.version.version,
        provider: catalog.provider.slug,
        entryCount: plan.entryCount,
        regions: plan.regions,
        channel: "cli",
        source: missingText === undefined ? "catalog" : "paste",
        actor: who.actor,
        userId: who.userId,
        ip: "cli",
      });
      return 0;
    } finally {
      await db.$disconnect();
    }
  },
};

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function writeOut(path: string, content: string): Promise<void> {
  try {
    await writeFile(path, content);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "no such directory"
        : code === "EISDIR"
          ? "it is a directory"
          : code === "EACCES"
            ? "permission denied"
            : String((e as Error).message);
    throw new UsageError(`Cannot write "${path}": ${why}.`);
  }
}
