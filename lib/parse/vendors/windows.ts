/**
 * Windows Defender Firewall: `Get-NetFirewallRule … | Format-List` and `Show-NetFirewallRule` listings (with their
 * address and port filter sections), `netsh advfirewall firewall show rule name=all`, and PowerShell scripts of the
 * NetFirewallRule cmdlets (New- as our export writes it, Set-, Enable-, Disable-, Remove-, Get- … | …), with
 * `$name = @( … )` arrays and continued lines, their arguments read by windows-powershell.ts; batch files and scripts of
 * `netsh advfirewall` commands (firewall add|set|delete rule, set <profile> state|firewallpolicy, reset), read by
 * windows-netsh.ts. Both are applied here.
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
import { type PsToken, type PsValue, psPattern, psTokens } from "./windows-powershell";
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
  /** The display name (netsh's name=, the cmdlets' -DisplayName). */
  name?: string;
  /** The Name (the cmdlets' -Name, alias ID): unique in the store; random when the rule was made without one. */
  id?: string;
  /** The Group (New-NetFirewallRule -Group); the DisplayGroup is the same unless it is an indirect "@…" string. */
  group?: string;
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
      rule.id = v;
      rule.name ??= v;
      break;
    case "group":
      rule.group = v;
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
  /** The same variables as the strings PowerShell makes of them (a rule name may hold blanks): `$x = 'A B', 'C'`. */
  readonly strings: Map<string, string[]>;
  /** An open `$x = @(` array: its name. */
  array?: string;
  /** A command going on on the next line (it ends in a backtick, a comma or a pipe): its tokens so far, first line. */
  pending?: { tokens: PsToken[]; line: Line };
  /** The rules by display name and by Name, for the commands that pick rules by name (see RuleIndex). */
  index?: RuleIndex;
  /**
   * Rules Remove-NetFirewallRule took out, swept from the list once the paste is read: an indexOf and a splice per
   * rule made 80,000 rules removed in the order they were made take 9.6 s, growing with the square.
   */
  removed?: Set<WinRule>;
  /** A netsh command continued with `^` (cmd) or a backtick (PowerShell): its text so far and first line. */
  netsh?: { text: string; line: Line; lines: Line[] };
  /** Rules compared by `name=all` netsh commands so far (see NETSH_SCAN_LIMIT). */
  scanned?: number;
  /** Rules compared by the cmdlets' wildcard patterns and whole-store picks so far (see NETSH_SCAN_LIMIT). */
  psScanned?: number;
}

/**
 * The rules by display name (what netsh's name= and the cmdlets' -DisplayName pick) and by Name (the cmdlets' -Name),
 * both keyed in lower case (the cmdlets ignore case; netsh compares the display name exactly, after the lookup). The
 * first `indexed` rules of the list are in them: a pass over every rule for each command made 8,000 sets take 1.4 s,
 * growing with the square. Lists may hold removed rules; `indexed()` drops them.
 */
interface RuleIndex {
  readonly display: Map<string, WinRule[]>;
  readonly id: Map<string, WinRule[]>;
  indexed: number;
}

/** The name index, with the rules added since the last call put in. */
function ruleIndex(st: PsState, rules: readonly WinRule[]): RuleIndex {
  const index = (st.index ??= { display: new Map(), id: new Map(), indexed: 0 });
  for (; index.indexed < rules.length; index.indexed++) {
    const r = rules[index.indexed]!;
    if (r.name !== undefined) addTo(index.display, r.name.toLowerCase(), r);
    if (r.id !== undefined) addTo(index.id, r.id.toLowerCase(), r);
  }
  return index;
}

function addTo(map: Map<string, WinRule[]>, key: string, r: WinRule): void {
  const list = map.get(key);
  if (list) list.push(r);
  else map.set(key, [r]);
}

/** The rules of an index under a key that no command has removed (the removed ones leave the index on the way). */
function indexed(st: PsState, map: Map<string, WinRule[]>, key: string): WinRule[] {
  const list = map.get(key);
  if (list === undefined) return [];
  const removed = st.removed;
  if (removed === undefined || !list.some((r) => removed.has(r))) return list;
  const kept = live(st, list);
  map.set(key, kept);
  return kept;
}

