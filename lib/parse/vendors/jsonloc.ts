/**
 * JSON with line numbers, for the cloud formats (AWS, Azure, GCP): JSON.parse decides validity and words the error;
 * a strict linear scan builds a tree whose every value knows its line (so each address keeps its own line) and
 * finds where the error is when the engine's message does not say.
 */
import type { Finding } from "../types";
import type { Line } from "./common";

export type JNode =
  | { readonly t: "obj"; readonly line: number; readonly fields: ReadonlyMap<string, JNode> }
  | { readonly t: "arr"; readonly line: number; readonly items: readonly JNode[] }
  | { readonly t: "str"; readonly line: number; readonly v: string }
  | { readonly t: "num"; readonly line: number; readonly v: number }
  | { readonly t: "lit"; readonly line: number; readonly v: boolean | null };

export type JsonRead =
  | { readonly ok: true; readonly root: JNode }
  | { readonly ok: false; readonly finding: Finding }
  | { readonly ok: false; readonly finding?: undefined };

/** Deeper nesting than any cloud export has; the limit keeps the recursive scan off the stack's edge. */
const MAX_DEPTH = 256;

/** An empty paste reads as nothing (no finding); invalid JSON as one "invalid" finding. */
export function readJson(text: string, lines: readonly Line[]): JsonRead {
  if (text.trim() === "") return { ok: false };
  let engineMessage: string | undefined;
  try {
    JSON.parse(text);
  } catch (e) {
    engineMessage = e instanceof Error ? e.message : String(e);
  }
  const scanner = new Scanner(text);
  let root: JNode | undefined;
  let errorAt: number | undefined;
  try {
    root = scanner.document();
  } catch (e) {
    if (!(e instanceof JsonSyntax)) throw e;
    errorAt = e.position;
  }
  if (engineMessage === undefined && root) return { ok: true, root };
  const message = engineMessage ?? `JSON nested deeper than ${MAX_DEPTH} levels`;
  return { ok: false, finding: invalidJsonFinding(text, lines, message, errorAt) };
}

/**
 * One "invalid" finding at the error's line and column: from the engine's message when it gives a position (V8 often
 * does, Firefox gives line and column), else from our own scan, which stops at the same first error.
 */
function invalidJsonFinding(
  text: string,
  lines: readonly Line[],
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
  const line = lines[lineNo - 1] ?? lines[lines.length - 1] ?? { n: 1, text: "" };
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

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** A strict one-pass scanner: a tree whose values know their lines, or the position of the first syntax error. */
class Scanner {
  private i = 0;
  private line = 1;
  constructor(private readonly s: string) {}

  document(): JNode {
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

  private expect(ch: string): void {
    this.skip();
    if (this.s[this.i] !== ch) throw new JsonSyntax(this.i);
    this.i++;
  }

  private str(): string {
    const s = this.s;
    if (s[this.i] !== '"') throw new JsonSyntax(this.i);
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
        const e = s[j + 1];
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(s.slice(j + 2, j + 6))) throw new JsonSyntax(j);
          j += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) throw new JsonSyntax(j);
        j += 2;
        continue;
      }
      j++;
    }
    this.i = j + 1;
    const raw = s.slice(start, j);
    return escaped ? (JSON.parse(`"${raw}"`) as string) : raw;
  }

  private value(depth: number): JNode {
    this.skip();
    if (depth > MAX_DEPTH) throw new JsonSyntax(this.i);
    const s = this.s;
    const line = this.line;
    const c = s[this.i];
    if (c === "{") {
      this.i++;
      const fields = new Map<string, JNode>();
      this.skip();
      if (s[this.i] === "}") {
        this.i++;
        return { t: "obj", line, fields };
      }
      for (;;) {
        this.skip();
        const key = this.str();
        this.expect(":");
        fields.set(key, this.value(depth + 1));
        this.skip();
        const sep = s[this.i++];
        if (sep === "}") return { t: "obj", line, fields };
        if (sep !== ",") throw new JsonSyntax(this.i - 1);
      }
    }
    if (c === "[") {
      this.i++;
      const items: JNode[] = [];
      this.skip();
      if (s[this.i] === "]") {
        this.i++;
        return { t: "arr", line, items };
      }
      for (;;) {
        items.push(this.value(depth + 1));
        this.skip();
        const sep = s[this.i++];
        if (sep === "]") return { t: "arr", line, items };
        if (sep !== ",") throw new JsonSyntax(this.i - 1);
      }
    }
    if (c === '"') return { t: "str", line, v: this.str() };
    for (const [word, v] of [
      ["true", true],
      ["false", false],
      ["null", null],
    ] as const) {
      if (s.startsWith(word, this.i)) {
        this.i += word.length;
        return { t: "lit", line, v };
      }
    }
    NUMBER.lastIndex = this.i;
    const m = NUMBER.exec(s);
    if (!m) throw new JsonSyntax(this.i);
    this.i += m[0].length;
    return { t: "num", line, v: Number(m[0]) };
  }
}

/** Field of an object node, matching the key exactly or, failing that, case-insensitively (ARM vs CLI casing). */
export function field(node: JNode | undefined, key: string): JNode | undefined {
  if (!node || node.t !== "obj") return undefined;
  const exact = node.fields.get(key);
  if (exact) return exact;
  const lower = key.toLowerCase();
  for (const [k, v] of node.fields) if (k.toLowerCase() === lower) return v;
  return undefined;
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
