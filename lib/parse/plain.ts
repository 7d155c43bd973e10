/**
 * Plain lists as people paste them: addresses, CIDRs, ranges and wildcards, one or many per line.
 * Separators: comma, semicolon, whitespace. A line starting with `#`, `//` or `;` is a comment (`;` is the
 * comment mark of INI files and Cisco configs); a `;` after an entry separates entries, so "a; b" is two entries.
 * `#` anywhere, or `//` at the start of a word, starts a trailing comment kept on the line's entries.
 */
import {
  parseAddress,
  parseNetmask,
  parsePrefix,
  parseRange,
  parseTrailingWildcard,
  prefixRange,
  rangeOf,
} from "../ip/index";
import { newAddress } from "../ip/address";
import { newPrefix } from "../ip/prefix";
import { newRange } from "../ip/range";
import type { Address, IpParseError, Prefix, Range } from "../ip/types";
import { countLines } from "./lines";
import { looksLikeHostname } from "./hostname";
import type { Entry, Finding, ParseOutput, Parser } from "./types";

export { countLines };

/** One address term as written: what it matches, or why it cannot be read. */
export type Term =
  | { readonly ok: true; readonly range: Range; readonly kind: Entry["kind"]; readonly prefix?: Prefix }
  | {
      readonly ok: false;
      readonly kind: "invalid" | "ambiguous" | "hostname";
      readonly message: string;
      /** 0-based position in the token. */
      readonly position: number;
    };

const CH_TAB = 9;
const CH_LF = 10;
const CH_CR = 13;
const CH_SPACE = 32;
const CH_HASH = 35;
const CH_STAR = 42;
const CH_COMMA = 44;
const CH_DASH = 45;
const CH_DOT = 46;
const CH_SLASH = 47;
const CH_COLON = 58;
const CH_SEMI = 59;

/** Blanks inside a line, including the no-break space that web pages put in copied tables. */
function isBlank(c: number): boolean {
  return c === CH_SPACE || c === CH_TAB || c === 0xa0 || c === 11 || c === 12;
}

/**
 * Blanks trimmed from line ends: also CR (CRLF files) and a byte-order mark. Every one of them but the no-break space
 * and the mark is a control character or the space, so a printable character (the last one of nearly every line) is
 * told apart in three comparisons rather than seven.
 */
export function isTrimmed(c: number): boolean {
  return c <= CH_SPACE
    ? c === CH_SPACE || c === CH_TAB || c === CH_CR || c === 11 || c === 12
    : c === 0xa0 || c === 0xfeff;
}

function failure(token: string, error: Pick<IpParseError, "message" | "position" | "code">): Term {
  if (looksLikeHostname(token)) {
    return { ok: false, kind: "hostname", message: "a hostname, not an address", position: 0 };
  }
  if (error.code === "ambiguous")
    return { ok: false, kind: "ambiguous", message: error.message, position: error.position };
  // lib/ip explains a malformed address; for a plain word ("banana") that explanation would only confuse.
  if (!hasDigit(token)) return { ok: false, kind: "invalid", message: "not an IP address", position: 0 };
  return { ok: false, kind: "invalid", message: error.message, position: error.position };
}

function hasDigit(token: string): boolean {
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}

/** "addr/255.255.255.0" (or an IPv6 mask): the mask is read with parseNetmask, never as a wildcard mask. */
function parseNetmaskPrefix(token: string, slash: number): Term {
  const address = parseAddress(token.slice(0, slash));
  if (!address.ok) return failure(token, address.error);
  const maskText = token.slice(slash + 1);
  const bits = parseNetmask(maskText);
  if (!bits.ok) return failure(token, { ...bits.error, position: slash + 1 + bits.error.position });
  const maskFamily = maskText.indexOf(":") >= 0 ? 6 : 4;
  if (maskFamily !== address.value.family) {
    return failure(token, {
      message: `an IPv${maskFamily} netmask cannot apply to an IPv${address.value.family} address`,
      position: slash + 1,
      code: "invalid",
    });
  }
  const prefix: Prefix = Object.freeze({ address: address.value, bits: bits.value });
  return { ok: true, range: prefixRange(prefix), kind: "cidr", prefix };
}

/**
 * Reads one address term: address, CIDR (with a length or a netmask), range "a-b" / "a - b", or IPv4 trailing
 * wildcard "13.232.152.*". Shared with the vendor parsers so every format accepts the same spellings.
 */
