/**
 * MikroTik RouterOS: `/ip firewall export` and `/ipv6 firewall export` (also `/export`): address-lists and filter
 * rules, with RouterOS's `\` line continuations.
 *
 * Semantics (RouterOS manual, "Filter", https://help.mikrotik.com/docs/display/ROS/Filter, and "Firewall and QoS
 * Case Studies" / "Building Your First Firewall"): rules of a chain are processed in order and the first rule whose
 * conditions all match and whose action is final (accept, drop, reject, tarpit) decides; a chain accepts what no rule
 * decides. `input` filters connections to the router, `forward` connections through it. `disabled=yes` rules do
 * nothing. A new connection is `connection-state=new`; established/related/untracked/invalid never match it.
 */
import type { Entry, Finding, ParseOptions, ParseOutput, Parser, PathContext, PortRange } from "../types";
import type { Family } from "../../ip/types";
import { type AddressTerm, type Line, countLines, finding, readAddressTerm, splitLines } from "./common";
import { anySources, pathEntry, readPortList } from "./hostcommon";
import { complementTerms, detectHead } from "./linuxcommon";

interface Statement {
  readonly line: Line;
  /** The lines the statement spans (continuations), for address lines. */
  readonly menu: string;
  readonly verb: string;
  readonly args: Map<string, string>;
}

const FINAL: Readonly<Record<string, "allow" | "deny">> = { accept: "allow", drop: "deny", reject: "deny", tarpit: "deny" };

/** `key=value` pairs of a command; values may be "quoted" with \" escapes. */
function readArgs(text: string): { verb: string; args: Map<string, string> } {
  const args = new Map<string, string>();
  const re = /([\w.-]+)(?:=("(?:[^"\\]|\\.)*"|\S*))?/g;
  let verb = "";
  let first = true;
  for (const m of text.matchAll(re)) {
    if (first && m[2] === undefined) {
      verb = m[1]!;
      first = false;
      continue;
    }
    first = false;
    const raw = m[2] ?? "";
    args.set(m[1]!, raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, "$1") : raw);
  }
  return { verb, args };
}

/** Statements with their menu ("/ip firewall filter"), continuation lines joined onto the first line. */
function statements(lines: readonly Line[], findings: Finding[]): Statement[] {
  const out: Statement[] = [];
  let menu = "";
  let buf = "";
  let first: Line | undefined;
  for (const line of lines) {
    const t = line.text;
    if (first === undefined && (t === "" || t.startsWith("#"))) continue;
    const continues = t.endsWith("\\");
    const part = continues ? t.slice(0, -1) : t;
    if (first === undefined) {
      first = line;
      buf = part;
    } else buf += part;
    if (continues) continue;
    const text = buf.trim();
    const at = first;
    first = undefined;
    buf = "";
    const menuMatch = /^(\/[\w -]*?)(?:\s+(add|set|remove)\b(.*))?$/.exec(text);
    if (menuMatch && text.startsWith("/")) {
      menu = menuMatch[1]!.trim().replace(/\s+/g, " ");
      if (menuMatch[2]) {
        const { args } = readArgs(menuMatch[3] ?? "");
        out.push({ line: at, menu, verb: menuMatch[2], args });
      }
      continue;
    }
    const { verb, args } = readArgs(text);
    if (verb === "add" || verb === "set" || verb === "remove") out.push({ line: at, menu, verb, args });
    else findings.push(finding(at, "not-understood", "Not a RouterOS add/set/remove command."));
  }
  return out;
}

interface Rule {
  readonly line: Line;
  readonly chain: string;
  readonly family: Family;
  readonly args: Map<string, string>;
}

