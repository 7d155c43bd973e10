import { addressBits, compareAddress, fail, formatAddress, newAddress, parseAddress, type ScanError } from "./address";
import { formatPrefix, newPrefix } from "./prefix";
import type { Address, Parsed, Prefix, Range } from "./types";

/** Trusted constructor: same family and first <= last already known. */
export function newRange(first: Address, last: Address): Range {
  return Object.freeze({ first, last });
}

export function makeRange(first: Address, last: Address): Parsed<Range> {
  const text = `${formatAddress(first)}-${formatAddress(last)}`;
  if (first.family !== last.family) return fail(text, "range ends are of different address families", 0);
  if (first.value > last.value) return fail(text, "range start is after its end", 0);
  return { ok: true, value: newRange(first, last) };
}

export function rangeOf(a: Address): Range {
  return newRange(a, a);
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

/** "a-b" or "a - b": two full addresses of one family, first <= last. */
export function parseRange(text: string): Parsed<Range> {
  const dash = text.indexOf("-");
  if (dash < 0) return fail(text, "missing '-' between the range ends", text.length);
  let leftEnd = dash;
  while (leftEnd > 0 && isBlank(text.charCodeAt(leftEnd - 1))) leftEnd--;
  let rightStart = dash + 1;
  while (rightStart < text.length && isBlank(text.charCodeAt(rightStart))) rightStart++;
  if (leftEnd === 0) return fail(text, "missing range start before '-'", 0);
  if (rightStart === text.length) return fail(text, "missing range end after '-'", text.length);
  const first = parseAddress(text.slice(0, leftEnd));
  if (!first.ok) return fail(text, first.error.message, first.error.position, first.error.code);
  const last = parseAddress(text.slice(rightStart));
  if (!last.ok) return fail(text, last.error.message, rightStart + last.error.position, last.error.code);
  if (first.value.family !== last.value.family) {
    return fail(text, "range ends are of different address families", rightStart);
  }
  if (first.value.value > last.value.value) return fail(text, "range start is after its end", rightStart);
  return { ok: true, value: newRange(first.value, last.value) };
}

/**
 * IPv4 with trailing "*" octets: "13.232.152.*" → 13.232.152.0-13.232.152.255. All four parts must be written,
 * since "13.*" could mean /8 or /16 depending on the tool.
 */
export function parseTrailingWildcard(text: string): Parsed<Range> {
  if (text === "*") return fail(text, "a lone '*' is ambiguous (any IPv4? any IPv6?); write 0.0.0.0/0", 0, "ambiguous");
  const colon = text.indexOf(":");
  if (colon >= 0) return fail(text, "'*' wildcards are accepted for IPv4 only", colon);
  let value = 0;
  let stars = 0;
  let start = 0;
  for (let part = 0; part < 4; part++) {
    let end = text.indexOf(".", start);
    if (end < 0) {
      if (part < 3) {
        return fail(
          text,
          `expected 4 parts, found ${part + 1} (a short wildcard is ambiguous)`,
          text.length,
          "ambiguous",
        );
      }
      end = text.length;
    } else if (part === 3) {
      return fail(text, "too many parts (an IPv4 address has exactly 4)", end);
    }
    if (end - start === 1 && text.charCodeAt(start) === 42) {
      stars++;
      value *= 256;
    } else {
      if (stars > 0) return fail(text, "a wildcard '*' may only be followed by more '*' parts", start);
      const octet = scanOctet(text, start, end);
      if (typeof octet !== "number") return fail(text, octet.message, octet.position, octet.code);
      value = value * 256 + octet;
    }
    start = end + 1;
  }
  if (stars === 0) return fail(text, "no '*' wildcard part", 0);
  const span = 256 ** stars;
  return { ok: true, value: newRange(newAddress(4, BigInt(value)), newAddress(4, BigInt(value + span - 1))) };
}

function scanOctet(text: string, start: number, end: number): number | ScanError {
  if (start === end) return { message: "empty octet", position: start };
  let octet = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) {
      const message = c === 42 ? "'*' must be a whole part" : `unexpected character ${JSON.stringify(text[i])}`;
      return { message, position: i };
    }
    if (i > start && octet === 0)
      return { message: "leading zero is ambiguous (octal?)", position: start, code: "ambiguous" };
    octet = octet * 10 + (c - 48);
    if (octet > 255) return { message: "octet is greater than 255", position: start };
  }
  return octet;
}

export function rangeContains(r: Range, a: Address): boolean {
  return a.family === r.first.family && a.value >= r.first.value && a.value <= r.last.value;
}

export function rangeContainsRange(outer: Range, inner: Range): boolean {
  return (
    outer.first.family === inner.first.family &&
    inner.first.value >= outer.first.value &&
    inner.last.value <= outer.last.value
  );
}

export function rangesOverlap(a: Range, b: Range): boolean {
  return a.first.family === b.first.family && a.first.value <= b.last.value && b.first.value <= a.last.value;
}

export function rangeSize(r: Range): bigint {
  return r.last.value - r.first.value + 1n;
}

/** By first address, then by last. */
export function compareRange(a: Range, b: Range): number {
  return compareAddress(a.first, b.first) || compareAddress(a.last, b.last);
}

export function rangeEquals(a: Range, b: Range): boolean {
  return a.first.family === b.first.family && a.first.value === b.first.value && a.last.value === b.last.value;
}

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/** The largest aligned block starting at `first` that does not pass `last`, as a host-bit count. */
function blockBits(first: bigint, last: bigint, width: number): number {
  const aligned = first === 0n ? width : bitLength(first & -first) - 1;
  const fits = bitLength(last - first + 1n) - 1;
  return Math.min(aligned, fits);
}

function blockBits32(first: number, last: number): number {
  const aligned = first === 0 ? 32 : 31 - Math.clz32(first & -first);
  const count = last - first + 1;
  const fits = count === 4294967296 ? 32 : 31 - Math.clz32(count);
  return Math.min(aligned, fits);
}

/** Minimal list of masked prefixes covering exactly r, ascending. */
export function rangeToPrefixes(r: Range): Prefix[] {
  const family = r.first.family;
  const out: Prefix[] = [];
  if (family === 4) {
    // Numbers are exact up to 2^32 and much faster than bigint here.
    let first = Number(r.first.value);
    const last = Number(r.last.value);
    while (first <= last) {
      const host = blockBits32(first, last);
      out.push(newPrefix(newAddress(4, BigInt(first)), 32 - host));
      first += 2 ** host;
    }
    return out;
  }
  const width = addressBits(family);
  let first = r.first.value;
  const last = r.last.value;
  while (first <= last) {
    const host = blockBits(first, last, width);
    out.push(newPrefix(newAddress(family, first), width - host));
    first += 1n << BigInt(host);
  }
  return out;
}

/** The prefix that is exactly r, if there is one. */
export function rangeAsPrefix(r: Range): Prefix | undefined {
  const width = addressBits(r.first.family);
  const host = blockBits(r.first.value, r.last.value, width);
  if (r.first.value + (1n << BigInt(host)) - 1n !== r.last.value) return undefined;
  return newPrefix(r.first, width - host);
}

/** "a" for one address, "a/len" for an exact prefix, otherwise "a-b". */
export function formatRange(r: Range): string {
  if (r.first.value === r.last.value) return formatAddress(r.first);
  const p = rangeAsPrefix(r);
  return p ? formatPrefix(p) : `${formatAddress(r.first)}-${formatAddress(r.last)}`;
}
