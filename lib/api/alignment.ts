/**
 * A saved firewall against the newest catalog version: GET /api/v1/firewalls/{id}/alignment (its status: what to
 * add, which lines allow only retired addresses) and GET /api/v1/firewalls/{id}/bring-in-line?format=… (exactly the
 * change that brings it in line: the additions through the existing exporters, the removals as a list).
 */
import { z } from "zod";
import { getCurrentCatalog } from "../db/catalog";
import { getDb, type Db } from "../db/client";
import { createExportRecord } from "../db/export-record";
import { getFirewall } from "../db/firewall";
import { listFirewallAlignments } from "../db/firewall-alignment";
import { ensureAppDatabase } from "../db/ready";
import { removalList, type Alignment } from "../firewall/alignment";
import { firewallIdSchema } from "../firewall/schema";
import { zodIssues } from "./errors";
import { isExportFormatId, storedExportOptions } from "../export/describe";
import { exportOptionKeys, planExportRequest } from "./export-plan";
import { apiAuthorize, jsonError } from "./respond";
import { guarded } from "./database";

type IdContext = { params: Promise<{ id: string }> };

export function alignmentJson(a: Alignment) {
  return {
    catalogVersion: a.catalogVersion,
    state: a.state,
    label: a.label,
    additions: a.additions.map((e) => ({ cidr: e.cidr, region: e.region })),
    stale: a.stale,
  };
}

async function load(request: Request, context: IdContext, permission: "firewall:read" | "export:create") {
  const auth = await apiAuthorize(request, permission);
  if (!auth.ok) return { ok: false as const, response: auth.response };
  const id = firewallIdSchema.safeParse((await context.params).id);
  if (!id.success) return { ok: false as const, response: jsonError(404, "No such firewall.") };
  await ensureAppDatabase();
  const db = getDb();
  const catalog = await getCurrentCatalog(db);
  const [found] = await listFirewallAlignments(db, catalog, [id.data]);
  if (found === undefined) return { ok: false as const, response: jsonError(404, "No such firewall.") };
  return { ok: true as const, session: auth.value, db, catalog, found };
}

/** GET /api/v1/firewalls/{id}/alignment */
export function alignmentRoute(request: Request, context: IdContext): Promise<Response> {
  return guarded(async () => {
    const l = await load(request, context, "firewall:read");
    if (!l.ok) return l.response;
    return Response.json({
      id: l.found.id,
      name: l.found.name,
      ...alignmentJson(l.found.alignment),
      links: { bringInLine: `/api/v1/firewalls/${l.found.id}/bring-in-line?format=plain` },
    });
  });
}

const querySchema = z
  .object({ format: z.string().default("plain"), regions: z.string().optional() })
  .catchall(z.string());

export type BringInLineResult =
  | { readonly ok: true; readonly value: ReturnType<typeof bringInLineJson> }
  | {
      readonly ok: false;
      readonly status: 400 | 404;
      readonly message: string;
      readonly issues?: readonly { path?: string; message: string }[];
    };

function bringInLineJson(
  firewall: { id: number; name: string; headRevision: number },
  catalogVersion: number,
  alignment: Alignment,
  plan: Extract<ReturnType<typeof planExportRequest>, { ok: true }>,
) {
  const removals = removalList(alignment, firewall.name);
  return {
    firewall: { id: firewall.id, name: firewall.name, headRevision: firewall.headRevision },
    catalogVersion,
    label: alignment.label,
    format: plan.format,
    additions: { entryCount: plan.entryCount, files: plan.files, warnings: plan.warnings },
    removals: {
      lines: alignment.stale,
      file:
        removals === ""
          ? null
          : {
              name: `${firewall.name.replace(/[^A-Za-z0-9._-]+/g, "-")}-remove.txt`,
              mime: "text/plain",
              content: removals,
            },
    },
  };
}

/**
 * Exactly the change that brings firewall `id` in line with the newest version: the published entries it misses,
 * rendered by the exporter of `format` (exports only add, by design), and the stale lines to delete as a list.
 * Recorded in the export log when there is something to add. Shared by the API and the dashboard's action.
 */
export async function bringInLine(
  db: Db,
  id: number,
  request: { readonly format: string; readonly regions?: string; readonly options: Readonly<Record<string, unknown>> },
  who: { readonly actor: string; readonly userId?: string | null; readonly channel: "api" | "download" },
): Promise<BringInLineResult> {
  const catalog = await getCurrentCatalog(db);
  const [found] = await listFirewallAlignments(db, catalog, [id]);
  const firewall = found ? await getFirewall(db, id) : null;
  if (!found || firewall === null) return { ok: false, status: 404, message: "No such firewall." };
  const format = request.format.toLowerCase();
  if (!isExportFormatId(format))
    return {
      ok: false,
      status: 400,
      message: `Unknown export format "${format}".`,
      issues: [{ path: "format", message: "unknown format" }],
    };
  const plan = planExportRequest(
    {
      providerName: catalog.provider.name,
      version: catalog.version.version,
      checksum: catalog.version.checksum,
      regionCodes: catalog.regions.map((r) => r.code),
      catalog,
    },
    {
      format,
      regions: request.regions,
      fallbackRegions: firewall.head.regions,
      options: request.options,
      missingFrom: { text: firewall.head.text, format: firewall.head.format },
    },
  );
  if (!plan.ok) return { ok: false, status: 400, message: plan.message, issues: plan.issues };
  if (plan.files.length > 0) {
    await createExportRecord(db, {
      format: plan.format,
      scope: plan.options.scope,
      options: JSON.stringify(storedExportOptions(plan.options)),
      catalogVersion: catalog.version.version,
      provider: catalog.provider.slug,
      entryCount: plan.entryCount,
      regions: plan.regions,
      channel: who.channel,
      source: "firewall",
      firewallId: firewall.id,
      actor: who.actor,
      userId: who.userId ?? null,
    });
  }
  return { ok: true, value: bringInLineJson(firewall, catalog.version.version, found.alignment, plan) };
}

/**
 * GET /api/v1/firewalls/{id}/bring-in-line?format=nftables[&ports=…] — JSON { format, additions: { entryCount, files },
 * removals: { lines, file } }. Exports are additive by design, so removals come as the list of lines to delete.
 */
export function bringInLineRoute(request: Request, context: IdContext): Promise<Response> {
  return guarded(async () => {
    const auth = await apiAuthorize(request, "export:create");
    if (!auth.ok) return auth.response;
    const id = firewallIdSchema.safeParse((await context.params).id);
    if (!id.success) return jsonError(404, "No such firewall.");
    const query = querySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!query.success) return jsonError(400, "Invalid request.", zodIssues(query.error.issues));
    const options: Record<string, unknown> = {};
    for (const k of exportOptionKeys) if (query.data[k] !== undefined) options[k] = query.data[k];
    await ensureAppDatabase();
    const out = await bringInLine(
      getDb(),
      id.data,
      { format: query.data.format, ...(query.data.regions ? { regions: query.data.regions } : {}), options },
      { actor: auth.value.actor, userId: auth.value.userId, channel: "api" },
    );
    return out.ok ? Response.json(out.value) : jsonError(out.status, out.message, out.issues);
  });
}
