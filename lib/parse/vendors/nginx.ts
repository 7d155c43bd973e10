/**
 * nginx `allow` / `deny` (ngx_http_access_module, also in stream{}). Within one context the first matching rule
 * wins and, when none matches, nginx lets the request through: each context's list ends with that implicit allow.
 * A context without rules inherits its parent's, so only contexts that hold rules are read, in file order.
 */
import type { Entry, Finding, ParseOutput, Parser } from "../types";
import { type Line, countLines, finding, readAddressTerm, splitLines } from "./common";
import { BOTH_FAMILIES, anyTerms, detectHead, makeEntry, append } from "./linuxcommon";

interface Statement {
  readonly words: string[];
  readonly line: Line;
  /** "{" opens a block, "}" closes one, ";" ends a directive. */
  readonly end: "{" | "}" | ";";
}

/** Splits nginx text into statements, tracking the line of each statement's first word. Linear. */
function statements(text: string, lines: readonly Line[]): Statement[] {
  const out: Statement[] = [];
  let words: string[] = [];
  let first: Line | undefined;
  let lineNo = 1;
  let i = 0;
  const n = text.length;
  const push = (end: Statement["end"]): void => {
    const at = first ?? lines[lineNo - 1] ?? { n: lineNo, text: "" };
    out.push({ words, line: at, end });
    words = [];
    first = undefined;
  };
  while (i < n) {
    const c = text[i]!;
    if (c === "\n") {
      lineNo++;
      i++;
      continue;
    }
    if (c === " " || c === "\t" || c === "\r") {
      i++;
      continue;
    }
    if (c === "#") {
      const nl = text.indexOf("\n", i);
      i = nl === -1 ? n : nl;
      continue;
    }
    if (c === ";" || c === "{" || c === "}") {
      if (c === "}" && words.length > 0) push(";");
      push(c);
      i++;
      continue;
    }
    first ??= lines[lineNo - 1];
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < n && text[j] !== c) {
        if (text[j] === "\\") j++;
        else if (text[j] === "\n") lineNo++;
        j++;
      }
      words.push(text.slice(i + 1, j));
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < n && !" \t\r\n;{}#".includes(text[j]!)) j++;
    words.push(text.slice(i, j));
    i = j;
  }
  if (words.length > 0) push(";");
  return out;
}

interface Context {
  readonly name: string;
  readonly entries: Entry[];
  lastRule?: Line;
  endsWithAll: boolean;
}

export function parseNginx(text: string): ParseOutput {
  const lines = splitLines(text);
  const findings: Finding[] = [];
  const stack: Context[] = [];
  const done: Context[] = [];
  let inGeo = 0;
  for (const st of statements(text, lines)) {
    if (st.end === "{") {
      if (inGeo > 0 || st.words[0] === "geo") inGeo++;
      stack.push({ name: st.words.join(" "), entries: [], endsWithAll: false });
      continue;
    }
    if (st.end === "}") {
      const ctx = stack.pop();
      if (inGeo > 0) inGeo--;
      if (ctx && ctx.lastRule) done.push(ctx);
      continue;
    }
    const [directive, arg] = st.words;
    if (inGeo > 0) {
      if (st.words.some((w) => /^[\d.:a-f]+(?:\/\d+)?$/i.test(w) && /[.:]/.test(w))) {
        findings.push(finding(st.line, "not-understood", "Addresses in a geo block are not read as allow/deny rules."));
      }
      continue;
    }
    if (directive !== "allow" && directive !== "deny") continue; // other directives hold no access rules
    const ctx = stack[stack.length - 1] ?? (stack[0] = { name: "main", entries: [], endsWithAll: false });
    const action = directive === "allow" ? "allow" : "deny";
    const facts = { action, direction: "in", protocol: "tcp" } as const;
    ctx.lastRule = st.line;
    ctx.endsWithAll = false;
    if (arg === undefined || st.words.length !== 2) {
      findings.push(finding(st.line, "not-understood", `"${directive}" takes exactly one address, CIDR, "unix:" or "all".`));
      continue;
    }
    if (arg === "all") {
      for (const term of anyTerms(BOTH_FAMILIES, "all")) ctx.entries.push(makeEntry(st.line, term, facts));
      ctx.endsWithAll = true;
      continue;
    }
    if (arg === "unix:") continue; // UNIX-domain sockets: never the vendor
    const r = readAddressTerm(arg);
    if (!r.ok || r.term.kind === "range") {
      findings.push(finding(st.line, r.ok ? "invalid" : r.kind, r.ok ? `nginx does not accept ranges such as "${arg}".` : r.message));
      continue;
    }
    ctx.entries.push(makeEntry(st.line, r.term, facts));
  }
  // A file that is only a fragment (no closing brace) still counts.
  for (const ctx of stack.reverse()) if (ctx.lastRule) done.push(ctx);
  done.sort((a, b) => (a.entries[0]?.line ?? a.lastRule!.n) - (b.entries[0]?.line ?? b.lastRule!.n));

  const entries: Entry[] = [];
  for (const ctx of done) {
    append(entries, ctx.entries);
    if (!ctx.endsWithAll) {
      // No rule matched: nginx lets the request through.
      for (const term of anyTerms(BOTH_FAMILIES, "(no match: allowed)")) {
        entries.push(makeEntry(ctx.lastRule!, term, { action: "allow", direction: "in", protocol: "tcp", comment: "nginx allows what no rule matches" }));
      }
    }
  }
  const notes =
    done.length > 1 ? [`${done.length} blocks hold allow/deny rules; they are read in file order as one list.`] : [];
  return { format: "nginx", entries, findings: findings.sort((a, b) => a.line - b.line), lineCount: countLines(text), notes };
}

export const nginxParser: Parser = {
  id: "nginx",
  label: "nginx allow/deny",
  detect(text: string): number {
    const head = detectHead(text);
    const rules = /^\s*(?:allow|deny)\s+(?:all|[\d.:a-fA-F/]+|unix:)\s*;/m.test(head);
    const blocks = /^\s*(?:server|location|http|stream|upstream)\b[^;\n]*\{/m.test(head);
    if (rules && blocks) return 0.95;
    if (rules) return 0.85;
    if (blocks && /^\s*(?:listen|server_name|proxy_pass|root)\s[^;\n]*;/m.test(head)) return 0.4;
    return 0;
  },
  parse: parseNginx,
};
