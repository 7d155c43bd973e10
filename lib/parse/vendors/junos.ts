/**
 * Juniper SRX configuration in `set` format: address books (global, named, or the older per-zone ones) with
 * addresses (prefix, range-address, wildcard-address, dns-name) and address-sets, applications and
 * application-sets, and security policies (match source-address / source-address-excluded / application, then
 * permit|deny|reject). Evaluation order: zone-pair policies in the order they first appear, then global policies,
 * then the default policy. Zones say nothing reliable about direction: read as "in".
 * Firewall filters (`set firewall [family inet|inet6] filter F term T from … then …`) with prefix lists follow, each
 * filter's direction taken from the interfaces that apply it (`family inet filter input|output F`).
 */
import { parseAddress, parseNetmask, parsePrefixOrAddress, makePrefix, makeRange } from "../../ip";
import type { Direction, Entry, Finding, ParseOutput, Parser, PortRange } from "../types";
import {
  OBJECTS_ONLY_NOTE,
  ObjectTable,
  addObjectMember,
  anyTerm,
  countLines,
  emitRule,
  finding,
  looksAddressBearing,
  namesReachedByAllow,
  negatedSources,
  objectsAsAllowlist,
  parsePortRange,
  prefixTerm,
  splitLines,
  tokenize,
  unusedObjectFindings,
} from "./common";
import type { AddressTerm, Line, ObjectMember, Resolved, ServiceTerm } from "./common";
import { ciscoPortNumber } from "./cisco";

interface Policy {
  readonly name: string;
  readonly line: Line;
  readonly sources: { readonly word: string; readonly line: Line }[];
  readonly destinations: { readonly word: string; readonly line: Line }[];
  readonly applications: { readonly word: string; readonly line: Line }[];
  action?: { readonly word: string; readonly line: Line };
  excluded?: Line;
  inactive?: Line;
}

/** One term of a firewall filter (`set firewall family inet filter F term T from|then …`). */
interface FilterTerm {
  readonly name: string;
  readonly line: Line;
  readonly sources: { readonly word: string; readonly line: Line; readonly except: boolean; readonly list: boolean }[];
  readonly protocols: string[];
  readonly ports: PortRange[];
  /** Set when "address"/"prefix-list"/"port" match either side: read as the source / destination port. */
  either?: Line;
  action?: { readonly word: string; readonly line: Line };
  nextTerm?: boolean;
}

interface Filter {
  readonly name: string;
  readonly family: 4 | 6;
  readonly line: Line;
  readonly terms: Map<string, FilterTerm>;
}

interface Application {
  readonly line: Line;
  /** Terms by name; "" is the application's own (term-less) protocol/port. */
  readonly terms: Map<string, { protocol?: string; ports?: PortRange[]; line: Line }>;
}

const tcp = (port: number): ServiceTerm => ({ protocol: "tcp", ports: [{ from: port, to: port }] });
const udp = (port: number): ServiceTerm => ({ protocol: "udp", ports: [{ from: port, to: port }] });

/** Junos predefined applications, used when the paste does not define them. */
const PREDEFINED_APPLICATIONS: Readonly<Record<string, readonly ServiceTerm[]>> = {
  any: [{}],
  "junos-http": [tcp(80)],
  "junos-https": [tcp(443)],
  "junos-ssh": [tcp(22)],
  "junos-telnet": [tcp(23)],
  "junos-ftp": [tcp(21)],
  "junos-smtp": [tcp(25)],
  "junos-dns-udp": [udp(53)],
  "junos-dns-tcp": [tcp(53)],
  "junos-ntp": [udp(123)],
  "junos-ping": [{ protocol: "icmp" }],
  "junos-icmp-all": [{ protocol: "icmp" }],
  "junos-icmp-ping": [{ protocol: "icmp" }],
  "junos-ms-sql": [tcp(1433)],
  "junos-rdp": [tcp(3389)],
};

const PREDEFINED_LINE: Line = { n: 0, text: "" };

