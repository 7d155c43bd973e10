/**
 * The YAML that Kubernetes manifests are written in, read fast: block mappings and sequences, plain scalars that can
 * only be strings or decimal integers, simple quoted strings, `{}` and `[]`, comments, `---` between documents.
 * Anything else (flow collections, anchors, tags, block scalars, multi-line scalars, escapes, duplicate keys, tabs,
 * booleans, nulls, floats …) makes `readBlockYaml` return undefined, and the caller reads the text with the `yaml`
 * package instead (`fromYamlDocument` turns its nodes into the same tree, aliases expanded and merge keys merged). So
 * the fast reader only has to agree with the package on the inputs it accepts; it never has to explain an error.
 */
import { isAlias, isMap, isScalar, isSeq, type LineCounter, type Node as YamlNode, type YAMLMap } from "yaml";
import type { FindingKind } from "../types";
import { MAX_EXPANSION } from "./common";

/**
 * A node with the 1-based line it starts on (undefined when the `yaml` package gave no position). A mapping's pairs
 * are one flat list, key then value: [key0, value0, key1, value1, …] (keys are what the package's scalar keys hold).
 * "other" is a node not read: an alias that was not expanded (a YProblem says why), or a node of no kind above; a
 * reader takes it as allowing nothing.
 */
export type YTree =
  | { readonly kind: "map"; readonly line: number | undefined; readonly pairs: readonly unknown[] }
  | { readonly kind: "seq"; readonly line: number | undefined; readonly items: readonly (YTree | null)[] }
  | { readonly kind: "scalar"; readonly line: number | undefined; readonly value: unknown }
  | { readonly kind: "other"; readonly line: number | undefined };

/** The value of the first pair whose key is `key` (as the `yaml` package's `get(key, true)`); undefined when none. */
export function yGet(node: YTree | null | undefined, key: string): YTree | null | undefined {
  if (!node || node.kind !== "map") return undefined;
  const pairs = node.pairs;
  for (let i = 0; i < pairs.length; i += 2) if (pairs[i] === key) return pairs[i + 1] as YTree | null;
  return undefined;
}

/** What turning the package's nodes into trees met on a 1-based line: an alias not expanded, a merge key not read. */
export interface YProblem {
  readonly line: number;
  readonly kind: FindingKind;
  readonly message: string;
}

/**
 * The state of turning the `yaml` package's documents into trees. Anchors are recorded as they are met; an alias
 * stands for the most recent node before it with that anchor in the same document (YAML 1.2 §3.2.2.2, §7.1:
 * https://yaml.org/spec/1.2.2/#alias-nodes). Its tree is shared, not copied: the tree is never changed, and what is
 * read through the alias keeps the lines where the anchored content is written. Shared trees cost no memory, but a
 * reader walks every copy, and a few lines of anchors of lists of aliases ("billion laughs") stand for billions of
 * nodes: once the aliases of the documents stand for MAX_EXPANSION nodes in all, no further alias is expanded.
 */
export interface YamlTrees {
  readonly lc: LineCounter;
  /** This document's anchors: the tree and the nodes it holds expanded; null while the anchored node is read. */
  readonly anchors: Map<string, { readonly tree: YTree; readonly size: number } | null>;
  /** Nodes read so far, aliases expanded: a node's size is the count after it minus the count before. */
  nodes: number;
  /** Nodes the aliases expanded so far stand for. */
  expanded: number;
  /** An alias went past MAX_EXPANSION: no alias after it is expanded. */
  spent: boolean;
  readonly problems: YProblem[];
}

export function newYamlTrees(lc: LineCounter): YamlTrees {
  return { lc, anchors: new Map(), nodes: 0, expanded: 0, spent: false, problems: [] };
}

/** A document's root as a YTree; an anchor holds within its document only (§7.1, as go-yaml reads it). */
export function fromYamlDocument(contents: YamlNode | null | undefined, t: YamlTrees): YTree | null {
  t.anchors.clear();
  return fromYamlNode(contents, t);
}

function lineOf(node: YamlNode, t: YamlTrees): number | undefined {
  const start = node.range?.[0];
  return start === undefined ? undefined : t.lc.linePos(start).line;
}

