import { recordAudit } from "./audit";
import type { Db } from "./client";
import { DEFAULT_PROVIDER } from "./catalog";
import { DatabaseError } from "./errors";

export interface NewExportRecord {
  readonly format: string;
  readonly scope: "full" | "missing" | "sync";
  /** Options as JSON text (see storedExportOptions in lib/export/describe.ts). */
  readonly options: string;
  /** The catalog version number the export was rendered from. */
  readonly catalogVersion: number;
  readonly provider?: string;
  readonly entryCount: number;
  readonly regions: readonly string[];
  readonly channel: "copy" | "download" | "api" | "cli";
  readonly source: "catalog" | "paste" | "firewall";
  readonly firewallId?: number;
  readonly actor: string;
  /** For the audit event written with the record: the user behind the actor and the client's address. */
  readonly userId?: string | null;
  readonly ip?: string | null;
}

export interface ExportRecordView {
  readonly id: number;
  readonly createdAt: string;
  readonly format: string;
  readonly scope: string;
  readonly options: string;
  readonly catalogVersion: number;
  readonly entryCount: number;
  readonly regions: readonly string[];
  readonly channel: string;
  readonly source: string;
  readonly firewallId: number | null;
  readonly actor: string;
}

const select = {
  id: true,
  createdAt: true,
  format: true,
  scope: true,
  options: true,
  entryCount: true,
  regions: true,
  channel: true,
  source: true,
  firewallId: true,
  actor: true,
  catalogVersion: { select: { version: true } },
} as const;

type Row = {
  id: number;
  createdAt: Date;
  format: string;
  scope: string;
  options: string;
  entryCount: number;
  regions: string;
  channel: string;
  source: string;
  firewallId: number | null;
  actor: string;
  catalogVersion: { version: number };
};

function toView(row: Row): ExportRecordView {
  const { catalogVersion, createdAt, regions, ...rest } = row;
  return {
    ...rest,
    createdAt: createdAt.toISOString(),
    catalogVersion: catalogVersion.version,
    regions: regions === "" ? [] : regions.split(","),
  };
}

/** Adds one line to the export log. The catalog version must exist (it is never deleted while records point at it). */
export async function createExportRecord(db: Db, input: NewExportRecord): Promise<ExportRecordView> {
  const version = await db.catalogVersion.findFirst({
    where: { version: input.catalogVersion, provider: { slug: input.provider ?? DEFAULT_PROVIDER } },
    select: { id: true },
  });
  if (version === null) throw new DatabaseError(`The catalog has no version ${input.catalogVersion}.`);
  const row = await db.exportRecord.create({
    data: {
      format: input.format,
      scope: input.scope,
      options: input.options,
      catalogVersionId: version.id,
      entryCount: input.entryCount,
      regions: input.regions.join(","),
      channel: input.channel,
      source: input.source,
      firewallId: input.firewallId ?? null,
      actor: input.actor,
    },
    select,
  });
  const view = toView(row);
  await recordAudit(db, {
    action: "export",
    who: { actor: input.actor, userId: input.userId ?? null },
    ip: input.ip ?? null,
    target: `export:${view.id}`,
    details: {
      format: view.format,
      scope: view.scope,
      channel: view.channel,
      source: view.source,
      firewallId: view.firewallId,
      entryCount: view.entryCount,
      regions: view.regions.join(","),
      catalogVersion: view.catalogVersion,
    },
  });
  return view;
}

/** The export log, newest first (ties broken by id, so records made in the same millisecond keep their order). */
export async function listExportRecords(
  db: Db,
  options: { readonly limit?: number } = {},
): Promise<ExportRecordView[]> {
  const rows = await db.exportRecord.findMany({
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: options.limit ?? 500,
    select,
  });
  return rows.map(toView);
}

export async function countExportRecords(db: Db): Promise<number> {
  return db.exportRecord.count();
}
