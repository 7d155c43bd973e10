/**
 * Random iptables and nftables rulesets from a seeded PRNG, for the differential tests against the kernel: user
 * chains, jumps, RETURN, goto, interfaces (loopback, docker0, the lab's own veth, wildcards), conntrack state, TCP
 * flags, multiport, port ranges, negations, address ranges, ipsets / nft sets, several base chains with priorities,
 * policies. Addresses come from a pool the lab's client holds, so every rule is about sources that really connect.
 */

import { formatAddress, makeAddress, parseAddress } from "../ip";
import { samplePrng } from "../parse/vendors/samples";

export interface Gen {
  readonly next: () => number;
  int(n: number): number;
  pick<T>(xs: readonly T[]): T;
  chance(p: number): boolean;
}

export function gen(seed: number): Gen {
  const next = samplePrng(seed);
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (xs) => xs[Math.floor(next() * xs.length)]!,
    chance: (p) => next() < p,
  };
}

function num(a: string): bigint {
  const r = parseAddress(a);
  if (!r.ok) throw new Error(a);
  return r.value.value;
}

function fmt(n: bigint, family: 4 | 6): string {
  return formatAddress(makeAddress(family, n));
}

function familyOf(a: string): 4 | 6 {
  return a.includes(":") ? 6 : 4;
}

/** The network of `a` at prefix length `len`. */
function network(a: string, len: number): string {
  const family = familyOf(a);
  const bits = family === 4 ? 32 : 128;
  const mask = ((1n << BigInt(bits)) - 1n) ^ ((1n << BigInt(bits - len)) - 1n);
  return `${fmt(num(a) & mask, family)}/${len}`;
}

/** Each address and its neighbours n-1 and n+1, deduplicated and sorted (IPv4 first). */
export function withNeighbours(addresses: readonly string[]): string[] {
  const out = new Map<string, [4 | 6, bigint]>();
  for (const a of addresses) {
    const family = familyOf(a);
    for (const d of [-1n, 0n, 1n]) {
      const n = num(a) + d;
      out.set(fmt(n, family), [family, n]);
    }
  }
  return [...out].sort(([, x], [, y]) => x[0] - y[0] || (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0)).map(([a]) => a);
}

/** The interfaces of the lab the rules may name. */
export interface LabInterfaces {
  readonly ingress: string;
  readonly egress: string;
}

/** One generated rule, abstract: rendered to iptables or nft. */
export interface GenRule {
  readonly src?: {
    readonly kind: "addr" | "net" | "list" | "range" | "set";
    readonly values: readonly string[];
    readonly negated: boolean;
  };
  readonly proto?: { readonly name: "tcp" | "udp"; readonly negated: boolean };
  readonly dport?: { readonly ports: readonly (readonly [number, number])[]; readonly negated: boolean };
  readonly iif?: { readonly name: string; readonly negated: boolean };
  readonly oif?: { readonly name: string; readonly negated: boolean };
  readonly state?: { readonly states: readonly string[]; readonly negated: boolean };
  readonly flags?: "syn" | "!syn" | "synonly" | "synack";
  readonly target: {
    readonly kind: "accept" | "drop" | "reject" | "return" | "log" | "jump" | "goto";
    readonly chain?: string;
  };
}

export interface GenSet {
  readonly name: string;
  readonly type: "hash:ip" | "hash:net" | "hash:ip,port";
  readonly members: readonly string[];
  /** ipset "nomatch" exceptions of a hash:net (nft sets have none: they are left out there). */
  readonly nomatch: readonly string[];
}

function address(g: Gen, pool: readonly string[], sets: readonly GenSet[]): GenRule["src"] {
  const negated = g.chance(0.2);
  const a = g.pick(pool);
  switch (g.int(sets.length > 0 ? 6 : 5)) {
    case 0:
    case 1:
      return { kind: "addr", values: [a], negated };
    case 2:
      return {
        kind: "net",
        values: [network(a, g.pick(familyOf(a) === 4 ? [16, 24, 29, 30, 31] : [32, 48, 64, 120, 126, 127]))],
        negated,
      };
    case 3:
      return { kind: "list", values: [a, g.pick(pool)].filter((x, i, xs) => xs.indexOf(x) === i), negated: false }; // iptables refuses "!" with several
    case 4: {
      const b = g.pick(pool);
      return { kind: "range", values: num(a) <= num(b) ? [a, b] : [b, a], negated };
    }
    default:
      return { kind: "set", values: [g.pick(sets).name], negated };
  }
}

