/**
 * nginx `allow` / `deny` (ngx_http_access_module, also in stream{}). Within one context the first matching rule
 * wins and, when none matches, nginx lets the request through: each context's list ends with that implicit allow.
 * A context without rules inherits its parent's, so only contexts that hold rules are read, in file order.
 */
import type { Entry, Finding, ParseOptions, ParseOutput, Parser, PathContext, PathInfo } from "../types";
import { type AddressTerm, type Line, MAX_EXPANSION, countLines, finding, readAddressTerm, TextLines } from "./common";
import { BOTH_FAMILIES, anyTerms, append, detectHead, makeEntry } from "./linuxcommon";
import { tagEntries } from "./pathkit";

interface Statement {
  readonly words: string[];
  readonly line: Line;
  /** "{" opens a block, "}" closes one, ";" ends a directive. */
  readonly end: "{" | "}" | ";";
}

/** Splits nginx text into statements, tracking the line of each statement's first word. Linear. */
const CH_TAB = 9;
const CH_LF = 10;
const CH_CR = 13;
const CH_SPACE = 32;
const CH_DQUOTE = 34;
const CH_HASH = 35;
const CH_SQUOTE = 39;
const CH_SEMI = 59;
const CH_BACKSLASH = 92;
const CH_OPEN = 123;
const CH_CLOSE = 125;

/**
 * The characters that end an unquoted word: blanks, newlines, `;` and braces. A `#` inside a word is part of it
 * (`return 301 https://example.com/#/home;`): nginx starts a comment only where a word would start
 * (ngx_conf_read_token in src/core/ngx_conf_file.c).
 */
function endsWord(c: number): boolean {
  return (
    c === CH_SPACE || c === CH_TAB || c === CH_CR || c === CH_LF || c === CH_SEMI || c === CH_OPEN || c === CH_CLOSE
  );
}

function statements(text: string, lines: TextLines): Statement[] {
  const out: Statement[] = [];
  let words: string[] = [];
  let first: Line | undefined;
  let lineNo = 1;
  let i = 0;
  const n = text.length;
  const push = (end: Statement["end"]): void => {
    const at = first ?? lines.at(lineNo);
    out.push({ words, line: at, end });
    words = [];
    first = undefined;
  };
  // Char codes, not text[i]: this loop reads every character of 100k-line configs.
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === CH_LF) {
      lineNo++;
      i++;
      continue;
    }
    if (c === CH_SPACE || c === CH_TAB || c === CH_CR) {
      i++;
      continue;
    }
    if (c === CH_HASH) {
      const nl = text.indexOf("\n", i);
      i = nl === -1 ? n : nl;
      continue;
    }
    if (c === CH_SEMI || c === CH_OPEN || c === CH_CLOSE) {
      if (c === CH_CLOSE && words.length > 0) push(";");
      push(c === CH_SEMI ? ";" : c === CH_OPEN ? "{" : "}");
      i++;
      continue;
    }
    first ??= lines.line(lineNo);
    if (c === CH_DQUOTE || c === CH_SQUOTE) {
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === c) break;
        if (d === CH_BACKSLASH) j++;
        else if (d === CH_LF) lineNo++;
        j++;
      }
      words.push(text.slice(i + 1, j));
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < n && !endsWord(text.charCodeAt(j))) j++;
    words.push(text.slice(i, j));
    i = j;
  }
  if (words.length > 0) push(";");
  return out;
}

/** A block of the config, with its own allow/deny entries and its children. */
interface Block {
  readonly words: readonly string[];
  readonly line: Line;
  readonly parent: Block | undefined;
  readonly children: Block[];
  /** Entries of this block's own allow/deny directives, in order (undefined: it has none and inherits). */
  entries?: Entry[];
  /** The first allow/deny directive of the block. */
  first?: Line;
  readonly listens: (readonly string[])[];
  /** The line of each listen directive. */
  readonly listenLines: Map<readonly string[], Line>;
  /** The names of its server_name directives. */
  readonly names: string[];
  satisfyAny?: Line;
  /** The status of a `return` directive in it (an `if` block's, for a geo guard); a URL alone is 302. */
  returnCode?: number;
  /** The line of that `return` directive. */
  returnLine?: Line;
  /** A server whose own `return` refuses every request: its status. */
  refusesAll?: number;
  /** `real_ip_header` in this block: where the realip module takes the client's address from. */
  realIpHeader?: string;
  /** A `set_real_ip_from` in this block: the realip module replaces the address only for connections from these. */
  realIpFrom?: boolean;
}

const newBlock = (words: readonly string[], line: Line, parent: Block | undefined): Block => ({
  words,
  line,
  parent,
  children: [],
  listens: [],
  listenLines: new Map(),
  names: [],
});

/** What a `listen` directive says: the port, and whether only a loopback address is bound. */
function readListen(words: readonly string[]): { port: number; loopback: boolean } | undefined {
  const a = words[1];
  if (a === undefined || a.startsWith("unix:")) return undefined;
  // "quic" (HTTP/3) listens on UDP: a TCP connection to the port never reaches it (ngx_http_v3_module, listen quic).
  // "udp" in stream{} likewise (https://nginx.org/en/docs/stream/ngx_stream_core_module.html#listen).
  if (words.includes("quic") || words.includes("udp")) return undefined;
  if (/^\d+$/.test(a)) return { port: Number(a), loopback: false };
  const m = /^(?:\[([^\]]+)\]|([^:]+))(?::(\d+))?$/.exec(a);
  if (!m) return undefined;
  const host = m[1] ?? m[2] ?? "";
  const port = m[3] !== undefined ? Number(m[3]) : 80;
  return { port, loopback: /^(?:127\.|::1$|localhost$)/.test(host) };
}

