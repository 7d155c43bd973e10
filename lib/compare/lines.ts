/**
 * Line offsets of a text, so a virtualised view can slice out any of a million lines without splitting the whole
 * text into a million strings. Line numbers are 1-based like the parsers'; a trailing newline does not add a line.
 */
export interface LineIndex {
  /** starts[i] is the offset of line i + 1. */
  readonly starts: Uint32Array;
  readonly count: number;
}

export function indexLines(text: string): LineIndex {
  if (text.length === 0) return { starts: new Uint32Array(0), count: 0 };
  let count = 1;
  for (let i = text.indexOf("\n"); i >= 0 && i < text.length - 1; i = text.indexOf("\n", i + 1)) count++;
  const starts = new Uint32Array(count);
  let n = 1;
  for (let i = text.indexOf("\n"); i >= 0 && n < count; i = text.indexOf("\n", i + 1)) starts[n++] = i + 1;
  return { starts, count };
}

/** The text of 1-based `line`, without its line break (a "\r" before it is dropped too). */
export function lineText(text: string, index: LineIndex, line: number): string {
  if (line < 1 || line > index.count) return "";
  const start = index.starts[line - 1]!;
  let end = line < index.count ? index.starts[line]! - 1 : text.length;
  if (end > start && text.charCodeAt(end - 1) === 10) end--; // the last line's own trailing newline
  if (end > start && text.charCodeAt(end - 1) === 13) end--;
  return text.slice(start, end);
}
