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

/**
 * What kind of failure: "ambiguous" when the text could be read more than one way and is refused rather than guessed
 * (leading zeros that may be octal, "10.1" shorthand, hexadecimal octets, a lone or short "*" wildcard);
 * "invalid" otherwise. Callers decide by this code, never by the message text.
 */
export type IpErrorCode = "invalid" | "ambiguous";

/** Why a text did not parse: the input, a human sentence, the 0-based character position of the problem, and its code. */
export interface IpParseError {
  readonly input: string;
  readonly message: string;
  readonly position: number;
  readonly code: IpErrorCode;
}

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: IpParseError };
