/**
 * The part of POSIX sh that admins' mgmt_cli scripts use (and our export writes), read without running anything:
 * `;` `&&` `||` lists, redirections, `#` comments, quotes, backslash line continuations, shell variables and
 * positional parameters (`v="$1"`, `shift 2`, `"$@"`), and one-level helper functions (`once() { …; }`).
 * Check Point's own guard idiom (Management API reference, "show" commands fail with "generic_err_object_not_found"
 * when the object is absent) is `mgmt_cli show host name X … || mgmt_cli add host name X …`: the add runs only when
 * the object is missing, so after the script the object exists either way; `reader` gets the add.
 * Every command keeps the line it starts on (a function call: the call's line). Never throws; linear in the text
 * (a function body is expanded once per call, calls inside functions are not followed).
 */
import { isJsWhitespace } from "../lines";
import type { Line } from "./common";

type Part = { readonly lit: string } | { readonly v: string; readonly quoted: boolean };
type Token =
  | { readonly kind: "word"; readonly parts: readonly Part[]; readonly line: number }
  | { readonly kind: "op"; readonly op: string; readonly line: number };

export interface ShCommand {
  /** The line the command starts on. */
  readonly line: number;
  readonly words: string[];
}

export interface ShProblem {
  readonly line: number;
  /** A reading that assumed something (a note), or what was not read (not-understood). */
  readonly kind: "note" | "not-understood";
  readonly message: string;
}

/**
 * Characters that end a run of literal text outside quotes: blanks (\s in the sense of the shell's IFS and line
 * ends), operators, quotes, the backslash and `$`. A table, not a sticky RegExp: a match array per word was most of
 * the lexer's garbage.
 */
const ENDS_PLAIN = new Uint8Array(128);
for (const c of " \t\n\r\v\f;|&()<>'\"\\$") ENDS_PLAIN[c.charCodeAt(0)] = 1;

/** The end of the literal run starting at `i` (which is not a run end itself). */
function plainEnd(text: string, i: number): number {
  let j = i + 1;
  for (const n = text.length; j < n; j++) {
    const c = text.charCodeAt(j);
    if (c < 128 ? ENDS_PLAIN[c] === 1 : isJsWhitespace(c)) break;
  }
  return j;
}

const isSpace = (c: string) => c === " " || c === "\t" || c === "\r";

/** Where the tokenizer is: the text, the offset and the current line (the word readers below advance both). */
interface Lexer {
  readonly text: string;
  i: number;
  line: number;
}

/** The script's next token from lx.i: a word (with its variable references) or an operator, newline included. */
function nextToken(lx: Lexer): Token | undefined {
  const text = lx.text;
  const n = text.length;
  while (lx.i < n) {
    const i = lx.i;
    const c = text[i]!;
    if (isSpace(c)) {
      lx.i++;
      continue;
    }
    if (c === "\\" && text[i + 1] === "\n") {
      lx.i += 2;
      lx.line++;
      continue;
    }
    if (c === "\n") {
      lx.i++;
      return { kind: "op", op: "\n", line: lx.line++ };
    }
    if (c === "#") {
      const end = text.indexOf("\n", i);
      lx.i = end === -1 ? n : end;
      continue;
    }
    const op = readOperator(text, i);
    if (op !== undefined) {
      lx.i += op.length;
      return { kind: "op", op: op.op, line: lx.line };
    }
    const start = lx.line;
    return { kind: "word", parts: readWord(lx), line: start };
  }
  return undefined;
}

