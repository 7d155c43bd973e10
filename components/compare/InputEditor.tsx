"use client";

import { useRef, useState, type ClipboardEvent, type DragEvent } from "react";
import { checkFileSize, decodeFile, formatMegabytes } from "@/lib/compare/file";
import { EXAMPLE_IPTABLES, EXAMPLE_PLAIN } from "@/lib/compare/example";
import { MAX_INPUT_BYTES } from "@/lib/parse/registry";

const LINE_HEIGHT = 20;
/**
 * Above this many lines the text is not put in a <textarea>: Chrome lays out the whole text on every edit, which
 * freezes the page at a few hundred thousand lines. The highlighted view shows it read-only instead.
 */
export const EDIT_LINE_LIMIT = 50_000;

export interface EditorText {
  readonly text: string;
  readonly lineCount: number;
  /** Where the text came from, for the large-input card ("rules.txt", "paste"). */
  readonly source: string;
}

function byteLength(text: string): number {
  // Strings are at most 3 UTF-8 bytes per UTF-16 unit; count exactly only near the limit.
  return text.length * 3 <= MAX_INPUT_BYTES ? text.length : new Blob([text]).size;
}

/**
 * The paste area: a textarea with a line-number gutter that renders only the numbers in view, file upload and
 * drag-and-drop. Huge inputs switch to a read-only card (the highlighted view below shows the lines).
 */
