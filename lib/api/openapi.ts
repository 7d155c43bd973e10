/**
 * The OpenAPI 3.1 document of /api/v1, generated from the zod schemas the handlers parse with (z.toJSONSchema, input
 * side: what a client sends). Served at /api/v1/openapi.json and shown at /help/api; lib/api/openapi.test.ts fails when
 * a route file and this table disagree (paths, methods, request schemas).
 */
import { z } from "zod";
import { importRequestSchema } from "../catalog/import-schema";
import { exportOptionsSchema } from "../export/prepare";
import { exportFormatIds } from "../export/registry";
import { feedSchema } from "../feeds/schema";
import { firewallSchemas } from "../firewall/schema";
import { webhookSchema } from "../notify/schema";
import { controlSchema, missingFromSchema } from "./export";
import { diffRequestSchema, listQuerySchema } from "./firewalls";
import { apiAuthorize, jsonError } from "./respond";
import { traceSchema } from "./trace";
import { getCurrentCatalog } from "../db/catalog";
import { getDb } from "../db/client";
import { ensureAppDatabase } from "../db/ready";

export type HttpMethod = "get" | "post" | "put" | "delete";
type JsonSchema = Record<string, unknown>;

export interface ApiOperation {
  readonly path: string;
  readonly method: HttpMethod;
  readonly summary: string;
  readonly tag: string;
  /** The permission the handler checks (lib/auth/permissions.ts); "none" for the one route open to anyone. */
  readonly permission: string;
  /** The JSON body, as the handler parses it. */
  readonly body?: z.ZodType;
  /** Other body types the handler reads (a text body carries `text`; the other fields come from the query). */
  readonly textBody?: boolean;
  /** Query parameters, as the handler parses them. */
  readonly query?: z.ZodObject;
  /** Status of a success. */
  readonly success: number;
}

/** The body of POST /api/v1/export: its control fields, the export options and missingFrom, as the handler reads them. */
export function exportBodySchema() {
  return z.object({
    format: z.enum(exportFormatIds),
    regions: z.union([z.string(), z.array(z.string())]).optional(),
    ...controlSchema.shape,
    ...exportOptionsSchema.in.shape,
    missingFrom: missingFromSchema.optional(),
  });
}

