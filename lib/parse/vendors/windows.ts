/**
 * Windows Defender Firewall: `Get-NetFirewallRule … | Format-List` and `Show-NetFirewallRule` listings (with their
 * address and port filter sections), `netsh advfirewall firewall show rule name=all`, and PowerShell scripts of
 * `New-NetFirewallRule` (our export), with `$name = @( … )` arrays and backtick continuations; batch files and scripts of
 * `netsh advfirewall` commands (firewall add|set|delete rule, set <profile> state|firewallpolicy, reset), read by
 * windows-netsh.ts and applied here.
 *
 * Semantics ("Windows Firewall rules", https://learn.microsoft.com/windows/security/operating-system-security/network-security/windows-firewall/rules
 * "Rule precedence"; New-NetFirewallRule, https://learn.microsoft.com/powershell/module/netsecurity/new-netfirewallrule):
 * a block rule wins over an allow rule whatever their order (authenticated-bypass rules aside); what no rule allows
 * is blocked (the default inbound action); disabled rules do nothing; RemotePort is the sender's port.
 */
import type { Entry, Finding, ParseOptions, ParseOutput, Parser, PortRange } from "../types";
import { makePrefix, parseAddress, parseNetmask } from "../../ip";
import { type Line, countLines, finding, parsePortRange, prefixTerm, readAddressTerm, splitLines } from "./common";
import { anySources, pathEntry } from "./hostcommon";
import { detectHead } from "./linuxcommon";
import { shellWords } from "./shellwords";
import {
  CRITERIA_TAGS,
  type NetshCommand,
  type Params,
  cmdWords,
  isNetshLine,
  portsWithoutProtocol,
  readNetsh,
} from "./windows-netsh";

interface WinRule {
  readonly line: Line;
  name?: string;
  enabled: boolean;
  direction: "in" | "out";
  action?: "allow" | "deny";
  protocol?: string;
  localPorts?: PortRange[];
  remotePort?: string;
  /** Remote addresses with the line each was written on; empty = Any. */
  readonly remote: { token: string; line: Line }[];
  anyRemote: boolean;
  /** The listing showed the rule's address or port filter (Format-List of Get-NetFirewallRule alone does not). */
  filters: boolean;
  /** The rule matches only IPsec-authenticated (or encrypted) connections: Action Bypass, Security/Authentication. */
  secure?: string;
  /** A Format-List value cut short with "…" ($FormatEnumerationLimit): the rest of the list is not in the paste. */
  truncated?: Line;
  /**
   * What limits the rule to some connections the listing cannot tell apart: a program, a service, some profiles, the
   * host's own addresses (LocalAddress, netsh localip), some interface types (netsh interfacetype).
   */
  limits?: Map<LimitKind, string>;
  /** Get-NetFirewallProfile | Format-List: a profile's DefaultInboundAction (the block is a profile, not a rule). */
  defaultInbound?: string;
  /** The Enabled value as written (a profile's NotConfigured leaves the firewall on). */
  enabledWord?: string;
  bad?: string;
  /** The rule's properties in netsh's canonical form, as delete and set criteria compare them (cleared on a change). */
  canon?: Map<string, string>;
}

type LimitKind = "program" | "service" | "profile" | "localip" | "interface";

/** A profile's settings (netsh advfirewall show allprofiles; Get-NetFirewallProfile): firewall on, inbound default. */
interface ProfileSettings {
  readonly line: Line;
  on?: boolean;
  /** "allow" (AllowInbound), "block" (BlockInbound, NotConfigured), "always" (BlockInboundAlways: allow rules ignored). */
  inbound?: "allow" | "block" | "always";
}

const PROTOCOLS: Readonly<Record<string, string | undefined>> = {
  tcp: "tcp",
  udp: "udp",
  "6": "tcp",
  "17": "udp",
  any: undefined,
  icmpv4: "icmp",
  icmpv6: "ipv6-icmp",
  "1": "icmp",
  "58": "ipv6-icmp",
};
/** RemoteAddress keywords that never stand for an Internet sender. */
const LOCAL_KEYWORDS = new Set([
  "localsubnet",
  "localsubnet4",
  "localsubnet6",
  "intranet",
  "intranetremoteaccess",
  "dns",
  "dhcp",
  "wins",
  "defaultgateway",
  "playtodevice",
  "captiveportaladdresses",
]);

function newRule(line: Line): WinRule {
  return { line, enabled: true, direction: "in", remote: [], anyRemote: false, filters: false };
}

