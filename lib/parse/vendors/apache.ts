/**
 * Apache httpd access control: 2.4 `Require ip|not ip|all|host` with <RequireAll>/<RequireAny>/<RequireNone>, and the
 * 2.2 `Order` / `Allow from` / `Deny from` directives. Each container (<Directory>, <Location>, <Files>, a
 * .htaccess) is turned into a first-match list: negations (denials) first, then grants.
 */
import type { Entry, Finding, ParseOptions, ParseOutput, Parser, PathContext, PathInfo } from "../types";
import {
  IPSet,
  compareAddress,
  makeAddress,
  formatRange,
  makePrefix,
  parseNetmask,
  parsePrefix,
  rangeEquals,
} from "../../ip";
import type { Range } from "../../ip";
import { newRange } from "../../ip/range";
import {
  type AddressTerm,
  type Line,
  countLines,
  finding,
  prefixTerm,
  readAddressTerm,
  splitLines,
  tokenize,
} from "./common";
import { BOTH_FAMILIES, anyTerms, append, detectHead, makeEntry } from "./linuxcommon";
import { tagEntries } from "./pathkit";
import { RE2JS } from "re2js";

interface Leaf {
  /** "other": a provider that grants by something else than the address (credentials, an expression, DNS names). */
  readonly t: "ip" | "granted" | "denied" | "other";
  readonly negated: boolean;
  readonly line: Line;
  readonly terms: readonly AddressTerm[];
}

interface Group {
  readonly t: "any" | "all" | "none";
  readonly children: (Group | Leaf)[];
}

interface Section {
  /** The container's opening line ("<Location /hooks>") and kind; undefined for the file's top level. */
  readonly header?: Line;
  readonly kind?: string;
  readonly arg?: string;
  readonly parent?: Section;
  /** `<VirtualHost *:443>`: the ports it listens on. */
  readonly ports?: number[];
  readonly root: Group;
  readonly groups: Group[];
  order?: "deny,allow" | "allow,deny";
  readonly allow22: { line: Line; terms: AddressTerm[] }[];
  readonly deny22: { line: Line; terms: AddressTerm[] }[];
  hasRules: boolean;
  firstLine?: number;
  /** `DocumentRoot` of this VirtualHost (or of the main server). */
  docroot?: string;
  /** `Satisfy Any` (mod_access_compat): the Allow/Deny rules or the Require rules suffice. */
  satisfyAny?: boolean;
  /** ServerName and ServerAlias names of this VirtualHost. */
  names?: string[];
}

const AUTHZ = { requireall: "all", requireany: "any", requirenone: "none" } as const;

function newSection(header?: Line, kind?: string, arg?: string, parent?: Section): Section {
  const root: Group = { t: "any", children: [] };
  const ports =
    kind === "virtualhost"
      ? (arg ?? "").split(/\s+/).flatMap((a) => (/:(\d+)$/.exec(a) ? [Number(/:(\d+)$/.exec(a)![1])] : []))
      : undefined;
  return {
    root,
    groups: [root],
    allow22: [],
    deny22: [],
    hasRules: false,
    ...(header ? { header } : {}),
    ...(kind ? { kind } : {}),
    ...(arg !== undefined ? { arg } : {}),
    ...(parent ? { parent } : {}),
    ...(ports ? { ports } : {}),
  };
}

const PARTIAL = /^(\d{1,3})(?:\.(\d{1,3}))?(?:\.(\d{1,3}))?\.?$/;

function isDigitsAndDots(token: string): boolean {
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c !== 46 && (c < 48 || c > 57)) return false;
  }
  return true;
}

/** Apache's address forms: full address, CIDR, "net/netmask", and partial IPv4 such as "10.1" (= 10.1.0.0/16). */
function readApacheAddress(
  token: string,
): { ok: true; term: AddressTerm } | { ok: false; kind: Finding["kind"]; message: string } {
  // A partial address has at most 12 characters, digits and dots: other tokens skip the regex.
  const partial = token.length <= 12 && isDigitsAndDots(token) ? PARTIAL.exec(token) : null;
  if (partial) {
    const octets = [partial[1], partial[2], partial[3]].filter((o): o is string => o !== undefined).map(Number);
    if (octets.every((o) => o <= 255)) {
      let value = 0n;
      for (let i = 0; i < 4; i++) value = (value << 8n) | BigInt(octets[i] ?? 0);
      return { ok: true, term: prefixTerm(token, makePrefix(makeAddress(4, value), octets.length * 8)) };
    }
  }
  const slash = token.indexOf("/");
  if (slash > 0 && token.indexOf(".", slash + 1) !== -1) {
    const mask = parseNetmask(token.slice(slash + 1));
    const p = mask.ok ? parsePrefix(`${token.slice(0, slash)}/${mask.value}`) : undefined;
    if (p?.ok) return { ok: true, term: prefixTerm(token, p.value) };
  }
  const r = readAddressTerm(token);
  if (r.ok && r.term.kind === "range")
    return { ok: false, kind: "invalid", message: `Apache does not accept ranges such as "${token}".` };
  return r;
}

