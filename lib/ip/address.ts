import type { Address, Family, IpErrorCode, Parsed } from "./types";

const MAX_V4 = 0xffffffffn;
const MAX_V6 = (1n << 128n) - 1n;
const MAPPED_PREFIX = 0xffffn; // ::ffff:0:0/96, the value above the low 32 bits

/** A scan failure before it is wrapped with the input: kept small so the hot path allocates little. */
export interface ScanError {
  readonly message: string;
  readonly position: number;
  /** Absent means "invalid". */
  readonly code?: IpErrorCode;
}

const LEADING_ZERO = "leading zero is ambiguous (octal?)";

export function fail<T>(input: string, message: string, position: number, code: IpErrorCode = "invalid"): Parsed<T> {
  return { ok: false, error: { input, message, position, code } };
}

export function maxValue(family: Family): bigint {
  return family === 4 ? MAX_V4 : MAX_V6;
}

export function addressBits(family: Family): 32 | 128 {
  return family === 4 ? 32 : 128;
}

/** Trusted constructor for values already known to be in range. */
export function newAddress(family: Family, value: bigint): Address {
  return Object.freeze({ family, value });
}

/** Builds an address, checking that the value fits the family. Throws RangeError: a programming error, not input. */
export function makeAddress(family: Family, value: bigint): Address {
  if (family !== 4 && family !== 6) throw new RangeError(`unknown address family ${String(family)}`);
  if (value < 0n || value > maxValue(family)) {
    throw new RangeError(`value ${value} does not fit an IPv${family} address`);
  }
  return newAddress(family, value);
}

function describeChar(text: string, i: number): string {
  const ch = text[i] ?? "";
  if (ch.trim() === "") return "unexpected whitespace (the caller should trim)";
  return `unexpected character ${JSON.stringify(ch)}`;
}

/**
 * Scans a dotted quad in text[start, end) into a number (0 … 2^32-1), char code by char code:
 * no regex or split, because 1M-line pastes go through here.
 */
export function scanIPv4(text: string, start: number, end: number): number | ScanError {
  if (start >= end) return { message: "empty address", position: start };
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  let octetStart = start;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (digits === 1 && octet === 0) return { message: LEADING_ZERO, position: octetStart, code: "ambiguous" };
      octet = octet * 10 + (c - 48);
      digits++;
      if (octet > 255) return { message: "octet is greater than 255", position: octetStart };
    } else if (c === 46) {
      if (digits === 0) return { message: "empty octet", position: i };
      if (dots === 3) return { message: "too many octets (an IPv4 address has exactly 4)", position: i };
      value = value * 256 + octet;
      dots++;
      octet = 0;
      digits = 0;
      octetStart = i + 1;
    } else if ((c === 120 || c === 88) && digits === 1 && octet === 0) {
      return { message: "hexadecimal octets are not allowed", position: octetStart, code: "ambiguous" };
    } else {
      return { message: describeChar(text, i), position: i };
    }
  }
  if (digits === 0) return { message: "empty octet", position: end };
  if (dots < 3) {
    return {
      message: `expected 4 octets, found ${dots + 1} (shorthand like "10.1" is not allowed)`,
      position: end,
      code: "ambiguous",
    };
  }
  return value * 256 + octet;
}

/** The value of a hex digit's char code, or -1. */
export function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Scans any RFC 4291 text form (compressed, full, embedded IPv4) of a whole string into a 128-bit value. */
export function scanIPv6(text: string): bigint | ScanError {
  const n = text.length;
  if (n === 0) return { message: "empty address", position: 0 };
  const zone = text.indexOf("%");
  if (zone >= 0) {
    return { message: `zone id "${text.slice(zone)}" is not allowed (only a plain address)`, position: zone };
  }
  if (text.charCodeAt(0) === 91) return { message: "brackets are not allowed around an address", position: 0 };

  const groups: number[] = [];
  let compressAt = -1; // index in groups where "::" stands
  let compressPos = -1; // character position of "::"
  let i = 0;
  if (text.charCodeAt(0) === 58) {
    if (text.charCodeAt(1) !== 58) return { message: "an address cannot start with a single ':'", position: 0 };
    compressAt = 0;
    compressPos = 0;
    i = 2;
  }
  while (i < n) {
    const groupStart = i;
    let group = 0;
    let h: number;
    while (i < n && (h = hexDigit(text.charCodeAt(i))) >= 0) {
      group = group * 16 + h;
      i++;
    }
    const c = text.charCodeAt(i);
    if (c === 46) {
      // Embedded IPv4: it must be the last 32 bits.
      if (groups.length > 6)
        return { message: "too many groups before the embedded IPv4 address", position: groupStart };
      const v4 = scanIPv4(text, groupStart, n);
      if (typeof v4 !== "number") return v4;
      groups.push(Math.floor(v4 / 65536), v4 % 65536);
      i = n;
      break;
    }
    const digits = i - groupStart;
    if (digits === 0) {
      if (c === 58) return { message: "':::' is not valid", position: i - 2 };
      return { message: describeChar(text, i), position: i };
    }
    if (digits > 4) return { message: "a group has more than 4 hex digits", position: groupStart };
    if (groups.length === 8) return { message: "too many groups (an IPv6 address has 8)", position: groupStart };
    groups.push(group);
    if (i === n) break;
    if (c !== 58) return { message: describeChar(text, i), position: i };
    if (text.charCodeAt(i + 1) === 58) {
      if (compressAt >= 0) return { message: "'::' may appear only once", position: i };
      compressAt = groups.length;
      compressPos = i;
      i += 2;
      continue;
    }
    i++;
    if (i === n) return { message: "an address cannot end with a single ':'", position: i - 1 };
  }

  if (compressAt < 0 && groups.length !== 8) {
    return { message: `expected 8 groups, found ${groups.length}`, position: n };
  }
  if (compressAt >= 0 && groups.length > 7) {
    return {
      message: "'::' must stand for at least one group, but 8 groups are already written",
      position: compressPos,
    };
  }
  // Groups written after "::" sit at the end; the 32-bit words left zero by "::" cost no bigint arithmetic.
  const tail = compressAt < 0 ? 0 : groups.length - compressAt;
  const head = groups.length - tail;
  let value = 0n;
  for (let w = 0; w < 4; w++) {
    const word = groupAt(groups, head, tail, 2 * w) * 65536 + groupAt(groups, head, tail, 2 * w + 1);
    if (word !== 0) value |= BigInt(word) << WORD_SHIFTS[w]!;
  }
  return value;
}

