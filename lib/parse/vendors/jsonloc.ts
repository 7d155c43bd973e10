/**
 * JSON with line numbers, for the cloud formats (AWS, Azure, GCP): JSON.parse decides validity and words the error;
 * a strict linear scan builds a tree whose every value knows its line (so each address keeps its own line) and
 * finds where the error is when the engine's message does not say.
 */
import { isDigit } from "../lines";
import type { Finding } from "../types";
import { type Line, TextLines } from "./common";

export type JNode =
  | { readonly t: "obj"; readonly line: number; readonly fields: JFields }
  | { readonly t: "arr"; readonly line: number; readonly items: readonly JNode[] }
  | { readonly t: "str"; readonly line: number; readonly v: string }
  | { readonly t: "num"; readonly line: number; readonly v: number }
  | { readonly t: "lit"; readonly line: number; readonly v: boolean | null };

/** An object's fields in document order; a repeated key keeps its first place and takes the last value (as a Map). */
export interface JFields extends Iterable<readonly [string, JNode]> {
  readonly size: number;
  get(key: string): JNode | undefined;
  /** The first field whose key lower-cases to `lower` (itself lower-case ASCII). */
  getLowerCase(lower: string): JNode | undefined;
  /** The first field's key and value (undefined for an empty object), without iterating. */
  firstKey(): string | undefined;
  firstValue(): JNode | undefined;
}

/** Keys past this count get a Map index, so a huge object is not searched key by key. */
const FIELDS_INDEXED = 16;

/**
 * A flat [key, value, …] list of exactly the object's size: a JSON object has a few keys, and a Map (or an array grown
 * by push, which keeps room for 17) for each one of a 100k-object document is most of the reader's garbage.
 */
class Fields implements JFields {
  private readonly index: Map<string, number> | undefined;

  /** `flat` holds distinct keys; `index` maps each to its place when there are more than FIELDS_INDEXED. */
  constructor(
    private readonly flat: readonly (string | JNode)[],
    index: Map<string, number> | undefined,
  ) {
    this.index = index;
  }

  get size(): number {
    return this.flat.length / 2;
  }

  private find(key: string): number {
    if (this.index) return this.index.get(key) ?? -1;
    const flat = this.flat;
    for (let i = 0; i < flat.length; i += 2) if (flat[i] === key) return i;
    return -1;
  }

  get(key: string): JNode | undefined {
    const at = this.find(key);
    return at < 0 ? undefined : (this.flat[at + 1] as JNode);
  }

  getLowerCase(lower: string): JNode | undefined {
    const flat = this.flat;
    for (let i = 0; i < flat.length; i += 2) {
      const k = flat[i] as string;
      // A key that lower-cases to ASCII text has that text's length: most keys are skipped without lower-casing.
      if (k.length === lower.length && k.toLowerCase() === lower) return flat[i + 1] as JNode;
    }
    return undefined;
  }

  firstKey(): string | undefined {
    return this.flat[0] as string | undefined;
  }

  firstValue(): JNode | undefined {
    return this.flat[1] as JNode | undefined;
  }

  *[Symbol.iterator](): Generator<readonly [string, JNode]> {
    for (let i = 0; i < this.flat.length; i += 2) yield [this.flat[i] as string, this.flat[i + 1] as JNode];
  }
}

const EMPTY_FIELDS = new Fields([], undefined);

/**
 * Every node has this one shape (kind, line, value), so the readers' `n.t` and `n.v` see one hidden class rather than
 * five; `fields` and `items` are the value under the names the JNode type gives them.
 */
class Node {
  constructor(
    readonly t: JNode["t"],
    readonly line: number,
    readonly v: unknown,
  ) {}

  get fields(): JFields {
    return this.v as JFields;
  }

  get items(): readonly JNode[] {
    return this.v as readonly JNode[];
  }
}

function node(t: JNode["t"], line: number, v: unknown): JNode {
  return new Node(t, line, v) as unknown as JNode;
}

