/**
 * HAProxy: `acl NAME src …` (and hdr_ip(X-Forwarded-For) style client-address fetches) with the access rules that use
 * them: `http-request allow|deny|reject|tarpit`, `tcp-request connection|content|session accept|reject`, `block`, each
 * `if|unless` a condition. HAProxy lets through whatever no rule stops, so every proxy section that has access rules
 * ends with that implicit allow.
 */
import type { Action, Entry, Finding, ParseOptions, ParseOutput, Parser, PathContext, PathInfo } from "../types";
import { IPSet, isIPv4Mapped, parseNetmask, parsePrefix, unmap } from "../../ip";
import { newPrefix } from "../../ip/prefix";
import { newRange } from "../../ip/range";
import {
  type AddressTerm,
  type Line,
  ObjectTable,
  OBJECTS_ONLY_NOTE,
  type Resolved,
  countLines,
  finding,
  prefixTerm,
  readAddressTerm,
  splitLines,
  tokenize,
} from "./common";
import { BOTH_FAMILIES, type RuleFacts, anyTerms, detectHead, makeEntry, append } from "./linuxcommon";
import { tagEntries } from "./pathkit";

const SECTIONS = new Set([
  "global",
  "defaults",
  "frontend",
  "backend",
  "listen",
  "userlist",
  "peers",
  "resolvers",
  "mailers",
  "program",
  "http-errors",
  "ring",
  "cache",
]);
const PROXIES = new Set(["frontend", "backend", "listen", "defaults"]);
const ADDRESS_FETCH = /^(?:src|req\.hdr_ip\(.*\)|hdr_ip\(.*\)|req\.fhdr_ip\(.*\))$/;

/** Rule sets in the order HAProxy runs them on a new connection; each is evaluated on its own (an accept ends only its set). */
const STAGES = ["tcp-request connection", "tcp-request session", "tcp-request content", "http-request"] as const;
type Stage = (typeof STAGES)[number];

interface StageRules {
  /**
   * The set's rules as read, in order; an `answers` item is an unconditional redirect/return. They are resolved once
   * the whole section is read: an ACL is every `acl` line of its name in the section, also those below the rule.
   */
  readonly pending: (
    { readonly rule: AccessRule; readonly line: Line } | { readonly answers: Line; readonly verb: string }
  )[];
  /** Rules that say something about the source address, in order (filled by resolveStages). */
  readonly rules: RuleEntries[];
  first?: Line;
  closed: boolean;
  /** The rule without a condition that closed the set (a deny or reject of everyone). */
  closedBy?: Line;
}

/**
 * A rule's entries. A "deny unless X" rule carries what it spares (X, as allows) and computes the exact complement
 * only when another rule follows it in its set; as the last rule, X allowed then everyone denied says the same.
 */
interface RuleEntries {
  readonly entries: Entry[];
  readonly closes: boolean;
  readonly spared?: { readonly allows: Entry[]; readonly denyRest: Entry[]; readonly exact: () => Entry[] };
}

interface Proxy {
  readonly line: Line;
  readonly kind: string;
  readonly name: string;
  readonly acls: ObjectTable<AddressTerm>;
  readonly aclOrder: { name: string; line: Line }[];
  /** ACL names defined by other fetches (paths, headers …), each with the line of its first `acl` line. */
  readonly otherAcls: Map<string, Line>;
  readonly stages: Map<Stage, StageRules>;
  readonly binds: { from: number; to: number; loopback: boolean }[];
  readonly backends: { name: string; conditional: boolean; line: Line }[];
  defaultBackend?: string;
  /** The defaults section it takes its settings (and, since 2.5, tcp-request/http-request rules) from. */
  inherits?: Proxy;
  /** `frontend NAME from DEFAULTS`: that defaults section's name. */
  from?: string;
  /** `mode tcp|http` as the section sets it. */
  mode?: string;
  /** `disabled`: HAProxy does not start the proxy (https://docs.haproxy.org/2.6/configuration.html#4.2-disabled). */
  disabled?: Line;
}

