"use client";

import Link from "next/link";
import { startTransition, useActionState, useState } from "react";
import { saveRevisionAction } from "@/app/firewalls/actions";
import { CompareWorkbench, type CompareCatalog, type CompareState } from "@/components/compare/CompareWorkbench";
import { fieldErrors, firewallSchemas, FIREWALL_LIMITS, type FirewallFormState } from "@/lib/firewall/schema";
import type { FormatId } from "@/lib/parse/types";
import { buttonClass, inputClass } from "./styles";

export interface EditableFirewall {
  readonly id: number;
  readonly name: string;
  readonly head: { readonly number: number; readonly text: string; readonly format: string; readonly regions: readonly string[]; readonly port: number };
}

/**
 * The edit screen: the compare workbench on the head revision's text, with "Save revision" and a note in its toolbar.
 * A save based on a stale head comes back as a conflict: the text stays in the editor, the message links to the
 * latest revision, and the next save is based on that head, so nothing typed is lost.
 */
export function FirewallEditor({ firewall, catalog }: { firewall: EditableFirewall; catalog: CompareCatalog }) {
  const [note, setNote] = useState("");
  const [local, setLocal] = useState<Record<string, string>>({});
  const [result, formAction, pending] = useActionState<FirewallFormState, FormData>(saveRevisionAction.bind(null, firewall.id), {});
  const base = result.conflict?.head ?? firewall.head.number;
  const errors = { ...result.errors, ...local };
  const codes = catalog.regions.map((r) => r.code);

  function save(state: CompareState) {
    const formData = new FormData();
    const fields = { baseRevision: String(base), text: state.text, format: state.format, regions: state.regions.join(","), port: String(state.port), note };
    for (const [k, v] of Object.entries(fields)) formData.set(k, v);
    const checked = firewallSchemas(codes).revision.safeParse(fields);
    if (!checked.success) {
      setLocal(fieldErrors(checked.error.issues));
      return;
    }
    setLocal({});
    // Outside a <form action>, an action dispatch must be wrapped in a transition to get `pending`.
    startTransition(() => formAction(formData));
  }

  const messages = Object.values(errors);
  return (
    <div className="space-y-4">
      {result.conflict ? (
        <div role="alert" className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-200">
          <p className="font-medium">{result.conflict.message}</p>
          <p className="mt-1">
            <Link href={`/firewalls/${firewall.id}`} target="_blank" className="underline underline-offset-2">
              View revision {result.conflict.head}
            </Link>{" "}
            ·{" "}
            <Link href={`/firewalls/${firewall.id}/history`} target="_blank" className="underline underline-offset-2">
              See what changed
            </Link>{" "}
            (opens in a new tab). Saving now makes your text revision {result.conflict.head + 1}.
          </p>
        </div>
      ) : null}
      {result.message || messages.length > 0 ? (
        <div role="alert" className="rounded-lg border border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/40 dark:text-red-300">
          {[result.message, ...messages].filter(Boolean).map((m) => (
            <p key={m}>{m}</p>
          ))}
        </div>
      ) : null}
      <CompareWorkbench
        catalog={catalog}
        initialText={firewall.head.text}
        initialFormat={firewall.head.format as FormatId}
        initialRegions={firewall.head.regions}
        initialPort={firewall.head.port}
        syncUrl={false}
        idPrefix="edit"
        actions={(state) => (
          <div className="flex flex-wrap items-center gap-2">
            <label htmlFor="revision-note" className="text-sm font-medium">
              Note
            </label>
            <input
              id="revision-note"
              value={note}
              onChange={(e) => setNote(e.target.value)}
              maxLength={FIREWALL_LIMITS.note}
              placeholder="What changed and why"
              className={`${inputClass} w-64`}
            />
            <button type="button" className={buttonClass.primary} disabled={pending} onClick={() => save(state)}>
              {pending ? "Saving…" : result.conflict ? `Save as revision ${base + 1}` : "Save revision"}
            </button>
            <Link href={`/firewalls/${firewall.id}`} className={buttonClass.secondary}>
              Cancel
            </Link>
          </div>
        )}
      />
    </div>
  );
}