/** Every operation of /api/v1. Region-dependent schemas are built for the catalog's regions. */
export function apiOperations(regions: readonly string[]): readonly ApiOperation[] {
  const fw = firewallSchemas(regions);
  return [
    {
      path: "/api/v1/health",
      method: "get",
      tag: "meta",
      summary: "Whether the app and its database answer (no sign-in needed; 503 when the database is not usable)",
      permission: "none",
      success: 200,
    },
    {
      path: "/api/v1/openapi.json",
      method: "get",
      tag: "meta",
      summary: "This document",
      permission: "catalog:read",
      success: 200,
    },
    {
      path: "/api/v1/catalog/versions",
      method: "get",
      tag: "catalog",
      summary: "List the catalog versions",
      permission: "catalog:read",
      success: 200,
    },
    {
      path: "/api/v1/catalog/versions/{version}",
      method: "get",
      tag: "catalog",
      summary: "One catalog version with its entries",
      permission: "catalog:read",
      success: 200,
    },
    {
      path: "/api/v1/catalog/diff",
      method: "get",
      tag: "catalog",
      summary: "What changed between two catalog versions (?from=&to=)",
      permission: "catalog:read",
      success: 200,
    },
    {
      path: "/api/v1/catalog/import",
      method: "post",
      tag: "catalog",
      summary: "Import a new catalog version (JSON, or the page as text/html or text/plain)",
      permission: "catalog:import",
      body: importRequestSchema,
      textBody: true,
      success: 201,
    },
    {
      path: "/api/v1/diff",
      method: "post",
      tag: "diff",
      summary: "Diff a firewall config or list against the published NAT IPs",
      permission: "diff:run",
      body: diffRequestSchema(regions),
      textBody: true,
      success: 200,
    },
    {
      path: "/api/v1/trace",
      method: "post",
      tag: "diff",
      summary: "Trace one address through a config: the rules met, which matched, which decided",
      permission: "diff:run",
      body: traceSchema,
      textBody: true,
      success: 200,
    },
    {
      path: "/api/v1/export",
      method: "get",
      tag: "export",
      summary: "Export the full allowlist of the chosen regions (the body's fields as query parameters)",
      permission: "export:create",
      success: 200,
    },
    {
      path: "/api/v1/export",
      method: "post",
      tag: "export",
      summary: "Export the full allowlist, or only what a list is missing (missingFrom)",
      permission: "export:create",
      body: exportBodySchema(),
      success: 200,
    },
    {
      path: "/api/v1/firewalls",
      method: "get",
      tag: "firewalls",
      summary: "List saved firewalls with their status",
      permission: "firewall:read",
      query: listQuerySchema,
      success: 200,
    },
    {
      path: "/api/v1/firewalls",
      method: "post",
      tag: "firewalls",
      summary: "Save a firewall (revision 1)",
      permission: "firewall:write",
      body: fw.create,
      success: 201,
    },
    {
      path: "/api/v1/firewalls/{id}",
      method: "get",
      tag: "firewalls",
      summary: "A saved firewall and its latest revision",
      permission: "firewall:read",
      success: 200,
    },
    {
      path: "/api/v1/firewalls/{id}",
      method: "put",
      tag: "firewalls",
      summary: "Save a new revision (409 when baseRevision is not the latest)",
      permission: "firewall:write",
      body: fw.revision,
      success: 200,
    },
    {
      path: "/api/v1/firewalls/{id}",
      method: "delete",
      tag: "firewalls",
      summary: "Delete a firewall and all its revisions",
      permission: "firewall:write",
      success: 204,
    },
    {
      path: "/api/v1/firewalls/{id}/diff",
      method: "get",
      tag: "firewalls",
      summary: "The diff report of a saved firewall",
      permission: "diff:run",
      query: fw.diffOverrides,
      success: 200,
    },
    {
      path: "/api/v1/firewalls/{id}/alignment",
      method: "get",
      tag: "firewalls",
      summary: "What the firewall needs after a catalog change",
      permission: "firewall:read",
      success: 200,
    },
    {
      path: "/api/v1/firewalls/{id}/bring-in-line",
      method: "get",
      tag: "firewalls",
      summary: "The additions that bring the firewall in line, in an export format",
      permission: "export:create",
      success: 200,
    },
    {
      path: "/api/v1/feeds",
      method: "get",
      tag: "feeds",
      summary: "List feeds",
      permission: "feed:read",
      success: 200,
    },
    {
      path: "/api/v1/feeds",
      method: "post",
      tag: "feeds",
      summary: "Create a feed (its token is shown once)",
      permission: "feed:write",
      body: feedSchema(regions),
      success: 201,
    },
    {
      path: "/api/v1/feeds/{id}",
      method: "get",
      tag: "feeds",
      summary: "One feed and its last poll",
      permission: "feed:read",
      success: 200,
    },
    {
      path: "/api/v1/feeds/{id}",
      method: "delete",
      tag: "feeds",
      summary: "Delete a feed",
      permission: "feed:write",
      success: 204,
    },
    {
      path: "/api/v1/feeds/{id}/revoke",
      method: "post",
      tag: "feeds",
      summary: "Revoke a feed's token (polls answer 401)",
      permission: "feed:write",
      success: 200,
    },
    {
      path: "/api/v1/feeds/{id}/rotate",
      method: "post",
      tag: "feeds",
      summary: "Replace a feed's token",
      permission: "feed:write",
      success: 200,
    },
    {
      path: "/api/v1/webhooks",
      method: "get",
      tag: "notifications",
      summary: "List webhooks",
      permission: "notification:read",
      success: 200,
    },
    {
      path: "/api/v1/webhooks",
      method: "post",
      tag: "notifications",
      summary: "Add a webhook (its signing secret is shown once)",
      permission: "notification:write",
      body: webhookSchema(regions),
      success: 201,
    },
    {
      path: "/api/v1/webhooks/{id}",
      method: "delete",
      tag: "notifications",
      summary: "Remove a webhook",
      permission: "notification:write",
      success: 204,
    },
    {
      path: "/api/v1/notifications",
      method: "get",
      tag: "notifications",
      summary: "The delivery log of webhooks and e-mail",
      permission: "notification:read",
      success: 200,
    },
  ];
}

