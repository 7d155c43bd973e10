/**
 * A reader for the part of HCL (HashiCorp Configuration Language, native syntax,
 * https://github.com/hashicorp/hcl/blob/main/hclsyntax/spec.md) that firewall resources use: blocks with labels,
 * attributes, strings, numbers, bools, lists, objects, traversals (local.x, each.key, var.y) and function calls.
 * Every value keeps its line. Template interpolations are kept as text; operators, conditionals and `for`
 * expressions become "unknown" values. Never throws; linear in the input.
 */
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

/** Where the lexer is: the text, the position, the current line and the tokens so far. */
interface LexState {
  readonly text: string;
  i: number;
  line: number;
  readonly out: Tok[];
}

function lex(text: string): Tok[] {
  const st: LexState = { text, i: 0, line: 1, out: [] };
  const n = text.length;
  // Char codes, not text[i] and regular expressions: this loop reads every character of 100k-line configs.
  while (st.i < n) {
    const c = text.charCodeAt(st.i);
    const next = text.charCodeAt(st.i + 1);
    if (c === CH_LF) {
      st.out.push({ k: "nl", v: "\n", line: st.line });
      st.line++;
      st.i++;
    } else if (c === CH_SPACE || c === CH_TAB || c === CH_CR) st.i++;
    else if (c === CH_HASH || (c === CH_SLASH && next === CH_SLASH)) {
      const nl = text.indexOf("\n", st.i);
      st.i = nl < 0 ? n : nl;
    } else if (c === CH_SLASH && next === CH_STAR) lexBlockComment(st);
    else if (c === CH_DQUOTE) lexString(st);
    else if (c === CH_LT && next === CH_LT) lexHeredoc(st);
    else if (isIdentStart(c)) lexRun(st, "id", isIdentPart);
    else if (isDigit(c)) lexRun(st, "num", isNumberPart);
    else {
      st.out.push({ k: "punct", v: text[st.i]!, line: st.line });
      st.i++;
    }
  }
  st.out.push({ k: "eof", v: "", line: st.line });
  return st.out;
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

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

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
  st.out.push({ k, v: text.slice(st.i, j), line: st.line });
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
  v += text.slice(from, i);
  st.i = i + 1;
  st.out.push({ k: "str", v, line: start });
}

