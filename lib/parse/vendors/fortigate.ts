/**
 * FortiGate (FortiOS) CLI configuration: `config firewall address|address6` (ipmask, iprange, fqdn),
 * `addrgrp|addrgrp6`, `service custom|group`, and `config firewall policy|policy6|local-in-policy` (srcaddr,
 * srcaddr6, service, action, status, srcaddr-negate). Policies are evaluated in the order they appear; a policy without
 * `set action` denies (the FortiOS default). Zones and interfaces say nothing reliable about direction: read as "in".
 */
import { IPSet, parseAddress, parseNetmask, parsePrefix, parsePrefixOrAddress, makePrefix, makeRange } from "../../ip";
import type { Entry, Finding, ParseOptions, ParseOutput, Parser, PathContext, PathInfo, PortRange } from "../types";
import { joinUnmet, looksInternetFacing, sameName, tagEntries } from "./pathkit";
import {
  OBJECTS_ONLY_NOTE,
  ObjectTable,
  addObjectMember,
  anyTerm,
  countLines,
  emitRule,
  finding,
  namesReachedByAllow,
  negatedSources,
  objectsAsAllowlist,
  parsePortRange,
  prefixTerm,
  splitLines,
  tokenize,
  unusedObjectFindings,
  looksAddressBearing,
} from "./common";
import type { AddressTerm, Line, ObjectMember, Resolved, ServiceTerm } from "./common";

interface Setting {
  readonly values: string[];
  readonly line: Line;
}

interface Edit {
  readonly name: string;
  readonly line: Line;
  readonly settings: Map<string, Setting>;
  /** The VDOM the edit sits in ("" when the paste has no "config vdom"). */
  readonly vdom: string;
}

type Section =
  | "address"
  | "address6"
  | "addrgrp"
  | "addrgrp6"
  | "service"
  | "servicegroup"
  | "policy"
  | "policy6"
  | "local-in"
  | "interface"
  | "zone";

const SECTIONS: Readonly<Record<string, Section>> = {
  "firewall address": "address",
  "firewall address6": "address6",
  "firewall addrgrp": "addrgrp",
  "firewall addrgrp6": "addrgrp6",
  "firewall service custom": "service",
  "firewall service group": "servicegroup",
  "firewall policy": "policy",
  "firewall security-policy": "policy",
  "firewall policy6": "policy6",
  "firewall local-in-policy": "local-in",
  "firewall local-in-policy6": "local-in",
  "system interface": "interface",
  "system zone": "zone",
};

const tcp = (from: number, to = from): ServiceTerm => ({ protocol: "tcp", ports: [{ from, to }] });
const udp = (from: number, to = from): ServiceTerm => ({ protocol: "udp", ports: [{ from, to }] });

/** FortiOS predefined services, used when the paste does not define them. */
const PREDEFINED_SERVICES: Readonly<Record<string, readonly ServiceTerm[]>> = {
  ALL: [{}],
  ALL_TCP: [tcp(1, 65535)],
  ALL_UDP: [udp(1, 65535)],
  ALL_ICMP: [{ protocol: "icmp" }],
  ALL_ICMP6: [{ protocol: "icmp6" }],
  PING: [{ protocol: "icmp" }],
  HTTP: [tcp(80)],
  HTTPS: [tcp(443)],
  SSH: [tcp(22)],
  TELNET: [tcp(23)],
  FTP: [tcp(21)],
  SMTP: [tcp(25)],
  SMTPS: [tcp(465)],
  DNS: [tcp(53), udp(53)],
  NTP: [tcp(123), udp(123)],
  RDP: [tcp(3389)],
  IMAP: [tcp(143)],
  IMAPS: [tcp(993)],
  POP3: [tcp(110)],
  POP3S: [tcp(995)],
  MYSQL: [tcp(3306)],
  "MS-SQL": [tcp(1433, 1434)],
  SNMP: [tcp(161, 162), udp(161, 162)],
};

const PREDEFINED_LINE: Line = { n: 0, text: "" };