/** The allow/deny list a block uses: its own, or the nearest enclosing block's (nginx inherits only when a block has none). */
function effective(b: Block | undefined): Block | undefined {
  for (let x = b; x !== undefined; x = x.parent) if (x.entries !== undefined) return x;
  return undefined;
}

function describe(b: Block): string {
  return b.words[0] === "limit_except" && b.parent !== undefined
    ? `${describe(b.parent)} ${b.words.join(" ")}`
    : b.words.join(" ");
}

/**
 * The block whose allow/deny list a webhook (a POST) to location `loc` is checked against: a `limit_except` block
 * of the location that does not name POST applies to POST requests instead of the location's own configuration
 * (https://nginx.org/en/docs/http/ngx_http_core_module.html#limit_except); otherwise the location itself.
 */
function postBlock(loc: Block): Block {
  const le = loc.children.find(
    (c) => c.words[0] === "limit_except" && !c.words.slice(1).some((m) => m.toUpperCase() === "POST"),
  );
  return le !== undefined && le.entries !== undefined ? le : loc;
}

/**
 * Reads the config into blocks, then builds the path of a connection to port P (options.port, 443 by default): the
 * servers listening on P; in each, the locations holding their own allow/deny list (a location's own list replaces
 * the inherited one; the first match inside it decides; no match lets the request through), or the server's own or
 * inherited list when no location has one. Servers on other ports are listed off the path.
 * Docs: https://nginx.org/en/docs/http/ngx_http_access_module.html, https://nginx.org/en/docs/http/ngx_http_core_module.html#listen
 */
export function parseNginx(text: string, options: ParseOptions = {}): ParseOutput {
  const findings: Finding[] = [];
  const { root, geos } = readBlocks(text, findings);
  readGeoGuards(root, geos, findings);
  readReturns(root, findings);
  proxyProtocolFindings(root, findings);
  const port = options.port ?? 443;
  const servers = findServers(root, []);
  const p: NginxPath = { root, entries: [], contexts: [], placed: new Set() };
  if (servers.length === 0) return snippetOutput(p, text, findings);
  const url = options.ingress !== undefined && options.ingress.startsWith("/") ? options.ingress : undefined;
  let onPathServers = 0;
  const others = otherHosts(servers, port);
  for (const server of servers) if (placeServer(p, server, port, url, others.get(server))) onPathServers++;
  const { entries, contexts } = p;
  // Rules outside every server (http level without servers inheriting them are counted above; stray ones here).
  const notes: string[] = [];
  if (onPathServers === 0)
    notes.push(`No server listens on port ${port}: nothing in this paste receives the webhooks.`);
  const path: PathInfo = {
    contexts,
    ...(url !== undefined ? { ingress: url } : {}),
    assumption:
      url !== undefined
        ? `Port ${port}, URL path ${url}: the location nginx picks for it in each server listening on the port.`
        : `Port ${port}: the server${onPathServers === 1 ? "" : "s"} listening on it${contexts.some((c) => c.onPath && c.name.includes(" location ")) ? ", in the locations that hold their own allow/deny list (the webhook's URL is assumed to reach one of them)" : ""}. Another port: --port; the webhook's URL path: --ingress /path.`,
  };
  return {
    format: "nginx",
    entries,
    findings: findings.sort((a, b) => a.line - b.line),
    lineCount: countLines(text),
    notes,
    path,
  };
}

/** Where the block reader is: the block being filled, how deep inside geo blocks, and the findings so far. */
interface NginxRead {
  readonly root: Block;
  current: Block;
  inGeo: number;
  /** "geo" or "map": the kind of address-keyed block being read. */
  geoKind: string;
  readonly findings: Finding[];
  /** geo blocks keyed by the client address, by variable name ("$ok"); the one being read. */
  readonly geos: Map<string, GeoDef>;
  geo?: GeoDef;
  /** How deep the current block is (the main context is 0). */
  depth: number;
  /** Inside a block opened past MAX_BLOCK_DEPTH: how many of its braces are open (0: not skipping). */
  skipping: number;
}

/**
 * Blocks nested deeper than this are reported and skipped, with everything in them. nginx's own contexts nest about
 * six deep (main, http, server, location, a nested location, if or limit_except); the limit keeps the tree walks
 * below off the stack's edge on a hostile paste of thousands of nested blocks.
 */
export const MAX_BLOCK_DEPTH = 64;

/**
 * `geo $var { default V; CIDR V; … }` on the client address: the value of $var for each address is the one of the
 * longest prefix holding it, else the default ("" when none), and a later line for the same prefix replaces an
 * earlier one (https://nginx.org/en/docs/http/ngx_http_geo_module.html). Read only in that plain form: `ranges`,
 * `include`, `proxy` or `delete` make it unread (`readable` false), with the old finding on its address lines.
 */
interface GeoDef {
  readonly line: Line;
  readonly entries: { readonly term: AddressTerm; readonly value: string; readonly line: Line }[];
  defaultValue?: { readonly value: string; readonly line: Line };
  readable: boolean;
  /** The "not read" findings of its address lines, given when no guard reads it. */
  readonly unread: Finding[];
}

/** Reads one directive (a statement ending in ";") into the current block. */
type DirectiveHandler = (r: NginxRead, st: Statement) => void;

