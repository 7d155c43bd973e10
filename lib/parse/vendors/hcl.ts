/**
 * A reader for the part of HCL (HashiCorp Configuration Language, native syntax,
 * https://github.com/hashicorp/hcl/blob/main/hclsyntax/spec.md) that firewall resources use: blocks with labels,
 * attributes, strings, numbers, bools, lists, objects, traversals (local.x, each.key, var.y) and function calls.
 * Every value keeps its line. Template interpolations are kept as text; operators, conditionals and `for`
 * expressions become "unknown" values. Never throws; linear in the input.
 */
import { isDigit, isLetter } from "../lines";

export type HclValue =
  | { readonly t: "str"; readonly v: string; readonly line: number }
  | { readonly t: "num"; readonly v: number; readonly line: number }
  | { readonly t: "bool"; readonly v: boolean; readonly line: number }
  | { readonly t: "null"; readonly line: number }
  | { readonly t: "list"; readonly items: readonly HclValue[]; readonly line: number }
  | {
      readonly t: "obj";
      readonly entries: readonly { readonly key: string; readonly keyLine: number; readonly value: HclValue }[];
      readonly line: number;
    }
  | { readonly t: "ref"; readonly path: readonly string[]; readonly line: number }
  | { readonly t: "call"; readonly name: string; readonly args: readonly HclValue[]; readonly line: number }
  | { readonly t: "unknown"; readonly text: string; readonly line: number };

export interface HclBlock {
  readonly type: string;
  readonly labels: readonly string[];
  readonly line: number;
  readonly attrs: ReadonlyMap<string, HclValue>;
  readonly blocks: readonly HclBlock[];
}

export interface HclError {
  readonly line: number;
  readonly message: string;
}

interface Tok {
  readonly k: "id" | "str" | "num" | "punct" | "heredoc" | "nl" | "eof";
  readonly v: string;
  readonly line: number;
}

/** Where the lexer is: the text, the position, the current line and the token just read. */
interface LexState {
  readonly text: string;
  i: number;
  line: number;
  tok: Tok;
  /** Short words read so far, one string per distinct word, by a hash of their chars (see word()). */
  readonly words: (string | undefined)[];
}

/** Words longer than this are sliced each time: names, keywords and most values are shorter. */
const SHORT_WORD = 24;

/**
 * text[start, end) as a string: a short one as one string per distinct word. A configuration repeats the same
 * identifiers and values (resource, ingress, "tcp", "443") on every few lines, and the parse keeps them all.
 */
function word(st: LexState, start: number, end: number): string {
  const { text } = st;
  if (end - start > SHORT_WORD) return text.slice(start, end);
  let h = 0;
  for (let k = start; k < end; k++) h = (h * 31 + text.charCodeAt(k)) | 0;
  const slot = h & (st.words.length - 1);
  const known = st.words[slot];
  if (known !== undefined && known.length === end - start && text.startsWith(known, start)) return known;
  const w = text.slice(start, end);
  st.words[slot] = w;
  return w;
}

/** What LexState.tok holds before the first token. */
const EOF_UNSET: Tok = Object.freeze({ k: "eof", v: "", line: 0 });

/**
 * The tokens of a text, one at a time (next()): the parser looks one token ahead at most, so no list of every token
 * of a 100k-line file is kept while it is read.
 */
class Lexer {
  private readonly st: LexState;
  private done = false;

  constructor(text: string) {
    // A leading byte order mark (Windows editors) is not part of the configuration.
    this.st = {
      text,
      i: text.charCodeAt(0) === 0xfeff ? 1 : 0,
      line: 1,
      tok: EOF_UNSET,
      words: new Array<string | undefined>(512).fill(undefined),
    };
  }