/** "a, b" / "{a, b}" / "a,b" → words. */
function listWords(value: string): string[] {
  return value
    .replace(/^\{|\}$/g, "")
    .split(/[\s,]+/)
    .map((w) => w.replace(/^['"]|['"]$/g, ""))
    .filter((w) => w !== "");
}

function setField(rule: WinRule, key: string, value: string, line: Line): void {
  const v = value.trim();
  delete rule.canon;
  // Lower-casing never makes or removes blanks and dashes: the key is squeezed once.
  const squeezed = key.replace(/[\s-]/g, "");
  if (/^(?:protocol|localport|remoteport|remoteip|remoteaddress)$/i.test(squeezed)) rule.filters = true;
  switch (squeezed.toLowerCase()) {
    case "rulename":
    case "displayname":
      rule.name = v;
      break;
    case "name":
      rule.name ??= v;
      break;
    case "enabled":
      rule.enabledWord = v;
      rule.enabled = /^(?:true|yes|1)$/i.test(v);
      break;
    case "direction":
      rule.direction = /^out/i.test(v) ? "out" : "in";
      break;
    case "action":
      if (/^allow$/i.test(v)) rule.action = "allow";
      else if (/^block$/i.test(v)) rule.action = "deny";
      else if (/^bypass$/i.test(v)) {
        rule.action = "allow";
        rule.secure = "an authenticated-bypass rule: it matches IPsec-authenticated connections only";
      } else rule.bad = `Action "${v}" is neither Allow nor Block.`;
      break;
    case "protocol": {
      // netsh writes an ICMP rule's type and code after the protocol: "icmpv4:8,any".
      const p = v.toLowerCase().replace(/^(icmpv[46]):.*$/, "$1");
      if (/^\d{1,3}$/.test(p) && Number(p) <= 255 && !(p in PROTOCOLS)) rule.protocol = String(Number(p));
      else if (!(p in PROTOCOLS)) rule.bad = `Protocol "${v}" is not TCP, UDP, ICMP or Any.`;
      else {
        const mapped = PROTOCOLS[p];
        if (mapped === undefined) delete rule.protocol;
        else rule.protocol = mapped;
      }
      break;
    }
    case "localport": {
      const words = listWords(v);
      if (words.length === 0 || words.some((w) => /^any$/i.test(w))) {
        delete rule.localPorts;
        break;
      }
      const ports: PortRange[] = [];
      for (const w of words) {
        const r = parsePortRange(w);
        if (!r) {
          rule.bad = `LocalPort "${w}" is a keyword or not a port: the rule's ports are unknown.`;
          return;
        }
        ports.push(r);
      }
      rule.localPorts = ports;
      break;
    }
    case "security":
    case "authentication":
    case "encryption":
      // "Allow the connection if it is secure": packets not protected by IPsec do not match the rule.
      if (v !== "" && !/^(?:notrequired|notconfigured|none|any)$/i.test(v))
        rule.secure = `${key.trim()} ${v}: it matches IPsec-protected connections only`;
      break;
    case "overrideblockrules":
      if (/^(?:\$?true|yes|1)$/i.test(v))
        rule.secure =
          "an authenticated-bypass rule (OverrideBlockRules): it matches IPsec-authenticated connections only";
      break;
    case "remoteport":
      if (!/^any$/i.test(v) && v !== "") rule.remotePort = listWords(v).join(",");
      else delete rule.remotePort;
      break;
    case "defaultinboundaction":
      rule.defaultInbound = v;
      break;
    case "program":
    case "service":
    case "profile":
    case "profiles":
    case "localip":
    case "localaddress":
    case "interfacetype": {
      const lower = squeezed.toLowerCase();
      const kind: LimitKind = lower.startsWith("profile")
        ? "profile"
        : lower.startsWith("local")
          ? "localip"
          : lower === "interfacetype"
            ? "interface"
            : (lower as "program" | "service");
      const everyProfile =
        kind === "profile" && ["domain", "private", "public"].every((p) => v.toLowerCase().includes(p));
      rule.limits ??= new Map();
      if (v === "" || /^(?:any|all|\*)$/i.test(v) || everyProfile) rule.limits.delete(kind);
      else rule.limits.set(kind, v);
      break;
    }
    case "remoteip":
    case "remoteaddress":
      if (/(?:\.\.\.|\u2026)\}?$/.test(v)) rule.truncated = line;
      for (const w of listWords(v.replace(/(?:\.\.\.|\u2026)(\}?)$/, "$1"))) {
        if (/^any$/i.test(w) || /^\*$/.test(w)) rule.anyRemote = true;
        else rule.remote.push({ token: w, line });
      }
      break;
    default:
      break;
  }
}

/** "1.2.3.0/255.255.255.0" (Windows shows subnets so), "1.2.3.0/24", "1.2.3.4-1.2.3.9", "1.2.3.4". */
function readRemote(token: string): ReturnType<typeof readAddressTerm> {
  const slash = token.indexOf("/");
  if (slash > 0 && token.indexOf(".", slash + 1) !== -1) {
    const a = parseAddress(token.slice(0, slash));
    const m = parseNetmask(token.slice(slash + 1));
    if (a.ok && m.ok) return { ok: true, term: prefixTerm(token, makePrefix(a.value, m.value)) };
  }
  return readAddressTerm(token);
}

// ---- the three forms ----

interface PsState {
  readonly vars: Map<string, { token: string; line: Line }[]>;
  /** An open `$x = @(` array: its name. */
  array?: string;
  /** A command continued with a backtick: its words so far and first line. */
  pending?: { words: { w: string; line: Line }[]; line: Line };
  /**
   * The rules by name, for Set/Enable/Disable/Remove-NetFirewallRule: the first `indexed` rules of the list are in it
   * (a pass over every rule for each command made 8,000 sets take 1.4 s, growing with the square).
   */
  byName?: Map<string, WinRule[]>;
  indexed?: number;
  /**
   * Rules Remove-NetFirewallRule took out, swept from the list once the paste is read: an indexOf and a splice per
   * rule made 80,000 rules removed in the order they were made take 9.6 s, growing with the square.
   */
  removed?: Set<WinRule>;
  /** A netsh command continued with `^` (cmd) or a backtick (PowerShell): its text so far and first line. */
  netsh?: { text: string; line: Line; lines: Line[] };
  /** Rules compared by `name=all` netsh commands so far (see NETSH_SCAN_LIMIT). */
  scanned?: number;
}

/** The rules called `name`, in list order; rules added since the last call are indexed first. */
function rulesNamed(st: PsState, rules: readonly WinRule[], name: string): WinRule[] {
  const index = (st.byName ??= new Map());
  let at = st.indexed ?? 0;
  for (; at < rules.length; at++) {
    const r = rules[at]!;
    if (r.name === undefined) continue;
    const named = index.get(r.name);
    if (named) named.push(r);
    else index.set(r.name, [r]);
  }
  st.indexed = at;
  return index.get(name) ?? [];
}

const CH_DOLLAR = 36;
const CH_DASH = 45;
const CH_R_UPPER = 82;
const CH_R_LOWER = 114;
/** Batch-file lines around netsh commands that change no rule: comments, echo, setlocal, pause, exit. */
const BATCH_LINE = /^(?:@?rem(?:\s|$)|::|@?echo(?:[\s.]|$)|@?(?:setlocal|endlocal|cls|pause)(?:\s|$)|exit(?:\s|$))/i;
const FIREWALL_CMDLET = /^(?:New|Set|Remove|Enable|Disable)-NetFirewallRule\b/i;

function readPowerShell(line: Line, st: PsState, rules: WinRule[], findings: Finding[]): boolean {
  const t = line.text;
  if (st.array !== undefined) {
    if (t.startsWith(")")) {
      st.array = undefined;
      return true;
    }
    const list = st.vars.get(st.array)!;
    for (const w of listWords(t.replace(/\)\s*$/, ""))) list.push({ token: w, line });
    if (/\)\s*$/.test(t)) st.array = undefined;
    return true;
  }
  // Neither an assignment ("$x = …") nor a firewall cmdlet: most lines of a listing, told apart by one test.
  if (st.pending === undefined && t.charCodeAt(0) !== CH_DOLLAR && !FIREWALL_CMDLET.test(t)) return false;
  const assign = /^\$(\w+)\s*=\s*(.*)$/.exec(t);
  if (assign && st.pending === undefined) {
    const name = assign[1]!.toLowerCase();
    const rhs = assign[2]!.trim();
    const list: { token: string; line: Line }[] = [];
    st.vars.set(name, list);
    const arr = /^@\((.*?)(\))?$/.exec(rhs);
    if (arr) {
      for (const w of listWords(arr[1] ?? "")) list.push({ token: w, line });
      if (!arr[2]) st.array = name;
    } else if (/^['"]/.test(rhs)) for (const w of listWords(rhs)) list.push({ token: w, line });
    return true;
  }
  const continues = /`\s*$/.test(t);
  const body = t.replace(/`\s*$/, "");
  if (st.pending === undefined && !FIREWALL_CMDLET.test(body)) return false;
  const words = shellWords(body.replace(/\|\s*Out-Null\s*$/i, "")).words.map((w) => ({ w, line }));
  if (st.pending) st.pending.words.push(...words);
  else st.pending = { words, line };
  if (continues) return true;
  const { words: all, line: first } = st.pending;
  st.pending = undefined;
  runCommand(all, first, st, rules, findings);
  return true;
}

