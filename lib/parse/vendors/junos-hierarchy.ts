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
import { junosParser } from "./junos";

interface Frame {
  readonly words: readonly string[];
  readonly inactive: boolean;
}

interface GroupLeaf {
  readonly index: number;
  readonly group: string;
  /** The statement's path inside the group (from the configuration root). */
  readonly path: readonly string[];
  readonly inactive: boolean;
}

function quote(w: string): string {
  return /[\s;{}#]/.test(w) || w === "" ? `"${w.replace(/"/g, "")}"` : w;
}

/** The converted lines (same count as the input, "" where nothing is said) and conversion findings. */
export function junosToSet(lines: readonly Line[]): { out: string[]; findings: Finding[] } {
  const out: string[] = lines.map(() => "");
  const findings: Finding[] = [];
  const stack: Frame[] = [];
  const groupLeaves: GroupLeaf[] = [];
  const applied: { group: string; at: readonly string[] }[] = [];
  const wildcardGroups = new Set<string>();
  let inComment = false;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    let t = line.text;
    if (inComment) {
      const end = t.indexOf("*/");
      if (end < 0) continue;
      inComment = false;
      t = t.slice(end + 2).trim();
    }
    // Annotations: /* … */ (possibly over several lines), "#" and "##" comments.
    t = t.replace(/\/\*.*?\*\//g, " ").trim();
    const open = t.indexOf("/*");
    if (open >= 0) {
      inComment = true;
      t = t.slice(0, open).trim();
    }
    if (t.startsWith("#")) continue;
    t = t.replace(/\s+##.*$/, "").replace(/;\s*#.*$/, ";").trim();
    if (t === "") continue;
    if (t === "}") {
      if (stack.pop() === undefined) findings.push(finding(line, "not-understood", "A closing brace without an open statement."));
      continue;
    }
    let inactive = false;
    let body = t;
    for (;;) {
      const m = /^(inactive|protect|replace|delete|active):\s*/.exec(body);
      if (!m) break;
      if (m[1] === "inactive") inactive = true;
      body = body.slice(m[0].length);
    }
    const opens = body.endsWith("{");
    const leaf = body.endsWith(";");
    if (!opens && !leaf) {
      findings.push(finding(line, "not-understood", "A statement ends with \"{\" or \";\"."));
      continue;
    }
    const words = tokenize(body.slice(0, -1).trim());
    if (words.length === 0 && opens) {
      stack.push({ words: [], inactive });
      continue;
    }
    const parentInactive = stack.some((f) => f.inactive);
    const path = [...stack.flatMap((f) => f.words), ...words];
    const inGroup = path[0] === "groups" && path.length > 2;
    if (words[0] === "apply-groups" && leaf) {
      const names = words[1] === "[" ? words.slice(2, words.indexOf("]") < 0 ? words.length : words.indexOf("]")) : words.slice(1, 2);
      if (!inGroup && !inactive && !parentInactive) for (const group of names) applied.push({ group, at: path.slice(0, path.length - words.length) });
      continue;
    }
    if (words[0] === "apply-groups-except") continue;
    if (inGroup) {
      const group = path[1]!;
      const inner = path.slice(2);
      if (inner.some((w) => /^<.*>$/.test(w))) {
        if (!wildcardGroups.has(group)) findings.push(finding(line, "not-understood", `Group "${group}" uses wildcards (<…>): its statements are not read.`));
        wildcardGroups.add(group);
      } else if (leaf || inactive) groupLeaves.push({ index, group, path: inner, inactive: inactive || parentInactive });
      if (opens) stack.push({ words, inactive });
      continue;
    }
    if (path[0] === "groups") {
      if (opens) stack.push({ words, inactive });
      continue;
    }
    if (opens) {
      stack.push({ words, inactive });
      // An inactive block: its own line says so, so the reader drops what it holds.
      if (inactive && !parentInactive) out[index] = `deactivate ${path.map(quote).join(" ")}`;
      continue;
    }
    out[index] = `${inactive || parentInactive ? "deactivate" : "set"} ${path.map(quote).join(" ")}`;
  }
  // A group's statement takes effect where an apply-groups naming the group sits at or above its path.
  for (const g of groupLeaves) {
    const on = applied.some((a) => a.group === g.group && a.at.length <= g.path.length && a.at.every((w, i) => g.path[i] === w));
    if (on && !wildcardGroups.has(g.group)) out[g.index] = `${g.inactive ? "deactivate" : "set"} ${g.path.map(quote).join(" ")}`;
  }
  const inheritedPolicies = new Set(groupLeaves.filter((g) => out[g.index] !== "" && g.path[0] === "security" && g.path[1] === "policies").map((g) => g.group));
  for (const group of inheritedPolicies) {
    const first = groupLeaves.find((g) => g.group === group && out[g.index] !== "");
    if (first) findings.push(finding(lines[first.index]!, "note", `Security policies of group "${group}" are read in the order they are written; the device may evaluate inherited policies after the local ones of the same zone pair (check with "show configuration | display inheritance").`));
  }
  if (inComment) {
    const last = lines[lines.length - 1];
    if (last) findings.push(finding(last, "not-understood", "A /* comment */ is not closed."));
  }
  return { out, findings };
}

export function parseJunosHierarchy(text: string, options: ParseOptions = {}): ParseOutput {
  const lines = splitLines(text);
  const { out, findings } = junosToSet(lines);
  const read = junosParser.parse(out.join("\n"), options);
  const original = (n: number, fallback: string): string => lines[n - 1]?.text ?? fallback;
  const entries = read.entries.map((e) => ({ ...e, text: original(e.line, e.text) }));
  const all = [...findings, ...read.findings.map((f) => ({ ...f, text: original(f.line, f.text) }))].sort((a, b) => a.line - b.line);
  const path = read.path
    ? { ...read.path, contexts: read.path.contexts.map((c) => (c.line > 0 ? { ...c, text: original(c.line, c.text) } : c)) }
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
    if (/^\s*firewall \{\s*$/m.test(head) && /^\s+(?:inactive:\s*)?(?:filter \S+|family inet6?) \{\s*$/m.test(head) && /^\s+(?:inactive:\s*)?term \S+ \{\s*$/m.test(head)) return 0.93;
    if (/^version \d+\.\d+\S*;\s*$/m.test(head) && /^\w[\w-]* \{\s*$/m.test(head)) return 0.85;
    return 0;
  },
  parse: parseJunosHierarchy,
};
