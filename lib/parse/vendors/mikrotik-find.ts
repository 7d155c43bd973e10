/**
 * RouterOS `[find …]` selectors, as `remove`, `set`, `enable` and `disable` take them: `[find]` (every item of the
 * menu), `[find list=X]`, `[find where list="X" and address=1.2.3.4]`, `[find comment="C" !disabled]`
 * (RouterOS manual, "Scripting", https://help.mikrotik.com/docs/display/ROS/Scripting: "find" returns the internal
 * numbers of the items whose properties match, the conditions joined by `and` or listed one after another).
 * Read here: equality (`=`), inequality (`!=`) and the yes/no properties written bare (`disabled`, `!dynamic`).
 * Not evaluated (a finding says so, nothing is changed): regular expressions (`~`), `or`, `in`, comparisons, item
 * numbers (they refer to a `print` the paste does not show).
 */
import { readAddressTerm } from "./common";

export type FindCond =
  | { readonly key: string; readonly op: "=" | "!="; readonly value: string }
  | { readonly key: string; readonly op: "yes" | "no" };

export type Find =
  { readonly ok: true; readonly conds: readonly FindCond[] } | { readonly ok: false; readonly reason: string };

/** Properties whose values are addresses: compared as the addresses they stand for (1.2.3.4 = 1.2.3.4/32). */
const ADDRESS_KEYS = new Set(["address", "src-address", "dst-address"]);
/** Yes/no properties a selector may name bare. */
const FLAGS = new Set(["disabled", "dynamic", "invalid"]);

/** Words of a condition list: blanks separate them outside double quotes. */
function condWords(text: string): string[] | undefined {
  const words: string[] = [];
  let word = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === "\\" && i + 1 < text.length) word += text[++i]!;
      else if (c === '"') quoted = false;
      else word += c;
    } else if (c === '"') quoted = true;
    else if (c === " " || c === "\t") {
      if (word !== "") words.push(word);
      word = "";
    } else word += c;
  }
  if (quoted) return undefined;
  if (word !== "") words.push(word);
  return words;
}

/** The conditions of a selector as a set/remove/enable/disable command gives it, or why it is not evaluated. */
export function readFind(select: string): Find {
  const s = select.trim();
  if (s.startsWith("$")) return { ok: false, reason: `${s} is not set to a [find …] in this paste` };
  if (!s.startsWith("[")) {
    return {
      ok: false,
      reason: `item numbers (${s.length > 40 ? `${s.slice(0, 40)}…` : s}) refer to the order of a print this paste does not show`,
    };
  }
  const m = /^\[\s*(?:\/[\w /-]*?\s+)?find(?:\s+where)?(?:\s+([^]*?))?\s*\]$/.exec(s);
  if (!m) return { ok: false, reason: `${s.length > 60 ? `${s.slice(0, 60)}…` : s} is not a [find …] selector` };
  const words = condWords(m[1] ?? "");
  if (words === undefined) return { ok: false, reason: "a quote is not closed" };
  const conds: FindCond[] = [];
  for (const w of words) {
    if (w === "and" || w === "&&") continue;
    const eq = /^([a-z][\w-]*)(!?=)([^]*)$/i.exec(w);
    if (eq) {
      const value = eq[3]!;
      if (/[~<>]/.test(eq[1]!) || value.startsWith("="))
        return { ok: false, reason: `"${w}" is not a plain comparison` };
      conds.push({ key: eq[1]!.toLowerCase(), op: eq[2] === "=" ? "=" : "!=", value });
      continue;
    }
    const flag = /^(!?)([a-z][\w-]*)$/i.exec(w);
    if (flag && FLAGS.has(flag[2]!.toLowerCase())) {
      conds.push({ key: flag[2]!.toLowerCase(), op: flag[1] === "!" ? "no" : "yes" });
      continue;
    }
    return {
      ok: false,
      reason: `"${w.length > 40 ? `${w.slice(0, 40)}…` : w}" is not evaluated here (only key=value, key!=value and yes/no properties are)`,
    };
  }
  return { ok: true, conds };
}

/** Whether an item whose property `key` has value `get(key)` (undefined: not set) meets every condition. */
export function findMatches(conds: readonly FindCond[], get: (key: string) => string | undefined): boolean {
  for (const c of conds) {
    const mine = get(c.key);
    if (c.op === "=" || c.op === "!=") {
      const same = mine !== undefined && sameValue(c.key, mine, c.value);
      if (same !== (c.op === "=")) return false;
    } else if ((mine === "yes" || mine === "true") !== (c.op === "yes")) return false;
  }
  return true;
}

function sameValue(key: string, a: string, b: string): boolean {
  if (a === b) return true;
  if (!ADDRESS_KEYS.has(key)) return false;
  const x = readAddressTerm(a);
  const y = readAddressTerm(b);
  if (!x.ok || !y.ok) return false;
  const rx = x.term.range;
  const ry = y.term.range;
  return rx.first.family === ry.first.family && rx.first.value === ry.first.value && rx.last.value === ry.last.value;
}
