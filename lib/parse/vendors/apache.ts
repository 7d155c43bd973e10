/**
 * Apache httpd access control: 2.4 `Require ip|not ip|all|host` with <RequireAll>/<RequireAny>/<RequireNone>, and the
 * 2.2 `Order` / `Allow from` / `Deny from` directives. Each container (<Directory>, <Location>, <Files>, a
 * .htaccess) is turned into a first-match list: negations (denials) first, then grants.
 */
import type { Action, Entry, Finding, ParseOutput, Parser } from "../types";
import { makeAddress, makePrefix, parseNetmask, parsePrefix } from "../../ip";
import { type AddressTerm, type Line, countLines, finding, prefixTerm, readAddressTerm, splitLines, tokenize } from "./common";
import { BOTH_FAMILIES, anyTerms, detectHead, makeEntry, append } from "./linuxcommon";

interface Leaf {
  readonly t: "ip" | "granted" | "denied";
  readonly negated: boolean;
  readonly line: Line;
  readonly terms: readonly AddressTerm[];
}

interface Group {
  readonly t: "any" | "all" | "none";
  readonly children: (Group | Leaf)[];
}

interface Section {
  readonly root: Group;
  readonly groups: Group[];
  order?: "deny,allow" | "allow,deny";
  readonly allow22: { line: Line; terms: AddressTerm[] }[];
  readonly deny22: { line: Line; terms: AddressTerm[] }[];
  hasRules: boolean;
  firstLine?: number;
}

const AUTHZ = { requireall: "all", requireany: "any", requirenone: "none" } as const;

function newSection(): Section {
  const root: Group = { t: "any", children: [] };
  return { root, groups: [root], allow22: [], deny22: [], hasRules: false };
}

/** Apache's address forms: full address, CIDR, "net/netmask", and partial IPv4 such as "10.1" (= 10.1.0.0/16). */
function readApacheAddress(token: string): { ok: true; term: AddressTerm } | { ok: false; kind: Finding["kind"]; message: string } {
  // A partial address has at most 12 characters: longer tokens skip the regex.
  const partial = token.length <= 12 ? /^(\d{1,3})(?:\.(\d{1,3}))?(?:\.(\d{1,3}))?\.?$/.exec(token) : null;
  if (partial) {
    const octets = [partial[1], partial[2], partial[3]].filter((o): o is string => o !== undefined).map(Number);
    if (octets.every((o) => o <= 255)) {
      let value = 0n;
      for (let i = 0; i < 4; i++) value = (value << 8n) | BigInt(octets[i] ?? 0);
      return { ok: true, term: prefixTerm(token, makePrefix(makeAddress(4, value), octets.length * 8)) };
    }
  }
  const slash = token.indexOf("/");
  if (slash > 0 && token.slice(slash + 1).includes(".")) {
    const mask = parseNetmask(token.slice(slash + 1));
    const p = mask.ok ? parsePrefix(`${token.slice(0, slash)}/${mask.value}`) : undefined;
    if (p?.ok) return { ok: true, term: prefixTerm(token, p.value) };
  }
  const r = readAddressTerm(token);
  if (r.ok && r.term.kind === "range") return { ok: false, kind: "invalid", message: `Apache does not accept ranges such as "${token}".` };
  return r;
}

