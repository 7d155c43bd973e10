"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { createWebhookFrom } from "@/lib/api/webhooks";
import { actionSession } from "@/lib/auth/page";
import type { Session } from "@/lib/auth/permissions";
import { recordAudit } from "@/lib/db/audit";
import { getDb } from "@/lib/db/client";
import { DatabaseError } from "@/lib/db/errors";
import { deleteWebhook } from "@/lib/db/notification";
import { ensureAppDatabase } from "@/lib/db/ready";
import { sendTest } from "@/lib/notify/dispatch";

export type NotificationActionResult =
  | { readonly ok: true; readonly message?: string; readonly secret?: string }
  | { readonly ok: false; readonly message: string };

type Who = { readonly session: Session; readonly ip: string | null };

async function run(work: (who: Who) => Promise<NotificationActionResult>): Promise<NotificationActionResult> {
  const allowed = await actionSession("notification:write");
  if (!allowed.ok) return { ok: false, message: allowed.message };
  try {
    await ensureAppDatabase();
    const out = await work(allowed);
    revalidatePath("/notifications");
    revalidatePath("/");
    return out;
  } catch (error) {
    if (error instanceof DatabaseError) return { ok: false, message: error.message };
    throw error;
  }
}

export async function createWebhookAction(input: unknown): Promise<NotificationActionResult> {
  return run(async (who) => {
    const out = await createWebhookFrom(getDb(), input);
    if (!out.ok)
      return {
        ok: false,
        message: `${out.message} ${out.issues.map((i) => `${i.path ?? ""}: ${i.message}`).join("; ")}`,
      };
    await recordAudit(getDb(), {
      action: "webhook.create",
      who: who.session,
      ip: who.ip,
      target: `webhook:${out.hook.id}`,
      details: { url: out.hook.url },
    });
    return { ok: true, secret: out.secret, message: `Webhook ${out.hook.id} added.` };
  });
}

const idSchema = z.number().int().positive();

export async function deleteWebhookAction(id: unknown): Promise<NotificationActionResult> {
  return run(async (who) => {
    const parsed = idSchema.safeParse(id);
    if (!parsed.success || !(await deleteWebhook(getDb(), parsed.data)))
      return { ok: false, message: "No such webhook." };
    await recordAudit(getDb(), {
      action: "webhook.delete",
      who: who.session,
      ip: who.ip,
      target: `webhook:${parsed.data}`,
    });
    return { ok: true };
  });
}

export async function sendTestAction(target: unknown): Promise<NotificationActionResult> {
  return run(async () => {
    const parsed = z
      .union([z.strictObject({ webhookId: idSchema }), z.strictObject({ email: z.literal(true) })])
      .safeParse(target);
    if (!parsed.success) return { ok: false, message: "Nothing to test." };
    const result = await sendTest(getDb(), parsed.data);
    return result === "delivered"
      ? { ok: true, message: "Test delivered." }
      : {
          ok: false,
          message: result === "failed" ? "The test was not delivered: see the delivery log." : "Not configured.",
        };
  });
}