const PORTS: readonly (readonly (readonly [number, number])[])[] = [
  [[443, 443]],
  [[22, 22]],
  [[400, 500]],
  [
    [80, 80],
    [443, 443],
  ],
  [[8443, 8443]],
  [[1, 442]],
];

/** A rule of chain `chain` (user chains may RETURN; `later` are the chains it may jump to without a loop). */
export function genRule(
  g: Gen,
  pool: readonly string[],
  sets: readonly GenSet[],
  ifs: LabInterfaces,
  later: readonly string[],
  user: boolean,
  forward: boolean,
): GenRule {
  const r: { -readonly [K in keyof GenRule]: GenRule[K] } = { target: { kind: "accept" } };
  if (g.chance(0.6)) r.src = address(g, pool, sets);
  if (g.chance(0.5)) {
    r.proto = { name: g.chance(0.85) ? "tcp" : "udp", negated: g.chance(0.1) };
    if (!r.proto.negated && g.chance(0.6)) r.dport = { ports: g.pick(PORTS), negated: g.chance(0.15) };
    if (!r.proto.negated && r.proto.name === "tcp" && g.chance(0.15))
      r.flags = g.pick(["syn", "!syn", "synonly", "synack"] as const);
  }
  if (g.chance(0.2)) {
    const name = g.pick([
      "lo",
      "docker0",
      ifs.ingress,
      ifs.ingress,
      `${ifs.ingress.slice(0, 3)}+`,
      "veth1a2b",
      ifs.egress,
    ]);
    r.iif = { name, negated: g.chance(0.3) };
  }
  if (forward && g.chance(0.15)) r.oif = { name: g.pick([ifs.egress, ifs.ingress]), negated: g.chance(0.3) };
  if (g.chance(0.2))
    r.state = {
      states: g.pick([["NEW"], ["ESTABLISHED", "RELATED"], ["INVALID"], ["NEW", "ESTABLISHED"], ["RELATED"]]),
      negated: g.chance(0.2),
    };
  const roll = g.next();
  if (roll < 0.3) r.target = { kind: "accept" };
  else if (roll < 0.5) r.target = { kind: "drop" };
  else if (roll < 0.58) r.target = { kind: "reject" };
  else if (roll < 0.64) r.target = { kind: "log" };
  else if (user && roll < 0.76) r.target = { kind: "return" };
  else if (later.length > 0 && roll < 0.94) r.target = { kind: g.chance(0.75) ? "jump" : "goto", chain: g.pick(later) };
  else r.target = { kind: g.chance(0.5) ? "accept" : "drop" };
  return r;
}

export function genSets(g: Gen, pool: readonly string[], prefix = "x11s"): GenSet[] {
  const sets: GenSet[] = [];
  const count = g.int(3);
  for (let i = 0; i < count; i++) {
    const roll = g.next();
    const type = roll < 0.4 ? "hash:ip" : roll < 0.8 ? "hash:net" : "hash:ip,port";
    const members = new Set<string>();
    const size = 1 + g.int(5);
    for (let k = 0; k < size; k++) {
      const a = g.pick(pool);
      if (type === "hash:ip") members.add(a);
      else if (type === "hash:ip,port") {
        // One port entry per address: a range holding a port already added is refused by ipset.
        const port = g.pick(["tcp:443", "tcp:22", "udp:443", "tcp:400-500"]);
        if (![...members].some((m) => m.startsWith(`${a},`))) members.add(`${a},${port}`);
      } else members.add(network(a, g.pick(familyOf(a) === 4 ? [24, 30, 31, 32] : [48, 64, 127, 128])));
    }
    const nomatch: string[] = [];
    if (type === "hash:net" && g.chance(0.5)) {
      const a = g.pick(pool);
      const x = network(a, g.pick(familyOf(a) === 4 ? [31, 32] : [127, 128]));
      if (!members.has(x)) nomatch.push(x); // an element is either a member or an exception
    }
    // Sets of address and port pairs end in "p": iptables matches them with src,dst (nft has no such set here).
    sets.push({ name: `${prefix}${i}${type === "hash:ip,port" ? "p" : ""}`, type, members: [...members], nomatch });
  }
  return sets;
}

