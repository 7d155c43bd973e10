/**
 * A plain list read into typed arrays instead of objects: what parsePlain returns, entry for entry, for the lines a
 * 1M-line paste is made of (one IPv4/IPv6 address or CIDR per line). Every other line (ranges, wildcards, netmasks,
 * several terms, trailing comments, invalid tokens …) goes through parsePlain's own scanTerms and is kept as an
 * ordinary Entry/Finding in a small side list at its place in the order, so the result is exactly parsePlain's.
 */
import { hexDigit } from "../ip/address";
import { hasHostBits } from "../ip/prefix";
import { fastIPv4Entry, isCommentStart, isTrimmed, parseTerm, scanIPv4Term, scanTerms, type Sink } from "./plain";
import { countLines } from "./lines";
import type { Entry, Finding, ParseOutput } from "./types";

/** How an entry of the columns was written. Fast kinds fill a whole trimmed line: their token is the line text. */
export const KIND_V4_ADDRESS = 0;
export const KIND_V4_CIDR = 1;
export const KIND_V6_ADDRESS = 2;
export const KIND_V6_CIDR = 3;
/** Anything else: the Entry is in `side`. */
export const KIND_SIDE = 4;

export interface PlainColumns {
  readonly text: string;
  /** Entries, in parsePlain's order. */
  readonly count: number;
  readonly lineCount: number;
  /** Per entry (length >= count): KIND_*. */
  readonly kind: Uint8Array;
  /** Per entry: 1-based line number. */
  readonly line: Uint32Array;
  /** Per entry: char offsets of its trimmed line in `text` (the entry's `text`; the token too for fast kinds). */
  readonly lineStart: Uint32Array;
  readonly lineEnd: Uint32Array;
  /** Per entry: prefix length for the CIDR kinds. */
  readonly bits: Uint8Array;
  /** Per entry: 1 when written as a prefix with host bits set. */
  readonly hostBits: Uint8Array;
  /** Per entry: position in the IPv4 arrays (>= 0), or ~position in the IPv6 arrays. */
  readonly slot: Int32Array;
  /** IPv4 entries: entry index (ascending), first and last address. */
  readonly v4Index: Uint32Array;
  readonly first4: Uint32Array;
  readonly last4: Uint32Array;
  /** IPv6 entries: entry index (ascending), first and last address as 4 big-endian 32-bit words each. */
  readonly v6Index: Uint32Array;
  readonly first6: Uint32Array;
  readonly last6: Uint32Array;
  /** Entry index → the Entry, for KIND_SIDE entries. */
  readonly side: ReadonlyMap<number, Entry>;
  readonly findings: readonly Finding[];
}

const CH_COLON = 58;
const CH_DOT = 46;
const CH_NEWLINE = 10;
const CH_SLASH = 47;

const groups = new Int32Array(8);

/** Hex digit values by ASCII code, -1 for every other character (the scan checks the code is below 0x80). */
const HEX = Int8Array.from({ length: 128 }, (_, c) => hexDigit(c));

/**
 * An IPv6 address of hex groups (with at most one "::"), optionally with "/len", filling s[start, end) exactly, into
 * 4 words at words[at]. Returns 0 without "/len", len + 1 with it, or -1 for anything else (embedded IPv4, zone ids,
 * netmasks, malformed text …): those go to parseTerm, which accepts exactly what this accepts and more.
 */
