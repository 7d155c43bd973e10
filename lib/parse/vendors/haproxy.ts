/**
 * HAProxy: `acl NAME src …` (and hdr_ip(X-Forwarded-For) style client-address fetches) with the access rules that use
 * them: `http-request allow|deny|reject|tarpit`, `tcp-request connection|content|session accept|reject`, `block`, each
 * `if|unless` a condition. HAProxy lets through whatever no rule stops, so every proxy section that has access rules
 * ends with that implicit allow.
 */
import type { Action, Entry, Finding, ParseOutput, Parser } from "../types";
import { parseNetmask, parsePrefix } from "../../ip";
import {
  type AddressTerm,
  type Line,
  ObjectTable,
  OBJECTS_ONLY_NOTE,
  countLines,
  finding,
  prefixTerm,
  readAddressTerm,
  splitLines,
  tokenize,
} from "./common";
import { BOTH_FAMILIES, type Source, anyTerms, complementTerms, detectHead, makeEntry, append } from "./linuxcommon";

const SECTIONS = new Set(["global", "defaults", "frontend", "backend", "listen", "userlist", "peers", "resolvers", "mailers", "program", "http-errors", "ring", "cache"]);
const PROXIES = new Set(["frontend", "backend", "listen", "defaults"]);
const ADDRESS_FETCH = /^(?:src|req\.hdr_ip\(.*\)|hdr_ip\(.*\)|req\.fhdr_ip\(.*\))$/;

interface Proxy {
  readonly line: Line;
  readonly name: string;
  readonly acls: ObjectTable<AddressTerm>;
  readonly aclOrder: { name: string; line: Line }[];
  readonly otherAcls: Set<string>;
  readonly entries: Entry[];
  ruled: boolean;
  lastRule?: Line;
  closed: boolean;
}

function readHaproxyAddress(token: string): ReturnType<typeof readAddressTerm> {
  const slash = token.indexOf("/");
  if (slash > 0 && token.slice(slash + 1).includes(".")) {
    const mask = parseNetmask(token.slice(slash + 1));
    const p = mask.ok ? parsePrefix(`${token.slice(0, slash)}/${mask.value}`) : undefined;
    if (p?.ok) return { ok: true, term: prefixTerm(token, p.value) };
  }
  const r = readAddressTerm(token);
  if (r.ok && r.term.kind === "range") return { ok: false, kind: "invalid", message: `HAProxy does not accept ranges such as "${token}".` };
  return r;
}