function runCommand(
  words: readonly { w: string; line: Line }[],
  first: Line,
  st: PsState,
  rules: WinRule[],
  findings: Finding[],
): void {
  const verb = (words[0]?.w ?? "").toLowerCase();
  const params = new Map<string, { value: string; line: Line }>();
  for (let i = 1; i < words.length; i++) {
    const k = words[i]!.w;
    if (!k.startsWith("-")) continue;
    // A parameter's value runs up to the next parameter ("-LocalPort '443', '8000-8100'").
    const parts: string[] = [];
    let j = i + 1;
    for (; j < words.length && !/^-[A-Za-z]/.test(words[j]!.w); j++) parts.push(words[j]!.w);
    params.set(k.slice(1).toLowerCase(), { value: parts.join(" "), line: words[i + 1]?.line ?? words[i]!.line });
    i = j - 1;
  }
  const name = params.get("name")?.value ?? params.get("displayname")?.value;
  // The cmdlets check every address before they change anything: one they cannot read fails the whole command
  // ("The address is invalid. Addresses may be specified as IP addresses, ranges, or subnets …"), so the other
  // addresses of it are not let in either.
  const remote = params.get("remoteaddress");
  if (remote !== undefined && (verb === "new-netfirewallrule" || verb === "set-netfirewallrule")) {
    const tokens = remote.value.startsWith("$")
      ? (st.vars.get(remote.value.slice(1).toLowerCase()) ?? [])
      : listWords(remote.value).map((token) => ({ token, line: remote.line }));
    for (const a of tokens) {
      if (PS_ADDRESS_KEYWORD.test(a.token) || LOCAL_KEYWORDS.has(a.token.toLowerCase())) continue;
      const read = readRemote(a.token);
      if (read.ok) continue;
      const cmdlet = verb === "new-netfirewallrule" ? "New-NetFirewallRule" : "Set-NetFirewallRule";
      findings.push(
        finding(
          a.line,
          read.kind,
          `${read.message} ${cmdlet} refuses the whole command ("The address is invalid"): ${verb === "new-netfirewallrule" ? "no rule is made" : "nothing is changed"}.`,
        ),
      );
      return;
    }
  }
  if (verb === "new-netfirewallrule") {
    const rule = newRule(first);
    rule.action = "allow";
    rule.filters = true;
    for (const [k, { value, line }] of params) {
      if (k === "remoteaddress" && value.startsWith("$")) {
        const v = st.vars.get(value.slice(1).toLowerCase());
        if (!v) findings.push(finding(line, "undefined-reference", `${value} is not set in this paste.`));
        else for (const a of v) setField(rule, "RemoteAddress", a.token, a.line);
      } else if (k === "enabled") setField(rule, "Enabled", value, line);
      else setField(rule, k === "remoteaddress" ? "RemoteAddress" : k, value, line);
    }
    rules.push(rule);
    return;
  }
  const target = name === undefined ? [] : [...rulesNamed(st, rules, name)];
  if (verb === "remove-netfirewallrule") {
    for (const r of target) (st.removed ??= new Set()).add(r);
    if (name !== undefined) st.byName?.delete(name);
  } else if (verb === "enable-netfirewallrule" || verb === "disable-netfirewallrule") {
    for (const r of target) r.enabled = verb.startsWith("enable");
  } else if (verb === "set-netfirewallrule") {
    // Set-NetFirewallRule -RemoteAddress replaces the rule's remote addresses, as every Set- parameter replaces its
    // property; reading it as one more address kept counting the addresses it took away.
    // https://learn.microsoft.com/en-us/powershell/module/netsecurity/set-netfirewallrule
    for (const r of target)
      for (const [k, { value, line }] of params) {
        if (k === "name" || k === "displayname") continue;
        if (k === "remoteaddress") {
          r.remote.length = 0;
          r.anyRemote = false;
        }
        setField(r, k === "remoteaddress" ? "RemoteAddress" : k, value, line);
      }
  }
  if (name !== undefined && target.length === 0)
    findings.push(finding(first, "note", `No rule named "${name}" is defined above: nothing is changed.`));
}