/** The package's node as a YTree, anchors recorded and aliases expanded. */
function fromYamlNode(node: YamlNode | null | undefined, t: YamlTrees): YTree | null {
  if (node === null || node === undefined) return null;
  const line = lineOf(node, t);
  if (isAlias(node)) return aliasTree(node.source, line, t);
  const anchor = node.anchor;
  if (anchor) t.anchors.set(anchor, null);
  const before = t.nodes++;
  const tree: YTree = isMap(node)
    ? mapTree(node, line, t)
    : isSeq(node)
      ? { kind: "seq", line, items: (node.items as YamlNode[]).map((x) => fromYamlNode(x, t)) }
      : isScalar(node)
        ? { kind: "scalar", line, value: node.value }
        : { kind: "other", line };
  if (anchor) t.anchors.set(anchor, { tree, size: t.nodes - before });
  return tree;
}

/**
 * What alias *name on `line` stands for. kubectl reads YAML with go-yaml v2 (through sigs.k8s.io/yaml), which refuses
 * a document with an alias of no anchor before it or inside its own anchored node.
 */
function aliasTree(name: string, line: number | undefined, t: YamlTrees): YTree {
  const anchored = t.anchors.get(name);
  const refuse = (kind: FindingKind, message: string): YTree => {
    if (line !== undefined) t.problems.push({ line, kind, message });
    return { kind: "other", line };
  };
  if (anchored === undefined)
    return refuse(
      "invalid",
      `Alias *${name} names no anchor &${name} before it in this document: kubectl refuses the document ("unknown anchor '${name}' referenced"). Read as allowing nothing.`,
    );
  if (anchored === null)
    return refuse(
      "invalid",
      `Alias *${name} is inside the node anchored &${name}, which would contain itself: kubectl refuses the document ("anchor '${name}' value contains itself"). Read as allowing nothing.`,
    );
  if (t.spent) return { kind: "other", line };
  if (t.expanded + anchored.size > MAX_EXPANSION) {
    t.spent = true;
    return refuse(
      "not-understood",
      `Alias *${name} is not expanded: with it the aliases of this paste would expand to more than ${MAX_EXPANSION.toLocaleString("en-US")} nodes, the most this reader follows. It and every alias after it are read as allowing nothing.`,
    );
  }
  t.nodes += anchored.size;
  t.expanded += anchored.size;
  return anchored.tree;
}

/** A key as the pairs hold it: a scalar's value (an alias of a scalar too), else the key's tree. */
function treeKey(node: unknown, t: YamlTrees): unknown {
  if (node === null || node === undefined) return null;
  const tree = fromYamlNode(node as YamlNode, t);
  return tree?.kind === "scalar" ? tree.value : tree;
}

/** A merge key: the plain scalar `<<`, which the package (with `merge: true`) reads as a symbol. */
function isMergeKey(key: unknown): boolean {
  return isScalar(key) && typeof key.value === "symbol";
}

/** A mapping; one with a merge key `<<` is read as mergedMapTree says. */
function mapTree(node: YAMLMap, line: number | undefined, t: YamlTrees): YTree {
  if (node.items.some((p) => isMergeKey(p.key))) return mergedMapTree(node, line, t);
  const pairs: unknown[] = [];
  for (const p of node.items) pairs.push(treeKey(p.key, t), fromYamlNode(p.value as YamlNode | null, t));
  return { kind: "map", line, pairs };
}

/**
 * A mapping with a merge key `<<` (https://yaml.org/type/merge.html), which adds the pairs of the mapping it names, or
 * of each mapping of a list it names. kubectl's go-yaml v2 (through sigs.k8s.io/yaml) sets the pairs in the order
 * they are written, and a merge's pairs at its merge key, the list's last mapping first: so a key written after `<<`
 * overrides a merged one, the list's first mapping wins over the others, and a merged key overrides one written
 * before `<<`, where the merge type keeps the written one (a note says so). Each key is in the pairs once.
 */
