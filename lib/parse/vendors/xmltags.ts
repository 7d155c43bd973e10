/**
 * The tags of a small, flat XML file (firewalld zone and ipset files), each with its 1-based line, for readers that
 * must point at the line of every element. Not a general XML parser: no DTDs, entities beyond the five predefined
 * ones, or namespaces; comments, processing instructions and CDATA are skipped. Linear, never throws.
 */
import { isJsWhitespace } from "../lines";

export interface XmlTag {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  /** `</name>` */
  readonly close: boolean;
  /** `<name …/>` */
  readonly selfClose: boolean;
  readonly line: number;
  /** Offsets of the tag in the text: [start, end). */
  readonly start: number;
  readonly end: number;
}

/*
 * Tags are read char by char, following the regular expression
 * <(\/?)([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)> (its \s: isJsWhitespace).
 */

/** [A-Za-z_] */
function isNameStart(c: number): boolean {
  return ((c | 32) >= 97 && (c | 32) <= 122) || c === 95;
}

/** [\w.:-] */
function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 58) || c === 46 || c === 45;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && isJsWhitespace(text.charCodeAt(i))) i++;
  return i;
}

function nameEnd(text: string, i: number): number {
  if (i >= text.length || !isNameStart(text.charCodeAt(i))) return -1;
  i++;
  while (i < text.length && isNameChar(text.charCodeAt(i))) i++;
  return i;
}

/** One attribute from i (at its leading whitespace): sets it in attrs and returns its end, or -1 (attrs untouched). */
function readAttr(text: string, i: number, attrs: Record<string, string>): number {
  const at = skipSpace(text, i);
  if (at === i) return -1;
  const end = nameEnd(text, at);
  if (end < 0) return -1;
  let j = skipSpace(text, end);
  if (text.charCodeAt(j) !== 61) return -1;
  j = skipSpace(text, j + 1);
  const q = text.charCodeAt(j);
  if (q !== 34 && q !== 39) return -1;
  const close = text.indexOf(q === 34 ? '"' : "'", j + 1);
  if (close < 0) return -1;
  const raw = text.slice(j + 1, close);
  attrs[text.slice(at, end)] = raw.includes("&") ? decodeXml(raw) : raw;
  return close + 1;
}

/** Most tags have no attributes: they share one empty record (null prototype, frozen: readers only look up keys). */
const NO_ATTRS: Readonly<Record<string, string>> = Object.freeze(Object.create(null) as Record<string, string>);

/** The tag at text[i] === "<", or undefined when the text there is not one. */
function readTag(text: string, i: number, line: number): XmlTag | undefined {
  const close = text.charCodeAt(i + 1) === 47;
  const nameAt = close ? i + 2 : i + 1;
  const end = nameEnd(text, nameAt);
  if (end < 0) return undefined;
  let attrs = NO_ATTRS;
  let j = end;
  if (isJsWhitespace(text.charCodeAt(j))) {
    const read: Record<string, string> = Object.create(null) as Record<string, string>;
    for (let next = readAttr(text, j, read); next >= 0; next = readAttr(text, j, read)) j = next;
    if (j > end) attrs = read;
  }
  j = skipSpace(text, j);
  const selfClose = text.charCodeAt(j) === 47;
  if (selfClose) j++;
  if (text.charCodeAt(j) !== 62) return undefined;
  return { name: text.slice(nameAt, end), attrs, close, selfClose, line, start: i, end: j + 1 };
}

export function decodeXml(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-f]+);/gi, (m, e: string) => {
    const k = e.toLowerCase();
    if (k === "lt") return "<";
    if (k === "gt") return ">";
    if (k === "amp") return "&";
    if (k === "quot") return '"';
    if (k === "apos") return "'";
    const code = k.startsWith("#x") ? parseInt(k.slice(2), 16) : parseInt(k.slice(1), 10);
    return Number.isFinite(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
  });
}

export function xmlTags(text: string): XmlTag[] {
  const out: XmlTag[] = [];
  // Tags come in text order: the line advances past each newline once. (Searching from the last tag for the next
  // newline on every tag read to the end of a newline-free text each time: quadratic on one long line.)
  let line = 1;
  let nextNewline = text.indexOf("\n");
  const lineAt = (pos: number): number => {
    while (nextNewline !== -1 && nextNewline < pos) {
      line++;
      nextNewline = text.indexOf("\n", nextNewline + 1);
    }
    return line;
  };
  let i = text.indexOf("<");
  while (i !== -1) {
    if (text.startsWith("<!--", i)) {
      const end = text.indexOf("-->", i + 4);
      i = end === -1 ? -1 : text.indexOf("<", end + 3);
      continue;
    }
    if (text.startsWith("<![CDATA[", i)) {
      const end = text.indexOf("]]>", i + 9);
      i = end === -1 ? -1 : text.indexOf("<", end + 3);
      continue;
    }
    if (text.startsWith("<?", i) || text.startsWith("<!", i)) {
      const end = text.indexOf(">", i + 2);
      i = end === -1 ? -1 : text.indexOf("<", end + 1);
      continue;
    }
    const tag = readTag(text, i, lineAt(i));
    if (!tag) {
      i = text.indexOf("<", i + 1);
      continue;
    }
    out.push(tag);
    i = text.indexOf("<", tag.end);
  }
  return out;
}