/** The rules whose display name is exactly `name` (netsh's name=), in list order. */
function rulesNamed(st: PsState, rules: readonly WinRule[], name: string): WinRule[] {
  return indexed(st, ruleIndex(st, rules).display, name.toLowerCase()).filter((r) => r.name === name);
}

/** Gives a rule another display name (netsh set rule … new name=, Set-NetFirewallRule -NewDisplayName). */
function renameRule(st: PsState, rules: readonly WinRule[], r: WinRule, to: string): void {
  if (r.name === to) return;
  // Every rule of the list, r among them, is in the index once this returns.
  const index = ruleIndex(st, rules);
  if (r.name !== undefined) {
    const key = r.name.toLowerCase();
    const list = index.display.get(key);
    if (list !== undefined)
      index.display.set(
        key,
        list.filter((x) => x !== r),
      );
  }
  r.name = to;
  addTo(index.display, to.toLowerCase(), r);
}

const CH_DOLLAR = 36;
const CH_DASH = 45;
const CH_R_UPPER = 82;
const CH_R_LOWER = 114;
/** Batch-file lines around netsh commands that change no rule: comments, echo, setlocal, pause, exit. */
const BATCH_LINE = /^(?:@?rem(?:\s|$)|::|@?echo(?:[\s.]|$)|@?(?:setlocal|endlocal|cls|pause)(?:\s|$)|exit(?:\s|$))/i;
const FIREWALL_CMDLET = /^(?:New|Set|Remove|Enable|Disable|Get)-NetFirewallRule\b/i;
const CMDLET_VERB = /^(new|set|remove|enable|disable|get)-netfirewallrule$/i;

/** The strings of an array or string written in PowerShell (`'A B', 'C'`). */
function psItems(text: string, line: Line): string[] {
  return psTokens(text, line).flatMap((t) => (t.kind === "value" ? t.value.items : []));
}

function readPowerShell(line: Line, st: PsState, rules: WinRule[], findings: Finding[]): boolean {
  const t = line.text;
  if (st.array !== undefined) {
    if (t.startsWith(")")) {
      st.array = undefined;
      return true;
    }
    const list = st.vars.get(st.array)!;
    const inner = t.replace(/\)\s*$/, "");
    for (const w of listWords(inner)) list.push({ token: w, line });
    st.strings.get(st.array)!.push(...psItems(inner, line));
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
    const strings: string[] = [];
    st.vars.set(name, list);
    st.strings.set(name, strings);
    const arr = /^@\((.*?)(\))?$/.exec(rhs);
    if (arr) {
      for (const w of listWords(arr[1] ?? "")) list.push({ token: w, line });
      strings.push(...psItems(arr[1] ?? "", line));
      if (!arr[2]) st.array = name;
    } else if (/^['"]/.test(rhs)) {
      for (const w of listWords(rhs)) list.push({ token: w, line });
      strings.push(...psItems(rhs, line));
    }
    return true;
  }
  const backtick = /`\s*$/.test(t);
  const body = t.replace(/`\s*$/, "");
  if (st.pending === undefined && !FIREWALL_CMDLET.test(body)) return false;
  const tokens = psTokens(body, line);
  if (st.pending) st.pending.tokens.push(...tokens);
  else st.pending = { tokens, line };
  // A line ending in a backtick, a comma or a pipe goes on on the next one (about_Parsing, "Line continuation").
  const last = tokens[tokens.length - 1];
  const open = last?.kind === "value" ? last.value.open : last?.kind === "param" && last.value?.open === true;
  if (backtick || open || last?.kind === "pipe") return true;
  runPending(st, rules, findings);
  return true;
}