export function parseApache(text: string, options: ParseOptions = {}): ParseOutput {
  const findings: Finding[] = [];
  const sections = readSections(text, findings);
  const port = options.port ?? 443;
  const url = options.ingress !== undefined && options.ingress.startsWith("/") ? options.ingress : undefined;
  const hasVhosts = sections.some((x) => x.kind === "virtualhost");
  const ruled = sections.filter((x) => x.hasRules).sort((a, b) => (a.firstLine ?? 0) - (b.firstLine ?? 0));
  const why = new Map<Section, string>();
  const chosen = chooseSections(sections, ruled, port, url, why);
  const entries: Entry[] = [];
  const contexts: PathContext[] = [];
  for (const x of ruled) {
    const c = contexts.length;
    contexts.push(sectionContext(x, chosen.includes(x), port, url, why.get(x)));
    const from = entries.length;
    append(entries, grantEntries(x));
    tagEntries(entries, from, c);
  }
  // A server that answers on the port with no access rule on the webhook's way (none written, or only for other
  // methods: <Limit GET>) grants the request: mod_authz_core refuses only what a Require refuses. Checked on Apache
  // 2.4: a POST under <Limit GET> Require ip … got 200 from every source ("directive limited to other methods").
  const listening = hasVhosts
    ? sections.find((x) => x.kind === "virtualhost" && onPort(x, port))
    : sections.find((x) => x.kind !== undefined);
  if (listening !== undefined && !ruled.some((x) => chosen.includes(x)))
    contexts.push({
      name: hasVhosts ? `${listening.header?.text ?? "<VirtualHost>"} (no access rule)` : "no access rule",
      line: listening.header?.n ?? 0,
      text: listening.header?.text ?? "",
      fallthrough: "allow",
      onPath: true,
      reason:
        "No Require (or Order/Allow/Deny) in the paste applies to the webhook's POST: Apache grants it, unless a section outside the paste (the main configuration's <Directory />, say) refuses it.",
    });
  const notes =
    hasVhosts && !ruled.some((x) => onPort(x, port)) && ruled.length > 0 && listening === undefined
      ? [`No VirtualHost with access rules listens on port ${port}.`]
      : [];
  const out: ParseOutput = {
    format: "apache",
    entries,
    findings: findings.sort((a, b) => a.line - b.line),
    lineCount: countLines(text),
    notes,
  };
  if (contexts.length === 0) return out;
  const path: PathInfo = {
    contexts,
    ...(url !== undefined ? { ingress: url } : {}),
    assumption:
      url !== undefined
        ? `Port ${port}, URL path ${url}: the last Location with access rules that matches it, else the Directory sections.`
        : `Port ${port}: ${hasVhosts ? "the VirtualHosts listening on it; " : ""}${chosen.length < ruled.filter((x) => onPort(x, port)).length ? "the sections that look like the webhook's" : "every section with access rules (all must grant)"}. Another port: --port; the webhook's URL path: --ingress /path.`,
  };
  return { ...out, path };
}

/** Where the section reader is: the open sections (innermost last), every section so far, the findings. */
interface ApacheRead {
  readonly stack: Section[];
  readonly sections: Section[];
  readonly findings: Finding[];
  /** Open <If>/<ElseIf>/<Else>/<Limit>/<LimitExcept> containers; `skip`: their access rules are not the webhook's. */
  readonly conditional: { name: string; skip: boolean; line: Line; reported: boolean }[];
  /** Inside a container opened past MAX_NESTING: how many of the containers read here are open (0: not skipping). */
  skipping: number;
}

/**
 * Containers (sections, Require groups, conditionals) nested deeper than this are reported and skipped with what they
 * hold. Real configs nest a handful; 3,000 nested <RequireAll> overflowed the recursive evaluation, and each line
 * looked through every open conditional.
 */
export const MAX_NESTING = 64;

/** Whether `name` (lower case) is a container the reader follows: a section, a Require group or a conditional. */
function isContainer(name: string): boolean {
  return CONDITIONAL.has(name) || AUTHZ[name as keyof typeof AUTHZ] !== undefined || SECTION_TAGS.test(name);
}

const CONDITIONAL = new Set(["if", "elseif", "else", "limit", "limitexcept"]);
const ACCESS_DIRECTIVES = new Set(["require", "allow", "deny", "order", "satisfy"]);

/**
 * Whether the access rules inside a conditional container apply to the webhook (a POST): <Limit M…> only to the
 * methods listed, <LimitExcept M…> only to the others (https://httpd.apache.org/docs/2.4/mod/core.html#limit);
 * <If>/<ElseIf>/<Else> only when an expression the paste cannot evaluate holds (https://httpd.apache.org/docs/2.4/mod/core.html#if).
 */
function conditionalSkip(name: string, t: string): boolean {
  if (name === "limit" || name === "limitexcept") {
    const methods = t
      .replace(/^<\s*\w+\s*/, "")
      .replace(/>\s*$/, "")
      .toUpperCase()
      .split(/\s+/);
    return methods.includes("POST") === (name === "limitexcept");
  }
  return true;
}

/** Reads one directive (its words, the first lower-cased in `directive`) into the innermost open section. */
type DirectiveHandler = (r: ApacheRead, section: Section, words: readonly string[], line: Line) => void;

const DIRECTIVES: ReadonlyMap<string, DirectiveHandler> = new Map<string, DirectiveHandler>([
  ["require", readRequire],
  ["order", readOrder],
  ["allow", readAllowDeny],
  ["deny", readAllowDeny],
  [
    "documentroot",
    (_r, section, words) => {
      if (words[1] !== undefined) section.docroot = words[1];
    },
  ],
  ["servername", readServerName],
  ["serveralias", readServerName],
  ["include", readInclude],
  ["includeoptional", readInclude],
  [
    "satisfy",
    (_r, section, words) => {
      section.satisfyAny = words[1]?.toLowerCase() === "any";
    },
  ],
]);

const SECTION_TAGS =
  /^(?:directory|directorymatch|location|locationmatch|files|filesmatch|virtualhost|proxy|proxymatch)$/;

/** Every section (the main config first), with lines joined across trailing backslashes. */
function readSections(text: string, findings: Finding[]): Section[] {
  const r: ApacheRead = { stack: [newSection()], sections: [], findings, conditional: [], skipping: 0 };
  r.sections.push(r.stack[0]!);
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
    readLine(r, line);
  }
  return r.sections;
}