export function parseApache(text: string): ParseOutput {
  const findings: Finding[] = [];
  const sections: Section[] = [];
  const stack: Section[] = [newSection()];
  sections.push(stack[0]!);
  let pending = "";
  let pendingLine: Line | undefined;
  for (const raw of splitLines(text)) {
    if (raw.text.endsWith("\\")) {
      pendingLine ??= raw;
      pending += raw.text.slice(0, -1) + " ";
      continue;
    }
    const line: Line = pendingLine ? { n: pendingLine.n, text: (pending + raw.text).trim() } : raw;
    pending = "";
    pendingLine = undefined;
    const t = line.text;
    if (t === "" || t.startsWith("#")) continue;
    const section = stack[stack.length - 1]!;
    const open = /^<\s*(\w+)/.exec(t);
    if (open) {
      const name = open[1]!.toLowerCase();
      const kind = AUTHZ[name as keyof typeof AUTHZ];
      if (kind) {
        const g: Group = { t: kind, children: [] };
        section.groups[section.groups.length - 1]!.children.push(g);
        section.groups.push(g);
      } else if (/^(?:directory|directorymatch|location|locationmatch|files|filesmatch|virtualhost|proxy|proxymatch)$/.test(name)) {
        const s = newSection();
        stack.push(s);
        sections.push(s);
      }
      continue;
    }
    const close = /^<\/\s*(\w+)/.exec(t);
    if (close) {
      const name = close[1]!.toLowerCase();
      if (AUTHZ[name as keyof typeof AUTHZ]) {
        if (section.groups.length > 1) section.groups.pop();
      } else if (/^(?:directory|directorymatch|location|locationmatch|files|filesmatch|virtualhost|proxy|proxymatch)$/.test(name)) {
        if (stack.length > 1) stack.pop();
      }
      continue;
    }
    const words = tokenize(t);
    const directive = (words[0] ?? "").toLowerCase();
    if (directive === "require") {
      section.hasRules = true;
      section.firstLine ??= line.n;
      const negated = words[1]?.toLowerCase() === "not";
      const args = words.slice(negated ? 2 : 1);
      const provider = (args[0] ?? "").toLowerCase();
      const group = section.groups[section.groups.length - 1]!;
      if (provider === "ip") {
        const terms: AddressTerm[] = [];
        for (const tok of args.slice(1)) {
          const r = readApacheAddress(tok);
          if (r.ok) terms.push(r.term);
          else findings.push(finding(line, r.kind, r.message));
        }
        group.children.push({ t: "ip", negated, line, terms });
      } else if (provider === "all" && (args[1] === "granted" || args[1] === "denied")) {
        group.children.push({ t: args[1] === "granted" ? "granted" : "denied", negated, line, terms: [] });
      } else if (provider === "host" || provider === "forward-dns") {
        findings.push(finding(line, "hostname", `"Require ${provider}" matches DNS names: only addresses can be checked.`));
      }
      // Other providers (valid-user, group, env, expr, local …) do not name the vendor's addresses.
      continue;
    }
    if (directive === "order") {
      const v = words.slice(1).join("").toLowerCase();
      section.order = v.startsWith("allow") || v.startsWith("mutual") ? "allow,deny" : "deny,allow";
      section.hasRules = true;
      continue;
    }
    if ((directive === "allow" || directive === "deny") && words[1]?.toLowerCase() === "from") {
      section.hasRules = true;
      section.firstLine ??= line.n;
      const terms: AddressTerm[] = [];
      for (const tok of words.slice(2)) {
        if (tok.toLowerCase() === "all") terms.push(...anyTerms(BOTH_FAMILIES, "all"));
        else if (tok.startsWith("env=") || tok.startsWith("env=!")) continue;
        else {
          const r = readApacheAddress(tok);
          if (r.ok) terms.push(r.term);
          else findings.push(finding(line, r.kind, r.message));
        }
      }
      (directive === "allow" ? section.allow22 : section.deny22).push({ line, terms });
      continue;
    }
    // Every other directive (ServerName, DocumentRoot, ProxyPass …) holds no access rule.
  }

  const entries: Entry[] = [];
  const facts = (action: Action) => ({ action, direction: "in", protocol: "tcp" }) as const;
  const ruled = sections.filter((s) => s.hasRules).sort((a, b) => (a.firstLine ?? 0) - (b.firstLine ?? 0));
  for (const s of ruled) {
    for (const e of compile(s.root, false)) entries.push(makeEntry(e.line, e.term, facts(e.action)));
    if (s.allow22.length > 0 || s.deny22.length > 0 || s.order) {
      const allows = s.allow22.flatMap((a) => a.terms.map((term) => makeEntry(a.line, term, facts("allow"))));
      const denies = s.deny22.flatMap((d) => d.terms.map((term) => makeEntry(d.line, term, facts("deny"))));
      if ((s.order ?? "deny,allow") === "deny,allow") {
        // Allow overrides Deny, and what matches neither is allowed.
        append(entries, allows);
        append(entries, denies);
        const last = [...s.allow22, ...s.deny22].sort((a, b) => b.line.n - a.line.n)[0];
        if (last) for (const term of anyTerms(BOTH_FAMILIES, "(no match: allowed)")) entries.push(makeEntry(last.line, term, facts("allow")));
      } else {
        append(entries, denies);
        append(entries, allows);
      }
    }
  }
  const notes = ruled.length > 1 ? [`${ruled.length} sections hold access rules; they are read in file order as one list.`] : [];
  return { format: "apache", entries, findings: findings.sort((a, b) => a.line - b.line), lineCount: countLines(text), notes };
}

interface Out {
  readonly line: Line;
  readonly term: AddressTerm;
  readonly action: Action;
}

/**
 * A group as a first-match list. `invert` is set inside <RequireNone>, where a match denies. Nested groups keep their
 * own order as one unit: in <RequireAny> after the plain grants (any one grant suffices), in <RequireAll> after the
 * denials (every denial applies).
 */
function compile(g: Group, invert: boolean): Out[] {
  const denies: Out[] = [];
  const grants: Out[] = [];
  const nested: Out[] = [];
  const closing: Out[] = [];
  const inv = g.t === "none" ? !invert : invert;
  for (const c of g.children) {
    if ("children" in c) {
      append(nested, compile(c, inv));
      continue;
    }
    if (c.t === "denied" && !c.negated) {
      // "Require all denied" never grants: everyone not granted by something else is refused.
      for (const term of anyTerms(BOTH_FAMILIES, "all")) closing.push({ line: c.line, term, action: "deny" });
      continue;
    }
    const terms = c.t === "ip" ? c.terms : anyTerms(BOTH_FAMILIES, "all");
    const grantsHere = c.t === "ip" || c.t === "granted" ? !c.negated : c.negated;
    const action: Action = grantsHere !== inv ? "allow" : "deny";
    for (const term of terms) (action === "deny" ? denies : grants).push({ line: c.line, term, action });
  }
  const out: Out[] = [];
  if (g.t === "any") {
    for (const part of [grants, nested, denies, closing]) append(out, part);
    return out;
  }
  // In RequireAll a grant of everyone adds nothing next to a narrower grant.
  const narrowed = grants.some((o) => o.term.kind !== "any") ? grants.filter((o) => o.term.kind !== "any") : grants;
  for (const part of [denies, nested, closing, narrowed]) append(out, part);
  return out;
}

export const apacheParser: Parser = {
  id: "apache",
  label: "Apache httpd Require / Allow",
  detect(text: string): number {
    const head = detectHead(text);
    const require = /^\s*Require\s+(?:not\s+)?(?:ip|all|host)\b/im.test(head);
    const legacy = /^\s*(?:Allow|Deny)\s+from\s+\S+/im.test(head);
    const containers = /^\s*<(?:Directory|Location|Files|VirtualHost|RequireAll|RequireAny)\b/im.test(head);
    if ((require || legacy) && containers) return 0.95;
    if (require || legacy) return 0.85;
    if (containers) return 0.4;
    return 0;
  },
  parse: parseApache,
};