const DIRECTIVES: ReadonlyMap<string, DirectiveHandler> = new Map<string, DirectiveHandler>([
  ["listen", readListenDirective],
  ["server_name", (r, st) => void r.current.names.push(...st.words.slice(1))],
  ["satisfy", readSatisfy],
  ["allow", readAccess],
  ["deny", readAccess],
  ["include", readInclude],
  ["return", readReturn],
  ["real_ip_header", (r, st) => void (r.current.realIpHeader = st.words[1])],
  ["set_real_ip_from", (r) => void (r.current.realIpFrom = true)],
]);

/** Included files that hold no allow/deny rules in a stock install (MIME types, FastCGI/proxy/uwsgi/scgi parameters). */
const NO_ACCESS_INCLUDE = /(?:^|\/)(?:mime\.types|[a-z]*_params|fastcgi\.conf|koi-(?:utf|win)|win-utf)$/;

/**
 * `include FILE`: its directives take the include's place (https://nginx.org/en/docs/ngx_core_module.html#include),
 * so allow/deny rules in it are part of this context, but the file is not in the paste: a note names it.
 */
function readInclude(r: NginxRead, st: Statement): void {
  const file = st.words[1];
  if (file === undefined || NO_ACCESS_INCLUDE.test(file)) return;
  r.findings.push(
    finding(
      st.line,
      "note",
      `include ${file}: that file is not in the paste; allow/deny rules in it would apply here and are not read (paste its content in its place).`,
    ),
  );
}

/** The config as a tree of blocks under a root (the main context); other directives hold no access rules. */
function readBlocks(text: string, findings: Finding[]): { root: Block; geos: ReadonlyMap<string, GeoDef> } {
  const root = newBlock([], { n: 0, text: "" }, undefined);
  const r: NginxRead = {
    root,
    current: root,
    inGeo: 0,
    geoKind: "geo",
    findings,
    geos: new Map(),
    depth: 0,
    skipping: 0,
  };
  let strayClose = false;
  for (const st of statements(text, new TextLines(text))) {
    if (r.skipping > 0) {
      if (st.end === "{") r.skipping++;
      else if (st.end === "}") r.skipping--;
      continue;
    }
    if (st.end === "{" && r.depth >= MAX_BLOCK_DEPTH) {
      findings.push(
        finding(
          st.line,
          "not-understood",
          `Blocks nested deeper than ${MAX_BLOCK_DEPTH} levels are not read: this block and everything in it are skipped.`,
        ),
      );
      r.skipping = 1;
      continue;
    }
    if (st.end === "{") {
      r.depth++;
      // geo blocks, and map blocks keyed by the client address (https://nginx.org/en/docs/http/ngx_http_map_module.html):
      // allowlists built with them are not read as allow/deny rules, but their addresses are reported; a geo block on
      // the client address that an `if … return 4xx` guard reads is read with it (readGeoGuards).
      const addressMap =
        st.words[0] === "map" &&
        /^\$(?:binary_remote_addr|remote_addr|realip_remote_addr|http_x_forwarded_for|http_x_real_ip)$/.test(
          st.words[1] ?? "",
        );
      if (r.inGeo === 0 && (st.words[0] === "geo" || addressMap)) {
        r.geoKind = addressMap ? "map" : "geo";
        r.geo = undefined;
        const variable = st.words.length === 2 ? st.words[1] : st.words[1] === "$remote_addr" ? st.words[2] : undefined;
        if (st.words[0] === "geo" && variable !== undefined && st.words.length <= 3) {
          r.geo = { line: st.line, entries: [], readable: true, unread: [] };
          r.geos.set(variable, r.geo);
        }
      }
      if (r.inGeo > 0 || st.words[0] === "geo" || addressMap) r.inGeo++;
      const b = newBlock(st.words, st.line, r.current);
      r.current.children.push(b);
      r.current = b;
    } else if (st.end === "}") {
      if (r.inGeo > 0) r.inGeo--;
      if (r.current !== root) r.depth--;
      else if (!strayClose) {
        strayClose = true;
        findings.push(
          finding(
            st.line,
            "not-understood",
            `"}" closes no block: nginx refuses the file (unexpected "}"). What follows is read as if at the top level.`,
          ),
        );
      }
      r.current = r.current.parent ?? root;
    } else if (r.inGeo > 0) {
      const key = (st.words[0] ?? "").replace(/^~\*?/, "");
      const address = (w: string) => /^[\d.:a-f]+(?:\/\d+)?$/i.test(w) && /[.:]/.test(w);
      const unread = r.geoKind === "map" ? address(key) || /^\^?\d{1,3}\\\./.test(key) : st.words.some(address);
      const f = finding(
        st.line,
        "not-understood",
        `Addresses in a ${r.geoKind} block are not read as allow/deny rules.`,
      );
      if (r.geo !== undefined) {
        readGeoLine(r.geo, st);
        if (unread) r.geo.unread.push(f);
      } else if (unread) findings.push(f);
    } else DIRECTIVES.get(st.words[0] ?? "")?.(r, st);
  }
  let outermost: Block | undefined;
  for (let b: Block | undefined = r.current; b !== undefined && b !== root; b = b.parent) outermost = b;
  if (outermost !== undefined) {
    // Cut: a hostile block header may be megabytes long.
    const head = outermost.words.join(" ");
    findings.push(
      finding(
        outermost.line,
        "not-understood",
        `"${head.length > 100 ? `${head.slice(0, 100)}…` : head} {" is not closed: the paste ends inside it, and nginx refuses the file (unexpected end of file, expecting "}"). Was the paste cut short? Its rules are read as far as they go.`,
      ),
    );
  }
  return { root, geos: r.geos };
}