  /** The next token; after the text, the "eof" token, again and again. */
  next(): Tok {
    const st = this.st;
    if (this.done) return st.tok;
    const { text } = st;
    const n = text.length;
    // Char codes, not text[i] and regular expressions, the position in a local between tokens: this loop reads every
    // character of 100k-line configs.
    let i = st.i;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === CH_SPACE || c === CH_TAB || c === CH_CR) {
        i++;
        continue;
      }
      if (c === CH_LF) {
        st.i = i + 1;
        return { k: "nl", v: "\n", line: st.line++ };
      }
      const next = text.charCodeAt(i + 1);
      if (c === CH_HASH || (c === CH_SLASH && next === CH_SLASH)) {
        const nl = text.indexOf("\n", i);
        i = nl < 0 ? n : nl;
        continue;
      }
      st.i = i;
      if (c === CH_SLASH && next === CH_STAR) {
        lexBlockComment(st);
        i = st.i;
        continue;
      }
      if (c === CH_DQUOTE) lexString(st);
      else if (c === CH_LT && next === CH_LT) lexHeredoc(st);
      else if (isIdentStart(c)) lexRun(st, "id", isIdentPart);
      else if (isDigit(c)) lexRun(st, "num", isNumberPart);
      else {
        st.tok = { k: "punct", v: text[i]!, line: st.line };
        st.i++;
      }
      return st.tok;
    }
    st.i = i;
    this.done = true;
    st.tok = { k: "eof", v: "", line: st.line };
    return st.tok;
  }
}

const CH_TAB = 9;
const CH_LF = 10;
const CH_CR = 13;
const CH_SPACE = 32;
const CH_DQUOTE = 34;
const CH_HASH = 35;
const CH_DOLLAR = 36;
const CH_STAR = 42;
const CH_DASH = 45;
const CH_DOT = 46;
const CH_SLASH = 47;
const CH_LT = 60;
const CH_BACKSLASH = 92;
const CH_UNDERSCORE = 95;
const CH_OPEN = 123;
const CH_CLOSE = 125;

/** [A-Za-z_] */
function isIdentStart(c: number): boolean {
  return isLetter(c) || c === CH_UNDERSCORE;
}

/** [\w-] */
function isIdentPart(c: number): boolean {
  return isLetter(c) || isDigit(c) || c === CH_UNDERSCORE || c === CH_DASH;
}

/** [0-9.eE] */
function isNumberPart(c: number): boolean {
  return isDigit(c) || c === CH_DOT || c === 69 || c === 101;
}

/** An identifier or number: the first character, then every following one `part` accepts. */
function lexRun(st: LexState, k: "id" | "num", part: (c: number) => boolean): void {
  const { text } = st;
  let j = st.i + 1;
  while (j < text.length && part(text.charCodeAt(j))) j++;
  st.tok = { k, v: word(st, st.i, j), line: st.line };
  st.i = j;
}

/** A comment from the opening slash-star to its end (or the end of the text), counting its lines. */
function lexBlockComment(st: LexState): void {
  const { text } = st;
  const end = text.indexOf("*/", st.i + 2);
  const stop = end < 0 ? text.length : end + 2;
  for (let j = st.i; j < stop; j++) if (text.charCodeAt(j) === CH_LF) st.line++;
  st.i = stop;
}

/**
 * A quoted string from its opening quote: escapes read, interpolations ("${…}", which may hold quotes and newlines)
 * kept as text. A newline outside an interpolation ends an unterminated string. Unescaped runs are sliced, not
 * copied character by character.
 */
function lexString(st: LexState): void {
  const { text } = st;
  const n = text.length;
  const start = st.line;
  let v = "";
  let i = st.i + 1;
  let from = i;
  let depth = 0;
  while (i < n) {
    const d = text.charCodeAt(i);
    if (d === CH_BACKSLASH && i + 1 < n) {
      const e = text[i + 1]!;
      v += text.slice(from, i) + (e === "n" ? "\n" : e === "t" ? "\t" : e);
      i += 2;
      from = i;
      continue;
    }
    if (d === CH_DOLLAR && text.charCodeAt(i + 1) === CH_OPEN) depth++;
    else if (d === CH_CLOSE && depth > 0) depth--;
    else if (d === CH_DQUOTE && depth === 0) break;
    else if (d === CH_LF) {
      if (depth === 0) break;
      st.line++;
    }
    i++;
  }
  // Without escapes the value is the text between the quotes.
  v = from === st.i + 1 ? word(st, from, i) : v + text.slice(from, i);
  st.i = i + 1;
  st.tok = { k: "str", v, line: start };
}