export function parseMikrotik(text: string, options: ParseOptions = {}): ParseOutput {
  const lines = splitLines(text);
  const findings: Finding[] = [];
  const lists = new Map<string, { term: AddressTerm; line: Line }[]>();
  const rules: Rule[] = [];
  for (const s of statements(lines, findings)) {
    const family: Family = s.menu.startsWith("/ipv6") ? 6 : 4;
    if (/^\/ip(?:v6)? firewall address-list$/.test(s.menu) && s.verb === "add") {
      const list = s.args.get("list");
      const address = s.args.get("address");
      if (list === undefined || address === undefined) {
        findings.push(finding(s.line, "not-understood", "An address-list entry needs list= and address=."));
        continue;
      }
      if (s.args.get("disabled") === "yes") continue;
      const r = readAddressTerm(address);
      if (!r.ok) {
        findings.push(finding(s.line, r.kind, r.message));
        continue;
      }
      const key = `${family} ${list}`;
      let members = lists.get(key);
      if (!members) lists.set(key, (members = []));
      members.push({ term: r.term, line: s.line });
    } else if (/^\/ip(?:v6)? firewall filter$/.test(s.menu) && s.verb === "add") {
      rules.push({ line: s.line, chain: s.args.get("chain") ?? "", family, args: s.args });
    } else if (/^\/ip(?:v6)? firewall (?:raw|nat|mangle)$/.test(s.menu)) {
      if (s.menu.endsWith("raw") && (s.args.get("action") === "drop")) findings.push(finding(s.line, "not-understood", "Raw-table drops happen before the filter rules: not read."));
    }
  }

  const hasForward = rules.some((r) => r.chain === "forward" && FINAL[r.args.get("action") ?? "accept"] === "allow" && (r.args.has("src-address") || r.args.has("src-address-list")));
  const hasInput = rules.some((r) => r.chain === "input" && FINAL[r.args.get("action") ?? "accept"] === "allow" && (r.args.has("src-address") || r.args.has("src-address-list")));
  const kind = options.path ?? (hasForward && !hasInput ? "forward" : "input");
  const contexts: PathContext[] = (["input", "forward"] as const).map((chain) => ({
    name: `filter chain ${chain}`,
    line: 0,
    text: "",
    fallthrough: "allow",
    onPath: chain === kind,
    reason: chain === "input" ? "the service runs on the router itself" : "the service is behind the router (dst-nat or routed)",
  }));
  const entries: Entry[] = [];
  const ingress = options.ingress;
  const assumptions: string[] = [];
  for (const r of rules) {
    const ctx = r.chain === "input" ? 0 : r.chain === "forward" ? 1 : -1;
    const action = FINAL[r.args.get("action") ?? "accept"];
    if (ctx < 0) {
      if (action) findings.push(finding(r.line, "note", `Chain "${r.chain}" is reached only through jump rules, which are not followed: not read.`));
      continue;
    }
    if (action === undefined) {
      const a = r.args.get("action") ?? "";
      if (a === "jump") findings.push(finding(r.line, "not-understood", `Jumps (to "${r.args.get("jump-target") ?? ""}") are not followed: the rules there are not read.`));
      continue; // passthrough, log, add-src-to-address-list, fasttrack-connection, return …: nothing decided here.
    }
    const unmet = unmetOf(r, ingress, kind, assumptions);
    const protocol = r.args.get("protocol");
    let ports: PortRange[] | undefined;
    const dport = r.args.get("dst-port");
    if (dport !== undefined) {
      if (dport.startsWith("!")) {
        findings.push(finding(r.line, "negation", `dst-port=${dport} (every port but these) is not read exactly: the rule is not read.`));
        continue;
      }
      ports = readPortList(dport);
      if (!ports) {
        findings.push(finding(r.line, "invalid", `"${dport}" is not a port list.`));
        continue;
      }
    }
    const sources = sourcesOf(r, lists, findings);
    if (!sources) continue;
    for (const s of sources) {
      entries.push(
        pathEntry(s.line, s.term, {
          action,
          direction: "in",
          protocol: protocol === undefined || protocol === "" ? undefined : protocol.toLowerCase(),
          ports,
          via: s.via,
          ruleLine: r.line.n,
          comment: r.args.get("comment"),
          context: ctx,
          unmet,
        }),
      );
    }
  }
  const assumption = [
    kind === "input" ? "Read as connections to the router itself (chain input)" : "Read as connections to a service behind the router (chain forward)",
    ...new Set(assumptions),
  ].join("; ") + ". Override with --path input|forward and --ingress <interface or interface list>.";
  return {
    format: "mikrotik",
    entries,
    findings: findings.sort((a, b) => a.line - b.line),
    lineCount: countLines(text),
    notes: [],
    path: { contexts, kind, ...(ingress !== undefined ? { ingress } : {}), assumption },
  };
}