function mergedMapTree(node: YAMLMap, line: number | undefined, t: YamlTrees): YTree {
  const pairs: unknown[] = [];
  const at = new Map<unknown, number>();
  // The keys written so far (not merged), with the key's line.
  const written = new Map<unknown, number | undefined>();
  let unmerged = false;
  const set = (key: unknown, value: unknown) => {
    const i = at.get(key);
    if (i === undefined) {
      at.set(key, pairs.length);
      pairs.push(key, value);
    } else pairs[i + 1] = value;
  };
  for (const p of node.items) {
    const keyNode = p.key as YamlNode | null;
    if (!isMergeKey(keyNode)) {
      const key = treeKey(keyNode, t);
      written.set(key, keyNode ? lineOf(keyNode, t) : undefined);
      set(key, fromYamlNode(p.value as YamlNode | null, t));
      continue;
    }
    const keyLine = keyNode ? lineOf(keyNode, t) : undefined;
    const sources = mergeSources(p.value as YamlNode | null, keyLine, t);
    // What the mapping holds is not known: it is not read (a missing key would read as "all").
    if (!sources) {
      unmerged = true;
      continue;
    }
    for (const source of sources)
      for (let i = 0; i < source.pairs.length; i += 2) {
        const key = source.pairs[i];
        const before = written.get(key);
        if (before !== undefined)
          t.problems.push({
            line: before,
            kind: "note",
            message: `"${String(key)}" is written before the merge key "<<" on line ${keyLine ?? "?"}, which sets it again: kubectl (go-yaml v2) takes the merged value, and so does this reader; the YAML merge type (https://yaml.org/type/merge.html) keeps the value written here. Write "<<" first to mean the same to both.`,
          });
        written.delete(key);
        set(key, source.pairs[i + 1]);
      }
  }
  return unmerged ? { kind: "other", line } : { kind: "map", line, pairs };
}

/**
 * The mappings a merge key's value names, in the order go-yaml v2 sets them (a list's last first); undefined when it
 * names something else or an alias not expanded.
 */
function mergeSources(
  value: YamlNode | null,
  keyLine: number | undefined,
  t: YamlTrees,
): readonly Extract<YTree, { kind: "map" }>[] | undefined {
  const tree = fromYamlNode(value, t);
  if (tree?.kind === "map") return [tree];
  const items = tree?.kind === "seq" && isSeq(value) ? tree.items : undefined;
  if (items?.every((x) => x?.kind === "map")) return (items as Extract<YTree, { kind: "map" }>[]).slice().reverse();
  // An alias not expanded is a problem already.
  const unread = tree?.kind === "other" || items?.some((x) => x?.kind === "other");
  if (!unread && keyLine !== undefined)
    t.problems.push({
      line: keyLine,
      kind: "invalid",
      message:
        'The merge key "<<" takes a mapping, an alias of one, or a list of them (https://yaml.org/type/merge.html): kubectl refuses this document ("map merge requires map or sequence of maps as the value"). The mapping is read as allowing nothing.',
    });
  return undefined;
}

/**
 * The reader's position in the lines of one document. The lines (non-blank, non-comment) of the whole text are
 * parallel lists, no object per line: line k is number ns[k], indented by indents[k], its text (right-trimmed, without
 * the indentation) text[starts[k], ends[k]). The document's lines are at … end - 1.
 */
interface Reader {
  readonly text: string;
  readonly ns: Int32Array;
  readonly indents: Int32Array;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  at: number;
  readonly end: number;
  /** Keys read so far, one string per distinct key (a manifest repeats a few keys on every line), by a hash. */
  readonly keys: (string | undefined)[];
}

/** Thrown inside the reader only, caught in readBlockYaml: "outside the subset", never a user-facing error. */
class Unsupported extends Error {}

function unsupported(): never {
  throw new Unsupported();
}

// Anything outside printable ASCII, tabs, a CR not before LF, or YAML's indicators that start constructs the subset
// leaves to the package (& anchors, * aliases, ! tags, | > block scalars, % directives, ... document ends, ? keys).
// So in what the reader reads, the only white space is the space.
const UNSAFE_TEXT = /[^\n\x20-\x7e]|\r(?!\n)|^(?:%|\.\.\.)/m;

/**
 * Reads the documents, handing each one's root to `visit` as soon as it is read (a reader that is done with a
 * document before the next one keeps no tree of the whole text); false when the text is outside the subset, which
 * may be found after some documents were visited. Documents are split at lines that are exactly `---`.
 */
