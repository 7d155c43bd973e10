"use client";

import { useState } from "react";

/** Copies text to the clipboard and says so (visibly and to screen readers); reports failure rather than hiding it. */
export function CopyButton({
  text,
  label,
  ariaLabel,
  doneLabel = "Copied",
  className = "",
  disabled = false,
}: {
  text: () => string;
  label: string;
  ariaLabel?: string;
  doneLabel?: string;
  className?: string;
  disabled?: boolean;
}) {
  const [state, setState] = useState<"idle" | "done" | "failed">("idle");
  return (
    <button
      type="button"
      disabled={disabled}
      aria-label={ariaLabel}
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(text());
          setState("done");
        } catch {
          setState("failed");
        }
        setTimeout(() => setState("idle"), 1600);
      }}
      className={`rounded-md border border-slate-300 px-2.5 py-1 text-sm hover:bg-slate-100 disabled:cursor-not-allowed disabled:opacity-50 dark:border-slate-700 dark:hover:bg-slate-800 ${className}`}
    >
      <span aria-live="polite">{state === "done" ? doneLabel : state === "failed" ? "Copy failed" : label}</span>
    </button>
  );
}
