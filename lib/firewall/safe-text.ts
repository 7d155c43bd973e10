/**
 * What a name (or a description) may contain. Text people read in lists, logs and exports must show what it is:
 * control characters (NUL …), format characters (zero-width spaces and joiners, soft hyphens, byte-order marks,
 * bidirectional overrides and isolates, which can make "evil" display as "live"), line/paragraph separators and lone
 * surrogates (which cannot even be stored as UTF-8) are refused with the position and code point; the rest is
 * normalised to NFC, so "é" typed two ways is one name. One refinement for the forms, the server actions and the API.
 */
import { z } from "zod";
import "../zod-jitless";

/** Tab and line breaks, allowed where the field is multi-line. */
const LINE_BREAKS = new Set([0x09, 0x0a, 0x0d]);
const REFUSED = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

function describe(cp: number): string {
  if (cp >= 0xd800 && cp <= 0xdfff) return "half of a character (a lone surrogate)";
  if (cp === 0) return "a NUL character";
  if (
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2066 && cp <= 0x2069) ||
    cp === 0x200e ||
    cp === 0x200f ||
    cp === 0x061c
  )
    return "a text-direction control";
  if (cp === 0x200b || cp === 0x200c || cp === 0x200d || cp === 0x2060 || cp === 0xfeff)
    return "an invisible zero-width character";
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) return "a control character";
  return "an invisible formatting character";
}

/** The first refused character of `text`: its 1-based position and what it is, or null. */
export function refusedCharacter(
  text: string,
  multiline: boolean,
): { position: number; codePoint: number; what: string } | null {
  let position = 0;
  for (const ch of text) {
    position++;
    const cp = ch.codePointAt(0)!;
    if (multiline && LINE_BREAKS.has(cp)) continue;
    if (REFUSED.test(ch)) return { position, codePoint: cp, what: describe(cp) };
  }
  return null;
}

function hex(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** A string field: refused characters named in the message, then trimmed and NFC-normalised. */
export function safeText(field: string, options: { readonly multiline?: boolean } = {}) {
  return z
    .string()
    .superRefine((text, ctx) => {
      const bad = refusedCharacter(text, options.multiline === true);
      if (bad) {
        ctx.addIssue({
          code: "custom",
          message: `The ${field} contains ${bad.what} (${hex(bad.codePoint)}) at character ${bad.position}: type it again without it.`,
        });
      }
    })
    .transform((text) => text.normalize("NFC").trim());
}
