/** Lines in `text`; a trailing newline does not add one (ParseOutput.lineCount). The one definition every parser uses. */
export function countLines(text: string): number {
  if (text.length === 0) return 0;
  let count = 1;
  for (let i = text.indexOf("\n"); i >= 0 && i < text.length - 1; i = text.indexOf("\n", i + 1)) count++;
  return count;
}

/**
 * What JavaScript counts as white space: a regular expression's \s and what String.prototype.trim removes (white
 * space and line terminators). Readers that scan char codes instead of using either call this, so they match them.
 */
export function isJsWhitespace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 160) return false;
  return (
    c === 160 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** [0-9] */
export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** [A-Za-z] */
export function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
