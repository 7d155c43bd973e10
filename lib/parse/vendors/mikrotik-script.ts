/**
 * RouterOS scripts as admins write them around firewall commands (RouterOS manual, "Scripting",
 * https://help.mikrotik.com/docs/display/ROS/Scripting): menu paths (`/ip firewall filter`, also `/ip/firewall/filter`
 * and `/ip firewall filter { … }`), commands separated by newlines or `;`, `\` line continuations, `#` comment lines,
 * "strings" with `\` escapes, `[ … ]` command substitutions, `( … )` expressions, and the control commands
 * `:do { … } on-error={ … }` (runs the block; the error handler only swallows "already have such entry"),
 * `:if (COND) do={ … } else={ … }`, `:local`/`:global`/`:set` variables, `:put`/`:log`/`:delay`.
 *
 * The reader does not run the script; it reads what the script leaves on the device:
 * - `:if ([:len [find …]] = 0) do={ … }` is the "add only when absent" guard: after the script the thing exists, so
 *   the body is read;
 * - another `:if` whose `do` and `else` branches add the same entries (differing only in `place-before`) is read once,
 *   from the `do` branch; any other condition is not evaluated: the `do` branch is read and a note says so;
 * - `place-before=[:pick $v 0]` with `:local v [find chain=X]` (also `[:pick [find chain=X] 0]`, `place-before=0`)
 *   puts the rule first in chain X; `place-before=[find comment="C"]` before the rule commented C;
 * - loops (`:foreach`, `:for`, `:while`, `:do … while=`) are not expanded: a finding says so.
 * Never throws; linear in the text (every token is visited once; nesting deeper than 64 is a finding).
 */
import { wordTable } from "./common";

export interface ScriptStatement {
  /** The line the command starts on. */
  readonly line: number;
  readonly menu: string;
  readonly verb: string;
  readonly args: Map<string, string>;
  /** Where `place-before=` puts the rule, when the script says it in a form the reader evaluates. */
  readonly placeBefore?: { readonly chain: string } | { readonly comment: string } | { readonly top: true };
  /**
   * set, remove, enable, disable: the items they reach as written, `[find …]` (a `$v` set to one resolved) or item
   * numbers; absent when the command names none.
   */
  readonly select?: string;
}

export interface ScriptProblem {
  readonly line: number;
  readonly kind: "not-understood" | "note";
  readonly message: string;
}

type Token =
  | { readonly t: "word"; readonly text: string; readonly line: number }
  | { readonly t: "{" | "}" | "end"; readonly line: number };

const MAX_DEPTH = 64;

/** Tokens, handed to `out` in order: words (quotes, [ ], ( ) kept whole), braces, and command ends (newline, `;`). */
function tokenize(text: string, out: { push(tok: Token): void }): void {
  const n = text.length;
  let i = 0;
  let line = 1;
  let lineStart = true;
  const lx = { text, i, line };
  while (i < n) {
    const c = text[i]!;
    if (c === " " || c === "\t" || c === "\r") {
      i++;
      continue;
    }
    if (c === "\\" && (text[i + 1] === "\n" || (text[i + 1] === "\r" && text[i + 2] === "\n"))) {
      i += text[i + 1] === "\n" ? 2 : 3;
      line++;
      continue;
    }
    if (c === "\n") {
      out.push({ t: "end", line });
      i++;
      line++;
      lineStart = true;
      continue;
    }
    if (c === "#" && lineStart) {
      while (i < n && text[i] !== "\n") i++;
      continue;
    }
    lineStart = false;
    if (c === ";") {
      out.push({ t: "end", line });
      i++;
      continue;
    }
    if (c === "{" || c === "}") {
      out.push({ t: c, line });
      i++;
      continue;
    }
    const start = i;
    const startLine = line;
    lx.i = i;
    lx.line = line;
    scanWord(lx);
    i = lx.i;
    line = lx.line;
    const word = text.slice(start, i);
    out.push({ t: "word", text: word.includes("\\") ? word.replace(/\\\r?\n\s*/g, "") : word, line: startLine });
  }
}

/** Moves lx past the word at lx.i (quotes, [ ] and ( ) kept whole, `\` continuations inside them), counting lines. */
function scanWord(lx: { readonly text: string; i: number; line: number }): void {
  const text = lx.text;
  const n = text.length;
  let i = lx.i;
  let depth = 0; // inside [ ] or ( )
  while (i < n) {
    const d = text.charCodeAt(i);
    if (d === 34 /* " */) {
      i++;
      while (i < n && text.charCodeAt(i) !== 34) {
        if (text.charCodeAt(i) === 92 /* \ */ && i + 1 < n) i++;
        if (text.charCodeAt(i) === 10) lx.line++;
        i++;
      }
      i++;
      continue;
    }
    if (d === 92 /* \ */) {
      const e = text.charCodeAt(i + 1);
      if (e === 10 || e === 13) {
        if (depth === 0) break;
        i += e === 10 ? 2 : 3;
        lx.line++;
        continue;
      }
    }
    if (d === 91 /* [ */ || d === 40 /* ( */) depth++;
    else if ((d === 93 || d === 41) && depth > 0)
      depth--; // ] )
    else if (depth === 0 && (d === 32 || d === 9 || d === 13 || d === 10 || d === 59 /* ; */ || d === 123 || d === 125))
      break;
    else if (d === 10) lx.line++;
    i++;
  }
  lx.i = i;
}

