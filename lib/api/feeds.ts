/**
 * Feed management: GET/POST /api/v1/feeds, GET/DELETE /api/v1/feeds/{id}, POST /api/v1/feeds/{id}/rotate and
 * /api/v1/feeds/{id}/revoke. Creating or rotating returns the token once; only its hash is stored.
 */
import { getCurrentCatalog } from "../db/catalog";
import { getDb, type Db } from "../db/client";
import {
  createFeed,
  deleteFeed,
  feedPollState,
  getFeed,
  listFeeds,
  revokeFeed,
  rotateFeedToken,
  type FeedView,
} from "../db/feed";
import { feedSchema, type FeedInput } from "../feeds/schema";
import { zodIssues } from "./errors";
import { apiAuthorize, jsonError, readJsonBody } from "./respond";
import { guarded } from "./database";
import { auditFeed } from "../db/audit";
import { clientIp } from "../auth/client-ip";

type IdContext = { params: Promise<{ id: string }> };

/** The public base URL feeds are reached at: ALLOWLIST_PUBLIC_URL, else the request's own origin (proxy headers first). */
export function publicBaseUrl(headers: Headers, fallbackOrigin?: string): string {
  const configured = process.env.ALLOWLIST_PUBLIC_URL?.replace(/\/+$/, "");
  if (configured) return configured;
  const host = headers.get("x-forwarded-host") ?? headers.get("host");
  const proto = headers.get("x-forwarded-proto") ?? (fallbackOrigin?.startsWith("https:") ? "https" : "http");
  return host ? `${proto}://${host}` : (fallbackOrigin ?? "http://localhost:3000");
}

export function feedUrls(base: string, feed: Pick<FeedView, "id">, token?: string) {
  return { basicUrl: `${base}/feeds/${feed.id}`, ...(token ? { tokenUrl: `${base}/feeds/${token}` } : {}) };
}

export function feedJson(feed: FeedView, base: string, token?: string) {
  return {
    id: feed.id,
    name: feed.name,
    kind: feed.kind,
    regions: feed.regions,
    family: feed.family,
    aggregate: feed.aggregate,
    firewallId: feed.firewallId,
    format: feed.format,
    tokenHint: feed.tokenHint,
    revoked: feed.revokedAt !== null,
    createdAt: feed.createdAt.toISOString(),
    pollMinutes: feed.pollMinutes,
    lastPoll: feed.lastPolledAt
      ? { at: feed.lastPolledAt.toISOString(), userAgent: feed.lastUserAgent, address: feed.lastAddress }
      : null,
    pollCount: feed.pollCount,
    pollState: feedPollState(feed),
    urls: feedUrls(base, feed, token),
    ...(token ? { token } : {}),
  };
}

function parseId(raw: string): number | null {
  return /^[1-9][0-9]{0,8}$/.test(raw) ? Number(raw) : null;
}

/** Validates and creates a feed; shared by the API and the dashboard's action. */
export async function createFeedFrom(
  db: Db,
  input: unknown,
): Promise<
  | { ok: true; feed: FeedView; token: string }
  | { ok: false; message: string; issues: { path?: string; message: string }[] }
> {
  const catalog = await getCurrentCatalog(db);
  const parsed = feedSchema(catalog.regions.map((r) => r.code)).safeParse(input);
  if (!parsed.success) return { ok: false, message: "The feed is not valid.", issues: zodIssues(parsed.error.issues) };
  const data: FeedInput = parsed.data;
  if (data.kind === "firewall") {
    const exists = await db.firewall.count({ where: { id: data.firewallId } });
    if (exists === 0)
      return {
        ok: false,
        message: `Firewall ${data.firewallId} does not exist.`,
        issues: [{ path: "firewallId", message: "no such firewall" }],
      };
  }
  const { feed, token } = await createFeed(db, {
    name: data.name,
    kind: data.kind,
    regions: data.kind === "firewall" ? [] : data.regions,
    family: data.family,
    aggregate: data.aggregate,
    ...(data.firewallId !== undefined ? { firewallId: data.firewallId } : {}),
    format: data.format,
    pollMinutes: data.pollMinutes,
  });
  return { ok: true, feed, token };
}

export async function listFeedsRoute(request: Request): Promise<Response> {
  const auth = await apiAuthorize(request, "feed:read");
  if (!auth.ok) return auth.response;
  const base = publicBaseUrl(request.headers, new URL(request.url).origin);
  return guarded(async () => Response.json({ feeds: (await listFeeds(getDb())).map((f) => feedJson(f, base)) }));
}

export async function createFeedRoute(request: Request): Promise<Response> {
  const auth = await apiAuthorize(request, "feed:write");
  if (!auth.ok) return auth.response;
  const body = await readJsonBody(request, 64 * 1024);
  if (!body.ok) return body.response;
  const base = publicBaseUrl(request.headers, new URL(request.url).origin);
  return guarded(async () => {
    const out = await createFeedFrom(getDb(), body.value);
    if (!out.ok) return jsonError(400, out.message, out.issues);
    await auditFeed(getDb(), "feed.create", auth.value, clientIp(request.headers), out.feed);
    return Response.json(feedJson(out.feed, base, out.token), {
      status: 201,
      headers: { Location: `/api/v1/feeds/${out.feed.id}` },
    });
  });
}

export async function getFeedRoute(request: Request, context: IdContext): Promise<Response> {
  const auth = await apiAuthorize(request, "feed:read");
  if (!auth.ok) return auth.response;
  const id = parseId((await context.params).id);
  const base = publicBaseUrl(request.headers, new URL(request.url).origin);
  return guarded(async () => {
    const feed = id === null ? null : await getFeed(getDb(), id);
    return feed ? Response.json(feedJson(feed, base)) : jsonError(404, "No such feed.");
  });
}

export async function deleteFeedRoute(request: Request, context: IdContext): Promise<Response> {
  const auth = await apiAuthorize(request, "feed:write");
  if (!auth.ok) return auth.response;
  const id = parseId((await context.params).id);
  return guarded(async () => {
    if (id === null || !(await deleteFeed(getDb(), id))) return jsonError(404, "No such feed.");
    await auditFeed(getDb(), "feed.delete", auth.value, clientIp(request.headers), { id });
    return new Response(null, { status: 204 });
  });
}

export async function rotateFeedRoute(request: Request, context: IdContext): Promise<Response> {
  const auth = await apiAuthorize(request, "feed:write");
  if (!auth.ok) return auth.response;
  const id = parseId((await context.params).id);
  const base = publicBaseUrl(request.headers, new URL(request.url).origin);
  return guarded(async () => {
    const out = id === null ? null : await rotateFeedToken(getDb(), id);
    if (out) await auditFeed(getDb(), "feed.rotate", auth.value, clientIp(request.headers), out.feed);
    return out ? Response.json(feedJson(out.feed, base, out.token)) : jsonError(404, "No such feed.");
  });
}

export async function revokeFeedRoute(request: Request, context: IdContext): Promise<Response> {
  const auth = await apiAuthorize(request, "feed:write");
  if (!auth.ok) return auth.response;
  const id = parseId((await context.params).id);
  const base = publicBaseUrl(request.headers, new URL(request.url).origin);
  return guarded(async () => {
    const db = getDb();
    if (id === null || !(await revokeFeed(db, id))) return jsonError(404, "No such feed.");
    const feed = await getFeed(db, id);
    if (feed) await auditFeed(db, "feed.revoke", auth.value, clientIp(request.headers), feed);
    return feed ? Response.json(feedJson(feed, base)) : jsonError(404, "No such feed.");
  });
}