function readHaproxyAddress(token: string): ReturnType<typeof readAddressTerm> {
  const slash = token.indexOf("/");
  if (slash > 0 && token.indexOf(".", slash + 1) !== -1) {
    const mask = parseNetmask(token.slice(slash + 1));
    const p = mask.ok ? parsePrefix(`${token.slice(0, slash)}/${mask.value}`) : undefined;
    if (p?.ok) return { ok: true, term: prefixTerm(token, p.value) };
  }
  const r = readAddressTerm(token);
  if (r.ok && r.term.kind === "range")
    return { ok: false, kind: "invalid", message: `HAProxy does not accept ranges such as "${token}".` };
  // An IPv4 client is matched against an IPv6 pattern as ::ffff:a.b.c.d (configuration manual 7.1.6): a pattern
  // inside ::ffff:0:0/96 stands for the IPv4 addresses it maps (an IPv6 client never has such an address).
  if (r.ok && isIPv4Mapped(r.term.range.first) && isIPv4Mapped(r.term.range.last)) {
    const range = newRange(unmap(r.term.range.first), unmap(r.term.range.last));
    const p = r.term.prefix;
    return {
      ok: true,
      term:
        p !== undefined
          ? { token, range, kind: r.term.kind, prefix: newPrefix(unmap(p.address), p.bits - 96) }
          : { token, range, kind: r.term.kind },
    };
  }
  return r;
}

/** `bind :443`, `bind *:443,:::443`, `bind ipv6@:8443`, `bind 127.0.0.1:8080`, `bind :8000-8010`: ports and loopback. */
function readBind(words: readonly string[]): { from: number; to: number; loopback: boolean }[] {
  const out: { from: number; to: number; loopback: boolean }[] = [];
  for (const raw of (words[1] ?? "").split(",")) {
    // QUIC (HTTP/3) and UDP listeners: a TCP connection never reaches them.
    // https://docs.haproxy.org/2.8/configuration.html#11 (address prefixes quic4@, quic6@, udp@ …)
    if (/^(?:quic[46]?|udp[46]?)@/.test(raw)) continue;
    const a = raw.replace(/^(?:ipv4|ipv6|tcp|tcp4|tcp6)@/, "");
    const m = /^(.*):(\d+)(?:-(\d+))?$/.exec(a);
    if (!m) continue;
    const host = m[1]!.replace(/^\[|\]$/g, "");
    out.push({ from: Number(m[2]), to: Number(m[3] ?? m[2]), loopback: /^(?:127\.|::1$|localhost$)/.test(host) });
  }
  return out;
}

const newProxy = (line: Line, kind: string, name: string): Proxy => ({
  line,
  kind,
  name,
  acls: new ObjectTable(),
  aclOrder: [],
  otherAcls: new Map(),
  stages: new Map(),
  binds: [],
  backends: [],
});

/**
 * Reads HAProxy sections into rule sets, then builds the path of a connection to port P (options.port, 443 by
 * default): the frontend/listen sections binding P, their rule sets in HAProxy's order (tcp-request connection,
 * session, content, then http-request), then those of the backend the request goes to. Each set lets through what no
 * rule stops. Docs: https://docs.haproxy.org/2.6/configuration.html (4.2 "tcp-request connection", "http-request";
 * 7.1 ACL basics: several lines of one ACL name are ORed; anonymous ACLs in braces).
 */
export function parseHaproxy(text: string, options: ParseOptions = {}): ParseOutput {
  const st: HaproxyState = {
    findings: [],
    proxies: [],
    current: undefined,
    inSection: false,
    ruleCount: 0,
    reached: new Set(),
  };
  for (const line of splitLines(text)) readStatement(st, line);
  for (const p of st.proxies) resolveStages(st, p);
  for (const p of st.proxies)
    if (p.from !== undefined) {
      const d = st.proxies.find((x) => x.kind === "defaults" && x.name === p.from);
      if (d !== undefined && d !== p) p.inherits = d;
    }
  for (const d of st.proxies) {
    if (d.kind !== "defaults" || d.stages.size === 0) continue;
    const users = st.proxies.filter((p) => p.inherits === d);
    const front = users.some((p) => p.kind === "frontend" || p.kind === "listen");
    const back = users.some((p) => p.kind === "backend" || p.kind === "listen");
    if (front && back)
      st.findings.push(
        finding(
          d.line,
          "not-understood",
          "Frontends and backends cannot inherit from the same defaults section if it defines TCP/HTTP rules: HAProxy refuses this configuration (add a defaults section without rules before the backends).",
        ),
      );
  }
  const entries: Entry[] = [];
  if (st.ruleCount === 0) {
    for (const p of st.proxies) {
      for (const acl of p.aclOrder) {
        for (const r of p.acls.resolve(acl.name, acl.line, st.findings)) {
          entries.push(makeEntry(r.line, r.value, { action: "allow", direction: "in", protocol: "tcp", via: r.via }));
        }
      }
    }
    const notes = entries.length > 0 ? [OBJECTS_ONLY_NOTE] : [];
    return {
      format: "haproxy",
      entries,
      findings: st.findings.sort((a, b) => a.line - b.line),
      lineCount: countLines(text),
      notes,
    };
  }
  const port = options.port ?? 443;
  const build: PathBuild = { entries, contexts: [], placed: new Set() };
  const entryPoints = placeEntryPoints(build, st.proxies, port);
  placeOthers(build, st.proxies, port);
  unusedAclFindings(st);
  const notes =
    entryPoints === 0
      ? [`No frontend or listen section binds port ${port}: nothing in this paste receives the webhooks.`]
      : [];
  const path: PathInfo = {
    contexts: build.contexts,
    assumption: `Port ${port}: the frontend/listen section${entryPoints === 1 ? "" : "s"} binding it, then the backend it sends requests to. Another port: --port.`,
  };
  return {
    format: "haproxy",
    entries,
    findings: st.findings.sort((a, b) => a.line - b.line),
    lineCount: countLines(text),
    notes,
    path,
  };
}

