/**
 * Palo Alto PAN-OS configuration in `set` format (also Panorama's shared / device-group / vsys scopes):
 * `address` (ip-netmask, ip-range, ip-wildcard), `address-group … static`, `service`, `service-group`, and security
 * rules (source, negate-source, service, application, action, disabled). Rules are evaluated pre-rulebase, then
 * the local rulebase, then post-rulebase, each in the order the rules first appear.
 */
import { parsePrefixOrAddress, parseRange, parseWildcardMask, makeAddress, makePrefix, parseAddress } from "../../ip";
import type { Destination, Entry, Finding, ParseOptions, ParseOutput, Parser, PathInfo } from "../types";
import type { Range } from "../../ip/types";
import { LinkedOrder } from "./linkedorder";
import { conditionalUnmet, joinUnmet, looksInternetFacing, sameName, tagEntries } from "./pathkit";
import {
  OBJECTS_ONLY_NOTE,
  ObjectTable,
  addObjectMember,
  anyTerm,
  countLines,
  emitRule,
  finding,
  looksAddressBearing,
  MAX_GROUP_DEPTH,
  namesReachedByAllow,
  negatedSources,
  objectsAsAllowlist,
  parsePortRange,
  prefixTerm,
  splitLines,
  tokenize,
  unusedObjectFindings,
  namedDestination,
} from "./common";
import type { AddressTerm, Line, ObjectMember, Resolved, ServiceTerm } from "./common";
import type { PortRange } from "../types";
import { coversEphemeral, sourceRestricted } from "./cisco";
import type { CiscoServiceTerm } from "./cisco";

interface Rule {
  readonly name: string;
  readonly line: Line;
  readonly sources: { readonly word: string; readonly line: Line }[];
  readonly destinations: { readonly word: string; readonly line: Line }[];
  readonly services: { readonly word: string; readonly line: Line }[];
  readonly applications: string[];
  action?: { readonly word: string; readonly line: Line };
  negateSource?: Line;
  negateDestination?: Line;
  disabled?: Line;
  readonly from: string[];
  readonly to: string[];
  readonly users: string[];
  schedule?: string;
  /** `rule-type intrazone|interzone|universal` and URL `category` values. */
  ruleType?: string;
  readonly categories: string[];
  /** Panorama scope order inside a rulebase: shared pre-rules first, shared post-rules last. */
  readonly scope: "shared" | "local";
  /** The vsys or device group the rule is written in ("vsys vsys1", "device-group DG"), "" for none or shared. */
  readonly group: string;
}

/**
 * Standard ports of common App-IDs, for `service application-default` (from Applipedia, the App-ID database:
 * https://applipedia.paloaltonetworks.com/). TCP only: the webhook is TCP.
 */
export const APP_DEFAULT_PORTS: Readonly<Record<string, readonly PortRange[]>> = {
  "web-browsing": [{ from: 80, to: 80 }],
  ssl: [{ from: 443, to: 443 }],
  "http-proxy": [{ from: 8080, to: 8080 }],
  ssh: [{ from: 22, to: 22 }],
  telnet: [{ from: 23, to: 23 }],
  ftp: [{ from: 21, to: 21 }],
  smtp: [
    { from: 25, to: 25 },
    { from: 587, to: 587 },
  ],
  "smtp-base": [
    { from: 25, to: 25 },
    { from: 587, to: 587 },
  ],
  pop3: [{ from: 110, to: 110 }],
  imap: [{ from: 143, to: 143 }],
  ldap: [{ from: 389, to: 389 }],
  ms_rdp: [{ from: 3389, to: 3389 }],
  "ms-rdp": [{ from: 3389, to: 3389 }],
  mysql: [{ from: 3306, to: 3306 }],
  postgres: [{ from: 5432, to: 5432 }],
  "mssql-db": [{ from: 1433, to: 1433 }],
  "ms-ds-smb": [
    { from: 139, to: 139 },
    { from: 445, to: 445 },
  ],
  dns: [{ from: 53, to: 53 }],
  "dns-base": [{ from: 53, to: 53 }],
  "github-base": [
    { from: 22, to: 22 },
    { from: 80, to: 80 },
    { from: 443, to: 443 },
  ],
  websocket: [
    { from: 80, to: 80 },
    { from: 443, to: 443 },
  ],
  http2: [
    { from: 80, to: 80 },
    { from: 443, to: 443 },
  ],
  quic: [],
  ping: [],
  icmp: [],
};

/** Predefined services: present on every firewall, absent from configs. */
const PREDEFINED_SERVICES: Readonly<Record<string, ServiceTerm>> = {
  "service-http": {
    protocol: "tcp",
    ports: [
      { from: 80, to: 80 },
      { from: 8080, to: 8080 },
    ],
  },
  "service-https": { protocol: "tcp", ports: [{ from: 443, to: 443 }] },
};

/** Rule attributes that do not change which sources reach which port. */
const IRRELEVANT_RULE_KEYS = new Set(
  (
    "source-hip destination-hip description tag log-setting log-start log-end " +
    "profile-setting option group-tag qos target uuid source-imei source-imsi source-nw-slice hip-profiles"
  ).split(" "),
);

const PREDEFINED_LINE: Line = { n: 0, text: "" };

/** The three rulebases, in evaluation order. */
const RULEBASES: ReadonlyMap<string, number> = new Map([
  ["pre-rulebase", 0],
  ["rulebase", 1],
  ["post-rulebase", 2],
]);

export const panosParser: Parser = {
  id: "panos",
  label: "Palo Alto PAN-OS (set format)",
  detect(text) {
    const head = text.slice(0, 20000);
    const scope = "(?:(?:shared|vsys \\S+|device-group \\S+) )?";
    if (new RegExp(`^set ${scope}(?:pre-|post-)?rulebase security rules `, "m").test(head)) return 0.95;
    if (new RegExp(`^set ${scope}address \\S+ (?:ip-netmask|ip-range|ip-wildcard|fqdn) `, "m").test(head)) return 0.9;
    if (new RegExp(`^set ${scope}address-group \\S+ (?:static|dynamic)`, "m").test(head)) return 0.9;
    return 0;
  },
  parse: parsePanos,
};

/** Reads a value at w[i]: one word, or a bracketed list. */
function values(w: readonly string[], i: number): { readonly list: string[]; readonly next: number } {
  if (w[i] !== "[") return { list: w[i] === undefined ? [] : [w[i]!], next: i + 1 };
  const list: string[] = [];
  let j = i + 1;
  while (j < w.length && w[j] !== "]") list.push(w[j++]!);
  return { list, next: j + 1 };
}