// ---- netsh advfirewall commands (windows-netsh.ts reads them; here they change the rules) ----

/**
 * Rules that `name=all` commands may compare in one paste: each compares every rule made so far, so a hostile paste of
 * n rules and n such commands would take n² steps. 5,000,000 comparisons take about a quarter of a second; a command
 * past them is refused with a finding, never dropped silently.
 */
export const NETSH_SCAN_LIMIT = 5_000_000;

/** Reads a netsh command line (or the next line of one continued with `^` or a backtick); false if it is not one. */
function readNetshLine(
  line: Line,
  st: PsState,
  rules: WinRule[],
  findings: Finding[],
  profiles: Map<string, ProfileSettings>,
): boolean {
  const t = line.text;
  if (st.netsh === undefined && !isNetshLine(t)) return false;
  // cmd continues a line ending in an unescaped ^; PowerShell one ending in a backtick.
  const carets = /\^+$/.exec(t)?.[0].length ?? 0;
  const continues = carets % 2 === 1 || t.endsWith("`");
  const body = continues ? t.slice(0, -1) : t;
  if (st.netsh === undefined) st.netsh = { text: body, line, lines: [line] };
  else {
    st.netsh.text += /[,=]$/.test(st.netsh.text) ? body : ` ${body}`;
    st.netsh.lines.push(line);
  }
  if (continues) return true;
  const { text, line: first, lines } = st.netsh;
  st.netsh = undefined;
  // A value's line, for the entries: the last line of the command where its tag is written.
  const lineOf = (tag: string): Line => {
    if (lines.length === 1) return first;
    const written = new RegExp(`(?:^|[\\s"])${tag}\\s*=`, "i");
    for (let i = lines.length - 1; i > 0; i--) if (written.test(lines[i]!.text)) return lines[i]!;
    return first;
  };
  applyNetsh(readNetsh(cmdWords(text)), first, lineOf, st, rules, findings, profiles);
  return true;
}

function applyNetsh(
  cmd: NetshCommand,
  first: Line,
  lineOf: (tag: string) => Line,
  st: PsState,
  rules: WinRule[],
  findings: Finding[],
  profiles: Map<string, ProfileSettings>,
): void {
  const refuse = (reason: string): void => {
    const why = reason.replace(/\.$/, "");
    findings.push(finding(first, "invalid", `netsh refuses this command (${why}): nothing of it is applied.`));
  };
  switch (cmd.kind) {
    case "quiet":
      return;
    case "unknown":
      findings.push(finding(first, "not-understood", `${cmd.reason}.`));
      return;
    case "refused":
      refuse(cmd.reason);
      return;
    case "reset": {
      const removed = (st.removed ??= new Set());
      for (const r of rules) removed.add(r);
      st.byName = new Map();
      st.indexed = rules.length;
      profiles.clear();
      findings.push(
        finding(
          first,
          "note",
          "netsh advfirewall reset restores the default policy: the rules made above are gone, and every profile is on and blocks what no rule allows.",
        ),
      );
      return;
    }
    case "profile": {
      const names =
        cmd.which === "all" ? ["domain", "private", "public"] : [cmd.which === "current" ? "public" : cmd.which];
      if (cmd.which === "current")
        findings.push(
          finding(
            first,
            "note",
            "currentprofile is the profile of the network the host is on when the command runs: read as the public profile, the one the Internet-facing interface is read as being in.",
          ),
        );
      // A profile no command names keeps its default (on, block inbound), and the paste says what it is.
      for (const name of ["domain", "private", "public"]) if (!profiles.has(name)) profiles.set(name, { line: first });
      for (const name of names) {
        const old = profiles.get(name);
        profiles.set(name, {
          line: first,
          on: cmd.state === undefined ? old?.on : cmd.state !== "off",
          inbound: cmd.inbound === undefined ? old?.inbound : inboundOf(cmd.inbound),
        });
      }
      return;
    }
    case "add": {
      const bad = addressProblem(cmd.params);
      if (bad !== undefined) return refuse(bad);
      const rule = newRule(first);
      rule.filters = true;
      applyParams(rule, cmd.params, lineOf);
      rules.push(rule);
      return;
    }
    case "delete": {
      const found = netshTargets(st, rules, cmd.name, cmd.criteria, first, findings);
      if (found === undefined) return;
      const removed = (st.removed ??= new Set());
      for (const r of found) removed.add(r);
      if (!/^all$/i.test(cmd.name)) st.byName?.set(cmd.name, live(st, rulesNamed(st, rules, cmd.name)));
      if (found.length === 0)
        findings.push(finding(first, "note", "No rule made above matches these criteria: nothing is deleted."));
      return;
    }
    case "set": {
      if (cmd.group !== undefined) {
        findings.push(
          finding(
            first,
            "note",
            `The rules of the group "${cmd.group}" are Windows' predefined rules, which this paste does not hold: nothing in it changes.`,
          ),
        );
        return;
      }
      const name = cmd.name!;
      if (cmd.changes.size === 0) {
        findings.push(finding(first, "note", 'No values follow "new": netsh changes nothing.'));
        return;
      }
      const bad = addressProblem(cmd.changes);
      if (bad !== undefined) return refuse(bad);
      const found = netshTargets(st, rules, name, cmd.criteria, first, findings);
      if (found === undefined) return;
      // The ports a rule keeps must still have TCP or UDP under them, whichever of the two the command changes.
      for (const r of found) {
        const protocol = cmd.changes.get("protocol") ?? r.protocol;
        const after = new Map(cmd.changes);
        if (!after.has("localport") && r.localPorts !== undefined) after.set("localport", ruleValue(r, "localport"));
        if (!after.has("remoteport") && r.remotePort !== undefined) after.set("remoteport", r.remotePort);
        const problem = portsWithoutProtocol(protocol, after);
        if (problem !== undefined) return refuse(`on rule "${r.name ?? ""}", ${problem}`);
      }
      const renamed = cmd.changes.get("name");
      for (const r of found) {
        if (renamed !== undefined && r.name !== renamed && r.name !== undefined && st.byName !== undefined) {
          const index = st.byName;
          index.set(
            r.name,
            (index.get(r.name) ?? []).filter((x) => x !== r),
          );
          index.set(renamed, [...(index.get(renamed) ?? []), r]);
        }
        applyParams(r, cmd.changes, lineOf);
      }
      if (/^all$/i.test(name) && found.length > 0)
        findings.push(finding(first, "note", "name=all is read as every rule made above that matches the criteria."));
      if (found.length === 0)
        findings.push(finding(first, "note", "No rule made above matches these criteria: nothing is changed."));
      return;
    }
  }
}