export function readBlockYaml(text: string, visit: (root: YTree | null) => void): boolean {
  if (UNSAFE_TEXT.test(text.indexOf("\r") === -1 ? text : text.replace(/\r\n/g, "\n"))) return false;
  let count = 1;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) count++;
  const ns = new Int32Array(count);
  const indents = new Int32Array(count);
  const starts = new Int32Array(count);
  const ends = new Int32Array(count);
  let lineCount = 0;
  // Each document: the line of the "---" that opened it (0: none) and the index of its first line; it ends where the
  // next one starts.
  const markers: number[] = [0];
  const firsts: number[] = [0];
  let n = 0;
  for (let start = 0; start < text.length;) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    n++;
    const next = end + 1;
    if (end > start && text.charCodeAt(end - 1) === 13) end--;
    while (end > start && text.charCodeAt(end - 1) === 32) end--;
    let s = start;
    while (s < end && text.charCodeAt(s) === 32) s++;
    const lineStart = start;
    start = next;
    if (s === end || text.charCodeAt(s) === 35 /* # */) continue;
    if (text.startsWith("---", s)) {
      if (s > lineStart || end - s !== 3) return false;
      markers.push(n);
      firsts.push(lineCount);
      continue;
    }
    ns[lineCount] = n;
    indents[lineCount] = s - lineStart;
    starts[lineCount] = s;
    ends[lineCount] = end;
    lineCount++;
  }
  firsts.push(lineCount);
  const keys = new Array<string | undefined>(256).fill(undefined);
  for (let d = 0; d < markers.length; d++) {
    const from = firsts[d]!;
    const to = firsts[d + 1]!;
    // Before the first marker, only a document with content counts (the package makes none of blanks and
    // comments); an empty document after a marker is a null scalar on the marker's line, as the package makes it.
    if (from === to) {
      if (d > 0) visit({ kind: "scalar", line: markers[d]!, value: null });
      continue;
    }
    const r: Reader = { text, ns, indents, starts, ends, at: from, end: to, keys };
    let root: YTree;
    try {
      root = readBlock(r, indents[from]!);
      if (r.at < to) unsupported();
    } catch {
      // Unsupported, or a stack overflow on absurd nesting: the package reads it (and explains any error).
      return false;
    }
    visit(root);
  }
  return true;
}

/** The block (mapping or sequence) whose lines start at column `indent`. */
function readBlock(r: Reader, indent: number): YTree {
  const k = r.at;
  if (r.indents[k]! !== indent) unsupported();
  return isDash(r.text, r.starts[k]!, r.ends[k]!)
    ? readSeq(r, indent)
    : readMap(r, indent, r.starts[k]!, r.ends[k]!, r.ns[k]!);
}

/** Whether text[s, e) is "-" or starts with "- ". */
function isDash(text: string, s: number, e: number): boolean {
  return text.charCodeAt(s) === 45 && (e - s === 1 || text.charCodeAt(s + 1) === 32);
}

/** A sequence: every line at `indent` that starts with "- ". */
function readSeq(r: Reader, indent: number): YTree {
  const text = r.text;
  const items: (YTree | null)[] = [];
  const line = r.ns[r.at]!;
  while (r.at < r.end) {
    const k = r.at;
    const at = r.indents[k]!;
    const s = r.starts[k]!;
    const e = r.ends[k]!;
    // A line at the sequence's column that is no item ends it: the next key of the mapping that holds it.
    if (at < indent || (at === indent && !isDash(text, s, e))) break;
    if (at > indent) unsupported();
    // What follows the dash: text[rest, e).
    let rest = s + 1;
    while (rest < e && text.charCodeAt(rest) === 32) rest++;
    if (rest === e) {
      r.at++;
      if (r.at >= r.end || r.indents[r.at]! <= indent) unsupported();
      items.push(readBlock(r, r.indents[r.at]!));
      continue;
    }
    if (isDash(text, rest, e)) unsupported();
    const column = indent + (rest - s);
    if (keyEnd(text, rest, e) >= 0) items.push(readMap(r, column, rest, e, r.ns[k]!));
    else {
      items.push(scalarNode(text.slice(rest, e), r.ns[k]!));
      r.at++;
      if (r.at < r.end && r.indents[r.at]! > indent) unsupported();
    }
  }
  return { kind: "seq", line, items };
}

