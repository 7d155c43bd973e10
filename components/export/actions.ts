"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { storedExportOptions } from "@/lib/api/export-core";
import { recordExportSchema, type RecordExportResult } from "@/lib/api/export-schema";
import { authorize, dashboardSession, readAuthConfig } from "@/lib/auth/permissions";
import { getCurrentCatalog } from "@/lib/db/catalog";
import { getDb } from "@/lib/db/client";
import { DatabaseError } from "@/lib/db/errors";
import { createExportRecord } from "@/lib/db/export-record";
import { ensureAppDatabase } from "@/lib/db/ready";
import { exportOptionsSchema } from "@/lib/export/prepare";

/** Records one copy or download from the export panel in the export log (the /exports page). */
export async function recordExportAction(input: unknown): Promise<RecordExportResult> {
  const session = authorize(dashboardSession(readAuthConfig(process.env)), "export:create");
  if (!session.ok) return { ok: false, message: session.message };

  const parsed = recordExportSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, message: "The export could not be recorded: its details are invalid.", errors: z.flattenError(parsed.error).fieldErrors };
  }
  const request = parsed.data;
  const options = exportOptionsSchema.safeParse({ ...request.options, scope: request.scope });
  if (!options.success) {
    return { ok: false, message: "The export could not be recorded: its options are invalid.", errors: z.flattenError(options.error).fieldErrors };
  }

  try {
    await ensureAppDatabase();
    const db = getDb();
    const catalogVersion = request.catalogVersion ?? (await getCurrentCatalog(db)).version.version;
    const record = await createExportRecord(db, {
      format: request.format,
      scope: request.scope,
      options: JSON.stringify(storedExportOptions(options.data)),
      catalogVersion,
      entryCount: request.entryCount,
      regions: request.regions,
      channel: request.channel,
      source: request.source,
      ...(request.firewallId === undefined ? {} : { firewallId: request.firewallId }),
      actor: session.session.actor,
    });
    revalidatePath("/exports");
    return { ok: true, id: record.id };
  } catch (error) {
    if (error instanceof DatabaseError) return { ok: false, message: `The export could not be recorded: ${error.message}` };
    throw error;
  }
}