/** Whether a char code is one of [0-9a-fA-F:.], the characters a literal address starts with. */
function startsLiteral(c: number): boolean {
  return (c >= 48 && c <= 58) || c === 46 || ((c | 32) >= 97 && (c | 32) <= 102);
}

/** A literal address written in a rule: address, prefix or range; undefined for names. */
function literalTerm(word: string): AddressTerm | undefined | string {
  // Most rule words are object names: one char code tells them apart before any regex runs.
  if (!startsLiteral(word.charCodeAt(0))) return undefined;
  if (word.includes("-") && /^[0-9a-f:.]+-[0-9a-f:.]+$/i.test(word)) {
    const r = parseRange(word);
    return r.ok ? { token: word, range: r.value, kind: "range" } : `"${word}": ${r.error.message}.`;
  }
  if (!/^[0-9a-f:.]+(?:\/\d+)?$/i.test(word) || !/[.:]/.test(word)) return undefined;
  const p = parsePrefixOrAddress(word);
  if (!p.ok) return `"${word}": ${p.error.message}.`;
  return prefixTerm(word, p.value, word.includes("/") ? "cidr" : "address");
}

/** Everything the `set` lines say, read in one pass. */
interface PanosConfig {
  readonly findings: Finding[];
  readonly addrs: ObjectTable<AddressTerm>;
  readonly members: ObjectMember[];
  /**
   * Per name, where in `members` its current members start: a redefined value drops the earlier ones. (Removing them
   * from the array on each redefinition, a search of every member, made 20,000 objects set twice take 4 s, growing
   * with the square.)
   */
  readonly membersFrom: Map<string, number>;
  /** Where each address object's value (ip-netmask, ip-range, ip-wildcard, fqdn) was last set. */
  readonly valueSet: Map<string, { group: string; line: Line }>;
  readonly services: ObjectTable<ServiceTerm>;
  /** What the `service` lines said so far, per service (one service may take several lines). */
  readonly serviceParts: Map<string, { protocol: string; ports?: PortRange[]; source?: string; line: Line }>;
  /** Rules of the pre-, local and post-rulebase, each by name in the order they first appear. */
  readonly rules: readonly [Map<string, Rule>, Map<string, Rule>, Map<string, Rule>];
  /**
   * A rulebase's order once a move has changed it, applied to `rules` when the config is read: each move and delete
   * relinks a rule here, where rebuilding the map for each took 125 s for 16,000 moves and an indexOf and splice per
   * move 25 s for 80,000 (growing with the square).
   */
  readonly moved: [LinkedOrder<Rule>?, LinkedOrder<Rule>?, LinkedOrder<Rule>?];
  readonly zones: { name: string; line: Line }[];
  /** Tags of address objects and groups (`… tag [ a b ]`), by name, in the order the names were first tagged. */
  readonly tags: Map<string, Set<string>>;
  /** Dynamic address groups: their tag filter, resolved once every tag is read. */
  readonly dynamic: { name: string; filter: string; line: Line }[];
  /** The predefined interzone-default rule denies unless the paste overrides its action. */
  interzoneDefault?: { action: "allow" | "deny"; line: Line };
}

/** One `set` line: its words, where the statement starts (after a shared / vsys / device-group scope), its line. */
interface Statement {
  readonly w: readonly string[];
  readonly i: number;
  readonly line: Line;
  /** The object or rule's name, w[i + 1]. */
  readonly name: string;
  readonly shared: boolean;
  /** "vsys NAME" or "device-group NAME" when the line is scoped so, else "". */
  readonly group: string;
}

type StatementHandler = (c: PanosConfig, s: Statement) => void;

/** Statements by their first word (after the scope). */
const STATEMENTS: ReadonlyMap<string, StatementHandler> = new Map<string, StatementHandler>([
  ["zone", readZone],
  ["address", readAddress],
  ["address-group", readAddressGroup],
  ["service", readService],
  ["service-group", readServiceGroup],
  ["pre-rulebase", readRulebase],
  ["rulebase", readRulebase],
  ["post-rulebase", readRulebase],
]);

/** Where addresses say nothing about the allowlist: NAT and other rulebases, interfaces, routes. */
const UNREAD_ADDRESS_HOMES =
  /^(?:deviceconfig|network|mgt-config|template|template-stack|zone|import|log-settings|profiles)$/;

function readConfig(lines: readonly Line[]): PanosConfig {
  const c: PanosConfig = {
    findings: [],
    addrs: new ObjectTable<AddressTerm>(),
    members: [],
    membersFrom: new Map(),
    services: new ObjectTable<ServiceTerm>(),
    serviceParts: new Map(),
    rules: [new Map(), new Map(), new Map()],
    moved: [],
    zones: [],
    tags: new Map(),
    valueSet: new Map(),
    dynamic: [],
  };
  for (const line of lines) {
    if (line.text === "" || line.text.startsWith("#")) continue;
    const w = tokenize(line.text);
    if (w[0] === "move" || w[0] === "delete") {
      readEdit(c, w, line);
      continue;
    }
    if (w[0] !== "set") {
      if (looksAddressBearing(line.text))
        c.findings.push(finding(line, "not-understood", 'Only "set" lines are read.'));
      continue;
    }
    const shared = w[1] === "shared";
    const i = scopeEnd(w);
    const k = w[i];
    const name = w[i + 1];
    if (k === undefined || name === undefined) continue;
    const handler = STATEMENTS.get(k);
    if (handler) handler(c, { w, i, line, name, shared, group: groupOf(w) });
    else if (looksAddressBearing(line.text) && !UNREAD_ADDRESS_HOMES.test(k)) {
      c.findings.push(finding(line, "not-understood", "This line holds an address but is not understood."));
    }
  }
  c.moved.forEach((order, rb) => {
    if (order === undefined) return;
    const table = c.rules[rb]!;
    table.clear();
    for (const r of order) table.set(ruleKey(r.group, r.name), r);
  });
  return c;
}

/** "vsys NAME" / "device-group NAME" of a scoped line, else "". */
function groupOf(w: readonly string[]): string {
  return (w[1] === "vsys" || w[1] === "device-group") && w[2] !== undefined ? `${w[1]} ${w[2]}` : "";
}

