/**
 * Junos configuration as `show configuration` prints it (the curly-brace hierarchy), which is what admins paste. Each
 * statement is converted to its `set` (or, under `inactive:`, `deactivate`) form on the same line number, and the
 * Junos `set` reader (junos.ts) reads the result; texts are mapped back to the original lines.
 *
 * Semantics (Juniper "Configuration Statements and Hierarchy" / "Understanding the Junos OS CLI Configuration
 * Statement Hierarchy", https://www.juniper.net/documentation/us/en/software/junos/cli/topics/topic-map/junos-configuration-overview.html;
 * `inactive:` statements are ignored by the commit; "Use Configuration Groups", https://www.juniper.net/documentation/us/en/software/junos/cli/topics/topic-map/junos-software-configuration-groups.html):
 * a group's statements take effect where `apply-groups` names it, at that level of the hierarchy and below. Groups
 * with wildcards (`<*>`) are reported as not understood.
 */
import type { Finding, ParseOptions, ParseOutput, Parser } from "../types";
import { type Line, countLines, finding, splitLines, tokenize } from "./common";
import { detectHead } from "./linuxcommon";
import { GroupInheritance, applyEdits, parseJunosLines } from "./junos";

interface Frame {
  readonly words: readonly string[];
  readonly inactive: boolean;
  /** The statement path from the configuration root to this block, its words quoted for a `set` line, and whether the
   * block or one around it is inactive: kept per block so a leaf costs its own words only. */
  readonly path: readonly string[];
  readonly quoted: string;
  readonly anyInactive: boolean;
}

interface GroupLeaf {
  readonly index: number;
  readonly group: string;
  /** The statement's path inside the group (from the configuration root). */
  readonly path: readonly string[];
  readonly inactive: boolean;
}

/** The conversion's state while it walks the lines. */
interface Conversion {
  readonly lines: readonly Line[];
  /** One converted line per input line, "" where nothing is said. */
  readonly out: string[];
  readonly findings: Finding[];
  readonly stack: Frame[];
  readonly groupLeaves: GroupLeaf[];
  /** `apply-groups G` and `apply-groups-except G` statements (G is not inherited at that level and below). */
  readonly inheritance: GroupInheritance;
  readonly wildcardGroups: Set<string>;
  /** Inside a /* comment *\/ that spans lines. */
  inComment: boolean;
  /** Inside a block opened past MAX_DEPTH: how many of its braces are open (0: not skipping). */
  skipping: number;
}

/**
 * Blocks nested deeper than this are reported and skipped, with everything in them. Junos hierarchies nest a dozen
 * levels at most; each block keeps its path from the root, so a hostile paste of 20,000 nested blocks needed
 * gigabytes (the paths' total length grows with the square of the depth).
 */
export const MAX_DEPTH = 64;

/** One statement: its words without the "inactive:"-style prefixes and the closing "{" or ";". */
interface Statement {
  readonly index: number;
  readonly words: readonly string[];
  readonly inactive: boolean;
  /** Marked `delete:` (a load file's way to remove the statement). */
  readonly deletes: boolean;
  readonly opens: boolean;
}

const ROOT: Frame = { words: [], inactive: false, path: [], quoted: "", anyInactive: false };