export function parseHaproxy(text: string): ParseOutput {
  const findings: Finding[] = [];
  const proxies: Proxy[] = [];
  let current: Proxy | undefined;
  let inSection = false;
  let ruleCount = 0;
  const reachedByAllow = new Set<string>();

  for (const line of splitLines(text)) {
    const t = line.text;
    if (t === "" || t.startsWith("#")) continue;
    const words = tokenize(t.replace(/\s#.*$/, ""));
    const w0 = words[0] ?? "";
    if (SECTIONS.has(w0)) {
      inSection = true;
      current = PROXIES.has(w0)
        ? { line, name: words[1] ?? w0, acls: new ObjectTable(), aclOrder: [], otherAcls: new Set(), entries: [], ruled: false, closed: false }
        : undefined;
      if (current) proxies.push(current);
      continue;
    }
    // A pasted snippet of acl and access-rule lines, with no section header, reads as one proxy section.
    if (!inSection && (w0 === "acl" || readAccessRule(words) !== "not-access")) {
      inSection = true;
      current = { line, name: "", acls: new ObjectTable(), aclOrder: [], otherAcls: new Set(), entries: [], ruled: false, closed: false };
      proxies.push(current);
    }
    if (!current) continue; // global, userlist … hold no access rules
    const proxy = current;
    if (w0 === "acl") {
      const name = words[1] ?? "";
      const fetch = words[2] ?? "";
      if (!ADDRESS_FETCH.test(fetch)) {
        proxy.otherAcls.add(name);
        continue;
      }
      if (!proxy.acls.has(name)) {
        proxy.acls.define(name, { line, members: [] });
        proxy.aclOrder.push({ name, line });
      }
      let i = 3;
      for (; i < words.length; i++) {
        const w = words[i]!;
        if (w === "--") {
          i++;
          break;
        }
        if (!w.startsWith("-")) break;
        if (w === "-f" || w === "-M") {
          findings.push(finding(line, "undefined-reference", `ACL "${name}" reads its addresses from "${words[i + 1] ?? ""}", which is not in this paste.`));
          i++;
        } else if (w === "-m" || w === "-u") i++;
      }
      for (const tok of words.slice(i)) {
        const r = readHaproxyAddress(tok);
        if (r.ok) proxy.acls.addMember(name, { value: r.term, line }, line);
        else findings.push(finding(line, r.kind, r.message));
      }
      continue;
    }
    const rule = readAccessRule(words);
    if (rule === "not-access") continue;
    if (rule === undefined) {
      findings.push(finding(line, "not-understood", "An access rule whose condition is not understood."));
      continue;
    }
    ruleCount++;
    proxy.ruled = true;
    proxy.lastRule = line;
    const ruleEntries = ruleEntriesOf(proxy, rule, line, findings);
    // After a catch-all deny no later rule is reached, but its references are still checked above.
    if (proxy.closed) continue;
    if (ruleEntries.closes) proxy.closed = true;
    for (const e of ruleEntries.entries) {
      proxy.entries.push(e);
      if (e.action === "allow") for (const v of e.via ?? []) reachedByAllow.add(`${proxy.name}\u0000${v}`);
    }
  }

  const entries: Entry[] = [];
  if (ruleCount === 0) {
    for (const p of proxies) {
      for (const acl of p.aclOrder) {
        for (const r of p.acls.resolve(acl.name, acl.line, findings)) {
          entries.push(makeEntry(r.line, r.value, { action: "allow", direction: "in", protocol: "tcp", via: r.via }));
        }
      }
    }
    const notes = entries.length > 0 ? [OBJECTS_ONLY_NOTE] : [];
    return { format: "haproxy", entries, findings: findings.sort((a, b) => a.line - b.line), lineCount: countLines(text), notes };
  }
  for (const p of proxies) {
    append(entries, p.entries);
    if (p.ruled && !p.closed) {
      for (const term of anyTerms(BOTH_FAMILIES, "(no match: allowed)")) {
        entries.push(makeEntry(p.lastRule!, term, { action: "allow", direction: "in", protocol: "tcp", comment: "HAProxy lets through what no rule stops" }));
      }
    }
    for (const acl of p.aclOrder) {
      if (!reachedByAllow.has(`${p.name}\u0000${acl.name}`)) {
        findings.push(finding(acl.line, "unused-object", `ACL "${acl.name}" is defined but no allow rule uses it.`));
      }
    }
  }
  return { format: "haproxy", entries, findings: findings.sort((a, b) => a.line - b.line), lineCount: countLines(text), notes: [] };
}

interface AccessRule {
  readonly action: Action;
  /** Undefined: no condition (applies to everyone). */
  readonly cond?: { readonly unless: boolean; readonly terms: readonly string[] };
}

/** The verdict and condition of an access rule; "not-access" for other directives; undefined when unreadable. */
function readAccessRule(words: readonly string[]): AccessRule | "not-access" | undefined {
  let rest: readonly string[];
  let verb: string;
  if (words[0] === "http-request" || words[0] === "http-response") {
    if (words[0] === "http-response") return "not-access";
    verb = words[1] ?? "";
    rest = words.slice(2);
  } else if (words[0] === "tcp-request" && (words[1] === "connection" || words[1] === "content" || words[1] === "session")) {
    verb = words[2] ?? "";
    rest = words.slice(3);
  } else if (words[0] === "block") {
    verb = "deny";
    rest = words.slice(1);
  } else return "not-access";
  const action: Action | undefined =
    verb === "allow" || verb === "accept" ? "allow" : verb === "deny" || verb === "reject" || verb === "tarpit" || verb === "silent-drop" ? "deny" : undefined;
  if (!action) return "not-access";
  const at = rest.findIndex((w) => w === "if" || w === "unless");
  if (at < 0) return { action };
  return { action, cond: { unless: rest[at] === "unless", terms: rest.slice(at + 1) } };
}

/**
 * A rule as entries. Its condition is read as address terms (a src ACL name, "!name" or "{ src … }") ORed with "or";
 * non-address terms ANDed with them are dropped (read as if they matched). A rule that applies to everyone not in X
 * ("deny unless X", "deny if !X") lets X through and stops everyone else.
 */
function ruleEntriesOf(proxy: Proxy, rule: AccessRule, line: Line, findings: Finding[]): { entries: Entry[]; closes: boolean } {
  const entries: Entry[] = [];
  const facts = (action: Action, via?: readonly string[]) => ({ action, direction: "in", protocol: "tcp", via, ruleLine: line.n }) as const;
  const everyone = (action: Action): void => {
    for (const term of anyTerms(BOTH_FAMILIES)) entries.push(makeEntry(line, term, facts(action)));
  };
  if (!rule.cond) {
    everyone(rule.action);
    return { entries, closes: rule.action === "deny" };
  }
  const alternatives: { sources: Source[]; negated: boolean; names: string[] }[] = [];
  let current: { sources: Source[]; negated: boolean; names: string[] } | undefined;
  const terms = rule.cond.terms;
  for (let i = 0; i < terms.length; i++) {
    let w = terms[i]!;
    if (w === "or" || w === "||") {
      if (current) alternatives.push(current);
      current = undefined;
      continue;
    }
    let negated = false;
    if (w.startsWith("!")) {
      negated = true;
      w = w.slice(1);
      if (w === "") w = terms[++i] ?? "";
    }
    if (w === "{") {
      const close = terms.indexOf("}", i);
      const inner = terms.slice(i + 1, close < 0 ? terms.length : close);
      i = close < 0 ? terms.length : close;
      if (!ADDRESS_FETCH.test(inner[0] ?? "")) continue;
      const sources: Source[] = [];
      for (const tok of inner.slice(1)) {
        const r = readHaproxyAddress(tok);
        if (r.ok) sources.push({ term: r.term, line, via: [] });
        else findings.push(finding(line, r.kind, r.message));
      }
      current ??= { sources, negated, names: [] };
      continue;
    }
    if (proxy.acls.has(w)) {
      const sources = proxy.acls.resolve(w, line, findings).map((r) => ({ term: r.value, line: r.line, via: r.via }));
      current ??= { sources, negated, names: [w] };
      continue;
    }
    if (!proxy.otherAcls.has(w) && !PREDEFINED_ACL.test(w)) {
      findings.push(finding(line, "undefined-reference", `ACL "${w}" is not defined in this section.`));
    }
  }
  if (current) alternatives.push(current);
  if (alternatives.length === 0) return { entries, closes: false }; // paths, headers, methods …: not about who connects
  const unless = rule.cond.unless;
  for (const alt of alternatives.filter((a) => a.negated === unless)) {
    for (const s of alt.sources) entries.push(makeEntry(s.line, s.term, facts(rule.action, s.via)));
  }
  const inverted = alternatives.filter((a) => a.negated !== unless);
  if (inverted.length === 0) return { entries, closes: false };
  if (rule.action === "deny") {
    for (const alt of inverted) for (const s of alt.sources) entries.push(makeEntry(s.line, s.term, facts("allow", s.via)));
    everyone("deny");
    return { entries, closes: true };
  }
  // "allow unless X": everyone outside X is allowed.
  for (const alt of inverted) {
    for (const f of BOTH_FAMILIES) {
      const ranges = alt.sources.filter((s) => s.term.range.first.family === f).map((s) => s.term.range);
      for (const term of complementTerms(ranges, f, alt.names[0] ?? "src")) entries.push(makeEntry(line, term, facts("allow")));
    }
  }
  return { entries, closes: false };
}

const PREDEFINED_ACL = /^(?:TRUE|FALSE|HTTP|HTTP_1\.[01]|METH_\w+|LOCALHOST|WAIT_END|REQ_CONTENT|RDP_COOKIE|HTTP_CONTENT|HTTP_URL_\w+)$/;

export const haproxyParser: Parser = {
  id: "haproxy",
  label: "HAProxy acl src",
  detect(text: string): number {
    const head = detectHead(text);
    const acl = /^\s*acl\s+\S+\s+(?:src|hdr_ip\(|req\.hdr_ip\()/m.test(head);
    const section = /^(?:frontend|listen|backend)\s+\S+/m.test(head);
    const rules = /^\s*(?:http-request|tcp-request)\s/m.test(head);
    if (acl && (section || rules)) return 0.95;
    if (acl) return 0.85;
    if (section && (rules || /^\s*(?:bind|use_backend|default_backend|server)\s/m.test(head))) return 0.5;
    return 0;
  },
  parse: parseHaproxy,
};
