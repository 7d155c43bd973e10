import { readFile } from "node:fs/promises";
import { buildCatalog, type Catalog } from "../catalog/catalog";
import { catalogChecksum } from "../catalog/checksum";
import { parseSeedDocument, type SeedCatalog } from "../catalog/seed-document";
import type { PublishedEntry } from "../catalog/types";
import { formatPrefix, parsePrefix, prefixRange } from "../ip";
import type { Db } from "./client";
import { DatabaseError, errorSummary } from "./errors";
import { Prisma } from "./generated/client";
import { displayPath, seedDocumentPath } from "./paths";
import { DEFAULT_PROVIDER } from "./provider";

/** The provider the seed document describes; the default for every catalog call. */
export { DEFAULT_PROVIDER };

export interface CatalogVersionInfo {
  readonly id: number;
  readonly version: number;
  readonly importedAt: Date;
  readonly source: string;
  readonly checksum: string;
}

/**
 * One catalog version as read from the database: the Catalog value (entries parsed once, region sets built) that
 * diff, export, search and check receive, with the version, provider, regions and products around it. Built once
 * per version and client (see catalogCache), never per request.
 */
export interface CurrentCatalog extends Catalog {
  readonly version: CatalogVersionInfo;
  readonly provider: { readonly slug: string; readonly name: string };
  /** In publication order, with the number of entries of this version in each. */
  readonly regions: readonly { readonly code: string; readonly name: string; readonly count: number }[];
  readonly products: readonly string[];
  /** By region (publication order), then document order. */
  readonly entries: readonly PublishedEntry[];
}

export type ImportResult =
  | { readonly created: true; readonly version: CatalogVersionInfo }
  /** "unchanged": same content as the current version. "matches-older": same content as an earlier
   *  version; a checksum is unique per provider, so that content cannot become a new version. */
  | { readonly created: false; readonly reason: "unchanged" | "matches-older"; readonly version: CatalogVersionInfo }
  /** `expectedLatest` was given and another version became the newest first (`version` is that newest). */
  | { readonly created: false; readonly reason: "stale"; readonly version: CatalogVersionInfo };

const versionSelect = { id: true, version: true, importedAt: true, source: true, checksum: true } as const;

/** 32 lowercase hex digits, so text order is numeric order within a family. */
function toHex(value: bigint): string {
  return value.toString(16).padStart(32, "0");
}