export type JsonRead =
  | { readonly ok: true; readonly root: JNode }
  | { readonly ok: false; readonly finding: Finding }
  | { readonly ok: false; readonly finding?: undefined };

/** Deeper nesting than any cloud export has; the limit keeps the recursive scan off the stack's edge. */
const MAX_DEPTH = 256;

/** Lines as splitLines gives them, or built on demand. */
export type LineSource = readonly Line[] | TextLines;

function lineOfSource(lines: LineSource, index: number): Line | undefined {
  return lines instanceof TextLines ? lines.line(index + 1) : lines[index];
}

/** An empty paste reads as nothing (no finding); invalid JSON as one "invalid" finding. */
export function readJson(text: string, lines: LineSource): JsonRead {
  if (text.trim() === "") return { ok: false };
  const scanner = new Scanner(text);
  let root: JNode | undefined;
  let errorAt: number | undefined;
  try {
    root = scanner.document();
  } catch (e) {
    if (!(e instanceof JsonSyntax)) throw e;
    errorAt = e.position;
  }
  // The scan accepts exactly what JSON.parse accepts (within MAX_DEPTH), and a leading byte order mark: the engine is
  // asked only for its wording.
  if (root) return { ok: true, root };
  let engineMessage: string | undefined;
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  try {
    JSON.parse(bom ? text.slice(1) : text);
  } catch (e) {
    engineMessage = e instanceof Error ? e.message : String(e);
    // Positions in the text as pasted, byte order mark included.
    if (bom) engineMessage = engineMessage.replace(/position (\d+)/, (_m, n: string) => `position ${Number(n) + 1}`);
  }
  const message = engineMessage ?? `JSON nested deeper than ${MAX_DEPTH} levels`;
  return { ok: false, finding: invalidJsonFinding(text, lines, message, errorAt) };
}

/**
 * One "invalid" finding at the error's line and column: from the engine's message when it gives a position (V8 often
 * does, Firefox gives line and column), else from our own scan, which stops at the same first error.
 */
function invalidJsonFinding(
  text: string,
  lines: LineSource,
  message: string,
  scanPosition: number | undefined,
): Finding {
  const pos = /position (\d+)/.exec(message);
  const lc = /line (\d+) column (\d+)/.exec(message);
  let lineNo: number;
  let column: number;
  if (lc) {
    lineNo = Number(lc[1]);
    column = Number(lc[2]);
  } else {
    const p = Math.min(pos ? Number(pos[1]) : (scanPosition ?? text.length), text.length);
    lineNo = 1;
    let lineStart = 0;
    for (let i = text.indexOf("\n"); i !== -1 && i < p; i = text.indexOf("\n", i + 1)) {
      lineNo++;
      lineStart = i + 1;
    }
    column = p - lineStart + 1;
  }
  const line = lineOfSource(lines, lineNo - 1) ?? lineOfSource(lines, lines.length - 1) ?? { n: 1, text: "" };
  const where = line.n === lineNo ? `line ${line.n}, column ${column}` : `line ${line.n}`;
  return {
    line: line.n,
    text: line.text,
    kind: "invalid",
    message: `Not valid JSON (${where}): ${message.replace(/\s+/g, " ")}`,
  };
}

class JsonSyntax {
  constructor(readonly position: number) {}
}

/** Strings up to this length are looked up in the scanner's table before a copy is made. */
const INTERN_MAX = 32;
/** Slots of that table (a power of two): a JSON document repeats its keys and a few values ("tcp", "*") a lot. */
const INTERN_SLOTS = 1024;

const EMPTY_ITEMS: readonly JNode[] = Object.freeze([]);

/**
 * A strict one-pass scanner: a tree whose values know their lines, or the position of the first syntax error.
 * An object's fields and an array's items are gathered on one shared stack and copied out at exact size when the
 * object or array closes, so a small array does not keep the spare room push leaves.
 */
class Scanner {
  private i = 0;
  private line = 1;
  private readonly stack: unknown[] = [];
  private top = 0;
  /** The last string read in each slot: a repeated key or short value is shared rather than copied again. */
  private readonly interned: (string | undefined)[] = new Array<string | undefined>(INTERN_SLOTS).fill(undefined);
  constructor(private readonly s: string) {}

