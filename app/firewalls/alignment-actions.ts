"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { bringInLine, type BringInLineResult } from "@/lib/api/alignment";
import { actionSession } from "@/lib/auth/page";
import { getDb } from "@/lib/db/client";
import { DatabaseError } from "@/lib/db/errors";
import { ensureAppDatabase } from "@/lib/db/ready";

const schema = z.strictObject({ id: z.number().int().positive(), format: z.string().min(1).max(40) });

/** "Bring in line": the additions in the chosen format and the removal list, as files for the browser to save. */
export async function bringInLineAction(input: unknown): Promise<BringInLineResult> {
  const allowed = await actionSession("export:create");
  if (!allowed.ok) return { ok: false, status: 400, message: allowed.message };
  const parsed = schema.safeParse(input);
  if (!parsed.success) return { ok: false, status: 400, message: "Choose a firewall and a format." };
  try {
    await ensureAppDatabase();
    const out = await bringInLine(
      getDb(),
      parsed.data.id,
      { format: parsed.data.format, options: {} },
      { actor: allowed.session.actor, userId: allowed.session.userId, channel: "download" },
    );
    if (out.ok) revalidatePath("/exports");
    return out;
  } catch (error) {
    if (error instanceof DatabaseError) return { ok: false, status: 400, message: error.message };
    throw error;
  }
}
