"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { authorize, dashboardSession, readAuthConfig } from "@/lib/auth/permissions";
import { getCurrentCatalog } from "@/lib/db/catalog";
import { getDb } from "@/lib/db/client";
import { DatabaseError } from "@/lib/db/errors";
import { createFirewall, deleteFirewall, restoreFirewallRevision, saveFirewallRevision, type WriteResult } from "@/lib/db/firewall";
import { ensureAppDatabase } from "@/lib/db/ready";
import { conflictMessage, fieldErrors, firewallIdSchema, firewallSchemas, resolveFormat, type FirewallFormState } from "@/lib/firewall/schema";

function checkWrite(): FirewallFormState | null {
  const allowed = authorize(dashboardSession(readAuthConfig(process.env)), "firewall:write");
  return allowed.ok ? null : { message: allowed.message };
}

async function regionCodes(): Promise<string[]> {
  await ensureAppDatabase();
  const catalog = await getCurrentCatalog(getDb());
  return catalog.regions.map((r) => r.code);
}

function formObject(formData: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of formData) if (typeof value === "string" && !key.startsWith("$ACTION")) out[key] = value;
  return out;
}

function refused(result: Exclude<WriteResult<unknown>, { ok: true }>): FirewallFormState {
  switch (result.reason) {
    case "not-found":
      return { message: "This firewall no longer exists: someone deleted it." };
    case "name-taken":
      return { errors: { name: `A firewall named "${result.name}" already exists.` }, message: "Choose another name." };
    case "conflict":
      return { conflict: { head: result.head, message: conflictMessage(result.head) } };
  }
}

async function guarded(run: () => Promise<FirewallFormState>): Promise<FirewallFormState> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof DatabaseError) return { message: error.message };
    throw error;
  }
}

/** "Save as firewall" on /compare: creates the firewall with revision 1, then opens it. */
export async function createFirewallAction(_prev: FirewallFormState, formData: FormData): Promise<FirewallFormState> {
  const denied = checkWrite();
  if (denied) return denied;
  let id = 0;
  const state = await guarded(async () => {
    const parsed = firewallSchemas(await regionCodes()).create.safeParse(formObject(formData));
    if (!parsed.success) return { errors: fieldErrors(parsed.error.issues), message: "Check the highlighted fields." };
    const input = parsed.data;
    const result = await createFirewall(getDb(), { ...input, format: resolveFormat(input.text, input.format) });
    if (!result.ok) return refused(result);
    id = result.value.id;
    return {};
  });
  if (id === 0) return state;
  revalidatePath("/firewalls");
  redirect(`/firewalls/${id}`);
}

/** "Save revision" on /firewalls/[id]/edit. A stale baseRevision returns a conflict; the editor keeps its text. */
export async function saveRevisionAction(firewallId: number, _prev: FirewallFormState, formData: FormData): Promise<FirewallFormState> {
  const denied = checkWrite();
  if (denied) return denied;
  let saved = false;
  const state = await guarded(async () => {
    const parsed = firewallSchemas(await regionCodes()).revision.safeParse(formObject(formData));
    if (!parsed.success) return { errors: fieldErrors(parsed.error.issues), message: "Check the highlighted fields." };
    const input = parsed.data;
    const result = await saveFirewallRevision(getDb(), firewallId, { ...input, format: resolveFormat(input.text, input.format) });
    if (!result.ok) return refused(result);
    saved = true;
    return {};
  });
  if (!saved) return state;
  revalidatePath("/firewalls");
  redirect(`/firewalls/${firewallId}`);
}

/** "Restore" on the history page: revision k's content becomes a new head revision. */
export async function restoreRevisionAction(firewallId: number, _prev: FirewallFormState, formData: FormData): Promise<FirewallFormState> {
  const denied = checkWrite();
  if (denied) return denied;
  let restored: number | undefined;
  const state = await guarded(async () => {
    await ensureAppDatabase();
    const parsed = firewallSchemas([]).restore.safeParse(formObject(formData));
    if (!parsed.success) return { errors: fieldErrors(parsed.error.issues), message: "That revision cannot be restored." };
    const result = await restoreFirewallRevision(getDb(), firewallId, parsed.data);
    if (!result.ok) return refused(result);
    restored = parsed.data.number;
    return {};
  });
  if (restored === undefined) return state;
  revalidatePath("/firewalls");
  // The history says which revision came back (a status line), so the user knows the restore worked.
  redirect(`/firewalls/${firewallId}/history?restored=${restored}`);
}

/** "Delete" (after the confirmation dialog). */
export async function deleteFirewallAction(_prev: FirewallFormState, formData: FormData): Promise<FirewallFormState> {
  const denied = checkWrite();
  if (denied) return denied;
  const id = firewallIdSchema.safeParse(formData.get("id"));
  if (!id.success) return { message: "No such firewall." };
  const state = await guarded(async () => {
    await ensureAppDatabase();
    return (await deleteFirewall(getDb(), id.data)) ? {} : { message: "This firewall was already deleted." };
  });
  if (state.message) return state;
  revalidatePath("/firewalls");
  redirect("/firewalls?deleted=1");
}