/**
 * `if ($var = V) { return 403; }` (or `!=`, or `if ($var)`: true unless "" or "0") in a server or location, on a geo
 * variable of the client address, refusing with a 4xx/5xx status or 444: the allowlist nginx's geo module is used
 * for. The rewrite phase runs it before the access phase, so it decides first
 * (https://nginx.org/en/docs/http/ngx_http_rewrite_module.html#if). It is read as the block's allow/deny list, the
 * geo's prefixes longest first (then the default), each a deny when the guard refuses its value, else an allow, when
 * that is exact: no allow/deny rule in the server or around it, one guard in the server. Otherwise a note says it
 * is not read. The geo blocks no guard reads keep their "not read" findings.
 */
function readGeoGuards(root: Block, geos: ReadonlyMap<string, GeoDef>, findings: Finding[]): void {
  // The guards first (a loop, not a recursion: blocks may nest thousands deep), so that each is judged on the config
  // as written, before any guard becomes a list.
  const guards: { block: Block; guard: Block; m: RegExpExecArray; geo: GeoDef }[] = [];
  const perServer = new Map<Block | undefined, number>();
  const stack = [root];
  for (let b = stack.pop(); b !== undefined; b = stack.pop()) {
    for (const c of b.children) {
      stack.push(c);
      if (c.words[0] !== "if" || c.returnCode === undefined) continue;
      const refuses = c.returnCode === 444 || (c.returnCode >= 400 && c.returnCode <= 599);
      const m = /^\(\s*(\$\w+)\s*(?:(!?=)\s*(.*?))?\s*\)$/.exec(c.words.slice(1).join(" "));
      const geo = m ? geos.get(m[1]!) : undefined;
      if (!refuses || m === null || geo === undefined) {
        // A test of the client address itself (a regex, a comparison): nginx refuses what it matches, the reader
        // cannot turn the test into addresses (https://nginx.org/en/docs/http/ngx_http_rewrite_module.html#if).
        const tested = refuses ? CLIENT_VARIABLE.exec(c.words.slice(1).join(" ")) : null;
        if (tested !== null)
          findings.push(
            finding(
              c.line,
              "not-understood",
              `This if refuses requests (return ${c.returnCode}) by a test of ${tested[0]} that is not read: the verdicts do not include it (allow/deny or a geo block can be read).`,
            ),
          );
        continue;
      }
      guards.push({ block: b, guard: c, m, geo });
      const server = serverOf(b);
      perServer.set(server, (perServer.get(server) ?? 0) + 1);
    }
  }
  // In the order they are written (the walk above meets the blocks of a level last first).
  guards.sort((a, b) => a.guard.line.n - b.guard.line.n);
  const withRules = new Map<Block, boolean>();
  const hasRules = (server: Block): boolean => {
    let v = withRules.get(server);
    if (v === undefined) withRules.set(server, (v = effective(server) !== undefined || gather(server, []).length > 0));
    return v;
  };
  const why = ({ block, geo, m }: (typeof guards)[number], server: Block | undefined): string | undefined =>
    !geo.readable
      ? `geo ${m[1]} (line ${geo.line.n}) uses ranges, include, proxy or delete`
      : (block.words[0] !== "server" && block.words[0] !== "location") || server === undefined
        ? "it is not directly in a server or location"
        : (perServer.get(server) ?? 0) > 1
          ? "another geo guard applies in this server"
          : hasRules(server)
            ? "allow/deny rules also apply in this server"
            : undefined;
  const reasons = guards.map((g) => why(g, serverOf(g.block)));
  const read = new Set<GeoDef>();
  // Each guard holds its own copy of the geo's list: a 3,000-line geo guarded in 3,000 servers made 9 million entries.
  let copied = 0;
  guards.forEach(({ block, guard, m, geo }, k) => {
    const reason =
      reasons[k] ??
      (copied + geo.entries.length > MAX_EXPANSION
        ? `the geo lists read for the guards above already hold ${MAX_EXPANSION.toLocaleString("en-US")} entries`
        : undefined);
    if (reason !== undefined) {
      findings.push(
        finding(guard.line, "note", `This geo guard is not read (${reason}): the verdicts do not include it.`),
      );
      return;
    }
    const rejects = (value: string) =>
      m[2] === "=" ? value === m[3] : m[2] === "!=" ? value !== m[3] : value !== "" && value !== "0";
    copied += geo.entries.length;
    block.entries = geoEntries(geo, rejects);
    block.first = guard.line;
    read.add(geo);
    findings.push(
      finding(
        guard.line,
        "note",
        `Read with geo ${m[1]} (line ${geo.line.n}) as this ${block.words[0]}'s allow/deny list: the longest matching prefix decides, denied where this returns ${guard.returnCode}.`,
      ),
    );
  });
  for (const geo of geos.values()) if (!read.has(geo)) findings.push(...geo.unread);
}

/** The variables that hold the client's address (or what a proxy says it is). */
const CLIENT_VARIABLE =
  /\$(?:remote_addr|binary_remote_addr|realip_remote_addr|http_x_forwarded_for|http_x_real_ip|proxy_add_x_forwarded_for)\b/;

/**
 * `return` directly in a server or location ends the request in the rewrite phase, before the access phase where
 * allow/deny are checked (https://nginx.org/en/docs/dev/development_guide.html#http_phases): a server's `return` runs
 * before any location is searched and answers every request to the server; a location's answers every request it
 * serves (https://nginx.org/en/docs/http/ngx_http_rewrite_module.html). A refusing status (4xx, 5xx, 444) is read as
 * `deny all`; any other answers whatever the address, so the allow/deny rules there never apply. Read for servers,
 * and for locations that hold their own allow/deny rules: a location without any (/health returning 200, an old
 * /freshchat/v1 returning 410) would become a list of its own on the path and say nothing about the webhook's.
 */