// ---- iptables ----

export interface IptablesCase {
  readonly sets: readonly GenSet[];
  /** ipset restore text (empty when no sets). */
  readonly ipset: string;
  /** iptables-restore text, also what the parser reads (after the ipset text). */
  readonly rules: string;
}

function iptRule(chain: string, r: GenRule): string {
  const w: string[] = ["-A", chain];
  if (r.src) {
    const neg = r.src.negated ? "! " : "";
    if (r.src.kind === "set")
      w.push(
        `-m set ${neg}--match-set ${r.src.values[0]} src${r.src.values[0]!.endsWith("p") && !r.src.values[0]!.endsWith("0p") ? ",dst" : ""}`,
      );
    else if (r.src.kind === "range") w.push(`-m iprange ${neg}--src-range ${r.src.values[0]}-${r.src.values[1]}`);
    else w.push(`${neg}-s ${r.src.values.join(",")}`);
  }
  if (r.iif) w.push(`${r.iif.negated ? "! " : ""}-i ${r.iif.name}`);
  if (r.oif) w.push(`${r.oif.negated ? "! " : ""}-o ${r.oif.name}`);
  if (r.proto) w.push(`${r.proto.negated ? "! " : ""}-p ${r.proto.name}`);
  if (r.dport) {
    const neg = r.dport.negated ? "! " : "";
    const text = r.dport.ports.map(([a, b]) => (a === b ? `${a}` : `${a}:${b}`)).join(",");
    w.push(
      r.dport.ports.length > 1 ? `-m multiport ${neg}--dports ${text}` : `-m ${r.proto!.name} ${neg}--dport ${text}`,
    );
  }
  if (r.flags === "syn") w.push("--syn");
  if (r.flags === "!syn") w.push("! --syn");
  if (r.flags === "synonly") w.push("--tcp-flags SYN,RST,ACK SYN");
  if (r.flags === "synack") w.push("--tcp-flags SYN,ACK SYN,ACK");
  if (r.state) w.push(`-m conntrack ${r.state.negated ? "! " : ""}--ctstate ${r.state.states.join(",")}`);
  const t = r.target;
  w.push(
    t.kind === "accept"
      ? "-j ACCEPT"
      : t.kind === "drop"
        ? "-j DROP"
        : t.kind === "reject"
          ? "-j REJECT"
          : t.kind === "return"
            ? "-j RETURN"
            : t.kind === "log"
              ? "-j LOG"
              : t.kind === "jump"
                ? `-j ${t.chain}`
                : `-g ${t.chain}`,
  );
  return w.join(" ");
}

