/**
 * PowerShell command lines as the NetSecurity cmdlets receive them, and the wildcard patterns their -Name,
 * -DisplayName and -Group values are (windows.ts applies the commands to the rules).
 *
 * Arguments ("about_Parsing", argument mode,
 * https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_parsing; "about_Quoting_Rules",
 * https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_quoting_rules):
 * a token starting with "-" and a letter names a parameter ("-Name:value" binds the value after the colon); '…' is
 * literal (two single quotes stand for one); "…" takes backtick escapes and "" for a quote; outside quotes a backtick
 * escapes the next character and a backslash is an ordinary character; commas make an array, and blanks around them
 * do not matter ("A", "B" and A,B are the same two-element argument); a line may break after a comma or a pipe; "|"
 * pipes into the next command, ";" ends one; "#" at the start of a token begins a comment. PowerShell also takes the
 * typographic quotes as quotes.
 */
import type { Line } from "./common";

/** One argument: the elements of the array it is (one for a plain value), and the line it starts on. */
export interface PsValue {
  readonly items: string[];
  /** It ends with a comma: the array goes on with the next token (on the next line, too). */
  readonly open: boolean;
  readonly line: Line;
}

export type PsToken =
  /** `name` in lower case (PowerShell ignores the case of parameter names), `written` as written. */
  | {
      readonly kind: "param";
      readonly name: string;
      readonly written: string;
      readonly value?: PsValue;
      readonly line: Line;
    }
  | { readonly kind: "value"; readonly value: PsValue }
  /** "|": the next command receives this one's output. */
  | { readonly kind: "pipe"; readonly line: Line }
  /** ";": the statement ends. */
  | { readonly kind: "end"; readonly line: Line };

const isBlank = (c: string | undefined): boolean => c === " " || c === "\t";
const isLetter = (u: number): boolean => (u >= 65 && u <= 90) || (u >= 97 && u <= 122);
const isWordChar = (u: number): boolean => isLetter(u) || (u >= 48 && u <= 57) || u === 95;
const isSingleQuote = (c: string | undefined): boolean =>
  c === "'" || c === "\u2018" || c === "\u2019" || c === "\u201a" || c === "\u201b";
const isDoubleQuote = (c: string | undefined): boolean =>
  c === '"' || c === "\u201c" || c === "\u201d" || c === "\u201e";

/** The character a backtick escape inside double quotes stands for (about_Special_Characters). */
const ESCAPES: Readonly<Record<string, string>> = {
  "0": "\0",
  a: "\x07",
  b: "\b",
  e: "\x1b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
};

/** The tokens of one line of a PowerShell command (a trailing continuation backtick already taken off). */
export function psTokens(text: string, line: Line): PsToken[] {
  const tokens: PsToken[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (isBlank(text[i])) i++;
    if (i >= n) break;
    const c = text[i]!;
    if (c === "#") break;
    if (c === "|" || c === ";") {
      tokens.push({ kind: c === "|" ? "pipe" : "end", line });
      i++;
      continue;
    }
    if (c === "-" && isLetter(text.charCodeAt(i + 1))) {
      let j = i + 1;
      while (j < n && isWordChar(text.charCodeAt(j))) j++;
      const written = text.slice(i + 1, j);
      const name = written.toLowerCase();
      if (text[j] === ":") {
        let k = j + 1;
        while (isBlank(text[k])) k++;
        const read = readValue(text, k, line);
        tokens.push({ kind: "param", name, written, value: read.value, line });
        i = read.end;
      } else {
        tokens.push({ kind: "param", name, written, line });
        i = j;
      }
      continue;
    }
    const read = readValue(text, i, line);
    tokens.push({ kind: "value", value: read.value });
    i = read.end;
  }
  return tokens;
}

