/**
 * ufw (Uncomplicated Firewall, Ubuntu/Debian): `ufw status`, `ufw status verbose`, `ufw status numbered`,
 * /etc/ufw/user.rules and user6.rules (the `### tuple ###` lines ufw itself reads back), /etc/default/ufw policies, and
 * scripts of `ufw allow|deny|reject|limit …` commands (what our export writes), applied in order.
 *
 * Semantics (ufw(8), https://manpages.ubuntu.com/manpages/noble/man8/ufw.8.html; ufw-framework(8)): user rules sit in
 * ufw-user-input (host) or ufw-user-forward (`ufw route`), are evaluated in order and the first match wins; what no
 * rule matches gets the default policy ("Default: deny (incoming)", ufw's out-of-the-box default). LIMIT accepts
 * (denying only an address that opened 6+ connections in 30 s). Outgoing rules do not let webhooks in. A disabled
 * ufw ("Status: inactive") filters nothing.
 */
import type { Destination, Entry, Finding, ParseOptions, ParseOutput, Parser, PathContext, PortRange } from "../types";
import type { Family } from "../../ip/types";
import { type AddressTerm, type Line, countLines, eachLine, finding, readAddressTerm, tokenize } from "./common";
import { anySources, fromHex, pathEntry, readPortList } from "./hostcommon";
import { destinationOf, detectHead, inputInterfaceUnmet, isInternalInterface } from "./linuxcommon";
import { PositionList } from "./positionlist";
import { looksLikeShellScript, readShell, type ShellProblem } from "./shell";

type UfwAction = "allow" | "deny" | "reject" | "limit";
type UfwDirection = "in" | "out" | "fwd";

/**
 * One ufw rule of one address family, however it was written. ufw keeps an IPv4 list and an IPv6 list: a command
 * whose addresses are both "any" (`ufw allow 443`) makes one rule in each.
 */
interface UfwRule {
  readonly line: Line;
  readonly action: UfwAction;
  /** "log" or "log-all" when written; ufw compares it with the action. */
  readonly log?: string;
  readonly direction: UfwDirection;
  /** Incoming interface ("on eth0" of an IN rule, "in on eth0" of a route rule). */
  readonly iface?: string;
  readonly protocol?: string;
  /** Destination ports; undefined = any. */
  readonly ports?: readonly PortRange[];
  /** Source port condition as written: a new connection from the vendor comes from an ephemeral port. */
  readonly sport?: string;
  /** The source, of the rule's family ("any" is a term too). */
  readonly source: AddressTerm;
  /** An incoming or route rule's "to" address, when it names one (Entry.destination). */
  readonly destination?: Destination;
  readonly comment?: string;
  /**
   * Identity in its family's list for ufw's duplicate skipping, replacing and `ufw delete RULE`: the rule without its
   * action, log type and comment, addresses and ports normalized as ufw normalizes them.
   */
  readonly key: string;
}

/** Application profiles shipped with Debian/Ubuntu packages (/etc/ufw/applications.d): name → ports and protocol. */
export const UFW_APPS: Readonly<Record<string, { readonly ports: readonly PortRange[]; readonly protocol?: string }>> =
  {
    openssh: { ports: [{ from: 22, to: 22 }], protocol: "tcp" },
    ssh: { ports: [{ from: 22, to: 22 }], protocol: "tcp" },
    "nginx http": { ports: [{ from: 80, to: 80 }], protocol: "tcp" },
    "nginx https": { ports: [{ from: 443, to: 443 }], protocol: "tcp" },
    "nginx full": {
      ports: [
        { from: 80, to: 80 },
        { from: 443, to: 443 },
      ],
      protocol: "tcp",
    },
    apache: { ports: [{ from: 80, to: 80 }], protocol: "tcp" },
    "apache secure": { ports: [{ from: 443, to: 443 }], protocol: "tcp" },
    "apache full": {
      ports: [
        { from: 80, to: 80 },
        { from: 443, to: 443 },
      ],
      protocol: "tcp",
    },
    www: { ports: [{ from: 80, to: 80 }], protocol: "tcp" },
    "www secure": { ports: [{ from: 443, to: 443 }], protocol: "tcp" },
    "www full": {
      ports: [
        { from: 80, to: 80 },
        { from: 443, to: 443 },
      ],
      protocol: "tcp",
    },
    "www cache": { ports: [{ from: 8080, to: 8080 }], protocol: "tcp" },
    dns: { ports: [{ from: 53, to: 53 }] },
    smtp: { ports: [{ from: 25, to: 25 }], protocol: "tcp" },
    postfix: { ports: [{ from: 25, to: 25 }], protocol: "tcp" },
    "postfix smtps": { ports: [{ from: 465, to: 465 }], protocol: "tcp" },
    "postfix submission": { ports: [{ from: 587, to: 587 }], protocol: "tcp" },
    "mail submission": { ports: [{ from: 587, to: 587 }], protocol: "tcp" },
    imap: { ports: [{ from: 143, to: 143 }], protocol: "tcp" },
    imaps: { ports: [{ from: 993, to: 993 }], protocol: "tcp" },
    pop3: { ports: [{ from: 110, to: 110 }], protocol: "tcp" },
    pop3s: { ports: [{ from: 995, to: 995 }], protocol: "tcp" },
    ldap: { ports: [{ from: 389, to: 389 }], protocol: "tcp" },
    ldaps: { ports: [{ from: 636, to: 636 }], protocol: "tcp" },
  };

/** Service names ufw resolves through /etc/services (the ones webhook receivers use). */
const SERVICES: Readonly<Record<string, { readonly port: number; readonly protocol?: string }>> = {
  ssh: { port: 22, protocol: "tcp" },
  http: { port: 80, protocol: "tcp" },
  https: { port: 443 },
  smtp: { port: 25, protocol: "tcp" },
  domain: { port: 53 },
  ftp: { port: 21, protocol: "tcp" },
  ntp: { port: 123, protocol: "udp" },
  imaps: { port: 993, protocol: "tcp" },
  submission: { port: 587, protocol: "tcp" },
};