/**
 * A rule's key in its rulebase: rule names are unique within one vsys or device group, not across them (two device
 * groups may each have a rule "allow-web").
 */
function ruleKey(group: string, name: string): string {
  return `${group}\n${name}`;
}

/** Where the statement starts after the command word and a shared / vsys / device-group scope. */
function scopeEnd(w: readonly string[]): number {
  return w[1] === "shared" ? 2 : w[1] === "vsys" || w[1] === "device-group" ? 3 : 1;
}

/** Statements whose deletion would change what the rules match. */
const DELETABLE = /^(?:address|address-group|service|service-group|zone)$/;

/**
 * Configuration-mode edits a pasted change script holds, applied to the rules set above them (PAN-OS CLI, configure
 * mode; the XML API's move takes the same where=top|bottom|before|after:
 * https://docs.paloaltonetworks.com/pan-os/10-1/pan-os-panorama-api/pan-os-xml-api-request-types/configuration-api/move-configuration.html):
 * - `move RULEBASE security rules NAME top|bottom|before OTHER|after OTHER` reorders the rulebase, which first match
 *   follows;
 * - `delete RULEBASE security rules NAME` removes the rule.
 * Other deletes of what the rules use (a rule's attribute, an object) are reported, not applied. Moves and deletes
 * in rulebases we do not read (nat, decryption …) change nothing here.
 */
function readEdit(c: PanosConfig, w: readonly string[], line: Line): void {
  const i = scopeEnd(w);
  const rb = RULEBASES.get(w[i] ?? "");
  const name = w[i + 3];
  if (rb === undefined || w[i + 1] !== "security" || w[i + 2] !== "rules" || name === undefined) {
    if (w[0] === "delete" && DELETABLE.test(w[i] ?? ""))
      c.findings.push(
        finding(
          line,
          "not-understood",
          "This delete is not applied: the lines above are read as if it were not there.",
        ),
      );
    else if (
      w[0] === "move" &&
      rb === undefined &&
      w[i] !== undefined &&
      !/^(?:rulebase|pre-rulebase|post-rulebase)$/.test(w[i]!)
    )
      c.findings.push(finding(line, "not-understood", "This move is not understood: nothing moves."));
    return;
  }
  const table = c.rules[rb]!;
  const group = groupOf(w);
  const key = ruleKey(group, name);
  const rule = table.get(key);
  if (rule === undefined)
    return void c.findings.push(
      finding(line, "undefined-reference", `Rule "${name}" is not set above: the ${w[0]} is not applied.`),
    );
  const moved = c.moved[rb];
  if (w[0] === "delete") {
    if (w.length === i + 4) {
      table.delete(key);
      moved?.remove(rule);
    } else
      c.findings.push(
        finding(
          line,
          "not-understood",
          "This delete is not applied: the lines above are read as if it were not there.",
        ),
      );
    return;
  }
  const where = w[i + 4];
  const other = w[i + 5];
  const target = other === undefined ? undefined : table.get(ruleKey(group, other));
  let place: (order: LinkedOrder<Rule>) => void;
  if (where === "top" && w.length === i + 5)
    place = (order) => {
      if (order.first !== undefined) order.place(rule, "before", order.first);
    };
  else if (where === "bottom" && w.length === i + 5) place = (order) => order.append(rule);
  else if ((where === "before" || where === "after") && other !== undefined && w.length === i + 6) {
    if (other === name) return;
    if (target === undefined)
      return void c.findings.push(
        finding(line, "undefined-reference", `Rule "${other}" is not set above: the move is not applied.`),
      );
    place = (order) => order.place(rule, where, target);
  } else return void c.findings.push(finding(line, "not-understood", "This move is not understood: nothing moves."));
  place(moved ?? (c.moved[rb] = LinkedOrder.of(table.values())));
}

function readZone(c: PanosConfig, { name, line }: Statement): void {
  if (!c.zones.some((z) => z.name === name)) c.zones.push({ name, line });
}

/** `address NAME ip-netmask|ip-range|ip-wildcard|fqdn VALUE` (description and tag lines say nothing). */
function readAddress(c: PanosConfig, { w, i, line, name, group }: Statement): void {
  const kind = w[i + 2];
  if (kind === "ip-netmask" || kind === "ip-range" || kind === "ip-wildcard" || kind === "fqdn")
    replaceValue(c, name, group, line);
  if (kind === "ip-netmask" || kind === "ip-range" || kind === "ip-wildcard")
    addressObject(c, name, kind, w[i + 3], line);
  else if (kind === "fqdn") {
    c.addrs.define(name, { line, members: [] });
    c.findings.push(finding(line, "hostname", `"${w[i + 3] ?? ""}" is a DNS name: it cannot be checked.`));
  } else if (kind === "tag") addTags(c, name, w, i + 3);
  else if (kind !== "description")
    c.findings.push(finding(line, "not-understood", `Address type "${kind ?? ""}" is not read.`));
}

/**
 * An address object has one value: a later `set address NAME ip-netmask …` (a change script, or a type change to
 * ip-range) replaces what an earlier line of the same scope set. Objects of the same name in different vsys or device
 * groups are different objects, which this reader keeps as one: a note says so.
 * Docs: PAN-OS "Policy Object: Addresses" (one type and value per object):
 * https://docs.paloaltonetworks.com/network-security/security-policy/administration/objects/addresses
 */
function replaceValue(c: PanosConfig, name: string, group: string, line: Line): void {
  const prev = c.valueSet.get(name);
  c.valueSet.set(name, { group, line });
  if (prev === undefined) return;
  if (prev.group !== group) {
    c.findings.push(
      finding(
        line,
        "note",
        `Address "${name}" is also defined in ${prev.group === "" ? "the shared or unscoped configuration" : prev.group} (line ${prev.line.n}): objects of different vsys or device groups are read as one, holding both values.`,
      ),
    );
    return;
  }
  c.addrs.define(name, { line, members: [] });
  c.membersFrom.set(name, c.members.length);
}