/** "<<EOF" or "<<-EOF" … a line holding only the marker; "<" alone when no marker follows. */
function lexHeredoc(st: LexState): void {
  const { text } = st;
  const n = text.length;
  const m = /^<<-?([A-Za-z_]\w*)[^\n]*\n/.exec(text.slice(st.i, st.i + 200));
  if (!m) {
    st.tok = { k: "punct", v: "<", line: st.line };
    st.i++;
    return;
  }
  const start = st.line;
  const marker = m[1]!;
  let j = st.i + m[0].length;
  st.line++;
  let body = "";
  while (j < n) {
    const eol = text.indexOf("\n", j);
    const end = eol < 0 ? n : eol;
    const l = text.slice(j, end);
    j = end + 1;
    if (l.trim() === marker) break;
    body += l + "\n";
    st.line++;
  }
  st.line++;
  st.i = j;
  st.tok = { k: "heredoc", v: body, line: start };
}

/** A traversal's step "[count.index]" (the resource instance's index, bound by the reader that evaluates count). */
export const COUNT_INDEX = "[count.index]";

/** The name of the call a conditional expression "c ? a : b" is read as (args: c, a, b). */
export const CONDITIONAL = "?:";

const MAX_DEPTH = 64;

export function parseHcl(text: string): { body: HclBlock; errors: HclError[] } {
  const parser = new HclParser(new Lexer(text));
  const root = parser.body(0, "", [], 1, true);
  return { body: root, errors: parser.errors };
}

function isPunct(t: Tok, chars: string): boolean {
  return t.k === "punct" && chars.includes(t.v);
}

/**
 * A recursive-descent reader over the tokens: one method per construct. It holds the current token and, once
 * looked at, the one after it; advance() moves on (past the end, the current token stays the "eof" one).
 */
class HclParser {
  readonly errors: HclError[] = [];
  private cur: Tok;
  private after: Tok | undefined;

  constructor(private readonly lexer: Lexer) {
    this.cur = lexer.next();
  }

  /** The current token; past the end, the final "eof" token. */
  private peek(): Tok {
    return this.cur;
  }

  /** The token after the current one, if any (none after the "eof" token). */
  private ahead(): Tok | undefined {
    if (this.cur.k === "eof") return undefined;
    return (this.after ??= this.lexer.next());
  }

  private advance(): void {
    if (this.cur.k === "eof") return;
    this.cur = this.after ?? this.lexer.next();
    this.after = undefined;
  }

  private skipNl(): void {
    while (this.peek().k === "nl") this.advance();
  }

  /** Skips to the end of the line or the matching close of what is open, for error recovery. */
  private recover(): void {
    let depth = 0;
    while (this.peek().k !== "eof") {
      const t = this.peek();
      if (isPunct(t, "{[(")) depth++;
      if (isPunct(t, "}])")) {
        if (depth === 0) return;
        depth--;
      }
      if (t.k === "nl" && depth === 0) return;
      this.advance();
    }
  }

  /** A value, then anything operator-like turns it into "unknown" up to the line's end. */
  private expr(depth: number): HclValue {
    const v = this.primary(depth);
    const t = this.peek();
    // "cond ? a : b" on a plain value (var.create ? 1 : 0): a call of CONDITIONAL, for the reader to evaluate.
    if (isPunct(t, "?") && (v.t === "ref" || v.t === "bool")) {
      this.advance();
      const yes = this.expr(depth + 1);
      if (isPunct(this.peek(), ":")) {
        this.advance();
        const no = this.expr(depth + 1);
        return { t: "call", name: CONDITIONAL, args: [v, yes, no], line: v.line };
      }
      this.recover();
      return { t: "unknown", text: "?", line: v.line };
    }
    if (isPunct(t, "?+-*/%<>!&|")) {
      let text = "";
      while (this.peek().k !== "eof" && this.peek().k !== "nl" && !isPunct(this.peek(), ",]})")) {
        text += this.peek().v;
        this.advance();
      }
      return { t: "unknown", text, line: v.line };
    }
    return v;
  }

