/**
 * REST handlers for saved firewalls and diffs (/api/v1/firewalls…, /api/v1/diff). The route files re-export these;
 * they take a Request and return a Response, so tests call them directly against a real database.
 * Each one: session → permission → zod safeParse → lib/db → typed JSON or the one error shape.
 */
import { getCurrentCatalog, type CurrentCatalog } from "../db/catalog";
import { getDb } from "../db/client";
import { z } from "zod";
import {
  createFirewall,
  decodeFirewallCursor,
  FIREWALL_PAGE_DEFAULT,
  FIREWALL_PAGE_MAX,
  deleteFirewall,
  getFirewall,
  getFirewallStatuses,
  listFirewalls,
  saveFirewallRevision,
  type FirewallSummary,
  type FirewallWithHead,
  type WriteResult,
} from "../db/firewall";
import { ensureAppDatabase } from "../db/ready";

import { firewallIdSchema, firewallSchemas, FIREWALL_LIMITS, isTextTooLarge, resolveFormat } from "../firewall/schema";
import { statusLabel, type FirewallStatus } from "../firewall/status";
import type { Alignment } from "../firewall/alignment";
import { listFirewallAlignments } from "../db/firewall-alignment";
import { zodIssues } from "./errors";
import { diffReportResponse } from "./diff-pool";
import { checkJsonWrite, refuseCrossSite } from "./guard";
import { busyResponse, HEAVY_BYTES, heavyGate, isHeavyRequest } from "./heavy";
import type { ParseOptions } from "../parse/types";
import { parseOptionsOf, pathOverrides } from "../parse/path-schema";
import { apiAuthorize, formatBytes, jsonError, readBodyText, readJsonBody } from "./respond";
import { guarded } from "./database";
import { auditFirewall } from "../db/audit";
import { clientIp } from "../auth/client-ip";

type IdContext = { params: Promise<{ id: string }> };

/** JSON escapes (\n, \", \uXXXX) can make the body much longer than the text it carries; the text itself is
 *  checked against the 20 MB limit after parsing. */
const JSON_BODY_LIMIT = FIREWALL_LIMITS.textBytes * 2 + 1024 * 1024;

const TOO_LARGE = `The text is larger than the limit of ${formatBytes(FIREWALL_LIMITS.textBytes)}.`;

async function loadCatalog(): Promise<CurrentCatalog> {
  await ensureAppDatabase();
  return getCurrentCatalog(getDb());
}

function statusJson(s: FirewallStatus | undefined) {
  return s ? { label: statusLabel(s), ...s } : null;
}

/** Against the newest catalog version: the state, its label, and how many additions and stale lines. */
function alignmentJson(a: Alignment | undefined) {
  return a
    ? {
        state: a.state,
        label: a.label,
        catalogVersion: a.catalogVersion,
        additions: a.additions.length,
        stale: a.stale.length,
      }
    : null;
}

function firewallJson(
  f: FirewallSummary | FirewallWithHead,
  status: FirewallStatus | undefined,
  alignment?: Alignment,
) {
  return {
    id: f.id,
    name: f.name,
    description: f.description,
    headRevision: f.headRevision,
    format: f.head.format,
    regions: f.head.regions,
    port: f.head.port,
    createdAt: f.createdAt.toISOString(),
    updatedAt: f.updatedAt.toISOString(),
    status: statusJson(status),
    ...(alignment !== undefined ? { alignment: alignmentJson(alignment) } : {}),
    links: { self: `/api/v1/firewalls/${f.id}`, diff: `/api/v1/firewalls/${f.id}/diff`, page: `/firewalls/${f.id}` },
  };
}

function detailJson(f: FirewallWithHead, status: FirewallStatus | undefined) {
  const { head } = f;
  return {
    ...firewallJson(f, status),
    head: {
      number: head.number,
      text: head.text,
      format: head.format,
      regions: head.regions,
      port: head.port,
      note: head.note,
      createdAt: head.createdAt.toISOString(),
    },
  };
}

async function withStatus(catalog: CurrentCatalog, f: FirewallWithHead) {
  const statuses = await getFirewallStatuses(getDb(), catalog, [f.head]);
  return detailJson(f, statuses.get(f.head.id));
}