function addressObject(
  c: PanosConfig,
  name: string,
  kind: "ip-netmask" | "ip-range" | "ip-wildcard",
  value: string | undefined,
  line: Line,
): void {
  if (value === undefined) return void c.findings.push(finding(line, "invalid", `The ${kind} value is missing.`));
  if (kind === "ip-wildcard") {
    const terms = wildcardTerms(c, value, line);
    // An object we could not read is still defined: rules naming it are not told it is missing.
    if (terms.length === 0 && !c.addrs.has(name)) c.addrs.define(name, { line, members: [] });
    for (const term of terms) addObjectMember(c.addrs, c.members, name, { value: term, line }, line);
    return;
  }
  const term = kind === "ip-netmask" ? netmaskTerm(c, value, line) : rangeTerm(c, value, line);
  if (term !== undefined) addObjectMember(c.addrs, c.members, name, { value: term, line }, line);
}

function netmaskTerm(c: PanosConfig, value: string, line: Line): AddressTerm | undefined {
  const p = parsePrefixOrAddress(value);
  if (!p.ok) return void c.findings.push(finding(line, "invalid", `"${value}": ${p.error.message}.`));
  return prefixTerm(value, p.value, value.includes("/") ? "cidr" : "address");
}

function rangeTerm(c: PanosConfig, value: string, line: Line): AddressTerm | undefined {
  const r = parseRange(value);
  if (!r.ok) return void c.findings.push(finding(line, "invalid", `"${value}": ${r.error.message}.`));
  return { token: value, range: r.value, kind: "range" };
}

/** The most address blocks one non-contiguous wildcard is expanded to (the vendor's 10.1.2.3/0.127.248.0 is 4,096). */
const WILDCARD_BLOCKS = 4096;

/**
 * ip-wildcard "10.1.0.0/0.0.255.255": a Cisco-style wildcard mask after the slash; a one bit need not match, a zero
 * bit must. The ones need not be contiguous ("10.132.1.1/0.0.2.255" is 10.132.1.0/24 and 10.132.3.0/24): such a mask
 * is the blocks its trailing ones make, one per value of its other ones (up to WILDCARD_BLOCKS, else a finding).
 * Docs: PAN-OS "Address Objects" (IP Wildcard Mask, IPv4 only):
 * https://docs.paloaltonetworks.com/pan-os/10-0/pan-os-admin/policy/use-address-object-to-represent-ip-addresses/address-objects
 * and "Wildcard Address Support in Security Policy Rules" (10.1.2.3/0.127.248.0):
 * https://docs.paloaltonetworks.com/pan-os/9-0/pan-os-new-features/networking-features/wildcard-address
 */
function wildcardTerms(c: PanosConfig, value: string, line: Line): AddressTerm[] {
  const slash = value.indexOf("/");
  const a = parseAddress(value.slice(0, slash));
  const bits = parseWildcardMask(value.slice(slash + 1));
  if (slash >= 0 && a.ok && bits.ok && bits.value <= (a.value.family === 4 ? 32 : 128))
    return [prefixTerm(value, makePrefix(a.value, bits.value), "wildcard")];
  const m = parseAddress(value.slice(slash + 1));
  if (slash < 0 || !a.ok || !m.ok || a.value.family !== 4 || m.value.family !== 4) {
    c.findings.push(finding(line, "invalid", `"${value}": expected IPv4 address/wildcard-mask.`));
    return [];
  }
  const mask = m.value.value;
  let trailing = 0;
  while (trailing < 32 && ((mask >> BigInt(trailing)) & 1n) === 1n) trailing++;
  const free: bigint[] = [];
  for (let b = trailing; b < 32; b++) if (((mask >> BigInt(b)) & 1n) === 1n) free.push(1n << BigInt(b));
  const blocks = 2 ** free.length;
  if (blocks > WILDCARD_BLOCKS) {
    c.findings.push(
      finding(
        line,
        "not-understood",
        `"${value}": the wildcard mask matches ${blocks.toLocaleString("en-US")} separate address blocks, more than the ${WILDCARD_BLOCKS.toLocaleString("en-US")} this reader expands: not read.`,
      ),
    );
    return [];
  }
  const base = a.value.value & ~mask & 0xffffffffn;
  const out: AddressTerm[] = [];
  for (let i = 0; i < blocks; i++) {
    let v = base;
    for (let j = 0; j < free.length; j++) if (((i >> j) & 1) === 1) v |= free[j]!;
    out.push(prefixTerm(value, makePrefix(makeAddress(4, v), 32 - trailing), "wildcard"));
  }
  return out;
}

function addTags(c: PanosConfig, name: string, w: readonly string[], at: number): void {
  let set = c.tags.get(name);
  if (set === undefined) c.tags.set(name, (set = new Set()));
  for (const t of values(w, at).list) set.add(t);
}

/** A dynamic group's tag filter as a test on a set of tags; a string says why it is not understood. */
type TagTest = (tags: ReadonlySet<string>) => boolean;

/**
 * `'web' and ('prod' or 'dr')`: quoted (or bare) tag names joined by and / or, with parentheses. and and or mixed
 * without parentheses are not read (PAN-OS documents no precedence between them).
 */
function tagFilter(filter: string): { test: TagTest; tags: ReadonlySet<string> } | string {
  const text = filter.trim();
  const tokens: string[] = [];
  const re = /\s*(?:'([^']*)'|(\()|(\))|([^\s()']+))/y;
  let m: RegExpExecArray | null;
  while (re.lastIndex < text.length && (m = re.exec(text)) !== null) {
    tokens.push(m[1] !== undefined ? `'${m[1]}` : (m[2] ?? m[3] ?? m[4]!));
  }
  if (re.lastIndex < text.length || tokens.length === 0) return "the filter is not understood";
  let k = 0;
  let depth = 0;
  const named = new Set<string>();
  const expr = (): TagTest | string => {
    const terms: TagTest[] = [];
    let op: string | undefined;
    for (;;) {
      const t = term();
      if (typeof t === "string") return t;
      terms.push(t);
      const next = tokens[k]?.toLowerCase();
      if (next !== "and" && next !== "or") break;
      if (op !== undefined && op !== next) return "and and or are mixed without parentheses";
      op = next;
      k++;
    }
    return op === "or" ? (tags) => terms.some((f) => f(tags)) : (tags) => terms.every((f) => f(tags));
  };
  const term = (): TagTest | string => {
    const t = tokens[k++];
    if (t === undefined) return "the filter ends early";
    if (t === "(") {
      // Each parenthesis is a level of recursion here: a hostile filter of 20,000 overflowed the stack.
      if (++depth > MAX_GROUP_DEPTH) return `parentheses nest more than ${MAX_GROUP_DEPTH} deep`;
      const inner = expr();
      depth--;
      if (typeof inner === "string") return inner;
      return tokens[k++] === ")" ? inner : "a parenthesis is not closed";
    }
    if (t === ")" || /^(?:and|or|not)$/i.test(t)) return `"${t}" is not understood here`;
    const tag = t.startsWith("'") ? t.slice(1) : t;
    named.add(tag);
    return (tags) => tags.has(tag);
  };
  const out = expr();
  if (typeof out === "string") return out;
  return k === tokens.length ? { test: out, tags: named } : "the filter is not understood";
}