  document(): JNode {
    // A leading byte order mark (Windows PowerShell's Out-File, Notepad): RFC 8259 §8.1 lets a parser ignore it.
    if (this.s.charCodeAt(0) === 0xfeff) this.i = 1;
    const v = this.value(0);
    this.skip();
    if (this.i < this.s.length) throw new JsonSyntax(this.i);
    return v;
  }

  private skip(): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c === 10) this.line++;
      else if (c !== 32 && c !== 9 && c !== 13) return;
      this.i++;
    }
  }

  /** Skips blanks and steps over the character `code`, or throws where it should have been. */
  private expect(code: number): void {
    this.skip();
    if (this.s.charCodeAt(this.i) !== code) throw new JsonSyntax(this.i);
    this.i++;
  }

  private str(): string {
    const s = this.s;
    if (s.charCodeAt(this.i) !== 34) throw new JsonSyntax(this.i);
    const start = this.i + 1;
    let j = start;
    let escaped = false;
    for (;;) {
      if (j >= s.length) throw new JsonSyntax(j);
      const c = s.charCodeAt(j);
      if (c === 34) break;
      if (c < 32) throw new JsonSyntax(j);
      if (c === 92) {
        escaped = true;
        j = this.escape(j);
        continue;
      }
      j++;
    }
    this.i = j + 1;
    if (escaped) return JSON.parse(`"${s.slice(start, j)}"`) as string;
    const length = j - start;
    if (length === 0) return "";
    if (length > INTERN_MAX) return s.slice(start, j);
    const slot =
      (length * 7 + s.charCodeAt(start) * 31 + s.charCodeAt(start + (length >> 1)) * 17 + s.charCodeAt(j - 1)) &
      (INTERN_SLOTS - 1);
    const known = this.interned[slot];
    if (known !== undefined && known.length === length && s.startsWith(known, start)) return known;
    const raw = s.slice(start, j);
    this.interned[slot] = raw;
    return raw;
  }

  /** Checks the escape at the backslash `j`; returns the position after it. */
  private escape(j: number): number {
    const s = this.s;
    const e = s[j + 1];
    if (e === "u") {
      if (!/^[0-9a-fA-F]{4}$/.test(s.slice(j + 2, j + 6))) throw new JsonSyntax(j);
      return j + 6;
    }
    if (e === undefined || !'"\\/bfnrt'.includes(e)) throw new JsonSyntax(j);
    return j + 2;
  }

  private value(depth: number): JNode {
    this.skip();
    if (depth > MAX_DEPTH) throw new JsonSyntax(this.i);
    const line = this.line;
    const c = this.s.charCodeAt(this.i);
    if (c === 123) return this.object(depth, line);
    if (c === 91) return this.array(depth, line);
    if (c === 34) return node("str", line, this.str());
    if (c === 116 && this.s.startsWith("true", this.i)) return this.literal(4, true, line);
    if (c === 102 && this.s.startsWith("false", this.i)) return this.literal(5, false, line);
    if (c === 110 && this.s.startsWith("null", this.i)) return this.literal(4, null, line);
    return this.number(line);
  }

  private literal(length: number, v: boolean | null, line: number): JNode {
    this.i += length;
    return node("lit", line, v);
  }

  private object(depth: number, line: number): JNode {
    const s = this.s;
    const stack = this.stack;
    this.i++;
    this.skip();
    if (s.charCodeAt(this.i) === 125) {
      this.i++;
      return node("obj", line, EMPTY_FIELDS);
    }
    // Keys and values from `mark` on; a repeated key keeps its first place and takes the last value.
    const mark = this.top;
    let index: Map<string, number> | undefined;
    for (;;) {
      this.skip();
      const key = this.str();
      this.expect(58);
      const v = this.value(depth + 1);
      let at = -1;
      if (index) at = index.get(key) ?? -1;
      else
        for (let k = mark; k < this.top; k += 2)
          if (stack[k] === key) {
            at = k - mark;
            break;
          }
      if (at >= 0) stack[mark + at + 1] = v;
      else {
        stack[this.top] = key;
        stack[this.top + 1] = v;
        this.top += 2;
        if (index) index.set(key, this.top - 2 - mark);
        else if (this.top - mark > 2 * FIELDS_INDEXED) {
          index = new Map();
          for (let k = mark; k < this.top; k += 2) index.set(stack[k] as string, k - mark);
        }
      }
      this.skip();
      const sep = s.charCodeAt(this.i++);
      if (sep === 125) {
        const flat = stack.slice(mark, this.top) as (string | JNode)[];
        this.top = mark;
        return node("obj", line, new Fields(flat, index));
      }
      if (sep !== 44) throw new JsonSyntax(this.i - 1);
    }
  }

  private array(depth: number, line: number): JNode {
    const s = this.s;
    const stack = this.stack;
    this.i++;
    this.skip();
    if (s.charCodeAt(this.i) === 93) {
      this.i++;
      return node("arr", line, EMPTY_ITEMS);
    }
    const mark = this.top;
    for (;;) {
      const v = this.value(depth + 1);
      stack[this.top++] = v;
      this.skip();
      const sep = s.charCodeAt(this.i++);
      if (sep === 93) {
        const items = stack.slice(mark, this.top) as JNode[];
        this.top = mark;
        return node("arr", line, items);
      }
      if (sep !== 44) throw new JsonSyntax(this.i - 1);
    }
  }

  /**
   * -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)? read by char codes: a fraction or exponent without digits is not taken. An
   * integer of up to 15 digits is exact in a double, so it is summed as read rather than copied out for Number().
   */
  private number(line: number): JNode {
    const s = this.s;
    const start = this.i;
    let j = start;
    const negative = s.charCodeAt(j) === 45;
    if (negative) j++;
    const first = s.charCodeAt(j);
    let whole = 0;
    if (first === 48) j++;
    else if (first >= 49 && first <= 57) {
      whole = first - 48;
      j++;
      for (let c = s.charCodeAt(j); isDigit(c); c = s.charCodeAt(++j)) whole = whole * 10 + (c - 48);
    } else throw new JsonSyntax(start);
    const digitsEnd = j;
    if (s.charCodeAt(j) === 46 && isDigit(s.charCodeAt(j + 1))) {
      j += 2;
      while (isDigit(s.charCodeAt(j))) j++;
    }
    const e = s.charCodeAt(j);
    if (e === 101 || e === 69) {
      let k = j + 1;
      const sign = s.charCodeAt(k);
      if (sign === 43 || sign === 45) k++;
      if (isDigit(s.charCodeAt(k))) {
        while (isDigit(s.charCodeAt(k))) k++;
        j = k;
      }
    }
    this.i = j;
    if (j === digitsEnd && digitsEnd - start <= 15) return node("num", line, negative ? -whole : whole);
    return node("num", line, Number(s.slice(start, j)));
  }
}

/** Field of an object node, matching the key exactly or, failing that, case-insensitively (ARM vs CLI casing). */
export function field(node: JNode | undefined, key: string): JNode | undefined {
  if (!node || node.t !== "obj") return undefined;
  const exact = node.fields.get(key);
  if (exact) return exact;
  return node.fields.getLowerCase(key.toLowerCase());
}

export function str(node: JNode | undefined): string | undefined {
  return node?.t === "str" ? node.v : undefined;
}

export function num(node: JNode | undefined): number | undefined {
  if (node?.t === "num") return node.v;
  if (node?.t === "str" && /^\d+$/.test(node.v)) return Number(node.v);
  return undefined;
}

export function items(node: JNode | undefined): readonly JNode[] {
  return node?.t === "arr" ? node.items : [];
}

/** Cheap detection signal: the text starts like JSON. */
export function looksLikeJson(head: string): boolean {
  const t = head.trimStart();
  return t.startsWith("{") || t.startsWith("[");
}