/** `||` `&&` `;;` `;` `|` `&` `(` `)`, or a redirection (as "redirect", or "dup" for `>&`); undefined for a word. */
function readOperator(text: string, i: number): { readonly op: string; readonly length: number } | undefined {
  const c = text[i]!;
  const d = text[i + 1];
  if ((c === "|" && d === "|") || (c === "&" && d === "&") || (c === ";" && d === ";")) return { op: c + d, length: 2 };
  if (";|&()".includes(c)) return { op: c, length: 1 };
  if (c !== ">" && c !== "<" && !(c >= "0" && c <= "9")) return undefined;
  const redirect = /^\d*(?:>>|>&|<&|>|<)(?:\d+|-)?/.exec(text.slice(i, i + 8));
  if (redirect && (c === ">" || c === "<" || /^\d+[<>]/.test(redirect[0]))) {
    return { op: redirect[0].includes("&") ? "dup" : "redirect", length: redirect[0].length };
  }
  return undefined;
}

/** One word from lx.i: literal runs, quotes, escapes and variable references, up to a blank or an operator. */
function readWord(lx: Lexer): Part[] {
  const text = lx.text;
  const n = text.length;
  const w: WordParts = { parts: [], lit: "" };
  while (lx.i < n) {
    const i = lx.i;
    const d = text[i]!;
    if (isSpace(d) || d === "\n" || ";|&()<>".includes(d)) break;
    if (d === "'") {
      const close = text.indexOf("'", i + 1);
      const end = close === -1 ? n : close;
      const body = text.slice(i + 1, end);
      w.lit += body;
      for (let k = body.indexOf("\n"); k !== -1; k = body.indexOf("\n", k + 1)) lx.line++;
      lx.i = end + 1;
    } else if (d === '"' && /^"[^"\\$\n]*"/.test(text.slice(i, text.indexOf('"', i + 1) + 1))) {
      // A plain "…" (no escapes, variables or newlines): one slice.
      const close = text.indexOf('"', i + 1);
      w.lit += text.slice(i + 1, close);
      if (w.parts.length === 0 && w.lit === "") addPart(w, { lit: "" });
      lx.i = close + 1;
    } else if (d === '"') {
      readDoubleQuoted(lx, w);
    } else if (d === "\\") {
      if (i + 1 < n) w.lit += text[i + 1]!;
      lx.i += 2;
    } else if (d === "$" && readVariable(lx, w, false)) {
      continue;
    } else {
      // A character that ends a run here (a Unicode blank, say) is taken alone, as before.
      const c = text.charCodeAt(i);
      const end = (c < 128 ? ENDS_PLAIN[c] === 1 : isJsWhitespace(c)) ? i + 1 : plainEnd(text, i);
      w.lit += text.slice(i, end);
      lx.i = end;
    }
  }
  flush(w);
  return w.parts;
}

/** A word's parts so far and the literal text not yet made a part. */
interface WordParts {
  parts: Part[];
  lit: string;
}

/** Most words are one part: a one-element array then, not the 16 slots a push into [] reserves. */
function addPart(w: WordParts, p: Part): void {
  if (w.parts.length === 0) w.parts = [p];
  else w.parts.push(p);
}

function flush(w: WordParts): void {
  if (w.lit !== "") addPart(w, { lit: w.lit });
  w.lit = "";
}