/** One logical line: an opening or closing tag, or a directive (every other directive holds no access rule). */
function readLine(r: ApacheRead, line: Line): void {
  const t = line.text;
  if (t === "" || t.startsWith("#")) return;
  const { stack } = r;
  const section = stack[stack.length - 1]!;
  // Tags start with "<": directive lines skip both tag regexes.
  const open = t.charCodeAt(0) === 60 ? /^<\s*(\w+)/.exec(t) : null;
  if (r.skipping > 0) {
    const close = open ? null : t.charCodeAt(0) === 60 ? /^<\/\s*(\w+)/.exec(t) : null;
    if (open && isContainer(open[1]!.toLowerCase())) r.skipping++;
    else if (close && isContainer(close[1]!.toLowerCase())) r.skipping--;
    return;
  }
  if (open && isContainer(open[1]!.toLowerCase())) {
    const depth = stack.length + section.groups.length + r.conditional.length - 2;
    if (depth >= MAX_NESTING) {
      r.findings.push(
        finding(
          line,
          "not-understood",
          `Containers nested deeper than ${MAX_NESTING} levels are not read: this one and everything in it are skipped.`,
        ),
      );
      r.skipping = 1;
      return;
    }
  }
  const skipping = r.conditional.some((c) => c.skip);
  if (open) {
    const name = open[1]!.toLowerCase();
    if (CONDITIONAL.has(name)) {
      r.conditional.push({ name, skip: conditionalSkip(name, t), line, reported: false });
      return;
    }
    if (skipping && AUTHZ[name as keyof typeof AUTHZ]) return;
    const kind = AUTHZ[name as keyof typeof AUTHZ];
    if (kind) {
      const g: Group = { t: kind, children: [] };
      section.groups[section.groups.length - 1]!.children.push(g);
      section.groups.push(g);
    } else if (SECTION_TAGS.test(name)) {
      const arg = t
        .replace(/^<\s*\w+\s*/, "")
        .replace(/>\s*$/, "")
        .replace(/^"|"$/g, "")
        .trim();
      const s = newSection(line, name, arg, section);
      stack.push(s);
      r.sections.push(s);
    }
    return;
  }
  const close = t.charCodeAt(0) === 60 ? /^<\/\s*(\w+)/.exec(t) : null;
  if (close) {
    const name = close[1]!.toLowerCase();
    if (CONDITIONAL.has(name)) {
      const i = r.conditional.map((c) => c.name).lastIndexOf(name);
      if (i >= 0) r.conditional.length = i;
      return;
    }
    if (skipping && AUTHZ[name as keyof typeof AUTHZ]) return;
    if (AUTHZ[name as keyof typeof AUTHZ]) {
      if (section.groups.length > 1) section.groups.pop();
    } else if (SECTION_TAGS.test(name)) {
      if (stack.length > 1) stack.pop();
    }
    return;
  }
  const words = tokenize(t);
  const directive = (words[0] ?? "").toLowerCase();
  if (skipping && ACCESS_DIRECTIVES.has(directive)) {
    const c = r.conditional.find((x) => x.skip)!;
    if (!c.reported) {
      c.reported = true;
      r.findings.push(
        finding(
          c.line,
          "note",
          c.name.startsWith("limit")
            ? `The access rules of ${c.line.text.replace(/>\s*$/, ">")} apply to other HTTP methods than the webhook's POST: not read.`
            : `The access rules of ${c.line.text.replace(/>\s*$/, ">")} apply only when its expression holds, which the paste cannot tell: not read.`,
        ),
      );
    }
    return;
  }
  DIRECTIVES.get(directive)?.(r, section, words, line);
}

/**
 * `Include FILE` / `IncludeOptional FILE`: the file's directives take its place
 * (https://httpd.apache.org/docs/2.4/mod/core.html#include), so Require lines in it apply here, but it is not in the
 * paste: a note names it. Module loading and mime includes (mods-enabled/*.load, *.conf of modules) are skipped.
 */
function readInclude(r: ApacheRead, _section: Section, words: readonly string[], line: Line): void {
  const file = words[1];
  if (file === undefined || /(?:^|\/)mods-(?:enabled|available)\/|\.load$|mime\.types$/.test(file)) return;
  r.findings.push(
    finding(
      line,
      "note",
      `${words[0]} ${file}: that file is not in the paste; Require lines in it would apply here and are not read (paste its content in its place).`,
    ),
  );
}