function refusal(result: Exclude<WriteResult<unknown>, { ok: true }>, baseRevision?: number): Response {
  switch (result.reason) {
    case "not-found":
      return jsonError(404, "No such firewall.");
    case "name-taken":
      return jsonError(409, `A firewall named "${result.name}" already exists (names are unique regardless of case).`, [
        { path: "name", message: "This name is taken." },
      ]);
    case "conflict":
      return jsonError(
        409,
        `Revision ${result.head} is the latest, but this save was based on revision ${baseRevision ?? "?"}: fetch the firewall, review the changes, and send baseRevision ${result.head}.`,
        [{ path: "baseRevision", message: `Stale: the head is revision ${result.head}.` }],
      );
  }
}

/** A body whose "text" field is over the limit is 413, not 400: the caller must split it, not fix a typo. */
function textTooLarge(body: unknown): boolean {
  return (
    typeof body === "object" &&
    body !== null &&
    "text" in body &&
    typeof body.text === "string" &&
    isTextTooLarge(body.text)
  );
}

function parseId(raw: string): number | null {
  const id = firewallIdSchema.safeParse(raw);
  return id.success ? id.data : null;
}

export const listQuerySchema = z.strictObject({
  limit: z.coerce
    .number({ message: `Limit must be a whole number from 1 to ${FIREWALL_PAGE_MAX}.` })
    .int({ message: `Limit must be a whole number from 1 to ${FIREWALL_PAGE_MAX}.` })
    .min(1, { message: `Limit must be a whole number from 1 to ${FIREWALL_PAGE_MAX}.` })
    .max(FIREWALL_PAGE_MAX, { message: `Limit must be a whole number from 1 to ${FIREWALL_PAGE_MAX}.` })
    .default(FIREWALL_PAGE_DEFAULT),
  cursor: z
    .string()
    .refine((c) => decodeFirewallCursor(c) !== null, {
      message: "Not a cursor from this API: pass nextCursor of the previous page as it came.",
    })
    .optional(),
  q: z.string().max(200, { message: "The search is at most 200 characters." }).optional(),
});

/** GET /api/v1/firewalls?limit=100&cursor=…&q=… — one page by name; nextCursor (and links.next) for the next one. */
export async function listFirewallsRoute(request: Request): Promise<Response> {
  const auth = await apiAuthorize(request, "firewall:read");
  if (!auth.ok) return auth.response;
  const params = new URL(request.url).searchParams;
  const query = listQuerySchema.safeParse(Object.fromEntries(params));
  if (!query.success) return jsonError(400, "The query parameters are not valid.", zodIssues(query.error.issues));
  const { limit, cursor, q } = query.data;
  return guarded(async () => {
    const catalog = await loadCatalog();
    const db = getDb();
    const page = await listFirewalls(db, {
      limit,
      ...(cursor !== undefined ? { cursor } : {}),
      ...(q !== undefined ? { search: q } : {}),
    });
    const [statuses, aligned] = await Promise.all([
      getFirewallStatuses(
        db,
        catalog,
        page.firewalls.map((f) => f.head),
      ),
      listFirewallAlignments(
        db,
        catalog,
        page.firewalls.map((f) => f.id),
      ),
    ]);
    const alignmentOf = new Map(aligned.map((a) => [a.id, a.alignment]));
    const next = new URLSearchParams({
      ...(q ? { q } : {}),
      limit: String(limit),
      ...(page.nextCursor ? { cursor: page.nextCursor } : {}),
    });
    return Response.json({
      catalogVersion: catalog.version.version,
      firewalls: page.firewalls.map((f) => firewallJson(f, statuses.get(f.head.id), alignmentOf.get(f.id))),
      nextCursor: page.nextCursor,
      links: { next: page.nextCursor ? `/api/v1/firewalls?${next}` : null },
    });
  });
}

/** POST /api/v1/firewalls — 201 with Location. */
export async function createFirewallRoute(request: Request): Promise<Response> {
  const refused = checkJsonWrite(request);
  if (refused) return refused;
  const auth = await apiAuthorize(request, "firewall:write");
  if (!auth.ok) return auth.response;
  const body = await readJsonBody(request, JSON_BODY_LIMIT);
  if (!body.ok) return body.response;
  if (textTooLarge(body.value)) return jsonError(413, TOO_LARGE);
  return guarded(async () => {
    const catalog = await loadCatalog();
    const parsed = firewallSchemas(catalog.regions.map((r) => r.code)).create.safeParse(body.value);
    if (!parsed.success) return jsonError(400, "The firewall is not valid.", zodIssues(parsed.error.issues));
    const input = parsed.data;
    const result = await createFirewall(getDb(), { ...input, format: resolveFormat(input.text, input.format) });
    if (!result.ok) return refusal(result);
    await auditFirewall(getDb(), "firewall.create", auth.value, clientIp(request.headers), null, result.value);
    const json = await withStatus(catalog, result.value);
    return Response.json(json, { status: 201, headers: { Location: json.links.self } });
  });
}