function quote(w: string): string {
  return /[\s;{}#]/.test(w) || w === "" ? `"${w.replace(/"/g, "")}"` : w;
}

function joinQuoted(prefix: string, words: readonly string[]): string {
  const own = words.map(quote).join(" ");
  return prefix === "" ? own : own === "" ? prefix : `${prefix} ${own}`;
}

/** The converted lines (same count as the input, "" where nothing is said) and conversion findings. */
export function junosToSet(lines: readonly Line[]): { out: string[]; findings: Finding[] } {
  const c: Conversion = {
    lines,
    out: lines.map(() => ""),
    findings: [],
    stack: [],
    groupLeaves: [],
    inheritance: new GroupInheritance(),
    wildcardGroups: new Set(),
    inComment: false,
    skipping: 0,
  };
  for (let index = 0; index < lines.length; index++) {
    const t = statementText(c, lines[index]!.text);
    if (t === "") continue;
    if (c.skipping > 0) {
      if (t === "}") c.skipping--;
      else if (t.endsWith("{")) c.skipping++;
      continue;
    }
    if (t === "}") {
      if (c.stack.pop() === undefined)
        c.findings.push(finding(lines[index]!, "not-understood", "A closing brace without an open statement."));
      continue;
    }
    const st = splitStatement(c, index, t);
    if (st?.opens && c.stack.length >= MAX_DEPTH) {
      c.findings.push(
        finding(
          lines[index]!,
          "not-understood",
          `Blocks nested deeper than ${MAX_DEPTH} levels are not read: this block and everything in it are skipped.`,
        ),
      );
      c.skipping = 1;
    } else if (st) readStatement(c, st);
  }
  applyGroups(c);
  if (c.inComment) {
    const last = lines[lines.length - 1];
    if (last) c.findings.push(finding(last, "not-understood", "A /* comment */ is not closed."));
  }
  return { out: c.out, findings: c.findings };
}

/** The line without annotations: /* … *\/ (possibly over several lines), "#" and "##" comments; "" when none is left. */
function statementText(c: Conversion, text: string): string {
  let t = text;
  if (c.inComment) {
    const end = t.indexOf("*/");
    if (end < 0) return "";
    c.inComment = false;
    t = t.slice(end + 2).trim();
  }
  if (t.includes("/*")) {
    t = t.replace(/\/\*.*?\*\//g, " ").trim();
    const open = t.indexOf("/*");
    if (open >= 0) {
      c.inComment = true;
      t = t.slice(0, open).trim();
    }
  }
  if (t.startsWith("#")) return "";
  return t.includes("#")
    ? t
        .replace(/\s+##.*$/, "")
        .replace(/;\s*#.*$/, ";")
        .trim()
    : t;
}

/** Prefixes ("inactive:", "protect:" …), then words up to the closing "{" or ";"; undefined after a finding. */
function splitStatement(c: Conversion, index: number, t: string): Statement | undefined {
  let inactive = false;
  let deletes = false;
  let body = t;
  while (body.includes(":")) {
    const m = /^(inactive|protect|replace|delete|active):\s*/.exec(body);
    if (!m) break;
    if (m[1] === "inactive") inactive = true;
    if (m[1] === "delete") deletes = true;
    body = body.slice(m[0].length);
  }
  const opens = body.endsWith("{");
  if (!opens && !body.endsWith(";")) {
    c.findings.push(finding(c.lines[index]!, "not-understood", 'A statement ends with "{" or ";".'));
    return undefined;
  }
  return { index, words: tokenize(body.slice(0, -1).trim()), inactive, deletes, opens };
}

function push(c: Conversion, parent: Frame, words: readonly string[], inactive: boolean): void {
  c.stack.push({
    words,
    inactive,
    path: words.length === 0 ? parent.path : [...parent.path, ...words],
    quoted: joinQuoted(parent.quoted, words),
    anyInactive: parent.anyInactive || inactive,
  });
}

function readStatement(c: Conversion, st: Statement): void {
  const { index, words, inactive, opens } = st;
  const parent = c.stack[c.stack.length - 1] ?? ROOT;
  if (words.length === 0 && opens) return push(c, parent, words, inactive);
  const root = parent.path[0] ?? words[0];
  if (root === "groups") return readGroupStatement(c, st, parent);
  if (words[0] === "apply-groups" && !opens) {
    if (!inactive && !parent.anyInactive)
      for (const group of applyGroupNames(words)) c.inheritance.add(true, group, parent.path);
    return;
  }
  if (words[0] === "apply-groups-except" && !opens) {
    if (!inactive && !parent.anyInactive)
      for (const group of applyGroupNames(words)) c.inheritance.add(false, group, parent.path);
    return;
  }
  if (opens) {
    push(c, parent, words, inactive);
    // A `delete:` block removes what the statement held before; what it holds now is set again below it.
    if (st.deletes) c.out[index] = `delete ${joinQuoted(parent.quoted, words)}`;
    // An inactive block: its own line says so, so the reader drops what it holds.
    else if (inactive && !parent.anyInactive) c.out[index] = `deactivate ${joinQuoted(parent.quoted, words)}`;
    return;
  }
  c.out[index] = st.deletes
    ? `delete ${joinQuoted(parent.quoted, words)}`
    : `${inactive || parent.anyInactive ? "deactivate" : "set"} ${joinQuoted(parent.quoted, words)}`;
}

function applyGroupNames(words: readonly string[]): readonly string[] {
  if (words[1] !== "[") return words.slice(1, 2);
  const close = words.indexOf("]");
  return words.slice(2, close < 0 ? words.length : close);
}

/** A statement under `groups`: a group's statements are kept aside until an apply-groups names the group. */
function readGroupStatement(c: Conversion, st: Statement, parent: Frame): void {
  const { index, words, inactive, opens } = st;
  const path = [...parent.path, ...words];
  // apply-groups inside a group says nothing at the root.
  if (words[0] === "apply-groups" && !opens) return;
  if (words[0] === "apply-groups-except") return;
  if (path.length > 2) {
    const group = path[1]!;
    const inner = path.slice(2);
    if (inner.some((w) => /^<.*>$/.test(w))) {
      if (!c.wildcardGroups.has(group))
        c.findings.push(
          finding(
            c.lines[index]!,
            "not-understood",
            `Group "${group}" uses wildcards (<…>): its statements are not read.`,
          ),
        );
      c.wildcardGroups.add(group);
    } else if (!opens || inactive)
      c.groupLeaves.push({ index, group, path: inner, inactive: inactive || parent.anyInactive });
  }
  if (opens) push(c, parent, words, inactive);
}

/**
 * A group's statement takes effect where an apply-groups naming the group sits at or above its path, unless an
 * apply-groups-except naming it sits below that apply-groups and at or above the path ("Use Configuration Groups":
 * apply-groups-except disables inheritance of the group at that level and below).
 */
function applyGroups(c: Conversion): void {
  for (const g of c.groupLeaves) {
    if (c.inheritance.inherits(g.group, g.path) && !c.wildcardGroups.has(g.group))
      c.out[g.index] = `${g.inactive ? "deactivate" : "set"} ${g.path.map(quote).join(" ")}`;
  }
  // Each group's first inherited statement, for groups with inherited policies (one pass: a search per group was
  // quadratic in the number of groups).
  const firstInherited = new Map<string, GroupLeaf>();
  const inheritedPolicies = new Set<string>();
  for (const g of c.groupLeaves) {
    if (c.out[g.index] === "") continue;
    if (!firstInherited.has(g.group)) firstInherited.set(g.group, g);
    if (g.path[0] === "security" && g.path[1] === "policies") inheritedPolicies.add(g.group);
  }
  for (const group of inheritedPolicies) {
    const first = firstInherited.get(group);
    if (first)
      c.findings.push(
        finding(
          c.lines[first.index]!,
          "note",
          `Security policies of group "${group}" are read in the order they are written; the device may evaluate inherited policies after the local ones of the same zone pair (check with "show configuration | display inheritance").`,
        ),
      );
  }
}

export function parseJunosHierarchy(text: string, options: ParseOptions = {}): ParseOutput {
  const lines = splitLines(text);
  const { out, findings: converted } = junosToSet(lines);
  // Line n of the conversion is line n of the paste, so the set reader's line numbers need no mapping. `delete:`
  // statements became delete lines, applied as the set reader applies a change script's.
  const edited = applyEdits(out.map((t, i) => ({ n: i + 1, text: t.trim() })));
  const findings = [...converted, ...edited.findings];
  const read = parseJunosLines(edited.lines, out.length, options, edited.rulesDeleted);
  const original = (n: number, fallback: string): string => lines[n - 1]?.text ?? fallback;
  const entries = read.entries.map((e) => ({ ...e, text: original(e.line, e.text) }));
  const all = [...findings, ...read.findings.map((f) => ({ ...f, text: original(f.line, f.text) }))].sort(
    (a, b) => a.line - b.line,
  );
  const path = read.path
    ? {
        ...read.path,
        contexts: read.path.contexts.map((c) => {
          const shown = c.line > 0 ? { ...c, text: original(c.line, c.text) } : c;
          if (c.list === undefined) return shown;
          const rules = c.list.rules.map((r) => ({ ...r, text: original(r.line, r.text) }));
          return { ...shown, list: { ...c.list, rules } };
        }),
      }
    : undefined;
  return {
    format: "junos-hierarchy",
    entries,
    findings: all,
    lineCount: countLines(text),
    notes: read.notes,
    ...(path ? { path } : {}),
  };
}

export const junosHierarchyParser: Parser = {
  id: "junos-hierarchy",
  label: "Junos (show configuration)",
  detect(text: string): number {
    const head = detectHead(text);
    if (/^\s*(?:inactive:\s*)?from-zone \S+ to-zone \S+ \{\s*$/m.test(head)) return 0.96;
    if (/^\s*security \{\s*$/m.test(head) && /^\s+(?:address-book|policies|zones) \{\s*$/m.test(head)) return 0.95;
    if (
      /^\s*firewall \{\s*$/m.test(head) &&
      /^\s+(?:inactive:\s*)?(?:filter \S+|family inet6?) \{\s*$/m.test(head) &&
      /^\s+(?:inactive:\s*)?term \S+ \{\s*$/m.test(head)
    )
      return 0.93;
    if (/^version \d+\.\d+\S*;\s*$/m.test(head) && /^\w[\w-]* \{\s*$/m.test(head)) return 0.85;
    return 0;
  },
  parse: parseJunosHierarchy,
};