/** `$NAME`, `${NAME}`, `$1`, `$@`, `$#` at lx.i; false (nothing read) when the `$` starts none of them. */
function readVariable(lx: Lexer, w: WordParts, quoted: boolean): boolean {
  const m = /^\$(?:\{([A-Za-z_]\w*|\d+|@)\}|([A-Za-z_]\w*|\d|@|#))/.exec(lx.text.slice(lx.i, lx.i + 80));
  if (!m) return false;
  flush(w);
  addPart(w, { v: m[1] ?? m[2]!, quoted });
  lx.i += m[0].length;
  return true;
}

/** `"…"` with escapes, variables or newlines inside. */
function readDoubleQuoted(lx: Lexer, w: WordParts): void {
  const text = lx.text;
  const n = text.length;
  lx.i++;
  while (lx.i < n && text[lx.i] !== '"') {
    if (text[lx.i] === "$" && readVariable(lx, w, true)) continue;
    if (text[lx.i] === "\\" && lx.i + 1 < n && '"\\$`\n'.includes(text[lx.i + 1]!)) {
      lx.i++;
      if (text[lx.i] === "\n") {
        lx.line++;
        lx.i++;
        continue;
      }
    }
    if (text[lx.i] === "\n") lx.line++;
    w.lit += text[lx.i]!;
    lx.i++;
  }
  lx.i++;
  // An empty "" still makes a word.
  if (w.parts.length === 0 && w.lit === "") addPart(w, { lit: "" });
}

const literal = (t: Token | undefined): string | undefined =>
  t?.kind === "word" && t.parts.length === 1 && "lit" in t.parts[0]!
    ? t.parts[0].lit
    : t?.kind === "word" && t.parts.length === 0
      ? ""
      : undefined;

/**
 * What function calls may expand, in words (each call costs its body's tokens and the variables it copies): a body of
 * 2,000 lines called 2,000 times made 4 million commands from a 150 kB script and ran the process out of memory.
 * Shared by every scope of one script; scripts that call a small helper once per object stay far below it.
 */
export const MAX_CALL_EXPANSION = 1_000_000;

interface CallBudget {
  left: number;
  /** The call that ran out, once reported. */
  spent: boolean;
}

interface Scope {
  readonly budget: CallBudget;
  readonly vars: Map<string, string>;
  args: string[];
}

function expand(t: Token & { kind: "word" }, scope: Scope): string[] {
  const only = t.parts.length === 1 ? t.parts[0]! : undefined;
  if (only !== undefined && "lit" in only) return [only.lit];
  const words: string[] = [];
  let cur = "";
  let has = false;
  for (const p of t.parts) {
    if ("lit" in p) {
      cur += p.lit;
      has = true;
    } else if (p.v === "@") {
      // "$@": one word per argument.
      for (const [k, a] of scope.args.entries()) {
        if (k === 0) cur += a;
        else {
          words.push(cur);
          cur = a;
        }
        has = true;
      }
    } else {
      const v = /^\d+$/.test(p.v)
        ? (scope.args[Number(p.v) - 1] ?? "")
        : p.v === "#"
          ? String(scope.args.length)
          : (scope.vars.get(p.v) ?? "");
      cur += v;
      has = true;
    }
  }
  if (has) words.push(cur);
  return words;
}

/** Deeper `if` nesting is a finding: keeps the reader's recursion bounded (and each level rescans its body once). */
const MAX_NEST = 16;

const COMPOUND = new Set(["if", "for", "while", "until", "case", "select"]);
const CLOSER: Readonly<Record<string, string>> = {
  if: "fi",
  for: "done",
  while: "done",
  until: "done",
  select: "done",
  case: "esac",
};

/** A word in command position: after an operator or a keyword that starts a command list. */
function atCommandStart(tokens: readonly Token[], i: number): boolean {
  const prev = tokens[i - 1];
  if (prev === undefined || prev.kind === "op") return true;
  const w = literal(prev);
  return w === "then" || w === "else" || w === "do" || w === "{" || w === "!" || w === "elif";
}

/** The index of the keyword closing the compound command at `start` (or the last token). */
function closing(tokens: readonly Token[], start: number): number {
  const stack: string[] = [];
  for (let j = start; j < tokens.length; j++) {
    const w = literal(tokens[j]);
    if (w === undefined || !atCommandStart(tokens, j)) continue;
    if (COMPOUND.has(w)) stack.push(CLOSER[w]!);
    else if (w === stack[stack.length - 1] && (stack.pop(), stack.length === 0)) return j;
  }
  return tokens.length - 1;
}

/**
 * `if [!] mgmt_cli show … ; then A; else B; fi`: the show guard succeeds when the object exists, so B (or A when
 * negated) is what runs when it is absent and is read; any other condition is not evaluated (A is read, with a problem).
 */
function readIf(
  body: readonly Token[],
  scope: Scope,
  functions: Map<string, readonly Token[]>,
  depth: number,
  callLine: number | undefined,
  ifLine: number,
  out: ShCommand[],
  problems: ShProblem[],
  nest: number,
): void {
  const line = callLine ?? ifLine;
  const parts: Token[][] = [[]];
  const keys: string[] = ["if"];
  let level = 0;
  for (const [j, tok] of body.entries()) {
    const w = literal(tok);
    if (w !== undefined && atCommandStart(body, j)) {
      if (COMPOUND.has(w)) level++;
      else if (level > 0 && (w === "fi" || w === "done" || w === "esac")) level--;
      else if (level === 0 && (w === "then" || w === "else" || w === "elif")) {
        keys.push(w);
        parts.push([]);
        continue;
      }
    }
    parts[parts.length - 1]!.push(tok);
  }
  const cond: ShCommand[] = [];
  const negated = literal(parts[0]?.find((x) => x.kind === "word")) === "!";
  run(
    negated ? parts[0]!.filter((x, k) => k !== parts[0]!.findIndex((y) => y.kind === "word")) : parts[0]!,
    scope,
    functions,
    depth,
    callLine,
    cond,
    problems,
    nest,
  );
  const then = parts[keys.indexOf("then")] ?? [];
  const otherwise = keys.includes("else") ? parts[keys.indexOf("else")]! : [];
  if (keys.includes("elif")) problems.push({ kind: "not-understood", line, message: "elif branches are not read." });
  const guard = cond.length === 1 && /(?:^|\/)mgmt_cli$/.test(cond[0]!.words[0] ?? "") && cond[0]!.words[1] === "show";
  if (!guard) {
    problems.push({
      line,
      kind: "note",
      message: "The if condition is not a mgmt_cli show guard: it is not evaluated, the then branch is read.",
    });
  }
  run(!guard || negated ? then : otherwise, scope, functions, depth, callLine, out, problems, nest);
}

/** One run over a token list: where it reads, what it writes, and the state of the `||` list it is in. */
interface RunState {
  readonly tokens: readonly Token[];
  readonly scope: Scope;
  readonly functions: Map<string, readonly Token[]>;
  readonly depth: number;
  readonly callLine: number | undefined;
  readonly out: ShCommand[];
  readonly problems: ShProblem[];
  readonly nest: number;
  /** The command after `||` whose left side is not a guard. */
  skipNext: boolean;
  guardFailed: boolean;
}

/** Commands of a token list: `A || B` where A is a `show` guard gives B; `A || B` otherwise gives A (B is the failure path). */
function run(
  tokens: readonly Token[],
  scope: Scope,
  functions: Map<string, readonly Token[]>,
  depth: number,
  callLine: number | undefined,
  out: ShCommand[],
  problems: ShProblem[],
  nest = 0,
): void {
  const rs: RunState = {
    tokens,
    scope,
    functions,
    depth,
    callLine,
    out,
    problems,
    nest,
    skipNext: false,
    guardFailed: false,
  };
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i]!;
    if (t.kind === "op") {
      if (t.op === "\n" || t.op === ";" || t.op === "&" || t.op === ";;") {
        rs.skipNext = false;
        rs.guardFailed = false;
      }
      i++;
      continue;
    }
    const name = literal(t);
    // Compound commands: `if GUARD; then …; else …; fi` is read; loops and case are skipped with a problem.
    if (name !== undefined && COMPOUND.has(name) && !rs.skipNext) i = runCompound(rs, i, name, t.line);
    else if (name !== undefined && isFunctionDefinition(tokens, i, name)) i = defineFunction(rs, i, name, t.line);
    else i = runSimple(rs, i, t.line);
  }
}

