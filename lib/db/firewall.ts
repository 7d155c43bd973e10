import type { CurrentCatalog } from "./catalog";
import type { Db } from "./client";
import { Prisma } from "./generated/client";
import { computeStatus, StatusCache, type FirewallStatus } from "../firewall/status";

/** A firewall with the facts of its head revision, without the (possibly 20 MB) text. */
export interface FirewallSummary {
  readonly id: number;
  readonly name: string;
  readonly description: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly headRevision: number;
  readonly head: RevisionMeta;
}

export interface RevisionMeta {
  readonly id: number;
  readonly number: number;
  readonly format: string;
  readonly regions: readonly string[];
  readonly port: number;
  readonly note: string;
  readonly createdAt: Date;
}

export interface Revision extends RevisionMeta {
  readonly text: string;
}

export interface FirewallWithHead extends Omit<FirewallSummary, "head"> {
  readonly head: Revision;
}

export interface RevisionContent {
  readonly text: string;
  /** The format the text is read as (a format id; "auto" is resolved by the caller before saving). */
  readonly format: string;
  readonly regions: readonly string[];
  readonly port: number;
  readonly note: string;
}

export type WriteResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: "not-found" }
  | { readonly ok: false; readonly reason: "name-taken"; readonly name: string }
  | { readonly ok: false; readonly reason: "conflict"; readonly head: number };

const metaSelect = {
  id: true,
  number: true,
  format: true,
  regions: true,
  port: true,
  note: true,
  createdAt: true,
} as const;

function toMeta(row: {
  id: number;
  number: number;
  format: string;
  regions: string;
  port: number;
  note: string;
  createdAt: Date;
}): RevisionMeta {
  return { ...row, regions: row.regions === "" ? [] : row.regions.split(",") };
}

function toRevision(row: Parameters<typeof toMeta>[0] & { text: string }): Revision {
  return { ...toMeta(row), text: row.text };
}

export interface FirewallPage {
  readonly firewalls: FirewallSummary[];
  /** Pass as `cursor` for the next page; null on the last page. */
  readonly nextCursor: string | null;
}

export interface ListFirewallsOptions {
  /** Firewalls per page (default 100, at most FIREWALL_PAGE_MAX). */
  readonly limit?: number;
  /** From a previous page's nextCursor: the page starts after that firewall. */
  readonly cursor?: string;
  /** Only names containing this text, case-insensitively. */
  readonly search?: string;
}

export const FIREWALL_PAGE_DEFAULT = 100;
export const FIREWALL_PAGE_MAX = 500;
/** Firewalls whose heads are read in one query: few bound values, whatever the count (SQLite allows 32,766). */
const HEADS_PER_QUERY = 200;

/** The cursor is the last name key of a page (names are unique by key), opaque to callers. */
export function encodeFirewallCursor(nameKey: string): string {
  return Buffer.from(nameKey, "utf8").toString("base64url");
}

export function decodeFirewallCursor(cursor: string): string | null {
  if (!/^[A-Za-z0-9_-]*$/.test(cursor)) return null;
  const key = Buffer.from(cursor, "base64url").toString("utf8");
  return encodeFirewallCursor(key) === cursor ? key : null;
}

/**
 * One page of firewalls by name (name key order: case-insensitive), with their head revisions' settings. Keyset
 * paging: each query's cost depends on the page size, not on how many firewalls exist.
 */
export async function listFirewalls(db: Db, options: ListFirewallsOptions = {}): Promise<FirewallPage> {
  const limit = Math.min(Math.max(1, Math.trunc(options.limit ?? FIREWALL_PAGE_DEFAULT)), FIREWALL_PAGE_MAX);
  const search = options.search?.trim().toLowerCase() ?? "";
  const exact = needsExactFilter(search);
  let after = options.cursor === undefined ? null : decodeFirewallCursor(options.cursor);
  const page: FirewallRow[] = [];
  let more = false;
  // One query, unless the search holds LIKE wildcards (Prisma does not escape them on SQLite): then rows are
  // filtered here and batches continue until the page is full.
  const take = exact ? Math.max(limit + 1, FIREWALL_PAGE_MAX) : limit + 1;
  for (;;) {
    const rows = await db.firewall.findMany({
      where: { AND: [...(after !== null ? [{ nameKey: { gt: after } }] : []), ...searchWhere(search)] },
      orderBy: { nameKey: "asc" },
      take,
    });
    for (const row of rows) {
      if (exact && !row.nameKey.includes(search)) continue;
      if (page.length === limit) {
        more = true;
        break;
      }
      page.push(row);
    }
    if (more || rows.length < take || !exact) break;
    after = rows.at(-1)!.nameKey;
  }
  const heads = await headRevisions(db, page);
  const firewalls = page.flatMap((row) => {
    const head = heads.get(row.id);
    // A firewall is created with its first revision in one transaction, so a missing head is not expected.
    return head ? [{ ...row, head }] : [];
  });
  return { firewalls, nextCursor: more ? encodeFirewallCursor(page.at(-1)!.nameKey) : null };
}

