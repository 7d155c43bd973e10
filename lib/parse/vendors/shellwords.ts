/**
 * Shell words of one script line, as POSIX sh splits them: quotes anywhere in a word ('…' literal, "…" with \" \\ \$
 * escapes), backslash escapes outside quotes, `#` comments at a word start. A trailing lone backslash continues the
 * command on the next line. Never throws: an unterminated quote runs to the end of the line.
 */
export interface ShellLine {
  readonly words: string[];
  /** The line ends in a backslash: the command goes on. */
  readonly continues: boolean;
}

export function shellWords(line: string): ShellLine {
  const words: string[] = [];
  let i = 0;
  const n = line.length;
  let continues = false;
  while (i < n) {
    const c = line[i]!;
    if (c === " " || c === "\t") {
      i++;
      continue;
    }
    if (c === "#") break;
    if (c === "\\" && i === n - 1) {
      continues = true;
      break;
    }
    let word = "";
    while (i < n) {
      const d = line[i]!;
      if (d === " " || d === "\t") break;
      if (d === "'") {
        const close = line.indexOf("'", i + 1);
        const end = close === -1 ? n : close;
        word += line.slice(i + 1, end);
        i = end + 1;
      } else if (d === '"') {
        i++;
        while (i < n && line[i] !== '"') {
          if (line[i] === "\\" && i + 1 < n && '"\\$`'.includes(line[i + 1]!)) i++;
          word += line[i]!;
          i++;
        }
        i++;
      } else if (d === "\\") {
        if (i === n - 1) {
          continues = true;
          i++;
          break;
        }
        word += line[i + 1]!;
        i += 2;
      } else {
        word += d;
        i++;
      }
    }
    words.push(word);
  }
  return { words, continues };
}