/**
 * Dynamic address groups: their members are the address objects and groups in the paste whose tags match the filter,
 * plus addresses registered on the firewall at runtime (XML API, User-ID, VM Monitoring), which the paste cannot
 * hold: a note says so. A filter no object matches keeps the group empty, with a finding.
 * Docs: PAN-OS "Use Dynamic Address Groups in Policy" ("Dynamic address groups can also include statically defined
 * address objects … that match the tags"; and / or operators):
 * https://docs.paloaltonetworks.com/pan-os/11-0/pan-os-admin/policy/monitor-changes-in-the-virtual-environment/use-dynamic-address-groups-in-policy
 */
function resolveDynamicGroups(c: PanosConfig): void {
  if (c.dynamic.length === 0) return;
  // The names carrying each tag, in the order the names were first tagged. A filter of tags joined by and / or (no
  // not) holds only for names carrying one of its tags, so only those are tested: testing every tagged name for each
  // group took 6.5 s for 1,600 groups over 16,000 objects.
  const byTag = new Map<string, string[]>();
  const rank = new Map<string, number>();
  for (const [n, tags] of c.tags) {
    rank.set(n, rank.size);
    for (const t of tags) {
      const names = byTag.get(t);
      if (names === undefined) byTag.set(t, [n]);
      else names.push(n);
    }
  }
  for (const g of c.dynamic) {
    const filter = tagFilter(g.filter);
    if (typeof filter === "string") {
      c.findings.push(
        finding(
          g.line,
          "not-understood",
          `"${g.name}" is a dynamic group whose filter is not read (${filter}): its members are not known.`,
        ),
      );
      continue;
    }
    const candidates = new Set<string>();
    for (const t of filter.tags) for (const n of byTag.get(t) ?? []) candidates.add(n);
    const matched = [...candidates]
      .filter((n) => n !== g.name && c.addrs.has(n) && filter.test(c.tags.get(n)!))
      .sort((a, b) => rank.get(a)! - rank.get(b)!);
    for (const n of matched) c.addrs.addMember(g.name, { ref: n, line: g.line }, g.line);
    c.findings.push(
      matched.length === 0
        ? finding(
            g.line,
            "not-understood",
            `"${g.name}" is a dynamic group and no address object in the paste has tags matching its filter: its members are known only on the firewall.`,
          )
        : finding(
            g.line,
            "note",
            `"${g.name}" is a dynamic group: read as the ${matched.length === 1 ? "address object" : `${matched.length} address objects`} tagged to match its filter (${matched.join(", ")}); addresses registered on the firewall at runtime are not in the paste.`,
          ),
    );
  }
}

/** `address-group NAME static [ … ]`, or `dynamic filter …` (tagged objects of the paste, and runtime registrations). */
function readAddressGroup(c: PanosConfig, { w, i, line, name }: Statement): void {
  if (w[i + 2] === "static") {
    if (!c.addrs.has(name)) c.addrs.define(name, { line, members: [] });
    for (const m of values(w, i + 3).list) addObjectMember(c.addrs, c.members, name, { ref: m, line }, line);
  } else if (w[i + 2] === "dynamic") {
    c.addrs.define(name, { line, members: [] });
    const at = line.text.indexOf(" filter ");
    const raw = at < 0 ? "" : line.text.slice(at + 8).trim();
    const filter = raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw;
    c.dynamic.push({ name, filter, line });
  } else if (w[i + 2] === "tag") addTags(c, name, w, i + 3);
  else if (w[i + 2] !== "description") {
    c.findings.push(finding(line, "not-understood", "This address-group line is not understood."));
  }
}

/**
 * `service NAME protocol tcp|udp|sctp port 443,8000-8080 [source-port …] [override …]`. The set-format output may
 * split one service over several lines (`… protocol tcp port 8443`, `… protocol tcp source-port 443`,
 * `… protocol tcp override no`): each adds to what the earlier ones said. A source port other than every ephemeral
 * one is a condition (sourceRestricted). Docs: PAN-OS "Create a Custom Service" (destination port required, source
 * port optional): https://docs.paloaltonetworks.com/network-security/security-policy/administration/objects/services/create-a-custom-service-pm
 */
function readService(c: PanosConfig, { w, i, line, name }: Statement): void {
  const at = i + 2;
  if (w[at] === "description" || w[at] === "tag") return;
  const protocol = w[at + 1];
  if (w[at] !== "protocol" || protocol === undefined)
    return void c.findings.push(finding(line, "not-understood", 'Expected "protocol tcp|udp port …".'));
  let part = c.serviceParts.get(name);
  if (part === undefined || part.protocol !== protocol) {
    part = { protocol, line };
    c.serviceParts.set(name, part);
  }
  for (let j = at + 2; j < w.length; j++) {
    const key = w[j];
    if (key === "override") break;
    if (key !== "port" && key !== "source-port") continue;
    const ports: PortRange[] = [];
    for (const piece of (w[j + 1] ?? "").split(",")) {
      const p = parsePortRange(piece);
      if (!p) return void c.findings.push(finding(line, "invalid", `"${piece}" is not a port or port range.`));
      ports.push(p);
    }
    if (key === "port") part.ports = ports;
    else part.source = coversEphemeral(ports) ? undefined : `source-port ${w[j + 1]}`;
    j++;
  }
  const value: CiscoServiceTerm = {
    protocol: part.protocol,
    ...(part.ports ? { ports: part.ports } : {}),
    ...(part.source !== undefined ? { source: part.source } : {}),
  };
  c.services.define(name, { line: part.line, members: [{ value, line: part.line }] });
}

function readServiceGroup(c: PanosConfig, { w, i, line, name }: Statement): void {
  if (w[i + 2] !== "members") return;
  if (!c.services.has(name)) c.services.define(name, { line, members: [] });
  for (const m of values(w, i + 3).list) c.services.addMember(name, { ref: m, line }, line);
}

