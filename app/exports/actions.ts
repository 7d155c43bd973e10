"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { recordExportSchema, type RecordExportResult } from "@/lib/export/record-schema";
import { actionSession } from "@/lib/auth/page";
import { getCurrentCatalog } from "@/lib/db/catalog";
import { getDb } from "@/lib/db/client";
import { DatabaseError } from "@/lib/db/errors";
import { ensureAppDatabase } from "@/lib/db/ready";
import { recordPanelExport } from "@/lib/api/record-export";

/** Records one copy or download from the export panel in the export log (the /exports page). */
export async function recordExportAction(input: unknown): Promise<RecordExportResult> {
  const session = await actionSession("export:create");
  if (!session.ok) return { ok: false, message: session.message };

  const parsed = recordExportSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      message: "The export could not be recorded: its details are invalid.",
      errors: z.flattenError(parsed.error).fieldErrors,
    };
  }
  try {
    await ensureAppDatabase();
    const db = getDb();
    const outcome = await recordPanelExport(db, await getCurrentCatalog(db), session.session, parsed.data);
    if (!outcome.ok) return outcome;
    revalidatePath("/exports");
    return { ok: true, id: outcome.record.id };
  } catch (error) {
    if (error instanceof DatabaseError)
      return { ok: false, message: `The export could not be recorded: ${error.message}` };
    throw error;
  }
}