function readServerName(_r: ApacheRead, section: Section, words: readonly string[]): void {
  (section.names ??= []).push(...words.slice(1).map((w) => w.replace(/^[a-z]+:\/\//i, "").replace(/:\d+$/, "")));
}

/** `Require [not] ip …`, `Require all granted|denied`; host names are findings; other providers name no addresses. */
function readRequire(r: ApacheRead, section: Section, words: readonly string[], line: Line): void {
  const { findings } = r;
  section.hasRules = true;
  section.firstLine ??= line.n;
  const negated = words[1]?.toLowerCase() === "not";
  const at = negated ? 2 : 1;
  const provider = (words[at] ?? "").toLowerCase();
  const group = section.groups[section.groups.length - 1]!;
  // mod_authz_core refuses a negated Require directly in <RequireAny> (the implicit container of a section's Require
  // lines) or <RequireNone>: httpd does not start ("negative Require directive has no effect in <RequireAny>
  // directive": add_authz_provider in modules/aaa/mod_authz_core.c, https://bz.apache.org/bugzilla/show_bug.cgi?id=60946;
  // a negated Require "can only fail or return a neutral result", https://httpd.apache.org/docs/2.4/mod/mod_authz_core.html#require).
  // The line is still read as written.
  if (negated && group.t !== "all" && provider !== "")
    findings.push(
      finding(
        line,
        "invalid",
        `httpd refuses this line and does not start: a negated Require has no effect in ${group === section.root ? "the implicit <RequireAny> of a section" : group.t === "any" ? "<RequireAny>" : "<RequireNone>"} ("negative Require directive has no effect"). Put it in a <RequireAll> with the Require lines that grant.`,
      ),
    );
  if (provider === "ip") {
    const terms: AddressTerm[] = [];
    for (let i = at + 1; i < words.length; i++) {
      if (words[i]!.startsWith("#")) {
        findings.push(trailingComment(line));
        break;
      }
      const a = readApacheAddress(words[i]!);
      if (a.ok) terms.push(a.term);
      else findings.push(finding(line, a.kind, a.message));
    }
    group.children.push({ t: "ip", negated, line, terms });
  } else if (provider === "local") {
    // mod_authz_host: "Require local" grants 127.0.0.0/8, ::1 (and the server's own address), denies the rest.
    // https://httpd.apache.org/docs/2.4/mod/mod_authz_host.html#reqlocal
    const terms = ["127.0.0.0/8", "::1"].map((a) => readApacheAddress(a)).flatMap((a) => (a.ok ? [a.term] : []));
    group.children.push({ t: "ip", negated, line, terms });
  } else if (provider === "all" && (words[at + 1] === "granted" || words[at + 1] === "denied")) {
    group.children.push({ t: words[at + 1] === "granted" ? "granted" : "denied", negated, line, terms: [] });
  } else if (provider === "host" || provider === "forward-dns") {
    findings.push(finding(line, "hostname", `"Require ${provider}" matches DNS names: only addresses can be checked.`));
    group.children.push({ t: "other", negated, line, terms: [] });
  } else if (provider === "method") {
    // https://httpd.apache.org/docs/2.4/mod/mod_authz_core.html#reqmethod: grants the listed methods (the webhook: POST).
    const post = words.slice(at + 1).some((m) => m.toUpperCase() === "POST");
    group.children.push({ t: post ? "granted" : "other", negated, line, terms: [] });
  } else if (provider !== "") {
    // valid-user, user, group, env, expr, ldap-… (https://httpd.apache.org/docs/2.4/mod/mod_authz_core.html#require):
    // they grant by credentials or a condition the paste cannot check, never by the sender's address alone.
    findings.push(
      finding(
        line,
        "note",
        `"Require ${negated ? "not " : ""}${provider}" grants by credentials or a condition the paste cannot check: read as granting no address.`,
      ),
    );
    group.children.push({ t: "other", negated, line, terms: [] });
  }
}

/**
 * Apache reads "#" as a comment only at the start of a line (https://httpd.apache.org/docs/2.4/configuring.html#syntax:
 * "Comments may not be included on the same line as a configuration directive"): after a directive it is an argument,
 * and httpd refuses "Require ip … # …" ("ip address '#' appears to be invalid") and does not start. The words after it
 * are not read as addresses (a "1" in the comment would be the partial address 1.0.0.0/8).
 */
function trailingComment(line: Line): Finding {
  return finding(
    line,
    "invalid",
    `Apache allows no comment after a directive: it reads "#" and the words after it as addresses, and httpd refuses this line ("ip address '#' appears to be invalid") and does not start. Put the comment on a line of its own.`,
  );
}

function readOrder(_r: ApacheRead, section: Section, words: readonly string[], line: Line): void {
  const v = words.slice(1).join("").toLowerCase();
  section.order = v.startsWith("allow") || v.startsWith("mutual") ? "allow,deny" : "deny,allow";
  section.hasRules = true;
  section.firstLine ??= line.n;
}

/** Apache 2.2 `Allow from …` / `Deny from …`. */
function readAllowDeny(r: ApacheRead, section: Section, words: readonly string[], line: Line): void {
  const directive = (words[0] ?? "").toLowerCase();
  if (words[1]?.toLowerCase() !== "from") return;
  section.hasRules = true;
  section.firstLine ??= line.n;
  const terms: AddressTerm[] = [];
  for (const tok of words.slice(2)) {
    if (tok.startsWith("#")) {
      r.findings.push(trailingComment(line));
      break;
    }
    if (tok.toLowerCase() === "all") terms.push(...anyTerms(BOTH_FAMILIES, "all"));
    else if (tok.startsWith("env=") || tok.startsWith("env=!")) continue;
    else {
      const a = readApacheAddress(tok);
      if (a.ok) terms.push(a.term);
      else r.findings.push(finding(line, a.kind, a.message));
    }
  }
  (directive === "allow" ? section.allow22 : section.deny22).push({ line, terms });
}

function vhostOf(x: Section): Section | undefined {
  for (let y: Section | undefined = x; y !== undefined; y = y.parent) if (y.kind === "virtualhost") return y;
  return undefined;
}

function onPort(x: Section, port: number): boolean {
  const v = vhostOf(x);
  return v === undefined || (v.ports ?? []).length === 0 || v.ports!.includes(port);
}

/**
 * Which ruled sections a request to the webhook meets: with a URL given, the last matching Location (AuthMerging
 * Off: the last section with authorization wins); otherwise the ones that look like the webhook's, else all.
 */
function chooseSections(
  sections: readonly Section[],
  ruled: Section[],
  port: number,
  url: string | undefined,
  why: Map<Section, string>,
): Section[] {
  // Name-based virtual hosts: Apache picks one VirtualHost per request by its host name
  // (https://httpd.apache.org/docs/2.4/vhosts/name-based.html). When one on the port is named like the webhook's,
  // the others' sections are not crossed.
  const vhosts = sections.filter((x) => x.kind === "virtualhost" && onPort(x, port));
  const hookyHosts = vhosts.filter((v) => (v.names ?? []).some((n) => /hook|fresh|callback/i.test(n)));
  if (vhosts.length > 1 && hookyHosts.length > 0) {
    const names = hookyHosts.flatMap((v) => v.names ?? []).join(", ");
    ruled = ruled.filter((x) => {
      const v = vhostOf(x);
      if (v === undefined || !vhosts.includes(v) || hookyHosts.includes(v)) return true;
      why.set(
        x,
        `another VirtualHost (${(v.names ?? []).join(", ") || "no ServerName"}): the webhook is assumed to reach ${names}`,
      );
      return false;
    });
  }
  // The ruled <Location>/<LocationMatch> sections holding a URL path, last in merge order: they are merged in the order
  // they appear, those of a VirtualHost after the main server's, and with AuthMerging Off the last one with
  // authorization directives decides (https://httpd.apache.org/docs/2.4/sections.html#merging).
  const lastLocation = (path: string): Section | undefined => {
    const matches = (x: Section): boolean =>
      (x.kind === "location" && path.startsWith(x.arg ?? "\u0000")) ||
      (x.kind === "locationmatch" && safeRegex(x.arg ?? "")?.test(path) === true);
    const rank = (x: Section) => (vhostOf(x) !== undefined ? 1e9 : 0) + (x.header?.n ?? 0);
    return ruled
      .filter((x) => onPort(x, port) && matches(x))
      .reduce<Section | undefined>((a, b) => (a === undefined || rank(b) > rank(a) ? b : a), undefined);
  };
  if (url !== undefined) {
    const last = lastLocation(url);
    return last !== undefined
      ? [last]
      : narrow(
          sections,
          ruled.filter((x) => onPort(x, port) && x.kind !== "location" && x.kind !== "locationmatch"),
          port,
          why,
        );
  }
  const reachable = ruled.filter((x) => onPort(x, port));
  const hooky = reachable.filter((x) => /hook|fresh|callback/i.test(x.arg ?? ""));
  if (hooky.length === 0) return narrow(sections, reachable, port, why);
  // A <Location> that looks like the webhook's decides for its path unless another ruled one holding that path is
  // merged after it (a <Location /> written below it, say).
  const chosen = new Set<Section>();
  for (const h of hooky) {
    // Each look-up reads every ruled section: past a few dozen such sections (no real config has them) each decides
    // for itself, so thousands stay linear.
    const last = h.kind === "location" && hooky.length <= MAX_HOOKY ? lastLocation(h.arg ?? "") : undefined;
    if (last !== undefined && last !== h) {
      why.set(
        h,
        `${last.header?.text ?? "a later <Location>"} also holds ${h.arg ?? ""} and is merged after it: it decides instead (AuthMerging Off)`,
      );
      chosen.add(last);
    } else chosen.add(h);
  }
  overrideByLocation(chosen, why);
  return [...chosen];
}

/**
 * <Location> sections are merged after every <Directory> and <Files> one, and the last section with rules of a module
 * replaces the others' for that module: mod_authz_core's Require with AuthMerging Off (the default), and
 * mod_access_compat's Order/Allow/Deny, which has no merge at all. So when the webhook's URL is a <Location> that looks
 * like its own, a <Directory> that also looks like it (its files) decides nothing that the Location rules too.
 * https://httpd.apache.org/docs/2.4/sections.html#merging, https://httpd.apache.org/docs/2.4/mod/mod_authz_core.html#authmerging,
 * https://httpd.apache.org/docs/2.4/mod/mod_access_compat.html ("Mixing old and new directives")
 */
function overrideByLocation(chosen: Set<Section>, why: Map<Section, string>): void {
  // The first Location holding rules of each pair of modules: [neither, Require only, Order/Allow/Deny only, both].
  const modules = (x: Section) =>
    (x.groups.some((g) => g.children.length > 0) ? 1 : 0) |
    (x.order !== undefined || x.allow22.length > 0 || x.deny22.length > 0 ? 2 : 0);
  const first: (Section | undefined)[] = [];
  for (const l of chosen) if (l.kind === "location" || l.kind === "locationmatch") first[modules(l)] ??= l;
  for (const d of [...chosen]) {
    if (!DIRECTORY_KINDS.has(d.kind ?? "") && d.kind !== "files" && d.kind !== "filesmatch") continue;
    const needs = modules(d);
    // A Location holding rules of every module the Directory holds (the first written such).
    const over = [0, 1, 2, 3]
      .filter((m) => (m & needs) === needs && first[m] !== undefined)
      .map((m) => first[m]!)
      .sort((a, b) => (a.header?.n ?? 0) - (b.header?.n ?? 0))[0];
    if (over === undefined) continue;
    chosen.delete(d);
    why.set(
      d,
      `${over.header?.text ?? "a <Location>"} is merged after it and its rules replace these for the webhook's URL (AuthMerging Off; Order/Allow/Deny never merge)`,
    );
  }
}

const DIRECTORY_KINDS = new Set(["directory", "directorymatch"]);

const directoryTests = new WeakMap<Section, ((path: string) => boolean) | undefined>();

/** A <Directory> path (wildcards allowed) or <DirectoryMatch> regex as a test on a file path under it (built once). */
function directoryTest(x: Section): ((path: string) => boolean) | undefined {
  if (directoryTests.has(x)) return directoryTests.get(x);
  const arg = (x.arg ?? "").replace(/^~\s*/, "");
  let test: ((path: string) => boolean) | undefined;
  if (x.kind === "directorymatch" || (x.arg ?? "").startsWith("~")) {
    const re = safeRegex(arg);
    test = re ? (path) => re.test(path) || re.test(`${path}/`) : undefined;
  } else {
    const base = plainBase(x);
    if (base !== undefined) test = (path) => base === "" || isUnder(normalizedPath(path), base);
    else {
      const glob = safeRegex(
        `^${arg
          .replace(/\/+$/, "")
          .replace(/[.+^${}()|\\]/g, "\\$&")
          .replace(/\*/g, "[^/]*")
          .replace(/\?/g, "[^/]")}(?:/|$)`,
      );
      test = glob ? (path) => glob.test(normalizedPath(path)) : undefined;
    }
  }
  directoryTests.set(x, test);
  return test;
}

/** Sections that look like the webhook's beyond which each decides for itself (see chooseSections). */
const MAX_HOOKY = 64;

/** How many wildcard or regex <Directory> tests one paste may run when choosing sections. */
const MAX_PATTERN_TESTS = 200_000;

/** Paths longer than Linux's PATH_MAX name no directory: not compared (keeps the look-ups below linear). */
const MAX_PATH = 4096;

/** A path without its trailing slashes ("/" for the root). */
function normalizedPath(path: string): string {
  return path.replace(/\/+$/, "") || "/";
}

/** The path of a <Directory> written without wildcards, without trailing slashes ("" for "/"); else undefined. */
function plainBase(x: Section): string | undefined {
  const arg = x.arg ?? "";
  if (x.kind !== "directory" || arg.startsWith("~") || /[*?[]/.test(arg) || arg.length > MAX_PATH) return undefined;
  return arg.replace(/\/+$/, "");
}

function isUnder(path: string, base: string): boolean {
  return path === base || (path.startsWith(base) && path.charCodeAt(base.length) === 47); /* "/" */
}

/** The directories holding `path` (normalized), itself included, as plain bases: "/a/b" gives "", "/a", "/a/b". */
function ancestorsOf(path: string): string[] {
  if (path.length > MAX_PATH) return [];
  const out = [""];
  for (let i = path.indexOf("/", 1); i !== -1; i = path.indexOf("/", i + 1)) out.push(path.slice(0, i));
  if (path !== "/") out.push(path);
  return out;
}

/**
 * The sections a request to the webhook's files meets when the URL is not given. Authorization does not merge
 * (AuthMerging Off): of the <Directory> sections holding the DocumentRoot, the most specific one decides, and a
 * <Location /> (merged after every <Directory>) overrides them all; <Files>/<FilesMatch> sections apply to other file
 * names (".ht*", "xmlrpc.php") than the webhook's handler.
 * https://httpd.apache.org/docs/2.4/sections.html#merging, https://httpd.apache.org/docs/2.4/mod/mod_authz_core.html#authmerging
 */
function narrow(
  sections: readonly Section[],
  reachable: readonly Section[],
  port: number,
  why: Map<Section, string>,
): Section[] {
  const docroots = sections
    .filter((x) => x.docroot !== undefined && x.kind === "virtualhost" && onPort(x, port))
    .map((x) => x.docroot!);
  if (docroots.length === 0 && sections[0]?.docroot !== undefined) docroots.push(sections[0].docroot);
  const dirs = reachable.filter((x) => DIRECTORY_KINDS.has(x.kind ?? ""));
  const locationRoot = reachable.find((x) => x.kind === "location" && (x.arg ?? "").replace(/\/+$/, "") === "");
  const keep = new Set<Section>();
  // Plain <Directory> paths are looked up by path; wildcard and regex ones are tested one by one, up to a budget of
  // tests (past it they are kept on the path, the safe side): thousands of sections stay linear.
  const byBase = new Map<string, number[]>();
  const tested: number[] = [];
  dirs.forEach((d, i) => {
    const base = plainBase(d);
    if (base === undefined) tested.push(i);
    else {
      const list = byBase.get(base);
      if (list) list.push(i);
      else byBase.set(base, [i]);
    }
  });
  let budget = MAX_PATTERN_TESTS;
  const roots = docroots.join(", ");
  if (locationRoot === undefined) {
    if (docroots.length > 0) {
      for (const root of docroots) {
        const path = normalizedPath(root);
        const holding = ancestorsOf(path).flatMap((a) => byBase.get(a) ?? []);
        for (const i of tested)
          if (budget-- <= 0) keep.add(dirs[i]!);
          else if (directoryTest(dirs[i]!)?.(root) === true) holding.push(i);
        // The most specific: the longest path; a DirectoryMatch is applied after every <Directory> (and of equals, the
        // one written last).
        const rank = (x: Section) => (x.kind === "directorymatch" ? 1e6 : (x.arg ?? "").replace(/\/+$/, "").length);
        let best: number | undefined;
        for (const i of holding.sort((x, y) => x - y))
          if (best === undefined || rank(dirs[i]!) >= rank(dirs[best]!)) best = i;
        if (best !== undefined) keep.add(dirs[best]!);
      }
      for (const d of dirs)
        if (!keep.has(d))
          why.set(
            d,
            directoryTest(d)?.(docroots[0]!) === true
              ? `a more specific <Directory> holding the DocumentRoot (${roots}) decides instead (AuthMerging Off)`
              : `it does not hold the DocumentRoot (${roots})`,
          );
    } else {
      // No DocumentRoot in the paste: a <Directory> holding another ruled one is assumed overridden by it.
      const inner = new Map<string, Section>();
      for (const e of dirs) {
        if (e.kind !== "directory") continue;
        const path = normalizedPath(e.arg ?? "");
        for (const a of ancestorsOf(path)) if (a !== path.replace(/\/+$/, "") && !inner.has(a)) inner.set(a, e);
      }
      const distinct = new Set(dirs.filter((e) => e.kind === "directory").map((e) => normalizedPath(e.arg ?? "")));
      const belowRoot = dirs.find((e) => e.kind === "directory" && normalizedPath(e.arg ?? "") !== "/");
      for (const d of dirs) {
        if (d.kind !== "directory") {
          keep.add(d);
          continue;
        }
        const base = plainBase(d);
        const own = normalizedPath(d.arg ?? "");
        let holds: Section | undefined;
        if (base === "") holds = belowRoot;
        else if (base !== undefined) holds = inner.get(base);
        else if (distinct.size > 1)
          holds = dirs.find(
            (e) =>
              e !== d &&
              e.kind === "directory" &&
              budget-- > 0 &&
              directoryTest(d)?.(e.arg ?? "") === true &&
              normalizedPath(e.arg ?? "") !== own,
          );
        if (holds)
          why.set(
            d,
            `the webhook's files are assumed under ${holds.header?.text ?? ""}, which decides instead (AuthMerging Off)`,
          );
        else keep.add(d);
      }
    }
  } else
    for (const d of dirs)
      why.set(
        d,
        `${locationRoot.header?.text ?? "<Location />"} applies to every URL after the <Directory> sections and decides instead`,
      );
  for (const x of reachable)
    if (x.kind === "files" || x.kind === "filesmatch")
      why.set(x, "it applies to other file names than the webhook's (assumed); --ingress /path to check one");
  return reachable.filter((x) => (DIRECTORY_KINDS.has(x.kind ?? "") ? keep.has(x) : !why.has(x)));
}

/** The path context of a ruled section, saying why it is (or is not) on the path. */
function sectionContext(
  x: Section,
  onPath: boolean,
  port: number,
  url: string | undefined,
  why: string | undefined,
): PathContext {
  const v = vhostOf(x);
  return {
    name: x.header ? `${v && v !== x ? `${v.header!.text} ` : ""}${x.header.text}` : "the access rules",
    line: x.header?.n ?? x.firstLine ?? 0,
    text: x.header?.text ?? "",
    fallthrough: "deny",
    onPath,
    reason: onPath
      ? "Its Require (or Order/Allow/Deny) rules must grant the connection; what they do not grant is refused."
      : why !== undefined
        ? why
        : !onPort(x, port)
          ? `its VirtualHost listens on ${(v?.ports ?? []).join(", ")}, not ${port}`
          : url !== undefined
            ? `the request for ${url} is served by another section`
            : "the webhook is assumed to reach a section that looks like its own (hook, fresh, callback)",
  };
}

/** The first index of sorted disjoint `ranges` whose end is at or after r's start (same family order as IPSet). */
function firstReaching(ranges: readonly Range[], r: Range): number {
  let lo = 0;
  let hi = ranges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareAddress(ranges[mid]!.last, r.first) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The parts of r inside sorted disjoint `ranges`. */
function clip(ranges: readonly Range[], r: Range): Range[] {
  const out: Range[] = [];
  for (let i = firstReaching(ranges, r); i < ranges.length && compareAddress(ranges[i]!.first, r.last) <= 0; i++) {
    const x = ranges[i]!;
    out.push(
      newRange(
        compareAddress(x.first, r.first) > 0 ? x.first : r.first,
        compareAddress(x.last, r.last) < 0 ? x.last : r.last,
      ),
    );
  }
  return out;
}

/** The parts of r outside sorted disjoint `ranges`. */
function gaps(ranges: readonly Range[], r: Range): Range[] {
  const inside = clip(ranges, r);
  const out: Range[] = [];
  let from = r.first;
  for (const x of inside) {
    if (compareAddress(x.first, from) > 0) out.push(newRange(from, makeAddress(from.family, x.first.value - 1n)));
    if (x.last.value === r.last.value) return out;
    from = makeAddress(from.family, x.last.value + 1n);
  }
  out.push(newRange(from, r.last));
  return out;
}

/**
 * A regular expression from the paste (<LocationMatch>, <DirectoryMatch>, a <Directory> wildcard) as a test, run by
 * RE2's linear-time engine: with the backtracking RegExp, "(a+)+$" against a long path from the same paste never
 * finished. Undefined when RE2 cannot read it (back-references, look-arounds): such a section then matches nothing.
 */
function safeRegex(re: string): { test(text: string): boolean } | undefined {
  try {
    const compiled = RE2JS.compile(re);
    return { test: (text) => compiled.matcher(text).find() };
  } catch {
    return undefined;
  }
}

/** What a node decides for every address: granted, denied, the rest neutral (mod_authz_core's three results). */
interface Verdict {
  readonly granted: IPSet;
  readonly denied: IPSet;
}

const EVERYONE = IPSet.fromRanges(anyTerms(BOTH_FAMILIES).map((t) => t.range));
const NOBODY = IPSet.empty();

/**
 * mod_authz_core, exactly: `Require ip X` grants X and denies the rest; `Require not ip X` denies X (neutral
 * otherwise); RequireAny grants what any child grants, else denies what any denies; RequireAll denies what any child
 * denies, else grants what any grants; RequireNone denies what any child grants.
 * https://httpd.apache.org/docs/2.4/mod/mod_authz_core.html#logic
 */
function evaluate(node: Group | Leaf, needDenied = true): Verdict {
  if (!("children" in node)) {
    // Neither grants nor refuses an address by itself: read as granting none (negated: neutral).
    if (node.t === "other")
      return node.negated ? { granted: NOBODY, denied: NOBODY } : { granted: NOBODY, denied: EVERYONE };
    const set = node.t === "ip" ? IPSet.fromRanges(node.terms.map((t) => t.range)) : EVERYONE;
    if (node.t === "denied")
      return node.negated ? { granted: NOBODY, denied: NOBODY } : { granted: NOBODY, denied: EVERYONE };
    if (node.negated) return { granted: NOBODY, denied: set };
    return { granted: set, denied: needDenied ? EVERYONE.difference(set) : NOBODY };
  }
  if (node.t === "any" && !needDenied) {
    // Only what is granted matters here: the children's grants, read straight from their ranges (the common case of
    // thousands of `Require ip` lines costs one set build).
    const ranges: Range[] = [];
    for (const c of node.children) {
      if (!("children" in c) && c.t === "ip" && !c.negated) for (const t of c.terms) ranges.push(t.range);
      else for (const r of evaluate(c, false).granted.ranges) ranges.push(r);
    }
    return { granted: IPSet.fromRanges(ranges), denied: NOBODY };
  }
  if (node.t === "all") {
    // Every `Require ip` child denies what it does not list, so together they grant at most their intersection; kept
    // running (it only shrinks), this stays linear for thousands of lines.
    let inter: IPSet | undefined;
    const denied: Range[] = [];
    const grantedOther: Range[] = [];
    for (const c of node.children) {
      if (!("children" in c) && c.t === "ip") {
        if (c.negated) for (const t of c.terms) denied.push(t.range);
        // Once nothing is left in common, further grants cannot add anything.
        else if (inter === undefined || !inter.isEmpty()) {
          const set = IPSet.fromRanges(c.terms.map((t) => t.range));
          inter = inter === undefined ? set : inter.intersection(set);
        }
        continue;
      }
      const v = evaluate(c, true);
      for (const r of v.denied.ranges) denied.push(r);
      for (const r of v.granted.ranges) grantedOther.push(r);
    }
    const d = IPSet.fromRanges(denied);
    const allDenied = inter === undefined ? d : d.union(inter.complement(4)).union(inter.complement(6));
    const granted = (inter ?? IPSet.fromRanges(grantedOther)).difference(allDenied);
    return { granted, denied: allDenied };
  }
  const parts = node.children.map((c) => evaluate(c, node.t === "any" && needDenied));
  // One union of all the children's ranges: a section may hold thousands of Require lines.
  const anyGranted = IPSet.fromRanges(parts.flatMap((p) => p.granted.ranges));
  const anyDenied = node.t === "none" ? NOBODY : IPSet.fromRanges(parts.flatMap((p) => p.denied.ranges));
  if (node.t === "any") return { granted: anyGranted, denied: anyDenied.difference(anyGranted) };
  return { granted: NOBODY, denied: anyGranted };
}

/** mod_access_compat: Order deny,allow allows all but Deny, Allow overriding; allow,deny (and mutual-failure) only Allow minus Deny. */
function legacyAllowed(s: Section): IPSet {
  const allow = IPSet.fromRanges(s.allow22.flatMap((a) => a.terms.map((t) => t.range)));
  const deny = IPSet.fromRanges(s.deny22.flatMap((d) => d.terms.map((t) => t.range)));
  return (s.order ?? "deny,allow") === "deny,allow" ? EVERYONE.difference(deny).union(allow) : allow.difference(deny);
}

const GRANT_FACTS = { action: "allow", direction: "in", protocol: "tcp" } as const;
const DENY_FACTS = { action: "deny", direction: "in", protocol: "tcp" } as const;

/** What grantEntries gathers while it visits the leaves: the entries, and the ranges some line grants. */
interface GrantWalk {
  readonly grantedRanges: readonly Range[];
  readonly out: Entry[];
  readonly grantLeaves: Range[];
}

/** One leaf's entries: the parts of its addresses granted (a grant) or refused (a denial) in the end. */
function leafEntries(w: GrantWalk, line: Line, terms: readonly AddressTerm[], grant: boolean): void {
  const { grantedRanges, out } = w;
  for (const term of terms) {
    // Nothing granted: a grant keeps no part, a denial refuses all of its term (the term itself, as gaps would give).
    if (grantedRanges.length === 0) {
      if (!grant) out.push(makeEntry(line, term, DENY_FACTS));
      continue;
    }
    if (grant) w.grantLeaves.push(term.range);
    const pieces = grant ? clip(grantedRanges, term.range) : gaps(grantedRanges, term.range);
    // A piece of the term (the rest cut out by other lines) is named with its range: "all (0.0.0.0-52.1.32.87)".
    for (const range of pieces) {
      out.push(
        makeEntry(
          line,
          rangeEquals(range, term.range)
            ? term
            : { token: `${term.token} (${formatRange(range)})`, range, kind: "range" },
          grant ? GRANT_FACTS : DENY_FACTS,
        ),
      );
    }
  }
}

/** The Require tree's leaves in order, a RequireNone turning grants into denials and back. */
function walkRequire(w: GrantWalk, g: Group, inverted: boolean): void {
  for (const c of g.children) {
    if ("children" in c) walkRequire(w, c, c.t === "none" ? !inverted : inverted);
    else if (c.t === "other") continue;
    else
      leafEntries(
        w,
        c.line,
        c.t === "ip" ? c.terms : anyTerms(BOTH_FAMILIES, "all"),
        ((c.t !== "denied") !== c.negated) !== inverted,
      );
  }
}

/**
 * The section's granted set as entries on the lines that wrote it: each grant's addresses that end up granted (allow),
 * each denial's addresses that end up refused (deny). The entries never contradict, so their order does not matter.
 */
function grantEntries(s: Section): Entry[] {
  const hasRequire = s.root.children.length > 0;
  const hasLegacy = s.allow22.length > 0 || s.deny22.length > 0 || s.order !== undefined;
  let granted = EVERYONE;
  if (hasRequire && hasLegacy && s.satisfyAny === true)
    // Satisfy Any: passing the host-based rules (Allow/Deny) or the Require rules is enough.
    // https://httpd.apache.org/docs/2.4/mod/mod_access_compat.html#satisfy
    granted = evaluate(s.root, false).granted.union(legacyAllowed(s));
  else {
    if (hasRequire) granted = granted.intersection(evaluate(s.root, false).granted);
    if (hasLegacy) granted = granted.intersection(legacyAllowed(s));
  }
  const w: GrantWalk = { grantedRanges: granted.ranges, out: [], grantLeaves: [] };
  walkRequire(w, s.root, false);
  for (const a of s.allow22) leafEntries(w, a.line, a.terms, true);
  for (const d of s.deny22) leafEntries(w, d.line, d.terms, false);
  const { out } = w;
  // Granted by an "Order deny,allow" default (no Deny matched), or by a combination no single line grants. Nothing
  // granted leaves nothing over: the set of every grant (often thousands of lines) is then not built.
  const rest = granted.isEmpty() ? granted : granted.difference(IPSet.fromRanges(w.grantLeaves));
  if (!rest.isEmpty()) {
    const line = { n: s.firstLine ?? s.header?.n ?? 1, text: "(no Deny matches: allowed)" };
    for (const range of rest.ranges)
      out.push(makeEntry(line, { token: "(no Deny matches: allowed)", range, kind: "range" }, GRANT_FACTS));
  }
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