const ACTIONS = new Set(["allow", "deny", "reject", "limit"]);
const PROTOCOLS = new Set(["tcp", "udp", "ah", "esp", "gre", "ipv6", "igmp", "any"]);
const LIMIT_NOTE = "LIMIT: accepted unless the address opened 6 or more connections in the last 30 seconds";

/**
 * One of ufw's two rule lists (self.rules and self.rules6 in ufw/backend.py). `ufw status numbered` numbers the IPv4
 * list first, then the IPv6 one.
 */
interface FamilyRules {
  readonly family: Family;
  /** The rules in ufw's order; commands insert and delete by number and by rule (see PositionList). */
  readonly rules: PositionList<UfwRule>;
  /**
   * The rules added by commands, by key: ufw skips adding a rule that exists and `ufw delete RULE` deletes the one
   * written the same way, found here instead of by a pass over the rules (20,000 `ufw allow` lines took 2.4 s).
   */
  readonly byKey: Map<string, UfwRule>;
}

interface State {
  readonly findings: Finding[];
  readonly v4: FamilyRules;
  readonly v6: FamilyRules;
  defaults: {
    incoming?: { value: "allow" | "deny"; word: string; line: Line };
    routed?: { value: "allow" | "deny"; word: string; line: Line };
  };
  status?: { active: boolean; line: Line };
  /** The user.rules file is being read: its iptables lines implement the tuples and are not read again. */
  rulesFile: boolean;
  commands: number;
  /** What a status column's port text reads as, by its text: one reading (and port list) shared by every row. */
  readonly portTexts: Map<string, PortText>;
}

const NO_WORDS: string[] = [];

export function parseUfw(text: string, options: ParseOptions = {}): ParseOutput {
  const st: State = {
    findings: [],
    v4: { family: 4, rules: new PositionList(), byKey: new Map() },
    v6: { family: 6, rules: new PositionList(), byKey: new Map() },
    defaults: {},
    rulesFile: false,
    commands: 0,
    portTexts: new Map(),
  };
  if (looksLikeShellScript(text)) {
    // A script of ufw commands: the sync scope's removals read the live rules (ufw show added | … | while …) and
    // change nothing a paste holds; functions and guards are seen through.
    const problems: ShellProblem[] = [];
    const commands = readShell(text, problems);
    for (const p of problems) st.findings.push(finding(p.line, "not-understood", p.message));
    for (const c of commands) {
      const words = c.words[0] === "sudo" ? c.words.slice(1) : [...c.words];
      if (words[0] === "ufw" || /\/ufw$/.test(words[0] ?? "")) {
        st.commands++;
        readCommand(c.line, words.slice(1), st);
      } else st.findings.push(finding(c.line, "note", `"${words[0] ?? ""}" is not a ufw command: not read.`));
    }
    return build(text, st, options);
  }
  // One line at a time: no array of every line held while the listing is read.
  eachLine(text, (line) => readLine(line, st));
  return build(text, st, options);
}