export function scanIPv6Term(s: string, start: number, end: number, words: Uint32Array, at: number): number {
  let n = 0;
  let compressAt = -1;
  let i = start;
  if (s.charCodeAt(i) === CH_COLON) {
    if (s.charCodeAt(i + 1) !== CH_COLON || i + 1 >= end) return -1;
    compressAt = 0;
    i += 2;
  }
  while (i < end && s.charCodeAt(i) !== CH_SLASH) {
    const groupStart = i;
    let group = 0;
    let h: number;
    let c: number;
    while (i < end && (c = s.charCodeAt(i)) < 0x80 && (h = HEX[c]!) >= 0) {
      group = group * 16 + h;
      i++;
    }
    const digits = i - groupStart;
    if (digits === 0 || digits > 4 || n === 8) return -1;
    groups[n++] = group;
    if (i === end || s.charCodeAt(i) === CH_SLASH) break;
    if (s.charCodeAt(i) !== CH_COLON) return -1;
    if (i + 1 < end && s.charCodeAt(i + 1) === CH_COLON) {
      if (compressAt >= 0) return -1;
      compressAt = n;
      i += 2;
      continue;
    }
    i++;
    if (i === end || s.charCodeAt(i) === CH_SLASH) return -1;
  }
  if (compressAt < 0 ? n !== 8 : n > 7) return -1;
  let result = 0;
  if (i < end) {
    i++; // the slash
    const first = i;
    let bits = 0;
    while (i < end) {
      const d = s.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return -1;
      bits = bits * 10 + d;
      i++;
    }
    const digits = i - first;
    if (digits === 0 || digits > 3 || bits > 128 || (digits > 1 && s.charCodeAt(first) === 48)) return -1;
    result = bits + 1;
  }
  const tail = compressAt < 0 ? 0 : n - compressAt;
  const head = n - tail;
  for (let w = 0; w < 4; w++) {
    const g0 = 2 * w;
    const hi = g0 < head ? groups[g0]! : g0 >= 8 - tail ? groups[g0 - (8 - n)]! : 0;
    const lo = g0 + 1 < head ? groups[g0 + 1]! : g0 + 1 >= 8 - tail ? groups[g0 + 1 - (8 - n)]! : 0;
    words[at + w] = hi * 65536 + lo;
  }
  return result;
}

/** Growable typed arrays: a paste's entry count is known only at the end. */
class Builder {
  count = 0;
  kind = new Uint8Array(0);
  line = new Uint32Array(0);
  lineStart = new Uint32Array(0);
  lineEnd = new Uint32Array(0);
  bits = new Uint8Array(0);
  hostBits = new Uint8Array(0);
  slot = new Int32Array(0);
  v4 = 0;
  v4Index = new Uint32Array(0);
  first4 = new Uint32Array(0);
  last4 = new Uint32Array(0);
  v6 = 0;
  v6Index = new Uint32Array(0);
  first6 = new Uint32Array(0);
  last6 = new Uint32Array(0);
  readonly side = new Map<number, Entry>();

  /**
   * `capacity`: what columnCapacity expects the entries to be. The per-entry and IPv4 columns are made that size once
   * (growing them by doubling past a 1M-line list copied 20 MB and left up to half of 40 MB unused); the IPv6
   * columns, 32 bytes an entry, start small and double.
   */
  constructor(
    capacity: number,
    /** Where the IPv6 columns live (absent: ordinary ArrayBuffers): shared memory, for another thread to sweep them. */
    private readonly allocate?: Allocate,
  ) {
    this.grow(capacity);
    this.growV4(capacity);
    this.growV6(Math.min(capacity, 1024));
  }

  grow(capacity: number): void {
    this.kind = resize(this.kind, capacity);
    this.line = resize(this.line, capacity);
    this.lineStart = resize(this.lineStart, capacity);
    this.lineEnd = resize(this.lineEnd, capacity);
    this.bits = resize(this.bits, capacity);
    this.hostBits = resize(this.hostBits, capacity);
    this.slot = resize(this.slot, capacity);
  }

  growV4(capacity: number): void {
    this.v4Index = resize(this.v4Index, capacity);
    this.first4 = resize(this.first4, capacity);
    this.last4 = resize(this.last4, capacity);
  }

  growV6(capacity: number): void {
    this.v6Index = resize(this.v6Index, capacity, this.allocate);
    this.first6 = resize(this.first6, capacity * 4, this.allocate);
    this.last6 = resize(this.last6, capacity * 4, this.allocate);
  }

