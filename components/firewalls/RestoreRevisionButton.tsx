"use client";

import Link from "next/link";
import { useActionState } from "react";
import { restoreRevisionAction } from "@/app/firewalls/actions";
import type { FirewallFormState } from "@/lib/firewall/schema";
import { buttonClass } from "./styles";

/** Restores revision `number` as a new revision on top of `head`; a concurrent save shows the conflict instead. */
export function RestoreRevisionButton({ firewallId, number, head }: { firewallId: number; number: number; head: number }) {
  const [state, formAction, pending] = useActionState<FirewallFormState, FormData>(restoreRevisionAction.bind(null, firewallId), {});
  return (
    <form action={formAction} className="inline">
      <input type="hidden" name="baseRevision" value={head} />
      <input type="hidden" name="number" value={number} />
      <button type="submit" className={buttonClass.secondary} disabled={pending} aria-label={`Restore revision ${number}`}>
        {pending ? "Restoring…" : "Restore"}
      </button>
      {state.conflict || state.message ? (
        <p role="alert" className="mt-2 text-sm text-amber-800 dark:text-amber-300">
          {state.conflict ? `Someone saved revision ${state.conflict.head} meanwhile. ` : `${state.message} `}
          <Link href={`/firewalls/${firewallId}/history`} className="underline">
            Reload the history
          </Link>
        </p>
      ) : null}
    </form>
  );
}