/** One line of a status listing, user.rules file or list of ufw commands. */
function readLine(line: Line, st: State): void {
  const t = line.text;
  if (t === "") return;
  if (t.startsWith("### tuple ###")) {
    st.rulesFile = true;
    readTuple(line, t.slice(13).trim(), st);
    return;
  }
  if (t.startsWith("#")) return;
  if (/^Status:\s*/i.test(t)) {
    const active = /^Status:\s*active\b/i.test(t);
    st.status = { active, line };
    return;
  }
  const def = /^Default:\s*(.*)$/i.exec(t);
  if (def) {
    readDefaults(line, def[1] ?? "", st);
    return;
  }
  const envPolicy = /^DEFAULT_(INPUT|FORWARD)_POLICY\s*=\s*"?(ACCEPT|DROP|REJECT)"?\s*$/.exec(t);
  if (envPolicy) {
    const value = envPolicy[2] === "ACCEPT" ? "allow" : "deny";
    const d = { value, word: envPolicy[2]!.toLowerCase(), line } as const;
    if (envPolicy[1] === "INPUT") st.defaults.incoming = d;
    else st.defaults.routed = d;
    return;
  }
  if (
    /^(?:Logging|New profiles|To\s+Action\s+From|--\s+-+\s+--)/.test(t) ||
    /^-+\s+-+\s+-+$/.test(t) ||
    /^[A-Z_]+=/.test(t)
  )
    return;
  if (/^(?:\*\w+|COMMIT|:ufw6?-|-A\s+ufw6?-)/.test(t)) {
    st.rulesFile = true;
    return;
  }
  // A line without "ufw" is no ufw command: status rows skip the tokenizer.
  const words = t.includes("ufw") ? tokenize(t) : NO_WORDS;
  if (words[0] === "sudo") words.shift();
  if (words[0] === "ufw" || /\/ufw$/.test(words[0] ?? "")) {
    st.commands++;
    readCommand(line, words.slice(1), st);
    return;
  }
  if (/^(?:#!|set -e|set -eu|exit\b|echo\b)/.test(t)) return;
  const row = /^(?:\[\s*(\d+)\]\s*)?(.*?)\s+(ALLOW|DENY|REJECT|LIMIT)(?:\s+(IN|OUT|FWD))?(?:\s+(.*))?$/.exec(t);
  if (row) {
    readStatusRow(
      line,
      row[2] ?? "",
      row[3]!.toLowerCase() as UfwAction,
      (row[4] ?? "IN").toLowerCase() as UfwDirection,
      row[5] ?? "",
      st,
    );
    return;
  }
  st.findings.push(finding(line, "not-understood", "Not a ufw status row, rule tuple or ufw command."));
}

/** "deny (incoming), allow (outgoing), disabled (routed)". */
function readDefaults(line: Line, rest: string, st: State): void {
  for (const m of rest.matchAll(/(\w+)\s*\((incoming|outgoing|routed)\)/g)) {
    const word = m[1]!.toLowerCase();
    const value = word === "allow" ? "allow" : "deny";
    if (m[2] === "incoming") st.defaults.incoming = { value, word, line };
    else if (m[2] === "routed") st.defaults.routed = { value, word, line };
  }
}

// ---- `ufw status` rows ----

interface Side {
  any: boolean;
  term?: AddressTerm;
  ports?: PortRange[];
  protocol?: string;
  app?: string;
  iface?: string;
  v6: boolean;
  bad?: { kind: Finding["kind"]; message: string };
}

/** `text.split(/\s+/).filter((w) => w !== "")`, without the regex for the usual text of one ASCII word. */
function splitBlank(text: string): string[] {
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    // Any blank, or any non-ASCII character (\s has Unicode spaces): the general split.
    if (c === 32 || (c >= 9 && c <= 13) || c >= 0x80) return text.split(/\s+/).filter((w) => w !== "");
  }
  return text === "" ? [] : [text];
}

/** One column ("To" or "From") of a status row: [address] [port[/proto] | app] [on IFACE] [(v6)] [(app)]. */
/** A status column's port part: ports [and protocol], or an application profile this reader does not know. */
interface PortText {
  readonly ports?: PortRange[];
  readonly protocol?: string;
  readonly app?: string;
}

/** "443/tcp", "80,443", "8000:8100/tcp", "OpenSSH" …; the port lists are never changed in place. */
function readPortText(portText: string): PortText {
  const pm = /^([\w,:]+?)(?:\/(\w+))?$/.exec(portText);
  const ports = pm ? readPortList(pm[1]!.includes(":") ? pm[1]!.replace(/:/g, "-") : pm[1]!) : undefined;
  if (pm && ports) return pm[2] ? { ports, protocol: pm[2] } : { ports };
  const app = UFW_APPS[portText.toLowerCase()];
  if (app) return app.protocol ? { ports: [...app.ports], protocol: app.protocol } : { ports: [...app.ports] };
  return { app: portText };
}

function readSide(col: string, portTexts: Map<string, PortText>): Side {
  const side: Side = { any: false, v6: col.includes("(v6)") };
  // Parenthesised parts: "(v6)", the verbose "(OpenSSH)" annotation, attributes "(log)", "(out)".
  // The regexes below run only on columns that hold what they look for: two columns per row of 100k-row listings.
  let rest = (col.includes("(") ? col.replace(/\((?:[^()]|\([^()]*\))*\)/g, " ") : col).trim();
  const on = rest.includes("on") ? /\s*\bon\s+(\S+)$/.exec(rest) : null;
  if (on) {
    side.iface = on[1]!;
    rest = rest.slice(0, on.index).trim();
  }
  const words = splitBlank(rest);
  let i = 0;
  const first = words[0] ?? "";
  const anyw = first.startsWith("Anywhere") ? /^Anywhere(?:\/(\w+))?$/.exec(first) : null;
  if (anyw) {
    side.any = true;
    if (anyw[1]) side.protocol = anyw[1];
    i = 1;
  } else if (first !== "" && !first.includes(".") && !twoColons(first)) {
    // No dot and fewer than two colons: no address, prefix or range (IPv4 is dotted, IPv6 has two colons or more),
    // so not read as one (a port like "443/tcp" would only make a failure message to drop).
    side.any = true;
  } else if (first !== "") {
    const r = readAddressTerm(first);
    if (r.ok) {
      side.term = r.term;
      i = 1;
    } else {
      // A dot, "::" or two colons: an address that does not read.
      side.bad = { kind: r.kind, message: r.message };
      i = 1;
    }
  } else {
    side.any = true;
  }
  const portText = words.length === i ? "" : words.length - i === 1 ? words[i]! : words.slice(i).join(" ");
  if (portText !== "") {
    let read = portTexts.get(portText);
    if (read === undefined) {
      read = readPortText(portText);
      if (portTexts.size < 4096) portTexts.set(portText, read);
    }
    if (read.ports !== undefined) side.ports = read.ports;
    if (read.protocol !== undefined) side.protocol = read.protocol;
    if (read.app !== undefined) side.app = read.app;
  }
  return side;
}

/** Whether `w` holds two colons or more. */
function twoColons(w: string): boolean {
  const k = w.indexOf(":");
  return k >= 0 && w.indexOf(":", k + 1) >= 0;
}

function readStatusRow(
  line: Line,
  toCol: string,
  action: UfwAction,
  direction: UfwDirection,
  fromRaw: string,
  st: State,
): void {
  // "# comment" ends the row; "(log)", "(out)" attributes precede it.
  const hash = fromRaw.indexOf("#");
  const comment = hash >= 0 ? fromRaw.slice(hash + 1).trim() : undefined;
  const fromCol = (hash >= 0 ? fromRaw.slice(0, hash) : fromRaw).trim();
  const to = readSide(toCol, st.portTexts);
  const from = readSide(fromCol, st.portTexts);
  for (const s of [to, from]) {
    if (s.bad) {
      st.findings.push(finding(line, s.bad.kind, s.bad.message));
      return;
    }
    if (s.app !== undefined) {
      st.findings.push(
        finding(
          line,
          "not-understood",
          `Application profile "${s.app}" is not one ufw ships with Debian/Ubuntu: its ports are unknown, the rule is not read.`,
        ),
      );
      return;
    }
  }
  const v6 = to.v6 || from.v6 || (to.term !== undefined && familyOfTerm(to.term) === 6);
  // An outgoing rule is about where the host connects to: its "To" address is the one that matters.
  const remote = direction === "out" ? to : from;
  const family: Family = remote.term
    ? familyOfTerm(remote.term)
    : v6 || (from.term !== undefined && familyOfTerm(from.term) === 6)
      ? 6
      : 4;
  const source = remote.term ?? anySources([family], "Anywhere")[0]!;
  const protocol = to.protocol ?? from.protocol;
  // Route rules list the incoming interface under From; host rules under To.
  const iface = direction === "fwd" ? from.iface : direction === "in" ? to.iface : undefined;
  // Optional keys set only when present, no spreads: this runs per row (nothing reads a rule's key order).
  const rule: { -readonly [K in keyof UfwRule]: UfwRule[K] } = { line, action, direction, source, key: `${line.n}` };
  if (iface) rule.iface = iface;
  if (protocol && protocol !== "any") rule.protocol = protocol;
  if (to.ports) rule.ports = to.ports;
  const destination = direction === "out" ? undefined : destinationOf(to.term);
  if (destination !== undefined) rule.destination = destination;
  if (from.ports) rule.sport = from.ports.map((p) => (p.from === p.to ? `${p.from}` : `${p.from}:${p.to}`)).join(",");
  if (comment) rule.comment = comment;
  addRule(st, rule);
}

function familyOfTerm(t: AddressTerm): Family {
  return t.range.first.family;
}

// ---- /etc/ufw/user.rules tuples ----

/** "allow tcp 22 0.0.0.0/0 any 0.0.0.0/0 [dapp sapp] in[_eth0] [comment=HEX]". */
function readTuple(line: Line, tuple: string, st: State): void {
  let body = tuple;
  let comment: string | undefined;
  const ci = body.indexOf(" comment=");
  if (ci >= 0) {
    comment = fromHex(body.slice(ci + 9).trim());
    body = body.slice(0, ci);
  }
  const f = body.split(/\s+/);
  if (f.length < 6 || f.length > 9) {
    st.findings.push(finding(line, "not-understood", "A ufw rule tuple has 6 to 9 fields."));
    return;
  }
  let actionWord = f[0]!;
  let forward = false;
  if (actionWord.startsWith("route:")) {
    forward = true;
    actionWord = actionWord.slice(6);
  }
  const action = actionWord.replace(/_log(?:-all)?$/, "");
  if (!ACTIONS.has(action)) {
    st.findings.push(finding(line, "not-understood", `"${f[0]}" is not a ufw action.`));
    return;
  }
  const [, proto, dport, dst, sport, srcField] = f as [string, string, string, string, string, string];
  const dirField = f.length === 7 || f.length === 9 ? f[f.length - 1]! : "in";
  const dir = dirField.split("_")[0] === "out" ? "out" : "in";
  const src = dir === "out" && !forward ? dst : srcField;
  const ifaceIn = /(?:^|!)in_([^!]+)/.exec(dirField)?.[1];
  let ports: PortRange[] | undefined;
  if (dport !== "any") {
    ports = readPortList(dport.replace(/:/g, "-"));
    if (!ports) {
      st.findings.push(finding(line, "invalid", `"${dport}" is not a port list.`));
      return;
    }
  }
  let source: AddressTerm;
  if (src === "0.0.0.0/0" || src === "::/0") source = anySources([src === "::/0" ? 6 : 4], "Anywhere")[0]!;
  else {
    const r = readAddressTerm(src);
    if (!r.ok) {
      st.findings.push(finding(line, r.kind, r.message));
      return;
    }
    source = r.term;
  }
  // An incoming or route rule's dst is the address the connection is sent to (unreadable: read as met, as before).
  const to =
    dir === "out" && !forward ? undefined : dst === "0.0.0.0/0" || dst === "::/0" ? undefined : readAddressTerm(dst);
  const destination = to?.ok ? destinationOf(to.term) : undefined;
  addRule(st, {
    line,
    action: action as UfwAction,
    direction: forward ? "fwd" : dir,
    ...(ifaceIn ? { iface: ifaceIn } : {}),
    ...(proto !== "any" ? { protocol: proto } : {}),
    ...(ports ? { ports } : {}),
    ...(sport !== "any" ? { sport } : {}),
    source,
    ...(destination ? { destination } : {}),
    ...(comment ? { comment } : {}),
    key: `${line.n}`,
  });
}

// ---- `ufw …` commands ----

function readCommand(line: Line, words: string[], st: State): void {
  while (words[0]?.startsWith("--")) words.shift(); // --dry-run, --force
  const verb = (words[0] ?? "").toLowerCase();
  if (verb === "enable" || verb === "disable") {
    st.status = { active: verb === "enable", line };
    return;
  }
  if (verb === "default") {
    const value = (words[1] ?? "").toLowerCase();
    const which = (words[2] ?? "incoming").toLowerCase();
    if (!["allow", "deny", "reject"].includes(value)) {
      st.findings.push(finding(line, "not-understood", `"${words[1] ?? ""}" is not a ufw default policy.`));
      return;
    }
    const d = { value: value === "allow" ? "allow" : "deny", word: value, line } as const;
    if (which.startsWith("in")) st.defaults.incoming = d;
    else if (which.startsWith("rout")) st.defaults.routed = d;
    return;
  }
  if (["status", "reload", "logging", "app", "show", "version", "help"].includes(verb)) return;
  if (verb === "reset") {
    for (const fam of [st.v4, st.v6]) {
      fam.rules.clear();
      fam.byKey.clear();
    }
    st.status = { active: false, line };
    return;
  }
  let rest = words;
  /** 0: append; N ≥ 1: insert as rule N of `ufw status numbered`; -1: prepend. */
  let position = 0;
  let del = false;
  if (verb === "delete") {
    del = true;
    rest = rest.slice(1);
    if (rest.length === 1 && /^\d+$/.test(rest[0]!)) {
      deleteNumber(line, Number(rest[0]), st);
      return;
    }
  } else if (verb === "insert") {
    // ufw's parser refuses 0 and -1 ("Cannot insert rule at position").
    if (!/^\d+$/.test(rest[1] ?? "") || Number(rest[1]) < 1) {
      st.findings.push(
        finding(line, "note", `ufw refuses to insert at position ${rest[1] ?? ""}: nothing is inserted.`),
      );
      return;
    }
    position = Number(rest[1]);
    rest = rest.slice(2);
  } else if (verb === "prepend") {
    position = -1;
    rest = rest.slice(1);
  }
  let forward = false;
  if ((rest[0] ?? "").toLowerCase() === "route") {
    forward = true;
    rest = rest.slice(1);
  }
  const rules = readRuleWords(line, rest, forward, st);
  if (!rules) return;
  if (del) {
    const missed = rules.filter((rule) => !deleteRule(familyRules(st, rule), rule));
    if (missed.length === rules.length)
      st.findings.push(finding(line, "note", "No rule read so far matches this delete: nothing is deleted."));
    else if (missed.length > 0) {
      // ufw says "Could not delete non-existent rule" for that family and deletes the other family's rule.
      const f = familyRules(st, missed[0]!).family;
      st.findings.push(
        finding(
          line,
          "note",
          `No IPv${f} rule read so far matches this delete: only the IPv${f === 4 ? 6 : 4} rule is deleted.`,
        ),
      );
    }
    return;
  }
  if (position === 0) {
    for (const rule of rules) setRule(line, familyRules(st, rule), rule, 0, st);
    return;
  }
  if (position === -1) {
    // ufw's frontend: prepend to an empty list appends, otherwise it inserts as rule 1 of the family's list.
    for (const rule of rules) {
      const fam = familyRules(st, rule);
      setRule(line, fam, rule, fam.rules.length === 0 ? 0 : 1, st);
    }
    return;
  }
  insertAt(line, position, rules, st);
}

function familyRules(st: State, rule: UfwRule): FamilyRules {
  return rule.source.range.first.family === 4 ? st.v4 : st.v6;
}

function invalidPosition(line: Line, position: number, st: State, after = ""): void {
  const n4 = st.v4.rules.length;
  const n6 = st.v6.rules.length;
  st.findings.push(
    finding(
      line,
      "note",
      `ufw refuses position ${position} ("Invalid position '${position}'": ${n4} IPv4 and ${n6} IPv6 ${n4 + n6 === 1 ? "rule" : "rules"} so far, numbered IPv4 first)${after}.`,
    ),
  );
}

/**
 * `ufw delete N`: rule N as `ufw status numbered` shows it, IPv4 rules first. It deletes that rule only: the other
 * family's rule of `ufw allow 443` stays (ufw/frontend.py delete_rule passes the rule's own family).
 */
function deleteNumber(line: Line, n: number, st: State): void {
  const n4 = st.v4.rules.length;
  const fam = n <= n4 ? st.v4 : st.v6;
  const gone = n >= 1 ? fam.rules.removeAt(n <= n4 ? n - 1 : n - 1 - n4) : undefined;
  if (gone === undefined) {
    st.findings.push(
      finding(line, "note", `There is no rule ${n} so far (${n4 + st.v6.rules.length} in all): nothing is deleted.`),
    );
  } else if (fam.byKey.get(gone.key) === gone) fam.byKey.delete(gone.key);
}

/**
 * `ufw delete RULE`: only a rule written the same way, action and log type included, is deleted ("Could not delete
 * non-existent rule"); a delete without a comment deletes the rule whatever its comment, one with a comment only the
 * rule with that comment.
 */
function deleteRule(fam: FamilyRules, rule: UfwRule): boolean {
  const same = fam.byKey.get(rule.key);
  if (
    same === undefined ||
    same.action !== rule.action ||
    same.log !== rule.log ||
    (rule.comment !== undefined && rule.comment !== same.comment)
  )
    return false;
  fam.rules.remove(same);
  fam.byKey.delete(rule.key);
  return true;
}

/**
 * ufw/backend_iptables.py set_rule for one family's list. ufw compares rules on everything but the action, log type
 * and comment (UFWRule.match in ufw/common.py). `position` 0 appends: a rule that exists is skipped, or replaced in
 * its place when only its action, log type or comment differ. `position` N ≥ 1 inserts before the list's rule N,
 * unless the rule exists (then nothing changes, whatever its action).
 */
function setRule(line: Line, fam: FamilyRules, rule: UfwRule, position: number, st: State): void {
  if (position > fam.rules.length) {
    st.findings.push(
      finding(
        line,
        "note",
        `ufw refuses position ${position} in its IPv${fam.family} list of ${fam.rules.length} ("Invalid position"): nothing is added to it.`,
      ),
    );
    return;
  }
  const same = fam.byKey.get(rule.key);
  if (same !== undefined) {
    const differs = same.action !== rule.action || same.log !== rule.log || same.comment !== rule.comment;
    if (position > 0) {
      if (differs)
        st.findings.push(
          finding(
            line,
            "note",
            `ufw skips inserting a rule that exists (line ${same.line.n}), whatever its action: nothing is inserted.`,
          ),
        );
    } else if (differs) {
      fam.rules.replace(same, rule);
      fam.byKey.set(rule.key, rule);
    }
    // Otherwise ufw skips it ("Skipping adding existing rule").
    return;
  }
  fam.byKey.set(rule.key, rule);
  if (position === 0) fam.rules.push(rule);
  else fam.rules.insert(position - 1, rule);
}

/**
 * The 1-based place in the other family's list of the rule that equals (action, log type and comment too) rule
 * `position` of `from`'s list, or 0 (ufw/backend.py find_other_position).
 */
function otherPosition(st: State, from: FamilyRules, position: number): number {
  const rule = from.rules.at(position - 1);
  if (rule === undefined) return 0;
  const other = from === st.v4 ? st.v6 : st.v4;
  const twin = other.byKey.get(rule.key);
  if (twin === undefined || twin.action !== rule.action || twin.log !== rule.log || twin.comment !== rule.comment)
    return 0;
  return other.rules.indexOf(twin) + 1;
}

/**
 * `ufw insert N RULE`, N numbered as `ufw status numbered` shows the rules (IPv4 first), as ufw/frontend.py set_rule
 * places it. An IPv4 rule needs N within the IPv4 rules and an IPv6 rule N past them (N less their count is its place
 * in the IPv6 list); anything else is refused. A rule for both families goes into each list: when N is past the IPv4
 * rules, its IPv4 rule goes before the IPv4 twin of IPv6 rule N (appended when there is none); its IPv6 rule goes
 * before the IPv6 twin of the IPv4 rule now numbered N + 1 when there is one, otherwise to place N + 1 less the IPv4
 * count (which ufw also subtracts from a twin's place past the IPv4 count).
 */
function insertAt(line: Line, position: number, rules: readonly UfwRule[], st: State): void {
  const n4 = st.v4.rules.length;
  if (position > n4 + st.v6.rules.length) {
    invalidPosition(line, position, st, ": nothing is inserted");
    return;
  }
  if (rules.length === 1) {
    const rule = rules[0]!;
    const fam = familyRules(st, rule);
    if (fam === st.v4 ? position > n4 : position <= n4) {
      invalidPosition(line, position, st, `: an IPv${fam.family} rule is not inserted there`);
      return;
    }
    setRule(line, fam, rule, fam === st.v4 ? position : position - n4, st);
    return;
  }
  const [rule4, rule6] = rules as [UfwRule, UfwRule];
  let at4 = position;
  if (position > n4) at4 = otherPosition(st, st.v6, position - n4);
  setRule(line, st.v4, rule4, at4, st);
  const m4 = st.v4.rules.length;
  let at6 = position + 1;
  if (at6 <= m4) at6 = otherPosition(st, st.v4, at6);
  if (at6 > m4) at6 -= m4;
  setRule(line, st.v6, rule6, at6, st);
}

/** ACTION [in|out [on IF]] [log|log-all] [proto P] [from A [port P|app N]] [to A [port P|app N]] [comment C], or ACTION PORT[/PROTO]|APP. */
/** The words of a rule command as read so far ("allow in on eth0 proto tcp from X to any port 443"). */
interface RuleScan {
  readonly words: readonly string[];
  readonly forward: boolean;
  i: number;
  direction: UfwDirection;
  iface?: string;
  protocol?: string;
  src: string;
  dst: string;
  dport?: string;
  sport?: string;
  app?: string;
  comment?: string;
  /** "log" or "log-all". */
  log?: string;
  /** The short form's "443", "443/tcp", "ssh" or "OpenSSH". */
  simple?: string;
}

/** Reads the word at the cursor (lower-cased as `w`) and what it takes; false when it is not that word after all. */
type RuleWordReader = (r: RuleScan, w: string, next: string | undefined) => boolean;

function readDirectionWord(r: RuleScan, w: string): boolean {
  if (!r.forward) r.direction = w as "in" | "out";
  r.i++;
  return true;
}

function readOnWord(r: RuleScan, _w: string, next: string | undefined): boolean {
  if (next === undefined) return false;
  if (r.direction !== "out" || r.forward) r.iface ??= next;
  r.i += 2;
  return true;
}

function readLogWord(r: RuleScan, w: string): boolean {
  r.log = w;
  r.i++;
  return true;
}

function readProtoWord(r: RuleScan, _w: string, next: string | undefined): boolean {
  if (next === undefined) return false;
  r.protocol = next.toLowerCase();
  r.i += 2;
  return true;
}

/** "from X [port P | app A]" ("app" on the source side names no destination port). */
function readFromWord(r: RuleScan, _w: string, next: string | undefined): boolean {
  if (next === undefined) return false;
  r.src = next;
  r.i += 2;
  const kw = r.words[r.i]?.toLowerCase();
  if (kw === "port" && r.words[r.i + 1] !== undefined) {
    r.sport = r.words[r.i + 1];
    r.i += 2;
  } else if (kw === "app" && r.words[r.i + 1] !== undefined) r.i += 2;
  return true;
}

/** "to X [port P | app A]". */
function readToWord(r: RuleScan, _w: string, next: string | undefined): boolean {
  if (next === undefined) return false;
  r.dst = next;
  r.i += 2;
  const kw = r.words[r.i]?.toLowerCase();
  if (kw === "port" && r.words[r.i + 1] !== undefined) {
    r.dport = r.words[r.i + 1];
    r.i += 2;
  } else if (kw === "app" && r.words[r.i + 1] !== undefined) {
    r.app = r.words[r.i + 1];
    r.i += 2;
  }
  return true;
}

/** "comment TEXT…": the rest of the words. */
function readCommentWord(r: RuleScan): boolean {
  r.comment = r.words.slice(r.i + 1).join(" ");
  r.i = r.words.length;
  return true;
}

const RULE_WORDS: ReadonlyMap<string, RuleWordReader> = new Map([
  ["in", readDirectionWord],
  ["out", readDirectionWord],
  ["on", readOnWord],
  ["log", readLogWord],
  ["log-all", readLogWord],
  ["proto", readProtoWord],
  ["from", readFromWord],
  ["to", readToWord],
  ["comment", readCommentWord],
]);

/** The words of a rule command after its action; undefined when one is not understood (reported). */
function scanRuleWords(line: Line, words: readonly string[], forward: boolean, st: State): RuleScan | undefined {
  const r: RuleScan = { words, forward, i: 1, direction: forward ? "fwd" : "in", src: "any", dst: "any" };
  while (r.i < words.length) {
    const w = words[r.i]!.toLowerCase();
    if (RULE_WORDS.get(w)?.(r, w, words[r.i + 1])) continue;
    if (r.simple !== undefined) {
      st.findings.push(finding(line, "not-understood", `"${words[r.i]}" is not understood in this ufw rule.`));
      return undefined;
    }
    r.simple = words[r.i];
    r.i++;
  }
  return r;
}

/** The short form's ports: a service name, a port list with an optional "/proto", or an application profile. */
function simplePorts(line: Line, r: RuleScan, simple: string, st: State): PortRange[] | undefined {
  const m = /^([\w,:-]+?)(?:\/(\w+))?$/.exec(simple);
  const svc = m && !m[2] ? SERVICES[m[1]!.toLowerCase()] : undefined;
  const appDef = UFW_APPS[simple.toLowerCase()];
  let ports: PortRange[] | undefined;
  if (svc) {
    ports = [{ from: svc.port, to: svc.port }];
    if (svc.protocol) r.protocol ??= svc.protocol;
  } else if (m && (ports = readPortList(m[1]!.replace(/:/g, "-"))) !== undefined) {
    if (m[2]) r.protocol = m[2].toLowerCase();
  } else if (appDef) {
    ports = [...appDef.ports];
    if (appDef.protocol) r.protocol = appDef.protocol;
  } else {
    st.findings.push(
      finding(
        line,
        "not-understood",
        `"${simple}" is neither a port nor an application profile ufw ships: the rule is not read.`,
      ),
    );
  }
  return ports;
}

/** The destination ports (undefined = any); false when they do not read (reported). */
function rulePorts(line: Line, r: RuleScan, st: State): PortRange[] | undefined | false {
  let ports: PortRange[] | undefined;
  if (r.simple !== undefined) {
    ports = simplePorts(line, r, r.simple, st);
    if (ports === undefined) return false;
  }
  if (r.app !== undefined) {
    const appDef = UFW_APPS[r.app.toLowerCase()];
    if (!appDef) {
      st.findings.push(
        finding(
          line,
          "not-understood",
          `Application profile "${r.app}" is not one ufw ships: its ports are unknown, the rule is not read.`,
        ),
      );
      return false;
    }
    ports = [...appDef.ports];
    if (appDef.protocol) r.protocol = appDef.protocol;
  }
  if (r.dport !== undefined) {
    ports = readPortList(r.dport.replace(/:/g, "-"));
    if (!ports) {
      st.findings.push(finding(line, "invalid", `"${r.dport}" is not a port list.`));
      return false;
    }
  }
  return ports;
}

/** An address of a rule command read once: its term (undefined for "any") and its key, as ufw normalizes it. */
interface CommandSide {
  readonly term?: AddressTerm;
  readonly key: string;
}

/**
 * ufw/util.py normalize_address: an IPv4 network loses its host bits (so it is keyed by its range), an IPv6 one keeps
 * them (keyed by address and length), and a host's /32 or /128 is dropped.
 */
function sideOf(line: Line, text: string, st: State): CommandSide | undefined {
  if (text.toLowerCase() === "any") return { key: "any" };
  const t = readAddressTerm(text);
  if (!t.ok) {
    st.findings.push(finding(line, t.kind, t.message));
    return undefined;
  }
  const { range, prefix } = t.term;
  const key =
    range.first.family === 6 && prefix !== undefined
      ? `${prefix.address.value}/${prefix.bits}`
      : `${range.first.value}-${range.last.value}`;
  return { term: t.term, key };
}

/** Protocols ufw keeps to its IPv4 list when both addresses are "any" (ipv4_only_protocols in ufw/util.py). */
const IPV4_ONLY_PROTOCOLS = new Set(["ipv6", "igmp"]);

/**
 * The rule a command writes, one per address family ufw puts it in (IPv4 first): a specific address decides the
 * family, two "any" make a rule in each list. Undefined when it does not read or ufw refuses it (reported).
 */
function readRuleWords(line: Line, words: readonly string[], forward: boolean, st: State): UfwRule[] | undefined {
  const action = (words[0] ?? "").toLowerCase();
  if (!ACTIONS.has(action)) {
    st.findings.push(
      finding(line, "not-understood", `"ufw ${words.join(" ")}" is not a ufw command this reader knows.`),
    );
    return undefined;
  }
  const r = scanRuleWords(line, words, forward, st);
  if (r === undefined) return undefined;
  const ports = rulePorts(line, r, st);
  if (ports === false) return undefined;
  const { direction, iface, protocol, sport, comment, log } = r;
  if (protocol !== undefined && !PROTOCOLS.has(protocol)) {
    st.findings.push(finding(line, "not-understood", `"${protocol}" is not a protocol ufw accepts.`));
    return undefined;
  }
  const src = sideOf(line, r.src, st);
  if (src === undefined) return undefined;
  const dst = sideOf(line, r.dst, st);
  if (dst === undefined) return undefined;
  const srcFamily = src.term?.range.first.family;
  const dstFamily = dst.term?.range.first.family;
  if (srcFamily !== undefined && dstFamily !== undefined && srcFamily !== dstFamily) {
    st.findings.push(
      finding(
        line,
        "note",
        `ufw refuses a rule with an IPv${srcFamily} source and an IPv${dstFamily} destination ("Mixed IP versions for 'from' and 'to'"): nothing is added.`,
      ),
    );
    return undefined;
  }
  const family = srcFamily ?? dstFamily;
  const families: Family[] =
    family !== undefined ? [family] : protocol !== undefined && IPV4_ONLY_PROTOCOLS.has(protocol) ? [4] : [4, 6];
  // An outgoing rule is about where the host connects to.
  const remote = direction === "out" ? dst : src;
  const sources = remote.term ? [remote.term] : anySources(families, "any");
  const destination = direction === "out" ? undefined : destinationOf(dst.term);
  const key = [
    direction,
    iface ?? "",
    protocol ?? "any",
    ports
      ? [...ports]
          .sort((a, b) => a.from - b.from || a.to - b.to)
          .map((p) => `${p.from}-${p.to}`)
          .join(",")
      : "any",
    sport ?? "",
    src.key,
    dst.key,
  ].join("|");
  return sources.map((source) => ({
    line,
    action: action as UfwAction,
    ...(log ? { log } : {}),
    direction,
    ...(iface ? { iface } : {}),
    ...(protocol && protocol !== "any" ? { protocol } : {}),
    ...(ports ? { ports } : {}),
    ...(sport ? { sport } : {}),
    source,
    ...(destination ? { destination } : {}),
    ...(comment ? { comment } : {}),
    key,
  }));
}

/** A rule of a status listing or rules file, in its family's list as the listing shows it. */
function addRule(st: State, rule: UfwRule): void {
  familyRules(st, rule).rules.push(rule);
}

// ---- the path ----

function build(text: string, st: State, options: ParseOptions): ParseOutput {
  // IPv4 rules, then IPv6 ones, as `ufw status numbered` lists them (the two orders never meet: an address is of one
  // family); a listing or rules file without commands keeps its own order.
  const rules = [...st.v4.rules.toArray(), ...st.v6.rules.toArray()];
  if (st.commands === 0) rules.sort((a, b) => a.line.n - b.line.n);
  const hasRoute = rules.some((r) => r.direction === "fwd");
  const hasIn = rules.some((r) => r.direction === "in");
  const kind = options.path ?? (hasRoute && !hasIn ? "forward" : "input");
  const inactive = st.status !== undefined && !st.status.active;
  const inc = st.defaults.incoming;
  const routed = st.defaults.routed;
  const contexts: PathContext[] = [
    {
      name: "ufw incoming (ufw-user-input)",
      line: inc?.line.n ?? 0,
      text: inc?.line.text ?? "",
      fallthrough: inactive ? "allow" : (inc?.value ?? "deny"),
      onPath: kind === "input",
      reason: kind === "input" ? "the service runs on this host" : "the service is behind this host (routed)",
    },
    {
      name: "ufw routed (ufw-user-forward)",
      line: routed?.line.n ?? 0,
      text: routed?.line.text ?? "",
      fallthrough: inactive ? "allow" : (routed?.value ?? "deny"),
      onPath: kind === "forward",
      reason: kind === "forward" ? "the service is behind this host (routed)" : "the service runs on this host",
    },
  ];
  const ingress = options.ingress;
  const ifaces = new Set<string>();
  const entries: Entry[] = [];
  // Indexed loops: for..of here ran through the iterator protocol once per rule.
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i]!;
    if (r.iface) ifaces.add(r.iface);
    let unmet: string | undefined;
    if (inactive) unmet = "ufw is inactive (it filters nothing)";
    else if (r.iface !== undefined && ingress !== undefined && r.iface !== ingress)
      unmet = `only on interface ${r.iface}, not ${ingress}`;
    // Without --ingress, a rule for loopback, a container bridge or a tunnel is not met by Internet traffic (as in
    // the iptables and nftables readers); any other interface is read as the Internet-facing one.
    else if (r.iface !== undefined && ingress === undefined && r.direction !== "out")
      unmet = inputInterfaceUnmet(r.iface, false, undefined);
    else if (r.sport !== undefined && r.direction !== "out")
      unmet = `only from source port ${r.sport} (a new connection comes from an ephemeral port)`;
    const comment = r.action === "limit" ? (r.comment ? `${LIMIT_NOTE}; ${r.comment}` : LIMIT_NOTE) : r.comment;
    entries.push(
      pathEntry(r.line, r.source, {
        action: r.action === "allow" || r.action === "limit" ? "allow" : "deny",
        direction: r.direction === "out" ? "out" : "in",
        protocol: r.protocol,
        ports: r.ports,
        comment,
        context: r.direction === "fwd" ? 1 : 0,
        unmet,
        destination: r.destination,
      }),
    );
  }
  const parts: string[] = [];
  parts.push(
    kind === "input"
      ? "Read as traffic to this host (ufw incoming rules)"
      : "Read as traffic routed through this host (ufw route rules)",
  );
  if (inactive) parts.push("ufw is inactive, so nothing is filtered");
  else if (!(kind === "input" ? inc : routed))
    parts.push(
      `the default ${kind === "input" ? "incoming" : "routed"} policy is not in the paste: assumed deny (ufw's default; paste \`ufw status verbose\` to show it)`,
    );
  const outside = [...ifaces].filter((i) => !isInternalInterface(i));
  const inside = [...ifaces].filter((i) => isInternalInterface(i));
  if (ifaces.size > 0 && ingress === undefined) {
    if (outside.length > 0)
      parts.push(`rules bound to an interface (${outside.join(", ")}) are read as on the Internet-facing side`);
    if (inside.length > 0)
      parts.push(
        `rules bound to loopback, container, bridge or VPN interfaces (${inside.join(", ")}) are read as not met by Internet traffic`,
      );
  }
  const assumption = `${parts.join("; ")}. Override with --path input|forward${ifaces.size > 0 ? " and --ingress <interface>" : ""}.`;
  const notes: string[] = [];
  if (st.rulesFile && rules.length > 0)
    notes.push('Rules read from ufw\'s "### tuple ###" lines; the iptables lines under them implement the same rules.');
  return {
    format: "ufw",
    entries,
    findings: st.findings.sort((a, b) => a.line - b.line),
    lineCount: countLines(text),
    notes,
    path: { contexts, kind, ...(ingress !== undefined ? { ingress } : {}), assumption },
  };
}

