import { hashFeedToken, newFeedToken, tokenHint } from "../feeds/token";
import type { FeedFamily, FeedFormat } from "../feeds/render";
import type { Db } from "./client";

export interface FeedView {
  readonly id: number;
  readonly name: string;
  readonly kind: "selection" | "firewall";
  readonly regions: readonly string[];
  readonly family: FeedFamily;
  readonly aggregate: boolean;
  readonly firewallId: number | null;
  readonly firewallName: string | null;
  readonly format: FeedFormat;
  readonly tokenHint: string;
  readonly revokedAt: Date | null;
  readonly createdAt: Date;
  readonly pollMinutes: number;
  readonly lastPolledAt: Date | null;
  readonly lastUserAgent: string | null;
  readonly lastAddress: string | null;
  readonly pollCount: number;
}

export interface NewFeed {
  readonly name: string;
  readonly kind: "selection" | "firewall";
  readonly regions: readonly string[];
  readonly family: FeedFamily;
  readonly aggregate: boolean;
  readonly firewallId?: number;
  readonly format: FeedFormat;
  readonly pollMinutes: number;
}

const include = { firewall: { select: { name: true } } } as const;

type Row = Awaited<ReturnType<Db["feed"]["findFirstOrThrow"]>> & { firewall: { name: string } | null };

function toView(row: Row): FeedView {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind === "firewall" ? "firewall" : "selection",
    regions: row.regions === "" ? [] : row.regions.split(","),
    family: row.family === "4" || row.family === "6" ? row.family : "both",
    aggregate: row.aggregate,
    firewallId: row.firewallId,
    firewallName: row.firewall?.name ?? null,
    format: row.format === "checkpoint" || row.format === "json" ? row.format : "plain",
    tokenHint: row.tokenHint,
    revokedAt: row.revokedAt,
    createdAt: row.createdAt,
    pollMinutes: row.pollMinutes,
    lastPolledAt: row.lastPolledAt,
    lastUserAgent: row.lastUserAgent,
    lastAddress: row.lastAddress,
    pollCount: row.pollCount,
  };
}

/** Creates a feed with a new token; the token is returned this once and only its hash is kept. */
export async function createFeed(db: Db, input: NewFeed): Promise<{ feed: FeedView; token: string }> {
  const token = newFeedToken();
  const row = await db.feed.create({
    data: {
      name: input.name,
      kind: input.kind,
      regions: input.regions.join(","),
      family: input.family,
      aggregate: input.aggregate,
      firewallId: input.kind === "firewall" ? (input.firewallId ?? null) : null,
      format: input.format,
      pollMinutes: input.pollMinutes,
      tokenHash: hashFeedToken(token),
      tokenHint: tokenHint(token),
    },
    include,
  });
  return { feed: toView(row), token };
}

export async function listFeeds(db: Db): Promise<FeedView[]> {
  return (await db.feed.findMany({ orderBy: { id: "asc" }, include })).map(toView);
}

export async function getFeed(db: Db, id: number): Promise<FeedView | null> {
  const row = await db.feed.findUnique({ where: { id }, include });
  return row ? toView(row) : null;
}

/** The feed a token opens, revoked or not (the caller refuses revoked ones), with its stored hash. */
export async function findFeedByToken(db: Db, token: string): Promise<FeedView | null> {
  const row = await db.feed.findUnique({ where: { tokenHash: hashFeedToken(token) }, include });
  return row ? toView(row) : null;
}

/** The hash of feed `id`'s token, to check a token sent with HTTP Basic auth against. */
export async function getFeedTokenHash(db: Db, id: number): Promise<string | null> {
  return (await db.feed.findUnique({ where: { id }, select: { tokenHash: true } }))?.tokenHash ?? null;
}

/** Revoked at once: the next poll with the token gets 401. False when there is no such feed. */
export async function revokeFeed(db: Db, id: number): Promise<boolean> {
  const { count } = await db.feed.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
  return count > 0 || (await db.feed.count({ where: { id } })) > 0;
}

/** A new token replaces the old one (which stops working at once) and lifts a revocation. Null when there is no such feed. */
export async function rotateFeedToken(db: Db, id: number): Promise<{ feed: FeedView; token: string } | null> {
  const token = newFeedToken();
  const { count } = await db.feed.updateMany({
    where: { id },
    data: { tokenHash: hashFeedToken(token), tokenHint: tokenHint(token), revokedAt: null },
  });
  if (count === 0) return null;
  const feed = await getFeed(db, id);
  return feed ? { feed, token } : null;
}

export async function deleteFeed(db: Db, id: number): Promise<boolean> {
  return (await db.feed.deleteMany({ where: { id } })).count > 0;
}

export async function recordFeedPoll(
  db: Db,
  id: number,
  poll: { readonly userAgent: string | null; readonly address: string | null; readonly at?: Date },
): Promise<void> {
  await db.feed.update({
    where: { id },
    data: {
      lastPolledAt: poll.at ?? new Date(),
      lastUserAgent: poll.userAgent?.slice(0, 300) ?? null,
      lastAddress: poll.address?.slice(0, 100) ?? null,
      pollCount: { increment: 1 },
    },
  });
}

/** A feed is flagged when its firewall has not polled for three intervals (or never, three intervals after creation). */
export function feedPollState(
  feed: Pick<FeedView, "revokedAt" | "lastPolledAt" | "createdAt" | "pollMinutes">,
  now: Date = new Date(),
): "revoked" | "ok" | "stopped" | "never" | "waiting" {
  if (feed.revokedAt !== null) return "revoked";
  const limit = feed.pollMinutes * 3 * 60_000;
  if (feed.lastPolledAt === null) return now.getTime() - feed.createdAt.getTime() > limit ? "never" : "waiting";
  return now.getTime() - feed.lastPolledAt.getTime() > limit ? "stopped" : "ok";
}
