"use client";

import { useActionState, useState } from "react";
import { deleteFirewallAction } from "@/app/firewalls/actions";
import type { FirewallFormState } from "@/lib/firewall/schema";
import { Dialog } from "./Dialog";
import { buttonClass } from "./styles";

/** Delete, behind a confirmation dialog that names what goes (the firewall and every revision). */
export function DeleteFirewallButton({ id, name, revisions }: { id: number; name: string; revisions: number }) {
  const [open, setOpen] = useState(false);
  const [state, formAction, pending] = useActionState<FirewallFormState, FormData>(deleteFirewallAction, {});
  return (
    <>
      <button type="button" className={buttonClass.danger} onClick={() => setOpen(true)}>
        Delete
      </button>
      <Dialog open={open} onClose={() => setOpen(false)} title={`Delete “${name}”?`} titleId="delete-firewall-title">
        <form action={formAction} className="space-y-4">
          <input type="hidden" name="id" value={id} />
          <p className="text-sm text-slate-700 dark:text-slate-300">
            This deletes the firewall and all {revisions} {revisions === 1 ? "revision" : "revisions"} of its list. It
            cannot be undone.
          </p>
          {state.message ? (
            <p role="alert" className="text-sm text-red-700 dark:text-red-400">
              {state.message}
            </p>
          ) : null}
          <div className="flex justify-end gap-2">
            <button type="button" className={buttonClass.secondary} onClick={() => setOpen(false)} autoFocus>
              Cancel
            </button>
            <button type="submit" className={buttonClass.danger} disabled={pending}>
              {pending ? "Deleting…" : "Delete firewall"}
            </button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
