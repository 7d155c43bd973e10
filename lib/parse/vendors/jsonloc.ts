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
}

/** Keys past this count get a Map index, so a huge object is not searched key by key. */
const FIELDS_INDEXED = 16;

/**
 * A flat [key, value, …] list: a JSON object has a few keys, and a Map for each one of a 100k-object document is most
 * of the reader's garbage.
 */
class Fields implements JFields {
  private readonly flat: (string | JNode)[] = [];
  private index: Map<string, number> | undefined;

  get size(): number {
    return this.flat.length / 2;
  }

  private find(key: string): number {
    if (this.index) return this.index.get(key) ?? -1;
    const flat = this.flat;
    for (let i = 0; i < flat.length; i += 2) if (flat[i] === key) return i;
    return -1;
  }

  set(key: string, value: JNode): void {
    const at = this.find(key);
    if (at >= 0) {
      this.flat[at + 1] = value;
      return;
    }
    this.flat.push(key, value);
    if (this.index) this.index.set(key, this.flat.length - 2);
    else if (this.flat.length > 2 * FIELDS_INDEXED) {
      this.index = new Map();
      for (let i = 0; i < this.flat.length; i += 2) this.index.set(this.flat[i] as string, i);
    }
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

  *[Symbol.iterator](): Generator<readonly [string, JNode]> {
    for (let i = 0; i < this.flat.length; i += 2) yield [this.flat[i] as string, this.flat[i + 1] as JNode];
  }
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

/** A strict one-pass scanner: a tree whose values know their lines, or the position of the first syntax error. */
class Scanner {
  private i = 0;
  private line = 1;
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
    const raw = s.slice(start, j);
    return escaped ? (JSON.parse(`"${raw}"`) as string) : raw;
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
    if (c === 34) return { t: "str", line, v: this.str() };
    if (c === 116 && this.s.startsWith("true", this.i)) return this.literal(4, true, line);
    if (c === 102 && this.s.startsWith("false", this.i)) return this.literal(5, false, line);
    if (c === 110 && this.s.startsWith("null", this.i)) return this.literal(4, null, line);
    return this.number(line);
  }

  private literal(length: number, v: boolean | null, line: number): JNode {
    this.i += length;
    return { t: "lit", line, v };
  }

  private object(depth: number, line: number): JNode {
    const s = this.s;
    this.i++;
    const fields = new Fields();
    this.skip();
    if (s.charCodeAt(this.i) === 125) {
      this.i++;
      return { t: "obj", line, fields };
    }
    for (;;) {
      this.skip();
      const key = this.str();
      this.expect(58);
      fields.set(key, this.value(depth + 1));
      this.skip();
      const sep = s.charCodeAt(this.i++);
      if (sep === 125) return { t: "obj", line, fields };
      if (sep !== 44) throw new JsonSyntax(this.i - 1);
    }
  }

  private array(depth: number, line: number): JNode {
    const s = this.s;
    this.i++;
    const items: JNode[] = [];
    this.skip();
    if (s.charCodeAt(this.i) === 93) {
      this.i++;
      return { t: "arr", line, items };
    }
    for (;;) {
      items.push(this.value(depth + 1));
      this.skip();
      const sep = s.charCodeAt(this.i++);
      if (sep === 93) return { t: "arr", line, items };
      if (sep !== 44) throw new JsonSyntax(this.i - 1);
    }
  }

  /** -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)? read by char codes: a fraction or exponent without digits is not taken. */
  private number(line: number): JNode {
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
    return { t: "num", line, v: Number(s.slice(start, j)) };
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