/** The rules of a list that no command has removed. */
function live(st: PsState, list: readonly WinRule[]): WinRule[] {
  const removed = st.removed;
  return removed === undefined ? [...list] : list.filter((r) => !removed.has(r));
}

/**
 * The rules a delete or set command reaches: those of the name (every rule for name=all) whose properties equal each
 * criterion. Undefined when name=all commands have used up NETSH_SCAN_LIMIT (a finding says so).
 */
function netshTargets(
  st: PsState,
  rules: WinRule[],
  name: string,
  criteria: Params,
  first: Line,
  findings: Finding[],
): WinRule[] | undefined {
  let named: WinRule[];
  if (/^all$/i.test(name)) {
    const scanned = (st.scanned ?? 0) + rules.length;
    if (scanned > NETSH_SCAN_LIMIT) {
      findings.push(
        finding(
          first,
          "invalid",
          `Not applied: the name=all commands above already compared ${NETSH_SCAN_LIMIT.toLocaleString("en-US")} rules, the limit one paste may take; the rules this command would change are read as they stand.`,
        ),
      );
      return undefined;
    }
    st.scanned = scanned;
    named = compact(st, rules);
  } else named = live(st, rulesNamed(st, rules, name));
  if (criteria.size === 0) return named;
  const wanted = new Map([...criteria].map(([tag, value]) => [tag, canonical(tag, value)]));
  return named.filter((r) => matches(r, wanted));
}

/** Drops removed rules from the list in place (keeping the name index's count of rules read) and returns it. */
function compact(st: PsState, rules: WinRule[]): WinRule[] {
  const removed = st.removed;
  if (removed === undefined || removed.size === 0) return rules;
  let kept = 0;
  let indexed = 0;
  const before = st.indexed ?? 0;
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i]!;
    if (removed.has(r)) continue;
    if (i < before) indexed++;
    rules[kept++] = r;
  }
  rules.length = kept;
  st.indexed = indexed;
  return rules;
}

/** Whether each of a rule's properties equals the criterion's value (both in canonical form). */
function matches(r: WinRule, criteria: Params): boolean {
  const canon = (r.canon ??= new Map());
  for (const [tag, value] of criteria) {
    let mine = canon.get(tag);
    if (mine === undefined) canon.set(tag, (mine = ruleValue(r, tag)));
    if (mine !== value) return false;
  }
  return true;
}

function ruleValue(r: WinRule, tag: string): string {
  switch (tag) {
    case "dir":
      return r.direction;
    case "protocol":
      return r.protocol ?? "any";
    case "localport":
      return r.localPorts === undefined
        ? "any"
        : r.localPorts
            .map((p) => `${p.from}-${p.to}`)
            .sort()
            .join(",");
    case "remoteport":
      return canonical(tag, r.remotePort ?? "any");
    case "remoteip":
      return r.anyRemote || r.remote.length === 0 ? "any" : canonical(tag, r.remote.map((a) => a.token).join(","));
    case "localip":
      return canonical(tag, r.limits?.get("localip") ?? "any");
    case "profile":
      return canonical(tag, r.limits?.get("profile") ?? "any");
    case "program":
    case "service":
      return canonical(tag, r.limits?.get(tag) ?? "any");
    default:
      return "";
  }
}