  /** Starts entry `count` and returns its index; the caller fills kind-specific columns. */
  add(kind: number, line: number, a: number, b: number): number {
    const i = this.count;
    if (i === this.kind.length) this.grow(i * 2 + 16);
    this.kind[i] = kind;
    this.line[i] = line;
    this.lineStart[i] = a;
    this.lineEnd[i] = b;
    this.count = i + 1;
    return i;
  }

  addV4(i: number, first: number, last: number): void {
    const k = this.v4;
    if (k === this.v4Index.length) this.growV4(k * 2 + 16);
    this.v4Index[k] = i;
    this.first4[k] = first;
    this.last4[k] = last;
    this.slot[i] = k;
    this.v4 = k + 1;
  }

  /** Reserves the next IPv6 position for entry i; its words are written by the caller at 4 × position. */
  addV6(i: number): number {
    const k = this.v6;
    if (k === this.v6Index.length) this.growV6(k * 2 + 16);
    this.v6Index[k] = i;
    this.slot[i] = ~k;
    this.v6 = k + 1;
    return k;
  }
}

/** Memory for typed arrays, e.g. a SharedArrayBuffer of that many bytes. */
export type Allocate = (bytes: number) => ArrayBufferLike;

function resize<T extends Uint8Array | Uint32Array | Int32Array>(a: T, capacity: number, allocate?: Allocate): T {
  const type = a.constructor as { new (n: number): T; new (b: ArrayBufferLike): T; BYTES_PER_ELEMENT: number };
  const b = allocate === undefined ? new type(capacity) : new type(allocate(capacity * type.BYTES_PER_ELEMENT));
  b.set(a.subarray(0, Math.min(a.length, capacity)));
  return b;
}

function setBigWords(words: Uint32Array, at: number, value: bigint): void {
  for (let w = 3; w >= 0; w--) {
    words[at + w] = Number(value & 0xffffffffn);
    value >>= 32n;
  }
}

/**
 * The entries a list is expected to hold: its lines (one address per line is the usual list), but no more than one
 * per 8 characters ("1.2.3.4" and its newline), so a paste of blank or comment lines does not reserve columns for
 * each: at most about 4 bytes of columns per character before any entry is read. A list past it grows by doubling.
 */
function columnCapacity(text: string): number {
  return Math.min(countLines(text), Math.floor(text.length / 8)) + 16;
}

/**
 * Reads a plain list into columns, in one pass; the result is exactly parsePlain(text) (see plainColumnsToParseOutput).
 * `allocate` gives the memory of the IPv6 columns (a SharedArrayBuffer, for another thread to sweep them).
 */
export function scanPlainColumns(text: string, allocate?: Allocate): PlainColumns {
  const length = text.length;
  const b = new Builder(columnCapacity(text), allocate);
  const findings: Finding[] = [];
  const sink: Sink = { entries: [], findings };
  let lineNumber = 0;
  let start = 0;
  while (start < length) {
    lineNumber++;
    const fast = scanIPv4Line(text, start);
    if (fast >= 0) {
      addIPv4Line(b, fast, lineNumber, start, lineEndAt);
      start = lineEndAt + 1;
      continue;
    }
    let end = text.indexOf("\n", start);
    if (end < 0) end = length;
    let lo = start;
    let hi = end;
    while (lo < hi && isTrimmed(text.charCodeAt(lo))) lo++;
    while (hi > lo && isTrimmed(text.charCodeAt(hi - 1))) hi--;
    start = end + 1;
    if (lo === hi || isCommentStart(text, lo)) continue;
    const code = scanIPv4Term(text, lo, hi);
    if (code >= 0) addIPv4Line(b, code, lineNumber, lo, hi);
    else if (!addIPv6Line(b, text, lineNumber, lo, hi)) addOtherLine(b, text, lineNumber, lo, hi, sink);
  }
  return columnsOf(b, text, lineNumber, findings);
}

/** Where the line scanIPv4Line last accepted ends: its newline, or the text's end. */
let lineEndAt = 0;