/** `[pre-|post-]rulebase security rules NAME …` and the interzone-default rule's action. */
function readRulebase(c: PanosConfig, { w, i, line, shared, group }: Statement): void {
  if (w[i + 1] === "default-security-rules" && w[i + 3] === "interzone-default" && w[i + 4] === "action") {
    c.interzoneDefault = { action: w[i + 5] === "allow" ? "allow" : "deny", line };
    return;
  }
  const ruleName = w[i + 3];
  if (w[i + 1] !== "security" || w[i + 2] !== "rules" || ruleName === undefined) return;
  const table = c.rules[RULEBASES.get(w[i]!)!]!;
  let rule = table.get(ruleKey(group, ruleName));
  if (!rule) {
    rule = {
      name: ruleName,
      line,
      sources: [],
      destinations: [],
      services: [],
      applications: [],
      from: [],
      to: [],
      users: [],
      categories: [],
      scope: shared ? "shared" : "local",
      group,
    };
    table.set(ruleKey(group, ruleName), rule);
    c.moved[RULEBASES.get(w[i]!)!]?.append(rule);
  }
  readRuleAttributes(c, rule, w, i + 4, line);
}

type RuleAttribute = (rule: Rule, list: readonly string[], line: Line) => void;

const words = (into: { word: string; line: Line }[], list: readonly string[], line: Line): void => {
  for (const word of list) into.push({ word, line });
};

/** Rule attributes that decide which sources reach which port, by keyword. */
const RULE_ATTRIBUTES: ReadonlyMap<string, RuleAttribute> = new Map<string, RuleAttribute>([
  ["source", (r, list, line) => words(r.sources, list, line)],
  ["destination", (r, list, line) => words(r.destinations, list, line)],
  ["service", (r, list, line) => words(r.services, list, line)],
  ["application", (r, list) => void r.applications.push(...list)],
  [
    "action",
    (r, list, line) => {
      r.action = { word: list[0] ?? "", line };
    },
  ],
  ["from", (r, list) => void r.from.push(...list)],
  ["to", (r, list) => void r.to.push(...list)],
  ["category", (r, list) => void r.categories.push(...list)],
  [
    "rule-type",
    (r, list) => {
      r.ruleType = list[0];
    },
  ],
  ["source-user", (r, list) => void r.users.push(...list)],
  [
    "schedule",
    (r, list) => {
      r.schedule = list[0];
    },
  ],
  [
    "negate-source",
    (r, list, line) => {
      r.negateSource = list[0] === "yes" ? line : undefined;
    },
  ],
  [
    "negate-destination",
    (r, list, line) => {
      r.negateDestination = list[0] === "yes" ? line : undefined;
    },
  ],
  [
    "disabled",
    (r, list, line) => {
      r.disabled = list[0] === "yes" ? line : undefined;
    },
  ],
]);

/** Settings whose value runs to the end of the line (profile-setting group X, option …). */
const NESTED_RULE_KEYS = new Set(["profile-setting", "option", "qos", "target"]);

/** "KEY VALUE|[ LIST ] KEY VALUE …" from w[at] to the end of the line. */
function readRuleAttributes(c: PanosConfig, rule: Rule, w: readonly string[], at: number, line: Line): void {
  let i = at;
  while (i < w.length) {
    const key = w[i]!;
    const v = values(w, i + 1);
    const read = RULE_ATTRIBUTES.get(key);
    if (read) read(rule, v.list, line);
    else if (IRRELEVANT_RULE_KEYS.has(key)) {
      if (NESTED_RULE_KEYS.has(key)) return;
    } else {
      return void c.findings.push(finding(line, "not-understood", `Rule attribute "${key}" is not understood.`));
    }
    i = v.next;
  }
}

function parsePanos(text: string, options: ParseOptions = {}): ParseOutput {
  const c = readConfig(splitLines(text));
  resolveDynamicGroups(c);
  // Predefined services stay overridable by a same-named object in the paste.
  for (const [name, term] of Object.entries(PREDEFINED_SERVICES)) {
    if (!c.services.has(name))
      c.services.define(name, { line: PREDEFINED_LINE, members: [{ value: term, line: PREDEFINED_LINE }] });
  }
  const ev: PanosEval = { c, entries: [], reached: new Set(), ingress: chooseZone(options, c.zones, c.rules) };
  // Panorama order: shared pre-rules, device-group pre-rules, local rules, device-group post-rules, shared post-rules.
  const ordered = c.rules.flatMap((table, rb) => {
    const list = [...table.values()];
    const rank = (r: Rule) => (r.scope === "shared" ? (rb === 2 ? 1 : -1) : 0);
    return list.sort((a, b) => rank(a) - rank(b));
  });
  // Each vsys and each device group has its own rulebase: a firewall applies only its own (and shared) rules.
  const groups = [...new Set(ordered.map((r) => r.group).filter((g) => g !== ""))];
  for (const rule of ordered) {
    const from = ev.entries.length;
    const unmet = emitPanosRule(ev, rule);
    tagEntries(ev.entries, from, rule.group === "" ? 0 : Math.max(0, groups.indexOf(rule.group)), unmet);
  }
  return panosOutput(ev, ordered, groups, text);
}

/** The evaluation: what was read, the Internet-facing zone, and the entries built from the rules. */
interface PanosEval {
  readonly c: PanosConfig;
  readonly entries: Entry[];
  /** Address names an allow rule referenced (for the unused-object findings). */
  readonly reached: Set<string>;
  readonly ingress: { name: string; why: string } | undefined;
}

/** App-IDs a webhook over HTTPS is identified as: ssl (not decrypted), web-browsing or http2 (decrypted), websocket. */
const WEBHOOK_APPS = new Set(["ssl", "web-browsing", "http2", "websocket"]);

/**
 * A rule whose applications are all known App-IDs other than the ones a webhook is identified as: App-ID lets the
 * handshake through, then the identified application (ssl, web-browsing) no longer matches the rule. Unknown names
 * (custom applications, application groups or filters) may hold them: no condition then.
 * Docs: PAN-OS "App-ID Overview" / "Security Policy" (a session is matched again once its application is known):
 * https://docs.paloaltonetworks.com/pan-os/11-1/pan-os-admin/app-id/app-id-overview
 */
