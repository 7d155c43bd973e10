"use client";

import { useState, useTransition } from "react";
import { bringInLineAction } from "@/app/firewalls/alignment-actions";
import { exportFormatGroups, formatLabelOf } from "@/lib/export/describe";
import type { Alignment } from "@/lib/firewall/alignment";
import { buttonClass, inputClass } from "./styles";
import { saveFile } from "../saveFile";

/** The firewall against the newest version, and one click for the files that bring it in line. */
export function AlignmentPanel({
  id,
  alignment,
  defaultFormat,
}: {
  id: number;
  alignment: Alignment;
  defaultFormat: string;
}) {
  const [format, setFormat] = useState(defaultFormat);
  const [message, setMessage] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const upToDate = alignment.state === "up-to-date";
  const tone = upToDate
    ? "border-emerald-300 bg-emerald-50 dark:border-emerald-800 dark:bg-emerald-950/40"
    : "border-amber-300 bg-amber-50 dark:border-amber-800 dark:bg-amber-950/40";

  function run() {
    startTransition(async () => {
      const out = await bringInLineAction({ id, format });
      if (!out.ok) {
        setMessage(out.message);
        return;
      }
      const files = [...out.value.additions.files, ...(out.value.removals.file ? [out.value.removals.file] : [])];
      for (const f of files) saveFile(f.name, f.mime, f.content);
      setMessage(`Saved ${files.map((f) => f.name).join(", ")}.`);
    });
  }

  return (
    <section
      aria-labelledby="alignment-title"
      className={`rounded-lg border p-4 ${tone}`}
      data-testid="alignment-panel"
    >
      <h2 id="alignment-title" className="text-base font-semibold">
        Against catalog version {alignment.catalogVersion}: <span data-testid="alignment-label">{alignment.label}</span>
      </h2>
      {alignment.additions.length > 0 ? (
        <p className="mt-2 text-sm">
          To add:{" "}
          <span className="font-mono">{alignment.additions.map((e) => `${e.cidr} (${e.region})`).join(", ")}</span>
        </p>
      ) : null}
      {alignment.stale.length > 0 ? (
        <div className="mt-2 text-sm">
          <p>Remove (the vendor no longer publishes what these lines allow; an open stale entry is a risk):</p>
          <ul className="mt-1 font-mono text-xs">
            {alignment.stale.map((s) => (
              <li key={s.line}>
                line {s.line}: {s.text}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {!upToDate ? (
        <div className="mt-3 flex flex-wrap items-end gap-2">
          <div>
            <label htmlFor="bring-format" className="block text-xs font-medium">
              Format of the additions
            </label>
            <select
              id="bring-format"
              className={`${inputClass} mt-1`}
              value={format}
              onChange={(e) => setFormat(e.target.value)}
            >
              {exportFormatGroups.map((g) => (
                <optgroup key={g.label} label={g.label}>
                  {g.ids.map((fid) => (
                    <option key={fid} value={fid}>
                      {formatLabelOf(fid)}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          </div>
          <button type="button" className={buttonClass.primary} onClick={run} disabled={pending}>
            {pending ? "Preparing…" : "Download the change that brings it in line"}
          </button>
        </div>
      ) : null}
      {message ? (
        <p role="status" className="mt-2 text-sm">
          {message}
        </p>
      ) : null}
    </section>
  );
}