/** Runs the command read so far: its statements (split at ";"), each a pipeline (split at "|"). */
function runPending(st: PsState, rules: WinRule[], findings: Finding[]): void {
  const tokens = st.pending?.tokens ?? [];
  st.pending = undefined;
  let start = 0;
  for (let k = 0; k <= tokens.length; k++) {
    if (k < tokens.length && tokens[k]!.kind !== "end") continue;
    if (k > start) runPipeline(tokens.slice(start, k), st, rules, findings);
    start = k + 1;
  }
}

/** A cmdlet call as PowerShell binds it: named parameters (lower case, aliases resolved) and positional arguments. */
interface PsCall {
  /** The cmdlet as written. */
  readonly cmdlet: string;
  /** new, set, remove, enable, disable, get; "" for another command. */
  readonly verb: string;
  readonly line: Line;
  /** A switch has no value unless one is written after a colon (-WhatIf:$false). */
  readonly params: ReadonlyMap<string, PsValue | undefined>;
  readonly positional: readonly PsValue[];
  /** The parameters' names as written, by their lower-case names. */
  readonly written: ReadonlyMap<string, string>;
  /** Why PowerShell refuses the call before running it. */
  readonly problem?: string;
}

/** The switch parameters of the NetFirewallRule cmdlets and the common ones: they take no argument. */
const SWITCHES = new Set(["all", "asjob", "passthru", "whatif", "confirm", "tracepolicystore", "verbose", "debug"]);
/** Parameter aliases (the cmdlets' help: -Name's alias is ID; about_CommonParameters: -EA for -ErrorAction …). */
const ALIASES: Readonly<Record<string, string>> = {
  id: "name",
  wi: "whatif",
  cf: "confirm",
  session: "cimsession",
  ea: "erroraction",
  wa: "warningaction",
  infa: "informationaction",
  ev: "errorvariable",
  wv: "warningvariable",
  iv: "informationvariable",
  ov: "outvariable",
  ob: "outbuffer",
  pv: "pipelinevariable",
  vb: "verbose",
  db: "debug",
};
/** Parameters that neither pick rules nor change them (where the cmdlet works, how it reports). */
const NEUTRAL = new Set([
  "policystore",
  "gposession",
  "tracepolicystore",
  "cimsession",
  "throttlelimit",
  "asjob",
  "passthru",
  "whatif",
  "confirm",
  "verbose",
  "debug",
  "erroraction",
  "warningaction",
  "informationaction",
  "progressaction",
  "errorvariable",
  "warningvariable",
  "informationvariable",
  "outvariable",
  "outbuffer",
  "pipelinevariable",
]);

function readCall(tokens: readonly PsToken[]): PsCall | undefined {
  const head = tokens[0];
  if (head?.kind !== "value") return undefined;
  const cmdlet = head.value.items.join(",");
  const params = new Map<string, PsValue | undefined>();
  const positional: PsValue[] = [];
  const written = new Map<string, string>();
  let problem: string | undefined;
  for (let k = 1; k < tokens.length; k++) {
    const tk = tokens[k]!;
    if (tk.kind === "value") {
      const arg = argument(tokens, k, tk.value);
      positional.push(arg.value);
      k = arg.last;
      continue;
    }
    if (tk.kind !== "param") continue;
    const name = ALIASES[tk.name] ?? tk.name;
    let value = tk.value;
    if (value !== undefined) {
      const arg = argument(tokens, k, value);
      value = arg.value;
      k = arg.last;
    } else if (!SWITCHES.has(name)) {
      const next = tokens[k + 1];
      if (next?.kind !== "value") {
        problem ??= `-${tk.written} has no argument ("Missing an argument for parameter")`;
        continue;
      }
      const arg = argument(tokens, k + 1, next.value);
      value = arg.value;
      k = arg.last;
    }
    if (params.has(name))
      problem ??= `-${tk.written} is given twice ("Cannot bind parameter because parameter is specified more than once")`;
    else {
      params.set(name, value);
      written.set(name, tk.written);
    }
  }
  const verb = CMDLET_VERB.exec(cmdlet)?.[1]?.toLowerCase() ?? "";
  return {
    cmdlet,
    verb,
    line: head.value.line,
    params,
    positional,
    written,
    ...(problem === undefined ? {} : { problem }),
  };
}