  private primary(depth: number): HclValue {
    const t = this.peek();
    if (depth > MAX_DEPTH) {
      this.errors.push({ line: t.line, message: "Nested too deeply." });
      this.recover();
      return { t: "unknown", text: "", line: t.line };
    }
    if (t.k === "str" || t.k === "heredoc") {
      this.advance();
      return { t: "str", v: t.v, line: t.line };
    }
    if (t.k === "num") {
      this.advance();
      return { t: "num", v: Number(t.v), line: t.line };
    }
    if (t.k === "punct" && t.v === "-" && this.ahead()?.k === "num") {
      const num = this.ahead()!;
      this.advance();
      this.advance();
      return { t: "num", v: -Number(num.v), line: t.line };
    }
    if (t.k === "punct" && t.v === "[") return this.list(t, depth);
    if (t.k === "punct" && t.v === "{") return this.object(t, depth);
    if (t.k === "id") return this.identifier(t, depth);
    if (t.k === "punct" && t.v === "(") {
      this.advance();
      const v = this.expr(depth + 1);
      if (isPunct(this.peek(), ")")) this.advance();
      return v;
    }
    this.errors.push({ line: t.line, message: `Unexpected "${t.v}".` });
    // Consume the offending token first: every error makes progress.
    if (t.k !== "eof") this.advance();
    this.recover();
    return { t: "unknown", text: "", line: t.line };
  }

  /** "[ a, b ]" from its opening bracket `t`. */
  private list(t: Tok, depth: number): HclValue {
    this.advance();
    const items: HclValue[] = [];
    this.skipNl();
    if (this.peek().k === "id" && this.peek().v === "for") return this.skipUntil("]", t.line);
    while (this.peek().k !== "eof" && !isPunct(this.peek(), "]")) {
      // An unclosed list ends where the next attribute or the block's close starts.
      if ((this.peek().k === "id" && isPunct(this.ahead() ?? this.peek(), "=")) || isPunct(this.peek(), "}")) {
        this.errors.push({ line: this.peek().line, message: 'The list is not closed with "]".' });
        return { t: "list", items, line: t.line };
      }
      items.push(this.expr(depth + 1));
      this.skipNl();
      if (isPunct(this.peek(), ",")) this.advance();
      else if (
        !isPunct(this.peek(), "]}") &&
        this.peek().k !== "nl" &&
        !(this.peek().k === "id" && this.ahead()?.v === "=")
      ) {
        this.errors.push({ line: this.peek().line, message: `Expected "," or "]" in a list.` });
        this.recover();
        if (isPunct(this.peek(), "]")) break;
        if (this.peek().k === "nl") this.advance();
      }
      this.skipNl();
    }
    this.advance();
    return { t: "list", items, line: t.line };
  }

  /** "{ key = value … }" from its opening brace `t`. */
  private object(t: Tok, depth: number): HclValue {
    this.advance();
    const entries: { key: string; keyLine: number; value: HclValue }[] = [];
    this.skipNl();
    if (this.peek().k === "id" && this.peek().v === "for") return this.skipUntil("}", t.line);
    while (this.peek().k !== "eof" && !isPunct(this.peek(), "}")) {
      const k = this.peek();
      let key: string;
      if (k.k === "str" || k.k === "id" || k.k === "num") {
        key = k.v;
        this.advance();
      } else if (isPunct(k, "(")) {
        const inner = this.expr(depth + 1);
        key = inner.t === "str" ? inner.v : "";
      } else {
        this.errors.push({ line: k.line, message: "Expected an object key." });
        this.advance();
        this.recover();
        this.skipNl();
        continue;
      }
      const sep = this.peek();
      if (isPunct(sep, "=:")) this.advance();
      else {
        this.errors.push({ line: sep.line, message: `Expected "=" after "${key}".` });
        this.recover();
        this.skipNl();
        continue;
      }
      entries.push({ key, keyLine: k.line, value: this.expr(depth + 1) });
      if (isPunct(this.peek(), ",")) this.advance();
      this.skipNl();
    }
    this.advance();
    return { t: "obj", entries, line: t.line };
  }