/** A zod schema as JSON Schema 2020-12 (OpenAPI 3.1's dialect), the input side: what a client sends. */
export function requestJsonSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io: "input",
    unrepresentable: "any",
    target: "draft-2020-12",
  }) as JsonSchema;
  return rest;
}

const ERROR_SCHEMA: JsonSchema = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["status", "code", "message"],
      properties: {
        status: { type: "integer" },
        code: { type: "string" },
        message: { type: "string" },
        issues: {
          type: "array",
          items: {
            type: "object",
            required: ["message"],
            properties: { path: { type: "string" }, line: { type: "integer" }, message: { type: "string" } },
          },
        },
      },
    },
  },
};

function queryParameters(query: z.ZodObject | undefined): JsonSchema[] {
  if (!query) return [];
  const schema = requestJsonSchema(query) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(schema.properties ?? {}).map(([name, s]) => ({
    name,
    in: "query",
    required: schema.required?.includes(name) ?? false,
    schema: s,
  }));
}

function pathParameters(path: string): JsonSchema[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => ({
    name: m[1],
    in: "path",
    required: true,
    schema: { type: "string", pattern: "^[1-9][0-9]{0,9}$" },
  }));
}

export function openApiDocument(regions: readonly string[]): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const op of apiOperations(regions)) {
    const content: Record<string, JsonSchema> = {};
    if (op.body) content["application/json"] = { schema: requestJsonSchema(op.body) };
    if (op.textBody) content["text/plain"] = { schema: { type: "string" } };
    const parameters = [...pathParameters(op.path), ...queryParameters(op.query)];
    (paths[op.path] ??= {})[op.method] = {
      operationId: `${op.method}${op.path
        .replace(/^\/api\/v1/, "")
        .replace(/\{(\w+)\}/g, "By-$1")
        .replace(/[/-](\w)/g, (_, c: string) => c.toUpperCase())}`,
      summary: op.summary,
      tags: [op.tag],
      description:
        op.permission === "none" ? "Open to anyone: no sign-in needed." : `Needs the ${op.permission} permission.`,
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(Object.keys(content).length > 0 ? { requestBody: { required: true, content } } : {}),
      responses: {
        [String(op.success)]:
          op.success === 204
            ? { description: "Done; no body." }
            : { description: "Success.", content: { "application/json": { schema: { type: "object" } } } },
        default: {
          description: "An error, in the API's one error shape.",
          content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
        },
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Allowlist Admin API",
      version: "1",
      description:
        "Diff firewall configs against a vendor's published NAT IPs, export rule sets, keep saved firewalls, feeds and notifications.",
    },
    servers: [{ url: "/" }],
    security: [{ bearer: [] }, {}],
    components: {
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          description: "A token from ALLOWLIST_API_TOKENS (its role decides writes).",
        },
      },
      schemas: { Error: ERROR_SCHEMA },
    },
    paths,
  };
}

/** The current catalog's region codes, for the schemas that name them. */
export async function currentRegions(): Promise<readonly string[]> {
  await ensureAppDatabase();
  return (await getCurrentCatalog(getDb())).regions.map((r) => r.code);
}

/** GET /api/v1/openapi.json: the document for the current catalog's regions. */
export async function openApiRoute(
  request: Request,
  loadRegions: () => Promise<readonly string[]> = currentRegions,
): Promise<Response> {
  const auth = await apiAuthorize(request, "catalog:read");
  if (!auth.ok) return auth.response;
  try {
    const regions = await loadRegions();
    return new Response(`${JSON.stringify(openApiDocument(regions), null, 2)}\n`, {
      headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-cache" },
    });
  } catch {
    return jsonError(503, "The catalog could not be read, so the document cannot list its regions.");
  }
}
