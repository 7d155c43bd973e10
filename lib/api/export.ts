// GET/POST /api/v1/export. Route handlers are plain functions of a Request so they are tested without Next.
import { z } from "zod";
import type { Session } from "../auth/permissions";
import { getCatalogVersion, type CurrentCatalog } from "../db/catalog";
import { getDb } from "../db/client";
import { DatabaseError } from "../db/errors";
import { createExportRecord } from "../db/export-record";
import { clientIp } from "../auth/client-ip";
import { getFirewall } from "../db/firewall";
import { ensureAppDatabase } from "../db/ready";
import { exceedsInputLimit, MAX_INPUT_BYTES } from "../parse/registry";
import { zodIssues } from "./errors";
import { formatLabelOf, storedExportOptions } from "../export/describe";
import { checkJsonWrite } from "./guard";
import { exportOptionKeys, planExportRequest, type PlanRequest } from "./export-plan";
import { apiAuthorize, jsonError, readJsonBody } from "./respond";

const CONTROL_KEYS = ["format", "regions", "as", "file", "version"] as const;
const QUERY_KEYS: readonly string[] = [...CONTROL_KEYS, ...exportOptionKeys];
const BODY_KEYS: readonly string[] = [...QUERY_KEYS, "missingFrom"];

export const missingFromSchema = z.union([
  z.strictObject({ text: z.string(), format: z.string().optional() }),
  z.strictObject({ firewallId: z.number().int().positive() }),
]);

export const controlSchema = z.object({
  as: z.enum(["json", "file"]).optional(),
  file: z.string().optional(),
  /** A catalog version number; the newest when absent. */
  version: z.coerce.number().int().positive().max(1_000_000_000).optional(),
});

interface ExportCall {
  readonly plan: PlanRequest;
  readonly as?: "json" | "file";
  readonly file?: string;
  readonly source: "catalog" | "paste" | "firewall";
  readonly firewallId?: number;
  readonly version?: number;
}

function unknownKeys(keys: Iterable<string>, known: readonly string[]): string[] {
  return [...new Set(keys)].filter((k) => !known.includes(k));
}

function unknownKeysResponse(unknown: readonly string[], known: readonly string[]): Response {
  return jsonError(
    400,
    `Unknown export option${unknown.length === 1 ? "" : "s"}: ${unknown.join(", ")}.`,
    unknown.map((k) => ({ path: k, message: `unknown option (known: ${known.join(", ")})` })),
  );
}

function pick(source: Readonly<Record<string, unknown>>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (source[k] !== undefined) out[k] = source[k];
  return out;
}

async function loadCatalog(version: number | undefined): Promise<CurrentCatalog | null> {
  await ensureAppDatabase();
  return getCatalogVersion(getDb(), version);
}

/** GET /api/v1/export?format=nftables&regions=us,eu&ports=443&…: the full allowlist of the chosen regions. */
export async function handleExportGet(request: Request): Promise<Response> {
  const auth = await apiAuthorize(request, "export:create");
  if (!auth.ok) return auth.response;
  const params = new URL(request.url).searchParams;
  const unknown = unknownKeys(params.keys(), QUERY_KEYS);
  if (unknown.length > 0) return unknownKeysResponse(unknown, QUERY_KEYS);
  const query = Object.fromEntries(params.entries());
  const control = controlSchema.safeParse(query);
  if (!control.success) return jsonError(400, "Invalid export request.", zodIssues(control.error.issues));
  return runExport(
    auth.value,
    {
      plan: { format: query.format, regions: query.regions, options: pick(query, exportOptionKeys) },
      ...control.data,
      source: "catalog",
    },
    clientIp(request.headers),
  );
}

/**
 * POST /api/v1/export with JSON { format, regions?, ports?, …, missingFrom?: { text, format? } | { firewallId } }.
 * Without missingFrom it is the full allowlist, like GET; with it, only the published entries the list misses.
 */
