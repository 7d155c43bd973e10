/**
 * `netsh advfirewall …` commands as a script or a batch file holds them: what each one asks of Windows Defender
 * Firewall, checked the way netsh checks it before it changes anything (windows.ts applies the result to the rules).
 *
 * Syntax and remarks: "Netsh AdvFirewall Firewall Commands",
 * https://learn.microsoft.com/en-us/previous-versions/windows/it-pro/windows-server-2008-r2-and-2008/dd734783(v=ws.10),
 * and "Netsh AdvFirewall Set Commands" (set allprofiles|currentprofile|domainprofile|privateprofile|publicprofile state,
 * firewallpolicy; reset), https://learn.microsoft.com/en-us/previous-versions/windows/it-pro/windows-server-2008-r2-and-2008/dd734744(v=ws.10);
 * the built-in help of `netsh advfirewall firewall add|set|delete rule /?` on Windows Server 2022:
 * - add rule: name, dir and action are required; a rule name "cannot be all"; names need not be unique (the same
 *   command run twice makes two rules).
 * - delete rule: "If multiple matches are found, all matching rules are deleted. If name=all is specified all matching
 *   rules are deleted from the specified type and profile."
 * - set rule: the rules are found by name (or group); "Values after the new keyword are updated in the rule. If there
 *   are no values, or keyword new is missing, no changes are made. A group of rules can only be enabled or disabled.
 *   If multiple rules match the criteria, all matching rules will be updated."
 * - ports are a property of TCP and UDP rules only: localport or remoteport with another protocol is refused.
 * netsh checks a whole command before it applies any of it: a tag it does not know, a tag given twice, a value out of
 * its list, and it prints the usage and changes nothing.
 */

/** The tags of the rule properties `add rule` takes (and `set rule … new` may change). */
const RULE_TAGS = new Set([
  "name",
  "dir",
  "action",
  "program",
  "service",
  "description",
  "enable",
  "profile",
  "localip",
  "remoteip",
  "localport",
  "remoteport",
  "protocol",
  "interfacetype",
  "rmtcomputergrp",
  "rmtmachgrp",
  "rmtusrgrp",
  "edge",
  "security",
]);
/** The tags that pick rules for `delete rule` and `set rule` (before `new`). */
export const CRITERIA_TAGS = new Set([
  "dir",
  "profile",
  "program",
  "service",
  "localip",
  "remoteip",
  "localport",
  "remoteport",
  "protocol",
]);

const CHOICES: Readonly<Record<string, RegExp>> = {
  dir: /^(?:in|out)$/i,
  action: /^(?:allow|block|bypass)$/i,
  enable: /^(?:yes|no)$/i,
  edge: /^(?:yes|no|deferapp|deferuser)$/i,
  interfacetype: /^(?:wireless|lan|ras|any)(?:,(?:wireless|lan|ras|any))*$/i,
  security: /^(?:authenticate|authenc|authdynenc|authnoencap|notrequired)$/i,
  profile: /^(?:public|private|domain|any)(?:,(?:public|private|domain|any))*$/i,
  protocol: /^(?:any|tcp|udp|icmpv4|icmpv6|(?:icmpv4|icmpv6):[^\s]+|\d{1,3})$/i,
};

export type Params = ReadonlyMap<string, string>;

export type NetshCommand =
  | { readonly kind: "add"; readonly params: Params }
  | { readonly kind: "delete"; readonly name: string; readonly criteria: Params }
  | {
      readonly kind: "set";
      readonly name?: string;
      readonly group?: string;
      readonly criteria: Params;
      readonly changes: Params;
    }
  /** `netsh advfirewall set <which>profile state|firewallpolicy …`. */
  | {
      readonly kind: "profile";
      readonly which: "all" | "current" | "domain" | "private" | "public";
      readonly state?: "on" | "off" | "notconfigured";
      /** The inbound half of `firewallpolicy inbound,outbound`, lower case. */
      readonly inbound?: string;
    }
  | { readonly kind: "reset" }
  /** Understood, and changes nothing a new inbound connection meets (show, logging, settings, …). */
  | { readonly kind: "quiet" }
  /** netsh would refuse it: nothing of it is applied. */
  | { readonly kind: "refused"; readonly reason: string }
  /** A netsh command whose effect the paste cannot show (import, the deprecated `netsh firewall` context). */
  | { readonly kind: "unknown"; readonly reason: string };