/**
 * The line starting at `start` when it is exactly what nearly every line of a large list is, a canonical IPv4 address
 * or CIDR with nothing before or after it: its scanIPv4Term code, found in the same pass that finds the line's end
 * (lineEndAt). -1 for any other line (blanks around it, a CR, a comment, leading zeros, IPv6 …), which the caller
 * reads the usual way: a line accepted here is one scanIPv4Term accepts on the trimmed line, with the same code.
 */
function scanIPv4Line(s: string, start: number): number {
  let i = start;
  let value = 0;
  for (let part = 0; part < 4; part++) {
    if (part > 0) {
      if (s.charCodeAt(i) !== CH_DOT) return -1;
      i++;
    }
    const octet = decimalAt(s, i, 3, 255);
    if (octet < 0) return -1;
    value = value * 256 + octet;
    i = decimalEnd;
  }
  let code = value * 64;
  if (s.charCodeAt(i) === CH_SLASH) {
    const bits = decimalAt(s, i + 1, 2, 32);
    if (bits < 0) return -1;
    code += bits + 1;
    i = decimalEnd;
  }
  if (i < s.length && s.charCodeAt(i) !== CH_NEWLINE) return -1;
  lineEndAt = i;
  return code;
}

/** Where the number decimalAt last read ends. */
let decimalEnd = 0;

/**
 * The decimal number at s[i] as scanIPv4Term takes an octet or a prefix length: 1 to `maxDigits` digits, no leading
 * zero, at most `max`; -1 otherwise. Past the text's end charCodeAt is NaN, which is no digit.
 */
function decimalAt(s: string, i: number, maxDigits: number, max: number): number {
  let k = i;
  let value = 0;
  let d = s.charCodeAt(k) - 48;
  while (d >= 0 && d <= 9) {
    value = value * 10 + d;
    d = s.charCodeAt(++k) - 48;
  }
  const digits = k - i;
  if (digits === 0 || digits > maxDigits || value > max || (digits > 1 && s.charCodeAt(i) === 48)) return -1;
  decimalEnd = k;
  return value;
}

/** A line that is one canonical IPv4 address or CIDR (a scanIPv4Term code). */
function addIPv4Line(b: Builder, code: number, lineNumber: number, lo: number, hi: number): void {
  // The code is above 2^32: a remainder of it would be a floating-point one (a call per line), a floor is not.
  const value = Math.floor(code / 64);
  const bitsPlusOne = code - value * 64;
  if (bitsPlusOne === 0) {
    b.addV4(b.add(KIND_V4_ADDRESS, lineNumber, lo, hi), value, value);
    return;
  }
  const i = b.add(KIND_V4_CIDR, lineNumber, lo, hi);
  const bits = bitsPlusOne - 1;
  // The network and its last address by shifts on the 32-bit value (a /0 shifts by 32, which JavaScript takes as 0).
  const first = bits === 0 ? 0 : ((value >>> (32 - bits)) << (32 - bits)) >>> 0;
  const last = bits === 32 ? value : (first | (0xffffffff >>> bits)) >>> 0;
  b.bits[i] = bits;
  b.hostBits[i] = first === value ? 0 : 1;
  b.addV4(i, first, last);
}

/** A line that is one IPv6 address or CIDR; false (nothing added) when it is not. */
function addIPv6Line(b: Builder, text: string, lineNumber: number, lo: number, hi: number): boolean {
  // Only a line that could be IPv6 is tried as one: the first character is a hex digit or ':'.
  const c = text.charCodeAt(lo);
  if (c !== CH_COLON && hexDigit(c) < 0) return false;
  if (b.v6 === b.v6Index.length) b.growV6(b.v6 * 2 + 16);
  const k = b.v6;
  const r = scanIPv6Term(text, lo, hi, b.first6, k * 4);
  if (r < 0) return false;
  const i = b.add(r === 0 ? KIND_V6_ADDRESS : KIND_V6_CIDR, lineNumber, lo, hi);
  b.addV6(i);
  const f = b.first6;
  const l = b.last6;
  if (r === 0) {
    for (let w = 0; w < 4; w++) l[k * 4 + w] = f[k * 4 + w]!;
    return true;
  }
  const bits = r - 1;
  b.bits[i] = bits;
  let host = 0;
  for (let w = 0; w < 4; w++) {
    // Bits of this word that belong to the network: the rest are host bits.
    const keep = Math.min(32, Math.max(0, bits - 32 * w));
    const mask = keep === 0 ? 0 : keep === 32 ? 0xffffffff : (0xffffffff << (32 - keep)) >>> 0;
    const v = f[k * 4 + w]!;
    const network = (v & mask) >>> 0;
    if (network !== v) host = 1;
    f[k * 4 + w] = network;
    l[k * 4 + w] = (network | ~mask) >>> 0;
  }
  b.hostBits[i] = host;
  return true;
}

