"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { actionSession } from "@/lib/auth/page";
import { can } from "@/lib/auth/permissions";
import { createApiToken, newTokenSchema, revokeApiToken } from "@/lib/db/api-token";
import { recordAudit } from "@/lib/db/audit";
import { getDb } from "@/lib/db/client";

export interface TokenFormState {
  readonly message?: string;
  readonly errors?: Partial<Record<"name" | "role" | "expiresInDays", string>>;
  /** The new token, shown once. */
  readonly token?: string;
}

/** Creates a personal API token with a role no higher than the creator's. */
export async function createTokenAction(_prev: TokenFormState, formData: FormData): Promise<TokenFormState> {
  const who = await actionSession("token:own");
  if (!who.ok) return { message: who.message };
  const expires = formData.get("expiresInDays");
  const parsed = newTokenSchema.safeParse({
    name: formData.get("name"),
    role: formData.get("role"),
    ...(expires ? { expiresInDays: expires } : {}),
  });
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const i of parsed.error.issues) errors[String(i.path[0])] ??= i.message;
    return { errors, message: "Check the highlighted fields." };
  }
  const made = await createApiToken(getDb(), who.session.userId ?? "", parsed.data);
  if (!made.ok)
    return made.reason === "role-too-high"
      ? { errors: { role: `Your role is ${who.session.role}: a token cannot have more.` } }
      : { message: "Your account cannot hold tokens." };
  await recordAudit(getDb(), {
    action: "token.create",
    who: who.session,
    ip: who.ip,
    target: `token:${made.view.id}`,
    details: {
      name: made.view.name,
      role: made.view.role,
      owner: who.session.email,
      expiresAt: made.view.expiresAt?.toISOString() ?? null,
    },
  });
  revalidatePath("/account");
  return { token: made.token, message: `Token "${made.view.name}" created. Copy it now: it is not shown again.` };
}

const revokeSchema = z.object({ id: z.coerce.number().int().positive() });

/** Revokes one of the caller's tokens (an admin may revoke anyone's). */
export async function revokeTokenAction(formData: FormData): Promise<void> {
  const who = await actionSession("token:own");
  if (!who.ok) return;
  const parsed = revokeSchema.safeParse({ id: formData.get("id") });
  if (!parsed.success) return;
  const admin = can(who.session, "user:admin");
  const token = await revokeApiToken(getDb(), parsed.data.id, admin ? undefined : (who.session.userId ?? ""));
  if (token === null) return;
  await recordAudit(getDb(), {
    action: "token.revoke",
    who: who.session,
    ip: who.ip,
    target: `token:${token.id}`,
    details: { name: token.name, role: token.role, owner: token.userId },
  });
  revalidatePath("/account");
  revalidatePath("/users");
}
