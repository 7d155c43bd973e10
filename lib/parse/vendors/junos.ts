/**
 * Juniper SRX configuration in `set` format: address books (global, named, or the older per-zone ones) with
 * addresses (prefix, range-address, wildcard-address, dns-name) and address-sets, applications and
 * application-sets, and security policies (match source-address / source-address-excluded / application, then
 * permit|deny|reject). Evaluation order: zone-pair policies in the order they first appear, then global policies,
 * then the default policy. Zones say nothing reliable about direction: read as "in".
 * Firewall filters (`set firewall [family inet|inet6] filter F term T from … then …`) with prefix lists follow, each
 * filter's direction taken from the interfaces that apply it (`family inet filter input|output F`).
 */
import { IPSet, parseAddress, parseNetmask, parsePrefixOrAddress, makePrefix, makeRange } from "../../ip";
import type { Direction, Entry, Finding, ParseOptions, ParseOutput, Parser, PathContext, PathInfo, PortRange } from "../types";
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
  /** Zone pair ("" for global policies, whose optional from-zone/to-zone matches are in `fromZones`/`toZones`). */
  readonly from: string;
  readonly to: string;
  readonly fromZones: string[];
  readonly toZones: string[];
  scheduler?: string;
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
  /** `from tcp-established` (never a SYN) or a source port (the client's is ephemeral). */
  established?: Line;
  sourcePorts?: string;
  inactive?: Line;
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

