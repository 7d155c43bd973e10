/** Lines in `text`; a trailing newline does not add one (ParseOutput.lineCount). The one definition every parser uses. */
export function countLines(text: string): number {
  if (text.length === 0) return 0;
  let count = 1;
  for (let i = text.indexOf("\n"); i >= 0 && i < text.length - 1; i = text.indexOf("\n", i + 1)) count++;
  return count;
}