/** The compound command `name` at tokens[i]; the index after it. */
function runCompound(rs: RunState, i: number, name: string, line: number): number {
  const end = closing(rs.tokens, i);
  if (name === "if" && rs.nest >= MAX_NEST)
    rs.problems.push({
      kind: "not-understood",
      line: rs.callLine ?? line,
      message: `if commands nested deeper than ${MAX_NEST} are not read.`,
    });
  else if (name === "if")
    readIf(
      rs.tokens.slice(i + 1, end),
      rs.scope,
      rs.functions,
      rs.depth,
      rs.callLine,
      line,
      rs.out,
      rs.problems,
      rs.nest + 1,
    );
  else
    rs.problems.push({
      kind: "not-understood",
      line: rs.callLine ?? line,
      message: `The sh "${name}" command is not expanded: the commands inside it are not read.`,
    });
  return end + 1;
}

/** NAME ( ) at tokens[i]. */
function isFunctionDefinition(tokens: readonly Token[], i: number, name: string): boolean {
  const open = tokens[i + 1];
  const close = tokens[i + 2];
  return (
    /^[A-Za-z_][\w-]*$/.test(name) && open?.kind === "op" && open.op === "(" && close?.kind === "op" && close.op === ")"
  );
}

/** Function definition: NAME ( ) { … }; the index after it. */
function defineFunction(rs: RunState, i: number, name: string, line: number): number {
  const tokens = rs.tokens;
  let j = i + 3;
  while (j < tokens.length && tokens[j]!.kind === "op" && (tokens[j] as { op: string }).op === "\n") j++;
  if (literal(tokens[j]) !== "{") {
    rs.problems.push({
      kind: "not-understood",
      line,
      message: `Function "${name}": only { … } bodies are read.`,
    });
    while (j < tokens.length && !(tokens[j]!.kind === "op" && (tokens[j] as { op: string }).op === "\n")) j++;
    return j;
  }
  let level = 0;
  const bodyStart = j + 1;
  for (; j < tokens.length; j++) {
    const w = literal(tokens[j]);
    const prev = tokens[j - 1];
    const atStart = prev === undefined || prev.kind === "op";
    if (w === "{" && atStart) level++;
    else if (w === "}" && atStart && --level === 0) break;
  }
  rs.functions.set(name, tokens.slice(bodyStart, j));
  return j + 1;
}

