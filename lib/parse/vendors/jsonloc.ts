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
      if (k.length === lower.length && lowerCaseIs(k, lower)) return flat[i + 1] as JNode;
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
 * `k.toLowerCase() === lower` for a `k` of lower's length, without making the lower-case copy when `k` is ASCII (the
 * common case: an ASCII letter lower-cases by itself); other text is lower-cased as before.
 */
function lowerCaseIs(k: string, lower: string): boolean {
  for (let j = 0; j < k.length; j++) {
    let c = k.charCodeAt(j);
    if (c >= 128) return k.toLowerCase() === lower;
    if (c >= 65 && c <= 90) c += 32;
    if (c !== lower.charCodeAt(j)) {
      // A later non-ASCII character could still lower-case the whole key differently: only ASCII keys end here.
      for (let m = j + 1; m < k.length; m++) if (k.charCodeAt(m) >= 128) return k.toLowerCase() === lower;
      return false;
    }
  }
  return true;
}

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
    const v = this.v;
    return v instanceof LazyItems ? v.all() : (v as readonly JNode[]);
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

/**
 * An empty paste reads as nothing (no finding); invalid JSON as one "invalid" finding.
 * `streamed`: big arrays are kept as text once checked and their items built as a reader walks them (`cursor`), so a
 * 100k-item array is not a tree held to the end of the parse; `items` still gives all of them.
 */