type Item =
  | { readonly word: string; readonly line: number; readonly block?: Block }
  | { readonly word?: undefined; readonly line: number; readonly block: Block };
interface Command {
  readonly line: number;
  readonly items: Item[];
}
type Block = Command[];

/**
 * Commands and nested blocks, token by token; an unclosed block runs to the end, a stray `}` is a problem. Each
 * top-level command goes to `done` once it has ended (nothing later changes it), so a long script is not held whole.
 */
class Structure {
  private readonly root: Block = [];
  private readonly stack: { block: Block; cmd: Command | undefined; owner: Item[] | undefined }[] = [
    { block: this.root, cmd: undefined, owner: undefined },
  ];
  private tooDeep = 0; // braces opened beyond MAX_DEPTH, skipped

  constructor(
    private readonly problems: ScriptProblem[],
    private readonly done: (cmd: Command) => void,
  ) {}

  /** The last top-level command, once nothing more can be added to it. */
  finish(): void {
    const cmd = this.root.pop();
    if (cmd) this.done(cmd);
  }

  push(tok: Token): void {
    const { stack, problems } = this;
    const top = stack[stack.length - 1]!;
    if (this.tooDeep > 0) {
      if (tok.t === "{") this.tooDeep++;
      else if (tok.t === "}") this.tooDeep--;
      return;
    }
    if (tok.t === "end") {
      if (stack.length === 1 && top.cmd) this.finish();
      top.cmd = undefined;
      return;
    }
    if (tok.t === "}") {
      if (stack.length === 1) {
        problems.push({ line: tok.line, kind: "not-understood", message: "A closing } without an opening {." });
        return;
      }
      stack.pop();
      return;
    }
    if (!top.cmd) {
      top.cmd = { line: tok.line, items: [] };
      top.block.push(top.cmd);
    }
    if (tok.t === "{") {
      if (stack.length > MAX_DEPTH) {
        problems.push({
          line: tok.line,
          kind: "not-understood",
          message: `Blocks nested deeper than ${MAX_DEPTH} are not read.`,
        });
        this.tooDeep = 1;
        return;
      }
      const block: Block = [];
      const items = top.cmd.items;
      const last = items[items.length - 1];
      // `do={`: the block is the value of the word before it.
      if (last?.word !== undefined && last.word.endsWith("=") && last.block === undefined)
        items[items.length - 1] = { word: last.word, line: last.line, block };
      else items.push({ line: tok.line, block });
      stack.push({ block, cmd: undefined, owner: items });
      return;
    }
    if (tok.t === "word") top.cmd.items.push({ word: tok.text, line: tok.line });
  }
}

function unquote(v: string): string {
  if (!v.startsWith('"')) return v;
  const inner = v.slice(1, v.endsWith('"') && v.length > 1 ? -1 : undefined);
  // Escapes are rare: the pattern runs only on a value that has a backslash.
  return inner.includes("\\") ? inner.replace(/\\(.)/g, "$1") : inner;
}

/** `find chain=X` (optionally with a menu path or `where`) inside [ ]: X. */
function findChain(expr: string): string | undefined {
  return /^\[\s*(?:\/[\w /-]*?\s)?find\s+(?:where\s+)?chain="?([\w-]+)"?\s*\]$/.exec(expr.trim())?.[1];
}

interface Scope {
  readonly vars: Map<string, string>;
}

interface Run {
  readonly problems: ScriptProblem[];
  menu: string;
}

const SILENT = new Set([
  ":put",
  ":log",
  ":delay",
  ":beep",
  ":set",
  ":error",
  ":return",
  ":nothing",
  ":environment",
  ":terminal",
]);
const LOOPS = new Set([":foreach", ":for", ":while", ":execute", ":parse"]);

