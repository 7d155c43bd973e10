"use client";

import Link from "next/link";
import { startTransition, useActionState, useEffect, useRef, useState } from "react";
import { saveRevisionAction } from "@/app/firewalls/actions";
import { CompareWorkbench, type CompareCatalog, type CompareState } from "@/components/compare/CompareWorkbench";
import { fieldErrors, firewallSchemas, FIREWALL_LIMITS, type FirewallFormState } from "@/lib/firewall/schema";
import type { FormatId } from "@/lib/parse/types";
import { FieldError } from "./Dialog";
import { buttonClass, inputClass } from "./styles";

export interface EditableFirewall {
  readonly id: number;
  readonly name: string;
  readonly description: string;
  readonly head: {
    readonly number: number;
    readonly text: string;
    readonly format: string;
    readonly regions: readonly string[];
    readonly port: number;
  };
}

/**
 * The edit screen: name and description above the compare workbench on the head revision's text, with
 * "Save revision" and a note in its toolbar; all of them are saved together as the next revision.
 * A save based on a stale head comes back as a conflict: the text stays in the editor, the message links to the
 * latest revision, and the next save is based on that head, so nothing typed is lost.
 */
export function FirewallEditor({ firewall, catalog }: { firewall: EditableFirewall; catalog: CompareCatalog }) {
  const [note, setNote] = useState("");
  const [name, setName] = useState(firewall.name);
  const [description, setDescription] = useState(firewall.description);
  const nameRef = useRef<HTMLInputElement>(null);
  const descriptionRef = useRef<HTMLTextAreaElement>(null);
  const [local, setLocal] = useState<Record<string, string>>({});
  const [result, formAction, pending] = useActionState<FirewallFormState, FormData>(
    saveRevisionAction.bind(null, firewall.id),
    {},
  );
  const base = result.conflict?.head ?? firewall.head.number;
  const errors = { ...result.errors, ...local };
  const codes = catalog.regions.map((r) => r.code);

  // A refused name or description takes the focus to its field, where the message is read out with it.
  useEffect(() => {
    if (result.errors?.name) nameRef.current?.focus();
    else if (result.errors?.description) descriptionRef.current?.focus();
  }, [result]);

  function save(state: CompareState) {
    const formData = new FormData();
    const fields = {
      baseRevision: String(base),
      text: state.text,
      format: state.format,
      regions: state.regions.join(","),
      port: String(state.port),
      note,
      name,
      description,
    };
    for (const [k, v] of Object.entries(fields)) formData.set(k, v);
    const checked = firewallSchemas(codes).revision.safeParse(fields);
    if (!checked.success) {
      const found = fieldErrors(checked.error.issues);
      setLocal(found);
      if (found.name) nameRef.current?.focus();
      else if (found.description) descriptionRef.current?.focus();
      return;
    }
    setLocal({});
    // Outside a <form action>, an action dispatch must be wrapped in a transition to get `pending`.
    startTransition(() => formAction(formData));
  }

  // Name and description errors are shown beside their fields; the others belong to the workbench's inputs.
  const messages = Object.entries(errors).flatMap(([key, m]) => (key === "name" || key === "description" ? [] : [m]));
  return (
    <div className="space-y-4">
      {result.conflict ? (
        <div
          role="alert"
          className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-200"
        >
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
        <div
          role="alert"
          className="rounded-lg border border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/40 dark:text-red-300"
        >
          {[result.message, ...messages].filter(Boolean).map((m) => (
            <p key={m}>{m}</p>
          ))}
        </div>
      ) : null}
      <fieldset className="grid gap-4 rounded-lg border border-slate-200 p-3 dark:border-slate-800 md:grid-cols-[minmax(0,1fr)_minmax(0,2fr)]">
        <legend className="px-1 text-sm font-medium text-slate-700 dark:text-slate-300">Firewall details</legend>
        <div>
          <label htmlFor="edit-firewall-name" className="block text-sm font-medium">
            Name
          </label>
          <input
            ref={nameRef}
            id="edit-firewall-name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            maxLength={FIREWALL_LIMITS.name}
            aria-invalid={errors.name ? true : undefined}
            aria-describedby={`edit-firewall-name-hint${errors.name ? " edit-firewall-name-error" : ""}`}
            className={`${inputClass} mt-1`}
          />
          <p id="edit-firewall-name-hint" className="mt-1 text-xs text-slate-500 dark:text-slate-400">
            Up to {FIREWALL_LIMITS.name} characters, unique regardless of case.
          </p>
          <FieldError id="edit-firewall-name-error" message={errors.name} />
        </div>
        <div>
          <label htmlFor="edit-firewall-description" className="block text-sm font-medium">
            Description <span className="font-normal text-slate-500 dark:text-slate-400">(optional)</span>
          </label>
          <textarea
            ref={descriptionRef}
            id="edit-firewall-description"
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            rows={2}
            maxLength={FIREWALL_LIMITS.description}
            aria-invalid={errors.description ? true : undefined}
            aria-describedby={`edit-firewall-description-hint${errors.description ? " edit-firewall-description-error" : ""}`}
            className={`${inputClass} mt-1`}
          />
          <p id="edit-firewall-description-hint" className="mt-1 text-xs text-slate-500 dark:text-slate-400">
            Up to {FIREWALL_LIMITS.description} characters.
          </p>
          <FieldError id="edit-firewall-description-error" message={errors.description} />
        </div>
      </fieldset>
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