type FirewallRow = Omit<FirewallSummary, "head"> & { readonly nameKey: string };

/** LIKE's wildcards: a search holding them is matched exactly in code. */
function needsExactFilter(search: string): boolean {
  return /[%_\\]/.test(search);
}

/** `contains` for each wildcard-free piece of the search (all of it when it has none). */
function searchWhere(search: string) {
  return search
    .split(/[%_\\]+/)
    .filter((piece) => piece !== "")
    .map((piece) => ({ nameKey: { contains: piece } }));
}

/** Head revision settings by firewall id, in queries of HEADS_PER_QUERY firewalls grouped by head number. */
/** Head revisions (without text) of `rows`, a bounded number of bound values per query however many rows. */
export async function headRevisions(
  db: Db,
  rows: readonly { id: number; headRevision: number }[],
): Promise<Map<number, RevisionMeta>> {
  const out = new Map<number, RevisionMeta>();
  for (let i = 0; i < rows.length; i += HEADS_PER_QUERY) {
    const byNumber = new Map<number, number[]>();
    for (const r of rows.slice(i, i + HEADS_PER_QUERY)) {
      const ids = byNumber.get(r.headRevision);
      if (ids) ids.push(r.id);
      else byNumber.set(r.headRevision, [r.id]);
    }
    const heads = await db.firewallRevision.findMany({
      where: { OR: [...byNumber].map(([number, ids]) => ({ number, firewallId: { in: ids } })) },
      select: { ...metaSelect, firewallId: true },
    });
    for (const { firewallId, ...head } of heads) out.set(firewallId, toMeta(head));
  }
  return out;
}

export async function getFirewall(db: Db, id: number): Promise<FirewallWithHead | null> {
  const row = await db.firewall.findUnique({ where: { id } });
  if (row === null) return null;
  const head = await db.firewallRevision.findUnique({
    where: { firewallId_number: { firewallId: id, number: row.headRevision } },
  });
  return head ? { ...row, head: toRevision(head) } : null;
}

export interface RevisionPage {
  /** Newest first. */
  readonly revisions: Revision[];
  /** The revision just older than the page's oldest (its line diff needs it), if any. */
  readonly previous: Revision | undefined;
  /** Pass as `before` for the next (older) page; null on the last. */
  readonly nextBefore: number | null;
}

/**
 * A page of revisions, newest first, with their texts (the history page diffs neighbours): `limit` revisions older
 * than revision `before` (the newest when absent), and the one before them. A firewall with 41 revisions of 5 MB
 * no longer loads 200 MB of text for one page.
 */
export async function listFirewallRevisions(
  db: Db,
  id: number,
  options: { readonly before?: number; readonly limit?: number } = {},
): Promise<RevisionPage> {
  const limit = Math.min(Math.max(1, Math.trunc(options.limit ?? 10)), 100);
  const rows = await db.firewallRevision.findMany({
    where: { firewallId: id, ...(options.before !== undefined ? { number: { lt: options.before } } : {}) },
    orderBy: { number: "desc" },
    take: limit + 1,
  });
  const revisions = rows.slice(0, limit).map(toRevision);
  const previous = rows.length > limit ? toRevision(rows[limit]!) : undefined;
  return { revisions, previous, nextBefore: previous !== undefined ? revisions.at(-1)!.number : null };
}

