import { addressBits, compareAddress, fail, formatAddress, newAddress, parseAddress } from "./address";
import { hostMaskValue, maskValue } from "./mask";
import type { Address, Parsed, Prefix, Range } from "./types";

/** Trusted constructor: bits already checked against the family. */
export function newPrefix(address: Address, bits: number): Prefix {
  return Object.freeze({ address, bits });
}

/** Builds a prefix, checking the length. Throws RangeError: a programming error, not input. */
export function makePrefix(address: Address, bits: number): Prefix {
  maskValue(bits, address.family);
  return newPrefix(address, bits);
}

/** Scans a decimal prefix length in text[start, end): no sign, no leading zeros, at most `max`. */
function scanLength(text: string, start: number, max: number): number | { message: string; position: number } {
  const end = text.length;
  if (start === end) return { message: "missing prefix length after '/'", position: start };
  // Characters first, so "/255.255.255.0" is reported as a netmask rather than as a too-large number.
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 || c === 58) {
      return { message: "a mask after '/' is not a prefix length (write the length, e.g. /24)", position: start };
    }
    if (c < 48 || c > 57) {
      return { message: `unexpected character ${JSON.stringify(text[i])} in prefix length`, position: i };
    }
  }
  if (end - start > 1 && text.charCodeAt(start) === 48)
    return { message: "leading zero in prefix length", position: start };
  let bits = 0;
  for (let i = start; i < end && bits <= max; i++) bits = bits * 10 + (text.charCodeAt(i) - 48);
  if (bits > max) return { message: `prefix length is greater than ${max}`, position: start };
  return bits;
}

/** "addr/len", the address kept exactly as written (host bits may be set). */
export function parsePrefix(text: string): Parsed<Prefix> {
  const slash = text.indexOf("/");
  if (slash < 0) return fail(text, "missing '/length'", text.length);
  const a = parseAddress(text.slice(0, slash));
  if (!a.ok) return fail(text, a.error.message, a.error.position, a.error.code);
  const bits = scanLength(text, slash + 1, addressBits(a.value.family));
  if (typeof bits !== "number") return fail(text, bits.message, bits.position);
  return { ok: true, value: newPrefix(a.value, bits) };
}

/** Like parsePrefix, but a bare address is a /32 or /128. */
export function parsePrefixOrAddress(text: string): Parsed<Prefix> {
  if (text.indexOf("/") >= 0) return parsePrefix(text);
  const a = parseAddress(text);
  if (!a.ok) return a;
  return { ok: true, value: newPrefix(a.value, addressBits(a.value.family)) };
}

export function mustParsePrefix(text: string): Prefix {
  const r = parsePrefix(text);
  if (!r.ok) throw new Error(`invalid prefix ${JSON.stringify(text)}: ${r.error.message} at ${r.error.position}`);
  return r.value;
}

export function formatPrefix(p: Prefix): string {
  return `${formatAddress(p.address)}/${p.bits}`;
}

export function hasHostBits(p: Prefix): boolean {
  return (p.address.value & hostMaskValue(p.bits, p.address.family)) !== 0n;
}

/** The network prefix: host bits cleared. */
export function maskPrefix(p: Prefix): Prefix {
  if (!hasHostBits(p)) return p;
  return newPrefix(newAddress(p.address.family, p.address.value & maskValue(p.bits, p.address.family)), p.bits);
}

/** All addresses of the masked network. */
export function prefixRange(p: Prefix): Range {
  const f = p.address.family;
  const host = hostMaskValue(p.bits, f);
  const first = p.address.value & ~host;
  const last = first | host;
  return Object.freeze({ first: newAddress(f, first), last: newAddress(f, last) });
}

export function prefixContains(p: Prefix, a: Address): boolean {
  if (p.address.family !== a.family) return false;
  const mask = maskValue(p.bits, a.family);
  return (a.value & mask) === (p.address.value & mask);
}

export function prefixSize(p: Prefix): bigint {
  return 1n << BigInt(addressBits(p.address.family) - p.bits);
}

/** Orders prefixes by their address, then shorter (wider) first. */
export function comparePrefix(a: Prefix, b: Prefix): number {
  return compareAddress(a.address, b.address) || a.bits - b.bits;
}

export function prefixEquals(a: Prefix, b: Prefix): boolean {
  return a.bits === b.bits && a.address.family === b.address.family && a.address.value === b.address.value;
}