export function parseTerm(token: string): Term {
  let star = false;
  let dash = false;
  let slash = -1;
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c === CH_STAR) star = true;
    else if (c === CH_DASH) dash = true;
    else if (c === CH_SLASH && slash < 0) slash = i;
  }
  if (star && !dash && slash < 0) {
    const r = parseTrailingWildcard(token);
    return r.ok ? { ok: true, range: r.value, kind: "wildcard" } : failure(token, r.error);
  }
  if (dash && slash < 0) {
    const r = parseRange(token);
    return r.ok ? { ok: true, range: r.value, kind: "range" } : failure(token, r.error);
  }
  if (slash >= 0) {
    for (let i = slash + 1; i < token.length; i++) {
      const c = token.charCodeAt(i);
      if (c === CH_DOT || c === CH_COLON) return parseNetmaskPrefix(token, slash);
    }
    const r = parsePrefix(token);
    if (!r.ok) return failure(token, r.error);
    return { ok: true, range: prefixRange(r.value), kind: "cidr", prefix: r.value };
  }
  const r = parseAddress(token);
  return r.ok ? { ok: true, range: rangeOf(r.value), kind: "address" } : failure(token, r.error);
}

/**
 * The common case of a 1M-line paste, read without allocating: a canonical dotted quad "a.b.c.d", optionally with
 * "/len", filling s[start, end) exactly. Returns value × 64 + (len + 1), or value × 64 when there is no "/len"
 * (exact in a double), or -1 for anything else: leading zeros, octets over 255, missing parts, other characters …
 * all go to parseTerm, so every message comes from one place.
 */
export function scanIPv4Term(s: string, start: number, end: number): number {
  let value = 0;
  let i = start;
  for (let part = 0; part < 4; part++) {
    if (part > 0) {
      if (i >= end || s.charCodeAt(i) !== CH_DOT) return -1;
      i++;
    }
    const first = i;
    let octet = 0;
    while (i < end) {
      const d = s.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      octet = octet * 10 + d;
      i++;
    }
    const digits = i - first;
    if (digits === 0 || digits > 3 || octet > 255 || (digits > 1 && s.charCodeAt(first) === 48)) return -1;
    value = value * 256 + octet;
  }
  if (i === end) return value * 64;
  if (s.charCodeAt(i) !== CH_SLASH) return -1;
  i++;
  const first = i;
  let bits = 0;
  while (i < end) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    bits = bits * 10 + d;
    i++;
  }
  const digits = i - first;
  if (digits === 0 || digits > 2 || bits > 32 || (digits > 1 && s.charCodeAt(first) === 48)) return -1;
  return value * 64 + bits + 1;
}

/** The entry parseTerm would build for a scanIPv4Term result, sharing one Address where values are equal. */
export function fastIPv4Entry(code: number, line: number, text: string, token: string): Entry {
  const bitsPlusOne = code % 64;
  const value = (code - bitsPlusOne) / 64;
  const address = newAddress(4, BigInt(value));
  if (bitsPlusOne === 0) {
    return { line, text, token, range: newRange(address, address), kind: "address", action: "allow", direction: "in" };
  }
  const prefix: Prefix = newPrefix(address, bitsPlusOne - 1);
  return {
    line,
    text,
    token,
    range: fastIPv4PrefixRange(value, address, prefix.bits),
    kind: "cidr",
    prefix,
    action: "allow",
    direction: "in",
  };
}

/** The entry fastIPv4Entry builds, with `comment` set (a CSV row's other columns): one object, not a copy. */
function fastIPv4EntryWithComment(code: number, line: number, text: string, token: string, comment: string): Entry {
  const bitsPlusOne = code % 64;
  const value = (code - bitsPlusOne) / 64;
  const address = newAddress(4, BigInt(value));
  if (bitsPlusOne === 0) {
    return {
      line,
      text,
      token,
      range: newRange(address, address),
      kind: "address",
      action: "allow",
      direction: "in",
      comment,
    };
  }
  const prefix: Prefix = newPrefix(address, bitsPlusOne - 1);
  const range = fastIPv4PrefixRange(value, address, prefix.bits);
  return { line, text, token, range, kind: "cidr", prefix, action: "allow", direction: "in", comment };
}

/** prefixRange for an IPv4 value/bits already read, reusing `address` as an end where it is one. */
function fastIPv4PrefixRange(value: number, address: Address, bits: number): Range {
  const size = 2 ** (32 - bits);
  const first = value - (value % size);
  const firstAddress = first === value ? address : newAddress(4, BigInt(first));
  const lastAddress: Address = size === 1 ? firstAddress : newAddress(4, BigInt(first + size - 1));
  return newRange(firstAddress, lastAddress);
}

/** An address term for a scanIPv4Term result: what readAddressTerm (vendors/common.ts) builds from the same text. */
export interface FastIPv4Term {
  readonly token: string;
  readonly range: Range;
  readonly kind: "address" | "cidr";
  readonly prefix: Prefix;
}

