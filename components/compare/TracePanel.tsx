"use client";

import { useEffect, useRef, useState, type FormEvent } from "react";
import { parseAddress } from "@/lib/ip/address";
import { addressMessage } from "@/lib/parse/path-schema";
import type { TraceContext } from "@/lib/diff/trace";
import type { TraceState, TraceTarget } from "./useTrace";

/** Rule texts can be whole 64 KB lines: the panel shows the start, the text view has the rest. */
const TEXT_SHOWN = 240;
const cut = (text: string) => (text.length > TEXT_SHOWN ? `${text.slice(0, TEXT_SHOWN)}…` : text);

const BADGE = {
  allow: "bg-emerald-100 text-emerald-900 dark:bg-emerald-900/50 dark:text-emerald-100",
  deny: "bg-red-100 text-red-900 dark:bg-red-900/50 dark:text-red-100",
  muted: "bg-slate-100 text-slate-800 dark:bg-slate-800 dark:text-slate-100",
} as const;

/**
 * The trace of one address beside the text: each context the connection crosses (or not, and why), every rule holding
 * the address that it meets — line (a button selecting the line in the text), text, matched or not and why — what
 * decided, and the verdict. A box traces any address the user types (validated by lib/ip).
 */
export function TracePanel({
  idPrefix,
  state,
  onTrace,
  onClose,
  onSelectLine,
  selectedLine,
}: {
  idPrefix: string;
  state: TraceState;
  onTrace: (target: TraceTarget) => void;
  onClose: () => void;
  onSelectLine: (line: number) => void;
  selectedLine: number | undefined;
}) {
  const [text, setText] = useState("");
  const [error, setError] = useState<string>();
  const target = state.status === "idle" ? undefined : state.target;
  const panel = useRef<HTMLElement>(null);

  // A new target from a table row: bring the panel into view (the focus stays on the row for keyboard users).
  useEffect(() => {
    if (target?.cidr !== undefined) panel.current?.scrollIntoView?.({ block: "nearest" });
  }, [target]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const value = text.trim();
    const parsed = parseAddress(value);
    if (!parsed.ok) {
      setError(addressMessage(value, parsed.error.message, parsed.error.position));
      return;
    }
    setError(undefined);
    onTrace({ address: value });
  };

  return (
    <section
      ref={panel}
      aria-labelledby={`${idPrefix}-trace-heading`}
      className="space-y-3 rounded-lg border border-slate-200 p-3 dark:border-slate-800"
      data-testid="trace-panel"
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id={`${idPrefix}-trace-heading`} className="text-sm font-semibold">
          {target
            ? `Trace of ${target.address}${target.cidr && target.cidr !== `${target.address}/32` ? ` (first address of ${target.cidr})` : ""}`
            : "Trace"}
        </h2>
        {target ? (
          <button
            type="button"
            onClick={onClose}
            className="rounded-md border border-slate-300 px-2 py-0.5 text-sm hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
          >
            Close trace
          </button>
        ) : null}
      </div>
      <form onSubmit={submit} className="flex flex-col gap-1" noValidate>
        <div className="flex flex-wrap items-center gap-2">
          <label
            htmlFor={`${idPrefix}-trace-address`}
            className="text-sm font-medium text-slate-700 dark:text-slate-300"
          >
            Trace an address
          </label>
          <input
            id={`${idPrefix}-trace-address`}
            type="text"
            inputMode="decimal"
            spellCheck={false}
            autoComplete="off"
            placeholder="52.1.37.96"
            value={text}
            onChange={(e) => setText(e.target.value)}
            aria-invalid={error !== undefined}
            aria-describedby={error !== undefined ? `${idPrefix}-trace-error` : undefined}
            className="w-52 rounded-md border border-slate-300 bg-white px-2 py-1 font-mono text-sm aria-[invalid=true]:border-red-500 dark:border-slate-700 dark:bg-slate-900"
            data-testid="trace-input"
          />
          <button
            type="submit"
            className="rounded-md bg-sky-700 px-2.5 py-1 text-sm font-medium text-white hover:bg-sky-800"
          >
            Trace
          </button>
        </div>
        {error !== undefined ? (
          <p
            id={`${idPrefix}-trace-error`}
            className="text-xs text-red-700 dark:text-red-300"
            data-testid="trace-error"
          >
            {error}
          </p>
        ) : null}
      </form>
      <div aria-live="polite" data-testid="trace-body">
        <TraceBody state={state} idPrefix={idPrefix} onSelectLine={onSelectLine} selectedLine={selectedLine} />
      </div>
    </section>
  );
}

