/**
 * REST handlers for catalog versions and imports (/api/v1/catalog/…). Plain Request → Response functions; the
 * route files re-export them. Each: session → permission → zod → lib/db → JSON or the one error shape.
 */
import { z } from "zod";
import { catalogChanges } from "../catalog/changes";
import { importRequestSchema, type ImportRequest } from "../catalog/import-schema";
import { getCatalogVersion, listCatalogVersions, type CatalogVersionSummary, type CurrentCatalog } from "../db/catalog";
import {
  confirmCatalogImport,
  MAX_DOCUMENT_BYTES,
  previewCatalogImport,
  type CatalogDocument,
  type ImportPreview,
} from "../db/catalog-import";
import { getDb, type Db } from "../db/client";
import type { FetchLimits } from "../catalog/fetch-document";
import { notifyCatalogChange } from "../notify/dispatch";
import { zodIssues } from "./errors";
import { apiAuthorize, jsonError, readBodyText } from "./respond";
import { guarded } from "./database";
import { recordAudit } from "../db/audit";
import { clientIp } from "../auth/client-ip";
import type { Session } from "../auth/permissions";

const versionNumber = z.coerce.number().int().positive().max(1_000_000_000);

function versionJson(v: CatalogVersionSummary) {
  return {
    version: v.version,
    importedAt: v.importedAt.toISOString(),
    source: v.source,
    checksum: v.checksum,
    note: v.note,
    entryCount: v.entryCount,
    links: { self: `/api/v1/catalog/versions/${v.version}` },
  };
}

/** GET /api/v1/catalog/versions — newest first. */
export async function listVersionsRoute(request: Request): Promise<Response> {
  const auth = await apiAuthorize(request, "catalog:read");
  if (!auth.ok) return auth.response;
  return guarded(async () => Response.json({ versions: (await listCatalogVersions(getDb())).map(versionJson) }));
}

function catalogJson(c: CurrentCatalog) {
  return {
    version: c.version.version,
    importedAt: c.version.importedAt.toISOString(),
    source: c.version.source,
    checksum: c.version.checksum,
    provider: c.provider,
    regions: c.regions,
    products: c.products,
    entries: c.entries.map((e) => ({ cidr: e.cidr, region: e.region, products: e.products })),
  };
}

/** GET /api/v1/catalog/versions/{n} — one version with its entries ("latest" for the newest). */
export async function getVersionRoute(
  request: Request,
  context: { params: Promise<{ version: string }> },
): Promise<Response> {
  const auth = await apiAuthorize(request, "catalog:read");
  if (!auth.ok) return auth.response;
  const raw = (await context.params).version;
  const n = raw === "latest" ? { success: true as const, data: undefined } : versionNumber.safeParse(raw);
  if (!n.success) return jsonError(404, `No catalog version "${raw}".`);
  return guarded(async () => {
    const catalog = await getCatalogVersion(getDb(), n.data);
    return catalog === null ? jsonError(404, `No catalog version ${raw}.`) : Response.json(catalogJson(catalog));
  });
}

/** GET /api/v1/catalog/diff?from=1&to=2 — `to` defaults to the newest, `from` to the one before `to`. */
export async function diffVersionsRoute(request: Request): Promise<Response> {
  const auth = await apiAuthorize(request, "catalog:read");
  if (!auth.ok) return auth.response;
  const query = new URL(request.url).searchParams;
  const parsed = z
    .object({ from: versionNumber.optional(), to: versionNumber.optional() })
    .safeParse({ from: query.get("from") ?? undefined, to: query.get("to") ?? undefined });
  if (!parsed.success) return jsonError(400, "from and to must be version numbers.", zodIssues(parsed.error.issues));
  return guarded(async () => {
    const db = getDb();
    const to = await getCatalogVersion(db, parsed.data.to);
    if (to === null) return jsonError(404, `No catalog version ${parsed.data.to}.`);
    const fromNumber = parsed.data.from ?? to.version.version - 1;
    const from = fromNumber >= 1 ? await getCatalogVersion(db, fromNumber) : null;
    if (from === null)
      return jsonError(
        404,
        fromNumber >= 1
          ? `No catalog version ${fromNumber}.`
          : `Version ${to.version.version} is the first: give from=.`,
      );
    const changes = catalogChanges(
      from.entries,
      to.entries,
      to.regions.map((r) => r.code),
    );
    return Response.json({ from: from.version.version, to: to.version.version, changes });
  });
}

function previewJson(p: ImportPreview) {
  return { ...p, confirm: { baseVersion: p.base.version, checksum: p.checksum } };
}