/** "<<EOF" or "<<-EOF" … a line holding only the marker; "<" alone when no marker follows. */
function lexHeredoc(st: LexState): void {
  const { text } = st;
  const n = text.length;
  const m = /^<<-?([A-Za-z_]\w*)[^\n]*\n/.exec(text.slice(st.i, st.i + 200));
  if (!m) {
    st.out.push({ k: "punct", v: "<", line: st.line });
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
  st.out.push({ k: "heredoc", v: body, line: start });
}

const MAX_DEPTH = 64;

export function parseHcl(text: string): { body: HclBlock; errors: HclError[] } {
  const toks = lex(text);
  const errors: HclError[] = [];
  let p = 0;
  // Past the end, peek() keeps answering the final "eof" token.
  const peek = (): Tok => toks[p] ?? toks[toks.length - 1]!;
  const skipNl = (): void => {
    while (peek().k === "nl") p++;
  };
  /** Skips to the end of the line or the matching close of what is open, for error recovery. */
  const recover = (): void => {
    let depth = 0;
    while (peek().k !== "eof") {
      const t = peek();
      if (t.k === "punct" && "{[(".includes(t.v)) depth++;
      if (t.k === "punct" && "}])".includes(t.v)) {
        if (depth === 0) return;
        depth--;
      }
      if (t.k === "nl" && depth === 0) return;
      p++;
    }
  };

  function expr(depth: number): HclValue {
    const v = primary(depth);
    // Postfix traversal, then anything operator-like turns the value into "unknown" up to the line's end.
    const t = peek();
    if (t.k === "punct" && "?+-*/%<>!&|".includes(t.v)) {
      let text = "";
      while (peek().k !== "eof" && peek().k !== "nl" && !(peek().k === "punct" && ",]})".includes(peek().v))) {
        text += peek().v;
        p++;
      }
      return { t: "unknown", text, line: v.line };
    }
    return v;
  }

  function primary(depth: number): HclValue {
    const t = peek();
    if (depth > MAX_DEPTH) {
      errors.push({ line: t.line, message: "Nested too deeply." });
      recover();
      return { t: "unknown", text: "", line: t.line };
    }
    if (t.k === "str" || t.k === "heredoc") {
      p++;
      return { t: "str", v: t.v, line: t.line };
    }
    if (t.k === "num") {
      p++;
      return { t: "num", v: Number(t.v), line: t.line };
    }
    if (t.k === "punct" && t.v === "-" && toks[p + 1]?.k === "num") {
      p += 2;
      return { t: "num", v: -Number(toks[p - 1]!.v), line: t.line };
    }
    if (t.k === "punct" && t.v === "[") {
      p++;
      const items: HclValue[] = [];
      skipNl();
      if (peek().k === "id" && peek().v === "for") return skipUntil("]", t.line);
      while (peek().k !== "eof" && !(peek().k === "punct" && peek().v === "]")) {
        // An unclosed list ends where the next attribute or the block's close starts.
        if (
          (peek().k === "id" && toks[p + 1]?.k === "punct" && toks[p + 1]?.v === "=") ||
          (peek().k === "punct" && peek().v === "}")
        ) {
          errors.push({ line: peek().line, message: 'The list is not closed with "]".' });
          return { t: "list", items, line: t.line };
        }
        items.push(expr(depth + 1));
        skipNl();
        if (peek().k === "punct" && peek().v === ",") p++;
        else if (
          !(peek().k === "punct" && (peek().v === "]" || peek().v === "}")) &&
          peek().k !== "nl" &&
          !(peek().k === "id" && toks[p + 1]?.v === "=")
        ) {
          errors.push({ line: peek().line, message: `Expected "," or "]" in a list.` });
          recover();
          if (peek().k === "punct" && peek().v === "]") break;
          if (peek().k === "nl") p++;
        }
        skipNl();
      }
      p++;
      return { t: "list", items, line: t.line };
    }
    if (t.k === "punct" && t.v === "{") {
      p++;
      const entries: { key: string; keyLine: number; value: HclValue }[] = [];
      skipNl();
      if (peek().k === "id" && peek().v === "for") return skipUntil("}", t.line);
      while (peek().k !== "eof" && !(peek().k === "punct" && peek().v === "}")) {
        const k = peek();
        let key: string;
        if (k.k === "str" || k.k === "id" || k.k === "num") {
          key = k.v;
          p++;
        } else if (k.k === "punct" && k.v === "(") {
          const inner = expr(depth + 1);
          key = inner.t === "str" ? inner.v : "";
        } else {
          errors.push({ line: k.line, message: "Expected an object key." });
          p++;
          recover();
          skipNl();
          continue;
        }
        const sep = peek();
        if (sep.k === "punct" && (sep.v === "=" || sep.v === ":")) p++;
        else {
          errors.push({ line: sep.line, message: `Expected "=" after "${key}".` });
          recover();
          skipNl();
          continue;
        }
        entries.push({ key, keyLine: k.line, value: expr(depth + 1) });
        if (peek().k === "punct" && peek().v === ",") p++;
        skipNl();
      }
      p++;
      return { t: "obj", entries, line: t.line };
    }
    if (t.k === "id") {
      p++;
      if (t.v === "true" || t.v === "false") return { t: "bool", v: t.v === "true", line: t.line };
      if (t.v === "null") return { t: "null", line: t.line };
      if (peek().k === "punct" && peek().v === "(") {
        p++;
        const args: HclValue[] = [];
        skipNl();
        while (peek().k !== "eof" && !(peek().k === "punct" && peek().v === ")")) {
          args.push(expr(depth + 1));
          skipNl();
          if (peek().k === "punct" && (peek().v === "," || peek().v === ".")) p++;
          else if (!(peek().k === "punct" && peek().v === ")")) {
            recover();
            if (peek().k === "nl") p++;
          }
          skipNl();
        }
        p++;
        return { t: "call", name: t.v, args, line: t.line };
      }
      const path = [t.v];
      for (;;) {
        const d = peek();
        if (d.k === "punct" && d.v === "." && (toks[p + 1]?.k === "id" || toks[p + 1]?.k === "num")) {
          path.push(toks[p + 1]!.v);
          p += 2;
        } else if (d.k === "punct" && d.v === "[") {
          p++;
          const idx = expr(depth + 1);
          if (peek().k === "punct" && peek().v === "]") p++;
          path.push(idx.t === "str" ? idx.v : idx.t === "num" ? String(idx.v) : "*");
        } else break;
      }
      return { t: "ref", path, line: t.line };
    }
    if (t.k === "punct" && t.v === "(") {
      p++;
      const v = expr(depth + 1);
      if (peek().k === "punct" && peek().v === ")") p++;
      return v;
    }
    errors.push({ line: t.line, message: `Unexpected "${t.v}".` });
    // Consume the offending token first: every error makes progress.
    if (t.k !== "eof") p++;
    recover();
    return { t: "unknown", text: "", line: t.line };
  }

  function skipUntil(close: string, line: number): HclValue {
    let depth = 0;
    while (peek().k !== "eof") {
      const t = peek();
      p++;
      if (t.k === "punct" && "{[(".includes(t.v)) depth++;
      if (t.k === "punct" && t.v === close && depth === 0) break;
      if (t.k === "punct" && "}])".includes(t.v)) depth--;
    }
    return { t: "unknown", text: "for expression", line };
  }

  function body(depth: number, type: string, labels: string[], line: number, top: boolean): HclBlock {
    const attrs = new Map<string, HclValue>();
    const blocks: HclBlock[] = [];
    for (;;) {
      skipNl();
      const t = peek();
      if (t.k === "eof") {
        if (!top) errors.push({ line, message: `Block "${type}" is not closed.` });
        break;
      }
      if (t.k === "punct" && t.v === "}") {
        p++;
        if (top) {
          errors.push({ line: t.line, message: "A closing brace without an open block." });
          continue;
        }
        break;
      }
      if (t.k !== "id") {
        errors.push({ line: t.line, message: `Expected an attribute or block, found "${t.v}".` });
        p++;
        recover();
        if (peek().k === "punct" && peek().v === "}" && !top) {
          p++;
          break;
        }
        continue;
      }
      p++;
      const next = peek();
      if (next.k === "punct" && next.v === "=") {
        p++;
        attrs.set(t.v, expr(depth + 1));
        continue;
      }
      const blockLabels: string[] = [];
      while (peek().k === "str" || peek().k === "id") {
        blockLabels.push(peek().v);
        p++;
      }
      if (peek().k === "punct" && peek().v === "{") {
        p++;
        if (depth > MAX_DEPTH) {
          errors.push({ line: t.line, message: "Nested too deeply." });
          skipUntil("}", t.line);
          continue;
        }
        blocks.push(body(depth + 1, t.v, blockLabels, t.line, false));
        continue;
      }
      errors.push({
        line: t.line,
        message: `"${t.v}" is neither an attribute (name = value) nor a block (name { … }).`,
      });
      recover();
    }
    return { type, labels, line, attrs, blocks };
  }

  const root = body(0, "", [], 1, true);
  return { body: root, errors };
}