/** An argument whose array goes on in the value tokens after it (a trailing comma): all its elements, its last token. */
function argument(tokens: readonly PsToken[], at: number, value: PsValue): { value: PsValue; last: number } {
  let v = value;
  let k = at;
  for (let next = tokens[k + 1]; v.open && next?.kind === "value"; next = tokens[++k + 1])
    v = { items: [...v.items, ...next.value.items], open: next.value.open, line: v.line };
  return { value: v, last: k };
}

/** Cmdlets at the end of a pipeline that only show what reaches them (New-NetFirewallRule … | Out-Null). */
const SINK = /^(?:Out-(?:Null|String|Host|Default)|Format-(?:List|Table|Wide|Custom)|f[ltw]|Show-NetFirewallRule)$/i;

function runPipeline(tokens: readonly PsToken[], st: PsState, rules: WinRule[], findings: Finding[]): void {
  const segments: PsToken[][] = [[]];
  for (const tk of tokens) {
    if (tk.kind === "pipe") segments.push([]);
    else segments[segments.length - 1]!.push(tk);
  }
  const calls = segments.map(readCall);
  // Get-NetFirewallRule into nothing but Format-List and the like (the command over a pasted listing) changes nothing.
  if (calls[0]?.verb === "get" && calls.slice(1).every((c) => c === undefined || SINK.test(c.cmdlet))) return;
  /** The rules the command before passed on; undefined for the first command of the pipeline. */
  let input: WinRule[] | undefined;
  for (const call of calls) {
    if (call === undefined) continue;
    if (SINK.test(call.cmdlet)) {
      input = [];
      continue;
    }
    if (call.verb === "") {
      findings.push(
        finding(
          call.line,
          "not-understood",
          `${call.cmdlet} is not read: what it and the commands after it in the pipeline would change is not applied, the rules are read as they stand.`,
        ),
      );
      return;
    }
    input = runCmdlet(call, input, st, rules, findings);
  }
}

/** Whether a switch is on: given, and not as -Switch:$false. */
function switchOn(call: PsCall, name: string): boolean {
  if (!call.params.has(name)) return false;
  const v = call.params.get(name);
  return !(v !== undefined && v.items.length === 1 && /^\$false$/i.test(v.items[0]!));
}

/** Runs one cmdlet on the rules (or on those piped into it); returns the rules it passes down the pipeline. */
function runCmdlet(
  call: PsCall,
  input: WinRule[] | undefined,
  st: PsState,
  rules: WinRule[],
  findings: Finding[],
): WinRule[] {
  // Splatting (`@params`) binds the parameters of a hashtable this reader does not follow.
  const splat = call.positional.find((v) => v.items.length === 1 && /^@\w+$/.test(v.items[0]!));
  if (splat !== undefined) {
    notRead(call, `The parameters splatted from ${splat.items[0]!} are not read`, findings);
    return [];
  }
  if (call.problem !== undefined) return refusePs(call, call.problem, findings);
  if (switchOn(call, "whatif")) {
    findings.push(
      finding(call.line, "note", `-WhatIf: ${call.cmdlet} only shows what it would do; nothing is changed.`),
    );
    return [];
  }
  if (badRemoteAddress(call, st, findings)) return [];
  if (call.verb === "new") return makeRule(call, st, rules, findings);
  const picked = pickRules(call, input, st, rules, findings);
  if (picked === undefined) return [];
  if (call.verb === "get") return picked;
  if (call.verb === "remove") for (const r of picked) (st.removed ??= new Set()).add(r);
  else if (call.verb === "set") for (const r of picked) setRule(call, r, st, rules, findings);
  else for (const r of picked) r.enabled = call.verb === "enable";
  return switchOn(call, "passthru") ? picked : [];
}

function refusePs(call: PsCall, why: string, findings: Finding[]): [] {
  findings.push(
    finding(call.line, "invalid", `PowerShell refuses this ${call.cmdlet} command (${why}): nothing of it is applied.`),
  );
  return [];
}

