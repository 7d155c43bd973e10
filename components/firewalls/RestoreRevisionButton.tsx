"use client";

import Link from "next/link";
import { useActionState, useState } from "react";
import { restoreRevisionAction } from "@/app/firewalls/actions";
import type { FirewallFormState } from "@/lib/firewall/schema";
import { Dialog } from "./Dialog";
import { buttonClass } from "./styles";

/**
 * Restores revision `number` as a new revision on top of `head`, after a confirmation that says what happens (nothing
 * is lost: the current list stays in the history). The history then says it worked; a concurrent save shows the conflict.
 */
export function RestoreRevisionButton({
  firewallId,
  number,
  head,
  note,
}: {
  firewallId: number;
  number: number;
  head: number;
  note: string;
}) {
  const [open, setOpen] = useState(false);
  const [state, formAction, pending] = useActionState<FirewallFormState, FormData>(
    restoreRevisionAction.bind(null, firewallId),
    {},
  );
  const titleId = `restore-${number}-title`;
  return (
    <>
      <button
        type="button"
        className={buttonClass.secondary}
        onClick={() => setOpen(true)}
        aria-label={`Restore revision ${number}…`}
      >
        Restore…
      </button>
      <Dialog open={open} onClose={() => setOpen(false)} title={`Restore revision ${number}?`} titleId={titleId}>
        <form action={formAction} className="space-y-4">
          <input type="hidden" name="baseRevision" value={head} />
          <input type="hidden" name="number" value={number} />
          <p className="text-sm text-slate-700 dark:text-slate-300">
            Its list and settings{note ? ` (“${note}”)` : ""} become revision {head + 1}, the latest. Revision {head}{" "}
            and every other revision stay in the history.
          </p>
          {state.conflict || state.message ? (
            <p role="alert" className="text-sm text-amber-800 dark:text-amber-300">
              {state.conflict ? `Someone saved revision ${state.conflict.head} meanwhile. ` : `${state.message} `}
              <Link href={`/firewalls/${firewallId}/history`} className="underline">
                Reload the history
              </Link>
            </p>
          ) : null}
          <div className="flex justify-end gap-2">
            <button type="button" className={buttonClass.secondary} onClick={() => setOpen(false)} autoFocus>
              Cancel
            </button>
            <button type="submit" className={buttonClass.primary} disabled={pending}>
              {pending ? "Restoring…" : `Restore revision ${number}`}
            </button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