/**
 * The term readAddressTerm gives for a canonical "a.b.c.d" (with a /32 prefix) or "a.b.c.d/len" (the prefix as
 * written, its range masked), from a scanIPv4Term code, without re-reading the text.
 */
export function fastIPv4Term(code: number, token: string): FastIPv4Term {
  const bitsPlusOne = code % 64;
  const value = (code - bitsPlusOne) / 64;
  const address = newAddress(4, BigInt(value));
  if (bitsPlusOne === 0)
    return { token, range: newRange(address, address), kind: "address", prefix: newPrefix(address, 32) };
  const bits = bitsPlusOne - 1;
  return { token, range: fastIPv4PrefixRange(value, address, bits), kind: "cidr", prefix: newPrefix(address, bits) };
}

/** Where a term sits, for messages: a plain line gives a character column, a CSV cell names its column too. */
export type Locate = (positionInCell: number) => string;

/** Tokens quoted in messages are cut at this length: a 20 MB token is not repeated in its message. */
const QUOTED_TOKEN = 100;
/** Findings one line (or cell) gives at most; the rest are counted in one more finding. */
export const TERM_FINDINGS_PER_LINE = 20;

function quoted(token: string): string {
  return token.length <= QUOTED_TOKEN
    ? token
    : `${token.slice(0, QUOTED_TOKEN)}… (${token.length - QUOTED_TOKEN} more characters)`;
}

function termFinding(line: number, text: string, rawToken: string, term: Term & { ok: false }, where: string): Finding {
  const token = quoted(rawToken);
  if (term.kind === "hostname") {
    return {
      line,
      text,
      kind: "hostname",
      message: `"${token}" is a hostname, not an address (${where}): a firewall matches IP addresses, so list the IPs it stands for.`,
    };
  }
  const lead = term.kind === "ambiguous" ? "Ambiguous, not guessed" : "Not an address";
  return { line, text, kind: term.kind, message: `${lead}: "${token}" — ${term.message} (${where}).` };
}

/** Output of a scan, appended to in place so a 1M-line paste allocates no intermediate arrays. */
export interface Sink {
  readonly entries: Entry[];
  readonly findings: Finding[];
}

/**
 * Scans the terms of one line (or CSV cell) `s` into `sink`. `line`/`text` are the source line the entries and
 * findings point at. `locate` turns a position in `s` into words for messages; without it, a 1-based column of `s`.
 * `comment` is kept on every entry (joined with a trailing comment found in `s`).
 */
export function scanTerms(s: string, line: number, text: string, sink: Sink, locate?: Locate, comment?: string): void {
  const length = s.length;
  const firstEntry = sink.entries.length;
  // A line of a million bad tokens is one line to fix, not a million findings (nor a million objects in memory).
  let bad = 0;
  let trailing: string | undefined;
  let i = 0;
  while (i < length) {
    let c = s.charCodeAt(i);
    if (isBlank(c) || c === CH_COMMA || c === CH_SEMI || c === CH_CR || c === CH_LF) {
      i++;
      continue;
    }
    if (c === CH_HASH || (c === CH_SLASH && s.charCodeAt(i + 1) === CH_SLASH)) {
      trailing = s.slice(c === CH_HASH ? i + 1 : i + 2).trim();
      break;
    }
    const start = i;
    while (i < length) {
      c = s.charCodeAt(i);
      if (c === CH_COMMA || c === CH_SEMI || c === CH_HASH || c === CH_CR || c === CH_LF) break;
      if (isBlank(c)) {
        // "a - b" is one range term: blanks next to a dash do not separate.
        let j = i + 1;
        while (j < length && isBlank(s.charCodeAt(j))) j++;
        if (j < length && (s.charCodeAt(j) === CH_DASH || s.charCodeAt(i - 1) === CH_DASH)) {
          i = j;
          continue;
        }
        break;
      }
      i++;
    }
    const code = scanIPv4Term(s, start, i);
    // "52.1.37.0 255.255.255.0": an address and its netmask, one prefix (see netmaskAfter).
    const maskEnd = code >= 0 && code % 64 === 0 ? netmaskAfter(s, i) : -1;
    if (maskEnd >= 0) {
      const token = s.slice(start, maskEnd);
      const blank = token.search(/[ \t]/);
      const term = parseNetmaskPrefix(`${token.slice(0, blank)}/${token.slice(blank).trimStart()}`, blank);
      i = maskEnd;
      if (term.ok) sink.entries.push(termEntry(line, text, token, term, comment));
      else if (++bad <= TERM_FINDINGS_PER_LINE) {
        const where = locate ? locate(start) : `column ${start + 1}`;
        sink.findings.push(termFinding(line, text, token, term, where));
      }
      continue;
    }
    const token = s.slice(start, i);
    if (code >= 0) {
      sink.entries.push(
        comment ? fastIPv4EntryWithComment(code, line, text, token, comment) : fastIPv4Entry(code, line, text, token),
      );
      continue;
    }
    const term = parseTerm(token);
    if (term.ok) {
      sink.entries.push(termEntry(line, text, token, term, comment));
    } else {
      if (++bad > TERM_FINDINGS_PER_LINE) continue;
      const where = locate ? locate(start + term.position) : `column ${start + term.position + 1}`;
      sink.findings.push(termFinding(line, text, token, term, where));
    }
  }
  if (bad > TERM_FINDINGS_PER_LINE) {
    const more = bad - TERM_FINDINGS_PER_LINE;
    sink.findings.push({
      line,
      text,
      kind: "invalid",
      message: `${more.toLocaleString("en-US")} more ${more === 1 ? "term" : "terms"} on this line are not addresses either (the first ${TERM_FINDINGS_PER_LINE} are listed).`,
    });
  }
  // Entries already carry `comment`; a trailing comment found after them changes the note, so they are rebuilt.
  if (trailing) {
    const note = comment ? `${comment}; ${trailing}` : trailing;
    for (let k = firstEntry; k < sink.entries.length; k++) sink.entries[k] = { ...sink.entries[k]!, comment: note };
  }
}