/** One argument from `start`: quoted and bare parts joined, commas splitting it into elements. */
function readValue(text: string, start: number, line: Line): { value: PsValue; end: number } {
  const items: string[] = [];
  const n = text.length;
  let item = "";
  let started = false;
  let open = false;
  let i = start;
  while (i < n) {
    const c = text[i]!;
    if (isSingleQuote(c)) {
      i++;
      for (; i < n; i++) {
        if (!isSingleQuote(text[i])) item += text[i]!;
        else if (isSingleQuote(text[i + 1])) item += text[++i]!;
        else break;
      }
      i++;
    } else if (isDoubleQuote(c)) {
      i++;
      for (; i < n; i++) {
        const d = text[i]!;
        if (d === "`" && i + 1 < n) item += ESCAPES[text[++i]!] ?? text[i]!;
        else if (!isDoubleQuote(d)) item += d;
        else if (isDoubleQuote(text[i + 1])) item += text[++i]!;
        else break;
      }
      i++;
    } else if (c === "`" && i + 1 < n) {
      item += text[i + 1]!;
      i += 2;
    } else if (c === ",") {
      items.push(item);
      item = "";
      started = false;
      open = true;
      i++;
      while (isBlank(text[i])) i++;
      continue;
    } else if (isBlank(c)) {
      // Blanks before a comma belong to the array: `'A' , 'B'`.
      let j = i;
      while (isBlank(text[j])) j++;
      if (text[j] !== ",") break;
      i = j;
      continue;
    } else if (c === "|" || c === ";") break;
    else {
      item += c;
      i++;
    }
    started = true;
    open = false;
  }
  if (started) items.push(item);
  return { value: { items, open, line }, end: i };
}

/**
 * A -Name, -DisplayName or -Group value as the cmdlets compare it (PowerShell's WildcardPattern with IgnoreCase, the
 * filter the CIM cmdlets apply: src/Microsoft.PowerShell.Commands.Management/cimSupport/cmdletization/cim/clientSideQuery.cs,
 * src/System.Management.Automation/engine/regex.cs in https://github.com/PowerShell/PowerShell): `*` any run of
 * characters, `?` one character, `[abc]` and `[a-c]` one of a set (no negation), a backtick escapes the next character;
 * case is ignored. `wildcard` is WildcardPattern.ContainsWildcardCharacters: a value without one that matches nothing
 * is an error, a pattern that matches nothing is not. An unclosed `[` or a range whose ends are reversed is an invalid
 * pattern: the cmdlet fails on it.
 */
export type PsPattern =
  | {
      readonly ok: true;
      readonly wildcard: boolean;
      /** The value with its escapes taken out: what it equals when it has no wildcard. */
      readonly literal: string;
      readonly test: (value: string) => boolean;
    }
  | { readonly ok: false };

export function psPattern(pattern: string): PsPattern {
  // Most values are plain names: no pattern to compile (WildcardPattern compares them as strings too).
  if (!/[*?[\]`]/.test(pattern)) return plain(pattern);
  let source = "";
  let text = "";
  let escaped = false;
  let inSet = false;
  let setStarted = false;
  let set: { c: string; range: boolean }[] = [];
  let wildcard = false;
  for (let k = 0; k < pattern.length; k++) {
    const c = pattern[k]!;
    if (!escaped && (c === "*" || c === "?" || c === "[" || c === "]")) wildcard = true;
    if (inSet) {
      if (c === "]" && !setStarted && !escaped) {
        inSet = false;
        const cls = charClass(set);
        if (cls === undefined) return { ok: false };
        source += cls;
      } else if (c !== "`" || escaped) set.push({ c, range: c === "-" && !escaped });
      setStarted = false;
    } else if (c === "*" && !escaped) source += "[\\s\\S]*";
    else if (c === "?" && !escaped) source += "[\\s\\S]";
    else if (c === "[" && !escaped) {
      inSet = true;
      setStarted = true;
      set = [];
    } else if (c !== "`" || escaped) {
      source += literal(c);
      text += c;
    }
    escaped = c === "`" && !escaped;
  }
  if (inSet) return { ok: false };
  // A pattern ending in a lone backtick keeps it, except "`" alone, which is the empty string.
  if (escaped && pattern !== "`") {
    source += literal("`");
    text += "`";
  }
  if (!wildcard) return plain(text);
  const re = new RegExp(`^(?:${source})$`, "i");
  return { ok: true, wildcard, literal: text, test: (value) => re.test(value) };
}

function plain(text: string): PsPattern {
  const lower = text.toLowerCase();
  return { ok: true, wildcard: false, literal: text, test: (value) => value.toLowerCase() === lower };
}

/** A UTF-16 unit as a regular expression escape. */
function literal(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

/** `[…]`: ranges where a "-" stands between two characters, the rest literal; undefined when a range is reversed. */
function charClass(set: readonly { c: string; range: boolean }[]): string | undefined {
  let out = "";
  for (let i = 0; i < set.length;) {
    if (i + 2 < set.length && set[i + 1]!.range) {
      const lo = set[i]!.c;
      const hi = set[i + 2]!.c;
      if (lo > hi) return undefined;
      out += `${literal(lo)}-${literal(hi)}`;
      i += 3;
    } else out += literal(set[i++]!.c);
  }
  return `[${out}]`;
}
