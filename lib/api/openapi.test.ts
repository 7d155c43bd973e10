import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, test } from "node:test";
import type { z } from "zod";
import { importRequestSchema } from "../catalog/import-schema";
import { feedSchema } from "../feeds/schema";
import { firewallSchemas } from "../firewall/schema";
import { webhookSchema } from "../notify/schema";
import { diffRequestSchema, listQuerySchema } from "./firewalls";
import { notAllowed } from "./guard";
import { apiOperations, exportBodySchema, openApiDocument, requestJsonSchema, type ApiOperation } from "./openapi";
import { traceSchema } from "./trace";

const REGIONS = ["US", "EU", "IN", "AU"] as const;
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/** Every app/api/v1 route file but the catch-all 404, as its URL path ([id] → {id}). */
function routeFiles(dir = "app/api/v1"): { file: string; path: string }[] {
  const out: { file: string; path: string }[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name.startsWith("[...")) continue;
      out.push(...routeFiles(full));
    } else if (entry.name === "route.ts") {
      const path = `/${relative("app", dir)}`.replace(/\[(\w+)\]/g, "{$1}");
      out.push({ file: full, path });
    }
  }
  return out;
}

/** "METHOD path" of every method a route file really handles (an export that only answers 405 is not one). */
async function routeMethods(): Promise<string[]> {
  const out: string[] = [];
  for (const { file, path } of routeFiles()) {
    const mod = (await import(pathToFileURL(join(process.cwd(), file)).href)) as Record<string, unknown>;
    for (const m of METHODS) if (typeof mod[m] === "function" && mod[m] !== notAllowed) out.push(`${m} ${path}`);
  }
  return out.sort();
}

type Doc = {
  paths: Record<
    string,
    Record<
      string,
      { requestBody?: { content: Record<string, { schema: unknown }> }; parameters?: { name: string; in: string }[] }
    >
  >;
};
const doc = openApiDocument(REGIONS) as unknown as Doc;

describe("the OpenAPI document", () => {
  test("every route file's methods are in the document, and the document lists no other", async () => {
    const documented = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    const routes = await routeMethods();
    assert.ok(routes.length >= 27, `found only ${routes.length} route methods`);
    assert.deepEqual(documented, routes);
  });

  test("request bodies are the handlers' own zod schemas, converted with z.toJSONSchema", () => {
    // The schema each handler parses its body with, imported from the handler's module (not from the document's table).
    const fw = firewallSchemas(REGIONS);
    const handlers: Record<string, z.ZodType> = {
      "post /api/v1/catalog/import": importRequestSchema,
      "post /api/v1/diff": diffRequestSchema(REGIONS),
      "post /api/v1/trace": traceSchema,
      "post /api/v1/export": exportBodySchema(),
      "post /api/v1/firewalls": fw.create,
      "put /api/v1/firewalls/{id}": fw.revision,
      "post /api/v1/feeds": feedSchema(REGIONS),
      "post /api/v1/webhooks": webhookSchema(REGIONS),
    };
    const withBody = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => op.requestBody?.content["application/json"] !== undefined)
        .map(([m, op]) => [`${m} ${path}`, op.requestBody?.content["application/json"]?.schema] as const),
    );
    assert.deepEqual(withBody.map(([k]) => k).sort(), Object.keys(handlers).sort());
    for (const [key, schema] of withBody) assert.deepEqual(schema, requestJsonSchema(handlers[key] as z.ZodType), key);
  });

  test("the body schemas hold the fields a client sends, with what is required", () => {
    const body = (key: string) => {
      const [method, path] = key.split(" ") as [string, string];
      return doc.paths[path]?.[method]?.requestBody?.content["application/json"]?.schema as {
        required?: string[];
        properties: Record<string, unknown>;
      };
    };
    assert.deepEqual(Object.keys(body("post /api/v1/firewalls").properties), [
      "name",
      "description",
      "text",
      "format",
      "regions",
      "port",
      "note",
    ]);
    assert.deepEqual(body("post /api/v1/firewalls").required, ["name", "text", "regions"]);
    assert.deepEqual(body("put /api/v1/firewalls/{id}").required, ["baseRevision", "text", "regions"]);
    assert.deepEqual(Object.keys(body("post /api/v1/diff").properties), [
      "text",
      "format",
      "regions",
      "port",
      "path",
      "ingress",
    ]);
    assert.deepEqual(body("post /api/v1/diff").required, ["text"]);
    assert.deepEqual(body("post /api/v1/trace").required, ["text", "address"]);
    assert.deepEqual(body("post /api/v1/export").required, ["format"]);
  });

  test("query and path parameters come from the handlers' schemas and the route's segments", () => {
    const list = doc.paths["/api/v1/firewalls"]?.get?.parameters?.map((p) => `${p.in}:${p.name}`);
    assert.deepEqual(
      list,
      Object.keys(listQuerySchema.shape).map((k) => `query:${k}`),
    );
    assert.deepEqual(
      doc.paths["/api/v1/firewalls/{id}/diff"]?.get?.parameters?.map((p) => `${p.in}:${p.name}`),
      ["path:id", "query:regions", "query:port"],
    );
    for (const [path, ops] of Object.entries(doc.paths)) {
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const op of Object.values(ops))
        assert.deepEqual(op.parameters?.filter((p) => p.in === "path").map((p) => p.name) ?? [], names, path);
    }
  });

  test("operations are unique and the document says it is OpenAPI 3.1", () => {
    const ops: readonly ApiOperation[] = apiOperations(REGIONS);
    assert.equal(new Set(ops.map((o) => `${o.method} ${o.path}`)).size, ops.length);
    const full = openApiDocument(REGIONS) as { openapi: string; info: { title: string } };
    assert.equal(full.openapi, "3.1.0");
    assert.equal(full.info.title, "Allowlist Admin API");
  });
});