/** Any other line: read by scanTerms as parsePlain reads it, each entry kept whole on the side. */
function addOtherLine(b: Builder, text: string, lineNumber: number, lo: number, hi: number, sink: Sink): void {
  const lineText = text.slice(lo, hi);
  sink.entries.length = 0;
  scanTerms(lineText, lineNumber, lineText, sink);
  for (const e of sink.entries) {
    const i = b.add(KIND_SIDE, lineNumber, lo, hi);
    b.side.set(i, e);
    if (e.prefix !== undefined && hasHostBits(e.prefix)) b.hostBits[i] = 1;
    if (e.range.first.family === 4) {
      b.addV4(i, Number(e.range.first.value), Number(e.range.last.value));
    } else {
      const k = b.addV6(i);
      setBigWords(b.first6, k * 4, e.range.first.value);
      setBigWords(b.last6, k * 4, e.range.last.value);
    }
  }
}

function columnsOf(b: Builder, text: string, lineCount: number, findings: Finding[]): PlainColumns {
  return {
    text,
    count: b.count,
    lineCount,
    kind: b.kind,
    line: b.line,
    lineStart: b.lineStart,
    lineEnd: b.lineEnd,
    bits: b.bits,
    hostBits: b.hostBits,
    slot: b.slot,
    v4Index: b.v4Index.subarray(0, b.v4),
    first4: b.first4.subarray(0, b.v4),
    last4: b.last4.subarray(0, b.v4),
    v6Index: b.v6Index.subarray(0, b.v6),
    first6: b.first6.subarray(0, b.v6 * 4),
    last6: b.last6.subarray(0, b.v6 * 4),
    side: b.side,
    findings,
  };
}

/** The token of entry i as written. */
export function columnToken(c: PlainColumns, i: number): string {
  return c.side.get(i)?.token ?? c.text.slice(c.lineStart[i]!, c.lineEnd[i]!);
}

/** Entry i as parsePlain builds it (for the few entries that need set arithmetic, and for the object form). */
export function columnEntry(c: PlainColumns, i: number): Entry {
  const side = c.side.get(i);
  if (side !== undefined) return side;
  const a = c.lineStart[i]!;
  const b = c.lineEnd[i]!;
  const line = c.line[i]!;
  const text = c.text.slice(a, b);
  const kind = c.kind[i]!;
  if (kind === KIND_V4_ADDRESS || kind === KIND_V4_CIDR)
    return fastIPv4Entry(scanIPv4Term(c.text, a, b), line, text, text);
  // parsePlain reads such a line with scanTerms: one token, the whole line, through parseTerm.
  const term = parseTerm(text);
  if (!term.ok) throw new Error(`columns out of step with parseTerm at line ${line}`);
  return term.prefix === undefined
    ? { line, text, token: text, range: term.range, kind: term.kind, action: "allow", direction: "in" }
    : {
        line,
        text,
        token: text,
        range: term.range,
        kind: term.kind,
        prefix: term.prefix,
        action: "allow",
        direction: "in",
      };
}

/** The object form: equal to parsePlain(c.text). */
export function plainColumnsToParseOutput(c: PlainColumns): ParseOutput {
  const entries: Entry[] = [];
  for (let i = 0; i < c.count; i++) entries.push(columnEntry(c, i));
  return { format: "plain", entries, findings: c.findings, lineCount: c.lineCount, notes: [] };
}