function readReturns(root: Block, findings: Finding[]): void {
  const stack = [root];
  for (let b = stack.pop(); b !== undefined; b = stack.pop()) {
    for (const c of b.children) stack.push(c);
    const kind = b.words[0];
    const at = b.returnLine;
    if (at === undefined || b.returnCode === undefined || (kind !== "server" && kind !== "location")) continue;
    if (kind === "location" && b.entries === undefined) continue;
    // An `if` before it (a geo guard) runs first: the two are not read together.
    if (b.children.some((c) => c.words[0] === "if" && c.line.n < at.n)) continue;
    const code = b.returnCode;
    const refuses = code === 444 || (code >= 400 && code <= 599);
    const own = b.entries !== undefined && b.first !== undefined && b.first.n !== at.n;
    b.entries = refuses ? anyTerms(BOTH_FAMILIES, "all").map((t) => makeEntry(at, t, DENY_FACTS)) : [];
    if (refuses && kind === "server") b.refusesAll = code;
    b.first = at;
    // Nothing under a server's `return` is reached.
    let inner = false;
    if (kind === "server") {
      const under = [...b.children];
      for (let c = under.pop(); c !== undefined; c = under.pop()) {
        under.push(...c.children);
        if (c.entries !== undefined) inner = true;
        c.entries = undefined;
      }
    }
    const rules =
      own || inner ? `the allow/deny rules ${inner ? "in it" : "here"} never apply` : "no address rule applies";
    findings.push(
      finding(
        at,
        "note",
        refuses
          ? `return ${code} refuses every request to this ${kind} before allow/deny is checked (rewrite phase before access phase): read as deny all.`
          : `return ${code} answers every request to this ${kind} before allow/deny is checked (rewrite phase before access phase): ${rules}, every address gets the same answer.`,
      ),
    );
  }
}

/**
 * `listen … proxy_protocol` where allow/deny still see the load balancer's address, not the sender's (which is only
 * in $proxy_protocol_addr): the verdicts read the sender's address, so the listen line says they may not hold.
 * http{}: the realip module replaces the address only with `real_ip_header proxy_protocol` and a `set_real_ip_from`
 * naming the balancer (https://nginx.org/en/docs/http/ngx_http_realip_module.html); stream{} has no real_ip_header:
 * `set_real_ip_from` alone does it (https://nginx.org/en/docs/stream/ngx_stream_realip_module.html). See also
 * https://docs.nginx.com/nginx/admin-guide/load-balancer/using-proxy-protocol/.
 */
function proxyProtocolFindings(root: Block, findings: Finding[]): void {
  for (const server of findServers(root, [])) {
    let header: string | undefined;
    let trusted = false;
    let stream = false;
    for (let b: Block | undefined = server; b !== undefined; b = b.parent) {
      header ??= b.realIpHeader;
      trusted ||= b.realIpFrom === true;
      stream ||= b.words[0] === "stream";
    }
    const message = stream
      ? trusted
        ? undefined
        : "proxy_protocol without set_real_ip_from: allow/deny see the load balancer's address, not the sender's; the verdicts read the sender's address."
      : header !== "proxy_protocol"
        ? "proxy_protocol without real_ip_header proxy_protocol: allow/deny see the load balancer's address, not the sender's; the verdicts read the sender's address."
        : trusted
          ? undefined
          : "real_ip_header proxy_protocol without set_real_ip_from: the realip module trusts no balancer, so allow/deny still see the load balancer's address, not the sender's; the verdicts read the sender's address.";
    if (message === undefined) continue;
    for (const words of server.listens) {
      if (!words.includes("proxy_protocol")) continue;
      const line = server.listenLines.get(words);
      if (line !== undefined) findings.push(finding(line, "note", message));
    }
  }
}

/** The server block holding `b` (itself when it is one). */
function serverOf(b: Block): Block | undefined {
  for (let x: Block | undefined = b; x !== undefined; x = x.parent) if (x.words[0] === "server") return x;
  return undefined;
}

/** A geo's prefixes, longest first (a later line first among equal ones), then its default for every address. */
function geoEntries(geo: GeoDef, rejects: (value: string) => boolean): Entry[] {
  const facts = (value: string) => (rejects(value) ? DENY_FACTS : ALLOW_FACTS);
  // An address is its /32 or /128. Prefixes of the two families never hold the same address: their order is moot.
  const bits = (t: AddressTerm) => t.prefix?.bits ?? (t.range.first.family === 4 ? 32 : 128);
  const sorted = geo.entries.map((e, k) => ({ e, k })).sort((a, b) => bits(b.e.term) - bits(a.e.term) || b.k - a.k);
  const out = sorted.map(({ e }) => makeEntry(e.line, e.term, facts(e.value)));
  const fallback = geo.defaultValue ?? { value: "", line: geo.line };
  for (const term of anyTerms(BOTH_FAMILIES, "default"))
    out.push(makeEntry(fallback.line, term, facts(fallback.value)));
  return out;
}

/** One line of a geo block: `default V`, `ADDRESS V` or `CIDR V`; anything else leaves the block unread. */
function readGeoLine(geo: GeoDef, st: Statement): void {
  const [key, value, ...rest] = st.words;
  if (key === undefined || value === undefined || rest.length > 0) {
    geo.readable = false;
    return;
  }
  if (key === "default") {
    geo.defaultValue = { value, line: st.line };
    return;
  }
  const t = readAddressTerm(key);
  if (!t.ok || (t.term.kind !== "address" && t.term.kind !== "cidr")) {
    geo.readable = false;
    return;
  }
  geo.entries.push({ term: t.term, value, line: st.line });
}