export const ufwParser: Parser = {
  id: "ufw",
  label: "ufw (status, user.rules, commands)",
  detect(text: string): number {
    const head = detectHead(text);
    if (/^### tuple ### /m.test(head)) return 0.99;
    // ufw's user.rules declares its own chains only; an iptables-save of a ufw host also declares the built-in ones,
    // and is read as the whole ruleset by the iptables reader (the ufw reader would read the ufw-user chains alone).
    if (/^:ufw6?-user-input /m.test(head) && !/^:(?:INPUT|FORWARD|OUTPUT) (?:ACCEPT|DROP)\b/m.test(head)) return 0.99;
    const header = /^\s*To\s+Action\s+From\s*$/m.test(head);
    if (/^Status: (?:active|inactive)\s*$/m.test(head) && (header || /^Status: inactive\s*$/m.test(head))) return 0.97;
    if (header && /^\s*(?:\[\s*\d+\]\s*)?\S.*\s(?:ALLOW|DENY|REJECT|LIMIT)(?:\s+(?:IN|OUT|FWD))?\s/m.test(head))
      return 0.9;
    const commands =
      head.match(
        /^\s*(?:sudo\s+)?(?:\S*\/)?ufw\s+(?:--\S+\s+)*(?:allow|deny|reject|limit|insert|prepend|route|default|delete|enable)\b/gm,
      )?.length ?? 0;
    if (commands > 0) return commands >= 2 || /^#!/.test(head) ? 0.95 : 0.85;
    if (
      looksLikeShellScript(head) &&
      readShell(head).some((c) => /^(?:\S*\/)?ufw$/.test(c.words[c.words[0] === "sudo" ? 1 : 0] ?? ""))
    )
      return 0.9;
    return 0;
  },
  parse: parseUfw,
};
