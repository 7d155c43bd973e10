/**
 * A saved firewall against the newest catalog version: GET /api/v1/firewalls/{id}/alignment (its status: what to
 * add, which lines allow only retired addresses) and GET /api/v1/firewalls/{id}/bring-in-line?format=… (exactly the
 * change that brings it in line: the additions through the existing exporters, the removals as a list).
 */
import { z } from "zod";
import { getCurrentCatalog } from "../db/catalog";
import { getDb } from "../db/client";
import { DatabaseError } from "../db/errors";
import { createExportRecord } from "../db/export-record";
import { getFirewall } from "../db/firewall";
import { listFirewallAlignments } from "../db/firewall-alignment";
import { ensureAppDatabase } from "../db/ready";
import { removalList, type Alignment } from "../firewall/alignment";
import { firewallIdSchema } from "../firewall/schema";
import { zodIssues } from "./errors";
import { isExportFormatId, storedExportOptions } from "./export-core";
import { exportOptionKeys, planExport } from "./export-plan";
import { apiAuthorize, jsonError } from "./respond";

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
  const auth = apiAuthorize(request, permission);
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

async function guarded(run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof DatabaseError) return jsonError(500, error.message);
    throw error;
  }
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

const querySchema = z.object({ format: z.string().default("plain"), regions: z.string().optional() }).catchall(z.string());

/**
 * GET /api/v1/firewalls/{id}/bring-in-line?format=nftables[&ports=…] — JSON { format, additions: { entryCount, files },
 * removals: { lines, file } }. Exports are additive by design, so removals come as the list of lines to delete.
 */
export function bringInLineRoute(request: Request, context: IdContext): Promise<Response> {
  return guarded(async () => {
    const l = await load(request, context, "export:create");
    if (!l.ok) return l.response;
    const query = querySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!query.success) return jsonError(400, "Invalid request.", zodIssues(query.error.issues));
    const firewall = await getFirewall(l.db, l.found.id);
    if (firewall === null) return jsonError(404, "No such firewall.");
    const format = query.data.format.toLowerCase();
    if (!isExportFormatId(format)) return jsonError(400, `Unknown export format "${format}".`, [{ path: "format", message: "unknown format" }]);
    const options: Record<string, unknown> = {};
    for (const k of exportOptionKeys) if (query.data[k] !== undefined) options[k] = query.data[k];
    const plan = planExport(
      {
        providerName: l.catalog.provider.name,
        version: l.catalog.version.version,
        checksum: l.catalog.version.checksum,
        regionCodes: l.catalog.regions.map((r) => r.code),
        entries: l.catalog.entries,
      },
      { format, regions: query.data.regions, fallbackRegions: firewall.head.regions, options, missingFrom: { text: firewall.head.text, format: firewall.head.format } },
    );
    if (!plan.ok) return jsonError(400, plan.message, plan.issues);
    const removals = removalList(l.found.alignment, firewall.name);
    if (plan.files.length > 0) {
      await createExportRecord(l.db, {
        format: plan.format,
        scope: plan.options.scope,
        options: JSON.stringify(storedExportOptions(plan.options)),
        catalogVersion: l.catalog.version.version,
        provider: l.catalog.provider.slug,
        entryCount: plan.entryCount,
        regions: plan.regions,
        channel: "api",
        source: "firewall",
        firewallId: firewall.id,
        actor: l.session.actor,
      });
    }
    return Response.json({
      firewall: { id: firewall.id, name: firewall.name, headRevision: firewall.headRevision },
      catalogVersion: l.catalog.version.version,
      label: l.found.alignment.label,
      format: plan.format,
      additions: { entryCount: plan.entryCount, files: plan.files, warnings: plan.warnings },
      removals: {
        lines: l.found.alignment.stale,
        file: removals === "" ? null : { name: `${firewall.name.replace(/[^A-Za-z0-9._-]+/g, "-")}-remove.txt`, mime: "text/plain", content: removals },
      },
    });
  });
}