function foreignApplications(apps: readonly string[]): string | undefined {
  if (apps.length === 0 || apps.some((a) => a === "any" || WEBHOOK_APPS.has(a) || APP_DEFAULT_PORTS[a] === undefined))
    return undefined;
  return `only application ${apps.join(", ")} (a webhook over HTTPS is identified as ssl or web-browsing)`;
}

/** Emits the rule's entries; returns the condition a new connection from the Internet-facing zone cannot meet. */
function emitPanosRule(ev: PanosEval, rule: Rule): string | undefined {
  const { c, ingress } = ev;
  const fromZones = rule.from.length === 0 ? ["any"] : rule.from;
  const zoneUnmet =
    ingress === undefined || fromZones.some((z) => z === "any" || sameName(z, ingress.name))
      ? undefined
      : `from zone ${fromZones.join(", ")}, not the Internet-facing zone ${ingress.name}`;
  // The service sits in another zone than the Internet-facing one (interzone): an intrazone rule, or one whose
  // destination zones are only the Internet-facing one, never sees the connection.
  const toUnmet =
    ingress === undefined || zoneUnmet !== undefined
      ? undefined
      : rule.ruleType === "intrazone"
        ? "rule-type intrazone (the service sits in another zone)"
        : rule.to.length > 0 && rule.to.every((z) => z !== "any" && sameName(z, ingress.name))
          ? `to zone ${rule.to.join(", ")}: the Internet-facing zone itself, not the service's`
          : undefined;
  const action = ruleAction(c, rule);
  const { svc: resolved, appUnmet } = ruleServices(c, rule, action);
  const restricted = sourceRestricted(resolved, action);
  const svc = [...restricted.terms];
  // No service left (all undefined) matches nothing; PAN-OS requires one, so an absent list means "any".
  if (rule.services.length > 0 && svc.length === 0 && appUnmet === undefined) return undefined;
  if (svc.length === 0) svc.push({});
  const conditions: string[] = restricted.condition === undefined ? [] : [restricted.condition];
  const foreign = foreignApplications(rule.applications);
  if (foreign !== undefined) conditions.push(foreign);
  const categories = rule.categories.filter((x) => x !== "any");
  if (categories.length > 0) conditions.push(`only URL category ${categories.join(", ")}`);
  const users = rule.users.filter((u) => u !== "any");
  if (users.length > 0 && users.some((u) => u !== "unknown"))
    conditions.push(`only source-user ${users.join(", ")} (the vendor's servers are no known user)`);
  if (rule.schedule !== undefined) conditions.push(`only during schedule ${rule.schedule}`);
  if (rule.negateDestination)
    conditions.push("negate-destination (the listed destinations are assumed to hold the service)");
  const destination = reachDestinations(ev, rule, action);
  const sources = ruleSources(ev, rule, action);
  const ruleLine = rule.sources[0]?.line ?? rule.line;
  const unmet = joinUnmet(
    rule.disabled ? "disabled" : undefined,
    joinUnmet(zoneUnmet, toUnmet),
    appUnmet,
    conditionalUnmet(action, conditions),
  );
  const matched = rule.negateSource
    ? negatedSources(sources, [4, 6], ruleLine, `not ${rule.sources.map((x) => x.word).join(" ")}`)
    : sources;
  emitRule(ev.entries, matched, { line: ruleLine, action, direction: "in", services: svc, destination });
  return unmet;
}

/** allow, or deny for every other action; a rule without one allows (the PAN-OS default), with a note. */
function ruleAction(c: PanosConfig, rule: Rule): Entry["action"] {
  if (!rule.action)
    c.findings.push(
      finding(rule.line, "note", `Rule "${rule.name}" sets no action: read as "allow", the PAN-OS default.`),
    );
  const actionWord = rule.action?.word ?? "allow";
  if (rule.action && !/^(?:allow|deny|drop|reset-client|reset-server|reset-both)$/.test(actionWord)) {
    c.findings.push(
      finding(rule.action.line, "not-understood", `Action "${actionWord}" is not understood: read as deny.`),
    );
  }
  return actionWord === "allow" ? "allow" : "deny";
}

/** The rule's services resolved; `appUnmet` when application-default leaves no known TCP port. */
function ruleServices(c: PanosConfig, rule: Rule, action: Entry["action"]): { svc: ServiceTerm[]; appUnmet?: string } {
  const svc: ServiceTerm[] = [];
  let appUnmet: string | undefined;
  for (const s of rule.services) {
    if (s.word === "any") svc.push({});
    else if (s.word === "application-default") {
      const apps = rule.applications.filter((a) => a !== "any");
      if (apps.length === 0) svc.push({});
      appDefaultServices(c, apps, s.line, action, svc);
      if (svc.length === 0) appUnmet = `application-default: no TCP port is known for ${apps.join(", ")}`;
    } else for (const r of c.services.resolve(s.word, s.line, c.findings)) svc.push(r.value);
  }
  return appUnmet === undefined ? { svc } : { svc, appUnmet };
}

/** "service application-default": the standard TCP ports of the rule's App-IDs, from our table. */
function appDefaultServices(
  c: PanosConfig,
  apps: readonly string[],
  line: Line,
  action: Entry["action"],
  svc: ServiceTerm[],
): void {
  const unknown = apps.filter((a) => APP_DEFAULT_PORTS[a] === undefined);
  const ports = apps.filter((a) => APP_DEFAULT_PORTS[a] !== undefined).flatMap((a) => APP_DEFAULT_PORTS[a]!);
  if (ports.length > 0) svc.push({ protocol: "tcp", ports });
  if (unknown.length === 0) return;
  c.findings.push(
    finding(
      line,
      "not-understood",
      `"application-default" for ${unknown.join(", ")}: the standard ports of ${unknown.length === 1 ? "this App-ID are" : "these App-IDs are"} not in our table${action === "allow" ? ", so they are not counted as allowing anything" : ", so the rule is read as denying every port"}.`,
    ),
  );
  if (action === "deny") svc.push({});
}

/**
 * Destination names are resolved for their findings (an allow rule's count as used), and named as Entry.destination
 * (the diff reads a rule only to published NAT IPs as never met).
 */