/** Why a new inbound connection from the Internet cannot meet the rule, or undefined. */
function unmetOf(r: Rule, ingress: string | undefined, kind: "input" | "forward", assumptions: string[]): string | undefined {
  const a = r.args;
  if (a.get("disabled") === "yes") return "the rule is disabled";
  const nat = a.get("connection-nat-state");
  if (nat !== undefined) {
    // A service behind the router is reached through a port forward (dst-nat); the router itself is not.
    const negated = nat.startsWith("!");
    const dstnat = nat.replace(/^!/, "").split(",").includes("dstnat");
    if (kind === "forward") assumptions.push("connections to the service behind the router are port-forwarded (dst-nat)");
    const forwarded = kind === "forward";
    if (dstnat && negated === forwarded) return `only when connection-nat-state=${nat}`;
  }
  const state = a.get("connection-state");
  if (state !== undefined) {
    const negated = state.startsWith("!");
    const states = state.replace(/^!/, "").split(",");
    if (negated ? states.includes("new") : !states.includes("new")) return `only connection-state=${state}`;
  }
  if (a.has("src-port")) return `only from source port ${a.get("src-port")} (a new connection comes from an ephemeral port)`;
  if (a.has("ipsec-policy") && /^in,ipsec/.test(a.get("ipsec-policy") ?? "")) return "only for IPsec-decrypted traffic";
  for (const key of ["in-interface", "in-interface-list"] as const) {
    const v = a.get(key);
    if (v === undefined) continue;
    const negated = v.startsWith("!");
    const name = v.replace(/^!/, "");
    if (ingress !== undefined) {
      if ((name === ingress) === negated) return `only when ${key}=${v}, and the Internet side is ${ingress}`;
      continue;
    }
    // Without --ingress: the names RouterOS's default configuration uses (WAN list, ether1) face the Internet.
    const wan = /^(?:wan|ether1|pppoe-out\d*|internet|outside|uplink)$/i.test(name);
    const lan = /^(?:lan|bridge\d*|local|inside)$/i.test(name);
    if ((lan && !negated) || (wan && negated)) return `only when ${key}=${v} (not the Internet side)`;
    if (!wan && !lan) assumptions.push(`${key}=${name} is assumed to face the Internet`);
  }
  return undefined;
}

function sourcesOf(
  r: Rule,
  lists: ReadonlyMap<string, { term: AddressTerm; line: Line }[]>,
  findings: Finding[],
): { term: AddressTerm; line: Line; via?: readonly string[] }[] | undefined {
  const src = r.args.get("src-address");
  const list = r.args.get("src-address-list");
  if (src !== undefined && list !== undefined) {
    findings.push(finding(r.line, "not-understood", "A rule with both src-address and src-address-list is not read."));
    return undefined;
  }
  if (src !== undefined) {
    const negated = src.startsWith("!");
    const read = readAddressTerm(src.replace(/^!/, ""));
    if (!read.ok) {
      findings.push(finding(r.line, read.kind, read.message));
      return undefined;
    }
    if (!negated) return [{ term: read.term, line: r.line }];
    return complementTerms([read.term.range], r.family, src.slice(1)).map((term) => ({ term, line: r.line }));
  }
  if (list !== undefined) {
    const negated = list.startsWith("!");
    const name = list.replace(/^!/, "");
    const members = lists.get(`${r.family} ${name}`);
    if (!members) {
      findings.push(finding(r.line, "undefined-reference", `Address list "${name}" is not defined in this paste (for IPv${r.family}).`));
      return negated ? anySources([r.family], list).map((term) => ({ term, line: r.line })) : undefined;
    }
    if (!negated) return members.map((m) => ({ term: m.term, line: m.line, via: [name] }));
    return complementTerms(
      members.map((m) => m.term.range),
      r.family,
      name,
    ).map((term) => ({ term, line: r.line }));
  }
  return anySources([r.family], "any").map((term) => ({ term, line: r.line }));
}

export const mikrotikParser: Parser = {
  id: "mikrotik",
  label: "MikroTik RouterOS (/ip firewall export)",
  detect(text: string): number {
    const head = detectHead(text);
    if (/^\/ip(?:v6)? firewall (?:filter|address-list|raw|nat|mangle)\s*$/m.test(head)) return 0.97;
    if (/^# .*by RouterOS /m.test(head)) return 0.9;
    if (/^add (?:action=\S+ )?chain=(?:input|forward|output)\b/m.test(head)) return 0.85;
    return 0;
  },
  parse: parseMikrotik,
};