/** A random IPv4 iptables ruleset for the input or the forward path. */
export function genIptables(g: Gen, pool: readonly string[], ifs: LabInterfaces, forward: boolean): IptablesCase {
  const v6 = pool[0]!.includes(":");
  const sets = genSets(g, pool, v6 ? "x11t" : "x11s");
  // Each table as iptables-save writes it: its own header line, which also tells the family.
  const header = `# Generated by ip${v6 ? "6" : ""}tables-save v1.8.9`;
  // IPv6 needs neighbour discovery (ICMPv6) through every chain that sees it, as every ip6tables ruleset allows.
  const nd = (chain: string) => (v6 ? [`-A ${chain} -p ipv6-icmp -j ACCEPT`] : []);
  const base = forward ? "FORWARD" : "INPUT";
  /** Lets the replies from the host behind through a chain they cross (only on the forward path). */
  const replies = (chain: string) => `-A ${chain} -i ${ifs.egress} -j ACCEPT`;
  const chains = Array.from({ length: g.int(4) }, (_, i) => `X${i}`);
  const lines: string[] = [];
  // Sometimes a raw or mangle PREROUTING rule: they run before filter and can drop a SYN too.
  if (g.chance(0.25)) {
    lines.push(header, "*raw", ":PREROUTING ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]", ...nd("PREROUTING"));
    if (forward) lines.push(replies("PREROUTING"));
    for (let i = 0; i < 1 + g.int(2); i++) {
      const r = genRule(g, pool, sets, ifs, [], false, false);
      const kind =
        r.target.kind === "jump" || r.target.kind === "goto" || r.target.kind === "return" || r.target.kind === "reject"
          ? "drop"
          : r.target.kind;
      lines.push(iptRule("PREROUTING", { ...r, oif: undefined, target: { kind } } as GenRule));
    }
    lines.push("COMMIT");
  }
  if (g.chance(0.25)) {
    lines.push(
      header,
      "*mangle",
      ":PREROUTING ACCEPT [0:0]",
      `:${base} ${g.chance(0.2) ? "DROP" : "ACCEPT"} [0:0]`,
      ...nd("PREROUTING"),
      ...(base === "INPUT" ? nd("INPUT") : []),
    );
    if (forward) lines.push(replies("PREROUTING"), replies("FORWARD"));
    for (let i = 0; i < 1 + g.int(2); i++) {
      const chain = g.chance(0.5) ? "PREROUTING" : base;
      const r = genRule(g, pool, sets, ifs, [], false, false);
      const kind =
        r.target.kind === "jump" || r.target.kind === "goto" || r.target.kind === "return" || r.target.kind === "reject"
          ? "drop"
          : r.target.kind;
      lines.push(iptRule(chain, { ...r, oif: chain === "FORWARD" ? r.oif : undefined, target: { kind } } as GenRule));
    }
    lines.push("COMMIT");
  }
  lines.push(
    header,
    "*filter",
    `:INPUT ${g.chance(0.5) ? "DROP" : "ACCEPT"} [0:0]`,
    `:FORWARD ${g.chance(0.5) ? "DROP" : "ACCEPT"} [0:0]`,
    ":OUTPUT ACCEPT [0:0]",
  );
  for (const c of chains) lines.push(`:${c} - [0:0]`);
  // The packets after the SYN (the client's ACK; on the forward path the replies too) must not be rejected, or the
  // client sees a refused connection although the SYN passed: the usual first rule of a stateful firewall.
  lines.push(...nd("INPUT"), `-A ${base} -m conntrack --ctstate ESTABLISHED -j ACCEPT`);
  if (forward) lines.push(`-A FORWARD -i ${ifs.egress} -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT`);
  const n = 2 + g.int(6);
  for (let i = 0; i < n; i++) lines.push(iptRule(base, genRule(g, pool, sets, ifs, chains, false, forward)));
  chains.forEach((c, ci) => {
    const m = 1 + g.int(4);
    for (let i = 0; i < m; i++)
      lines.push(iptRule(c, genRule(g, pool, sets, ifs, chains.slice(ci + 1), true, forward)));
  });
  // The other path's chain gets a rule too: it must not count.
  lines.push(
    iptRule(forward ? "INPUT" : "FORWARD", {
      src: { kind: "addr", values: [g.pick(pool)], negated: false },
      target: { kind: "drop" },
    }),
  );
  lines.push("COMMIT");
  const ipset = sets
    .flatMap((s) => [
      `create ${s.name} ${s.type} family inet${v6 ? "6" : ""}`,
      ...s.members.map((m) => `add ${s.name} ${m}`),
      ...s.nomatch.map((m) => `add ${s.name} ${m} nomatch`),
    ])
    .join("\n");
  return { sets, ipset: ipset ? ipset + "\n" : "", rules: lines.join("\n") + "\n" };
}

// ---- nftables ----

