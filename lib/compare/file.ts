import { MAX_INPUT_BYTES } from "../parse/registry";

export type FileCheck = { ok: true; text: string } | { ok: false; error: string };

/** How much of a file is sampled for the binary test: enough to see a header, cheap for 20 MB. */
const SAMPLE_BYTES = 64 * 1024;
/** Above this share of control bytes a file is not text (UTF-8 letters and accents are text). */
const BINARY_SHARE = 0.3;

export function formatMegabytes(bytes: number): string {
  const mb = bytes / 1024 / 1024;
  return `${mb >= 10 ? mb.toFixed(0) : mb.toFixed(1)} MB`;
}

/** A size check before reading: a file over the limit is refused without loading it. */
export function checkFileSize(name: string, size: number, maxBytes = MAX_INPUT_BYTES): FileCheck | undefined {
  if (size <= maxBytes) return undefined;
  return {
    ok: false,
    error: `“${name}” is ${formatMegabytes(size)}, over the ${formatMegabytes(maxBytes)} limit. Split it, or check it with the command line (allowlist diff --input FILE).`,
  };
}

/** True when the bytes look like a binary file: a NUL byte, or more than 30% control characters. */
export function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, SAMPLE_BYTES);
  if (n === 0) return false;
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b === 0) return true;
    // Tab, LF, FF and CR are text; every other C0 byte and DEL is not.
    if ((b < 32 && b !== 9 && b !== 10 && b !== 12 && b !== 13) || b === 127) control++;
  }
  return control / n > BINARY_SHARE;
}

/** Checks and decodes an uploaded or dropped file's bytes (UTF-8, a BOM dropped). */
export function decodeFile(name: string, bytes: Uint8Array, maxBytes = MAX_INPUT_BYTES): FileCheck {
  const tooBig = checkFileSize(name, bytes.length, maxBytes);
  if (tooBig) return tooBig;
  if (looksBinary(bytes)) {
    return {
      ok: false,
      error: `“${name}” looks like a binary file (an archive, image or compiled file), not a text config. Export the rules as text (e.g. iptables-save, show running-config) and load that.`,
    };
  }
  return { ok: true, text: new TextDecoder("utf-8").decode(bytes) };
}