/** Policy settings that do not change which sources reach which port. */
const IRRELEVANT_POLICY_WORDS = new Set(["description", "scheduler-name", "report-skip"]);

export const junosParser: Parser = {
  id: "junos",
  label: "Juniper SRX (set format)",
  detect(text) {
    const head = text.slice(0, 20000);
    if (/^set security (?:address-book|policies|zones security-zone) /m.test(head)) return 0.95;
    if (/^set firewall (?:family inet6? )?filter \S+ term /m.test(head)) return 0.9;
    if (/^set (?:applications application(?:-set)?|policy-options prefix-list) \S+ /m.test(head)) return 0.8;
    if (/^set (?:system host-name|interfaces \S+ unit \d+ family) /m.test(head)) return 0.5;
    return 0;
  },
  parse: parseJunos,
};

function junosPort(word: string): PortRange | undefined {
  const named = ciscoPortNumber(word);
  return parsePortRange(word) ?? (named === undefined ? undefined : { from: named, to: named });
}

function parseJunos(text: string): ParseOutput {
  const lines = splitLines(text);
  const findings: Finding[] = [];
  const entries: Entry[] = [];
  const addrs = new ObjectTable<AddressTerm>();
  const members: ObjectMember[] = [];
  const apps = new Map<string, Application>();
  const appSets: { name: string; ref: string; line: Line }[] = [];
  const zonePolicies = new Map<string, Policy>();
  const globalPolicies = new Map<string, Policy>();
  let defaultPolicy: { readonly word: string; readonly line: Line } | undefined;
  const prefixLists = new ObjectTable<AddressTerm>();
  const filters = new Map<string, Filter>();
  const filterBindings = new Map<string, Direction>();

  const bad = (line: Line, message: string): void => void findings.push(finding(line, "invalid", message));

  /** "address NAME VALUE…" or "address-set NAME (address|address-set) X" starting at w[i]. */
  const addressBook = (w: readonly string[], i: number, line: Line): void => {
    const name = w[i + 1];
    const what = w[i + 2];
    if (name === undefined || what === undefined) return bad(line, "The address-book entry is incomplete.");
    if (what === "description") return;
    if (w[i] === "address-set") {
      if (!addrs.has(name)) addrs.define(name, { line, members: [] });
      if (what === "address" || what === "address-set") {
        addObjectMember(addrs, members, name, { ref: w[i + 3] ?? "", line }, line);
      } else findings.push(finding(line, "not-understood", "This address-set line is not understood."));
      return;
    }
    if (!addrs.has(name)) addrs.define(name, { line, members: [] });
    const add = (value: AddressTerm): void => addObjectMember(addrs, members, name, { value, line }, line);
    if (what === "range-address") {
      const first = parseAddress(w[i + 3] ?? "");
      const last = parseAddress(w[i + 5] ?? "");
      if (w[i + 4] !== "to" || !first.ok || !last.ok) return bad(line, 'Expected "range-address A to B".');
      const r = makeRange(first.value, last.value);
      if (!r.ok) return bad(line, `Range: ${r.error.message}.`);
      return add({ token: `${w[i + 3]} to ${w[i + 5]}`, range: r.value, kind: "range" });
    }
    if (what === "dns-name") {
      return void findings.push(finding(line, "hostname", `"${w[i + 3] ?? ""}" is a DNS name: it cannot be checked.`));
    }
    if (what === "wildcard-address") {
      // "10.1.0.0/255.255.0.255": the mask after the slash says which bits must match, like a netmask.
      const v = w[i + 3] ?? "";
      const slash = v.indexOf("/");
      const a = parseAddress(v.slice(0, slash));
      const bits = parseNetmask(v.slice(slash + 1));
      if (slash < 0 || !a.ok || !/\./.test(v.slice(slash + 1))) {
        const p = parsePrefixOrAddress(v);
        return p.ok ? add(prefixTerm(v, p.value, "wildcard")) : bad(line, `"${v}" is not address/mask.`);
      }
      if (!bits.ok) return bad(line, `"${v}": ${bits.error.message}; it cannot be read as one address block.`);
      return add(prefixTerm(v, makePrefix(a.value, bits.value), "wildcard"));
    }
    const p = parsePrefixOrAddress(what);
    if (!p.ok) return bad(line, `"${what}": ${p.error.message}.`);
    add(prefixTerm(what, p.value, what.includes("/") ? "cidr" : "address"));
  };

  const application = (w: readonly string[], i: number, line: Line): void => {
    const name = w[i];
    if (name === undefined) return;
    let app = apps.get(name);
    if (!app) {
      app = { line, terms: new Map() };
      apps.set(name, app);
    }
    let j = i + 1;
    let termName = "";
    if (w[j] === "term") {
      termName = w[j + 1] ?? "";
      j += 2;
      // "term T alg … " and similar lines carry no protocol or port.
    }
    let term = app.terms.get(termName);
    if (!term) {
      term = { line };
      app.terms.set(termName, term);
    }
    while (j < w.length) {
      const key = w[j]!;
      const value = w[j + 1];
      if (key === "protocol" && value !== undefined) term.protocol = value.toLowerCase();
      else if (key === "destination-port" && value !== undefined) {
        const p = junosPort(value);
        if (p) term.ports = [p];
        else bad(line, `"${value}" is not a port or port range.`);
      }
      j += 2;
    }
  };

  const policyLine = (table: Map<string, Policy>, key: string, name: string, w: readonly string[], i: number, line: Line): void => {
    let p = table.get(key);
    if (!p) {
      p = { name, line, sources: [], destinations: [], applications: [] };
      table.set(key, p);
    }
    const k = w[i];
    const vals = w[i + 2] === "[" ? w.slice(i + 3, w.indexOf("]", i + 3) < 0 ? w.length : w.indexOf("]", i + 3)) : w.slice(i + 2, i + 3);
    if (k === "match") {
      const what = w[i + 1];
      const push = (list: { word: string; line: Line }[]): void => void list.push(...vals.map((word) => ({ word, line })));
      if (what === "source-address") push(p.sources);
      else if (what === "destination-address") push(p.destinations);
      else if (what === "application") push(p.applications);
      else if (what === "source-address-excluded") p.excluded = line;
      // Zones, identities and dynamic applications narrow the rule but do not change its sources.
    } else if (k === "then") {
      const what = w[i + 1];
      if (what === "permit" || what === "deny" || what === "reject") {
        p.action = { word: what, line };
      }
      // "then log …", "then count": no effect on the verdict.
    } else if (k === "inactive") {
      p.inactive = line;
    } else if (k === undefined || !IRRELEVANT_POLICY_WORDS.has(k)) {
      findings.push(finding(line, "not-understood", "This policy line is not understood."));
    }
  };

  /** `… filter F term T from|then …` with w[i] = F. */
  const filterLine = (family: 4 | 6, w: readonly string[], i: number, line: Line): void => {
    const name = w[i];
    if (name === undefined) return;
    const key = `${family} ${name}`;
    let f = filters.get(key);
    if (!f) {
      f = { name, family, line, terms: new Map() };
      filters.set(key, f);
    }
    // Filter-wide settings (interface-specific, physical-interface-filter …) do not match addresses.
    if (w[i + 1] !== "term" || w[i + 2] === undefined) return;
    let t = f.terms.get(w[i + 2]!);
    if (!t) {
      t = { name: w[i + 2]!, line, sources: [], protocols: [], ports: [] };
      f.terms.set(t.name, t);
    }
    const k = w[i + 3];
    const what = w[i + 4];
    const vals = w[i + 5] === "[" ? w.slice(i + 6, w.indexOf("]", i + 6) < 0 ? w.length : w.indexOf("]", i + 6)) : w.slice(i + 5, i + 6);
    const except = w[w.length - 1] === "except" && w.length > i + 6;
    if (k === "from") {
      if (what === "source-address" || what === "address" || what === "source-prefix-list" || what === "prefix-list") {
        if (what === "address" || what === "prefix-list") t.either = line;
        for (const word of vals) t.sources.push({ word, line, except, list: what.endsWith("prefix-list") });
      } else if (what === "protocol") t.protocols.push(...vals.map((v) => v.toLowerCase()));
      else if (what === "destination-port" || what === "port") {
        if (what === "port") t.either = line;
        for (const v of vals) {
          const p = junosPort(v);
          if (p) t.ports.push(p);
          else bad(line, `"${v}" is not a port or port range.`);
        }
      }
      // Other conditions (destination-address, tcp-flags, icmp-type …) narrow the term; they are not read.
    } else if (k === "then" && what !== undefined) {
      if (what === "accept" || what === "discard" || what === "reject" || what === "routing-instance") t.action = { word: what, line };
      else if (what === "next") t.nextTerm = true;
      // count, log, syslog, policer … do not decide the verdict.
    } else {
      findings.push(finding(line, "not-understood", "This filter line is not understood."));
    }
  };

  for (const line of lines) {
    if (line.text === "" || line.text.startsWith("#")) continue;
    const w = tokenize(line.text);
    let k = w[0];
    let i = 1;
    // "deactivate …" makes a statement inactive: the policy is then ignored.
    const deactivate = k === "deactivate";
    if (k !== "set" && !deactivate) {
      if (looksAddressBearing(line.text)) findings.push(finding(line, "not-understood", 'Only "set" lines are read.'));
      continue;
    }
    if (w[i] === "logical-systems") i += 2;
    k = w[i];
    if (k === "security" && w[i + 1] === "address-book" && (w[i + 3] === "address" || w[i + 3] === "address-set")) {
      if (!deactivate) addressBook(w, i + 3, line);
    } else if (
      k === "security" &&
      w[i + 1] === "zones" &&
      w[i + 2] === "security-zone" &&
      w[i + 4] === "address-book" &&
      (w[i + 5] === "address" || w[i + 5] === "address-set")
    ) {
      if (!deactivate) addressBook(w, i + 5, line);
    } else if (k === "security" && w[i + 1] === "policies") {
      const j = i + 2;
      const zoneName = w[j + 5];
      const globalName = w[j + 2];
      if (w[j] === "from-zone" && w[j + 2] === "to-zone" && w[j + 4] === "policy" && zoneName !== undefined) {
        // Policy names are unique per zone pair only.
        const key = `${w[j + 1]} ${w[j + 3]} ${zoneName}`;
        policyLine(zonePolicies, key, zoneName, deactivate ? ["inactive"] : w, deactivate ? 0 : j + 6, line);
      } else if (w[j] === "global" && w[j + 1] === "policy" && globalName !== undefined) {
        policyLine(globalPolicies, globalName, globalName, deactivate ? ["inactive"] : w, deactivate ? 0 : j + 3, line);
      } else if (w[j] === "default-policy" && w[j + 1] !== undefined && !deactivate) {
        defaultPolicy = { word: w[j + 1]!, line };
      }
    } else if (k === "applications" && w[i + 1] === "application") {
      if (!deactivate) application(w, i + 2, line);
    } else if (k === "applications" && w[i + 1] === "application-set" && w[i + 2] !== undefined) {
      if (!deactivate && (w[i + 3] === "application" || w[i + 3] === "application-set")) appSets.push({ name: w[i + 2]!, ref: w[i + 4] ?? "", line });
    } else if (k === "firewall" && !deactivate) {
      if (w[i + 1] === "family" && (w[i + 2] === "inet" || w[i + 2] === "inet6") && w[i + 3] === "filter") {
        filterLine(w[i + 2] === "inet" ? 4 : 6, w, i + 4, line);
      } else if (w[i + 1] === "filter") filterLine(4, w, i + 2, line);
      else if (looksAddressBearing(line.text)) findings.push(finding(line, "not-understood", "This firewall line is not understood."));
    } else if (k === "policy-options" && w[i + 1] === "prefix-list" && w[i + 2] !== undefined && !deactivate) {
      const name = w[i + 2]!;
      const v = w[i + 3];
      if (!prefixLists.has(name)) prefixLists.define(name, { line, members: [] });
      if (v === "apply-path") findings.push(finding(line, "not-understood", `"${name}" takes its prefixes from elsewhere in the configuration (apply-path): not read.`));
      else if (v !== undefined) {
        const pr = parsePrefixOrAddress(v);
        if (pr.ok) prefixLists.addMember(name, { value: prefixTerm(v, pr.value, v.includes("/") ? "cidr" : "address"), line }, line);
        else bad(line, `"${v}": ${pr.error.message}.`);
      }
    } else if (k === "interfaces" && !deactivate) {
      // "… family inet filter input F" / "input-list [ F G ]" / "output F"
      const at = w.indexOf("filter", i);
      const fam = w[at - 1];
      const dir = w[at + 1];
      if (at > 0 && (fam === "inet" || fam === "inet6") && w[at - 2] === "family" && dir !== undefined) {
        const names = w[at + 2] === "[" ? w.slice(at + 3, w.indexOf("]", at + 3) < 0 ? w.length : w.indexOf("]", at + 3)) : w.slice(at + 2, at + 3);
        const direction: Direction = dir.startsWith("input") ? "in" : "out";
        for (const n of names) {
          const key = `${fam === "inet" ? 4 : 6} ${n}`;
          // A filter applied as input anywhere filters inbound traffic there.
          if (filterBindings.get(key) !== "in") filterBindings.set(key, direction);
        }
      }
    }
    // Interfaces, routing, system and the rest hold addresses with no allowlist meaning.
  }

  const services = new ObjectTable<ServiceTerm>();
  for (const [name, app] of apps) {
    services.define(name, { line: app.line, members: [] });
    for (const t of app.terms.values()) {
      const value: ServiceTerm = {
        ...(t.protocol === undefined || t.protocol === "0" ? {} : { protocol: t.protocol }),
        ...(t.ports === undefined ? {} : { ports: t.ports }),
      };
      services.addMember(name, { value, line: t.line }, app.line);
    }
  }
  for (const s of appSets) services.addMember(s.name, { ref: s.ref, line: s.line }, s.line);
  for (const [name, terms] of Object.entries(PREDEFINED_APPLICATIONS)) {
    if (!services.has(name)) services.define(name, { line: PREDEFINED_LINE, members: terms.map((value) => ({ value, line: PREDEFINED_LINE })) });
  }

  const reached = new Set<string>();
  let ruleCount = 0;
  const emitPolicy = (p: Policy): void => {
    ruleCount++;
    if (p.inactive) return void findings.push(finding(p.inactive, "note", `Policy "${p.name}" is deactivated: it does not filter traffic.`));
    if (!p.action) return void findings.push(finding(p.line, "not-understood", `Policy "${p.name}" has no "then permit|deny|reject": not read.`));
    const action = p.action.word === "permit" ? "allow" : "deny";
    const svc: ServiceTerm[] = [];
    for (const a of p.applications) svc.push(...services.resolve(a.word, a.line, findings).map((r) => r.value));
    if (p.applications.length > 0 && svc.length === 0) return;
    for (const d of p.destinations) {
      if (/^any(?:-ipv[46])?$/.test(d.word)) continue;
      const resolved = addrs.resolve(d.word, d.line, findings);
      if (action === "allow") {
        reached.add(d.word);
        for (const r of resolved) for (const n of r.via) reached.add(n);
      }
    }
    const sources: Resolved<AddressTerm>[] = [];
    for (const s of p.sources) {
      if (s.word === "any" || s.word === "any-ipv4") sources.push({ value: anyTerm(s.word, 4), line: s.line, via: [] });
      if (s.word === "any" || s.word === "any-ipv6") sources.push({ value: anyTerm(s.word, 6), line: s.line, via: [] });
      if (/^any(?:-ipv[46])?$/.test(s.word)) continue;
      sources.push(...addrs.resolve(s.word, s.line, findings));
      if (action === "allow") reached.add(s.word);
    }
    const ruleLine = p.sources[0]?.line ?? p.line;
    if (p.excluded) {
      findings.push(finding(p.excluded, "negation", `Policy "${p.name}" matches every source except the listed ones: read as all other addresses.`));
      const others = negatedSources(sources, [4, 6], ruleLine, `not ${p.sources.map((x) => x.word).join(" ")}`);
      return emitRule(entries, others, { line: ruleLine, action, direction: "in", services: svc });
    }
    emitRule(entries, sources, { line: ruleLine, action, direction: "in", services: svc });
  };
  for (const p of zonePolicies.values()) emitPolicy(p);
  for (const p of globalPolicies.values()) emitPolicy(p);
  if (defaultPolicy) {
    ruleCount++;
    const action = defaultPolicy.word === "permit-all" ? "allow" : "deny";
    const line = defaultPolicy.line;
    const sources = [4, 6].map((f) => ({ value: anyTerm(defaultPolicy!.word, f as 4 | 6), line, via: [] }));
    emitRule(entries, sources, { line, action, direction: "in", services: [{}] });
  }

  // Firewall filters come after the security policies: on an SRX they guard the device itself (lo0) or add to the
  // policies; on a router they are the only rules.
  for (const [key, f] of filters) {
    const direction = filterBindings.get(key) ?? "unknown";
    if (!filterBindings.has(key)) {
      findings.push(finding(f.line, "note", `Filter "${f.name}" is not applied to any interface: its direction is unknown.`));
    }
    for (const t of f.terms.values()) {
      ruleCount++;
      emitFilterTerm(f, t, direction);
    }
  }

  function emitFilterTerm(f: Filter, t: FilterTerm, direction: Direction): void {
    // A term without a terminating action accepts, unless it only hands over to the next term.
    if (!t.action && t.nextTerm) return;
    const action = !t.action || t.action.word === "accept" || t.action.word === "routing-instance" ? "allow" : "deny";
    const ports = t.ports.length > 0 ? t.ports : undefined;
    const svc: ServiceTerm[] = (t.protocols.length > 0 ? t.protocols : [undefined]).map((protocol) => ({
      ...(protocol === undefined ? {} : { protocol }),
      ...(ports ? { ports } : {}),
    }));
    if (t.either) findings.push(finding(t.either, "note", `Term "${t.name}" matches either side of the packet: read as the source address / destination port.`));
    const ruleLine = t.sources[0]?.line ?? t.line;
    const resolve = (s: FilterTerm["sources"][number]): Resolved<AddressTerm>[] => {
      if (s.list) return prefixLists.resolve(s.word, s.line, findings);
      const p = parsePrefixOrAddress(s.word);
      if (!p.ok) {
        bad(s.line, `"${s.word}": ${p.error.message}.`);
        return [];
      }
      return [{ value: prefixTerm(s.word, p.value, s.word.includes("/") ? "cidr" : "address"), line: s.line, via: [] }];
    };
    const excluded = t.sources.filter((s) => s.except);
    if (excluded.length > 0) {
      // The longest matching prefix decides; excluded prefixes are written as denies ahead of the term's own.
      findings.push(finding(excluded[0]!.line, "negation", `Term "${t.name}" excludes some sources: read as a deny for them ahead of the term.`));
      emitRule(entries, excluded.flatMap(resolve), { line: ruleLine, action: "deny", direction, services: svc });
    }
    const included = t.sources.filter((s) => !s.except);
    const sources =
      t.sources.length === 0 ? [{ value: anyTerm("any", f.family), line: t.line, via: [] }] : included.flatMap(resolve);
    emitRule(entries, sources, { line: ruleLine, action, direction, services: svc });
  }

  const notes: string[] = [];
  if (ruleCount === 0 && members.length > 0) {
    objectsAsAllowlist(members, (n) => addrs.has(n), entries, findings);
    notes.push(OBJECTS_ONLY_NOTE);
  } else if (ruleCount > 0) {
    findings.push(...unusedObjectFindings(addrs, namesReachedByAllow(entries, reached), "Address"));
  }
  findings.sort((x, y) => x.line - y.line);
  return { format: "junos", entries, findings, lineCount: countLines(text), notes };
}
