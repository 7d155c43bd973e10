/**
 * GET and HEAD /feeds/{token} or /feeds/{id} with HTTP Basic auth (any user name, the token as password): the
 * address list a firewall polls. Conditional requests (If-None-Match, If-Modified-Since) answer 304; a revoked or
 * wrong token answers 401 at once. Every authorised poll is recorded (time, user agent, address).
 */
import { createHash } from "node:crypto";
import { getCurrentCatalog } from "../db/catalog";
import { getDb } from "../db/client";
import { DatabaseError } from "../db/errors";
import { findFeedByToken, getFeed, getFeedTokenHash, recordFeedPoll, type FeedView } from "../db/feed";
import { ensureAppDatabase } from "../db/ready";
import { renderFeed } from "../feeds/render";
import { basicAuthToken, tokenMatches } from "../feeds/token";

type KeyContext = { params: Promise<{ key: string }> };

function unauthorized(message: string): Response {
  return new Response(`${message}\n`, {
    status: 401,
    headers: {
      "WWW-Authenticate": 'Basic realm="allowlist feed", charset="UTF-8"',
      "Content-Type": "text/plain; charset=utf-8",
      "Cache-Control": "no-store",
    },
  });
}

async function authorizedFeed(request: Request, key: string): Promise<FeedView | Response> {
  const db = getDb();
  if (/^[0-9]{1,9}$/.test(key)) {
    const token = basicAuthToken(request.headers.get("authorization"));
    if (token === undefined) return unauthorized("This feed needs its token as the password of HTTP Basic auth.");
    const hash = await getFeedTokenHash(db, Number(key));
    if (hash === null || !tokenMatches(token, hash)) return unauthorized("Wrong feed token.");
    const feed = await getFeed(db, Number(key));
    if (feed === null) return unauthorized("Wrong feed token.");
    return feed.revokedAt !== null ? unauthorized("This feed token was revoked.") : feed;
  }
  if (!/^fd_[A-Za-z0-9_-]{20,100}$/.test(key)) return unauthorized("Wrong feed token.");
  const feed = await findFeedByToken(db, key);
  if (feed === null) return unauthorized("Wrong feed token.");
  return feed.revokedAt !== null ? unauthorized("This feed token was revoked.") : feed;
}

/** The client's address: the first X-Forwarded-For hop (set by Next's server and by proxies), else X-Real-IP. */
function clientAddress(request: Request): string | null {
  const forwarded = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || request.headers.get("x-real-ip") || null;
}

function etagMatches(header: string | null, etag: string): boolean {
  if (header === null) return false;
  return header.split(",").some((t) => {
    const v = t.trim().replace(/^W\//, "");
    return v === "*" || v === etag;
  });
}

export async function serveFeed(request: Request, context: KeyContext): Promise<Response> {
  const key = (await context.params).key;
  try {
    await ensureAppDatabase();
    const found = await authorizedFeed(request, key);
    if (found instanceof Response) return found;
    const feed = found;
    const db = getDb();
    const catalog = await getCurrentCatalog(db);
    let regions = feed.regions;
    let lastModified = catalog.version.importedAt;
    if (feed.kind === "firewall" && feed.firewallId !== null) {
      const fw = await db.firewall.findUnique({ where: { id: feed.firewallId }, select: { headRevision: true } });
      const head = fw
        ? await db.firewallRevision.findUnique({
            where: { firewallId_number: { firewallId: feed.firewallId, number: fw.headRevision } },
            select: { regions: true, createdAt: true },
          })
        : null;
      if (head) {
        regions = head.regions === "" ? [] : head.regions.split(",");
        if (head.createdAt > lastModified) lastModified = head.createdAt;
      }
    }
    const rendered = renderFeed(
      catalog,
      { format: feed.format, regions, family: feed.family, aggregate: feed.aggregate },
      {
        feedId: feed.id,
        feedName: feed.name,
        provider: catalog.provider.name,
        catalogVersion: catalog.version.version,
        checksum: catalog.version.checksum,
        importedAt: catalog.version.importedAt,
      },
    );
    const etag = `"${createHash("sha256").update(rendered.body).digest("hex").slice(0, 32)}"`;
    // HTTP dates have whole seconds: round down so If-Modified-Since with the value we sent matches.
    const modified = new Date(Math.floor(lastModified.getTime() / 1000) * 1000);
    const headers = {
      ETag: etag,
      "Last-Modified": modified.toUTCString(),
      "Cache-Control": "private, no-cache",
      "X-Catalog-Version": String(catalog.version.version),
      "X-Feed-Entries": String(rendered.entryCount),
    };
    await recordFeedPoll(db, feed.id, {
      userAgent: request.headers.get("user-agent"),
      address: clientAddress(request),
    });
    const inm = request.headers.get("if-none-match");
    const ims = Date.parse(request.headers.get("if-modified-since") ?? "");
    const notModified = inm !== null ? etagMatches(inm, etag) : Number.isFinite(ims) && modified.getTime() <= ims;
    if (notModified) return new Response(null, { status: 304, headers });
    return new Response(request.method === "HEAD" ? null : rendered.body, {
      status: 200,
      headers: {
        ...headers,
        "Content-Type": rendered.contentType,
        "Content-Length": String(Buffer.byteLength(rendered.body)),
      },
    });
  } catch (error) {
    if (error instanceof DatabaseError)
      return new Response(`${error.message}\n`, {
        status: 500,
        headers: { "Content-Type": "text/plain; charset=utf-8" },
      });
    throw error;
  }
}