function parseJunos(text: string, options: ParseOptions = {}): ParseOutput {
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
  /** `interfaces IF unit U family inet filter input|output F` in paste order. */
  const bindings: { iface: string; family: 4 | 6; dir: "in" | "out"; filters: string[]; line: Line }[] = [];
  const zoneInterfaces = new Map<string, string[]>();
  const zoneNames: string[] = [];
  const descriptions = new Map<string, string>();

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

  const policyLine = (table: Map<string, Policy>, key: string, name: string, w: readonly string[], i: number, line: Line, from = "", to = ""): void => {
    let p = table.get(key);
    if (!p) {
      p = { name, line, sources: [], destinations: [], applications: [], from, to, fromZones: [], toZones: [] };
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
      else if (what === "from-zone") p.fromZones.push(...vals);
      else if (what === "to-zone") p.toZones.push(...vals);
      // Zones, identities and dynamic applications narrow the rule but do not change its sources.
    } else if (k === "then") {
      const what = w[i + 1];
      if (what === "permit" || what === "deny" || what === "reject") {
        p.action = { word: what, line };
      }
      // "then log …", "then count": no effect on the verdict.
    } else if (k === "inactive") {
      p.inactive = line;
    } else if (k === "scheduler-name") {
      p.scheduler = w[i + 1];
    } else if (k === undefined || !IRRELEVANT_POLICY_WORDS.has(k)) {
      findings.push(finding(line, "not-understood", "This policy line is not understood."));
    }
  };

  /** `… filter F term T from|then …` with w[i] = F. */
  const filterLine = (family: 4 | 6, w: readonly string[], i: number, line: Line, deactivate = false): void => {
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
    if (deactivate) {
      if (w.length === i + 3) t.inactive = line;
      return;
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
      else if (what === "tcp-established") t.established = line;
      else if (what === "source-port") t.sourcePorts = vals.join(" ");
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
        policyLine(zonePolicies, key, zoneName, deactivate ? ["inactive"] : w, deactivate ? 0 : j + 6, line, w[j + 1], w[j + 3]);
      } else if (w[j] === "global" && w[j + 1] === "policy" && globalName !== undefined) {
        policyLine(globalPolicies, globalName, globalName, deactivate ? ["inactive"] : w, deactivate ? 0 : j + 3, line);
      } else if (w[j] === "default-policy" && w[j + 1] !== undefined && !deactivate) {
        defaultPolicy = { word: w[j + 1]!, line };
      }
    } else if (k === "applications" && w[i + 1] === "application") {
      if (!deactivate) application(w, i + 2, line);
    } else if (k === "applications" && w[i + 1] === "application-set" && w[i + 2] !== undefined) {
      if (!deactivate && (w[i + 3] === "application" || w[i + 3] === "application-set")) appSets.push({ name: w[i + 2]!, ref: w[i + 4] ?? "", line });
    } else if (k === "security" && w[i + 1] === "zones" && w[i + 2] === "security-zone" && w[i + 3] !== undefined && !deactivate) {
      const zone = w[i + 3]!;
      if (!zoneNames.includes(zone)) zoneNames.push(zone);
      if (w[i + 4] === "interfaces" && w[i + 5] !== undefined) {
        const list = zoneInterfaces.get(zone) ?? [];
        list.push(w[i + 5]!);
        zoneInterfaces.set(zone, list);
      }
    } else if (k === "firewall") {
      if (w[i + 1] === "family" && (w[i + 2] === "inet" || w[i + 2] === "inet6") && w[i + 3] === "filter") {
        filterLine(w[i + 2] === "inet" ? 4 : 6, w, i + 4, line, deactivate);
      } else if (w[i + 1] === "filter") filterLine(4, w, i + 2, line, deactivate);
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
      const iface = w[i + 2] === "unit" && w[i + 3] !== undefined ? `${w[i + 1]}.${w[i + 3]}` : (w[i + 1] ?? "");
      if (w[i + 2] === "description" || w[i + 4] === "description") descriptions.set(iface, w.slice(w.indexOf("description") + 1).join(" "));
      if (at > 0 && (fam === "inet" || fam === "inet6") && w[at - 2] === "family" && dir !== undefined) {
        const names = w[at + 2] === "[" ? w.slice(at + 3, w.indexOf("]", at + 3) < 0 ? w.length : w.indexOf("]", at + 3)) : w.slice(at + 2, at + 3);
        bindings.push({ iface, family: fam === "inet" ? 4 : 6, dir: dir.startsWith("input") ? "in" : "out", filters: names, line });
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
  const contexts: PathContext[] = [];
  const route = junosIngress(options, zoneNames, zoneInterfaces, descriptions, bindings, [...zonePolicies.values()]);

  /** Emits a policy's entries; returns the condition a new connection from the Internet-facing zone cannot meet. */
  const emitPolicy = (p: Policy): string | undefined => {
    ruleCount++;
    const inactive = p.inactive ? "deactivated" : undefined;
    if (!p.action) {
      // A deactivated policy whose statements were deactivated with it decides nothing: say so, not "not understood".
      if (p.inactive) findings.push(finding(p.line, "note", `Policy "${p.name}" is deactivated: it does not filter traffic.`));
      else findings.push(finding(p.line, "not-understood", `Policy "${p.name}" has no "then permit|deny|reject": not read.`));
      return undefined;
    }
    const action = p.action.word === "permit" ? "allow" : "deny";
    const zoneUnmet =
      p.from !== ""
        ? route.zone !== undefined && !sameName(p.from, route.zone)
          ? `from-zone ${p.from}, not the Internet-facing zone ${route.zone}`
          : undefined
        : route.zone !== undefined && p.fromZones.length > 0 && !p.fromZones.some((z) => z === "any" || sameName(z, route.zone!))
          ? `from-zone ${p.fromZones.join(", ")}, not the Internet-facing zone ${route.zone}`
          : undefined;
    const conditions = p.scheduler !== undefined ? [`only during scheduler ${p.scheduler}`] : [];
    const unmet = joinUnmet(inactive, zoneUnmet, conditionalUnmet(action, conditions));
    const svc: ServiceTerm[] = [];
    for (const a of p.applications) svc.push(...services.resolve(a.word, a.line, findings).map((r) => r.value));
    if (p.applications.length > 0 && svc.length === 0) return unmet;
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
      const others = negatedSources(sources, [4, 6], ruleLine, `not ${p.sources.map((x) => x.word).join(" ")}`);
      emitRule(entries, others, { line: ruleLine, action, direction: "in", services: svc });
      return unmet;
    }
    emitRule(entries, sources, { line: ruleLine, action, direction: "in", services: svc });
    return unmet;
  };

  // Firewall filters first: the input filter of the Internet-facing interface sees the packet before the security
  // policies (on an SRX) or alone (on a router). lo0 filters guard the device itself: a separate path.
  const filterContext = (names: readonly { family: 4 | 6; name: string }[], ctx: Omit<PathContext, "fallthrough">, direction: Direction): void => {
    const c = contexts.length;
    contexts.push({ ...ctx, fallthrough: "deny" });
    for (const { family, name } of names) {
      const f = filters.get(`${family} ${name}`);
      if (f === undefined) continue;
      for (const t of f.terms.values()) {
        ruleCount++;
        const from = entries.length;
        const unmet = emitFilterTerm(f, t, direction);
        tagEntries(entries, from, c, unmet);
      }
    }
  };
  const used = new Set<string>();
  const input = options.path === "input";
  const onIngress = bindings.filter((b) => b.dir === "in" && route.ifaces.some((i) => sameIface(i, b.iface)));
  if (onIngress.length > 0) {
    const names = onIngress.flatMap((b) => b.filters.map((name) => ({ family: b.family, name })));
    for (const n of names) used.add(`${n.family} ${n.name}`);
    filterContext(
      names,
      {
        name: `filter ${[...new Set(names.map((n) => n.name))].join(", ")} input on ${[...new Set(onIngress.map((b) => b.iface))].join(", ")}`,
        line: onIngress[0]!.line.n,
        text: onIngress[0]!.line.text,
        onPath: !input,
        reason: input
          ? "--path input: the service is the device itself, guarded by the lo0 filter"
          : "The input filter of the Internet-facing interface: terms in order, a term without a terminating action accepts, no match is discarded.",
      },
      "in",
    );
  }
  for (const b of bindings) {
    const fresh = b.filters.filter((name) => !used.has(`${b.family} ${name}`));
    if (fresh.length === 0) continue;
    for (const name of fresh) used.add(`${b.family} ${name}`);
    const lo0 = /^lo0(?:\.|$)/.test(b.iface);
    const onPath = lo0 && b.dir === "in" && input;
    filterContext(
      fresh.map((name) => ({ family: b.family, name })),
      {
        name: `filter ${fresh.join(", ")} ${b.dir === "in" ? "input" : "output"} on ${b.iface}`,
        line: b.line.n,
        text: b.line.text,
        onPath,
        reason: onPath
          ? "--path input: the lo0 input filter guards traffic to the device itself (Routing Engine)."
          : lo0
            ? "a lo0 filter guards traffic to the device itself (Routing Engine), not to a service behind it (--path input to read it)"
            : b.dir === "out"
              ? `an output filter on ${b.iface}: it filters traffic leaving that interface (egress)`
              : `an input filter on ${b.iface}, not on the Internet-facing interface${route.ifaces.length > 0 ? ` ${route.ifaces.join(", ")}` : ""}`,
      },
      b.dir === "out" ? "out" : "in",
    );
  }
  for (const [key, f] of filters) {
    if (used.has(key)) continue;
    filterContext([{ family: f.family, name: f.name }], { name: `filter ${f.name}`, line: f.line.n, text: f.line.text, onPath: false, reason: "not applied to any interface" }, "unknown");
  }

  // Security policies: from the Internet-facing zone to each zone it reaches (the service's zone is one of them: all
  // must let the connection through), then the global policies, then the default policy.
  const toZones = [...new Set([...zonePolicies.values()].filter((p) => route.zone === undefined || sameName(p.from, route.zone)).map((p) => p.to))];
  const fallthrough = defaultPolicy?.word === "permit-all" ? "allow" : "deny";
  const policyContext = (to: string | undefined, onPath: boolean, reason: string, policies: readonly Policy[]): void => {
    const c = contexts.length;
    contexts.push({
      name: to === undefined ? "security policies (global)" : `security policies from ${route.zone ?? "any zone"} to ${to}, then global`,
      line: defaultPolicy?.line.n ?? 0,
      text: defaultPolicy?.line.text ?? "",
      fallthrough,
      onPath,
      reason,
    });
    for (const p of policies) {
      const from = entries.length;
      const unmet = emitPolicy(p);
      tagEntries(entries, from, c, unmet);
    }
  };
  const globals = [...globalPolicies.values()];
  const globalFor = (to: string | undefined) => globals.filter((g) => to === undefined || g.toZones.length === 0 || g.toZones.some((z) => z === "any" || sameName(z, to)));
  if (toZones.length === 0 && (globals.length > 0 || defaultPolicy !== undefined || zonePolicies.size > 0)) {
    policyContext(undefined, true, `Global policies in order, then the default policy (${fallthrough === "allow" ? "permit-all" : "deny-all"}).`, globals);
  }
  for (const to of toZones) {
    const pair = [...zonePolicies.values()].filter((p) => p.to === to && (route.zone === undefined || sameName(p.from, route.zone)));
    policyContext(
      to,
      true,
      `Zone-pair policies in order, then the global policies, then the default policy (${fallthrough === "allow" ? "permit-all" : "deny-all"}).${toZones.length > 1 ? " The service's zone is not known: every zone reached from the Internet-facing one must let the connection through." : ""}`,
      [...pair, ...globalFor(to)],
    );
  }
  const others = [...zonePolicies.values()].filter((p) => route.zone !== undefined && !sameName(p.from, route.zone));
  if (others.length > 0) {
    policyContext(undefined, false, `from another zone than the Internet-facing ${route.zone}`, others);
    contexts[contexts.length - 1] = { ...contexts[contexts.length - 1]!, name: "security policies from other zones" };
  }

  function sameIface(a: string, b: string): boolean {
    return sameName(a, b) || sameName(`${a}.0`, b) || sameName(a, `${b}.0`);
  }

  /** Emits a term's entries; returns the condition a new inbound SYN cannot meet, if any. */
  function emitFilterTerm(f: Filter, t: FilterTerm, direction: Direction): string | undefined {
    // A term without a terminating action accepts, unless it only hands over to the next term.
    if (!t.action && t.nextTerm) return undefined;
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
    const unmet = joinUnmet(
      t.inactive ? "deactivated" : undefined,
      t.established ? "tcp-established: only packets with ACK or RST set, never a new connection's SYN" : undefined,
      conditionalUnmet(action, t.sourcePorts !== undefined ? [`only source port ${t.sourcePorts} (a client's source port is ephemeral)`] : []),
    );
    const excluded = t.sources.filter((s) => s.except);
    if (excluded.length > 0) {
      // The most specific listed prefix decides whether an address matches: "except" ones do not match the term (the
      // packet goes on to the next term). Applied from the shortest prefix to the longest, exactly.
      const listed = t.sources.flatMap((s) => resolve(s).map((r) => ({ r, except: s.except })));
      listed.sort((a, b) => (a.r.value.prefix?.bits ?? 0) - (b.r.value.prefix?.bits ?? 0));
      let set = IPSet.empty();
      for (const { r, except } of listed) {
        const one = IPSet.fromRanges([r.value.range]);
        set = except ? set.difference(one) : set.union(one);
      }
      const token = t.sources.map((s) => `${s.word}${s.except ? " except" : ""}`).join(" ");
      const sources = set.ranges.map((range) => ({ value: { token, range, kind: "range" as const }, line: ruleLine, via: [] }));
      emitRule(entries, sources, { line: ruleLine, action, direction, services: svc });
      return unmet;
    }
    const sources =
      t.sources.length === 0 ? [{ value: anyTerm("any", f.family), line: t.line, via: [] }] : t.sources.flatMap(resolve);
    emitRule(entries, sources, { line: ruleLine, action, direction, services: svc });
    return unmet;
  }

  const notes: string[] = [];
  if (ruleCount === 0 && members.length > 0) {
    objectsAsAllowlist(members, (n) => addrs.has(n), entries, findings);
    notes.push(OBJECTS_ONLY_NOTE);
  } else if (ruleCount > 0) {
    findings.push(...unusedObjectFindings(addrs, namesReachedByAllow(entries, reached), "Address"));
  }
  findings.sort((x, y) => x.line - y.line);
  const out: ParseOutput = { format: "junos", entries, findings, lineCount: countLines(text), notes };
  if (ruleCount === 0 || contexts.length === 0) return out;
  const path: PathInfo = {
    contexts,
    kind: input ? "input" : "forward",
    ...(route.zone !== undefined ? { ingress: route.zone } : route.ifaces[0] !== undefined ? { ingress: route.ifaces[0] } : {}),
    assumption: `${route.zone !== undefined ? `Internet-facing zone: ${route.zone} (${route.zoneWhy})` : zonePolicies.size + globalPolicies.size > 0 ? "No zone is named like untrust" : "No security policies"}${route.ifaces.length > 0 ? `; interface ${route.ifaces.join(", ")} (${route.ifaceWhy}), whose input filter is read` : ""}; the service is ${input ? "the device itself (lo0 filter)" : "behind the device"}. Override with --ingress ZONE|IFACE or --path.`,
  };
  return { ...out, path };
}

/** Which zone and interfaces face the Internet: given, or named/described so, or the only ones in use. */
function junosIngress(
  options: ParseOptions,
  zoneNames: readonly string[],
  zoneInterfaces: ReadonlyMap<string, readonly string[]>,
  descriptions: ReadonlyMap<string, string>,
  bindings: readonly { iface: string; dir: "in" | "out" }[],
  policies: readonly Policy[],
): { zone?: string; zoneWhy: string; ifaces: string[]; ifaceWhy: string } {
  const policyZones = [...new Set(policies.map((p) => p.from))];
  const allZones = [...zoneNames, ...policyZones.filter((z) => !zoneNames.includes(z))];
  const given = options.ingress;
  const givenIsIface = given !== undefined && (bindings.some((b) => sameName(b.iface, given) || sameName(b.iface, `${given}.0`)) || descriptions.has(given));
  let zone: string | undefined;
  let zoneWhy = "";
  if (given !== undefined && !givenIsIface) [zone, zoneWhy] = [given, "given"];
  else if (given !== undefined) {
    const z = [...zoneInterfaces].find(([, ifs]) => ifs.some((i) => sameName(i, given) || sameName(i, `${given}.0`)));
    if (z) [zone, zoneWhy] = [z[0], `the zone of ${given}`];
  }
  if (zone === undefined && given === undefined) {
    const named = allZones.find((z) => looksInternetFacing(z));
    if (named !== undefined) [zone, zoneWhy] = [named, "its name"];
    else if (policyZones.length === 1) [zone, zoneWhy] = [policyZones[0]!, "the only from-zone of the policies"];
    else if (policyZones.length > 1) [zone, zoneWhy] = [policyZones[0]!, "the first from-zone of the policies; none is named like untrust"];
  }
  let ifaces: string[] = [];
  let ifaceWhy = "";
  if (givenIsIface) [ifaces, ifaceWhy] = [[given!], "given"];
  else if (zone !== undefined && (zoneInterfaces.get(zone)?.length ?? 0) > 0) [ifaces, ifaceWhy] = [[...zoneInterfaces.get(zone)!], `in zone ${zone}`];
  else {
    const described = [...descriptions].filter(([, d]) => looksInternetFacing(d)).map(([i]) => i);
    if (described.length > 0) [ifaces, ifaceWhy] = [described, "its description"];
    else {
      const inputs = [...new Set(bindings.filter((b) => b.dir === "in" && !/^lo0(?:\.|$)/.test(b.iface)).map((b) => b.iface))];
      if (inputs.length === 1) [ifaces, ifaceWhy] = [inputs, "the only interface with an input filter"];
      else if (inputs.length > 1) {
        const named = inputs.find((i) => looksInternetFacing(i));
        [ifaces, ifaceWhy] = named ? [[named], "its name"] : [[inputs[0]!], "the first interface with an input filter; none is described as Internet-facing"];
      }
    }
  }
  return { ...(zone !== undefined ? { zone } : {}), zoneWhy, ifaces, ifaceWhy };
}