function nftAddr(src: NonNullable<GenRule["src"]>, setNames: ReadonlySet<string>, ip: "ip" | "ip6"): string {
  const op = src.negated ? "!= " : "";
  if (src.kind === "set") return setNames.has(src.values[0]!) ? `${ip} saddr ${op}@${src.values[0]}` : "";
  if (src.kind === "range") return `${ip} saddr ${op}${src.values[0]}-${src.values[1]}`;
  if (src.kind === "list") return `${ip} saddr ${op}{ ${src.values.join(", ")} }`;
  return `${ip} saddr ${op}${src.values[0]}`;
}

function nftPorts(ports: readonly (readonly [number, number])[]): string {
  const t = ports.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`));
  return t.length > 1 ? `{ ${t.join(", ")} }` : t[0]!;
}

const VERDICT: Record<string, string> = {
  accept: "accept",
  drop: "drop",
  reject: "reject",
  return: "return",
  log: "log",
};

function nftRule(
  g: Gen,
  r0: GenRule,
  setNames: ReadonlySet<string>,
  pool: readonly string[],
  o: { readonly v4: boolean; readonly noReject: boolean },
): string {
  // reject is refused on the prerouting hook (and in chains it may jump to); `pool` is of one family (o.v4).
  const r: GenRule = { ...r0, target: o.noReject && r0.target.kind === "reject" ? { kind: "drop" } : r0.target };
  const ip = o.v4 ? "ip" : "ip6";
  const w: string[] = [];
  if (r.iif) w.push(`iifname ${r.iif.negated ? "!= " : ""}"${r.iif.name.replace(/\+$/, "*")}"`);
  if (r.oif) w.push(`oifname ${r.oif.negated ? "!= " : ""}"${r.oif.name}"`);
  if (r.src) w.push(nftAddr(r.src, setNames, ip));
  if (r.proto) {
    const p = r.proto.name;
    if (r.dport && !r.proto.negated) {
      const style = g.int(3);
      const ports = `${r.dport.negated ? "!= " : ""}${nftPorts(r.dport.ports)}`;
      if (style === 0) w.push(`${p} dport ${ports}`);
      else if (style === 1) w.push(`meta l4proto ${p} th dport ${ports}`);
      else if (o.v4) w.push(`ip protocol ${p} ${p} dport ${ports}`);
      else w.push(`${p} dport ${ports}`);
    } else w.push(`meta l4proto ${r.proto.negated ? "!= " : ""}${p}`);
  }
  if (r.flags === "syn") w.push("tcp flags syn");
  if (r.flags === "!syn") w.push("tcp flags & (syn | ack) != syn");
  if (r.flags === "synonly") w.push("tcp flags & (syn | rst | ack) == syn");
  if (r.flags === "synack") w.push("tcp flags & (syn | ack) == syn | ack");
  if (r.state) {
    const s = r.state.states.map((x) => x.toLowerCase());
    w.push(
      `ct state ${r.state.negated ? "!= " : ""}${s.length > 1 && g.chance(0.5) ? `{ ${s.join(", ")} }` : s.join(",")}`,
    );
  }
  // Sometimes a verdict map or a concatenation instead of the plain verdict.
  const t = r.target;
  if (g.chance(0.12) && t.kind !== "log") {
    const a = g.pick(pool);
    const b = g.pick(pool);
    const v = (k: string) => (k === "jump" || k === "goto" ? `${k} ${t.chain}` : k === "reject" ? "drop" : VERDICT[k]); // a verdict map holds no reject
    if (a !== b && g.chance(0.5))
      return [...w, `${ip} saddr vmap { ${a} : ${v(t.kind)}, ${b} : ${g.pick(["accept", "drop"])} }`].join(" ");
    if (!w.some((x) => x.includes("dport")) && !r.proto)
      return [...w, `${ip} saddr . tcp dport { ${a} . 443, ${b} . 22 } ${v(t.kind)}`].join(" ");
  }
  if (g.chance(0.05)) w.push("counter");
  w.push(t.kind === "jump" || t.kind === "goto" ? `${t.kind} ${t.chain}` : VERDICT[t.kind]!);
  return w.filter((x) => x !== "").join(" ");
}

export interface NftCase {
  readonly rules: string;
}

const PRIORITIES: readonly string[] = ["-10", "0", "filter", "filter + 5", "10", "security"];

/** A random nftables ruleset: one or two tables (inet, ip, sometimes an ip6 one that IPv4 must not notice). */
export function genNft(
  g: Gen,
  pool: readonly string[],
  ifs: LabInterfaces,
  forward: boolean,
  pool6: readonly string[] = [],
): NftCase {
  const out: string[] = [];
  const hook = forward ? "forward" : "input";
  const tables = g.chance(0.5)
    ? [["inet", "t0"]]
    : [
        ["inet", "t0"],
        [g.pick(["ip", "ip6", "ip"]), "t1"],
      ];
  for (const [family, name] of tables) {
    const sets = genSets(g, pool);
    const sets6 = pool6.length > 0 ? genSets(g, pool6, "x11u") : [];
    const setNames = new Set<string>();
    out.push(`table ${family} ${name} {`);
    for (const [list, type] of [
      [family !== "ip6" ? sets : [], "ipv4_addr"],
      [family !== "ip" ? sets6 : [], "ipv6_addr"],
    ] as const) {
      for (const s of list) {
        if (s.type === "hash:ip,port") continue;
        setNames.add(s.name);
        out.push(
          `\tset ${s.name} {`,
          `\t\ttype ${type}`,
          ...(s.type === "hash:net" ? ["\t\tflags interval", "\t\tauto-merge"] : []),
          `\t\telements = { ${s.members.join(", ")} }`,
          "\t}",
        );
      }
    }
    /** Rules of an inet table are about either family; an ip6 table's about IPv6 (with no IPv6 pool: no sources). */
    const rule = (chains: readonly string[], user: boolean, fwd: boolean, noReject: boolean): string => {
      const six = pool6.length > 0 && (family === "ip6" || (family === "inet" && g.chance(0.5)));
      const r = genRule(g, six ? pool6 : pool, six ? sets6 : sets, ifs, chains, user, fwd);
      const fixed = family === "ip6" && !six ? { ...r, src: undefined } : r;
      return nftRule(g, fixed, setNames, six ? pool6 : pool, { v4: !six && family !== "ip6", noReject });
    };
    const chains = Array.from({ length: g.int(4) }, (_, i) => `c${i}`);
    const base: [string, string][] = [];
    const n = 1 + g.int(2);
    for (let i = 0; i < n; i++) base.push([hook, g.pick(PRIORITIES)]);
    if (g.chance(0.3)) base.push(["prerouting", g.pick(["raw", "mangle", "-150", "0"])]);
    base.forEach(([h, prio], bi) => {
      const head = `type filter hook ${h} priority ${prio}; policy ${g.chance(0.5) ? "drop" : "accept"};`;
      // Every second base chain is declared on its "{" line, as hand-written configs often do (the rules follow a
      // line each): the reader once read such a chain's rules as one rule. Chosen by position, not drawn, so the
      // random sequence of every seed stays what it was.
      if (bi % 2 === 1) out.push(`\tchain b${bi}_${h} { ${head}`);
      else out.push(`\tchain b${bi}_${h} {`, `\t\t${head}`);
      // The replies of a forwarded connection cross prerouting and forward too: let them back.
      if (forward) out.push(`\t\tiifname "${ifs.egress}" accept`);
      if (h !== "prerouting") out.push("\t\tct state established accept");
      // IPv6 needs neighbour discovery through every chain that sees it.
      if (pool6.length > 0 && family !== "ip") out.push("\t\tmeta l4proto ipv6-icmp accept");
      const m = 1 + g.int(5);
      for (let k = 0; k < m; k++)
        out.push(`\t\t${rule(chains, false, forward && h === "forward", h === "prerouting")}`);
      out.push("\t}");
    });
    chains.forEach((c, ci) => {
      out.push(`\tchain ${c} {`);
      const m = 1 + g.int(4);
      for (let k = 0; k < m; k++) out.push(`\t\t${rule(chains.slice(ci + 1), true, false, true)}`);
      out.push("\t}");
    });
    out.push("}");
  }
  return { rules: out.join("\n") + "\n" };
}
