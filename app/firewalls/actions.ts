"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { actionSession } from "@/lib/auth/page";
import type { Session } from "@/lib/auth/permissions";
import { auditFirewall } from "@/lib/db/audit";
import { getCurrentCatalog } from "@/lib/db/catalog";
import { getDb } from "@/lib/db/client";
import { DatabaseError } from "@/lib/db/errors";
import {
  createFirewall,
  deleteFirewall,
  getFirewall,
  restoreFirewallRevision,
  saveFirewallRevision,
  type WriteResult,
} from "@/lib/db/firewall";
import { ensureAppDatabase } from "@/lib/db/ready";
import {
  conflictMessage,
  fieldErrors,
  firewallIdSchema,
  firewallSchemas,
  resolveFormat,
  type FirewallFormState,
} from "@/lib/firewall/schema";

async function checkWrite(): Promise<
  { ok: true; session: Session; ip: string | null } | { ok: false; state: FirewallFormState }
> {
  const allowed = await actionSession("firewall:write");
  return allowed.ok ? allowed : { ok: false, state: { message: allowed.message } };
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
  const who = await checkWrite();
  if (!who.ok) return who.state;
  let id = 0;
  const state = await guarded(async () => {
    const parsed = firewallSchemas(await regionCodes()).create.safeParse(formObject(formData));
    if (!parsed.success) return { errors: fieldErrors(parsed.error.issues), message: "Check the highlighted fields." };
    const input = parsed.data;
    const result = await createFirewall(getDb(), { ...input, format: resolveFormat(input.text, input.format) });
    if (!result.ok) return refused(result);
    await auditFirewall(getDb(), "firewall.create", who.session, who.ip, null, result.value);
    id = result.value.id;
    return {};
  });
  if (id === 0) return state;
  revalidatePath("/firewalls");
  redirect(`/firewalls/${id}`);
}

/** "Save revision" on /firewalls/[id]/edit. A stale baseRevision returns a conflict; the editor keeps its text. */
export async function saveRevisionAction(
  firewallId: number,
  _prev: FirewallFormState,
  formData: FormData,
): Promise<FirewallFormState> {
  const who = await checkWrite();
  if (!who.ok) return who.state;
  let saved = false;
  const state = await guarded(async () => {
    const parsed = firewallSchemas(await regionCodes()).revision.safeParse(formObject(formData));
    if (!parsed.success) return { errors: fieldErrors(parsed.error.issues), message: "Check the highlighted fields." };
    const input = parsed.data;
    const before = await getFirewall(getDb(), firewallId);
    const result = await saveFirewallRevision(getDb(), firewallId, {
      ...input,
      format: resolveFormat(input.text, input.format),
    });
    if (!result.ok) return refused(result);
    await auditFirewall(getDb(), "firewall.edit", who.session, who.ip, before, result.value);
    saved = true;
    return {};
  });
  if (!saved) return state;
  revalidatePath("/firewalls");
  redirect(`/firewalls/${firewallId}`);
}

/** "Restore" on the history page: revision k's content becomes a new head revision. */
export async function restoreRevisionAction(
  firewallId: number,
  _prev: FirewallFormState,
  formData: FormData,
): Promise<FirewallFormState> {
  const who = await checkWrite();
  if (!who.ok) return who.state;
  let restored: number | undefined;
  const state = await guarded(async () => {
    await ensureAppDatabase();
    const parsed = firewallSchemas([]).restore.safeParse(formObject(formData));
    if (!parsed.success)
      return { errors: fieldErrors(parsed.error.issues), message: "That revision cannot be restored." };
    const before = await getFirewall(getDb(), firewallId);
    const result = await restoreFirewallRevision(getDb(), firewallId, parsed.data);
    if (!result.ok) return refused(result);
    await auditFirewall(getDb(), "firewall.restore", who.session, who.ip, before, result.value);
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
  const who = await checkWrite();
  if (!who.ok) return who.state;
  const id = firewallIdSchema.safeParse(formData.get("id"));
  if (!id.success) return { message: "No such firewall." };
  const state = await guarded(async () => {
    await ensureAppDatabase();
    const before = await getFirewall(getDb(), id.data);
    if (!(await deleteFirewall(getDb(), id.data))) return { message: "This firewall was already deleted." };
    await auditFirewall(getDb(), "firewall.delete", who.session, who.ip, before, null);
    return {};
  });
  if (state.message) return state;
  revalidatePath("/firewalls");
  redirect("/firewalls?deleted=1");
}