function canonical(tag: string, value: string): string {
  if (!CRITERIA_TAGS.has(tag)) return value;
  const v = value.trim().toLowerCase();
  if (v === "any") return "any";
  switch (tag) {
    case "dir":
      return v;
    case "protocol": {
      const rule = newRule({ n: 0, text: "" });
      setField(rule, "protocol", v, rule.line);
      return rule.bad === undefined ? (rule.protocol ?? "any") : v;
    }
    case "localport": {
      const ranges = listWords(v).map((w) => parsePortRange(w));
      return ranges.every((p) => p !== undefined)
        ? ranges
            .map((p) => `${p.from}-${p.to}`)
            .sort()
            .join(",")
        : v;
    }
    case "remoteip":
    case "localip":
      return listWords(v)
        .map((w) => {
          const read = readRemote(w);
          return read.ok
            ? `${read.term.range.first.value}-${read.term.range.last.value}/${read.term.range.first.family}`
            : w;
        })
        .sort()
        .join(",");
    case "profile": {
      const words = new Set(listWords(v));
      return words.has("any") || ["domain", "private", "public"].every((p) => words.has(p))
        ? "any"
        : [...words].sort().join(",");
    }
    default:
      return listWords(v).sort().join(",");
  }
}

/** RemoteAddress keywords of the NetSecurity cmdlets that may stand for Internet senders. */
const PS_ADDRESS_KEYWORD = /^(?:any|\*|internet)$/i;

/** Keywords netsh takes in remoteip (and localip) besides addresses. */
const NETSH_ADDRESS_KEYWORDS = /^(?:any|localsubnet|dns|dhcp|wins|defaultgateway)$/i;

/** An address in remoteip or localip netsh would refuse (it refuses the whole command), or undefined. */
function addressProblem(params: Params): string | undefined {
  for (const tag of ["remoteip", "localip"]) {
    const value = params.get(tag);
    if (value === undefined) continue;
    for (const w of value.split(",")) {
      const token = w.trim();
      if (NETSH_ADDRESS_KEYWORDS.test(token)) continue;
      const read = readRemote(token);
      if (!read.ok) return `${tag}: ${read.message}`;
    }
  }
  return undefined;
}

/** Sets a rule's properties from netsh tags: each replaces what the rule had (add starts from the defaults). */
function applyParams(rule: WinRule, params: Params, lineOf: (tag: string) => Line): void {
  for (const [tag, v] of params) {
    const line = lineOf(tag);
    switch (tag) {
      case "name":
        rule.name = v;
        break;
      case "dir":
        delete rule.canon;
        rule.direction = /^out$/i.test(v) ? "out" : "in";
        break;
      case "enable":
        setField(rule, "enabled", v, line);
        break;
      case "action":
        if (!/^bypass$/i.test(v) && rule.secure?.startsWith("an authenticated-bypass")) delete rule.secure;
        setField(rule, "action", v, line);
        break;
      case "remoteip":
        rule.remote.length = 0;
        rule.anyRemote = false;
        setField(rule, "remoteip", v, line);
        break;
      case "security":
        if (/^notrequired$/i.test(v)) delete rule.secure;
        else setField(rule, "security", v, line);
        break;
      case "rmtcomputergrp":
      case "rmtmachgrp":
      case "rmtusrgrp":
        rule.secure = `limited to authorized remote ${tag === "rmtusrgrp" ? "users" : "computers"} (${tag}): it matches IPsec-authenticated connections only`;
        break;
      case "description":
      case "edge":
        break;
      default:
        // protocol, localport, remoteport, program, service, profile, localip, interfacetype
        setField(rule, tag, v, line);
    }
  }
}

export function parseWindows(text: string, options: ParseOptions = {}): ParseOutput {
  const lines = splitLines(text);
  const findings: Finding[] = [];
  const rules: WinRule[] = [];
  const ps: PsState = { vars: new Map() };
  let current: WinRule | undefined;
  const profiles = new Map<string, ProfileSettings>();
  /** Inside a netsh "… Profile Settings:" section: its profile (lower case). */
  let profile: string | undefined;
  const close = (): void => {
    if (current) rules.push(current);
    current = undefined;
  };
  for (const line of lines) {
    const t = line.text;
    if (ps.pending === undefined && ps.array === undefined && (t === "" || t.startsWith("#"))) {
      if (t === "" && current && !/^\$_ \|/.test(t)) {
        // A blank line ends a Format-List block, unless a filter section of Show-NetFirewallRule follows.
      }
      continue;
    }
    if (ps.pending === undefined && readNetshLine(line, ps, rules, findings, profiles)) continue;
    if (ps.netsh === undefined && ps.pending === undefined && ps.array === undefined && BATCH_LINE.test(t)) continue;
    if (readPowerShell(line, ps, rules, findings)) continue;
    // Each pattern is anchored on its first character: a line that does not start with it skips the regex.
    const c0 = t.charCodeAt(0);
    // netsh ends its output with "Ok.": a profile section ends there.
    if (t === "Ok.") profile = undefined;
    if (
      (c0 === CH_DOLLAR && /^\$_ \| Get-NetFirewall\w+Filter$/i.test(t)) ||
      (c0 === CH_DASH && /^-{5,}$/.test(t)) ||
      t === "Ok." ||
      // netsh lists an ICMP rule's types under its Protocol line: "Type    Code", then "8       Any".
      /^(?:Type\s+Code|(?:\d+|Any)\s+(?:\d+|Any))$/i.test(t)
    )
      continue;
    const profileHead = /^(Domain|Private|Public) Profile Settings:\s*$/i.exec(t);
    if (profileHead) {
      close();
      profile = profileHead[1]!.toLowerCase();
      profiles.set(profile, { line });
      continue;
    }
    const netshHead = c0 === CH_R_UPPER || c0 === CH_R_LOWER ? /^Rule Name:\s*(.*)$/i.exec(t) : null;
    if (profile !== undefined && !netshHead) {
      // netsh advfirewall show allprofiles: "State ON|OFF", "Firewall Policy BlockInbound,AllowOutbound"; the rest
      // of the section (notification, logging settings) decides nothing.
      const settings = profiles.get(profile)!;
      const state = /^State\s+(ON|OFF)$/i.exec(t);
      const policy = /^Firewall Policy\s+(\w+)/i.exec(t);
      if (state) settings.on = /^on$/i.test(state[1]!);
      else if (policy) settings.inbound = inboundOf(policy[1]!);
      continue;
    }
    if (netshHead) {
      profile = undefined;
      close();
      current = newRule(line);
      current.name = netshHead[1]!.trim();
      current.action = undefined;
      continue;
    }
    const kv = /^([A-Za-z][\w ]*?)\s*:\s*(.*)$/.exec(t);
    if (kv) {
      const key = kv[1]!;
      // Format-List starts a rule at "Name"; Show-NetFirewallRule's filter sections add to the rule above.
      if (/^Name$/i.test(key) && (!current || current.name !== undefined)) {
        close();
        current = newRule(line);
      }
      if (!current) {
        current = newRule(line);
      }
      setField(current, key, kv[2]!, line);
      continue;
    }
    findings.push(
      finding(
        line,
        "not-understood",
        "Not a Windows Firewall rule listing, netsh output or command, or New-NetFirewallRule command.",
      ),
    );
  }
  close();
  const { removed } = ps;
  return build(
    text,
    removed === undefined ? rules : rules.filter((r) => !removed.has(r)),
    findings,
    options.port ?? 443,
    profiles,
  );
}