  /** true/false/null, a function call "name(…)", or a traversal "a.b[0]" from its first identifier `t`. */
  private identifier(t: Tok, depth: number): HclValue {
    this.advance();
    if (t.v === "true" || t.v === "false") return { t: "bool", v: t.v === "true", line: t.line };
    if (t.v === "null") return { t: "null", line: t.line };
    if (isPunct(this.peek(), "(")) return this.call(t, depth);
    const path = [t.v];
    for (;;) {
      const d = this.peek();
      const next = this.ahead();
      if (d.k === "punct" && d.v === "." && (next?.k === "id" || next?.k === "num")) {
        path.push(next.v);
        this.advance();
        this.advance();
      } else if (d.k === "punct" && d.v === "[") {
        this.advance();
        const idx = this.expr(depth + 1);
        if (isPunct(this.peek(), "]")) this.advance();
        path.push(
          idx.t === "str"
            ? idx.v
            : idx.t === "num"
              ? String(idx.v)
              : idx.t === "ref" && idx.path.length === 2 && idx.path[0] === "count" && idx.path[1] === "index"
                ? COUNT_INDEX
                : "*",
        );
      } else break;
    }
    return { t: "ref", path, line: t.line };
  }

  /** A call's arguments, from its opening parenthesis; `t` is its name. */
  private call(t: Tok, depth: number): HclValue {
    this.advance();
    const args: HclValue[] = [];
    this.skipNl();
    while (this.peek().k !== "eof" && !isPunct(this.peek(), ")")) {
      args.push(this.expr(depth + 1));
      this.skipNl();
      if (isPunct(this.peek(), ",.")) this.advance();
      else if (!isPunct(this.peek(), ")")) {
        this.recover();
        if (this.peek().k === "nl") this.advance();
      }
      this.skipNl();
    }
    this.advance();
    return { t: "call", name: t.v, args, line: t.line };
  }

  private skipUntil(close: string, line: number): HclValue {
    let depth = 0;
    while (this.peek().k !== "eof") {
      const t = this.peek();
      this.advance();
      if (isPunct(t, "{[(")) depth++;
      if (t.k === "punct" && t.v === close && depth === 0) break;
      if (isPunct(t, "}])")) depth--;
    }
    return { t: "unknown", text: "for expression", line };
  }

  /** A block's body (the file's top level when `top`): attributes and nested blocks up to its closing brace. */
  body(depth: number, type: string, labels: string[], line: number, top: boolean): HclBlock {
    const attrs = new Map<string, HclValue>();
    const blocks: HclBlock[] = [];
    for (;;) {
      this.skipNl();
      const t = this.peek();
      if (t.k === "eof") {
        if (!top) this.errors.push({ line, message: `Block "${type}" is not closed.` });
        break;
      }
      if (isPunct(t, "}")) {
        this.advance();
        if (top) {
          this.errors.push({ line: t.line, message: "A closing brace without an open block." });
          continue;
        }
        break;
      }
      if (t.k !== "id") {
        this.errors.push({ line: t.line, message: `Expected an attribute or block, found "${t.v}".` });
        this.advance();
        this.recover();
        if (isPunct(this.peek(), "}") && !top) {
          this.advance();
          break;
        }
        continue;
      }
      this.advance();
      if (isPunct(this.peek(), "=")) {
        this.advance();
        attrs.set(t.v, this.expr(depth + 1));
        continue;
      }
      this.blockOrError(t, depth, blocks);
    }
    return { type, labels, line, attrs, blocks };
  }

  /** After the identifier `t` that is no attribute: its labels and body, or a finding. */
  private blockOrError(t: Tok, depth: number, blocks: HclBlock[]): void {
    const blockLabels: string[] = [];
    while (this.peek().k === "str" || this.peek().k === "id") {
      blockLabels.push(this.peek().v);
      this.advance();
    }
    if (isPunct(this.peek(), "{")) {
      this.advance();
      if (depth > MAX_DEPTH) {
        this.errors.push({ line: t.line, message: "Nested too deeply." });
        this.skipUntil("}", t.line);
        return;
      }
      blocks.push(this.body(depth + 1, t.v, blockLabels, t.line, false));
      return;
    }
    this.errors.push({
      line: t.line,
      message: `"${t.v}" is neither an attribute (name = value) nor a block (name { … }).`,
    });
    this.recover();
  }
}
