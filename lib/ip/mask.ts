import { addressBits, fail, formatIPv6Value, maxValue, parseAddress } from "./address";
import type { Address, Family, Parsed } from "./types";

const NETMASKS: Record<Family, bigint[]> = { 4: masksFor(32), 6: masksFor(128) };
const HOSTMASKS: Record<Family, bigint[]> = {
  4: NETMASKS[4].map((m) => m ^ maxValue(4)),
  6: NETMASKS[6].map((m) => m ^ maxValue(6)),
};

function masksFor(width: number): bigint[] {
  const all = (1n << BigInt(width)) - 1n;
  const out: bigint[] = [];
  for (let bits = 0; bits <= width; bits++) out.push(all ^ ((1n << BigInt(width - bits)) - 1n));
  return out;
}

/** Table lookup: prefix operations run per line of large pastes. Any non-integer or out-of-range length misses. */
function lookup(table: Record<Family, bigint[]>, bits: number, family: Family): bigint {
  const m = table[family]?.[bits];
  if (m === undefined) throw new RangeError(`prefix length ${bits} is out of range for IPv${family}`);
  return m;
}

/** The network mask value of a prefix length: `bits` ones followed by zeros. */
export function maskValue(bits: number, family: Family): bigint {
  return lookup(NETMASKS, bits, family);
}

/** The host part of a prefix length: the complement of its mask. */
export function hostMaskValue(bits: number, family: Family): bigint {
  return lookup(HOSTMASKS, bits, family);
}

/** Prefix length of a contiguous mask value, or -1 when the ones are not all leading. */
function bitsOfMask(value: bigint, family: Family): number {
  const width = addressBits(family);
  const hostBits = value === maxValue(family) ? 0 : (maxValue(family) ^ value).toString(2).length;
  const bits = width - hostBits;
  return NETMASKS[family][bits] === value ? bits : -1;
}

/** Character position of the IPv4 octet holding the first bit that breaks contiguity; 0 for IPv6 text. */
function breakPosition(text: string, a: Address, expected: number, wildcard: boolean): number {
  if (a.family !== 4) return 0;
  const ideal = NETMASKS[4][expected] as bigint;
  const diff = (wildcard ? a.value ^ 0xffffffffn : a.value) ^ ideal;
  const octet = 3 - Math.floor((diff.toString(2).length - 1) / 8);
  let pos = 0;
  for (let k = 0; k < octet; k++) pos = text.indexOf(".", pos) + 1;
  return pos;
}

function parseMask(text: string, wildcard: boolean): Parsed<number> {
  const r = parseAddress(text);
  if (!r.ok) return r;
  const a = r.value;
  const value = wildcard ? a.value ^ maxValue(a.family) : a.value;
  const bits = bitsOfMask(value, a.family);
  if (bits >= 0) return { ok: true, value: bits };
  // The longest run of leading ones tells the user where the mask stops being contiguous.
  let ones = 0;
  while (ones < addressBits(a.family) && (value & NETMASKS[a.family][ones + 1]!) === NETMASKS[a.family][ones + 1])
    ones++;
  const what = wildcard ? "wildcard mask" : "netmask";
  const shape = wildcard ? "zeros followed only by ones" : "ones followed only by zeros";
  return fail(text, `${what} is not contiguous (${shape})`, breakPosition(text, a, ones, wildcard));
}

/** "255.255.255.0" → 24, "ffff:ffff::" → 32. Non-contiguous masks are errors. */
export function parseNetmask(text: string): Parsed<number> {
  return parseMask(text, false);
}

/** Cisco wildcard (inverse) mask: "0.0.0.255" → 24. Non-contiguous wildcards are valid in IOS, but reported here. */
export function parseWildcardMask(text: string): Parsed<number> {
  return parseMask(text, true);
}

function formatMask(value: bigint, family: Family): string {
  if (family === 6) return formatIPv6Value(value, false);
  const v = Number(value);
  return `${Math.floor(v / 16777216)}.${Math.floor(v / 65536) % 256}.${Math.floor(v / 256) % 256}.${v % 256}`;
}

export function netmaskFromBits(bits: number, family: Family): string {
  return formatMask(maskValue(bits, family), family);
}

export function wildcardFromBits(bits: number, family: Family): string {
  return formatMask(hostMaskValue(bits, family), family);
}