/** A simple command: words up to the next list operator (assignments, a function call, shift); the operator's index. */
function runSimple(rs: RunState, i: number, tokenLine: number): number {
  const { tokens, scope } = rs;
  let j = i;
  const words: string[] = [];
  let assignments = true;
  const line = rs.callLine ?? tokenLine;
  for (; j < tokens.length; j++) {
    const u = tokens[j]!;
    if (u.kind === "op") {
      if (u.op === "redirect") {
        j++; // the target
        continue;
      }
      if (u.op === "dup") continue;
      break;
    }
    const first = u.parts[0];
    const assign =
      assignments &&
      first !== undefined &&
      "lit" in first &&
      first.lit.includes("=") &&
      /^[A-Za-z_]\w*=/.exec(first.lit);
    if (assign) {
      const varName = assign[0].slice(0, -1);
      const rest: Token = {
        kind: "word",
        line: u.line,
        parts: [{ lit: first.lit.slice(assign[0].length) }, ...u.parts.slice(1)],
      };
      if (!rs.skipNext) scope.vars.set(varName, expand(rest, scope).join(" "));
      continue;
    }
    assignments = false;
    // A plain literal word (most of them) is itself: no array from expand.
    if (first !== undefined && u.parts.length === 1 && "lit" in first) words.push(first.lit);
    else words.push(...expand(u, scope));
  }
  const op = tokens[j]?.kind === "op" ? (tokens[j] as { op: string }).op : undefined;
  const isGuard = (words[0] === "mgmt_cli" || /\/mgmt_cli$/.test(words[0] ?? "")) && words[1] === "show";
  if (!rs.skipNext && !rs.guardFailed && words.length > 0) runWords(rs, words, line, isGuard && op === "||");
  // After `A || B`: B runs when A is a show guard (the object is absent); otherwise B is only the failure path.
  if (op === "||") rs.skipNext = rs.skipNext || rs.guardFailed || !isGuard;
  else if (op === "&&") {
    /* B runs after A */
  } else if (op === "|") rs.skipNext = true; // piped into another program: read only the first command
  if (op === "||" && isGuard) rs.guardFailed = false;
  return j;
}

