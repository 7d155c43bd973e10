import { statSync } from "node:fs";
import { z } from "zod";
import { collectFindings } from "../../diff/findings";
import { cutMessage, emitDiffReportBytes } from "../../diff/report";
import { runDiff, type Unusable } from "../../diff/run";
import type { DiffRows } from "../../diff/types";
import { formatIds, formatLabel } from "../../parse/registry";
import type { FormatId } from "../../parse/types";
import { parseOptionsOf } from "../../parse/path-schema";
import {
  configInputShape,
  loadCatalog,
  palette,
  parseOptions,
  pathLines,
  readInput,
  UsageError,
  write,
  type Command,
} from "../common";
import { DiffThread, DIFF_THREAD_BYTES } from "../diff-thread";

const schema = z.object({
  regions: z.string().default("all"),
  ...configInputShape,
});

/** Human reports list at most this many rows per section; --json has them all. */
const REPORT_ROWS = 50;

export const diffCommand: Command = {
  name: "diff",
  help: `Usage: allowlist diff [--regions us,eu|all] [--input FILE|-] [--format auto|FORMAT] [--port 443]
                      [--path input|forward] [--ingress IFACE] [--json]

Reads an allowlist (stdin by default) and reports which published NAT IPs it covers, which are missing,
and what is wrong in it.
  --regions LIST   comma-separated region codes, or "all" (default)
  --input FILE     file to read; "-" or none reads stdin
  --format FORMAT  auto (default) or one of: ${formatIds.join(", ")}
  --port N         TCP port checked (default 443)
  --path KIND      input: the service is the firewall host itself; forward: a host behind it
                   (default: detected from the config, and said in the report's first lines)
  --ingress IFACE  the Internet-facing interface or zone, as the config names it (default: detected)
  --json           print the result as JSON
  --help           show this help
Exit status: 0 nothing missing, 1 something missing (or partly covered), 2 usage error or unreadable input.`,
  async run(argv) {
    const { values } = parseOptions(
      argv,
      {
        regions: { type: "string", short: "r" },
        input: { type: "string", short: "i" },
        format: { type: "string", short: "f" },
        port: { type: "string", short: "p" },
        path: { type: "string" },
        ingress: { type: "string" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      schema,
    );
    if (values.help) {
      await write(`${this.help}\n`);
      return 0;
    }
    const engine = process.env.ALLOWLIST_NO_FAST_PATH === "1" ? "objects" : "auto";
    const format = values.format as FormatId | "auto";
    // A large plain list is diffed on two threads; the second one starts now, so that it is up once the list is read
    // (runDiff gives it work only if the text is read as a plain list).
    const thread =
      engine === "auto" && (format === "auto" || format === "plain") && fileSize(values.input) >= DIFF_THREAD_BYTES
        ? DiffThread.start()
        : undefined;
    const text = await readInput(values.input);
    const catalog = await loadCatalog();
    const known = catalog.regions.map((r) => r.code.toUpperCase());
    let regions = known;
    if (values.regions.trim().toLowerCase() !== "all") {
      regions = values.regions
        .split(",")
        .map((r) => r.trim().toUpperCase())
        .filter((r) => r !== "");
      const unknown = regions.filter((r) => !known.includes(r));
      if (regions.length === 0 || unknown.length > 0) {
        throw new UsageError(
          `--regions: unknown region "${unknown[0] ?? values.regions}" (known: ${known.join(", ")}, or all).`,
        );
      }
    }
    const run = runDiff({
      text,
      format,
      regions,
      port: values.port,
      catalog,
      parse: parseOptionsOf(values),
      // A file on disk is not a browser paste: the 20 MB paste limit does not apply here.
      maxBytes: Number.POSITIVE_INFINITY,
      engine,
      thread,
    });
    thread?.close();
    if (run.unusable !== undefined) throw new UsageError(unusableText(run.unusable));
    const { rows: result, lineCount } = run;
    if (values.json) await emitDiffReportBytes(result, catalog.version.version, write, true);
    else await write(report(result, lineCount, catalog.version.version, values.port));
    return result.summary.missing > 0 || result.summary.partial > 0 ? 1 : 0;
  },
};

/** A file's size in bytes; 0 for stdin ("-") or a path that cannot be read (reading it says why). */
function fileSize(input: string): number {
  if (input === "-") return 0;
  try {
    return statSync(input).size;
  } catch {
    return 0;
  }
}

/** The unusable-input message and its first unreadable lines, one per line (printed after "allowlist: "). */
export function unusableText(u: Unusable): string {
  return [u.message, ...u.lines.map((l) => `  line ${l.line}: ${l.text} — ${l.message}`)].join("\n");
}

function report(r: DiffRows, lineCount: number, catalogVersion: number, port: number): string {
  const c = palette();
  const out: string[] = [];
  out.push(
    c.bold(`Allowlist diff: ${formatLabel(r.format)}, ${lineCount} lines, catalog v${catalogVersion}, TCP ${port}`),
  );
  if (r.path !== undefined) out.push(...pathLines(r.path, c));
  for (const s of r.byRegion) {
    const missing = s.missing > 0 ? c.red(`${s.missing} missing`) : c.green("0 missing");
    out.push(
      `  ${s.region.padEnd(4)} ${String(s.published).padStart(3)} published  ${String(s.covered).padStart(3)} covered  ${String(s.partial).padStart(3)} partial  ${missing}`,
    );
  }
  const gaps = r.published.filter((p) => p.status !== "covered");
  if (gaps.length > 0) {
    out.push("", c.bold(`Missing or partly covered (${gaps.length}):`));
    for (const p of gaps) {
      const mark = p.status === "missing" ? c.red("missing") : c.yellow("partial");
      out.push(
        `  ${p.entry.cidr.padEnd(20)} ${p.entry.region.padEnd(4)} ${mark.padEnd(7)}  ${p.entry.products.join(", ")}`,
      );
    }
  }
  // One list sorted by line, as the JSON's findings and the compare screen's Findings tab; human labels here.
  const { total, first } = collectFindings(r, REPORT_ROWS);
  if (total > 0) {
    out.push("", c.bold(`Findings (${total}):`));
    for (const f of first) {
      out.push(
        `  ${f.line > 0 ? `line ${String(f.line).padEnd(6)}` : "           "} ${c.yellow(f.labels.join(", "))}: ${cutMessage(f.message)}`,
      );
    }
    if (total > first.length) out.push(c.dim(`  … and ${total - first.length} more (use --json for all).`));
  }
  for (const note of r.notes) out.push(c.dim(cutMessage(note)));
  const s = r.summary;
  out.push(
    "",
    s.missing + s.partial === 0
      ? c.green(`All ${s.published} published NAT IPs are covered.`)
      : c.red(`${s.missing} missing, ${s.partial} partly covered of ${s.published} published NAT IPs.`),
  );
  return `${out.join("\n")}\n`;
}