/**
 * Where the netmask after an IPv4 address at `from` ends, or -1: the next word, after blanks only, is an IPv4 address
 * in the reserved 240.0.0.0/4, where every netmask of 4 bits or more sits ("255.255.255.0", "255.255.255.255") and no
 * host is allowlisted: "address mask" is never two addresses. (A shorter mask, 128.0.0.0 or 192.0.0.0, could be an
 * address: those stay two terms.) A word there that is not a contiguous netmask makes the pair one invalid term.
 */
function netmaskAfter(s: string, from: number): number {
  let j = from;
  while (j < s.length && isBlank(s.charCodeAt(j))) j++;
  if (j === from || j >= s.length) return -1;
  let k = j;
  while (k < s.length) {
    const c = s.charCodeAt(k);
    if (isBlank(c) || c === CH_COMMA || c === CH_SEMI || c === CH_HASH || c === CH_CR || c === CH_LF) break;
    k++;
  }
  const code = scanIPv4Term(s, j, k);
  return code >= 0 && code % 64 === 0 && code / 64 >= 0xf0000000 ? k : -1;
}

/** The entry of a term parseTerm read; `comment` (when not empty) is its last key, as the rebuild above puts it. */
function termEntry(
  line: number,
  text: string,
  token: string,
  term: Term & { ok: true },
  comment: string | undefined,
): Entry {
  const { range, kind, prefix } = term;
  if (comment) {
    return prefix === undefined
      ? { line, text, token, range, kind, action: "allow", direction: "in", comment }
      : { line, text, token, range, kind, prefix, action: "allow", direction: "in", comment };
  }
  return prefix === undefined
    ? { line, text, token, range, kind, action: "allow", direction: "in" }
    : { line, text, token, range, kind, prefix, action: "allow", direction: "in" };
}

/** True for a trimmed line that is a whole-line comment. */
export function isCommentStart(text: string, at: number): boolean {
  const c = text.charCodeAt(at);
  return c === CH_HASH || c === CH_SEMI || (c === CH_SLASH && text.charCodeAt(at + 1) === CH_SLASH);
}

/** Parses a whole plain list in one pass over the text (indexOf per line, char codes per token). */
export function parsePlain(text: string): ParseOutput {
  const sink: Sink = { entries: [], findings: [] };
  const length = text.length;
  let lineNumber = 0;
  let start = 0;
  while (start < length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = length;
    lineNumber++;
    let a = start;
    let b = end;
    while (a < b && isTrimmed(text.charCodeAt(a))) a++;
    while (b > a && isTrimmed(text.charCodeAt(b - 1))) b--;
    if (a < b && !isCommentStart(text, a)) {
      const lineText = text.slice(a, b);
      // Most lines of a long list are one IPv4 address or CIDR: read it without tokenising the line.
      const code = scanIPv4Term(text, a, b);
      if (code >= 0) sink.entries.push(fastIPv4Entry(code, lineNumber, lineText, lineText));
      else scanTerms(lineText, lineNumber, lineText, sink);
    }
    start = end + 1;
  }
  return { format: "plain", entries: sink.entries, findings: sink.findings, lineCount: lineNumber, notes: [] };
}

export const plainParser: Parser = {
  id: "plain",
  label: "Plain list",
  // The fallback: any text can be read as a plain list, so every other format outbids it when it recognises itself.
  detect: () => 0.1,
  parse: parsePlain,
};