export function readJson(text: string, lines: LineSource, streamed = false): JsonRead {
  if (text.trim() === "") return { ok: false };
  let root: JNode | undefined;
  let error: JsonSyntax | undefined;
  try {
    root = new Scanner(text, streamed).document();
  } catch (e) {
    if (!(e instanceof JsonSyntax)) throw e;
    error = e;
  }
  // A streamed read checks the arrays it keeps as text without the tree's steps: the error's place is the one the
  // tree scan finds.
  if (!root && streamed) {
    try {
      root = new Scanner(text, false).document();
    } catch (e) {
      if (!(e instanceof JsonSyntax)) throw e;
      error = e;
    }
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
  let message = engineMessage ?? `JSON nested deeper than ${MAX_DEPTH} levels`;
  // Two listings pasted one after the other (describe-security-groups, then describe-network-acls).
  const next = error?.afterDocument ? text.charCodeAt(error.position) : 0;
  if (next === 123 || next === 91)
    message += ` — a second JSON document starts here: paste one, or join them into one first (jq -s add first.json second.json)`;
  return { ok: false, finding: invalidJsonFinding(text, lines, message, error?.position) };
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
  /** `afterDocument`: a whole document was read, and something other than white space follows it. */
  constructor(
    readonly position: number,
    readonly afterDocument = false,
  ) {}
}

/** Strings up to this length are looked up in the scanner's table before a copy is made. */
const INTERN_MAX = 32;
/** Slots of that table (a power of two): a JSON document repeats its keys and a few values ("tcp", "*") a lot. */
const INTERN_SLOTS = 1024;

const EMPTY_ITEMS: readonly JNode[] = Object.freeze([]);

/**
 * In a streamed read, an array this deep or shallower (the root is 0) keeps its first LAZY_AFTER items as nodes and the
 * rest as text. The depth bounds how often nested big arrays are scanned again (once per streamed level above them).
 */
const LAZY_DEPTH = 4;
const LAZY_AFTER = 64;

/** A big array of a streamed read: its first items, and where the rest starts (checked, after a comma). */
class LazyItems {
  private every: readonly JNode[] | undefined;
  constructor(
    private readonly s: string,
    readonly first: readonly JNode[],
    /** Position and line of the first item not built, and the array's depth. */
    private readonly at: number,
    private readonly atLine: number,
    private readonly depth: number,
    /** The string table of the scanner that met the array (shared: many big arrays do not each make one). */
    private readonly interned: (string | undefined)[],
  ) {}

  /** A scanner at the items not built; `next` reads them one by one. */
  rest(): Scanner {
    return new Scanner(this.s, true, this.at, this.atLine, this.interned);
  }

  restDepth(): number {
    return this.depth + 1;
  }

  /** Every item, built once. */
  all(): readonly JNode[] {
    if (this.every) return this.every;
    const out = this.first.slice();
    const scanner = this.rest();
    for (let n = scanner.item(this.depth + 1); n; n = scanner.item(this.depth + 1)) out.push(n);
    this.every = out;
    return out;
  }
}

/**
 * An array's items one at a time (`for (let n = c.next(); n; n = c.next())`): a streamed big array's items are built
 * as they are asked for, so each is garbage once the reader moves on.
 */
export class ItemCursor {
  private k = 0;
  private readonly first: readonly JNode[];
  private readonly lazy: LazyItems | undefined;
  private scanner: Scanner | undefined;

  constructor(node: JNode | undefined | readonly JNode[]) {
    const one = node as JNode | undefined;
    const v = Array.isArray(node) ? node : one?.t === "arr" ? (one as unknown as Node).v : EMPTY_ITEMS;
    this.lazy = v instanceof LazyItems ? v : undefined;
    this.first = v instanceof LazyItems ? v.first : (v as readonly JNode[]);
  }

  next(): JNode | undefined {
    if (this.k < this.first.length) return this.first[this.k++];
    if (!this.lazy) return undefined;
    this.scanner ??= this.lazy.rest();
    return this.scanner.item(this.lazy.restDepth());
  }
}

/** The items of an array node (or of a list) one by one; none for anything else (as `items`). */
export function cursor(node: JNode | undefined | readonly JNode[]): ItemCursor {
  return new ItemCursor(node);
}

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
  private readonly interned: (string | undefined)[];
  /** Set by scanStr: the string just scanned holds an escape. */
  private escaped = false;
  /** Set by numberEnd: where the number's integer digits end. */
  private digitsEnd = 0;
  /** `item` has read the lazy array's closing bracket. */
  private done = false;

  /** `streamed`: big arrays keep their rest as text (LazyItems). `at`/`line`: where a lazy array's rest starts. */
  constructor(
    private readonly s: string,
    private readonly streamed: boolean,
    at = 0,
    line = 1,
    interned?: (string | undefined)[],
  ) {
    this.i = at;
    this.line = line;
    this.interned = interned ?? new Array<string | undefined>(INTERN_SLOTS).fill(undefined);
  }

  /** The next item of a lazy array (read from its rest, already checked), or undefined after its last one. */
  item(depth: number): JNode | undefined {
    if (this.done) return undefined;
    const v = this.value(depth);
    this.skip();
    if (this.s.charCodeAt(this.i++) === 93) this.done = true;
    return v;
  }

  document(): JNode {
    // A leading byte order mark (Windows PowerShell's Out-File, Notepad): RFC 8259 §8.1 lets a parser ignore it.
    if (this.s.charCodeAt(0) === 0xfeff) this.i = 1;
    const v = this.value(0);
    this.skip();
    if (this.i < this.s.length) throw new JsonSyntax(this.i, true);
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

  /** Steps over the string at `i`; returns the position of its closing quote (`escaped` says if it holds escapes). */
  private scanStr(): number {
    const s = this.s;
    if (s.charCodeAt(this.i) !== 34) throw new JsonSyntax(this.i);
    let j = this.i + 1;
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
    this.escaped = escaped;
    return j;
  }

  private str(): string {
    const s = this.s;
    const start = this.i + 1;
    const j = this.scanStr();
    if (this.escaped) return JSON.parse(`"${s.slice(start, j)}"`) as string;
    const length = j - start;
    if (length === 0) return "";
    if (length > INTERN_MAX) return s.slice(start, j);
    const slot =
      (length * 7 + s.charCodeAt(start) * 31 + s.charCodeAt(start + (length >> 1)) * 17 + s.charCodeAt(j - 1)) &
      (INTERN_SLOTS - 1);
    const known = this.interned[slot];
    if (known !== undefined && known.length === length) {
      let k = 0;
      while (k < length && known.charCodeAt(k) === s.charCodeAt(start + k)) k++;
      if (k === length) return known;
    }
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
      if (this.streamed && depth <= LAZY_DEPTH && this.top - mark >= LAZY_AFTER) {
        const at = this.i;
        const atLine = this.line;
        this.checkRest(depth);
        const first = stack.slice(mark, this.top) as JNode[];
        this.top = mark;
        return node("arr", line, new LazyItems(s, first, at, atLine, depth, this.interned));
      }
    }
  }

  /**
   * Checks the rest of an array (after a comma) up to its closing bracket without building it: the same grammar as
   * the tree scan (`check` mirrors `value`, `object`, `array`), and the same line count.
   */
  private checkRest(depth: number): void {
    for (;;) {
      this.check(depth + 1);
      this.skip();
      const sep = this.s.charCodeAt(this.i++);
      if (sep === 93) return;
      if (sep !== 44) throw new JsonSyntax(this.i - 1);
    }
  }

  private check(depth: number): void {
    const s = this.s;
    this.skip();
    if (depth > MAX_DEPTH) throw new JsonSyntax(this.i);
    const c = s.charCodeAt(this.i);
    if (c === 123) {
      this.i++;
      this.skip();
      if (s.charCodeAt(this.i) === 125) {
        this.i++;
        return;
      }
      for (;;) {
        this.skip();
        this.scanStr();
        this.expect(58);
        this.check(depth + 1);
        this.skip();
        const sep = s.charCodeAt(this.i++);
        if (sep === 125) return;
        if (sep !== 44) throw new JsonSyntax(this.i - 1);
      }
    }
    if (c === 91) {
      this.i++;
      this.skip();
      if (s.charCodeAt(this.i) === 93) {
        this.i++;
        return;
      }
      this.checkRest(depth);
      return;
    }
    if (c === 34) this.scanStr();
    else if (c === 116 && s.startsWith("true", this.i)) this.i += 4;
    else if (c === 102 && s.startsWith("false", this.i)) this.i += 5;
    else if (c === 110 && s.startsWith("null", this.i)) this.i += 4;
    else this.i = this.numberEnd();
  }

  /**
   * -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)? read by char codes: a fraction or exponent without digits is not taken. An
   * integer of up to 15 digits is exact in a double, so it is summed as read rather than copied out for Number().
   */
  private number(line: number): JNode {
    const s = this.s;
    const start = this.i;
    const j = this.numberEnd();
    this.i = j;
    if (j === this.digitsEnd && j - start <= 15) {
      const negative = s.charCodeAt(start) === 45;
      let whole = 0;
      for (let k = negative ? start + 1 : start; k < j; k++) whole = whole * 10 + (s.charCodeAt(k) - 48);
      return node("num", line, negative ? -whole : whole);
    }
    return node("num", line, Number(s.slice(start, j)));
  }

  /** Where the number at `i` ends (`digitsEnd`: where its integer digits do), or throws where it is not one. */
  private numberEnd(): number {
    const s = this.s;
    const start = this.i;
    let j = start;
    if (s.charCodeAt(j) === 45) j++;
    const first = s.charCodeAt(j);
    if (first === 48) j++;
    else if (first >= 49 && first <= 57) {
      j++;
      while (isDigit(s.charCodeAt(j))) j++;
    } else throw new JsonSyntax(start);
    this.digitsEnd = j;
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
    return j;
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
