/**
 * The YAML that Kubernetes manifests are written in, read fast: block mappings and sequences, plain scalars that can
 * only be strings or decimal integers, simple quoted strings, `{}` and `[]`, comments, `---` between documents.
 * Anything else (flow collections, anchors, tags, block scalars, multi-line scalars, escapes, duplicate keys, tabs,
 * booleans, nulls, floats …) makes `readBlockYaml` return undefined, and the caller reads the text with the `yaml`
 * package instead (`fromYamlNode` turns its nodes into the same tree). So the fast reader only has to agree with the
 * package on the inputs it accepts; it never has to explain an error.
 */
import { isMap, isScalar, isSeq, type LineCounter, type Node as YamlNode } from "yaml";

/** A node with the 1-based line it starts on (undefined when the `yaml` package gave no position). */
export type YTree =
  | { readonly kind: "map"; readonly line: number | undefined; readonly pairs: readonly YPair[] }
  | { readonly kind: "seq"; readonly line: number | undefined; readonly items: readonly (YTree | null)[] }
  | { readonly kind: "scalar"; readonly line: number | undefined; readonly value: unknown }
  | { readonly kind: "other"; readonly line: number | undefined };

export interface YPair {
  readonly key: unknown;
  readonly value: YTree | null;
}

/** The value of the first pair whose key is `key` (as the `yaml` package's `get(key, true)`); undefined when none. */
export function yGet(node: YTree | null | undefined, key: string): YTree | null | undefined {
  if (!node || node.kind !== "map") return undefined;
  for (const p of node.pairs) if (p.key === key) return p.value;
  return undefined;
}

/** The `yaml` package's node as a YTree. */
export function fromYamlNode(node: YamlNode | null | undefined, lc: LineCounter): YTree | null {
  if (node === null || node === undefined) return null;
  const start = node.range?.[0];
  const line = start === undefined ? undefined : lc.linePos(start).line;
  if (isMap(node)) {
    const pairs = node.items.map((p) => ({
      key: isScalar(p.key) ? p.key.value : p.key,
      value: fromYamlNode(p.value as YamlNode | null, lc),
    }));
    return { kind: "map", line, pairs };
  }
  if (isSeq(node)) return { kind: "seq", line, items: (node.items as YamlNode[]).map((x) => fromYamlNode(x, lc)) };
  if (isScalar(node)) return { kind: "scalar", line, value: node.value };
  return { kind: "other", line };
}

/** One non-blank, non-comment line: its number, indentation and text (right-trimmed). */
interface YLine {
  readonly n: number;
  readonly indent: number;
  readonly text: string;
}

/** The reader's position in the lines of one document. */
interface Reader {
  readonly lines: readonly YLine[];
  at: number;
}

/** Thrown inside the reader only, caught in readBlockYaml: "outside the subset", never a user-facing error. */
class Unsupported extends Error {}

function unsupported(): never {
  throw new Unsupported();
}

// Anything outside printable ASCII, tabs, a CR not before LF, or YAML's indicators that start constructs the subset
// leaves to the package (& anchors, * aliases, ! tags, | > block scalars, % directives, ... document ends, ? keys).
const UNSAFE_TEXT = /[^\n\x20-\x7e]|\r(?!\n)|^(?:%|\.\.\.)/m;

/**
 * The documents' root nodes, or undefined when the text is outside the subset. Documents are split at lines that
 * are exactly `---`.
 */
export function readBlockYaml(text: string): (YTree | null)[] | undefined {
  if (UNSAFE_TEXT.test(text.indexOf("\r") === -1 ? text : text.replace(/\r\n/g, "\n"))) return undefined;
  // Each document's lines, and the line of the "---" that opened it (0: none).
  const docs: { marker: number; lines: YLine[] }[] = [{ marker: 0, lines: [] }];
  let n = 0;
  for (let start = 0; start < text.length;) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    n++;
    const raw = text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
    start = end + 1;
    const body = raw.trimEnd();
    const content = body.trimStart();
    if (content === "" || content.startsWith("#")) continue;
    if (body === "---") {
      docs.push({ marker: n, lines: [] });
      continue;
    }
    if (content.startsWith("---")) return undefined;
    docs[docs.length - 1]!.lines.push({ n, indent: body.length - content.length, text: content });
  }
  // Before the first marker, only a document with content counts (the package makes none of blanks and comments);
  // an empty document after a marker is a null scalar on the marker's line, as the package makes it.
  if (docs[0]!.lines.length === 0) docs.shift();
  try {
    return docs.map(({ marker, lines }) => {
      if (lines.length === 0) return { kind: "scalar", line: marker, value: null };
      const r: Reader = { lines, at: 0 };
      const root = readBlock(r, lines[0]!.indent);
      if (r.at < lines.length) unsupported();
      return root;
    });
  } catch {
    // Unsupported, or a stack overflow on absurd nesting: the package reads it (and explains any error).
    return undefined;
  }
}