/** `return CODE [TEXT|URL]` or `return URL` (a 302): https://nginx.org/en/docs/http/ngx_http_rewrite_module.html#return */
function readReturn(r: NginxRead, st: Statement): void {
  // Only the first one counts: it stops the processing.
  if (r.current.returnLine !== undefined) return;
  const code = st.words[1] ?? "";
  r.current.returnCode = /^\d+$/.test(code) ? Number(code) : 302;
  r.current.returnLine = st.line;
}

function readListenDirective(r: NginxRead, st: Statement): void {
  r.current.listens.push(st.words);
  r.current.listenLines.set(st.words, st.line);
}

function readSatisfy(r: NginxRead, st: Statement): void {
  if (st.words[1] !== "any") return;
  r.current.satisfyAny = st.line;
  r.findings.push(
    finding(
      st.line,
      "note",
      "satisfy any: a request the address rules deny may still pass by authentication (auth_basic, auth_request); the verdicts read the address rules only.",
    ),
  );
}

const ALLOW_FACTS = { action: "allow", direction: "in", protocol: "tcp" } as const;
const DENY_FACTS = { action: "deny", direction: "in", protocol: "tcp" } as const;

/** `allow|deny ADDRESS|CIDR|all|unix:`: an entry of the block's own list, in order. */
function readAccess(r: NginxRead, st: Statement): void {
  const [directive, arg] = st.words;
  const { current, findings } = r;
  const own = (current.entries ??= []);
  current.first ??= st.line;
  const facts = directive === "allow" ? ALLOW_FACTS : DENY_FACTS;
  if (arg === undefined || st.words.length !== 2) {
    findings.push(
      finding(st.line, "not-understood", `"${directive}" takes exactly one address, CIDR, "unix:" or "all".`),
    );
    return;
  }
  if (arg === "all") {
    for (const term of anyTerms(BOTH_FAMILIES, "all")) own.push(makeEntry(st.line, term, facts));
    return;
  }
  if (arg === "unix:") return; // UNIX-domain sockets: never the vendor
  let t = readAddressTerm(arg);
  const decimal = !t.ok && t.kind === "ambiguous" ? decimalOctets(arg) : undefined;
  if (decimal !== undefined) {
    t = readAddressTerm(decimal);
    if (t.ok) {
      t = { ok: true, term: { ...t.term, token: arg } };
      findings.push(
        finding(
          st.line,
          "note",
          `"${arg}" is read as ${decimal}: nginx reads each octet as a decimal number, leading zeros and all (ngx_inet_addr).`,
        ),
      );
    }
  }
  if (!t.ok || t.term.kind === "range") {
    findings.push(
      finding(st.line, t.ok ? "invalid" : t.kind, t.ok ? `nginx does not accept ranges such as "${arg}".` : t.message),
    );
    return;
  }
  own.push(makeEntry(st.line, t.term, facts));
}

/**
 * "010.1.1.1" or "052.1.32.0/024" as nginx reads it: every number decimal, leading zeros dropped ("10.1.1.1",
 * "52.1.32.0/24"); undefined for any other text. nginx's own reader (ngx_inet_addr, ngx_ptocidr in
 * src/core/ngx_inet.c) is decimal only, so a leading zero is not ambiguous here.
 */
function decimalOctets(token: string): string | undefined {
  const m = /^(\d{1,12})\.(\d{1,12})\.(\d{1,12})\.(\d{1,12})(?:\/(\d{1,12}))?$/.exec(token);
  if (m === null) return undefined;
  const n = (k: number) => String(Number(m[k]));
  return `${n(1)}.${n(2)}.${n(3)}.${n(4)}${m[5] === undefined ? "" : `/${n(5)}`}`;
}

/** Every `server` block, in order, outside locations. */
function findServers(b: Block, into: Block[]): Block[] {
  for (const c of b.children) {
    if (c.words[0] === "server" && c.words.length === 1) into.push(c);
    else if (c.words[0] !== "location") findServers(c, into);
  }
  return into;
}

/** The path being built; a list inherited by several contexts is copied for the second and later ones. */
interface NginxPath {
  readonly root: Block;
  readonly entries: Entry[];
  readonly contexts: PathContext[];
  readonly placed: Set<Block>;
}

/** Adds a context holding `list`'s entries: the first time in place, later as copies tagged with the new context. */
function add(p: NginxPath, list: Block, ctx: Omit<PathContext, "fallthrough">): void {
  const { entries, contexts, placed } = p;
  const c = contexts.length;
  contexts.push({ ...ctx, fallthrough: "allow" });
  if (placed.has(list)) {
    for (const e of list.entries!) entries.push({ ...e, context: c });
    return;
  }
  placed.add(list);
  const from = entries.length;
  append(entries, list.entries!);
  tagEntries(entries, from, c);
}

/** The locations under `b` (at any depth) that hold their own allow/deny list, in order. */
function collectRuled(b: Block, into: Block[]): Block[] {
  for (const c of b.children) {
    if (c.words[0] === "location") {
      const post = postBlock(c);
      if (post.entries !== undefined) into.push(post);
    }
    collectRuled(c, into);
  }
  return into;
}

/** Every location under `b`, at any depth, in order. */
function allLocations(b: Block, into: Block[]): Block[] {
  for (const c of b.children) {
    if (c.words[0] === "location") into.push(c);
    allLocations(c, into);
  }
  return into;
}

/** Every block with its own list, in order: `b` first, then its children's. */
function gather(b: Block, into: Block[]): Block[] {
  if (b.entries !== undefined) into.push(b);
  for (const c of b.children) gather(c, into);
  return into;
}

