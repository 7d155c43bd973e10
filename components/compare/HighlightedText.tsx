"use client";

import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useRef, type KeyboardEvent } from "react";
import { lineText, type LineIndex } from "@/lib/compare/lines";
import { LINE_MARK_NAMES, type LineMark, type LineMarks } from "@/lib/compare/marks";
import { flagsOf } from "@/lib/diff/flags";
import type { EntryFlag } from "@/lib/diff/types";
import { FLAG_LABEL } from "@/lib/compare/verdict";

const ROW_HEIGHT = 20;

export const MARK_STYLE: Record<LineMark, { row: string; label: string }> = {
  none: { row: "", label: "" },
  unrelated: { row: "", label: "" },
  inactive: { row: "text-slate-500 line-through decoration-slate-400/60 dark:text-slate-400", label: "Never met" },
  note: { row: "bg-amber-50/60 text-amber-950 dark:bg-amber-950/25 dark:text-amber-100", label: "Note" },
  covers: { row: "bg-emerald-50 text-emerald-950 dark:bg-emerald-950/50 dark:text-emerald-100", label: "Covers" },
  outbound: { row: "bg-amber-100 text-amber-950 dark:bg-amber-900/40 dark:text-amber-100", label: "Outbound" },
  deny: { row: "bg-red-100 text-red-950 dark:bg-red-950/60 dark:text-red-100", label: "Deny" },
  invalid: {
    row: "outline outline-1 -outline-offset-1 outline-red-500 text-red-900 dark:text-red-200",
    label: "Invalid",
  },
};

/** A published IP that does not get through (another port, a deny before it) is red; other flags amber. */
const FLAG_TONE: Partial<Record<EntryFlag, string>> = {
  "wrong-port": "bg-red-100 text-red-900 dark:bg-red-900/60 dark:text-red-100",
  shadowed: "bg-red-100 text-red-900 dark:bg-red-900/60 dark:text-red-100",
};

const LEGEND: readonly LineMark[] = ["covers", "deny", "outbound", "invalid", "inactive", "note"];

/**
 * The pasted text, one row per line, coloured by verdict and virtualised so a million lines scroll smoothly.
 * A listbox: click or arrow keys pick a line, which selects its rows in the tables.
 */
export function HighlightedText({
  id,
  text,
  index,
  lines,
  selectedLine,
  reveal,
  onSelectLine,
}: {
  id: string;
  text: string;
  index: LineIndex;
  lines: LineMarks | undefined;
  selectedLine: number | undefined;
  /** Scroll this line into view whenever `at` changes. */
  reveal: { line: number; at: number } | undefined;
  onSelectLine: (line: number) => void;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: index.count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  });

  useEffect(() => {
    if (reveal && reveal.line >= 1 && reveal.line <= index.count)
      virtualizer.scrollToIndex(reveal.line - 1, { align: "center" });
  }, [reveal, index.count, virtualizer]);

  const move = (line: number) => {
    const next = Math.min(Math.max(1, line), index.count);
    onSelectLine(next);
    virtualizer.scrollToIndex(next - 1, { align: "auto" });
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / ROW_HEIGHT) - 1);
    const current = selectedLine ?? 0;
    const keys: Record<string, number> = {
      ArrowDown: current + 1,
      ArrowUp: current - 1,
      PageDown: current + page,
      PageUp: current - page,
      Home: 1,
      End: index.count,
    };
    const target = keys[e.key];
    if (target !== undefined && index.count > 0) {
      e.preventDefault();
      move(target);
    }
  };

  const digits = String(index.count).length;
  return (
    <div className="flex min-w-0 flex-col gap-2">
      <div
        className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-slate-600 dark:text-slate-400"
        aria-hidden="true"
      >
        {LEGEND.map((mark) => (
          <span key={mark} className="inline-flex items-center gap-1">
            <span
              className={`inline-block h-3 w-3 rounded-sm border border-slate-300 dark:border-slate-700 ${MARK_STYLE[mark].row}`}
            />
            {MARK_STYLE[mark].label}
          </span>
        ))}
      </div>
      <div
        ref={scrollRef}
        id={id}
        role="listbox"
        tabIndex={0}
        aria-label={`Your text, ${index.count.toLocaleString("en-US")} lines, highlighted by verdict. Arrow keys move between lines.`}
        aria-activedescendant={selectedLine !== undefined ? `${id}-line-${selectedLine}` : undefined}
        onKeyDown={onKeyDown}
        data-testid="highlighted-text"
        className="h-[28rem] overflow-auto rounded-lg border border-slate-200 bg-white font-mono focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-500 text-[13px] leading-5 dark:border-slate-800 dark:bg-slate-950"
      >
        <div
          style={{ height: virtualizer.getTotalSize(), position: "relative", minWidth: "100%", width: "max-content" }}
        >
          {virtualizer.getVirtualItems().map((item) => {
            const line = item.index + 1;
            const mark = LINE_MARK_NAMES[lines?.marks[line] ?? 0] ?? "none";
            const flags = flagsOf(lines?.flags[line] ?? 0);
            const selected = line === selectedLine;
            const style = MARK_STYLE[mark];
            return (
              <div
                key={item.key}
                id={`${id}-line-${line}`}
                role="option"
                aria-selected={selected}
                data-line={line}
                data-mark={mark}
                onClick={() => onSelectLine(line)}
                style={{
                  position: "absolute",
                  top: 0,
                  left: 0,
                  transform: `translateY(${item.start}px)`,
                  height: ROW_HEIGHT,
                }}
                className={`flex w-full cursor-pointer items-center whitespace-pre pr-3 ${style.row} ${
                  selected ? "ring-2 ring-inset ring-sky-500" : "hover:bg-slate-100/70 dark:hover:bg-slate-800/50"
                }`}
              >
                <span
                  aria-hidden="true"
                  className="sticky left-0 mr-3 inline-block shrink-0 select-none bg-slate-50 pr-2 text-right text-slate-500 dark:bg-slate-900 dark:text-slate-400"
                  style={{ width: `${digits + 2}ch` }}
                >
                  {line}
                </span>
                {style.label ? <span className="sr-only">{style.label}: </span> : null}
                <span>{lineText(text, index, line) || " "}</span>
                {flags.map((f) => (
                  <span
                    key={f}
                    className={`ml-2 rounded px-1 font-sans text-[11px] font-medium ${FLAG_TONE[f] ?? "bg-amber-100 text-amber-900 dark:bg-amber-900/50 dark:text-amber-100"}`}
                  >
                    {FLAG_LABEL[f]}
                  </span>
                ))}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