/**
 * New-NetFirewallRule and Set-NetFirewallRule check every -RemoteAddress before they change anything: one they cannot
 * read fails the whole command ("The address is invalid. Addresses may be specified as IP addresses, ranges, or
 * subnets …"), so the other addresses of it are not let in either. True when the command fails so (a finding says so).
 */
function badRemoteAddress(call: PsCall, st: PsState, findings: Finding[]): boolean {
  const remote = call.params.get("remoteaddress");
  if (remote === undefined || (call.verb !== "new" && call.verb !== "set")) return false;
  const text = remote.items.join(",");
  const tokens = text.startsWith("$")
    ? (st.vars.get(text.slice(1).toLowerCase()) ?? [])
    : listWords(text).map((token) => ({ token, line: remote.line }));
  for (const a of tokens) {
    if (PS_ADDRESS_KEYWORD.test(a.token) || LOCAL_KEYWORDS.has(a.token.toLowerCase())) continue;
    const read = readRemote(a.token);
    if (read.ok) continue;
    const cmdlet = call.verb === "new" ? "New-NetFirewallRule" : "Set-NetFirewallRule";
    findings.push(
      finding(
        a.line,
        read.kind,
        `${read.message} ${cmdlet} refuses the whole command ("The address is invalid"): ${call.verb === "new" ? "no rule is made" : "nothing is changed"}.`,
      ),
    );
    return true;
  }
  return false;
}

/** Sets a rule's RemoteAddress from a -RemoteAddress argument: its addresses, or those of the variable it names. */
function setRemote(rule: WinRule, value: PsValue, st: PsState, findings: Finding[]): void {
  const text = value.items.join(",");
  if (!text.startsWith("$")) return setField(rule, "RemoteAddress", text, value.line);
  const v = st.vars.get(text.slice(1).toLowerCase());
  if (!v) findings.push(finding(value.line, "undefined-reference", `${text} is not set in this paste.`));
  else for (const a of v) setField(rule, "RemoteAddress", a.token, a.line);
}

/**
 * New-NetFirewallRule: -Name is the rule's Name, unique in the store ("only one rule with a given name may exist in a
 * policy store at a time"; without -Name it is "a randomly assigned value"), -DisplayName the name shown
 * (https://learn.microsoft.com/powershell/module/netsecurity/new-netfirewallrule). A rule made with -Name alone is read
 * as showing its Name (the help's example 6 makes rules so, though its syntax marks -DisplayName as required).
 * New-NetFirewallRule takes no positional argument.
 */
function makeRule(call: PsCall, st: PsState, rules: WinRule[], findings: Finding[]): WinRule[] {
  const stray = call.positional[0];
  if (stray !== undefined)
    return refusePs(call, `no parameter takes the argument "${stray.items.join(",")}"`, findings);
  const id = call.params.get("name");
  if (id !== undefined) {
    const name = id.items.join(" ");
    if (indexed(st, ruleIndex(st, rules).id, name.toLowerCase()).length > 0)
      return refusePs(
        call,
        `a rule with the Name "${name}" exists already, and a Name is unique in the store`,
        findings,
      );
  }
  const rule = newRule(call.line);
  rule.action = "allow";
  rule.filters = true;
  for (const [k, value] of call.params) {
    if (value === undefined) continue;
    if (k === "remoteaddress") setRemote(rule, value, st, findings);
    else if (k === "name" || k === "displayname") setField(rule, k, value.items.join(" "), value.line);
    else setField(rule, k, value.items.join(","), value.line);
  }
  rules.push(rule);
  return [rule];
}

/** Set-NetFirewallRule: each parameter after those that pick the rules replaces that property of every rule picked. */
function setRule(call: PsCall, r: WinRule, st: PsState, rules: WinRule[], findings: Finding[]): void {
  for (const [k, value] of call.params) {
    if (value === undefined || NEUTRAL.has(k) || SET_PICKS.has(k)) continue;
    if (k === "newdisplayname") renameRule(st, rules, r, value.items.join(" "));
    else if (k === "remoteaddress") {
      // -RemoteAddress replaces the rule's remote addresses, as every Set- parameter replaces its property; reading
      // it as one more address kept counting the addresses it took away.
      // https://learn.microsoft.com/en-us/powershell/module/netsecurity/set-netfirewallrule
      r.remote.length = 0;
      r.anyRemote = false;
      setRemote(r, value, st, findings);
    } else setField(r, k, value.items.join(","), value.line);
  }
}