/** Names are unique regardless of case ("Edge" and "edge" would confuse people): the database enforces it on this key. */
export function firewallNameKey(name: string): string {
  return name.trim().toLowerCase();
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

class Refused extends Error {
  constructor(readonly result: Exclude<WriteResult<never>, { ok: true }>) {
    super(result.reason);
  }
}

/** Creates a firewall with revision 1 holding `content`. */
export async function createFirewall(
  db: Db,
  input: { readonly name: string; readonly description: string } & RevisionContent,
): Promise<WriteResult<FirewallWithHead>> {
  try {
    // One nested write (atomic on its own): no interactive transaction holding the connection across event-loop
    // turns, which under load queued every other save behind it.
    const { firewallId: _unused, ...revision } = revisionData(0, 1, input);
    const { id } = await db.firewall.create({
      data: {
        name: input.name,
        nameKey: firewallNameKey(input.name),
        description: input.description,
        headRevision: 1,
        revisions: { create: revision },
      },
      select: { id: true },
    });
    const created = await getFirewall(db, id);
    return created ? { ok: true, value: created } : { ok: false, reason: "not-found" };
  } catch (error) {
    if (error instanceof Refused) return error.result;
    if (isUniqueViolation(error)) return { ok: false, reason: "name-taken", name: input.name };
    throw error;
  }
}

function revisionData(firewallId: number, number: number, content: RevisionContent) {
  return {
    firewallId,
    number,
    text: content.text,
    format: content.format,
    regions: content.regions.join(","),
    port: content.port,
    note: content.note,
  };
}

/**
 * Saves `content` as revision baseRevision + 1, only if baseRevision is still the head: the head is moved with a
 * conditional update inside the transaction, so of two editors who started from the same revision exactly one wins,
 * and the other gets a conflict naming the head they missed. The unique (firewallId, number) pair backs this up.
 */
export async function saveFirewallRevision(
  db: Db,
  id: number,
  input: { readonly baseRevision: number; readonly name?: string; readonly description?: string } & RevisionContent,
): Promise<WriteResult<FirewallWithHead>> {
  const next = input.baseRevision + 1;
  try {
    await db.$transaction(async (tx) => {
      const moved = await tx.firewall.updateMany({
        where: { id, headRevision: input.baseRevision },
        data: {
          headRevision: next,
          ...(input.name !== undefined ? { name: input.name, nameKey: firewallNameKey(input.name) } : {}),
          ...(input.description !== undefined ? { description: input.description } : {}),
        },
      });
      if (moved.count === 0) {
        const current = await tx.firewall.findUnique({ where: { id }, select: { headRevision: true } });
        throw new Refused(
          current === null
            ? { ok: false, reason: "not-found" }
            : { ok: false, reason: "conflict", head: current.headRevision },
        );
      }
      await tx.firewallRevision.create({ data: revisionData(id, next, input) });
    });
  } catch (error) {
    if (error instanceof Refused) return error.result;
    if (isUniqueViolation(error)) {
      const current = await db.firewall.findUnique({ where: { id }, select: { headRevision: true, name: true } });
      if (current === null) return { ok: false, reason: "not-found" };
      if (current.headRevision !== input.baseRevision)
        return { ok: false, reason: "conflict", head: current.headRevision };
      return { ok: false, reason: "name-taken", name: input.name ?? current.name };
    }
    throw error;
  }
  const saved = await getFirewall(db, id);
  return saved ? { ok: true, value: saved } : { ok: false, reason: "not-found" };
}

/** Restores revision `number` as a new head revision (history is never rewritten). */
export async function restoreFirewallRevision(
  db: Db,
  id: number,
  input: { readonly baseRevision: number; readonly number: number },
): Promise<WriteResult<FirewallWithHead>> {
  const old = await db.firewallRevision.findUnique({
    where: { firewallId_number: { firewallId: id, number: input.number } },
  });
  if (old === null) return { ok: false, reason: "not-found" };
  const content = toRevision(old);
  return saveFirewallRevision(db, id, {
    ...content,
    baseRevision: input.baseRevision,
    note: `Restored revision ${input.number}`,
  });
}

/** False when there was no such firewall. Revisions go with it (cascade). */
export async function deleteFirewall(db: Db, id: number): Promise<boolean> {
  const { count } = await db.firewall.deleteMany({ where: { id } });
  return count > 0;
}

const statusCache = ((
  globalThis as typeof globalThis & { allowlistFirewallStatus?: StatusCache }
).allowlistFirewallStatus ??= new StatusCache());

/**
 * The status of each firewall's head revision against `catalog`. Cached per (revision, catalog version): both are
 * immutable, so only firewalls saved since the last request, or a new catalog, cost a parse and diff — and only
 * their texts are read.
 */
export async function getFirewallStatuses(
  db: Db,
  catalog: CurrentCatalog,
  heads: readonly RevisionMeta[],
): Promise<Map<number, FirewallStatus>> {
  const out = new Map<number, FirewallStatus>();
  const misses: RevisionMeta[] = [];
  for (const head of heads) {
    const hit = statusCache.get(head.id, catalog.version.id);
    if (hit) out.set(head.id, hit);
    else misses.push(head);
  }
  for (const head of misses) {
    const row = await db.firewallRevision.findUnique({ where: { id: head.id }, select: { text: true } });
    if (row === null) continue;
    const status = computeStatus(catalog, catalog.version.version, { ...head, text: row.text });
    statusCache.set(head.id, catalog.version.id, status);
    out.set(head.id, status);
  }
  return out;
}

/** For tests: how many statuses the cache holds. */
export function cachedStatusCount(): number {
  return statusCache.size;
}

/** How many firewalls there are (whose names contain `search`, case-insensitively). */
export async function countFirewalls(db: Db, search = ""): Promise<number> {
  const key = search.trim().toLowerCase();
  if (!needsExactFilter(key)) return db.firewall.count({ where: { AND: searchWhere(key) } });
  const rows = await db.firewall.findMany({ where: { AND: searchWhere(key) }, select: { nameKey: true } });
  return rows.filter((r) => r.nameKey.includes(key)).length;
}