export function InputEditor({
  id,
  value,
  onChange,
  describedBy,
}: {
  id: string;
  value: EditorText;
  onChange: (text: string, source: string) => void;
  describedBy?: string;
}) {
  const [scrollTop, setScrollTop] = useState(0);
  const [error, setError] = useState<string>();
  const [dragging, setDragging] = useState(false);
  const [editLarge, setEditLarge] = useState(false);
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const large = value.lineCount > EDIT_LINE_LIMIT && !editLarge;

  const accept = (text: string, source: string) => {
    const bytes = byteLength(text);
    if (bytes > MAX_INPUT_BYTES) {
      setError(
        `The ${source === "paste" ? "pasted text" : `file “${source}”`} is ${formatMegabytes(bytes)}, over the ${formatMegabytes(MAX_INPUT_BYTES)} limit. Split it, or check it with the command line.`,
      );
      return;
    }
    setError(undefined);
    setEditLarge(false);
    onChange(text, source);
  };

  const loadFile = async (file: File) => {
    const tooBig = checkFileSize(file.name, file.size);
    if (tooBig && !tooBig.ok) {
      setError(tooBig.error);
      return;
    }
    const checked = decodeFile(file.name, new Uint8Array(await file.arrayBuffer()));
    if (!checked.ok) setError(checked.error);
    else accept(checked.text, file.name);
  };

  const onPaste = (e: ClipboardEvent<HTMLTextAreaElement>) => {
    const pasted = e.clipboardData.getData("text/plain");
    // Small pastes go through the textarea as usual (undo keeps working); big ones bypass it.
    if (pasted.length < 1_000_000 && !pasted.includes("\0")) return;
    e.preventDefault();
    const area = e.currentTarget;
    accept(value.text.slice(0, area.selectionStart) + pasted + value.text.slice(area.selectionEnd), "paste");
  };

  const onDrop = (e: DragEvent<HTMLElement>) => {
    e.preventDefault();
    setDragging(false);
    const file = e.dataTransfer.files[0];
    if (file) void loadFile(file);
    else {
      const text = e.dataTransfer.getData("text/plain");
      if (text) accept(text, "paste");
    }
  };
  const dragProps = {
    onDragOver: (e: DragEvent<HTMLElement>) => {
      e.preventDefault();
      setDragging(true);
    },
    onDragLeave: () => setDragging(false),
    onDrop,
  };

  const first = Math.floor(scrollTop / LINE_HEIGHT);
  const visible = 40;
  const gutterCount = Math.max(1, value.lineCount);
  const digits = String(gutterCount).length;

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <label htmlFor={id} className="text-sm font-medium text-slate-700 dark:text-slate-300">
          Your firewall&apos;s allowlist or config
        </label>
        <div className="flex flex-wrap items-center gap-2 text-sm">
          <span className="text-xs text-slate-500 dark:text-slate-400" data-testid="editor-size">
            {value.lineCount.toLocaleString("en-US")} {value.lineCount === 1 ? "line" : "lines"}
          </span>
          {/* The button is the one control a screen reader announces; the file input behind it is hidden from the
              accessibility tree (and from Tab), so the upload is not announced twice. */}
          <input
            ref={fileRef}
            id={`${id}-file`}
            type="file"
            tabIndex={-1}
            aria-hidden="true"
            className="hidden"
            accept=".txt,.conf,.cfg,.csv,.json,.xml,.rules,.list,text/*,application/json"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) void loadFile(file);
              e.target.value = "";
            }}
          />
          <button
            type="button"
            onClick={() => fileRef.current?.click()}
            className="rounded-md border border-slate-300 px-2.5 py-1 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
          >
            Upload file…
          </button>
          {value.text !== "" ? (
            <button
              type="button"
              onClick={() => accept("", "paste")}
              className="rounded-md border border-slate-300 px-2.5 py-1 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
            >
              Clear
            </button>
          ) : null}
        </div>
      </div>

      {error ? (
        <p
          role="alert"
          className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/40 dark:text-red-200"
          data-testid="editor-error"
        >
          {error}
        </p>
      ) : null}

      {large ? (
        <div
          {...dragProps}
          className={`rounded-lg border p-4 text-sm ${dragging ? "border-sky-500 bg-sky-50 dark:bg-sky-950/40" : "border-slate-200 dark:border-slate-800"}`}
          data-testid="large-input"
        >
          <p className="font-medium">
            {value.source === "paste" ? "Pasted text" : value.source}: {value.lineCount.toLocaleString("en-US")} lines,{" "}
            {formatMegabytes(value.text.length)}
          </p>
          <p className="mt-1 text-slate-600 dark:text-slate-400">
            Large inputs are shown read-only in the highlighted view, so the page stays fast. Paste or drop again to
            replace it.
          </p>
          <div className="mt-3 flex flex-wrap gap-2">
            <button
              type="button"
              onClick={() => setEditLarge(true)}
              className="rounded-md border border-slate-300 px-2.5 py-1 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
            >
              Edit as text (may be slow)
            </button>
            <textarea
              aria-label="Paste here to replace the large input"
              placeholder="Paste here to replace…"
              rows={1}
              value=""
              onChange={(e) => accept(e.target.value, "paste")}
              onPaste={(e) => {
                e.preventDefault();
                accept(e.clipboardData.getData("text/plain"), "paste");
              }}
              className="min-w-64 resize-none rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900"
            />
          </div>
        </div>
      ) : (
        <div
          {...dragProps}
          className={`relative flex h-72 overflow-hidden rounded-lg border font-mono text-[13px] leading-5 focus-within:border-sky-500 ${
            dragging
              ? "border-sky-500 bg-sky-50 dark:bg-sky-950/40"
              : "border-slate-300 bg-white dark:border-slate-700 dark:bg-slate-900"
          }`}
        >
          <div
            aria-hidden="true"
            className="relative shrink-0 select-none overflow-hidden border-r border-slate-200 bg-slate-50 text-right text-slate-500 dark:border-slate-800 dark:bg-slate-950 dark:text-slate-400"
            style={{ width: `${digits + 2}ch` }}
          >
            <div style={{ transform: `translateY(${first * LINE_HEIGHT - scrollTop + 8}px)` }} className="pr-2">
              {Array.from({ length: Math.min(visible, gutterCount - first) }, (_, i) => (
                <div key={first + i} style={{ height: LINE_HEIGHT }}>
                  {first + i + 1}
                </div>
              ))}
            </div>
          </div>
          <textarea
            ref={textareaRef}
            id={id}
            value={value.text}
            wrap="off"
            spellCheck={false}
            autoCapitalize="off"
            autoComplete="off"
            aria-describedby={describedBy}
            data-testid="compare-input"
            placeholder={
              "Paste your firewall config or allowlist here, or drop a file.\n\n52.1.37.96\n-A INPUT -s 52.1.32.88/32 -p tcp --dport 443 -j ACCEPT\nobject-group network FRESHWORKS …"
            }
            onChange={(e) =>
              accept(e.target.value, value.source === "paste" || value.text === "" ? "paste" : value.source)
            }
            onPaste={onPaste}
            onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
            className="h-full w-full resize-none overflow-auto bg-transparent px-3 py-2 outline-none placeholder:text-slate-500 dark:placeholder:text-slate-400"
          />
          {dragging ? (
            <div className="pointer-events-none absolute inset-0 flex items-center justify-center font-sans text-sm font-medium text-sky-800 dark:text-sky-200">
              Drop the file to load it
            </div>
          ) : null}
        </div>
      )}

      {value.text === "" ? (
        <div
          className="rounded-lg border border-dashed border-slate-300 p-4 text-sm dark:border-slate-700"
          data-testid="empty-state"
        >
          <p className="font-medium">Nothing to check yet</p>
          <p className="mt-1 text-slate-600 dark:text-slate-400">
            Paste what your firewall allows today: a plain list of IPs or CIDRs, a CSV, or a raw config (iptables-save,
            nftables, Cisco ASA/IOS, PAN-OS, FortiGate, Junos, AWS/Azure/GCP JSON, nginx, Apache, HAProxy). Or upload or
            drop a file (up to {formatMegabytes(MAX_INPUT_BYTES)}). Nothing leaves your browser.
          </p>
          <div className="mt-3 flex flex-wrap gap-2">
            <button
              type="button"
              onClick={() => accept(EXAMPLE_IPTABLES, "example")}
              className="rounded-md bg-sky-700 px-3 py-1.5 font-medium text-white hover:bg-sky-800"
            >
              Load an iptables example
            </button>
            <button
              type="button"
              onClick={() => accept(EXAMPLE_PLAIN, "example")}
              className="rounded-md border border-slate-300 px-3 py-1.5 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
            >
              Load a plain-list example
            </button>
          </div>
        </div>
      ) : null}
    </div>
  );
}
