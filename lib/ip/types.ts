/** Address family. IPv4 and IPv6 are never mixed inside one value. */
export type Family = 4 | 6;

/** A single address: a small frozen value. `::ffff:a.b.c.d` stays family 6 until `unmap()`. */
export interface Address {
  readonly family: Family;
  readonly value: bigint;
}

/** A prefix keeps the address exactly as written: host bits may be set (see `hasHostBits`, `maskPrefix`). */
export interface Prefix {
  readonly address: Address;
  readonly bits: number;
}

/** An inclusive range of addresses of one family, first <= last. */
export interface Range {
  readonly first: Address;
  readonly last: Address;
}

/** Why a text did not parse: the input, a human sentence, and the 0-based character position of the problem. */
export interface IpParseError {
  readonly input: string;
  readonly message: string;
  readonly position: number;
}

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: IpParseError };
