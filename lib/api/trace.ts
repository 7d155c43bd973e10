/**
 * POST /api/v1/trace — the path a new inbound TCP connection from one address takes through a config, every rule it
 * meets and what decides: the same JSON as `allowlist trace --json`. Same steps as every handler: session →
 * permission → size-limited body → zod → lib → the one error shape.
 */
import { getCurrentCatalog } from "../db/catalog";
import { getDb } from "../db/client";
import { ensureAppDatabase } from "../db/ready";
import { traceReportJson } from "../diff/report";
import { trace } from "../diff/trace";
import { FIREWALL_LIMITS, firewallSchemas, isTextTooLarge } from "../firewall/schema";
import { parseText } from "../parse/registry";
import type { FormatId } from "../parse/types";
import { zodIssues } from "./errors";
import { addressField, parseOptionsOf, pathOverrides } from "../parse/path-schema";
import { apiAuthorize, formatBytes, jsonError, readBodyText, readJsonBody } from "./respond";

/** JSON escapes can make a body much longer than the text it carries; the text itself is checked after parsing. */
const JSON_BODY_LIMIT = FIREWALL_LIMITS.textBytes * 2 + 1024 * 1024;
const TOO_LARGE = `The text is larger than the limit of ${formatBytes(FIREWALL_LIMITS.textBytes)}.`;

/** { text, format?, port?, address, path?, ingress? }: text, format and port read exactly as POST /api/v1/diff reads them. */
export const traceSchema = firewallSchemas([])
  .diff.pick({ text: true, format: true, port: true })
  .extend({ address: addressField, ...pathOverrides.shape });

export async function postTraceRoute(request: Request): Promise<Response> {
  const auth = await apiAuthorize(request, "diff:run");
  if (!auth.ok) return auth.response;
  const isJson = /^application\/(.+\+)?json\b/i.test(request.headers.get("content-type") ?? "");
  let input: unknown;
  if (isJson) {
    const body = await readJsonBody(request, JSON_BODY_LIMIT);
    if (!body.ok) return body.response;
    const v = body.value;
    if (typeof v === "object" && v !== null && "text" in v && typeof v.text === "string" && isTextTooLarge(v.text))
      return jsonError(413, TOO_LARGE);
    input = v;
  } else {
    const body = await readBodyText(request, FIREWALL_LIMITS.textBytes);
    if (!body.ok) return body.response;
    const query = new URL(request.url).searchParams;
    const field = (name: string) => query.get(name) ?? undefined;
    input = {
      text: body.value,
      format: field("format"),
      port: field("port"),
      address: field("address"),
      path: field("path"),
      ingress: field("ingress"),
    };
  }
  const parsed = traceSchema.safeParse(input);
  if (!parsed.success) return jsonError(400, "The trace request is not valid.", zodIssues(parsed.error.issues));
  const { text, format, port, address } = parsed.data;
  const config = parseText(text, format as FormatId | "auto", { ...parseOptionsOf(parsed.data), port });
  await ensureAppDatabase();
  const catalog = await getCurrentCatalog(getDb());
  const t = trace(config, address, { catalog, port, source: text });
  return new Response(traceReportJson(t, config.format, config.path), {
    headers: { "Content-Type": "application/json; charset=utf-8" },
  });
}
