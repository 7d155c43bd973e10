"use client";

import { useState } from "react";
import { INGRESS_MESSAGE, ingressField } from "@/lib/parse/path-schema";
import type { PathInfo, PathKind } from "@/lib/parse/types";

const FIELD = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900";

/**
 * The one line at the top of the results saying what was assumed about the path (which side faces the Internet; the
 * service is the device itself or a host behind it), the contexts read, and the override: a path choice and the
 * Internet-facing interface. Shown when the format has a path, or when an override is set (so it can be cleared).
 */
export function PathAssumption({
  idPrefix,
  path,
  override,
  onOverride,
}: {
  idPrefix: string;
  path: PathInfo | undefined;
  override: { readonly path: PathKind | undefined; readonly ingress: string | undefined };
  onOverride: (next: { path: PathKind | undefined; ingress: string | undefined }) => void;
}) {
  const [ingressText, setIngressText] = useState(override.ingress ?? "");
  const ingressInvalid = ingressText.trim() !== "" && !ingressField.safeParse(ingressText).success;
  if (path === undefined && override.path === undefined && override.ingress === undefined) return null;
  const onPath = path?.contexts.filter((c) => c.onPath).length ?? 0;
  return (
    <div
      className="space-y-2 rounded-lg border border-sky-200 bg-sky-50/60 px-4 py-3 text-sm dark:border-sky-900 dark:bg-sky-950/30"
      data-testid="path-assumption"
    >
      <p data-testid="assumption-line">
        <span className="font-semibold">Assumed: </span>
        {path === undefined
          ? "This format has no path to choose: every rule is read as one list, and the override below changes nothing."
          : (path.assumption ?? "The path was read from the config as shown below.")}
      </p>
      <div className="flex flex-wrap items-start gap-x-4 gap-y-2">
        <div className="flex min-w-0 max-w-full items-center gap-2">
          <label htmlFor={`${idPrefix}-path`} className="font-medium text-slate-700 dark:text-slate-300">
            Protected service
          </label>
          <select
            id={`${idPrefix}-path`}
            value={override.path ?? ""}
            onChange={(e) =>
              onOverride({
                path: e.target.value === "" ? undefined : (e.target.value as PathKind),
                ingress: override.ingress,
              })
            }
            className={FIELD}
            data-testid="path-select"
          >
            <option value="">Detect from the config</option>
            <option value="input">The firewall host itself (input)</option>
            <option value="forward">A host behind the firewall (forward)</option>
          </select>
        </div>
        <div className="flex flex-col gap-1">
          <div className="flex items-center gap-2">
            <label htmlFor={`${idPrefix}-ingress`} className="font-medium text-slate-700 dark:text-slate-300">
              Internet-facing interface or zone
            </label>
            <input
              id={`${idPrefix}-ingress`}
              type="text"
              value={ingressText}
              placeholder="detect"
              spellCheck={false}
              autoComplete="off"
              aria-invalid={ingressInvalid}
              aria-describedby={ingressInvalid ? `${idPrefix}-ingress-error` : undefined}
              onChange={(e) => {
                setIngressText(e.target.value);
                const text = e.target.value.trim();
                if (text === "") onOverride({ path: override.path, ingress: undefined });
                else {
                  const r = ingressField.safeParse(text);
                  if (r.success) onOverride({ path: override.path, ingress: r.data });
                }
              }}
              className={`${FIELD} w-40 font-mono aria-[invalid=true]:border-red-500`}
              data-testid="ingress-input"
            />
          </div>
          {ingressInvalid ? (
            <p id={`${idPrefix}-ingress-error`} className="text-xs text-red-700 dark:text-red-300">
              {INGRESS_MESSAGE}
            </p>
          ) : null}
        </div>
      </div>
      {path !== undefined && path.contexts.length > 0 ? (
        <details className="text-slate-700 dark:text-slate-300">
          <summary className="cursor-pointer select-none">
            {path.contexts.length} {path.contexts.length === 1 ? "context" : "contexts"} read, {onPath} on the path
          </summary>
          <ul className="mt-1 space-y-1 pl-4" data-testid="path-contexts">
            {path.contexts.map((c, i) => (
              <li key={`${i}-${c.name}`}>
                <span className="font-mono text-[13px]">{c.name}</span>
                {c.line > 0 ? <span className="text-slate-600 dark:text-slate-400"> (line {c.line})</span> : null}
                {c.family !== undefined ? (
                  <span className="text-slate-600 dark:text-slate-400">, IPv{c.family} only</span>
                ) : null}
                : {c.onPath ? `on the path, default ${c.fallthrough}` : "not on the path"} — {c.reason}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}