function inboundOf(word: string): ProfileSettings["inbound"] {
  if (/^AllowInbound$|^Allow$/i.test(word)) return "allow";
  if (/^BlockInboundAlways$/i.test(word)) return "always";
  return "block";
}

/**
 * The profile the Internet-facing interface is read as being in: Public when the paste shows it (Windows puts
 * unidentified and public networks there), else the only one shown; with a note when the profiles differ.
 */
function chosenProfile(
  profiles: ReadonlyMap<string, ProfileSettings>,
  findings: Finding[],
): { name: string; settings: ProfileSettings } | undefined {
  if (profiles.size === 0) return undefined;
  const name = profiles.has("public") ? "public" : [...profiles.keys()][0]!;
  const settings = profiles.get(name)!;
  const differs = [...profiles.values()].some((p) => p.on !== settings.on || p.inbound !== settings.inbound);
  if (differs)
    findings.push(
      finding(
        settings.line,
        "note",
        `The profiles' settings differ: the ${name} profile's are read as those of the Internet-facing interface.`,
      ),
    );
  return { name, settings };
}

function build(
  text: string,
  allRules: readonly WinRule[],
  findings: Finding[],
  port: number,
  netshProfiles: Map<string, ProfileSettings>,
): ParseOutput {
  const blocks: Entry[] = [];
  const allows: Entry[] = [];
  // Get-NetFirewallProfile | Format-List blocks (Name, Enabled, DefaultInboundAction) are profiles, not rules.
  const rules: WinRule[] = [];
  for (const r of allRules) {
    if (r.defaultInbound === undefined) rules.push(r);
    else if (r.name !== undefined && /^(?:domain|private|public)$/i.test(r.name))
      netshProfiles.set(r.name.toLowerCase(), {
        line: r.line,
        on: !/^(?:false|no|0)$/i.test(r.enabledWord ?? ""),
        inbound: inboundOf(r.defaultInbound),
      });
  }
  const chosen = chosenProfile(netshProfiles, findings);
  const off = chosen?.settings.on === false;
  const always = chosen?.settings.inbound === "always";
  for (const r of rules) {
    if (r.bad) {
      findings.push(finding(r.line, "not-understood", `Rule "${r.name ?? ""}": ${r.bad}`));
      continue;
    }
    if (!r.filters) {
      findings.push(
        finding(
          r.line,
          "not-understood",
          `Rule "${r.name ?? ""}": the listing does not show its addresses and ports (pipe it through Show-NetFirewallRule, or paste netsh advfirewall firewall show rule name=all).`,
        ),
      );
      continue;
    }
    if (!r.action) {
      findings.push(finding(r.line, "not-understood", `Rule "${r.name ?? ""}" has no Action.`));
      continue;
    }
    if (r.truncated)
      findings.push(
        finding(
          r.truncated,
          "not-understood",
          `Rule "${r.name ?? ""}": the address list is cut short ("…", $FormatEnumerationLimit): the addresses after it are not in the paste (set $FormatEnumerationLimit = -1 and list again).`,
        ),
      );
    if (r.limits !== undefined && r.limits.size > 0 && couldMeetWebhook(r, port))
      findings.push(finding(r.line, "note", limitNote(r, r.limits)));
    const unmet = off
      ? `the firewall is off in the ${chosen!.name} profile`
      : !r.enabled
        ? "the rule is disabled"
        : always && r.action === "allow"
          ? `the ${chosen!.name} profile blocks all incoming connections (BlockInboundAlways): allow rules are ignored`
          : r.secure !== undefined
            ? r.secure
            : r.remotePort !== undefined && r.direction === "in"
              ? `only from remote port ${r.remotePort} (a new connection comes from an ephemeral port)`
              : undefined;
    const facts = {
      action: r.action,
      direction: r.direction,
      protocol: r.protocol,
      ports: r.localPorts,
      ruleLine: r.line.n,
      comment: r.name,
      unmet,
    };
    // Block rules win whatever the order: they go to their own list, put first.
    const into = r.action === "deny" ? blocks : allows;
    if (r.anyRemote || r.remote.length === 0)
      for (const term of anySources([4, 6], "Any")) into.push(pathEntry(r.line, term, facts));
    for (const a of r.remote) {
      if (LOCAL_KEYWORDS.has(a.token.toLowerCase())) {
        findings.push(finding(a.line, "note", `${a.token} never holds an Internet sender: not read.`));
        continue;
      }
      if (/^internet$/i.test(a.token)) {
        findings.push(
          finding(
            a.line,
            "note",
            "The Internet keyword stands for addresses outside the local network, which Windows works out itself: read as any address.",
          ),
        );
        for (const term of anySources([4, 6], a.token)) into.push(pathEntry(a.line, term, facts));
        continue;
      }
      const read = readRemote(a.token);
      if (!read.ok) {
        findings.push(finding(a.line, read.kind, read.message));
        continue;
      }
      into.push(pathEntry(a.line, read.term, facts));
    }
  }
  return {
    format: "windows",
    // Block rules win whatever the order: they come first.
    entries: [...blocks, ...allows],
    findings: findings.sort((a, b) => a.line - b.line),
    lineCount: countLines(text),
    notes: [],
    path: {
      contexts: [
        {
          name: "Windows Defender Firewall inbound rules",
          line: chosen?.settings.line.n ?? 0,
          text: chosen?.settings.line.text ?? "",
          fallthrough: off || chosen?.settings.inbound === "allow" ? "allow" : "deny",
          onPath: true,
          reason:
            chosen === undefined
              ? "a new connection to this host meets the inbound rules"
              : off
                ? `the firewall is off in the ${chosen.name} profile: every connection is let in`
                : `a new connection to this host meets the inbound rules; what none decides meets the ${chosen.name} profile's default inbound action (${chosen.settings.inbound === "allow" ? "allow" : "block"})`,
        },
      ],
      kind: "input",
      assumption:
        "Read as traffic to this Windows host: block rules win over allow rules, what no rule allows is blocked (the default inbound action), and a rule limited to some profiles, a program or a service is read as applying (a note on its line says so).",
    },
  };
}

