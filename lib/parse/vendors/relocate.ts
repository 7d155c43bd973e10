/**
 * Formats read by converting them to another format's text first (nftables JSON → `nft list ruleset` lines, a PAN-OS
 * XML config → `set` commands) map that parse back: every entry, finding and path context gets the line of the
 * user's text it came from, and its text.
 */
import type { Finding, ParseOutput } from "../types";
import type { Line } from "./common";

/**
 * `read` is the parse of the converted text; `origin[k]` is the user's line number that converted line k + 1 came
 * from; `at(n)` is the user's line n. The conversion's own `findings` (already about the user's lines) join the
 * converted parse's, in line order.
 */
export function relocate(
  read: ParseOutput,
  origin: readonly number[],
  at: (n: number) => Line,
  findings: readonly Finding[],
): Pick<ParseOutput, "entries" | "findings" | "notes" | "path"> {
  const back = (n: number): Line => at(origin[n - 1] ?? 1);
  const entries = read.entries.map((e) => ({
    ...e,
    line: back(e.line).n,
    text: back(e.line).text,
    ...(e.ruleLine !== undefined ? { ruleLine: back(e.ruleLine).n } : {}),
  }));
  const all = [
    ...findings,
    ...read.findings.map((f) => ({ ...f, line: back(f.line).n, text: back(f.line).text })),
  ].sort((a, b) => a.line - b.line);
  const path = read.path
    ? {
        ...read.path,
        contexts: read.path.contexts.map((c) => {
          const moved = c.line > 0 ? { ...c, line: back(c.line).n, text: back(c.line).text } : c;
          if (c.list === undefined) return moved;
          const rules = c.list.rules.map((r) => ({ ...r, line: back(r.line).n, text: back(r.line).text }));
          return { ...moved, list: { ...c.list, rules } };
        }),
      }
    : undefined;
  return { entries, findings: all, notes: read.notes, ...(path ? { path } : {}) };
}