function slugify(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

async function findProvider(db: Db, slug: string) {
  const provider = await db.provider.findUnique({ where: { slug } });
  if (provider === null) throw new DatabaseError(`The catalog has no provider "${slug}".`);
  return provider;
}

/** Checks and enriches entries before anything is written: canonical CIDR, known region and products, no repeats. */
function prepareEntries(
  entries: readonly PublishedEntry[],
  regionIds: ReadonlyMap<string, number>,
  productIds: ReadonlyMap<string, number>,
) {
  const seen = new Set<string>();
  return entries.map((entry, position) => {
    const parsed = parsePrefix(entry.cidr);
    if (!parsed.ok || formatPrefix(parsed.value) !== entry.cidr)
      throw new DatabaseError(`Entry ${position + 1}: "${entry.cidr}" is not a canonical CIDR.`);
    const regionId = regionIds.get(entry.region);
    if (regionId === undefined) throw new DatabaseError(`Entry ${position + 1}: unknown region "${entry.region}".`);
    const key = `${entry.region} ${entry.cidr}`;
    if (seen.has(key))
      throw new DatabaseError(`Entry ${position + 1}: ${entry.cidr} is listed twice in region ${entry.region}.`);
    seen.add(key);
    const products = entry.products.map((name) => {
      const id = productIds.get(name);
      if (id === undefined) throw new DatabaseError(`Entry ${position + 1}: unknown product "${name}".`);
      return id;
    });
    const range = prefixRange(parsed.value);
    return {
      row: {
        regionId,
        cidr: entry.cidr,
        family: parsed.value.address.family,
        prefixLength: parsed.value.bits,
        firstHex: toHex(range.first.value),
        lastHex: toHex(range.last.value),
        position,
      },
      products,
    };
  });
}

/**
 * Stores `entries` as the provider's next catalog version, unless their checksum matches an existing
 * version. Regions and products must already exist. Versions are never modified after creation.
 */
export async function importCatalogVersion(
  db: Db,
  input: {
    readonly source: string;
    readonly entries: readonly PublishedEntry[];
    readonly note?: string;
    readonly provider?: string;
    /** Refuse (reason "stale") unless this is still the newest version number, checked inside the transaction. */
    readonly expectedLatest?: number;
  },
): Promise<ImportResult> {
  const provider = await findProvider(db, input.provider ?? DEFAULT_PROVIDER);
  const [regions, products] = await Promise.all([
    db.region.findMany({ where: { providerId: provider.id } }),
    db.product.findMany({ where: { providerId: provider.id } }),
  ]);
  const prepared = prepareEntries(
    input.entries,
    new Map(regions.map((r) => [r.code, r.id])),
    new Map(products.map((p) => [p.name, p.id])),
  );
  const checksum = await catalogChecksum(input.entries);

  // Two imports at once: SQLite serialises the transactions; PostgreSQL lets both read the same newest version and
  // the loser's insert breaks the (provider, version) or (provider, checksum) key. Its second attempt reads again and
  // is answered like any later caller (stale, or the list that now exists).
  for (let attempt = 1; ; attempt++) {
    try {
      return await importOnce(db, input, provider.id, prepared, checksum);
    } catch (error) {
      if (attempt >= 3 || !(error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002"))
        throw error;
    }
  }
}

async function importOnce(
  db: Db,
  input: { readonly source: string; readonly note?: string; readonly expectedLatest?: number },
  providerId: number,
  prepared: ReturnType<typeof prepareEntries>,
  checksum: string,
): Promise<ImportResult> {
  const provider = { id: providerId };
  return db.$transaction(async (tx) => {
    const latest = await tx.catalogVersion.findFirst({
      where: { providerId: provider.id },
      orderBy: { version: "desc" },
      select: versionSelect,
    });
    if (input.expectedLatest !== undefined && latest !== null && latest.version !== input.expectedLatest) {
      return { created: false, reason: "stale", version: latest };
    }
    const same = await tx.catalogVersion.findUnique({
      where: { providerId_checksum: { providerId: provider.id, checksum } },
      select: versionSelect,
    });
    if (same !== null)
      return { created: false, reason: same.id === latest?.id ? "unchanged" : "matches-older", version: same };

    const version = await tx.catalogVersion.create({
      data: {
        providerId: provider.id,
        version: (latest?.version ?? 0) + 1,
        source: input.source,
        checksum,
        note: input.note ?? null,
      },
      select: versionSelect,
    });
    const rows = await tx.publishedEntry.createManyAndReturn({
      data: prepared.map(({ row }) => ({ ...row, catalogVersionId: version.id })),
      select: { id: true, position: true },
    });
    // RETURNING order is not guaranteed: match rows back by their position.
    const idByPosition = new Map(rows.map((r) => [r.position, r.id]));
    const links = prepared.flatMap(({ row, products: ids }) => {
      const entryId = idByPosition.get(row.position);
      if (entryId === undefined) throw new DatabaseError(`Entry ${row.position + 1} was not stored.`);
      return ids.map((productId) => ({ entryId, productId }));
    });
    await tx.entryProduct.createMany({ data: links });
    return { created: true, version };
  });
}

/** The seed document, read from lib/catalog/seed/ and parsed by the one pure parser. */
async function readSeedCatalog() {
  const text = await readFile(seedDocumentPath, "utf8").catch((error: unknown) => {
    throw new DatabaseError(
      `The seed document ${displayPath(seedDocumentPath)} could not be read: ${errorSummary(error)}`,
    );
  });
  const parsed = parseSeedDocument(text);
  if (!parsed.ok) throw new DatabaseError(`The seed document, line ${parsed.error.line}: ${parsed.error.message}.`);
  return parsed.value;
}

/** Another process seeding the same database at the same moment: on PostgreSQL the loser's insert breaks
 *  a unique constraint (P2002); on SQLite its write lock request fails as a timeout (P1008). */
function isConcurrentWrite(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && (error.code === "P2002" || error.code === "P1008");
}

async function seedOnce(
  db: Db,
  seed: SeedCatalog,
): Promise<{ created: boolean; version: CatalogVersionInfo; entryCount: number }> {
  const provider = await db.provider.upsert({ where: { slug: seed.provider.slug }, create: seed.provider, update: {} });
  for (const name of seed.products) {
    const slug = slugify(name);
    await db.product.upsert({
      where: { providerId_slug: { providerId: provider.id, slug } },
      create: { providerId: provider.id, slug, name },
      update: {},
    });
  }
  for (const region of seed.regions) {
    await db.region.upsert({
      where: { providerId_code: { providerId: provider.id, code: region.code } },
      create: { providerId: provider.id, ...region },
      update: {},
    });
  }
  const result = await importCatalogVersion(db, {
    provider: seed.provider.slug,
    source: displayPath(seedDocumentPath),
    entries: seed.entries,
    note: "Seed catalog",
  });
  return { created: result.created, version: result.version, entryCount: seed.entries.length };
}

/**
 * Imports the seed document as version 1 when the provider has no catalog yet. Idempotent, also when
 * processes race: the loser looks again and reports the winner's version.
 */
export async function seedCatalogIfEmpty(
  db: Db,
): Promise<{ created: boolean; version: CatalogVersionInfo; entryCount: number }> {
  let seed: SeedCatalog | undefined;
  for (let attempt = 1; ; attempt++) {
    const existing = await currentVersion(db, DEFAULT_PROVIDER);
    if (existing !== null) return { created: false, ...existing };
    seed ??= await readSeedCatalog();
    try {
      return await seedOnce(db, seed);
    } catch (error) {
      // The winner may still be writing its version when the loser looks again: wait a little longer each time.
      if (!isConcurrentWrite(error) || attempt === 8) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}

async function currentVersion(
  db: Db,
  providerSlug: string,
): Promise<{ version: CatalogVersionInfo; entryCount: number } | null> {
  const version = await db.catalogVersion.findFirst({
    where: { provider: { slug: providerSlug } },
    orderBy: { version: "desc" },
    select: { ...versionSelect, _count: { select: { entries: true } } },
  });
  if (version === null) return null;
  const { _count, ...info } = version;
  return { version: info, entryCount: _count.entries };
}

/** The provider's latest catalog version with its regions, products and entries. */
export async function getCurrentCatalog(db: Db, providerSlug: string = DEFAULT_PROVIDER): Promise<CurrentCatalog> {
  const catalog = await getCatalogVersion(db, undefined, providerSlug);
  if (catalog === null) throw new DatabaseError(`No catalog has been imported yet.`);
  return catalog;
}

/**
 * Catalog version `version` (the latest when undefined) with its regions, products and entries; null when the
 * provider has no such version. Region counts are of that version.
 */
export async function getCatalogVersion(
  db: Db,
  version: number | undefined,
  providerSlug: string = DEFAULT_PROVIDER,
): Promise<CurrentCatalog | null> {
  const provider = await findProvider(db, providerSlug);
  const found = await db.catalogVersion.findFirst({
    where: { providerId: provider.id, ...(version === undefined ? {} : { version }) },
    orderBy: { version: "desc" },
    select: versionSelect,
  });
  if (found === null) {
    if (version === undefined) throw new DatabaseError(`No catalog of ${provider.name} has been imported yet.`);
    return null;
  }
  // A version is immutable once imported: its entries are read once per client, not on every request (five queries
  // and a sort that every API call and page paid, and that a busy server felt).
  let byVersion = catalogCache.get(db);
  if (byVersion === undefined) catalogCache.set(db, (byVersion = new Map()));
  const cached = byVersion.get(found.id);
  if (cached !== undefined && cached.provider.slug === provider.slug) return cached;
  const [regions, products, rows] = await Promise.all([
    db.region.findMany({ where: { providerId: provider.id }, orderBy: { id: "asc" } }),
    db.product.findMany({ where: { providerId: provider.id }, orderBy: { id: "asc" } }),
    db.publishedEntry.findMany({
      where: { catalogVersionId: found.id },
      orderBy: { position: "asc" },
      include: { region: { select: { code: true } }, products: { select: { productId: true } } },
    }),
  ]);
  const regionRank = new Map(regions.map((r, rank) => [r.id, rank]));
  const productName = new Map(products.map((p) => [p.id, p.name]));
  const productRank = new Map(products.map((p, rank) => [p.id, rank]));
  const rank = (regionId: number) => regionRank.get(regionId) ?? regions.length;
  const entries = rows
    .sort((a, b) => rank(a.regionId) - rank(b.regionId) || a.position - b.position)
    .map((row) => ({
      cidr: row.cidr,
      region: row.region.code,
      products: row.products
        .map((p) => p.productId)
        .sort((a, b) => (productRank.get(a) ?? 0) - (productRank.get(b) ?? 0))
        .map((id) => productName.get(id) ?? String(id)),
    }));
  const counts = new Map<string, number>();
  for (const entry of entries) counts.set(entry.region, (counts.get(entry.region) ?? 0) + 1);
  const current: CurrentCatalog = {
    ...buildCatalog(entries),
    version: found,
    provider: { slug: provider.slug, name: provider.name },
    regions: regions.map((r) => ({ code: r.code, name: r.name, count: counts.get(r.code) ?? 0 })),
    products: products.map((p) => p.name),
    entries,
  };
  if (byVersion.size >= 4) byVersion.clear();
  byVersion.set(found.id, current);
  return current;
}

export interface CatalogVersionSummary extends CatalogVersionInfo {
  readonly note: string | null;
  readonly entryCount: number;
}

/** Every version of the provider's catalog, newest first, with its entry count. */
export async function listCatalogVersions(
  db: Db,
  providerSlug: string = DEFAULT_PROVIDER,
): Promise<CatalogVersionSummary[]> {
  const provider = await findProvider(db, providerSlug);
  const rows = await db.catalogVersion.findMany({
    where: { providerId: provider.id },
    orderBy: { version: "desc" },
    select: { ...versionSelect, note: true, _count: { select: { entries: true } } },
  });
  return rows.map(({ _count, ...row }) => ({ ...row, entryCount: _count.entries }));
}

/** Current catalogs by database client, then by catalog version id (ids are per database, so per client). */
const catalogCache = new WeakMap<Db, Map<number, CurrentCatalog>>();