function TraceBody({
  state,
  idPrefix,
  onSelectLine,
  selectedLine,
}: {
  state: TraceState;
  idPrefix: string;
  onSelectLine: (line: number) => void;
  selectedLine: number | undefined;
}) {
  if (state.status === "idle") {
    return (
      <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="trace-empty">
        Pick a published IP in the Missing or Covered table, or type an address, to see every rule a new connection from
        it meets and what decides.
      </p>
    );
  }
  if (state.status === "running")
    return <p className="text-sm text-slate-600 dark:text-slate-400">Tracing {state.target.address}…</p>;
  if (state.status === "failed")
    return <p className="text-sm text-red-700 dark:text-red-300">The trace failed: {state.message}</p>;
  if (!state.answer.ok) return <p className="text-sm text-red-700 dark:text-red-300">{state.answer.message}</p>;
  const { trace } = state.answer.outcome;
  return (
    <div className="space-y-3">
      <p
        data-testid="trace-summary"
        data-allowed={trace.allowed}
        className={`rounded-md border px-3 py-2 text-sm font-medium ${
          trace.allowed
            ? "border-emerald-300 bg-emerald-50 text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950/40 dark:text-emerald-100"
            : "border-red-300 bg-red-50 text-red-900 dark:border-red-900 dark:bg-red-950/40 dark:text-red-100"
        }`}
      >
        {trace.allowed ? "Allowed" : "Blocked"}: {trace.summary}
      </p>
      <ol className="space-y-3" aria-label="Contexts on the way">
        {trace.contexts.map((c, i) => (
          <ContextView
            key={`${i}-${c.name}`}
            context={c}
            idPrefix={`${idPrefix}-trace-${i}`}
            onSelectLine={onSelectLine}
            selectedLine={selectedLine}
          />
        ))}
      </ol>
    </div>
  );
}

function LineButton({
  line,
  onSelectLine,
  selected,
}: {
  line: number;
  onSelectLine: (line: number) => void;
  selected: boolean;
}) {
  return (
    <button
      type="button"
      onClick={() => onSelectLine(line)}
      aria-pressed={selected}
      aria-label={`Line ${line}: show it in the text`}
      className="rounded px-1 font-mono text-xs tabular-nums text-sky-800 underline decoration-sky-400 underline-offset-2 hover:bg-sky-50 aria-pressed:bg-sky-100 dark:text-sky-300 dark:hover:bg-sky-950 dark:aria-pressed:bg-sky-900"
    >
      line {line}
    </button>
  );
}

function StepText({ text }: { text: string }) {
  return (
    <code
      className="block truncate font-mono text-[12px] text-slate-600 dark:text-slate-400"
      title={text.length > TEXT_SHOWN ? undefined : text}
    >
      {cut(text)}
    </code>
  );
}

function ContextView({
  context: c,
  idPrefix,
  onSelectLine,
  selectedLine,
}: {
  context: TraceContext;
  idPrefix: string;
  onSelectLine: (line: number) => void;
  selectedLine: number | undefined;
}) {
  const d = c.decision;
  return (
    <li
      className="space-y-1.5 text-sm"
      data-testid="trace-context"
      data-on-path={c.onPath}
      aria-labelledby={`${idPrefix}-name`}
    >
      <p id={`${idPrefix}-name`} className="flex flex-wrap items-center gap-x-2">
        <span className="font-mono text-[13px] font-semibold">{c.name}</span>
        {c.line > 0 ? (
          <LineButton line={c.line} onSelectLine={onSelectLine} selected={selectedLine === c.line} />
        ) : null}
        <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${BADGE.muted}`}>
          {c.onPath ? "On the path" : "Not on the path"}
        </span>
      </p>
      <p className="text-slate-600 dark:text-slate-400">{c.reason}</p>
      {c.onPath ? (
        <>
          {c.steps.length === 0 ? (
            <p className="text-slate-600 dark:text-slate-400">No rule of this context holds the address.</p>
          ) : (
            <ol
              className="space-y-1 border-l-2 border-slate-200 pl-3 dark:border-slate-700"
              aria-label={`Rules met in ${c.name}`}
            >
              {c.steps.map((s) => (
                <li
                  key={s.entryIndex}
                  data-testid="trace-step"
                  data-line={s.line}
                  data-matched={s.matched}
                  data-decided={s.decided}
                  className="space-y-0.5"
                >
                  <div className="flex flex-wrap items-center gap-x-2">
                    <LineButton line={s.line} onSelectLine={onSelectLine} selected={selectedLine === s.line} />
                    <span
                      className={`rounded px-1.5 py-0.5 text-xs font-medium ${s.matched ? BADGE[s.action] : BADGE.muted}`}
                    >
                      {s.matched ? `Matched: ${s.action}` : "No match"}
                    </span>
                    {s.decided ? <span className="text-xs font-semibold">Decides</span> : null}
                    <span className="text-slate-700 dark:text-slate-300">{s.why}</span>
                  </div>
                  <StepText text={s.text} />
                  {s.rule !== undefined ? (
                    <div className="text-xs text-slate-600 dark:text-slate-400" data-testid="trace-step-rule">
                      <p className="flex flex-wrap items-center gap-x-2">
                        <span>In the rule at</span>
                        <LineButton
                          line={s.rule.line}
                          onSelectLine={onSelectLine}
                          selected={selectedLine === s.rule.line}
                        />
                        {s.via !== undefined ? <span>through {s.via.join(" → ")}</span> : null}
                      </p>
                      {s.rule.text !== undefined ? <StepText text={s.rule.text} /> : null}
                    </div>
                  ) : null}
                </li>
              ))}
            </ol>
          )}
          {c.omitted > 0 ? (
            <p className="text-xs text-slate-600 dark:text-slate-400">
              … and {c.omitted.toLocaleString("en-US")} more rules holding the address that do not match.
            </p>
          ) : null}
          {d !== null ? (
            <p className="font-medium" data-testid="trace-decision">
              {d.by === "rule"
                ? `Decided by line ${d.line} (${d.action})`
                : `No rule matches: the default (${d.action}) applies`}{" "}
              → {c.passes ? "passes" : "blocked"}.
            </p>
          ) : null}
        </>
      ) : null}
    </li>
  );
}