/** A snippet: the rules of the block that includes it. */
function snippetOutput(p: NginxPath, text: string, findings: Finding[]): ParseOutput {
  const { root, entries, contexts } = p;
  const lists = gather(root, []);
  if (lists.length === 0)
    return {
      format: "nginx",
      entries,
      findings: findings.sort((a, b) => a.line - b.line),
      lineCount: countLines(text),
      notes: [],
    };
  // A request meets one list: its location's own (which replaces the enclosing one), else the enclosing one. As with
  // a server block, the webhook is assumed to reach a location holding its own list (one naming it, if any).
  const ruled = collectRuled(root, []);
  const hooky = ruled.filter((l) => HOOKY.test(describe(l)));
  const chosen = hooky.length > 0 ? hooky : ruled;
  for (const l of lists) {
    const onPath = chosen.length === 0 || chosen.includes(l);
    add(p, l, {
      name: l === root ? "the allow/deny list" : describe(l),
      line: l === root ? (l.first?.n ?? 0) : l.line.n,
      text: l === root ? "" : l.line.text,
      onPath,
      reason: onPath
        ? "No server block in the paste: read as the list of the server or location that includes it."
        : `the webhook is assumed to reach a location with its own allow/deny list (${chosen.map(describe).join(", ")}), whose list replaces this one`,
    });
  }
  const path: PathInfo = {
    contexts,
    assumption:
      "No server block: the rules are read as the allow/deny list of the location that includes this file (nginx allows what no rule matches).",
  };
  return {
    format: "nginx",
    entries,
    findings: findings.sort((a, b) => a.line - b.line),
    lineCount: countLines(text),
    notes: [],
    path,
  };
}

/** The TCP ports a server listens on (80 by default in http{}), and whether only on a loopback address. */
function serverPorts(server: Block): { port: number; loopback: boolean }[] {
  const listens = server.listens.map((words) => readListen(words));
  const stream = server.parent?.words[0] === "stream";
  return listens.length === 0 && !stream ? [{ port: 80, loopback: false }] : listens.flatMap((l) => (l ? [l] : []));
}

const HOOKY = /hook|fresh|callback/i;

/** A catch-all server: no server_name, or only "_" / "" (what nginx picks for host names no other server has). */
function isCatchAll(server: Block): boolean {
  return server.names.every((n) => n === "_" || n === "");
}

/**
 * Which of the servers listening on the port a webhook request reaches: nginx picks the server by the request's host
 * name (https://nginx.org/en/docs/http/request_processing.html). When several listen on the port, the ones that look
 * like the webhook's (server_name or a location naming hook, fresh, callback) are assumed; else the named servers
 * rather than the default/catch-all one. Returns why each other server is off the path.
 */
function otherHosts(servers: readonly Block[], port: number): Map<Block, string> {
  const out = new Map<Block, string>();
  const all = servers.filter((s) => serverPorts(s).some((l) => l.port === port && !l.loopback));
  // A server whose `return` refuses every request is not the webhook's when another one on the port may serve it.
  const refusing = all.filter((s) => s.refusesAll !== undefined);
  const listening = refusing.length < all.length ? all.filter((s) => s.refusesAll === undefined) : all;
  if (listening !== all)
    for (const s of refusing)
      out.set(
        s,
        `it refuses every request (return ${s.refusesAll}): the webhook is assumed to reach another server on the port`,
      );
  if (listening.length < 2) return out;
  const hooky = listening.filter(
    (s) => s.names.some((n) => HOOKY.test(n)) || collectRuled(s, []).some((l) => HOOKY.test(describe(l))),
  );
  if (hooky.length > 0) {
    const names = hooky.flatMap((s) => s.names).join(", ") || "the webhook's server";
    for (const s of listening)
      if (!hooky.includes(s))
        out.set(
          s,
          `it serves other host names: the webhook is assumed to reach ${names} (nginx picks the server by host name)`,
        );
    return out;
  }
  const named = listening.filter((s) => !isCatchAll(s));
  if (named.length > 0 && named.length < listening.length)
    for (const s of listening)
      if (isCatchAll(s))
        out.set(s, "the catch-all server: a request for the webhook's host name reaches the server named for it");
  return out;
}