/** GET /api/v1/firewalls/{id} — with the head revision's text. */
export async function getFirewallRoute(request: Request, context: IdContext): Promise<Response> {
  const auth = await apiAuthorize(request, "firewall:read");
  if (!auth.ok) return auth.response;
  const id = parseId((await context.params).id);
  if (id === null) return jsonError(404, "No such firewall.");
  return guarded(async () => {
    const catalog = await loadCatalog();
    const firewall = await getFirewall(getDb(), id);
    if (firewall === null) return jsonError(404, "No such firewall.");
    return Response.json(await withStatus(catalog, firewall));
  });
}

/** PUT /api/v1/firewalls/{id} — a new revision; 409 when baseRevision is not the head. */
export async function putFirewallRoute(request: Request, context: IdContext): Promise<Response> {
  const refused = checkJsonWrite(request);
  if (refused) return refused;
  const auth = await apiAuthorize(request, "firewall:write");
  if (!auth.ok) return auth.response;
  const id = parseId((await context.params).id);
  if (id === null) return jsonError(404, "No such firewall.");
  const body = await readJsonBody(request, JSON_BODY_LIMIT);
  if (!body.ok) return body.response;
  if (textTooLarge(body.value)) return jsonError(413, TOO_LARGE);
  return guarded(async () => {
    const catalog = await loadCatalog();
    const parsed = firewallSchemas(catalog.regions.map((r) => r.code)).revision.safeParse(body.value);
    if (!parsed.success) return jsonError(400, "The revision is not valid.", zodIssues(parsed.error.issues));
    const input = parsed.data;
    const before = await getFirewall(getDb(), id);
    const result = await saveFirewallRevision(getDb(), id, {
      ...input,
      format: resolveFormat(input.text, input.format),
    });
    if (!result.ok) return refusal(result, input.baseRevision);
    await auditFirewall(getDb(), "firewall.edit", auth.value, clientIp(request.headers), before, result.value);
    return Response.json(await withStatus(catalog, result.value));
  });
}

/** DELETE /api/v1/firewalls/{id} — 204. */
export async function deleteFirewallRoute(request: Request, context: IdContext): Promise<Response> {
  const refused = refuseCrossSite(request);
  if (refused) return refused;
  const auth = await apiAuthorize(request, "firewall:write");
  if (!auth.ok) return auth.response;
  const id = parseId((await context.params).id);
  if (id === null) return jsonError(404, "No such firewall.");
  return guarded(async () => {
    await ensureAppDatabase();
    const before = await getFirewall(getDb(), id);
    if (!(await deleteFirewall(getDb(), id))) return jsonError(404, "No such firewall.");
    await auditFirewall(getDb(), "firewall.delete", auth.value, clientIp(request.headers), before, null);
    return new Response(null, { status: 204 });
  });
}

/** The report, streamed; big ones (holding `release`, a heavy-work slot, freed when the body is done) in a worker. */
function reportResponse(
  text: string,
  format: string,
  regions: readonly string[],
  port: number,
  catalog: CurrentCatalog,
  options: ParseOptions,
  release?: () => void,
  refuseUnusable = false,
): Promise<Response> {
  return diffReportResponse(
    {
      text,
      format,
      regions,
      port,
      options,
      catalog: catalog.entries,
      catalogVersion: catalog.version.version,
      refuseUnusable,
    },
    { headers: { "Content-Type": "application/json; charset=utf-8" } },
    release,
    release !== undefined,
  );
}

/**
 * GET /api/v1/firewalls/{id}/diff — the `allowlist diff --json` report of the head revision; ?regions= and ?port=
 * override the revision's own, ?path= and ?ingress= what the parser detects.
 */