/** The parameters by which Set-NetFirewallRule picks rules (its parameter sets ByName, ByDisplayName, ByGroup, ByDisplayGroup). */
const SET_PICKS = new Set(["name", "displayname", "group", "displaygroup"]);
/** The query parameters of Enable-, Disable-, Remove- and Get-NetFirewallRule this reader matches (ByQuery). */
const QUERY = new Set(["group", "displaygroup", "direction", "action", "enabled"]);
/** Their query parameters on properties this reader does not keep, or that take objects (ByAssociated…, InputObject). */
const UNREAD_QUERY =
  /^(?:description|edgetraversalpolicy|loosesourcemapping|localonlymapping|owner|primarystatus|status|policystoresource|policystoresourcetype|inputobject|associatednetfirewall\w+)$/;

/**
 * The rules a Set-, Enable-, Disable-, Remove- or Get-NetFirewallRule command works on, or undefined when it is not
 * applied (a finding says why). The cmdlets' parameter sets (https://learn.microsoft.com/powershell/module/netsecurity/disable-netfirewallrule):
 * -Name (also the first positional argument: "[-Name] <String[]>", Position 0), -DisplayName, -All, or query
 * parameters such as -Group and -Direction (Set-NetFirewallRule: -Name, -DisplayName, -Group or -DisplayGroup), or the
 * rules piped in; one way only ("Parameter set cannot be resolved"). Without any of them Enable-, Disable-, Remove- and
 * Get- reach every rule (GetAll, the default set: "Running this cmdlet without parameters disables all Windows Firewall
 * rules"). -Name matches the rule's Name and -DisplayName the name shown: a rule made with -DisplayName alone has a
 * random Name, which -Name "Freshworks US" does not match.
 */
function pickRules(
  call: PsCall,
  input: WinRule[] | undefined,
  st: PsState,
  rules: WinRule[],
  findings: Finding[],
): WinRule[] | undefined {
  const { params, positional } = call;
  const set = call.verb === "set";
  const named = params.get("name");
  const stray = positional[named === undefined ? 1 : 0];
  if (stray !== undefined)
    return void refusePs(call, `no parameter takes the argument "${stray.items.join(",")}"`, findings);
  const name = named ?? positional[0];
  const ways: string[] = [];
  if (name !== undefined) ways.push("-Name");
  if (params.has("displayname")) ways.push("-DisplayName");
  if (set) {
    if (params.has("group")) ways.push("-Group");
    if (params.has("displaygroup")) ways.push("-DisplayGroup");
  } else {
    if (params.has("all")) ways.push("-All");
    const query = [...params.keys()].filter((k) => QUERY.has(k) || UNREAD_QUERY.test(k));
    if (query.length > 0) ways.push(query.map((k) => `-${call.written.get(k) ?? k}`).join(" "));
    const unknown = [...params.keys()].find(
      (k) => !NEUTRAL.has(k) && !QUERY.has(k) && !UNREAD_QUERY.test(k) && !/^(?:name|displayname|all)$/.test(k),
    );
    if (unknown !== undefined)
      return void notRead(
        call,
        `-${call.written.get(unknown) ?? unknown} is not a parameter of ${call.cmdlet} this reader knows`,
        findings,
      );
    const unread = query.find((k) => UNREAD_QUERY.test(k));
    if (unread !== undefined)
      return void notRead(
        call,
        `-${call.written.get(unread) ?? unread} picks rules by a property this reader does not keep`,
        findings,
      );
  }
  if (input !== undefined) ways.push("the rules piped in");
  if (ways.length > 1)
    return void refusePs(
      call,
      `${ways.join(" and ")} cannot pick the rules together ("Parameter set cannot be resolved")`,
      findings,
    );
  if (input !== undefined) return live(st, input);
  if (name !== undefined) return byName(call, "name", name, st, rules, findings);
  const display = params.get("displayname");
  if (display !== undefined) return byName(call, "displayname", display, st, rules, findings);
  if (ways.length === 0 && set)
    return void refusePs(call, "it names no rule: PowerShell would ask for -Name", findings);
  return byQuery(call, st, rules, findings);
}