/** Places one server's lists on (or off) the path of a connection to `port`; true when the server receives it. */
function placeServer(p: NginxPath, server: Block, port: number, url: string | undefined, otherHost?: string): boolean {
  const { root, contexts } = p;
  const ports = serverPorts(server);
  const onP = ports.filter((p) => p.port === port);
  const reachable = onP.some((p) => !p.loopback) && otherHost === undefined;
  const where = `server (${describeListen(ports)})`;
  const why = !reachable
    ? otherHost !== undefined
      ? otherHost
      : onP.length > 0
        ? `it listens on port ${port} on a loopback address only`
        : `it listens on ${ports.map((p) => p.port).join(", ") || "no TCP port"}, not ${port}`
    : undefined;
  const base = effective(server);
  if (url !== undefined) {
    // The webhook's URL path is given: the location nginx picks for it decides, with its own or inherited list.
    const loc = matchLocation(server, url);
    const list = effective(loc !== undefined ? postBlock(loc) : server);
    const name = `${where}${loc ? ` ${describe(loc)}` : ""}`;
    if (list !== undefined)
      add(p, list, {
        name,
        line: (loc ?? server).line.n,
        text: (loc ?? server).line.text,
        onPath: reachable,
        reason: why ?? `nginx serves ${url} from here.`,
      });
    else if (reachable)
      contexts.push({
        name,
        line: (loc ?? server).line.n,
        text: (loc ?? server).line.text,
        fallthrough: "allow",
        onPath: true,
        reason: `nginx serves ${url} from here, with no allow/deny rule.`,
      });
    return reachable;
  }
  // A location named like the webhook's (hook, fresh, callback) is where it goes, with its own or inherited list.
  const hookyLocations = allLocations(server, []).filter((l) => HOOKY.test(describe(l)));
  if (hookyLocations.length > 0 && !hookyLocations.some((l) => postBlock(l).entries !== undefined)) {
    for (const loc of hookyLocations) {
      const list = effective(postBlock(loc));
      const ctx = {
        name: `${where} ${describe(loc)}`,
        line: loc.line.n,
        text: loc.line.text,
        onPath: reachable,
        reason:
          why ??
          `It listens on port ${port}; the webhook is assumed to reach this location, which ${list === undefined ? "has no allow/deny rule" : `uses the list of ${list === root ? "the main context" : describe(list)}`}.`,
      };
      if (list !== undefined) add(p, list, ctx);
      else if (reachable) contexts.push({ ...ctx, fallthrough: "allow" });
    }
    for (const other of collectRuled(server, []))
      add(p, other, {
        name: `${where} ${describe(other)}`,
        line: other.line.n,
        text: other.line.text,
        onPath: false,
        reason: why ?? `the webhook is assumed to reach ${hookyLocations.map(describe).join(", ")}`,
      });
    return reachable;
  }
  const allRuled = collectRuled(server, []);
  // Locations that look like the webhook's (hook, fresh, callback) are preferred; otherwise every ruled location.
  const hooky = allRuled.filter((l) => /hook|fresh|callback/i.test(describe(l)));
  const ruled: Block[] = hooky.length > 0 ? hooky : [...allRuled];
  if (ruled.length === 0) {
    if (base !== undefined) {
      add(p, base, {
        name:
          base === server
            ? where
            : `${where}, rules inherited from ${base === root ? "the main context" : describe(base)}`,
        line: server.line.n,
        text: server.line.text,
        onPath: reachable,
        reason: why ?? `It listens on port ${port}; nginx allows what no rule matches.`,
      });
    } else if (reachable) {
      contexts.push({
        name: where,
        line: server.line.n,
        text: server.line.text,
        fallthrough: "allow",
        onPath: true,
        reason: `It listens on port ${port} and has no allow/deny rule: every address gets through.`,
      });
    }
    return reachable;
  }
  for (const loc of ruled) {
    add(p, loc, {
      name: `${where} ${describe(loc)}`,
      line: loc.line.n,
      text: loc.line.text,
      onPath: reachable,
      reason:
        why ??
        `It listens on port ${port}; this location's own allow/deny list replaces the inherited one, and nginx allows what no rule matches.`,
    });
  }
  if (base !== undefined) {
    // Requests to locations without their own list get the server's: listed, but the webhook is assumed to hit a ruled location.
    add(p, base, {
      name: `${where}, locations without their own rules`,
      line: base === root ? (base.first?.n ?? 0) : base.line.n,
      text: base === root ? "" : base.line.text,
      onPath: false,
      reason:
        why ??
        `the webhook is assumed to reach a location with its own allow/deny list (${ruled.map(describe).join(", ")})`,
    });
  }
  return reachable;
}

/**
 * The location nginx picks for a URL path (https://nginx.org/en/docs/http/ngx_http_core_module.html#location): an exact
 * "=" match; else the longest prefix, unless "^~" marks it the regexes are checked in order and the first match wins;
 * else that longest prefix. Nested locations are searched inside the chosen one.
 */
function matchLocation(parent: Block, url: string): Block | undefined {
  const locs = parent.children.filter((c) => c.words[0] === "location");
  const exact = locs.find((l) => l.words[1] === "=" && l.words[2] === url);
  if (exact) return exact;
  let best: Block | undefined;
  let bestLen = -1;
  for (const l of locs) {
    const [, a, b] = l.words;
    const prefix =
      a === "^~"
        ? b
        : a !== undefined && !a.startsWith("~") && a !== "=" && a !== "@" && !a.startsWith("@")
          ? a
          : undefined;
    if (prefix !== undefined && url.startsWith(prefix) && prefix.length > bestLen) {
      best = l;
      bestLen = prefix.length;
    }
  }
  if (best?.words[1] !== "^~") {
    for (const l of locs) {
      const [, op, re] = l.words;
      if ((op !== "~" && op !== "~*") || re === undefined) continue;
      try {
        if (new RegExp(re, op === "~*" ? "i" : "").test(url)) return matchLocation(l, url) ?? l;
      } catch {
        // A PCRE feature JavaScript lacks: this location is not matched.
      }
    }
  }
  return best ? (matchLocation(best, url) ?? best) : undefined;
}

function describeListen(ports: readonly { port: number; loopback: boolean }[]): string {
  return ports.length === 0
    ? "no listen"
    : `listen ${ports.map((p) => (p.loopback ? `loopback:${p.port}` : `${p.port}`)).join(", ")}`;
}

export const nginxParser: Parser = {
  id: "nginx",
  label: "nginx allow/deny",
  detect(text: string): number {
    const head = detectHead(text);
    const rules = /^\s*(?:allow|deny)\s+(?:all|[\d.:a-fA-F/]+|unix:)\s*;/m.test(head);
    const blocks = /^\s*(?:server|location|http|stream|upstream)\b[^;\n]*\{/m.test(head);
    if (rules && blocks) return 0.95;
    if (rules) return 0.85;
    if (blocks && /^\s*(?:listen|server_name|proxy_pass|root)\s[^;\n]*;/m.test(head)) return 0.4;
    return 0;
  },
  parse: parseNginx,
};