export async function firewallDiffRoute(request: Request, context: IdContext): Promise<Response> {
  const auth = await apiAuthorize(request, "diff:run");
  if (!auth.ok) return auth.response;
  const id = parseId((await context.params).id);
  if (id === null) return jsonError(404, "No such firewall.");
  return guarded(async () => {
    const catalog = await loadCatalog();
    const firewall = await getFirewall(getDb(), id);
    if (firewall === null) return jsonError(404, "No such firewall.");
    const query = new URL(request.url).searchParams;
    const overrides = firewallSchemas(catalog.regions.map((r) => r.code))
      .diffOverrides.extend(pathOverrides.shape)
      .safeParse({
        regions: query.get("regions") ?? undefined,
        port: query.get("port") ?? undefined,
        path: query.get("path") ?? undefined,
        ingress: query.get("ingress") ?? undefined,
      });
    if (!overrides.success)
      return jsonError(400, "The query parameters are not valid.", zodIssues(overrides.error.issues));
    const { head } = firewall;
    let release: (() => void) | undefined;
    if (head.text.length > HEAVY_BYTES / 2) {
      const entered = await heavyGate().enter();
      if (entered === null) return busyResponse();
      release = entered;
    }
    return reportResponse(
      head.text,
      head.format,
      overrides.data.regions ?? head.regions,
      overrides.data.port ?? head.port,
      catalog,
      parseOptionsOf(overrides.data),
      release,
    );
  });
}

function unreadType(type: string): string {
  return `The diff reads a text/plain body (curl --data-binary @FILE -H "Content-Type: text/plain") or JSON { text } (not ${type.slice(0, 100)}).`;
}

/**
 * POST /api/v1/diff — a text/plain body (format, regions, port, path and ingress from the query string) or JSON
 * { text, format?, regions?, port?, path?, ingress? }; answers the `allowlist diff --json` report. 413 past 20 MB.
 */
/** POST /api/v1/diff's body (and its query fields for a text body): the OpenAPI document is generated from it too. */
export function diffRequestSchema(knownRegions: readonly string[]) {
  return firewallSchemas(knownRegions).diff.extend(pathOverrides.shape);
}

export async function postDiffRoute(request: Request): Promise<Response> {
  const refused = refuseCrossSite(request);
  if (refused) return refused;
  const auth = await apiAuthorize(request, "diff:run");
  if (!auth.ok) return auth.response;
  // A big body waits for a heavy-work slot before it is read: memory in flight stays bounded.
  let release: (() => void) | undefined;
  if (isHeavyRequest(request)) {
    const entered = await heavyGate().enter();
    if (entered === null) return busyResponse();
    release = entered;
  }
  let handedOver = false;
  try {
    const type = request.headers.get("content-type") ?? "";
    const isJson = /^application\/(.+\+)?json\b/i.test(type);
    // The body is read as the text itself (text/*, or no type) or JSON. A form encoding is not read: curl -d strips the
    // newlines and percent-encodes, so reading it as text would turn a list into one unreadable line.
    if (!isJson && type !== "" && !/^text\//i.test(type)) return jsonError(415, unreadType(type));
    let input: unknown;
    if (isJson) {
      const body = await readJsonBody(request, JSON_BODY_LIMIT);
      if (!body.ok) return body.response;
      if (textTooLarge(body.value)) return jsonError(413, TOO_LARGE);
      input = body.value;
    } else {
      const body = await readBodyText(request, FIREWALL_LIMITS.textBytes);
      if (!body.ok) return body.response;
      const query = new URL(request.url).searchParams;
      input = {
        text: body.value,
        format: query.get("format") ?? undefined,
        regions: query.get("regions") ?? undefined,
        port: query.get("port") ?? undefined,
        path: query.get("path") ?? undefined,
        ingress: query.get("ingress") ?? undefined,
      };
    }
    return await guarded(async () => {
      const catalog = await loadCatalog();
      const parsed = diffRequestSchema(catalog.regions.map((r) => r.code)).safeParse(input);
      if (!parsed.success) return jsonError(400, "The diff request is not valid.", zodIssues(parsed.error.issues));
      const { text, format, regions, port } = parsed.data;
      handedOver = true;
      // Text in which nothing was recognised is 422, not a report of everything missing (lib/diff/run.ts).
      return await reportResponse(text, format, regions, port, catalog, parseOptionsOf(parsed.data), release, true);
    });
  } finally {
    if (!handedOver) release?.();
  }
}