/** Whether a line is a netsh command (`netsh …`, `netsh.exe …`, `@netsh …`, or `advfirewall …` at a netsh prompt). */
export function isNetshLine(text: string): boolean {
  return /^@?(?:netsh(?:\.exe)?(?:\s|$)|advfirewall\s)/i.test(text);
}

/**
 * Words as cmd.exe hands them to netsh: blanks separate them outside double quotes, and the quotes are dropped
 * (`name="Freshworks US"` is one word, `name=Freshworks US`). A `^` escapes the character after it.
 */
export function cmdWords(text: string): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      quoted = !quoted;
      inWord = true;
    } else if (!quoted && (c === " " || c === "\t")) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else if (!quoted && c === "^" && i + 1 < text.length) {
      word += text[++i]!;
      inWord = true;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** `tag=value` words into a map (tags lower case); `tag = value` written with blanks is taken too. */
function readTags(words: readonly string[], allowed: ReadonlySet<string>): Map<string, string> | string {
  const params = new Map<string, string>();
  for (let i = 0; i < words.length; i++) {
    let w = words[i]!;
    if (w.endsWith("=") && i + 1 < words.length && !words[i + 1]!.includes("=")) w += words[++i]!;
    else if (words[i + 1] === "=" && i + 2 < words.length) {
      w = `${w}=${words[i + 2]!}`;
      i += 2;
    } else if (words[i + 1]?.startsWith("=") && words[i + 1]!.length > 1 && !w.includes("=")) w += words[++i]!;
    const eq = w.indexOf("=");
    if (eq <= 0) return `"${w}" is not a tag=value pair`;
    const tag = w.slice(0, eq).toLowerCase();
    const value = w.slice(eq + 1);
    if (!allowed.has(tag)) return `it takes no tag "${tag}"`;
    if (params.has(tag)) return `the tag "${tag}" is given twice`;
    const choice = CHOICES[tag];
    if (choice !== undefined && !choice.test(value)) return `"${value}" is not a value of ${tag}`;
    if (value === "") return `${tag} is empty`;
    if (tag === "protocol" && /^\d+$/.test(value) && Number(value) > 255) return `protocol ${value} is above 255`;
    params.set(tag, value);
  }
  return params;
}

/** Whether a protocol value is TCP or UDP (the only protocols with ports). */
function hasPorts(protocol: string | undefined): boolean {
  return protocol !== undefined && /^(?:tcp|udp|6|17)$/i.test(protocol);
}

/** Ports on a rule whose protocol has none: what netsh refuses, or undefined. */
export function portsWithoutProtocol(protocol: string | undefined, params: Params): string | undefined {
  if (hasPorts(protocol)) return undefined;
  const tag = params.has("localport") ? "localport" : params.has("remoteport") ? "remoteport" : undefined;
  if (tag === undefined) return undefined;
  if (/^any$/i.test(params.get(tag)!)) return undefined;
  return `${tag} needs protocol=tcp or protocol=udp`;
}

const PROFILE_WORDS: Readonly<Record<string, "all" | "current" | "domain" | "private" | "public">> = {
  allprofiles: "all",
  currentprofile: "current",
  domainprofile: "domain",
  privateprofile: "private",
  publicprofile: "public",
};

/** Reads one netsh command (the words of a whole command, continuation lines joined). */
export function readNetsh(all: readonly string[]): NetshCommand {
  let words = all;
  if (/^@?netsh(?:\.exe)?$/i.test(words[0] ?? "")) words = words.slice(1);
  if (words.length === 0) return { kind: "quiet" };
  const context = words[0]!.toLowerCase();
  if (context === "firewall")
    return {
      kind: "unknown",
      reason:
        'The "netsh firewall" context is deprecated and reaches only the domain and private profiles: not read (write it as netsh advfirewall firewall)',
    };
  if (context !== "advfirewall") return { kind: "unknown", reason: `The netsh ${context} context is not a firewall` };
  const sub = (words[1] ?? "").toLowerCase();
  if (sub === "reset") return { kind: "reset" };
  if (sub === "show" || sub === "dump" || sub === "export" || sub === "help" || sub === "?") return { kind: "quiet" };
  if (sub === "import")
    return {
      kind: "unknown",
      reason: "The command netsh advfirewall import replaces the whole policy with a file that is not in the paste",
    };
  if (sub === "set") return readSetProfile(words.slice(2));
  if (sub !== "firewall") return { kind: "quiet" };
  const verb = (words[2] ?? "").toLowerCase();
  if (verb === "show" || verb === "dump" || verb === "help" || verb === "?") return { kind: "quiet" };
  if ((words[3] ?? "").toLowerCase() !== "rule")
    return { kind: "refused", reason: `"advfirewall firewall ${words.slice(2, 4).join(" ")}" is not a command` };
  const rest = words.slice(4);
  if (verb === "add") return readAdd(rest);
  if (verb === "delete") return readDelete(rest);
  if (verb === "set") return readSet(rest);
  return { kind: "refused", reason: `"advfirewall firewall ${verb}" is not a command` };
}

function readAdd(words: readonly string[]): NetshCommand {
  const params = readTags(words, RULE_TAGS);
  if (typeof params === "string") return { kind: "refused", reason: params };
  const missing = ["name", "dir", "action"].filter((t) => !params.has(t));
  if (missing.length > 0) return { kind: "refused", reason: `add rule needs ${missing.join(", ")}` };
  if (/^all$/i.test(params.get("name")!)) return { kind: "refused", reason: 'a rule cannot be named "all"' };
  const ports = portsWithoutProtocol(params.get("protocol"), params);
  if (ports !== undefined) return { kind: "refused", reason: ports };
  return { kind: "add", params };
}

function readDelete(words: readonly string[]): NetshCommand {
  const criteria = readTags(words, new Set(["name", ...CRITERIA_TAGS]));
  if (typeof criteria === "string") return { kind: "refused", reason: criteria };
  const name = criteria.get("name");
  if (name === undefined) return { kind: "refused", reason: "delete rule needs name (or name=all)" };
  criteria.delete("name");
  return { kind: "delete", name, criteria };
}

function readSet(words: readonly string[]): NetshCommand {
  const at = words.findIndex((w) => /^new$/i.test(w));
  const criteria = readTags(at < 0 ? words : words.slice(0, at), new Set(["name", "group", ...CRITERIA_TAGS]));
  if (typeof criteria === "string") return { kind: "refused", reason: criteria };
  const changes = readTags(at < 0 ? [] : words.slice(at + 1), RULE_TAGS);
  if (typeof changes === "string") return { kind: "refused", reason: changes };
  const name = criteria.get("name");
  const group = criteria.get("group");
  if ((name === undefined) === (group === undefined))
    return { kind: "refused", reason: "set rule needs either name or group" };
  if (group !== undefined && [...changes.keys()].some((k) => k !== "enable"))
    return { kind: "refused", reason: "a group of rules can only be enabled or disabled" };
  if (changes.has("name") && /^all$/i.test(changes.get("name")!))
    return { kind: "refused", reason: 'a rule cannot be named "all"' };
  criteria.delete("name");
  criteria.delete("group");
  return { kind: "set", ...(name === undefined ? { group: group! } : { name }), criteria, changes };
}

function readSetProfile(words: readonly string[]): NetshCommand {
  const which = PROFILE_WORDS[(words[0] ?? "").toLowerCase()];
  if (which === undefined) return { kind: "quiet" }; // set global, set file, set store …: nothing on the inbound path
  const setting = (words[1] ?? "").toLowerCase();
  const value = (words[2] ?? "").toLowerCase();
  if (setting === "state") {
    if (value !== "on" && value !== "off" && value !== "notconfigured")
      return { kind: "refused", reason: `"${words[2] ?? ""}" is not a state (on, off, notconfigured)` };
    return { kind: "profile", which, state: value };
  }
  if (setting === "firewallpolicy") {
    const inbound = value.split(",")[0]!;
    if (!/^(?:blockinbound|blockinboundalways|allowinbound|notconfigured)$/.test(inbound))
      return { kind: "refused", reason: `"${words[2] ?? ""}" is not a firewall policy (blockinbound,allowoutbound …)` };
    return { kind: "profile", which, inbound };
  }
  return { kind: "quiet" }; // settings, logging: nothing a new inbound connection meets
}