/** What the statement handlers read into, line by line. */
interface HaproxyState {
  readonly findings: Finding[];
  readonly proxies: Proxy[];
  current: Proxy | undefined;
  inSection: boolean;
  ruleCount: number;
  /** `${proxy name}\0${ACL name}` of every ACL an allow rule reached. */
  readonly reached: Set<string>;
  /** The last defaults section read. */
  lastDefaults?: Proxy;
}

/** Reads one statement of a proxy section; false when it is not that statement after all (read as an access rule). */
type StatementHandler = (st: HaproxyState, proxy: Proxy, words: readonly string[], line: Line) => boolean;

const STATEMENTS: ReadonlyMap<string, StatementHandler> = new Map<string, StatementHandler>([
  ["bind", readBindStatement],
  ["default_backend", readDefaultBackend],
  ["use_backend", readUseBackend],
  ["acl", readAcl],
  ["mode", (_st, proxy, words) => ((proxy.mode = words[1]), true)],
  ["disabled", (_st, proxy, _words, line) => ((proxy.disabled = line), true)],
  ["enabled", (_st, proxy) => (delete proxy.disabled, true)],
]);

/**
 * The mode a proxy runs in, when the paste says: its own `mode`, else its defaults section's, else tcp (HAProxy's
 * default) when a defaults section is in the paste. Undefined when neither says (a frontend pasted alone).
 */
function modeOf(p: Proxy): string | undefined {
  return p.mode ?? p.inherits?.mode ?? (p.inherits !== undefined ? "tcp" : undefined);
}