function notRead(call: PsCall, why: string, findings: Finding[]): void {
  const effect = call.verb === "new" ? "no rule is read from it" : "the rules it would change are read as they stand";
  findings.push(finding(call.line, "not-understood", `${why}: not applied; ${effect}.`));
}

/** The strings of an argument, a `$variable` set above replaced by its strings; undefined if one is not set here. */
function stringsOf(value: PsValue, st: PsState, findings: Finding[]): string[] | undefined {
  const out: string[] = [];
  for (const item of value.items) {
    if (!item.startsWith("$")) {
      out.push(item);
      continue;
    }
    const v = st.strings.get(item.slice(1).toLowerCase());
    if (v === undefined) {
      findings.push(
        finding(value.line, "undefined-reference", `${item} is not set in this paste: the command is not applied.`),
      );
      return undefined;
    }
    out.push(...v);
  }
  return out;
}

/**
 * The rules whose Name (-Name) or display name (-DisplayName) one of the values matches, as PowerShell's wildcard
 * patterns match, ignoring case. A value without wildcards that matches no rule is an error for that value (the
 * others still apply); a pattern that matches none is not.
 */
function byName(
  call: PsCall,
  by: "name" | "displayname",
  value: PsValue,
  st: PsState,
  rules: WinRule[],
  findings: Finding[],
): WinRule[] | undefined {
  const values = stringsOf(value, st, findings);
  if (values === undefined) return undefined;
  const picked = new Set<WinRule>();
  const unmatched: { value: string; wildcard: boolean }[] = [];
  for (const v of values) {
    const pattern = psPattern(v);
    if (!pattern.ok) return void refusePs(call, `"${v}" is not a valid wildcard pattern`, findings);
    const before = picked.size;
    if (pattern.wildcard) {
      const all = everyRule(call, st, rules, findings);
      if (all === undefined) return undefined;
      // A rule made without -Name has a random Name ("{…}"): only a pattern of stars is sure to match it.
      const anyName = /^\*+$/.test(v);
      for (const r of all) {
        const key = by === "name" ? r.id : r.name;
        if (key === undefined ? by === "name" && anyName : pattern.test(key)) picked.add(r);
      }
    } else {
      const index = ruleIndex(st, rules);
      for (const r of indexed(st, by === "name" ? index.id : index.display, pattern.literal.toLowerCase()))
        picked.add(r);
    }
    if (picked.size === before) unmatched.push({ value: v, wildcard: pattern.wildcard });
  }
  const tail = picked.size === 0 ? ": nothing is changed." : ".";
  for (const u of unmatched) {
    const message = u.wildcard
      ? `No rule's ${by === "name" ? "Name" : "display name"} matches "${u.value}" above${tail}`
      : by === "name"
        ? `No rule with the Name "${u.value}" is defined above (-Name is the rule's Name, random unless New-NetFirewallRule was given -Name; -DisplayName picks the name shown)${tail}`
        : `No rule named "${u.value}" is defined above${tail}`;
    findings.push(finding(call.line, "note", message));
  }
  return [...picked];
}

/** Every rule no command has removed, counted against NETSH_SCAN_LIMIT; undefined past it (a finding says so). */
function everyRule(call: PsCall, st: PsState, rules: WinRule[], findings: Finding[]): WinRule[] | undefined {
  const scanned = (st.psScanned ?? 0) + rules.length;
  if (scanned > NETSH_SCAN_LIMIT) {
    findings.push(
      finding(
        call.line,
        "invalid",
        `Not applied: the wildcard patterns and whole-store picks above already compared ${NETSH_SCAN_LIMIT.toLocaleString("en-US")} rules, the limit one paste may take; the rules this command would change are read as they stand.`,
      ),
    );
    return undefined;
  }
  st.psScanned = scanned;
  return compact(st, rules);
}