/** The block (mapping or sequence) whose lines start at column `indent`. */
function readBlock(r: Reader, indent: number): YTree {
  const first = r.lines[r.at]!;
  if (first.indent !== indent) unsupported();
  return isDash(first.text) ? readSeq(r, indent) : readMap(r, indent, first.text, first.n);
}

function isDash(text: string): boolean {
  return text === "-" || text.startsWith("- ");
}

/** A sequence: every line at `indent` that starts with "- ". */
function readSeq(r: Reader, indent: number): YTree {
  const items: (YTree | null)[] = [];
  const line = r.lines[r.at]!.n;
  while (r.at < r.lines.length) {
    const l = r.lines[r.at]!;
    // A line at the sequence's column that is no item ends it: the next key of the mapping that holds it.
    if (l.indent < indent || (l.indent === indent && !isDash(l.text))) break;
    if (l.indent > indent) unsupported();
    const rest = l.text.slice(1).trimStart();
    if (rest === "") {
      r.at++;
      const next = r.lines[r.at];
      if (!next || next.indent <= indent) unsupported();
      items.push(readBlock(r, next.indent));
      continue;
    }
    if (isDash(rest)) unsupported();
    const column = indent + (l.text.length - rest.length);
    if (splitKey(rest) !== undefined) items.push(readMap(r, column, rest, l.n));
    else {
      items.push(scalarNode(rest, l.n));
      r.at++;
      if (r.at < r.lines.length && r.lines[r.at]!.indent > indent) unsupported();
    }
  }
  return { kind: "seq", line, items };
}

/**
 * A mapping at column `indent`; its first key is `firstText` (which may sit after a "- " on line `firstLine`), the
 * following keys are the lines at `indent`.
 */
function readMap(r: Reader, indent: number, firstText: string, firstLine: number): YTree {
  const pairs: YPair[] = [];
  const keys = new Set<string>();
  let text = firstText;
  let n = firstLine;
  for (;;) {
    const kv = splitKey(text);
    if (kv === undefined || keys.has(kv.key)) unsupported();
    keys.add(kv.key);
    r.at++;
    pairs.push({ key: kv.key, value: readValue(r, indent, kv.value, n) });
    const next = r.lines[r.at];
    if (!next || next.indent < indent) break;
    if (next.indent > indent || isDash(next.text)) unsupported();
    text = next.text;
    n = next.n;
  }
  return { kind: "map", line: firstLine, pairs };
}

/** The value after "key:" on line `n`: a scalar on the same line, or the block on the lines below. */
function readValue(r: Reader, indent: number, value: string, n: number): YTree {
  const next = r.lines[r.at];
  if (value !== "") {
    if (next && next.indent > indent) unsupported(); // a multi-line scalar
    return scalarNode(value, n);
  }
  if (next && next.indent > indent) return readBlock(r, next.indent);
  // "key:" with the sequence at the key's own column, as kubectl writes it.
  if (next && next.indent === indent && isDash(next.text)) return readSeq(r, indent);
  return unsupported(); // an empty value: left to the package
}

const KEY = /^[A-Za-z_][A-Za-z0-9_./-]*$/;

/** "key: value" or "key:" with a simple key; undefined for anything else. */
function splitKey(text: string): { key: string; value: string } | undefined {
  const colon = text.indexOf(":");
  if (colon <= 0) return undefined;
  const after = text.charCodeAt(colon + 1);
  if (colon + 1 < text.length && after !== 32) return undefined;
  const key = text.slice(0, colon);
  if (!KEY.test(key) || NOT_A_STRING.test(key)) return undefined;
  return { key, value: text.slice(colon + 1).trimStart() };
}

const INTEGER = /^(?:0|[1-9][0-9]{0,14})$/;
/** Plain scalars the core schema reads as strings: no number, bool or null spelling, no indicator inside. */
const PLAIN_STRING = /^[A-Za-z0-9][A-Za-z0-9_./:-]*$/;
const NOT_A_STRING =
  /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|0x[0-9a-fA-F]+|0o[0-7]+|true|True|TRUE|false|False|FALSE|null|Null|NULL)$/;

/** A scalar value the subset reads exactly as the `yaml` package's core schema would. */
function scalarNode(text: string, line: number): YTree {
  if (text === "{}") return { kind: "map", line, pairs: [] };
  if (text === "[]") return { kind: "seq", line, items: [] };
  const q = text.charCodeAt(0);
  if ((q === 34 || q === 39) && text.length >= 2 && text.charCodeAt(text.length - 1) === q) {
    const inner = text.slice(1, -1);
    if (inner.includes(String.fromCharCode(q)) || inner.includes("\\") || inner.includes("#")) unsupported();
    return { kind: "scalar", line, value: inner };
  }
  if (INTEGER.test(text)) return { kind: "scalar", line, value: Number(text) };
  if (!PLAIN_STRING.test(text) || NOT_A_STRING.test(text) || text.includes(": ") || text.endsWith(":")) unsupported();
  return { kind: "scalar", line, value: text };
}