export async function handleExportPost(request: Request): Promise<Response> {
  const refused = checkJsonWrite(request);
  if (refused) return refused;
  const auth = await apiAuthorize(request, "export:create");
  if (!auth.ok) return auth.response;
  // JSON escapes (\n, \", \uXXXX) make a body longer than the text it carries: the body gets room for them, and the
  // pasted text itself is held to the 20 MB limit below.
  const body = await readJsonBody(request, MAX_INPUT_BYTES * 2 + 1024 * 1024);
  if (!body.ok) return body.response;
  if (typeof body.value !== "object" || body.value === null || Array.isArray(body.value)) {
    return jsonError(400, 'The request body must be a JSON object such as {"format": "nftables", "regions": "us,eu"}.');
  }
  const input = body.value as Record<string, unknown>;
  const unknown = unknownKeys(Object.keys(input), BODY_KEYS);
  if (unknown.length > 0) return unknownKeysResponse(unknown, BODY_KEYS);
  const control = controlSchema.safeParse(input);
  if (!control.success) return jsonError(400, "Invalid export request.", zodIssues(control.error.issues));
  const options = pick(input, exportOptionKeys);

  if (input.missingFrom === undefined) {
    return runExport(
      auth.value,
      { plan: { format: input.format, regions: input.regions, options }, ...control.data, source: "catalog" },
      clientIp(request.headers),
    );
  }
  const missingFrom = missingFromSchema.safeParse(input.missingFrom);
  if (!missingFrom.success) {
    return jsonError(
      400,
      'missingFrom must be { "text": "…", "format"?: "auto" } or { "firewallId": 1 }.',
      zodIssues(missingFrom.error.issues).map((i) => ({ ...i, path: `missingFrom${i.path ? `.${i.path}` : ""}` })),
    );
  }
  if ("text" in missingFrom.data) {
    const { text, format } = missingFrom.data;
    if (exceedsInputLimit(text)) return jsonError(413, "The missingFrom text is larger than the limit of 20 MB.");
    return runExport(
      auth.value,
      {
        plan: { format: input.format, regions: input.regions, options, missingFrom: { text, format } },
        ...control.data,
        source: "paste",
      },
      clientIp(request.headers),
    );
  }
  const firewallId = missingFrom.data.firewallId;
  try {
    await ensureAppDatabase();
    const firewall = await getFirewall(getDb(), firewallId);
    if (firewall === null) return jsonError(404, `Firewall ${firewallId} does not exist or has no saved list yet.`);
    const list = firewall.head;
    return runExport(
      auth.value,
      {
        plan: {
          format: input.format,
          regions: input.regions,
          fallbackRegions: list.regions,
          options,
          missingFrom: { text: list.text, format: list.format },
        },
        ...control.data,
        source: "firewall",
        firewallId,
      },
      clientIp(request.headers),
    );
  } catch (error) {
    if (error instanceof DatabaseError) return jsonError(500, error.message);
    throw error;
  }
}

async function runExport(session: Session, call: ExportCall, ip: string | null): Promise<Response> {
  let catalog: CurrentCatalog | null;
  try {
    catalog = await loadCatalog(call.version);
  } catch (error) {
    if (error instanceof DatabaseError) return jsonError(500, error.message);
    throw error;
  }
  if (catalog === null)
    return jsonError(404, `No catalog version ${call.version ?? ""}.`, [
      { path: "version", message: "no such catalog version" },
    ]);
  const plan = planExportRequest(
    {
      providerName: catalog.provider.name,
      version: catalog.version.version,
      checksum: catalog.version.checksum,
      regionCodes: catalog.regions.map((r) => r.code),
      catalog,
    },
    call.plan,
  );
  if (!plan.ok) return jsonError(400, plan.message, plan.issues);

  const summary = {
    format: plan.format,
    label: formatLabelOf(plan.format),
    scope: plan.options.scope,
    regions: plan.regions,
    catalogVersion: catalog.version.version,
    entryCount: plan.entryCount,
    warnings: plan.warnings,
  };
  if (plan.files.length === 0) {
    // Nothing is missing: a success with nothing to hand out, so nothing is recorded.
    return call.as === "json"
      ? Response.json({ ...summary, files: [] })
      : new Response(null, { status: 204, headers: { "X-Export-Entries": "0" } });
  }

  let file = plan.files[0];
  if (call.as !== "json") {
    const names = plan.files.map((f) => f.name);
    if (call.file !== undefined) {
      file = plan.files.find((f) => f.name === call.file);
      if (file === undefined)
        return jsonError(400, `No file "${call.file}" in this export; its files are ${names.join(", ")}.`, [
          { path: "file", message: `one of ${names.join(", ")}` },
        ]);
    } else if (plan.files.length > 1) {
      return jsonError(
        400,
        `The ${summary.label} export has ${names.length} files (${names.join(", ")}): add as=json to get them all, or file=NAME for one.`,
        [{ path: "file", message: `one of ${names.join(", ")}` }],
      );
    }
  }

  // Every export is logged: each caller is a signed-in person or a token now (X-Export-Logged stays for old clients).
  const logged = true;
  try {
    {
      await createExportRecord(getDb(), {
        format: plan.format,
        scope: plan.options.scope,
        options: JSON.stringify(storedExportOptions(plan.options)),
        catalogVersion: catalog.version.version,
        provider: catalog.provider.slug,
        entryCount: plan.entryCount,
        regions: plan.regions,
        channel: "api",
        source: call.source,
        ...(call.firewallId === undefined ? {} : { firewallId: call.firewallId }),
        actor: session.actor,
        userId: session.userId,
        ip,
      });
    }
  } catch (error) {
    if (error instanceof DatabaseError) return jsonError(500, `The export could not be recorded: ${error.message}`);
    throw error;
  }

  if (call.as === "json" || file === undefined)
    return Response.json({ ...summary, files: plan.files }, { headers: { "X-Export-Logged": String(logged) } });
  return new Response(file.content, {
    status: 200,
    headers: {
      "X-Export-Logged": String(logged),
      "Content-Type": file.mime,
      "Content-Disposition": `attachment; filename="${file.name}"`,
      "X-Export-Entries": String(plan.entryCount),
      "X-Catalog-Version": String(catalog.version.version),
      "X-Export-Warnings": asciiJson(plan.warnings),
    },
  });
}

/** JSON with every non-ASCII character escaped, so it is a valid HTTP header value. */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