const WORD_SHIFTS: readonly bigint[] = [96n, 64n, 32n, 0n];

/** Group `at` (0–7) of the full address: the first `head` groups as written, the last `tail` ones after "::". */
function groupAt(groups: readonly number[], head: number, tail: number, at: number): number {
  if (at < head) return groups[at] ?? 0;
  if (at >= 8 - tail) return groups[head + at - (8 - tail)] ?? 0;
  return 0;
}

export function parseIPv4(text: string): Parsed<Address> {
  const r = scanIPv4(text, 0, text.length);
  if (typeof r === "number") return { ok: true, value: newAddress(4, BigInt(r)) };
  return fail(text, r.message, r.position, r.code);
}

export function parseIPv6(text: string): Parsed<Address> {
  if (text.indexOf(":") < 0 && text.length > 0 && text.indexOf("%") < 0 && text.charCodeAt(0) !== 91) {
    return fail(text, "not an IPv6 address (no ':')", 0);
  }
  const r = scanIPv6(text);
  if (typeof r === "bigint") return { ok: true, value: newAddress(6, r) };
  return fail(text, r.message, r.position, r.code);
}

/** Strict parse of one address; the family is decided by the presence of ':' (IPv4 text never has one). */
export function parseAddress(text: string): Parsed<Address> {
  if (text.indexOf(":") >= 0 || text.charCodeAt(0) === 91) return parseIPv6(text);
  return parseIPv4(text);
}

export function mustParseAddress(text: string): Address {
  const r = parseAddress(text);
  if (!r.ok) throw new Error(`invalid address ${JSON.stringify(text)}: ${r.error.message} at ${r.error.position}`);
  return r.value;
}

function formatIPv4Value(v: number): string {
  return `${Math.floor(v / 16777216)}.${Math.floor(v / 65536) % 256}.${Math.floor(v / 256) % 256}.${v % 256}`;
}

/** RFC 5952 text. `mixed` prints ::ffff:a.b.c.d for IPv4-mapped values (masks turn it off). */
export function formatIPv6Value(value: bigint, mixed: boolean): string {
  if (mixed && value >> 32n === MAPPED_PREFIX) return `::ffff:${formatIPv4Value(Number(value & MAX_V4))}`;
  const groups: number[] = new Array<number>(8);
  for (let g = 0; g < 8; g++) groups[g] = Number((value >> BigInt(112 - 16 * g)) & 0xffffn);
  // Longest run of >= 2 zero groups; the first one wins a tie.
  let bestStart = -1;
  let bestLen = 1;
  for (let g = 0; g < 8;) {
    if (groups[g] !== 0) {
      g++;
      continue;
    }
    let end = g;
    while (end < 8 && groups[end] === 0) end++;
    if (end - g > bestLen) {
      bestStart = g;
      bestLen = end - g;
    }
    g = end;
  }
  const hex = (from: number, to: number) =>
    groups
      .slice(from, to)
      .map((x) => x.toString(16))
      .join(":");
  if (bestStart < 0) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLen, 8)}`;
}

export function formatAddress(a: Address): string {
  return a.family === 4 ? formatIPv4Value(Number(a.value)) : formatIPv6Value(a.value, true);
}

/** All IPv4 addresses sort before all IPv6 ones, then by value. */
export function compareAddress(a: Address, b: Address): number {
  if (a.family !== b.family) return a.family - b.family;
  return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
}

export function addressEquals(a: Address, b: Address): boolean {
  return a.family === b.family && a.value === b.value;
}

export function isIPv4Mapped(a: Address): boolean {
  return a.family === 6 && a.value >> 32n === MAPPED_PREFIX;
}

/** ::ffff:a.b.c.d → a.b.c.d; every other address is returned unchanged. */
export function unmap(a: Address): Address {
  return isIPv4Mapped(a) ? newAddress(4, a.value & MAX_V4) : a;
}
