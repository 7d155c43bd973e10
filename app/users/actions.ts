"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { actionSession } from "@/lib/auth/page";
import { roleSchema } from "@/lib/auth/permissions";
import { recordAudit } from "@/lib/db/audit";
import { getDb } from "@/lib/db/client";
import { createUser, newUserSchema, updateUser } from "@/lib/db/user";

export interface UserFormState {
  readonly message?: string;
  readonly ok?: boolean;
  readonly errors?: Partial<Record<"email" | "name" | "password" | "role", string>>;
}

/** An admin adds a person with a first password (they change it on /account). */
export async function createUserAction(_prev: UserFormState, formData: FormData): Promise<UserFormState> {
  const who = await actionSession("user:admin");
  if (!who.ok) return { message: who.message };
  const parsed = newUserSchema.safeParse({
    email: formData.get("email"),
    name: formData.get("name") ?? "",
    password: formData.get("password"),
    role: formData.get("role"),
  });
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const i of parsed.error.issues) errors[String(i.path[0])] ??= i.message;
    return { errors, message: "Check the highlighted fields." };
  }
  const made = await createUser(getDb(), parsed.data);
  if (!made.ok) return { errors: { email: "A user with this e-mail exists." } };
  await recordAudit(getDb(), {
    action: "user.create",
    who: who.session,
    ip: who.ip,
    target: `user:${made.user.email}`,
    details: { role: { after: made.user.role } },
  });
  revalidatePath("/users");
  return { ok: true, message: `${made.user.email} can now sign in as ${made.user.role}.` };
}

const updateSchema = z.object({
  id: z.string().min(1).max(100),
  role: roleSchema.optional(),
  disabled: z.enum(["0", "1"]).optional(),
});

/** Changes a role or disables/enables an account; the last enabled admin stays. */
export async function updateUserAction(_prev: UserFormState, formData: FormData): Promise<UserFormState> {
  const who = await actionSession("user:admin");
  if (!who.ok) return { message: who.message };
  const parsed = updateSchema.safeParse({
    id: formData.get("id"),
    role: formData.get("role") ?? undefined,
    disabled: formData.get("disabled") ?? undefined,
  });
  if (!parsed.success) return { message: "Choose a user and a change." };
  const result = await updateUser(getDb(), parsed.data.id, {
    ...(parsed.data.role ? { role: parsed.data.role } : {}),
    ...(parsed.data.disabled ? { disabled: parsed.data.disabled === "1" } : {}),
  });
  if (!result.ok)
    return {
      message:
        result.reason === "last-admin"
          ? "This is the last enabled admin: make someone else admin first."
          : "No such user.",
    };
  const { before, after } = result;
  const details: Record<string, unknown> = {};
  if (before.role !== after.role) details.role = { before: before.role, after: after.role };
  if ((before.disabledAt === null) !== (after.disabledAt === null))
    details.disabled = { before: before.disabledAt !== null, after: after.disabledAt !== null };
  await recordAudit(getDb(), {
    action: "user.update",
    who: who.session,
    ip: who.ip,
    target: `user:${after.email}`,
    details,
  });
  revalidatePath("/users");
  return { ok: true, message: `${after.email} updated.` };
}
