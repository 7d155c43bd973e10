"use client";

import { useActionState, useState } from "react";
import { createFirewallAction } from "@/app/firewalls/actions";
import type { CompareState } from "@/components/compare/CompareWorkbench";
import { fieldErrors, firewallSchemas, FIREWALL_LIMITS, type FirewallFormState } from "@/lib/firewall/schema";
import { Dialog, FieldError } from "./Dialog";
import { buttonClass, inputClass } from "./styles";

/**
 * "Save as firewall" for the /compare toolbar: asks for a name and description, then stores the current text, format,
 * regions and port as revision 1 and opens the new firewall. Checked here with the action's own schema first.
 */
export function SaveAsFirewall({ state, regionCodes }: { state: CompareState; regionCodes: readonly string[] }) {
  const [open, setOpen] = useState(false);
  const [local, setLocal] = useState<Record<string, string>>({});
  const [result, formAction, pending] = useActionState<FirewallFormState, FormData>(createFirewallAction, {});
  const errors = { ...result.errors, ...local };
  const lines = state.text === "" ? 0 : state.text.split("\n").length - (state.text.endsWith("\n") ? 1 : 0);

  function submit(formData: FormData) {
    formData.set("text", state.text);
    formData.set("format", state.format);
    formData.set("regions", state.regions.join(","));
    formData.set("port", String(state.port));
    const checked = firewallSchemas(regionCodes).create.safeParse(
      Object.fromEntries([...formData].filter(([, v]) => typeof v === "string")),
    );
    if (!checked.success) {
      setLocal(fieldErrors(checked.error.issues));
      return;
    }
    setLocal({});
    formAction(formData);
  }

  return (
    <>
      <button
        type="button"
        className={buttonClass.primary}
        onClick={() => setOpen(true)}
        disabled={state.text.trim() === ""}
      >
        Save as firewall
      </button>
      <Dialog open={open} onClose={() => setOpen(false)} title="Save as firewall" titleId="save-firewall-title">
        <form action={submit} className="space-y-4" noValidate>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            Saves the {lines.toLocaleString("en-US")} {lines === 1 ? "line" : "lines"} in the editor
            {state.regions.length > 0 ? ` for ${state.regions.join(", ")}` : ""}, TCP {state.port}, as revision 1. Its
            status is then shown on the Firewalls page.
          </p>
          <div>
            <label htmlFor="firewall-name" className="block text-sm font-medium">
              Name
            </label>
            <input
              id="firewall-name"
              name="name"
              required
              maxLength={FIREWALL_LIMITS.name}
              autoFocus
              aria-invalid={errors.name ? true : undefined}
              aria-describedby={errors.name ? "firewall-name-error" : undefined}
              className={`${inputClass} mt-1`}
              placeholder="edge-fw-01"
            />
            <FieldError id="firewall-name-error" message={errors.name} />
          </div>
          <div>
            <label htmlFor="firewall-description" className="block text-sm font-medium">
              Description <span className="font-normal text-slate-500 dark:text-slate-400">(optional)</span>
            </label>
            <textarea
              id="firewall-description"
              name="description"
              rows={2}
              maxLength={FIREWALL_LIMITS.description}
              aria-invalid={errors.description ? true : undefined}
              aria-describedby={errors.description ? "firewall-description-error" : undefined}
              className={`${inputClass} mt-1`}
            />
            <FieldError id="firewall-description-error" message={errors.description} />
          </div>
          {/* Errors of fields the editor owns (text size, regions, port) are shown here, where the user is looking. */}
          {["text", "regions", "port", "format"]
            .flatMap((key) => (errors[key] ? [errors[key]] : []))
            .map((m) => (
              <p key={m} role="alert" className="text-sm text-red-700 dark:text-red-400">
                {m}
              </p>
            ))}
          {result.message ? (
            <p role="alert" className="text-sm text-red-700 dark:text-red-400">
              {result.message}
            </p>
          ) : null}
          <div className="flex justify-end gap-2">
            <button type="button" className={buttonClass.secondary} onClick={() => setOpen(false)}>
              Cancel
            </button>
            <button type="submit" className={buttonClass.primary} disabled={pending}>
              {pending ? "Saving…" : "Save firewall"}
            </button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