/** A command's words: a call of a function defined earlier, `shift`, or a command (not a guard before `||`). */
function runWords(rs: RunState, words: string[], line: number, guardBeforeOr: boolean): void {
  const fn = rs.functions.get(words[0]!);
  if (fn !== undefined) {
    if (rs.depth > 0)
      rs.problems.push({
        kind: "not-understood",
        line,
        message: `"${words[0]}" is called inside a function: not followed.`,
      });
    else if (rs.scope.budget.left < fn.length + rs.scope.vars.size) {
      if (!rs.scope.budget.spent)
        rs.problems.push({
          kind: "not-understood",
          line,
          message: `Function calls expand to more than ${MAX_CALL_EXPANSION.toLocaleString("en-US")} words: "${words[0]}" here and the calls after it are not read.`,
        });
      rs.scope.budget.spent = true;
    } else {
      rs.scope.budget.left -= fn.length + rs.scope.vars.size;
      run(
        fn,
        { budget: rs.scope.budget, vars: new Map(rs.scope.vars), args: words.slice(1) },
        rs.functions,
        rs.depth + 1,
        line,
        rs.out,
        rs.problems,
      );
    }
  } else if (words[0] === "shift") {
    rs.scope.args = rs.scope.args.slice(Number(words[1] ?? "1") || 1);
  } else if (!guardBeforeOr) {
    rs.out.push({ line, words });
  }
}

/** Words that open or close a compound command or a function body, which may span lines. */
const BLOCK_WORDS = new Set([...COMPOUND, "{", "}", "then", "else", "elif", "fi", "do", "done", "esac"]);

/** Whether a token can belong to a construct that spans lines (a compound command, a function definition). */
function spansLines(t: Token): boolean {
  if (t.kind === "op") return t.op === "(" || t.op === ")" || t.op === ";;";
  const w = literal(t);
  return w !== undefined && BLOCK_WORDS.has(w);
}

/**
 * The commands a script runs, in order, each with its line; problems for what is not read. Lines of simple commands
 * are read one by one (a newline ends every list, and the reader keeps nothing else from one line to the next but the
 * variables and functions), so the tokens of a long script are not all held at once; from the first line that may
 * open a compound command or a function, the rest of the script is read as one token list.
 */
export function shCommands(text: string): { commands: ShCommand[]; problems: ShProblem[] } {
  const commands: ShCommand[] = [];
  const problems: ShProblem[] = [];
  const scope: Scope = { budget: { left: MAX_CALL_EXPANSION, spent: false }, vars: new Map(), args: [] };
  const functions = new Map<string, readonly Token[]>();
  const lx: Lexer = { text, i: 0, line: 1 };
  let tokens: Token[] = [];
  let lineByLine = true;
  for (let t = nextToken(lx); t !== undefined; t = nextToken(lx)) {
    tokens.push(t);
    if (!lineByLine) continue;
    const before = tokens[tokens.length - 2];
    // A redirection takes the next token as its target, a newline too.
    if (spansLines(t) || (t.kind === "op" && t.op === "\n" && before?.kind === "op" && before.op === "redirect"))
      lineByLine = false;
    else if (t.kind === "op" && t.op === "\n") {
      run(tokens, scope, functions, 0, undefined, commands, problems);
      tokens = [];
    }
  }
  run(tokens, scope, functions, 0, undefined, commands, problems);
  return { commands, problems };
}

/** A Line for a command, for findings. */
export function lineAt(lines: readonly Line[], n: number): Line {
  return lines[n - 1] ?? { n, text: "" };
}