/** The import request of a body: JSON as importSchema, or the document itself (text/html, text/plain) with ?name=, ?baseVersion=, ?checksum=. */
async function readImportRequest(
  request: Request,
): Promise<{ ok: true; value: unknown } | { ok: false; response: Response }> {
  const type = request.headers.get("content-type") ?? "";
  const body = await readBodyText(request, MAX_DOCUMENT_BYTES * 2);
  if (!body.ok) return body;
  if (/^application\/(.+\+)?json\b/i.test(type)) {
    try {
      return { ok: true, value: JSON.parse(body.value) as unknown };
    } catch (error) {
      return {
        ok: false,
        response: jsonError(400, `The request body is not valid JSON: ${(error as Error).message}.`),
      };
    }
  }
  const q = new URL(request.url).searchParams;
  const base = q.get("baseVersion");
  const checksum = q.get("checksum");
  return {
    ok: true,
    value: {
      text: body.value,
      ...(type !== "" ? { contentType: type } : {}),
      ...(q.get("name") !== null ? { name: q.get("name") } : {}),
      ...(base !== null || checksum !== null ? { confirm: { baseVersion: Number(base), checksum } } : {}),
    },
  };
}

export type ImportOutcome =
  | { readonly kind: "preview"; readonly preview: ReturnType<typeof previewJson> }
  | {
      readonly kind: "created" | "unchanged";
      readonly version: VersionJson;
      readonly preview: ReturnType<typeof previewJson>;
    }
  | {
      readonly kind: "error";
      readonly status: 400 | 409 | 413 | 502;
      readonly message: string;
      readonly line?: number;
    };

type VersionJson = {
  readonly version: number;
  readonly importedAt: string;
  readonly source: string;
  readonly checksum: string;
};

/**
 * A validated import request, run: a preview, or (with `confirm`) the next version and its notifications.
 * Shared by the API route and the dashboard's server action; the caller has checked catalog:import.
 */
export async function performImport(
  db: Db,
  input: ImportRequest,
  limits: FetchLimits | undefined,
  who: { readonly session: Session; readonly ip: string | null },
): Promise<ImportOutcome> {
  if (input.text !== undefined && new TextEncoder().encode(input.text).byteLength > MAX_DOCUMENT_BYTES) {
    return {
      kind: "error",
      status: 413,
      message: `The document is larger than the limit of ${MAX_DOCUMENT_BYTES / (1024 * 1024)} MB.`,
    };
  }
  const doc: CatalogDocument =
    input.url !== undefined
      ? { kind: "url", url: input.url }
      : {
          kind: "text",
          text: input.text ?? "",
          ...(input.name ? { name: input.name } : {}),
          ...(input.contentType ? { contentType: input.contentType } : {}),
        };
  if (input.confirm === undefined) {
    const out = await previewCatalogImport(db, doc, limits);
    return out.ok ? { kind: "preview", preview: previewJson(out.preview) } : failure(out);
  }
  const out = await confirmCatalogImport(db, doc, input.confirm, limits);
  if (!out.ok) return out.reason === "stale" ? { kind: "error", status: 409, message: out.message } : failure(out);
  const version = {
    version: out.version.version,
    importedAt: out.version.importedAt.toISOString(),
    source: out.version.source,
    checksum: out.version.checksum,
  };
  if (!out.created) return { kind: "unchanged", version, preview: previewJson(out.preview) };
  await recordAudit(db, {
    action: "catalog.import",
    who: who.session,
    ip: who.ip,
    target: `catalog:v${version.version}`,
    details: {
      fromVersion: out.preview.base.version,
      version: version.version,
      source: version.source,
      checksum: version.checksum,
    },
  });
  await notifyCatalogChange(db, { from: out.preview.base.version, to: out.version.version });
  return { kind: "created", version, preview: previewJson(out.preview) };
}

function failure(out: { reason: "fetch" | "parse"; message: string; line?: number }): ImportOutcome {
  return out.reason === "fetch"
    ? { kind: "error", status: 502, message: out.message }
    : { kind: "error", status: 400, message: out.message, ...(out.line === undefined ? {} : { line: out.line }) };
}

/**
 * POST /api/v1/catalog/import — a preview (200) without `confirm`; with `confirm` (the preview's baseVersion and
 * checksum) the next version (201, Location) or "no change" (200, created false). 400 for a document that is not a
 * catalog (with its line), 409 when the preview went stale, 502 when the URL could not be fetched.
 */
export async function importRoute(
  request: Request,
  deps: { readonly fetchLimits?: FetchLimits } = {},
): Promise<Response> {
  const auth = await apiAuthorize(request, "catalog:import");
  if (!auth.ok) return auth.response;
  const raw = await readImportRequest(request);
  if (!raw.ok) return raw.response;
  const parsed = importRequestSchema.safeParse(raw.value);
  if (!parsed.success) return jsonError(400, "The import request is not valid.", zodIssues(parsed.error.issues));
  return guarded(async () => {
    const out = await performImport(getDb(), parsed.data, deps.fetchLimits, {
      session: auth.value,
      ip: clientIp(request.headers),
    });
    switch (out.kind) {
      case "preview":
        return Response.json({ preview: out.preview });
      case "unchanged":
        return Response.json({
          created: false,
          reason: out.preview.status,
          version: out.version,
          preview: out.preview,
        });
      case "created":
        return Response.json(
          { created: true, version: out.version, preview: out.preview },
          { status: 201, headers: { Location: `/api/v1/catalog/versions/${out.version.version}` } },
        );
      case "error":
        return jsonError(
          out.status,
          out.message,
          out.line === undefined ? undefined : [{ line: out.line, message: out.message }],
        );
    }
  });
}