/** The query parameters' accepted values (the cmdlets' help: Direction, Action, Enabled). */
const QUERY_VALUES: Readonly<Record<string, RegExp>> = {
  direction: /^(?:inbound|outbound)$/i,
  action: /^(?:notconfigured|allow|block)$/i,
  enabled: /^(?:true|false)$/i,
};

/**
 * -All, or no way of picking (GetAll), or the query parameters: each one given must match (one of its values), -Group
 * and -DisplayGroup as wildcard patterns (DisplayGroup is Group unless Group is an indirect "@…" string, which the
 * paste cannot resolve).
 */
function byQuery(call: PsCall, st: PsState, rules: WinRule[], findings: Finding[]): WinRule[] | undefined {
  const tests: ((r: WinRule) => boolean)[] = [];
  for (const [k, value] of call.params) {
    // Set-NetFirewallRule's -Direction, -Action and -Enabled are new values, not a query.
    if (!QUERY.has(k) || value === undefined || (call.verb === "set" && !SET_PICKS.has(k))) continue;
    const values = stringsOf(value, st, findings);
    if (values === undefined) return undefined;
    if (k === "group" || k === "displaygroup") {
      const patterns: ((s: string) => boolean)[] = [];
      for (const v of values) {
        const pattern = psPattern(v);
        if (!pattern.ok) return void refusePs(call, `"${v}" is not a valid wildcard pattern`, findings);
        patterns.push(pattern.test);
      }
      tests.push((r) => {
        const group = k === "displaygroup" && r.group?.startsWith("@") ? undefined : r.group;
        return group !== undefined && patterns.some((p) => p(group));
      });
      continue;
    }
    const wrong = values.find((v) => !QUERY_VALUES[k]!.test(v));
    if (wrong !== undefined)
      return void refusePs(call, `"${wrong}" is not a value of -${call.written.get(k) ?? k}`, findings);
    const wanted = new Set(values.map((v) => v.toLowerCase()));
    if (k === "direction") tests.push((r) => wanted.has(r.direction === "in" ? "inbound" : "outbound"));
    else if (k === "enabled") tests.push((r) => wanted.has(String(r.enabled)));
    else
      tests.push((r) => wanted.has(r.action === "allow" ? "allow" : r.action === "deny" ? "block" : "notconfigured"));
  }
  const all = everyRule(call, st, rules, findings);
  if (all === undefined) return undefined;
  const picked = all.filter((r) => tests.every((t) => t(r)));
  if (tests.length > 0 && picked.length === 0)
    findings.push(finding(call.line, "note", "No rule made above matches these parameters: nothing is changed."));
  if (tests.length === 0 && !call.params.has("all") && call.verb !== "get")
    findings.push(
      finding(
        call.line,
        "note",
        `${call.cmdlet} without -Name, -DisplayName or a query reaches every rule (its default parameter set, GetAll): the ${picked.length} rule${picked.length === 1 ? "" : "s"} made above ${picked.length === 1 ? "is" : "are"} ${call.verb === "remove" ? "removed" : `${call.verb}d`}.`,
      ),
    );
  return picked;
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
      st.index = { display: new Map(), id: new Map(), indexed: rules.length };
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
        if (renamed !== undefined) renameRule(st, rules, r, renamed);
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
  const before = st.index?.indexed ?? 0;
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i]!;
    if (removed.has(r)) continue;
    if (i < before) indexed++;
    rules[kept++] = r;
  }
  rules.length = kept;
  if (st.index !== undefined) st.index.indexed = indexed;
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
  const ps: PsState = { vars: new Map(), strings: new Map() };
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
  // A command still waiting for its next line when the paste ends is run as it stands.
  if (ps.pending !== undefined) runPending(ps, rules, findings);
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
