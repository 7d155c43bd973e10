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

/**
 * One attribute from i (at its leading whitespace): returns its end, or -1. With attrs, also sets it there (attrs
 * untouched when it does not read).
 */
function readAttr(text: string, i: number, attrs?: Record<string, string>): number {
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
  if (attrs) {
    const raw = text.slice(j + 1, close);
    attrs[text.slice(at, end)] = raw.includes("&") ? decodeXml(raw) : raw;
  }
  return close + 1;
}

/** Most tags have no attributes: they share one empty record (null prototype, frozen: readers only look up keys). */
const NO_ATTRS: Readonly<Record<string, string>> = Object.freeze(Object.create(null) as Record<string, string>);

/**
 * The tags of a text one at a time, without holding them: next() reads the next tag into the scanner's fields (the
 * tag xmlTags would list next), and its attributes are read when asked for (attrs, attr). For readers that keep
 * nothing of most tags: a list of every tag of a 100,000-line file is a large heap to collect.
 */
export class XmlScanner {
  name = "";
  /** `</name>` */
  close = false;
  /** `<name …/>` */
  selfClose = false;
  line = 1;
  /** Offsets of the tag in the text: [start, end). */
  start = 0;
  end = 0;
  /** Offsets of the tag's attributes, each with its leading white space: [attrStart, attrEnd), empty when none. */
  private attrStart = 0;
  private attrEnd = 0;
  /** Where the next tag is looked for ("<", or -1 at the end), and the first newline not yet counted. */
  private at: number;
  private nextNewline: number;
  /** Names read so far, one string per distinct name (a file repeats a few names in every tag), by a hash of their chars. */
  private readonly names = new Array<string | undefined>(256).fill(undefined);

  constructor(private readonly text: string) {
    this.at = text.indexOf("<");
    this.nextNewline = text.indexOf("\n");
  }

  /** Reads the next tag; false at the end of the text. */
  next(): boolean {
    const text = this.text;
    let i = this.at;
    while (i !== -1) {
      const c = text.charCodeAt(i + 1);
      // Comments, CDATA, declarations and processing instructions all start with "<!" or "<?".
      if (c !== 33 && c !== 63) {
        if (this.read(i)) {
          this.at = text.indexOf("<", this.end);
          return true;
        }
        i = text.indexOf("<", i + 1);
        continue;
      }
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
      // Any other "<?" or "<!": skipped up to its ">".
      const end = text.indexOf(">", i + 2);
      i = end === -1 ? -1 : text.indexOf("<", end + 1);
    }
    this.at = -1;
    return false;
  }

  /** The tag at text[i] === "<" into the fields, or false (fields untouched) when the text there is not one. */
  private read(i: number): boolean {
    const text = this.text;
    const close = text.charCodeAt(i + 1) === 47;
    const nameAt = close ? i + 2 : i + 1;
    const end = nameEnd(text, nameAt);
    if (end < 0) return false;
    let j = end;
    if (isJsWhitespace(text.charCodeAt(j)))
      for (let next = readAttr(text, j); next >= 0; next = readAttr(text, j)) j = next;
    const attrEnd = j;
    j = skipSpace(text, j);
    const selfClose = text.charCodeAt(j) === 47;
    if (selfClose) j++;
    if (text.charCodeAt(j) !== 62) return false;
    // Tags come in text order: the line advances past each newline once. (Searching from the last tag for the next
    // newline on every tag read to the end of a newline-free text each time: quadratic on one long line.)
    while (this.nextNewline !== -1 && this.nextNewline < i) {
      this.line++;
      this.nextNewline = text.indexOf("\n", this.nextNewline + 1);
    }
    this.name = this.nameOf(nameAt, end);
    this.close = close;
    this.selfClose = selfClose;
    this.start = i;
    this.end = j + 1;
    this.attrStart = end;
    this.attrEnd = attrEnd;
    return true;
  }

  private nameOf(start: number, end: number): string {
    const text = this.text;
    // The slot from the length and the first and last chars: names that share one are still told apart (startsWith).
    const slot = (text.charCodeAt(start) * 31 + text.charCodeAt(end - 1) * 7 + end - start) & (this.names.length - 1);
    const known = this.names[slot];
    if (known !== undefined && known.length === end - start && text.startsWith(known, start)) return known;
    const name = text.slice(start, end);
    this.names[slot] = name;
    return name;
  }

  /** The tag's attributes, as xmlTags lists them. */
  attrs(): Readonly<Record<string, string>> {
    if (this.attrEnd === this.attrStart) return NO_ATTRS;
    const read: Record<string, string> = Object.create(null) as Record<string, string>;
    for (let j = this.attrStart; j < this.attrEnd;) j = readAttr(this.text, j, read);
    return read;
  }

  /** One attribute of the tag, or undefined: attrs()[key] without the record (the last value of a repeated one). */
  attr(key: string): string | undefined {
    const text = this.text;
    let value: string | undefined;
    // Each attribute in [attrStart, attrEnd) was read whole by read(): name, "=", a quoted value.
    for (let j = this.attrStart; j < this.attrEnd;) {
      const at = skipSpace(text, j);
      const end = nameEnd(text, at);
      const q = skipSpace(text, skipSpace(text, end) + 1);
      const close = text.indexOf(text.charCodeAt(q) === 34 ? '"' : "'", q + 1);
      if (end - at === key.length && text.startsWith(key, at)) {
        const raw = text.slice(q + 1, close);
        value = raw.includes("&") ? decodeXml(raw) : raw;
      }
      j = close + 1;
    }
    return value;
  }
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
  const t = new XmlScanner(text);
  while (t.next()) {
    out.push({
      name: t.name,
      attrs: t.attrs(),
      close: t.close,
      selfClose: t.selfClose,
      line: t.line,
      start: t.start,
      end: t.end,
    });
  }
  return out;
}
