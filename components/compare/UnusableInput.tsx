import type { Ref } from "react";
import type { Unusable } from "@/lib/diff/run";

/** In place of a verdict when nothing in the paste was recognised: not "everything missing", but "is this the right format?". */
export function UnusableInput({
  idPrefix,
  unusable,
  ref,
}: {
  idPrefix: string;
  unusable: Unusable;
  ref?: Ref<HTMLDivElement>;
}) {
  return (
    <div
      ref={ref}
      role="alert"
      aria-labelledby={`${idPrefix}-unusable-title`}
      className="min-w-0 scroll-mt-4 space-y-2 rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-950 lg:col-start-2 lg:row-start-1 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-100"
      data-testid="unusable"
      data-reason={unusable.reason}
    >
      <p id={`${idPrefix}-unusable-title`} className="text-base font-medium" data-testid="unusable-message">
        {unusable.message}
      </p>
      {unusable.lines.length > 0 ? (
        <>
          <p>The first lines that could not be read:</p>
          <ul className="space-y-1" data-testid="unusable-lines">
            {unusable.lines.map((l) => (
              <li key={l.line} className="break-words">
                <span className="font-medium tabular-nums">Line {l.line}:</span>{" "}
                <code className="font-mono text-[13px]">{l.text}</code>{" "}
                <span className="text-amber-900 dark:text-amber-200">— {l.message}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <p>
        Pick the format in “Format” above if it was detected wrong, or paste the firewall’s allowlist or configuration
        as text.
      </p>
    </div>
  );
}