/** A mapping with more pairs than this checks its keys for duplicates with a Set, a smaller one by looking. */
const FEW_KEYS = 8;

/**
 * A mapping at column `indent`; its first key is text[s, e) (which may sit after a "- " on line `firstLine`), the
 * following keys are the lines at `indent`.
 */
function readMap(r: Reader, indent: number, s: number, e: number, firstLine: number): YTree {
  const text = r.text;
  const pairs: unknown[] = [];
  let seen: Set<string> | undefined;
  let n = firstLine;
  for (;;) {
    const colon = keyEnd(text, s, e);
    if (colon < 0) unsupported();
    const key = keyOf(r, s, colon);
    if (seen) {
      if (seen.has(key)) unsupported();
      seen.add(key);
    } else {
      for (let i = 0; i < pairs.length; i += 2) if (pairs[i] === key) unsupported();
      if (pairs.length >= 2 * FEW_KEYS) {
        seen = new Set<string>();
        for (let i = 0; i < pairs.length; i += 2) seen.add(pairs[i] as string);
        seen.add(key);
      }
    }
    r.at++;
    let value = colon + 1;
    while (value < e && text.charCodeAt(value) === 32) value++;
    pairs.push(key, readValue(r, indent, value, e, n));
    if (r.at >= r.end || r.indents[r.at]! < indent) break;
    const k = r.at;
    s = r.starts[k]!;
    e = r.ends[k]!;
    if (r.indents[k]! > indent || isDash(text, s, e)) unsupported();
    n = r.ns[k]!;
  }
  return { kind: "map", line: firstLine, pairs };
}

/** The value text[s, e) after "key:" on line `n`: a scalar on the same line, or the block on the lines below. */
function readValue(r: Reader, indent: number, s: number, e: number, n: number): YTree {
  const next = r.at < r.end ? r.at : -1;
  if (s < e) {
    if (next >= 0 && r.indents[next]! > indent) unsupported(); // a multi-line scalar
    return scalarNode(r.text.slice(s, e), n);
  }
  if (next >= 0 && r.indents[next]! > indent) return readBlock(r, r.indents[next]!);
  // "key:" with the sequence at the key's own column, as kubectl writes it.
  if (next >= 0 && r.indents[next]! === indent && isDash(r.text, r.starts[next]!, r.ends[next]!))
    return readSeq(r, indent);
  return unsupported(); // an empty value: left to the package
}

/** Keys that would be read as booleans or nulls (the only non-strings a key of [A-Za-z_][A-Za-z0-9_./-]* can be). */
const NOT_A_STRING_KEY = new Set(["true", "True", "TRUE", "false", "False", "FALSE", "null", "Null", "NULL"]);

/**
 * Where the colon is in "key: value" or "key:" at text[s, e), with a simple key ([A-Za-z_][A-Za-z0-9_./-]*, not a
 * boolean or null); -1 for anything else. Looks no further than e.
 */
function keyEnd(text: string, s: number, e: number): number {
  let colon = s;
  while (colon < e && text.charCodeAt(colon) !== 58) colon++;
  if (colon === e || colon === s) return -1;
  if (colon + 1 < e && text.charCodeAt(colon + 1) !== 32) return -1;
  const c = text.charCodeAt(s);
  if (!(((c | 32) >= 97 && (c | 32) <= 122) || c === 95)) return -1;
  for (let i = s + 1; i < colon; i++) {
    const d = text.charCodeAt(i);
    // [A-Za-z0-9_./-]
    if (!(((d | 32) >= 97 && (d | 32) <= 122) || (d >= 45 && d <= 57) || d === 95)) return -1;
  }
  if (colon - s <= 5 && NOT_A_STRING_KEY.has(text.slice(s, colon))) return -1;
  return colon;
}

/** The key text[s, e), as one string per distinct key. */
function keyOf(r: Reader, s: number, e: number): string {
  const text = r.text;
  let h = 0;
  for (let i = s; i < e; i++) h = (h * 31 + text.charCodeAt(i)) | 0;
  const slot = h & (r.keys.length - 1);
  const known = r.keys[slot];
  if (known !== undefined && known.length === e - s && text.startsWith(known, s)) return known;
  const key = text.slice(s, e);
  r.keys[slot] = key;
  return key;
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
