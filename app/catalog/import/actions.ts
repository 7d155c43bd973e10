"use server";

import { revalidatePath } from "next/cache";
import { performImport, type ImportOutcome } from "@/lib/api/catalog";
import { actionSession } from "@/lib/auth/page";
import { importRequestSchema } from "@/lib/catalog/import-schema";
import { getDb } from "@/lib/db/client";
import { DatabaseError } from "@/lib/db/errors";
import { ensureAppDatabase } from "@/lib/db/ready";

/** "Update catalog": a preview, or with `confirm` the next version. Same schema and steps as POST /api/v1/catalog/import. */
export async function importCatalogAction(input: unknown): Promise<ImportOutcome> {
  const allowed = await actionSession("catalog:import");
  if (!allowed.ok) return { kind: "error", status: 400, message: allowed.message };
  const parsed = importRequestSchema.safeParse(input);
  if (!parsed.success)
    return { kind: "error", status: 400, message: parsed.error.issues.map((i) => i.message).join("; ") };
  try {
    await ensureAppDatabase();
    const out = await performImport(getDb(), parsed.data, undefined, { session: allowed.session, ip: allowed.ip });
    if (out.kind === "created") {
      for (const path of ["/", "/catalog", "/catalog/changes", "/compare", "/firewalls"]) revalidatePath(path);
    }
    return out;
  } catch (error) {
    if (error instanceof DatabaseError) return { kind: "error", status: 400, message: error.message };
    throw error;
  }
}