export const fortigateParser: Parser = {
  id: "fortigate",
  label: "FortiGate (FortiOS CLI)",
  detect(text) {
    const head = text.slice(0, 20000);
    if (/^\s*config firewall (?:address6?|addrgrp6?|policy6?|service custom|service group|local-in-policy6?)\s*$/m.test(head)) return 0.95;
    if (/^#config-version=\S+/m.test(head)) return 0.9;
    if (/^\s*config system (?:global|interface)\s*$/m.test(head)) return 0.6;
    return 0;
  },
  parse: parseFortigate,
};

function parseFortigate(text: string, options: ParseOptions = {}): ParseOutput {
  const lines = splitLines(text);
  const findings: Finding[] = [];
  const entries: Entry[] = [];
  const edits = new Map<Section, Edit[]>();
  /** Config path stack: the section (undefined for sections we do not read) and the edit it interrupted. */
  const stack: { readonly section: Section | undefined; readonly outer: Edit | undefined; readonly raw: string }[] = [];
  let edit: Edit | undefined;
  let vdom = "";
  const vdoms: { name: string; line: Line }[] = [];

  for (const line of lines) {
    if (line.text === "" || line.text.startsWith("#")) continue;
    const w = tokenize(line.text);
    const k = w[0]!;
    const top = stack[stack.length - 1];
    const section = top?.section;
    if (k === "config") {
      // A block nested in an edit (a vdom, an address's "config tagging") puts that edit aside until its "end".
      stack.push({ section: SECTIONS[w.slice(1).join(" ")], outer: edit, raw: w.slice(1).join(" ") });
      edit = undefined;
    } else if (k === "end") {
      const popped = stack.pop();
      edit = popped?.outer;
      if (popped?.raw === "vdom") vdom = "";
    } else if (k === "next") {
      edit = undefined;
    } else if (top?.raw === "vdom" && k === "edit" && w[1] !== undefined) {
      // "config vdom / edit NAME": everything up to the matching "next" belongs to that VDOM.
      vdom = w[1];
      if (!vdoms.some((v) => v.name === vdom)) vdoms.push({ name: vdom, line });
    } else if (k === "move" && section !== undefined && w[1] !== undefined && (w[2] === "before" || w[2] === "after") && w[3] !== undefined) {
      // "move 5 before 3": the policy list order is what FortiOS evaluates, not the ids.
      const list = edits.get(section) ?? [];
      const from = list.findIndex((x) => x.name === w[1] && x.vdom === vdom);
      const moved = from >= 0 ? list.splice(from, 1)[0]! : undefined;
      const to = list.findIndex((x) => x.name === w[3] && x.vdom === vdom);
      if (moved === undefined || to < 0) {
        if (moved !== undefined) list.splice(from, 0, moved);
        findings.push(finding(line, "undefined-reference", `"${moved === undefined ? w[1] : w[3]}" is not a policy of this section in the paste: the move is not applied.`));
      } else list.splice(w[2] === "before" ? to : to + 1, 0, moved);
    } else if (section === undefined) {
      // Sections we do not read (interfaces, routes, system …) hold addresses with no allowlist meaning;
      // outside any section, an address is never skipped silently.
      if (stack.length === 0 && looksAddressBearing(line.text)) {
        findings.push(finding(line, "not-understood", 'This line is outside any "config" section.'));
      }
      continue;
    } else if (k === "edit" && w[1] !== undefined) {
      // FortiOS: "edit NAME" of an object that exists enters it again (a later block changes it); "edit 0" in a
      // policy table always makes a new one.
      const list = edits.get(section);
      const again = w[1] === "0" ? undefined : list?.find((x) => x.name === w[1] && x.vdom === vdom);
      if (again) edit = again;
      else {
        edit = { name: w[1], line, settings: new Map(), vdom };
        if (list) list.push(edit);
        else edits.set(section, [edit]);
      }
    } else if (k === "delete" && w[1] !== undefined) {
      const list = edits.get(section);
      const at = list?.findIndex((x) => x.name === w[1] && x.vdom === vdom) ?? -1;
      if (at >= 0) list!.splice(at, 1);
    } else if ((k === "set" || k === "append") && edit && w[1] !== undefined) {
      const prev = edit.settings.get(w[1]);
      if (k === "append" && prev) prev.values.push(...w.slice(2).filter((v) => !prev.values.includes(v)));
      else edit.settings.set(w[1], { values: w.slice(2), line });
    } else if (k === "unselect" && edit && w[1] !== undefined) {
      // "unselect member A B": takes members out of a list, the others stay.
      const prev = edit.settings.get(w[1]);
      if (prev) edit.settings.set(w[1], { ...prev, values: prev.values.filter((v) => !w.slice(2).includes(v)) });
    } else if (k === "unset" && edit && w[1] !== undefined) {
      edit.settings.delete(w[1]);
    } else if (looksAddressBearing(line.text) || edit === undefined) {
      findings.push(finding(line, "not-understood", "This line is not understood inside the firewall section."));
    }
  }

  const t4 = new ObjectTable<AddressTerm>();
  const t6 = new ObjectTable<AddressTerm>();
  const members: ObjectMember[] = [];
  const services = new ObjectTable<ServiceTerm>();

  for (const e of edits.get("address") ?? []) readAddress(e, t4, 4);
  for (const e of edits.get("address6") ?? []) readAddress(e, t6, 6);
  for (const [sec, table] of [["addrgrp", t4], ["addrgrp6", t6]] as const) {
    for (const e of edits.get(sec) ?? []) {
      table.define(e.name, { line: e.line, members: [] });
      const m = e.settings.get("member");
      for (const ref of m?.values ?? []) addObjectMember(table, members, e.name, { ref, line: m!.line }, e.line);
    }
  }
  for (const e of edits.get("service") ?? []) readService(e);
  for (const e of edits.get("servicegroup") ?? []) {
    services.define(e.name, { line: e.line, members: [] });
    const m = e.settings.get("member");
    for (const ref of m?.values ?? []) services.addMember(e.name, { ref, line: m!.line }, e.line);
  }
  for (const [name, terms] of Object.entries(PREDEFINED_SERVICES)) {
    if (!services.has(name)) services.define(name, { line: PREDEFINED_LINE, members: terms.map((value) => ({ value, line: PREDEFINED_LINE })) });
  }
  // "all" exists on every FortiGate even when the paste leaves it out.
  const builtinAll = (table: ObjectTable<AddressTerm>, family: 4 | 6): void => {
    if (!table.has("all")) table.define("all", { line: PREDEFINED_LINE, members: [{ value: anyTerm("all", family), line: PREDEFINED_LINE }] });
  };
  builtinAll(t4, 4);
  builtinAll(t6, 6);

  function readAddress(e: Edit, table: ObjectTable<AddressTerm>, family: 4 | 6): void {
    table.define(e.name, { line: e.line, members: [] });
    const type = e.settings.get("type")?.values[0] ?? (family === 4 ? "ipmask" : "ipprefix");
    const add = (value: AddressTerm, line: Line): void => addObjectMember(table, members, e.name, { value, line }, e.line);
    const bad = (line: Line, message: string): void => void findings.push(finding(line, "invalid", message));
    if (type === "ipmask" || type === "ipprefix") {
      const s = e.settings.get(family === 4 ? "subnet" : "ip6");
      // An address with no subnet keeps the default 0.0.0.0/0 (that is what "all" is); it is implicit, so it is
      // resolved for rules but not listed in the objects-only reading.
      if (!s) return void table.addMember(e.name, { value: anyTerm(e.name, family), line: e.line }, e.line);
      const [a, m] = s.values;
      const token = s.values.join(" ");
      if (a !== undefined && m !== undefined && family === 4) {
        const addr = parseAddress(a);
        const bits = parseNetmask(m);
        if (!addr.ok || !bits.ok || bits.value > 32) return bad(s.line, `"${token}": ${!addr.ok ? addr.error.message : !bits.ok ? bits.error.message : "not an IPv4 mask"}.`);
        return add(prefixTerm(token, makePrefix(addr.value, bits.value)), s.line);
      }
      const p = a === undefined ? undefined : a.includes("/") ? parsePrefix(a) : parsePrefixOrAddress(a);
      if (!p?.ok) return bad(s.line, `"${token}" is not an address or prefix.`);
      return add(prefixTerm(token, p.value, a!.includes("/") ? "cidr" : "address"), s.line);
    }
    if (type === "iprange") {
      const start = e.settings.get("start-ip");
      const end = e.settings.get("end-ip");
      const first = parseAddress(start?.values[0] ?? "");
      const last = parseAddress(end?.values[0] ?? "");
      const line = start?.line ?? e.line;
      if (!first.ok || !last.ok) return bad(line, "The range needs a valid start-ip and end-ip.");
      const r = makeRange(first.value, last.value);
      if (!r.ok) return bad(line, `Range: ${r.error.message}.`);
      return add({ token: `${start!.values[0]}-${end!.values[0]}`, range: r.value, kind: "range" }, line);
    }
    if (type === "fqdn" || type === "wildcard-fqdn") {
      const f = e.settings.get(type === "fqdn" ? "fqdn" : "wildcard-fqdn");
      return void findings.push(finding(f?.line ?? e.line, "hostname", `"${f?.values[0] ?? ""}" is a DNS name: it cannot be checked.`));
    }
    findings.push(finding(e.settings.get("type")?.line ?? e.line, "not-understood", `Address type "${type}" is not read.`));
  }

  function readService(e: Edit): void {
    services.define(e.name, { line: e.line, members: [] });
    const protocol = (e.settings.get("protocol")?.values[0] ?? "TCP/UDP/SCTP").toUpperCase();
    if (protocol === "IP") {
      const num = e.settings.get("protocol-number")?.values[0];
      return services.addMember(e.name, { value: num === undefined || num === "0" ? {} : { protocol: num }, line: e.line }, e.line);
    }
    if (protocol === "ICMP" || protocol === "ICMP6") {
      return services.addMember(e.name, { value: { protocol: protocol.toLowerCase() }, line: e.line }, e.line);
    }
    for (const proto of ["tcp", "udp", "sctp"]) {
      const s = e.settings.get(`${proto}-portrange`);
      if (!s) continue;
      const ports: PortRange[] = [];
      for (const v of s.values) {
        // "dst[-dst][:src[-src]]": only the destination part matters.
        const p = parsePortRange(v.split(":")[0] ?? "");
        if (p) ports.push(p);
        else findings.push(finding(s.line, "invalid", `"${v}" is not a port range.`));
      }
      if (ports.length > 0) services.addMember(e.name, { value: { protocol: proto, ports }, line: s.line }, e.line);
    }
  }

  const reached4 = new Set<string>();
  const reached6 = new Set<string>();
  let ruleCount = 0;
  const route = fortigatePath(edits, vdoms, options);
  for (const sec of ["policy", "policy6", "local-in"] as const) {
    for (const e of edits.get(sec) ?? []) {
      ruleCount++;
      const from = entries.length;
      const unmet = readPolicy(e, sec === "policy6", sec === "local-in");
      tagEntries(entries, from, route.contextOf(e.vdom, sec === "local-in"), unmet);
    }
  }

  /** A group with "exclude enable": its members minus its exclude-members, exactly, as range terms. */
  function excluding(name: string, table: ObjectTable<AddressTerm>, line: Line): Resolved<AddressTerm>[] | undefined {
    const g = (edits.get(table === t4 ? "addrgrp" : "addrgrp6") ?? []).find((x) => x.name === name);
    if (g?.settings.get("exclude")?.values[0] !== "enable") return undefined;
    const ex = g.settings.get("exclude-member");
    const kept = table.resolve(name, line, findings);
    const gone = (ex?.values ?? []).flatMap((n) => table.resolve(n, ex!.line, findings));
    const set = IPSet.fromRanges(kept.map((r) => r.value.range)).difference(IPSet.fromRanges(gone.map((r) => r.value.range)));
    const token = `${name} (excluding ${(ex?.values ?? []).join(" ")})`;
    return set.ranges.map((range) => ({ value: { token, range, kind: "range" as const }, line: g.line, via: [name] }));
  }

  /** Reads one policy into entries; returns the condition a new inbound connection cannot meet, if any. */
  function readPolicy(e: Edit, v6Only: boolean, localIn: boolean): string | undefined {
    const s = e.settings;
    const status = s.get("status");
    const disabled = status?.values[0] === "disable" ? "set status disable" : undefined;
    const srcintf = s.get(localIn ? "intf" : "srcintf")?.values ?? [];
    const intfUnmet = route.ingressMatches(srcintf) ? undefined : `${localIn ? "intf" : "srcintf"} ${srcintf.join(", ")}, not the Internet-facing interface ${route.ingress}`;
    const unmet = joinUnmet(disabled, intfUnmet);
    const action = s.get("action")?.values[0] === "accept" ? "allow" : "deny";
    const label = s.get("name")?.values[0] ?? e.name;
    const svcSetting = s.get("service");
    const svc: ServiceTerm[] = [];
    for (const name of svcSetting?.values ?? []) svc.push(...services.resolve(name, svcSetting!.line, findings).map((r) => r.value));
    if (svcSetting && svc.length === 0) return unmet;
    const sides: [string, ObjectTable<AddressTerm>, Set<string>][] = v6Only
      ? [["srcaddr", t6, reached6]]
      : [["srcaddr", t4, reached4], ["srcaddr6", t6, reached6]];
    for (const [key, table, reached] of sides) {
      const src = s.get(key);
      if (!src) continue;
      const dst = s.get(key.replace("src", "dst"));
      for (const name of dst?.values ?? []) {
        const resolved = table.resolve(name, dst!.line, findings);
        if (action === "allow") {
          reached.add(name);
          for (const r of resolved) for (const n of r.via) reached.add(n);
        }
      }
      const sources: Resolved<AddressTerm>[] = [];
      for (const name of src.values) {
        const ex = excluding(name, table, src.line);
        if (ex !== undefined) sources.push(...ex);
        // The built-in "all" has no line of its own: it is highlighted on the policy's line.
        else for (const r of table.resolve(name, src.line, findings)) sources.push(r.line === PREDEFINED_LINE ? { ...r, line: src.line } : r);
        if (action === "allow") reached.add(name);
      }
      const negate = s.get(`${key}-negate`);
      if (negate?.values[0] === "enable") {
        findings.push(finding(negate.line, "negation", `Policy "${label}" matches every source except the listed ones: read as all other addresses.`));
        const others = negatedSources(sources, [table === t4 ? 4 : 6], src.line, `not ${src.values.join(" ")}`);
        emitRule(entries, others, { line: src.line, action, direction: "in", services: svc });
        continue;
      }
      emitRule(entries, sources, { line: src.line, action, direction: "in", services: svc });
    }
    return unmet;
  }

  const notes: string[] = [];
  if (ruleCount === 0 && members.length > 0) {
    objectsAsAllowlist(members, (n) => t4.has(n) || t6.has(n), entries, findings);
    notes.push(OBJECTS_ONLY_NOTE);
  } else if (ruleCount > 0) {
    namesReachedByAllow(entries, reached4);
    namesReachedByAllow(entries, reached6);
    // The built-in "all" and "none" are never reported; a user's own objects are.
    for (const [table, reached] of [[t4, reached4], [t6, reached6]] as const) {
      findings.push(...unusedObjectFindings(table, reached, "Address").filter((f) => f.line > 0 && !/^edit "?(?:all|none)"?$/.test(f.text)));
    }
  }
  findings.sort((x, y) => x.line - y.line);
  const out: ParseOutput = { format: "fortigate", entries, findings, lineCount: countLines(text), notes };
  return ruleCount > 0 ? { ...out, path: route.path } : out;
}

/**
 * The path through a FortiGate: in the VDOM that holds the Internet-facing interface (or the first with policies), the
 * firewall policies in list order (after `move`), whose srcintf is that interface, a zone holding it, or any; then the
 * implicit deny. local-in policies filter traffic to the FortiGate itself: on the path only for --path input.
 * Docs: FortiOS Administration Guide, "Firewall policy" (policy order, implicit deny, status, srcaddr-negate, address
 * group exclusion): https://docs.fortinet.com/document/fortigate/7.4.0/administration-guide/656084/firewall-policy
 */
function fortigatePath(
  edits: ReadonlyMap<Section, Edit[]>,
  vdoms: readonly { name: string; line: Line }[],
  options: ParseOptions,
): { path: PathInfo; contextOf: (vdom: string, localIn: boolean) => number; ingressMatches: (srcintf: readonly string[]) => boolean; ingress: string } {
  const interfaces = edits.get("interface") ?? [];
  const zones = edits.get("zone") ?? [];
  const wan =
    options.ingress !== undefined
      ? { name: options.ingress, why: "given" }
      : (() => {
          const role = interfaces.find((i) => i.settings.get("role")?.values[0] === "wan");
          if (role) return { name: role.name, why: "set role wan" };
          const named = interfaces.find((i) => looksInternetFacing(i.name) || looksInternetFacing(i.settings.get("alias")?.values[0] ?? ""));
          if (named) return { name: named.name, why: "its name" };
          return undefined;
        })();
  const zonesOf = (intf: string): string[] => zones.filter((z) => (z.settings.get("interface")?.values ?? []).some((i) => sameName(i, intf))).map((z) => z.name);
  const ingressNames = wan === undefined ? [] : [wan.name, ...zonesOf(wan.name)];
  const ingressMatches = (srcintf: readonly string[]): boolean =>
    wan === undefined || srcintf.length === 0 || srcintf.some((i) => i === "any" || ingressNames.some((n) => sameName(n, i)));
  // The VDOM of the Internet-facing interface ("set vdom" on it), else the first VDOM with policies.
  const wanVdom = wan === undefined ? undefined : interfaces.find((i) => sameName(i.name, wan.name))?.settings.get("vdom")?.values[0];
  const policyVdoms = [...new Set([...(edits.get("policy") ?? []), ...(edits.get("policy6") ?? []), ...(edits.get("local-in") ?? [])].map((e) => e.vdom))];
  const chosen = wanVdom !== undefined && policyVdoms.includes(wanVdom) ? wanVdom : (policyVdoms[0] ?? "");
  const input = options.path === "input";
  const contexts: PathContext[] = [];
  const index = new Map<string, number>();
  for (const v of policyVdoms) {
    for (const localIn of [false, true]) {
      const has = (edits.get(localIn ? "local-in" : "policy") ?? []).some((e) => e.vdom === v) || (!localIn && (edits.get("policy6") ?? []).some((e) => e.vdom === v));
      if (!has) continue;
      const where = v === "" ? "" : `VDOM ${v}: `;
      const onPath = v === chosen && localIn === input;
      const vline = vdoms.find((x) => x.name === v)?.line;
      index.set(`${v}|${localIn}`, contexts.length);
      contexts.push({
        name: `${where}${localIn ? "local-in policies" : "firewall policies"}`,
        line: vline?.n ?? 0,
        text: vline?.text ?? "",
        fallthrough: "deny",
        onPath,
        reason: onPath
          ? `${localIn ? "Traffic to the FortiGate itself" : "Traffic through the FortiGate"}: policies in list order, first match, then the implicit deny.`
          : v !== chosen
            ? `another VDOM: the Internet-facing interface is in ${chosen === "" ? "the root VDOM" : `VDOM ${chosen}`}`
            : localIn
              ? "local-in policies filter traffic to the FortiGate itself; the service is behind it (--path input for the FortiGate itself)"
              : "forwarded traffic: the service is the FortiGate itself (--path input)",
      });
    }
  }
  const contextOf = (v: string, localIn: boolean): number => index.get(`${v}|${localIn}`) ?? 0;
  const vdomNote = policyVdoms.length > 1 || chosen !== "" ? ` in VDOM ${chosen}` : "";
  const path: PathInfo = {
    contexts,
    kind: input ? "input" : "forward",
    ...(wan !== undefined ? { ingress: wan.name } : {}),
    assumption:
      wan === undefined
        ? `No interface has "set role wan" or a WAN-like name: every policy's srcintf is read as Internet-facing${vdomNote}. Override with --ingress IFACE.`
        : `Internet-facing interface: ${wan.name} (${wan.why})${vdomNote}; only policies whose srcintf is ${[...ingressNames, "any"].join(", ")} apply, to a service ${input ? "on the FortiGate itself (local-in)" : "behind the FortiGate"}. Override with --ingress IFACE or --path.`,
  };
  return { path, contextOf, ingressMatches, ingress: wan?.name ?? "" };
}