function placement(raw: string, scope: Scope): ScriptStatement["placeBefore"] | undefined {
  const v = raw.trim();
  if (v === "0") return { top: true };
  const pick = /^\[\s*:pick\s+(\$[\w-]+|\[[^\]]*\])\s+0\s*\]$/.exec(v);
  if (pick) {
    const src = pick[1]!.startsWith("$") ? scope.vars.get(pick[1]!.slice(1)) : pick[1]!;
    const chain = src !== undefined ? findChain(src) : undefined;
    if (chain !== undefined) return { chain };
  }
  const chain = findChain(v);
  if (chain !== undefined) return { chain };
  const comment = /^\[\s*find\s+(?:where\s+)?comment=("(?:[^"\\]|\\.)*"|[^\s\]]+)\s*\]$/.exec(v);
  if (comment) return { comment: unquote(comment[1]!) };
  return undefined;
}

/** Statements of a block, in script order. */
function runBlock(block: Block, scope: Scope, run: Run, out: ScriptStatement[], depth: number): void {
  for (const cmd of block) runCommand(cmd, scope, run, out, depth);
}

function signature(s: ScriptStatement): string {
  return JSON.stringify([s.menu, s.verb, s.select ?? "", [...s.args].filter(([k]) => k !== "place-before").sort()]);
}

function runCommand(cmd: Command, scope: Scope, run: Run, out: ScriptStatement[], depth: number): void {
  const items = cmd.items;
  const head = items[0];
  if (!head) return;
  if (head.word === undefined) {
    runBlock(head.block, { vars: new Map(scope.vars) }, run, out, depth + 1);
    return;
  }
  if (head.word.startsWith(":")) {
    runControl(cmd, head.word, scope, run, out, depth);
    return;
  }
  let k = 0;
  if (head.word.startsWith("/")) {
    const at = runMenu(cmd, scope, run, out, depth);
    if (at === undefined) return;
    k = at;
  }
  readStatement(cmd, k, scope, run, out);
}

/** `:do`, `:if`, `:local`/`:global`, the silent commands, loops (a finding) and any other `:command` (a finding). */
function runControl(cmd: Command, word: string, scope: Scope, run: Run, out: ScriptStatement[], depth: number): void {
  const items = cmd.items;
  const name = word.toLowerCase();
  if (name === ":do") {
    const body = items[1]?.block;
    if (items.some((it) => it.word === "while=")) {
      run.problems.push({
        line: cmd.line,
        kind: "not-understood",
        message: "A :do … while= loop is not expanded: its commands are not read.",
      });
      return;
    }
    if (body) runBlock(body, { vars: new Map(scope.vars) }, run, out, depth + 1);
    else run.problems.push({ line: cmd.line, kind: "not-understood", message: ":do without a { … } block." });
    return;
  }
  if (name === ":if") {
    runIf(cmd, scope, run, out, depth);
    return;
  }
  if (name === ":local" || name === ":global") {
    const v = items[1]?.word;
    const value = items[2]?.word;
    if (v !== undefined && value !== undefined) scope.vars.set(v, value);
    return;
  }
  if (SILENT.has(name)) return;
  if (LOOPS.has(name)) {
    run.problems.push({
      line: cmd.line,
      kind: "not-understood",
      message: `${word} is not expanded: the commands it runs are not read.`,
    });
    return;
  }
  run.problems.push({ line: cmd.line, kind: "not-understood", message: `The script command ${word} is not read.` });
}

/** `:if (COND) do={ … } else={ … }`: see the file comment for which branch is read. */
function runIf(cmd: Command, scope: Scope, run: Run, out: ScriptStatement[], depth: number): void {
  const items = cmd.items;
  const cond = items[1]?.word ?? "";
  const yes = items.find((it) => it.word === "do=")?.block;
  const no = items.find((it) => it.word === "else=")?.block;
  if (!yes) {
    run.problems.push({ line: cmd.line, kind: "not-understood", message: ":if without do={ … }." });
    return;
  }
  const a: ScriptStatement[] = [];
  const menu = run.menu;
  runBlock(yes, { vars: new Map(scope.vars) }, run, a, depth + 1);
  const absentGuard = /^\(\s*\[\s*:len\s+\[\s*(?:\/[\w /-]*?\s)?find\b[^\]]*\]\s*\]\s*=\s*0\s*\)$/.test(cond);
  if (no && !absentGuard) {
    const b: ScriptStatement[] = [];
    run.menu = menu;
    runBlock(no, { vars: new Map(scope.vars) }, run, b, depth + 1);
    const same = a.length === b.length && a.every((s, k) => signature(s) === signature(b[k]!));
    if (!same)
      run.problems.push({
        line: cmd.line,
        kind: "note",
        message: `The condition ${cond} is not evaluated: read as true (the else branch is not read).`,
      });
  } else if (!absentGuard) {
    run.problems.push({
      line: cmd.line,
      kind: "note",
      message: `The condition ${cond} is not evaluated: read as true.`,
    });
  }
  out.push(...a);
}

/**
 * A command that starts with a menu path: a `{ … }` block after it runs inside that menu (undefined: done);
 * otherwise the path becomes the current menu and the index of the word after it is returned.
 */
