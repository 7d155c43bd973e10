import { z } from "zod";
import { addressField, parseOptionsOf } from "../../parse/path-schema";
import { traceReportJson } from "../../diff/report";
import { trace, type Trace, type TraceContext } from "../../diff/trace";
import { detectFormat, formatIds, formatLabel, parseText } from "../../parse/registry";
import type { FormatId, PathInfo } from "../../parse/types";
import {
  configInputShape,
  loadCatalog,
  palette,
  parseOptions,
  readInput,
  UsageError,
  write,
  type Command,
} from "../common";

const schema = z.object({
  ...configInputShape,
});

export const traceCommand: Command = {
  name: "trace",
  help: `Usage: allowlist trace ADDRESS [--input FILE|-] [--format auto|FORMAT] [--port 443]
                       [--path input|forward] [--ingress IFACE] [--json]

Follows a new inbound TCP connection from ADDRESS to the port through the config: each context it crosses (or
not), every rule holding the address that it meets (line, text, matched or not and why), what decided, and the verdict.
  --input FILE     file to read; "-" or none reads stdin
  --format FORMAT  auto (default) or one of: ${formatIds.join(", ")}
  --port N         TCP port of the service (default 443)
  --path KIND      input: the service is the firewall host itself; forward: a host behind it (default: detected)
  --ingress IFACE  the Internet-facing interface or zone, as the config names it (default: detected)
  --json           print the trace as JSON (the same as POST /api/v1/trace)
  --help           show this help
Exit status: 0 allowed, 1 blocked, 2 usage error or unreadable input.`,
  async run(argv) {
    const { values, positionals } = parseOptions(
      argv,
      {
        input: { type: "string", short: "i" },
        format: { type: "string", short: "f" },
        port: { type: "string", short: "p" },
        path: { type: "string" },
        ingress: { type: "string" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      schema,
      1,
    );
    if (values.help) {
      await write(`${this.help}\n`);
      return 0;
    }
    const query = positionals[0];
    if (query === undefined) throw new UsageError("trace needs an ADDRESS (see allowlist trace --help).");
    const address = addressField.safeParse(query);
    if (!address.success) throw new UsageError(address.error.issues[0]!.message);
    const text = await readInput(values.input);
    const format = values.format === "auto" ? detectFormat(text).format : (values.format as FormatId);
    // A file on disk is not a browser paste: the 20 MB paste limit does not apply here.
    const parsed = parseText(text, format, {
      maxBytes: Number.POSITIVE_INFINITY,
      ...parseOptionsOf(values),
      port: values.port,
    });
    const t = trace(parsed, address.data, { catalog: await loadCatalog(), port: values.port, source: text });
    if (values.json) await write(traceReportJson(t, parsed.format, parsed.path));
    else await write(traceText(t, parsed.format, parsed.lineCount, parsed.path));
    return t.allowed ? 0 : 1;
  },
};

/** The trace for a person: the assumption, each context with the rules met, the decision, the verdict last. */
export function traceText(t: Trace, format: FormatId, lineCount: number, path: PathInfo | undefined): string {
  const c = palette();
  const out: string[] = [
    c.bold(`Trace ${t.address} → ${t.protocol.toUpperCase()} ${t.port}: ${formatLabel(format)}, ${lineCount} lines`),
  ];
  if (path?.assumption !== undefined) out.push(`Assumed: ${path.assumption}`);
  t.contexts.forEach((ctx, i) => {
    out.push("", contextHead(ctx, i + 1, c));
    if (!ctx.onPath) return;
    if (ctx.steps.length === 0) out.push(c.dim("  No rule of this context holds the address."));
    for (const s of ctx.steps) {
      const verdict = s.matched ? c.bold(`matched, ${s.action === "allow" ? "allows" : "denies"}`) : "no match";
      out.push(`  line ${String(s.line).padEnd(6)} ${verdict}: ${s.why}${s.decided ? " ← decides" : ""}`);
      out.push(c.dim(`               ${s.text}`));
      if (s.rule !== undefined) {
        // The rule the address belongs to, when it sits on another line (an ACL entry naming a group, a jump's chain).
        const through = s.via === undefined ? "" : ` through ${s.via.join(" → ")}`;
        const quoted = s.rule.text === undefined ? "" : `: ${s.rule.text}`;
        out.push(c.dim(`               in the rule at line ${s.rule.line}${through}${quoted}`));
      }
    }
    if (ctx.omitted > 0)
      out.push(
        c.dim(
          `  … and ${ctx.omitted} more rules holding the address that do not match (use --json for the first ${ctx.steps.length}).`,
        ),
      );
    const d = ctx.decision!;
    const result = ctx.passes ? c.green("passes") : c.red("blocked");
    out.push(
      `  ${d.by === "rule" ? `Decided by line ${d.line} (${d.action})` : `No rule matches: the default (${d.action}) applies`} → ${result}.`,
    );
  });
  out.push("", t.allowed ? c.green(`Allowed. ${t.summary}`) : c.red(`Blocked. ${t.summary}`));
  return `${out.join("\n")}\n`;
}

function contextHead(ctx: TraceContext, n: number, c: ReturnType<typeof palette>): string {
  const where = ctx.line > 0 ? `${ctx.name} (line ${ctx.line})` : ctx.name;
  return ctx.onPath
    ? c.bold(`${n}. ${where}: on the path, default ${ctx.fallthrough} — ${ctx.reason}`)
    : `${n}. ${where}: ${c.dim(`not on the path — ${ctx.reason}`)}`;
}