/** An enabled inbound TCP rule on the port, from somewhere on the Internet: one whose limits the verdict depends on. */
function couldMeetWebhook(r: WinRule, port: number): boolean {
  return (
    r.enabled &&
    r.direction === "in" &&
    (r.protocol === undefined || r.protocol === "tcp") &&
    (r.localPorts === undefined || r.localPorts.some((p) => port >= p.from && port <= p.to)) &&
    (r.anyRemote || r.remote.length === 0 || r.remote.some((a) => !LOCAL_KEYWORDS.has(a.token.toLowerCase())))
  );
}

/**
 * What a rule limited to a program, a service, some of the host's addresses, some interface types or some network
 * profiles is read as: applying to the webhook's connection. The listing does not say which program answers on the
 * port, which address it listens on, nor which profile and interface type the Internet-facing interface has
 * (New-NetFirewallRule -Program, -Service, -LocalAddress, -InterfaceType, -Profile; netsh program, service, localip,
 * interfacetype, profile; "Windows Firewall profiles",
 * https://learn.microsoft.com/windows/security/operating-system-security/network-security/windows-firewall/rules).
 */
function limitNote(r: WinRule, limits: ReadonlyMap<LimitKind, string>): string {
  const parts: string[] = [];
  const program = limits.get("program");
  const service = limits.get("service");
  const local = limits.get("localip");
  const profile = limits.get("profile");
  const iface = limits.get("interface");
  if (program !== undefined) parts.push(`connections to the program ${program}`);
  if (service !== undefined) parts.push(`connections to the service ${service}`);
  if (local !== undefined) parts.push(`connections to the local address ${listWords(local).join(", ")}`);
  const scope = parts.join(" and ");
  const places: string[] = [];
  if (profile !== undefined)
    places.push(`the ${listWords(profile).join(", ")} profile${listWords(profile).length > 1 ? "s" : ""}`);
  if (iface !== undefined) places.push(`on ${listWords(iface).join(", ")} interfaces`);
  const where = places.join(", ");
  const placed = profile === undefined ? where : `in ${where}`;
  const applies =
    scope === "" ? `applies only ${placed}` : `applies only to ${scope}${where === "" ? "" : `, ${placed}`}`;
  const unless = [
    ...(program !== undefined || service !== undefined ? ["the service is not that program or service"] : []),
    ...(local !== undefined ? ["the service listens on another address"] : []),
    ...(profile === undefined ? [] : ["the Internet-facing interface is in another profile"]),
    ...(iface === undefined ? [] : ["the Internet-facing interface is of another type"]),
  ].join(", or ");
  return `Rule "${r.name ?? ""}" ${applies}: it is read as applying to the webhook's connection. If ${unless}, this rule ${r.action === "deny" ? "does not block it" : "does not let it in"}.`;
}

export const windowsParser: Parser = {
  id: "windows",
  label: "Windows Firewall (PowerShell, netsh)",
  detect(text: string): number {
    const head = detectHead(text);
    if (/^\s*(?:New|Set)-NetFirewallRule\s/im.test(head)) return 0.95;
    if (
      /^\s*@?(?:netsh(?:\.exe)?\s+)?advfirewall\s+(?:firewall\s+(?:add|set|delete)\s+rule|set\s+\w+profile\s|reset\b)/im.test(
        head,
      )
    )
      return 0.95;
    if (/^Rule Name:\s/m.test(head) && /^(?:RemoteIP|LocalPort|Action):\s/m.test(head)) return 0.95;
    if (/^\s*DisplayName\s+:\s/m.test(head) && /^\s*(?:Direction|Action)\s+:\s/m.test(head)) return 0.93;
    return 0;
  },
  parse: parseWindows,
};
