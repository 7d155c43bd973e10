"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { clientIp } from "@/lib/auth/client-ip";
import { recordAudit } from "@/lib/db/audit";
import { getDb } from "@/lib/db/client";
import { ensureAppDatabase } from "@/lib/db/ready";
import { createUser, newUserSchema } from "@/lib/db/user";

export interface SetupState {
  readonly message?: string;
  readonly errors?: Partial<Record<"email" | "name" | "password" | "confirm", string>>;
}

const setupSchema = newUserSchema
  .omit({ role: true })
  .extend({ confirm: z.string() })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "The two passwords differ." });

/** Creates the first admin; refused as soon as any user exists (checked in the same transaction as the insert). */
export async function createFirstAdminAction(_prev: SetupState, formData: FormData): Promise<SetupState> {
  const parsed = setupSchema.safeParse({
    email: formData.get("email"),
    name: formData.get("name") ?? "",
    password: formData.get("password"),
    confirm: formData.get("confirm"),
  });
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const i of parsed.error.issues) errors[String(i.path[0])] ??= i.message;
    return { errors, message: "Check the highlighted fields." };
  }
  await ensureAppDatabase();
  const made = await createUser(
    getDb(),
    { email: parsed.data.email, name: parsed.data.name, password: parsed.data.password, role: "admin" },
    { onlyIfFirst: true },
  );
  if (!made.ok) return { message: "Setup is already done: sign in instead." };
  await recordAudit(getDb(), {
    action: "user.create",
    who: { actor: `user:${made.user.email}`, userId: made.user.id },
    ip: clientIp(new Headers(await headers())),
    target: `user:${made.user.email}`,
    details: { role: { after: "admin" }, via: "setup" },
  });
  redirect("/sign-in?setup=1");
}