/** One line: a section header, a statement of the current section, or an access rule. */
function readStatement(st: HaproxyState, line: Line): void {
  const t = line.text;
  if (t === "" || t.startsWith("#")) return;
  // Only a line with a "#" can hold a comment: the others skip the regex.
  const words = tokenize(t.indexOf("#") === -1 ? t : t.replace(/\s#.*$/, ""));
  const w0 = words[0] ?? "";
  if (SECTIONS.has(w0)) {
    st.inSection = true;
    st.current = PROXIES.has(w0) ? newProxy(line, w0, words[1] ?? w0) : undefined;
    if (st.current) {
      // A proxy takes the defaults section it names with "from", else the last one above it.
      const from = words.indexOf("from");
      if (from > 0 && words[from + 1] !== undefined) st.current.from = words[from + 1];
      else if (w0 !== "defaults") st.current.inherits = st.lastDefaults;
      if (w0 === "defaults") st.lastDefaults = st.current;
      st.proxies.push(st.current);
    }
    return;
  }
  // A pasted snippet of acl and access-rule lines, with no section header, reads as one proxy section.
  if (!st.inSection && (w0 === "acl" || readAccessRule(words) !== "not-access")) {
    st.inSection = true;
    st.current = newProxy(line, "snippet", "");
    st.proxies.push(st.current);
  }
  const proxy = st.current;
  if (!proxy) return; // global, userlist … hold no access rules
  if (STATEMENTS.get(w0)?.(st, proxy, words, line)) return;
  readAccessStatement(st, proxy, words, line);
}

function readBindStatement(_st: HaproxyState, proxy: Proxy, words: readonly string[]): boolean {
  proxy.binds.push(...readBind(words));
  return true;
}

function readDefaultBackend(_st: HaproxyState, proxy: Proxy, words: readonly string[]): boolean {
  if (words[1] === undefined) return false;
  proxy.defaultBackend = words[1];
  return true;
}

function readUseBackend(_st: HaproxyState, proxy: Proxy, words: readonly string[], line: Line): boolean {
  if (words[1] === undefined) return false;
  proxy.backends.push({ name: words[1], conditional: words.includes("if") || words.includes("unless"), line });
  return true;
}

/** `acl NAME FETCH [-flags] [--] VALUE …`: address fetches define an ACL's members; others are only remembered. */
function readAcl(st: HaproxyState, proxy: Proxy, words: readonly string[], line: Line): boolean {
  const name = words[1] ?? "";
  const fetch = words[2] ?? "";
  if (!ADDRESS_FETCH.test(fetch)) {
    if (!proxy.otherAcls.has(name)) proxy.otherAcls.set(name, line);
    return true;
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
      st.findings.push(
        finding(
          line,
          "undefined-reference",
          `ACL "${name}" reads its addresses from "${words[i + 1] ?? ""}", which is not in this paste.`,
        ),
      );
      i++;
    } else if (w === "-m" || w === "-u") i++;
  }
  for (const tok of words.slice(i)) {
    const r = readHaproxyAddress(tok);
    if (r.ok) proxy.acls.addMember(name, { value: r.term, line }, line);
    else st.findings.push(finding(line, r.kind, r.message));
  }
  return true;
}

function stageOf(proxy: Proxy, name: Stage, line: Line): StageRules {
  let stage = proxy.stages.get(name);
  if (stage === undefined) proxy.stages.set(name, (stage = { pending: [], rules: [], closed: false }));
  stage.first ??= line;
  return stage;
}

/** `http-request deny if …`, `tcp-request connection accept …`: the rule goes to its stage's rule set. */
function readAccessStatement(st: HaproxyState, proxy: Proxy, words: readonly string[], line: Line): void {
  const rule = readAccessRule(words);
  if (rule === "not-access") {
    answerAll(proxy, words, line);
    return;
  }
  if (rule === undefined) {
    st.findings.push(finding(line, "not-understood", "An access rule whose condition is not understood."));
    return;
  }
  st.ruleCount++;
  stageOf(proxy, rule.stage, line).pending.push({ rule, line });
}

/**
 * The section's rule sets as entries, once every line of the section is read. HAProxy ORs all `acl` lines of one
 * name in the section, those below the rule that uses it included (a condition holds the ACL, which later lines
 * extend); it refuses a rule naming an ACL whose first line comes after it ("no such ACL"), checked in namedTerm.
 * https://docs.haproxy.org/2.6/configuration.html#7.1 ("ACLs with the same name are ORed").
 */
function resolveStages(st: HaproxyState, proxy: Proxy): void {
  for (const stage of proxy.stages.values()) {
    for (const item of stage.pending) {
      if ("answers" in item) {
        if (!stage.closed) {
          stage.closed = true;
          st.findings.push(
            finding(
              item.answers,
              "note",
              `http-request ${item.verb} without a condition answers every request here: the http-request rules after it never run.`,
            ),
          );
        }
        continue;
      }
      const ruleEntries = ruleEntriesOf(proxy, item.rule, item.line, st.findings, st.reached);
      // After a catch-all deny no later rule of the set is reached, but its references are still checked above; the
      // rule says so (it was left out without a word, an allow below "http-request deny" included).
      if (stage.closed) {
        if (stage.closedBy !== undefined && item.line.n !== stage.closedBy.n)
          st.findings.push(
            finding(
              item.line,
              "note",
              `Never reached: line ${stage.closedBy.n} (${stage.closedBy.text}) stops every connection of this rule set before it.`,
            ),
          );
        continue;
      }
      if (ruleEntries.closes) {
        stage.closed = true;
        stage.closedBy = item.line;
      }
      // A rule about paths or headers only is read as not matching the webhook: it is left out.
      if (ruleEntries.entries.length > 0 || ruleEntries.spared !== undefined) stage.rules.push(ruleEntries);
    }
  }
}

/**
 * `http-request redirect …` or `http-request return` (2xx/3xx) without a condition: a final action that answers every
 * request, so no later http-request rule of the section runs
 * (https://docs.haproxy.org/2.8/configuration.html#4.2-http-request%20redirect, …#4.2-http-request%20return). The
 * set ends there, letting every address through, and the line says so.
 */
function answerAll(proxy: Proxy, words: readonly string[], line: Line): void {
  const verb = words[1];
  if (words[0] !== "http-request" || (verb !== "redirect" && verb !== "return")) return;
  if (words.includes("if") || words.includes("unless")) return;
  stageOf(proxy, "http-request", line).pending.push({ answers: line, verb });
}

/** The path being built: entries and contexts in path order, and the proxies already placed. */
interface PathBuild {
  readonly entries: Entry[];
  readonly contexts: PathContext[];
  readonly placed: Set<Proxy>;
}

/** Appends one context per rule set of `p`, with the set's entries tagged with it. */
/** A rule's entries as fresh copies (a defaults section's rules are placed once per proxy that inherits them). */
function copyRule(r: RuleEntries): RuleEntries {
  const copy = (list: readonly Entry[]): Entry[] => list.map((e) => ({ ...e }));
  return {
    entries: copy(r.entries),
    closes: r.closes,
    ...(r.spared !== undefined
      ? {
          spared: {
            allows: copy(r.spared.allows),
            denyRest: copy(r.spared.denyRest),
            exact: () => copy(r.spared!.exact()),
          },
        }
      : {}),
  };
}

/**
 * A proxy's rule sets with those of the defaults section it inherits put first: since HAProxy 2.5 a named defaults
 * section may hold tcp-request/http-request rules, which run before the proxy's own, in the same set
 * (https://docs.haproxy.org/2.8/configuration.html#4 "defaults", reg-tests/tcp-rules/default_rules.vtc).
 */
function stagesOf(p: Proxy): Map<Stage, { rules: RuleEntries[] }> {
  const d = p.kind !== "defaults" ? p.inherits : undefined;
  if (d === undefined || d.stages.size === 0) return p.stages;
  const out = new Map<Stage, { rules: RuleEntries[] }>();
  for (const st of STAGES) {
    const inherited = d.stages.get(st);
    const own = p.stages.get(st);
    if (inherited === undefined && own === undefined) continue;
    out.set(st, {
      rules: [...(inherited?.rules ?? []).map(copyRule), ...(inherited?.closed ? [] : (own?.rules ?? []))],
    });
  }
  return out;
}

function placeProxy(build: PathBuild, p: Proxy, onPath: boolean, reason: string): void {
  const { entries, contexts } = build;
  build.placed.add(p);
  const stages = stagesOf(p);
  // In mode tcp HAProxy ignores http-request rules ("'http-request' rules ignored for frontend … as they require HTTP
  // mode", haproxy -c; checked with HAProxy 2.6).
  const tcp = modeOf(p) === "tcp";
  for (const st of STAGES) {
    const rules = stages.get(st);
    if (rules === undefined) continue;
    const c = contexts.length;
    const ignored = tcp && st === "http-request";
    contexts.push({
      name: `${p.kind === "snippet" ? "the pasted rules" : `${p.kind} ${p.name}`}: ${st}`,
      line: p.line.n,
      text: p.line.text,
      fallthrough: "allow",
      onPath: onPath && !ignored,
      reason: ignored
        ? `it runs in mode tcp${p.mode === undefined ? (p.inherits?.mode === undefined ? " (HAProxy's default: no mode is set)" : " (from its defaults section)") : ""}, where HAProxy ignores http-request rules (they require mode http)`
        : reason,
    });
    // A last "deny unless X" lets X on to the set's default, which allows: X's own lines then say so.
    const from = entries.length;
    rules.rules.forEach((r, i) => {
      if (r.spared === undefined) append(entries, r.entries);
      else if (i === rules.rules.length - 1) {
        append(entries, r.spared.allows);
        append(entries, r.spared.denyRest);
      } else append(entries, r.spared.exact());
    });
    // Fresh entries of this section only: completed in place.
    tagEntries(entries, from, c);
  }
}

/** Places the snippets and the frontend/listen sections binding `port` (each with the backend it sends to); their count. */
function placeEntryPoints(build: PathBuild, proxies: readonly Proxy[], port: number): number {
  const byName = (name: string) =>
    proxies.find((x) => (x.kind === "backend" || x.kind === "listen") && x.name === name);
  let entryPoints = 0;
  for (const p of proxies) {
    if (p.kind === "snippet") {
      entryPoints++;
      placeProxy(
        build,
        p,
        true,
        "A snippet without a section header: read as the section that holds it; HAProxy lets through what no rule stops.",
      );
      continue;
    }
    if ((p.kind !== "frontend" && p.kind !== "listen") || p.disabled !== undefined) continue;
    const binds = p.binds.filter((b) => b.from <= port && port <= b.to);
    if (!binds.some((b) => !b.loopback)) continue;
    entryPoints++;
    placeProxy(
      build,
      p,
      true,
      `It binds port ${port}; HAProxy runs tcp-request connection, session and content rules, then http-request rules, and lets through what no rule stops.`,
    );
    const tcp = modeOf(p) === "tcp";
    if (![...stagesOf(p).keys()].some((s) => !tcp || s !== "http-request"))
      // No access rule (or only http-request rules, which mode tcp ignores): every address gets through this section
      // (its backend's rules, if any, still apply).
      build.contexts.push({
        name: `${p.kind} ${p.name}`,
        line: p.line.n,
        text: p.line.text,
        fallthrough: "allow",
        onPath: true,
        reason: `It binds port ${port} and has no access rule${tcp && stagesOf(p).size > 0 ? " that applies in mode tcp" : ""}: HAProxy lets every address through.`,
      });
    if (p.kind === "frontend") {
      // A conditional use_backend naming the webhook (hook, fresh, callback) is assumed to be the one its requests take.
      const hooky = p.backends.find((b) => b.conditional && /hook|fresh|callback/i.test(b.line.text));
      const target =
        hooky?.name ?? p.backends.find((b) => !b.conditional)?.name ?? p.defaultBackend ?? p.backends[0]?.name;
      const be = target === undefined ? undefined : byName(target);
      if (be && !build.placed.has(be)) {
        const how =
          hooky !== undefined
            ? "the use_backend that looks like the webhook's"
            : p.backends.find((b) => !b.conditional)?.name === target
              ? "use_backend"
              : p.defaultBackend === target
                ? "default_backend"
                : "the first use_backend";
        placeProxy(build, be, true, `${p.name} sends requests to it (${how}); its rules run after the frontend's.`);
      }
    }
  }
  return entryPoints;
}

/** Places every other proxy off the path, saying why a connection to `port` does not cross it. */
function placeOthers(build: PathBuild, proxies: readonly Proxy[], port: number): void {
  for (const p of proxies) {
    if (build.placed.has(p)) continue;
    const why =
      p.disabled !== undefined && p.kind !== "defaults"
        ? `it is disabled (line ${p.disabled.n}): HAProxy does not start it`
        : p.kind === "defaults"
          ? "its rules are read in the frontend, listen and backend sections that inherit them (placed before their own)"
          : p.kind === "backend"
            ? `no frontend binding port ${port} sends the webhooks to it`
            : p.binds.some((b) => b.from <= port && port <= b.to)
              ? `it binds port ${port} on a loopback address only`
              : `it binds ${p.binds.map((b) => (b.from === b.to ? `${b.from}` : `${b.from}-${b.to}`)).join(", ") || "no TCP port"}, not ${port}`;
    placeProxy(build, p, false, why);
  }
}

function unusedAclFindings(st: HaproxyState): void {
  for (const p of st.proxies) {
    for (const acl of p.aclOrder) {
      if (!st.reached.has(`${p.name}\u0000${acl.name}`)) {
        st.findings.push(finding(acl.line, "unused-object", `ACL "${acl.name}" is defined but no allow rule uses it.`));
      }
    }
  }
}

interface AccessRule {
  readonly action: Action;
  readonly stage: Stage;
  /** Undefined: no condition (applies to everyone). */
  readonly cond?: { readonly unless: boolean; readonly terms: readonly string[] };
}

/** The verdict, rule set and condition of an access rule; "not-access" for other directives; undefined when unreadable. */
function readAccessRule(words: readonly string[]): AccessRule | "not-access" | undefined {
  let rest: readonly string[];
  let verb: string;
  let stage: Stage;
  if (words[0] === "http-request" || words[0] === "http-response") {
    if (words[0] === "http-response") return "not-access";
    verb = words[1] ?? "";
    rest = words.slice(2);
    stage = "http-request";
  } else if (
    words[0] === "tcp-request" &&
    (words[1] === "connection" || words[1] === "content" || words[1] === "session")
  ) {
    verb = words[2] ?? "";
    rest = words.slice(3);
    stage = `tcp-request ${words[1]}`;
  } else if (words[0] === "block") {
    verb = "deny";
    rest = words.slice(1);
    stage = "http-request";
  } else return "not-access";
  const action: Action | undefined =
    verb === "allow" || verb === "accept"
      ? "allow"
      : verb === "deny" ||
          verb === "reject" ||
          verb === "tarpit" ||
          verb === "silent-drop" ||
          // "http-request return status 4xx/5xx": a final action refusing the request from HAProxy itself (a 2xx/3xx
          // return, the default being 200, answers it instead). https://docs.haproxy.org/2.6/configuration.html#4.2-http-request%20return
          (verb === "return" && stage === "http-request" && returnsError(rest))
        ? "deny"
        : undefined;
  if (!action) return "not-access";
  const at = rest.findIndex((w) => w === "if" || w === "unless");
  if (at < 0) return { action, stage };
  return { action, stage, cond: { unless: rest[at] === "unless", terms: rest.slice(at + 1) } };
}

/** `return [status <code>] …`: whether the code (200 when not given) is an error (4xx, 5xx). */
function returnsError(rest: readonly string[]): boolean {
  const at = rest.indexOf("status");
  const code = at >= 0 ? Number(rest[at + 1]) : 200;
  return code >= 400;
}

/** One term of a condition: the addresses it names (an ACL's resolved members, or a `{ src … }` list), maybe negated. */
interface CondTerm {
  readonly sources: readonly Resolved<AddressTerm>[];
  readonly negated: boolean;
  readonly name: string;
}

/** What reading one rule's condition needs: where the rule is, and where its findings and reached ACLs go. */
interface RuleRead {
  readonly proxy: Proxy;
  readonly rule: AccessRule & { readonly cond: NonNullable<AccessRule["cond"]> };
  readonly line: Line;
  readonly findings: Finding[];
  readonly reached: Set<string>;
}

/** A rule's entry facts; one object per (action, via) in a row, so the members of one ACL share it. */
class FactsCache {
  private via: readonly string[] | undefined = undefined;
  private action: Action | undefined = undefined;
  private facts: RuleFacts | undefined = undefined;
  constructor(private readonly ruleLine: number) {}
  get(action: Action, via?: readonly string[]): RuleFacts {
    if (this.facts === undefined || this.action !== action || this.via !== via) {
      this.facts = { action, direction: "in", protocol: "tcp", via, ruleLine: this.ruleLine };
      this.action = action;
      this.via = via;
    }
    return this.facts;
  }
}

/**
 * The condition as alternatives ORed ("or"), each a conjunction of address terms (terms side by side are ANDed);
 * non-address terms are dropped (read as if they matched).
 */
function readAlternatives(r: RuleRead): CondTerm[][] {
  const alternatives: CondTerm[][] = [];
  let current: CondTerm[] = [];
  const terms = r.rule.cond.terms;
  for (let i = 0; i < terms.length; i++) {
    let w = terms[i]!;
    if (w === "or" || w === "||") {
      if (current.length > 0) alternatives.push(current);
      current = [];
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
      const end = close < 0 ? terms.length : close;
      const sources = inlineSources(r, terms, i + 1, end);
      i = end;
      if (sources !== undefined) current.push({ sources, negated, name: "{ src … }" });
      continue;
    }
    const term = namedTerm(r, w, negated);
    if (term !== undefined) current.push(term);
  }
  if (current.length > 0) alternatives.push(current);
  return alternatives;
}

/** `{ src A B }` (terms[from..end)): its addresses; undefined when the fetch is not an address. */
function inlineSources(
  r: RuleRead,
  terms: readonly string[],
  from: number,
  end: number,
): Resolved<AddressTerm>[] | undefined {
  if (!ADDRESS_FETCH.test(from < end ? terms[from]! : "")) return undefined;
  const sources: Resolved<AddressTerm>[] = [];
  let k = from + 1;
  // Flags as in an acl line (7.1 "ACL basics"): -f FILE (not in the paste), -m/-u with a value, -n/-i …, "--" ends them.
  for (; k < end; k++) {
    const w = terms[k]!;
    if (w === "--") {
      k++;
      break;
    }
    if (!w.startsWith("-")) break;
    if (w === "-f" || w === "-M") {
      r.findings.push(
        finding(
          r.line,
          "undefined-reference",
          `The condition reads addresses from "${terms[k + 1] ?? ""}", which is not in this paste.`,
        ),
      );
      k++;
    } else if (w === "-m" || w === "-u") k++;
  }
  for (; k < end; k++) {
    const a = readHaproxyAddress(terms[k]!);
    if (a.ok) sources.push({ value: a.term, line: r.line, via: NO_VIA });
    else r.findings.push(finding(r.line, a.kind, a.message));
  }
  return sources;
}

/**
 * A named ACL as a condition term: all its address lines in the section; undefined (and a finding when nothing defines
 * it above the rule) when it names no addresses.
 */
function namedTerm(r: RuleRead, w: string, negated: boolean): CondTerm | undefined {
  const { proxy, rule } = r;
  const first = Math.min(proxy.acls.definitionLine(w)?.n ?? Infinity, proxy.otherAcls.get(w)?.n ?? Infinity);
  if (first > r.line.n && first !== Infinity && !PREDEFINED_ACL.test(w)) {
    // HAProxy looks the name up when it reads the rule: "no such ACL", and the configuration does not load.
    r.findings.push(
      finding(
        r.line,
        "undefined-reference",
        `ACL "${w}" is used before its first acl line (line ${first}): HAProxy refuses this configuration ("no such ACL").`,
      ),
    );
    return undefined;
  }
  if (proxy.acls.has(w)) {
    const sources = proxy.acls.resolve(w, r.line, r.findings);
    // An ACL counts as used when the rule lets its addresses through: an allow on it, or a deny that spares it.
    if ((rule.action === "allow") !== (negated !== rule.cond.unless)) r.reached.add(`${proxy.name}\u0000${w}`);
    return { sources, negated, name: w };
  }
  if (!proxy.otherAcls.has(w) && !PREDEFINED_ACL.test(w)) {
    r.findings.push(finding(r.line, "undefined-reference", `ACL "${w}" is not defined in this section.`));
  }
  return undefined;
}

const NO_VIA: readonly string[] = [];

/** The addresses a condition matches, exactly: the union of the alternatives, or for "unless" everything outside it. */
function matchedSet(alternatives: readonly (readonly CondTerm[])[], unless: boolean): IPSet {
  const everything = IPSet.fromRanges(anyTerms(BOTH_FAMILIES).map((t) => t.range));
  let union = IPSet.empty();
  for (const alt of alternatives) {
    let set = everything;
    for (const t of alt) {
      const own = IPSet.fromRanges(t.sources.map((x) => x.value.range));
      set = set.intersection(t.negated ? own.complement(4).union(own.complement(6)) : own);
    }
    union = union.union(set);
  }
  return unless ? union.complement(4).union(union.complement(6)) : union;
}

/** The matched set as range entries on the rule's line. */
function exactEntries(line: Line, token: string, matched: IPSet, facts: RuleFacts): Entry[] {
  const out: Entry[] = [];
  for (const range of matched.ranges) out.push(makeEntry(line, { token, range, kind: "range" }, facts));
  return out;
}

/** Each source of the alternatives' (single) terms as an entry with the rule's action. */
function sourceEntries(
  out: Entry[],
  alternatives: readonly (readonly CondTerm[])[],
  facts: FactsCache,
  action: Action,
): Entry[] {
  for (const alt of alternatives)
    for (const s of alt[0]!.sources) out.push(makeEntry(s.line, s.value, facts.get(action, s.via)));
  return out;
}

/**
 * A rule as entries. Its condition is read as address terms (a src ACL name, "!name" or "{ src … }") ORed with "or";
 * non-address terms ANDed with them are dropped (read as if they matched). When the condition is plain ("if A or B"),
 * the rule's entries are the ACLs' own addresses; when it is negated ("unless A", "if !A"), the addresses it matches
 * are computed exactly (everyone outside A) so that what it does not match goes on to the next rule.
 */
function ruleEntriesOf(
  proxy: Proxy,
  rule: AccessRule,
  line: Line,
  findings: Finding[],
  reached: Set<string>,
): RuleEntries {
  const entries: Entry[] = [];
  const facts = new FactsCache(line.n);
  if (!rule.cond) {
    for (const term of anyTerms(BOTH_FAMILIES)) entries.push(makeEntry(line, term, facts.get(rule.action)));
    return { entries, closes: rule.action === "deny" };
  }
  const alternatives = readAlternatives({ proxy, rule: { ...rule, cond: rule.cond }, line, findings, reached });
  if (alternatives.length === 0) return { entries, closes: false }; // paths, headers, methods …: not about who connects
  const unless = rule.cond.unless;
  const single = alternatives.every((a) => a.length === 1);
  if (!unless && single && alternatives.every((a) => !a[0]!.negated)) {
    return { entries: sourceEntries(entries, alternatives, facts, rule.action), closes: false };
  }
  // "deny unless A or B" / "deny if !A": the addresses it spares are exactly the listed ones.
  const plainSpared =
    rule.action === "deny" &&
    single &&
    (unless ? alternatives.every((a) => !a[0]!.negated) : alternatives.length === 1 && alternatives[0]![0]!.negated);
  const token = `${unless ? "unless " : ""}${alternatives.map((a) => a.map((t) => `${t.negated ? "!" : ""}${t.name}`).join(" ")).join(" or ")}`;
  if (plainSpared) {
    const allows = sourceEntries([], alternatives, facts, "allow");
    const denyRest = anyTerms(BOTH_FAMILIES).map((term) => makeEntry(line, term, facts.get("deny")));
    const exact = (): Entry[] => exactEntries(line, token, matchedSet(alternatives, unless), facts.get(rule.action));
    return { entries: [], closes: allows.length === 0, spared: { allows, denyRest, exact } };
  }
  const m = matchedSet(alternatives, unless);
  append(entries, exactEntries(line, token, m, facts.get(rule.action)));
  const all = m.containsRange(anyTerms([4])[0]!.range) && m.containsRange(anyTerms([6])[0]!.range);
  return { entries, closes: rule.action === "deny" && all };
}

const PREDEFINED_ACL =
  /^(?:TRUE|FALSE|HTTP|HTTP_1\.[01]|METH_\w+|LOCALHOST|WAIT_END|REQ_CONTENT|RDP_COOKIE|HTTP_CONTENT|HTTP_URL_\w+)$/;

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