function runMenu(cmd: Command, scope: Scope, run: Run, out: ScriptStatement[], depth: number): number | undefined {
  const items = cmd.items;
  let k = 0;
  const path: string[] = [];
  while (
    k < items.length &&
    items[k]!.word !== undefined &&
    items[k]!.block === undefined &&
    /^[/\w-]/.test(items[k]!.word!) &&
    !/^(?:add|set|remove|print|find|move|enable|disable|export|edit|comment|unset)$/.test(items[k]!.word!)
  ) {
    path.push(items[k]!.word!);
    k++;
  }
  const menu = `/${path
    .join(" ")
    .split(/[\s/]+/)
    .filter(Boolean)
    .join(" ")}`;
  const block = items[k]?.word === undefined ? items[k]?.block : undefined;
  if (block) {
    const before = run.menu;
    run.menu = menu;
    runBlock(block, { vars: new Map(scope.vars) }, run, out, depth + 1);
    run.menu = before;
    return undefined;
  }
  run.menu = menu;
  return k >= items.length ? undefined : k;
}

/**
 * Keys and values most statements repeat: kept as these literals (wordTable) rather than a sliced copy per statement
 * (a rule's arguments are held until every statement is read).
 */
const commonWord = wordTable(
  "action chain protocol dst-port src-address src-address-list list address comment disabled connection-state in-interface in-interface-list dst-address accept drop reject forward input tcp udp yes no".split(
    " ",
  ),
);

const EDIT_VERBS = new Set(["add", "set", "remove", "enable", "disable"]);

/** `add|set|remove|enable|disable [SELECTOR] KEY=VALUE …` from items[k] on, in the current menu. */
function readStatement(cmd: Command, k: number, scope: Scope, run: Run, out: ScriptStatement[]): void {
  const items = cmd.items;
  const verb = items[k]?.word;
  if (verb === undefined || !EDIT_VERBS.has(verb)) {
    run.problems.push({
      line: cmd.line,
      kind: "not-understood",
      message: "Not a RouterOS add/set/remove/enable/disable command.",
    });
    return;
  }
  const args = new Map<string, string>();
  let placeBefore: ScriptStatement["placeBefore"];
  let select: string | undefined;
  for (let j = k + 1; j < items.length; j++) {
    const it = items[j]!;
    if (it.word === undefined) continue;
    // The items an edit reaches: `[find …]`, `numbers=…`, item numbers, or a variable holding one of them.
    if (verb !== "add" && select === undefined) {
      const w = it.word;
      const given = w.startsWith("numbers=") ? w.slice(8) : w;
      if (
        given !== w ||
        given.startsWith("[") ||
        given.startsWith("$") ||
        /^(?:\d+|\*[\dA-Fa-f]+)(?:,(?:\d+|\*[\dA-Fa-f]+))*$/.test(given)
      ) {
        select = given.startsWith("$") ? (scope.vars.get(given.slice(1)) ?? given) : unquote(given);
        continue;
      }
    }
    const eq = it.word.indexOf("=");
    const key = eq < 0 ? it.word : (commonWord(it.word, 0, eq) ?? it.word.slice(0, eq));
    const raw = eq < 0 ? "" : (commonWord(it.word, eq + 1, it.word.length) ?? it.word.slice(eq + 1));
    args.set(key, unquote(raw));
    if (key === "place-before") {
      placeBefore = placement(raw, scope);
      if (placeBefore === undefined)
        run.problems.push({
          line: it.line,
          kind: "note",
          message: `place-before=${raw} is not evaluated: the rule is read in script order.`,
        });
    }
  }
  // No spread per statement: placeBefore is set only when there is one.
  const statement: { -readonly [K in keyof ScriptStatement]: ScriptStatement[K] } = {
    line: cmd.line,
    menu: run.menu,
    verb,
    args,
  };
  if (placeBefore) statement.placeBefore = placeBefore;
  if (select !== undefined) statement.select = select;
  out.push(statement);
}

/** The add/set/remove/enable/disable statements of a RouterOS script, in the order they run, with the problems met. */
export function readScript(text: string): { statements: ScriptStatement[]; problems: ScriptProblem[] } {
  // The structure's problems come before those of running the commands, as when the whole script was structured first.
  const problems: ScriptProblem[] = [];
  const runProblems: ScriptProblem[] = [];
  const statements: ScriptStatement[] = [];
  const scope: Scope = { vars: new Map() };
  const run: Run = { problems: runProblems, menu: "" };
  const structure = new Structure(problems, (cmd) => runCommand(cmd, scope, run, statements, 0));
  tokenize(text, structure);
  structure.finish();
  for (const p of runProblems) problems.push(p);
  return { statements, problems };
}