function reachDestinations(ev: PanosEval, rule: Rule, action: Entry["action"]): Destination | undefined {
  const ranges: Range[] = [];
  let any = rule.destinations.length === 0 || rule.negateDestination !== undefined;
  for (const d of rule.destinations) {
    if (d.word === "any") {
      any = true;
      continue;
    }
    const literal = literalTerm(d.word);
    if (literal !== undefined) {
      // An address written out (its problem, a string, is reported where the rule's words are read).
      if (typeof literal !== "string") ranges.push(literal.range);
      continue;
    }
    const resolved = ev.c.addrs.resolve(d.word, d.line, ev.c.findings);
    for (const r of resolved) ranges.push(r.value.range);
    if (action === "allow") {
      ev.reached.add(d.word);
      for (const r of resolved) for (const n of r.via) ev.reached.add(n);
    }
  }
  return namedDestination(
    rule.destinations.map((d) => d.word),
    ranges,
    any,
  );
}

// Terms are immutable values: every rule's "any" shares these, and a literal's empty path is one array.
const ANY_V4 = anyTerm("any", 4);
const ANY_V6 = anyTerm("any", 6);
const NO_VIA: readonly string[] = Object.freeze([]);

function ruleSources(ev: PanosEval, rule: Rule, action: Entry["action"]): Resolved<AddressTerm>[] {
  const sources: Resolved<AddressTerm>[] = [];
  for (const s of rule.sources) {
    if (s.word === "any") {
      sources.push({ value: ANY_V4, line: s.line, via: NO_VIA }, { value: ANY_V6, line: s.line, via: NO_VIA });
      continue;
    }
    const lit = literalTerm(s.word);
    if (typeof lit === "string") ev.c.findings.push(finding(s.line, "invalid", lit));
    else if (lit) sources.push({ value: lit, line: s.line, via: NO_VIA });
    else {
      for (const r of ev.c.addrs.resolve(s.word, s.line, ev.c.findings)) sources.push(r);
      if (action === "allow") ev.reached.add(s.word);
    }
  }
  return sources;
}

function panosOutput(ev: PanosEval, ordered: readonly Rule[], groups: readonly string[], text: string): ParseOutput {
  const { c, entries } = ev;
  const ruleCount = ordered.length;
  const notes: string[] = [];
  const members =
    c.membersFrom.size === 0 ? c.members : c.members.filter((m, k) => k >= (c.membersFrom.get(m.name) ?? 0));
  if (ruleCount === 0 && members.length > 0) {
    objectsAsAllowlist(members, (n) => c.addrs.has(n), entries, c.findings);
    notes.push(OBJECTS_ONLY_NOTE);
  } else if (ruleCount > 0) {
    for (const f of unusedObjectFindings(c.addrs, namesReachedByAllow(entries, ev.reached), "Address"))
      c.findings.push(f);
  }
  c.findings.sort((x, y) => x.line - y.line);
  const out: ParseOutput = { format: "panos", entries, findings: c.findings, lineCount: countLines(text), notes };
  if (ruleCount === 0) return out;
  return { ...out, path: panosPath(c, ev.ingress, ordered, groups) };
}

/**
 * The path: the rules from the Internet-facing zone, then the interzone-default rule. Rules written in more than one
 * vsys or device group are not one rulebase: each vsys has its own, and a firewall applies only its device group's
 * rules (with the shared ones). The first in the paste is read as the firewall checked; the others are contexts off
 * the path. Docs: PAN-OS "Virtual Systems" (each vsys has its own policies):
 * https://docs.paloaltonetworks.com/pan-os/11-1/pan-os-admin/virtual-systems/virtual-systems-overview and Panorama
 * "Device Group Policies": https://docs.paloaltonetworks.com/panorama/11-1/panorama-admin/panorama-overview/centralized-firewall-configuration-and-update-management/device-groups/device-group-policies
 */
function panosPath(
  c: PanosConfig,
  ingress: PanosEval["ingress"],
  ordered: readonly Rule[],
  groups: readonly string[],
): PathInfo {
  const fallthrough = c.interzoneDefault?.action ?? "deny";
  const rules = `security rules from ${ingress?.name ?? "any zone"} (pre, local, post)`;
  const reason = `Rules are evaluated in order, first match; no match ends in the interzone-default rule (${fallthrough}${c.interzoneDefault ? ", set in the paste" : ", predefined"}).`;
  const zone =
    ingress === undefined
      ? "No rule names a source zone other than any: every rule applies. Override with --ingress ZONE."
      : `Internet-facing zone: ${ingress.name} (${ingress.why}); only rules from ${ingress.name} or any apply, and the service sits in another zone (interzone). Override with --ingress ZONE.`;
  const single = {
    name: rules,
    line: c.interzoneDefault?.line.n ?? 0,
    text: c.interzoneDefault?.line.text ?? "",
    fallthrough,
    onPath: true,
    reason,
  };
  if (groups.length <= 1)
    return { contexts: [single], ...(ingress !== undefined ? { ingress: ingress.name } : {}), assumption: zone };
  const kind = (g: string) => (g.startsWith("vsys ") ? "vsys" : "device group");
  const contexts = groups.map((g, k) => {
    const first = ordered.find((r) => r.group === g)!.line;
    return {
      name: `${g}: ${rules}`,
      line: first.n,
      text: first.text,
      fallthrough,
      onPath: k === 0,
      reason:
        k === 0
          ? reason
          : `another ${kind(g)}: a firewall applies only its own ${kind(g)}'s rules, and ${groups[0]} (the first in the paste) is read as the one checked`,
    };
  });
  return {
    contexts,
    ...(ingress !== undefined ? { ingress: ingress.name } : {}),
    assumption: `Rules of ${groups.length} vsys or device groups (${groups.join(", ")}): ${groups[0]}, the first in the paste, is read as the firewall's. ${zone}`,
  };
}

/** The Internet-facing zone: given, or the first zone named like untrust/outside/internet, or the only from-zone used. */
function chooseZone(
  options: ParseOptions,
  zones: readonly { name: string; line: Line }[],
  rules: readonly Map<string, Rule>[],
): { name: string; why: string } | undefined {
  if (options.ingress !== undefined) return { name: options.ingress, why: "given" };
  const used: string[] = [];
  for (const t of rules)
    for (const r of t.values()) for (const z of r.from) if (z !== "any" && !used.includes(z)) used.push(z);
  const named = [...zones.map((z) => z.name), ...used].find((z) => looksInternetFacing(z));
  if (named !== undefined) return { name: named, why: "its name" };
  if (used.length === 1) return { name: used[0]!, why: "the only source zone the rules name" };
  if (used.length > 1)
    return { name: used[0]!, why: "the first source zone the rules name; none is named like untrust" };
  return undefined;
}
