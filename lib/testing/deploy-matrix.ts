// Test-only (node:*): the real-packet deployment matrix of the Linux exports. Each cell builds a fresh lab
// (lib/testing/netlab.ts), loads an admin's default-drop base policy, applies exports the way their headers say,
// and asserts exactly which (source, port) pairs connect. Used by lib/export/formats/deploy.test.ts and by
// `npx tsx lib/testing/deploy-matrix.ts` (prints the format × deployment matrix).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { PublishedEntry } from "../catalog/types";
import { exportOptionsSchema, prepareExport, renderExport } from "../export/prepare";
import type { Deployment, ExportFormatId, ExportScope } from "../export/types";
import { formatAddress } from "../ip/address";
import { formatPrefix, parsePrefixOrAddress } from "../ip/prefix";
import { IPSet } from "../ip/set";
import type { Address, Family } from "../ip/types";
import { openLab, pairKey, run, type Lab, type RunResult } from "./netlab";

const PRODUCTS = ["Freshchat", "Freddy Self-service"];
const entry = (region: string, cidr: string): PublishedEntry => ({ cidr, region, products: PRODUCTS });

/** The vendor's current catalog: the seed's US and EU addresses plus made-up IPv6 ranges (the seed has none). */
export const catalogNow: readonly PublishedEntry[] = [
  ...[
    "52.1.37.96/32",
    "52.1.32.88/32",
    "18.208.240.77/32",
    "52.201.75.8/32",
    "34.231.139.135/32",
    "34.231.245.167/32",
  ].map((c) => entry("US", c)),
  ...[232, 233, 234, 235, 236, 237, 238, 239].map((n) => entry("US", `44.206.73.${n}/32`)),
  ...[
    "18.184.146.22/32",
    "18.197.127.133/32",
    "3.71.140.232/32",
    "52.29.254.13/32",
    "52.57.253.205/32",
    "18.194.170.216/32",
  ].map((c) => entry("EU", c)),
  ...[8, 9, 10, 11].map((n) => entry("EU", `3.74.148.${n}/32`)),
  entry("US", "2406:da00:ff00::/48"),
  entry("EU", "2a05:d014:1c8::/64"),
  entry("EU", "2a05:d014:1c8:1::/64"),
];

/** Entries a compared list lacks (the delta); the rest of the selection is what the device already allows. */
const DELTA = new Set([
  "52.1.37.96/32",
  "44.206.73.236/32",
  "44.206.73.237/32",
  "3.74.148.10/32",
  "2a05:d014:1c8:1::/64",
]);
/** Published earlier, withdrawn since: a sync must remove them. */
export const withdrawn: readonly PublishedEntry[] = [
  entry("US", "52.1.37.120/32"),
  entry("EU", "18.184.146.30/32"),
  entry("US", "2406:da00:ff04::/48"),
];
/** The earlier catalog: today's minus the delta plus the withdrawn entries. */
const catalogBefore: readonly PublishedEntry[] = [...catalogNow.filter((e) => !DELTA.has(e.cidr)), ...withdrawn];

export const SSH = 22;

export interface Variant {
  readonly name: string;
  readonly regions?: readonly string[];
  readonly port: number;
  readonly otherPorts: readonly number[];
}

export const variants: readonly Variant[] = [
  { name: "all regions", port: 443, otherPorts: [8443, 9000] },
  { name: "one region (EU)", regions: ["EU"], port: 443, otherPorts: [8443, 9000] },
  { name: "port 8443", port: 8443, otherPorts: [443, 9000] },
];

export type ScenarioId = "base+full" | "base+delta" | "full+delta" | "twice" | "sync";
export const scenarios: readonly ScenarioId[] = ["base+full", "base+delta", "full+delta", "twice", "sync"];
export const deployments: readonly Deployment[] = ["additive", "dedicated"];

/** What the admin's base policy holds besides default drop, established traffic and ssh. */
interface BaseSpec {
  readonly port: number;
  /** The admin's own accept rules for these sources on the port (a hand-made allowlist). */
  readonly ownAllows: readonly string[];
  /** The port is open to everyone (a public service the dedicated export then restricts). */
  readonly openPort: boolean;
}

interface Driver {
  readonly id: ExportFormatId;
  readonly tools: readonly string[];
  readonly families: readonly Family[];
  start?(lab: Lab): Promise<void>;
  /** A shell script for the server namespace that loads the base policy. */
  base(lab: Lab, spec: BaseSpec): string;
  /** A shell script that applies the export file at `path` as its header says. */
  apply(lab: Lab, path: string, content: string): string;
  /** A shell script printing the device state (compared before/after a re-run). */
  dump(lab: Lab): string;
  /** Wraps every script (private configuration directory, private D-Bus). */
  wrap?(lab: Lab, script: string): string;
  env?(lab: Lab): NodeJS.ProcessEnv;
  /** Whether the export prints each removal of a sync. */
  readonly printsRemovals: boolean;
}

function xtablesBase(spec: BaseSpec, families: readonly Family[] = [4, 6]): string {
  const lines: string[] = ["set -e"];
  for (const f of families) {
    const t = f === 4 ? "iptables" : "ip6tables";
    lines.push(
      `${t} -P INPUT DROP`,
      `${t} -A INPUT -i lo -j ACCEPT`,
      `${t} -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT`,
      ...(f === 6 ? [`${t} -A INPUT -p ipv6-icmp -j ACCEPT`] : []),
      `${t} -A INPUT -p tcp --dport ${SSH} -j ACCEPT`,
      ...spec.ownAllows
        .filter((s) => familyOf(s) === f)
        .map((s) => `${t} -A INPUT -s ${s} -p tcp --dport ${spec.port} -j ACCEPT`),
      ...(spec.openPort ? [`${t} -A INPUT -p tcp --dport ${spec.port} -j ACCEPT`] : []),
    );
  }
  return lines.join("\n");
}

const xtablesDump = "iptables -S && ip6tables -S";

const xtables = (id: "iptables" | "ip6tables", family: Family): Driver => ({
  id,
  tools: ["iptables", "ip6tables", "iptables-restore"],
  families: [family],
  base: (_lab, spec) => xtablesBase(spec),
  apply: (_lab, path) => `sh '${path}'`,
  dump: () => xtablesDump,
  printsRemovals: true,
});

const nftables: Driver = {
  id: "nftables",
  tools: ["nft"],
  families: [4, 6],
  base: (_lab, spec) =>
    [
      "nft -f - <<'EOF'",
      "table inet filter {",
      "  chain input {",
      "    type filter hook input priority filter; policy drop;",
      "    ct state established,related accept",
      '    iif "lo" accept',
      "    meta l4proto ipv6-icmp accept",
      `    tcp dport ${SSH} accept`,
      ...spec.ownAllows.map((s) => `    ${familyOf(s) === 4 ? "ip" : "ip6"} saddr ${s} tcp dport ${spec.port} accept`),
      ...(spec.openPort ? [`    tcp dport ${spec.port} accept`] : []),
      "  }",
      "}",
      "EOF",
    ].join("\n"),
  apply: (_lab, path) => `sh '${path}'`,
  dump: () => "nft list ruleset",
  printsRemovals: false,
};

const ipset: Driver = {
  id: "ipset",
  tools: ["ipset", "iptables", "ip6tables"],
  families: [4, 6],
  base: (_lab, spec) => xtablesBase(spec),
  // The header's "# Run: " lines are the rules that use the sets.
  apply: (_lab, path, content) =>
    [
      "set -e",
      `ipset restore -f '${path}'`,
      ...content
        .split("\n")
        .filter((l) => l.startsWith("# Run: "))
        .map((l) => l.slice("# Run: ".length)),
    ].join("\n"),
  dump: () => `${xtablesDump} && ipset save`,
  printsRemovals: false,
};

const ufw: Driver = {
  id: "ufw",
  tools: ["ufw", "iptables"],
  families: [4, 6],
  async start(lab) {
    const r = await run([
      "sh",
      "-c",
      `cp -a /etc/ufw '${join(lab.dir, "ufw")}' && cp -a /etc/default/ufw '${join(lab.dir, "default-ufw")}' && mkdir '${join(lab.dir, "run")}'`,
    ]);
    if (r.status !== 0) throw new Error(`copy ufw configuration: ${r.stderr}`);
  },
  // ufw writes /etc/ufw and /etc/default/ufw (default policies) and locks /run/ufw.lock: all private to the lab.
  wrap: (lab, script) =>
    `unshare -m sh -c ${shq(
      `mount --bind '${join(lab.dir, "ufw")}' /etc/ufw && mount --bind '${join(lab.dir, "default-ufw")}' /etc/default/ufw && mount --bind '${join(lab.dir, "run")}' /run && ${script}`,
    )}`,
  base: (_lab, spec) =>
    [
      "set -e",
      "ufw default deny incoming >/dev/null",
      `ufw allow ${SSH}/tcp >/dev/null`,
      ...spec.ownAllows.map((s) => `ufw allow proto tcp from ${s} to any port ${spec.port} >/dev/null`),
      ...(spec.openPort ? [`ufw allow ${spec.port}/tcp >/dev/null`] : []),
      "ufw --force enable >/dev/null",
    ].join("\n"),
  apply: (_lab, path) => `sh '${path}'`,
  dump: () => "ufw show added && iptables -S && ip6tables -S",
  printsRemovals: true,
};

const BUS_CONFIG = (socket: string) => `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=${socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*"/>
    <allow receive_sender="*"/>
  </policy>
</busconfig>
`;

/** firewalld running inside the server namespace with its own D-Bus daemon and its own copy of /etc/firewalld. */
const firewalld: Driver = {
  id: "firewalld",
  tools: ["firewalld", "firewall-cmd", "dbus-daemon"],
  families: [4, 6],
  env: (lab) => ({ ...process.env, DBUS_SYSTEM_BUS_ADDRESS: `unix:path=${join(lab.dir, "bus")}` }),
  async start(lab) {
    const env = this.env?.(lab);
    const copy = await run(["cp", "-a", "/etc/firewalld", join(lab.dir, "firewalld")]);
    if (copy.status !== 0) throw new Error(`copy /etc/firewalld: ${copy.stderr}`);
    writeFileSync(join(lab.dir, "bus.conf"), BUS_CONFIG(join(lab.dir, "bus")));
    const bus = await lab.sh(
      `dbus-daemon --config-file='${join(lab.dir, "bus.conf")}' --fork --print-pid > '${join(lab.dir, "dbus.pid")}'`,
    );
    if (bus.status !== 0) throw new Error(`dbus-daemon: ${bus.stderr}`);
    const daemon = `unshare -m sh -c ${shq(`mount --bind '${join(lab.dir, "firewalld")}' /etc/firewalld && exec firewalld --nofork --nopid --log-target console`)} > '${join(lab.dir, "firewalld.log")}' 2>&1 &`;
    const started = await lab.sh(
      `${daemon}\nfor i in $(seq 1 100); do firewall-cmd --state >/dev/null 2>&1 && exit 0; sleep 0.2; done; exit 1`,
      env === undefined ? {} : { env },
    );
    if (started.status !== 0) throw new Error(`firewalld did not start: ${started.stderr}`);
  },
  base: (_lab, spec) =>
    [
      "set -e",
      // The default zone (public) allows ssh and rejects the rest.
      ...spec.ownAllows.map(
        (s) =>
          `firewall-cmd --permanent --add-rich-rule='rule family="ipv${familyOf(s)}" source address="${s}" port port="${spec.port}" protocol="tcp" accept' >/dev/null`,
      ),
      ...(spec.openPort ? [`firewall-cmd --permanent --add-port=${spec.port}/tcp >/dev/null`] : []),
      "firewall-cmd --reload >/dev/null",
    ].join("\n"),
  apply: (_lab, path) => `sh '${path}'`,
  dump: () =>
    "firewall-cmd --permanent --list-all && for s in $(firewall-cmd --permanent --get-ipsets); do firewall-cmd --permanent --ipset=$s --get-entries; done && nft list ruleset",
  printsRemovals: true,
};

export const drivers: readonly Driver[] = [
  xtables("iptables", 4),
  xtables("ip6tables", 6),
  nftables,
  ipset,
  ufw,
  firewalld,
];

function shq(text: string): string {
  return `'${text.split("'").join(`'\\''`)}'`;
}

function familyOf(text: string): Family {
  return text.includes(":") ? 6 : 4;
}

const addr = (family: Family, value: bigint): Address => ({ family, value });

/** Every probe source: first and last address of each published prefix and their neighbours, plus a stranger. */
export function probeSources(): string[] {
  const out = new Set<string>(["203.0.113.50", "2001:db8:5::1"]);
  for (const e of [...catalogNow, ...withdrawn]) {
    const p = parsePrefixOrAddress(e.cidr);
    if (!p.ok) throw new Error(e.cidr);
    const f = p.value.address.family;
    const size = 1n << BigInt((f === 4 ? 32 : 128) - p.value.bits);
    const first = p.value.address.value;
    const last = first + size - 1n;
    for (const v of [first - 1n, first, last, last + 1n]) out.add(formatAddress(addr(f, v)));
  }
  return [...out];
}

export interface CellResult {
  readonly format: ExportFormatId;
  readonly deployment: Deployment;
  readonly scenario: ScenarioId;
  readonly variant: string;
  readonly ok: boolean;
  /** Why it failed: unexpected/missing connections, a failing command, a state that changed on re-run. */
  readonly problems: readonly string[];
}

interface Rendered {
  readonly path: string;
  readonly content: string;
}

function renderTo(
  lab: Lab,
  driver: Driver,
  entries: readonly PublishedEntry[],
  variant: Variant,
  scope: ExportScope,
  deployment: Deployment,
  name: string,
): Rendered {
  const options = exportOptionsSchema.parse({
    provider: "Freshworks",
    catalogLabel: "matrix",
    namePrefix: "freshworks",
    ports: String(variant.port),
    scope,
    deployment,
  });
  const result = renderExport(driver.id, entries, options, variant.regions ? { regions: variant.regions } : {});
  if (!result.ok) throw new Error(`render ${driver.id} ${scope} ${deployment}: ${result.errors.join("; ")}`);
  const content = result.files[0]?.content ?? "";
  const path = join(lab.dir, `${name}.${driver.id === "ipset" ? "ipset" : "sh"}`);
  writeFileSync(path, content);
  return { path, content };
}

/** The selection of `entries` for the variant, as prefixes of the families the format holds. */
function selection(entries: readonly PublishedEntry[], variant: Variant, families: readonly Family[]): IPSet {
  const items = prepareExport(
    entries,
    { family: "both", aggregate: true },
    variant.regions ? { regions: variant.regions } : {},
  );
  return IPSet.of(...items.filter((i) => families.includes(i.prefix.address.family)).map((i) => i.prefix));
}

function parseAddress(text: string): Address {
  const p = parsePrefixOrAddress(text);
  if (!p.ok) throw new Error(text);
  return p.value.address;
}

/** Runs one cell in its own lab; never throws (a failure is a problem of the result). */
export async function runCell(
  driver: Driver,
  deployment: Deployment,
  scenario: ScenarioId,
  variant: Variant,
): Promise<CellResult> {
  const problems: string[] = [];
  const sources = probeSources();
  const ports = [variant.port, ...variant.otherPorts, SSH];
  const lab = await openLab(sources, ports);
  try {
    const env = driver.env?.(lab);
    const sh = async (what: string, script: string): Promise<RunResult> => {
      const r = await lab.sh(driver.wrap ? driver.wrap(lab, script) : script, env === undefined ? {} : { env });
      if (r.status !== 0) problems.push(`${what} failed (${r.status}): ${(r.stderr + r.stdout).trim().slice(0, 2000)}`);
      return r;
    };
    await driver.start?.(lab);

    const selected = selection(catalogNow, variant, [4, 6]);
    const inRegions = (e: PublishedEntry) => variant.regions === undefined || variant.regions.includes(e.region);
    const delta = catalogNow.filter((e) => DELTA.has(e.cidr));
    const held = (s: string) => driver.families.includes(familyOf(s));
    const alreadyAllowed = catalogNow.filter((e) => !DELTA.has(e.cidr) && inRegions(e)).map((e) => e.cidr);
    const dedicated = deployment === "dedicated";
    const baseSpec: BaseSpec = {
      port: variant.port,
      ownAllows: scenario === "base+delta" ? alreadyAllowed.filter(held) : [],
      openPort: dedicated,
    };
    if ((await sh("base policy", driver.base(lab, baseSpec))).status !== 0) return done();

    const apply = async (what: string, r: Rendered) => (await sh(what, driver.apply(lab, r.path, r.content))).stdout;
    const full = renderTo(lab, driver, catalogNow, variant, "full", deployment, "full");
    let syncOutput: string | undefined;
    switch (scenario) {
      case "base+full":
        await apply("full export", full);
        break;
      case "base+delta":
        await apply("delta", renderTo(lab, driver, delta, variant, "missing", deployment, "delta"));
        break;
      case "full+delta":
        await apply(
          "earlier full export",
          renderTo(
            lab,
            driver,
            catalogNow.filter((e) => !DELTA.has(e.cidr)),
            variant,
            "full",
            deployment,
            "earlier",
          ),
        );
        await apply("delta", renderTo(lab, driver, delta, variant, "missing", deployment, "delta"));
        break;
      case "twice": {
        await apply("full export", full);
        const before = await sh("dump", driver.dump(lab));
        await apply("full export again", full);
        const after = await sh("dump", driver.dump(lab));
        if (before.stdout !== after.stdout)
          problems.push(`state changed on re-run:\n${lineDiff(before.stdout, after.stdout)}`);
        break;
      }
      case "sync":
        await apply(
          "earlier full export",
          renderTo(lab, driver, catalogBefore, variant, "full", deployment, "earlier"),
        );
        syncOutput = await apply("sync", renderTo(lab, driver, catalogNow, variant, "sync", deployment, "sync"));
        break;
    }

    if (syncOutput !== undefined && driver.printsRemovals) {
      const printed = [...syncOutput.matchAll(/^sync: removing (\S+) from /gm)].map((m) =>
        formatPrefix(canonicalPrefix(m[1] ?? "")),
      );
      // Removed are the earlier export's prefixes the new one does not list (the withdrawn ones, and earlier
      // aggregates that the new list replaces with broader prefixes: those addresses stay allowed).
      const list = (entries: readonly PublishedEntry[]) =>
        prepareExport(entries, { family: "both", aggregate: true }, variant.regions ? { regions: variant.regions } : {})
          .filter((i) => driver.families.includes(i.prefix.address.family))
          .map((i) => formatPrefix(i.prefix));
      const now = new Set(list(catalogNow));
      const want = list(catalogBefore).filter((p) => !now.has(p));
      if (JSON.stringify([...printed].sort()) !== JSON.stringify([...want].sort())) {
        problems.push(`sync printed removals ${JSON.stringify(printed)}, expected ${JSON.stringify(want)}`);
      }
    }

    const connected = await lab.probe(sources, ports);
    const unexpected: string[] = [];
    const missing: string[] = [];
    for (const s of sources) {
      const a = parseAddress(s);
      for (const p of ports) {
        let want: boolean;
        if (p === SSH) want = true;
        else if (p !== variant.port) want = false;
        else if (held(s)) want = selected.contains(a);
        else want = dedicated; // a family the format does not hold keeps the base policy (open for dedicated)
        const got = connected.has(pairKey(s, p));
        if (got && !want) unexpected.push(pairKey(s, p));
        if (!got && want) missing.push(pairKey(s, p));
      }
    }
    const some = (xs: readonly string[]) =>
      `${xs.slice(0, 8).join(", ")}${xs.length > 8 ? ` … (${xs.length} in all)` : ""}`;
    if (unexpected.length > 0) problems.push(`connected but should not: ${some(unexpected)}`);
    if (missing.length > 0) problems.push(`blocked but should connect: ${some(missing)}`);
    return done();
  } catch (error) {
    problems.push(String(error instanceof Error ? (error.stack ?? error.message) : error));
    return done();
  } finally {
    await lab.close();
  }

  function done(): CellResult {
    return { format: driver.id, deployment, scenario, variant: variant.name, ok: problems.length === 0, problems };
  }
}

function canonicalPrefix(text: string) {
  const p = parsePrefixOrAddress(text);
  if (!p.ok) throw new Error(`not an address: ${text}`);
  return p.value;
}

function lineDiff(a: string, b: string): string {
  const left = new Set(a.split("\n"));
  const right = new Set(b.split("\n"));
  return [
    ...[...left].filter((l) => !right.has(l)).map((l) => `- ${l}`),
    ...[...right].filter((l) => !left.has(l)).map((l) => `+ ${l}`),
  ].join("\n");
}

/** The cells of the matrix: base+delta only for additive (a dedicated delta on a bare base restricts the port to it). */
export function cells(): { driver: Driver; deployment: Deployment; scenario: ScenarioId; variant: Variant }[] {
  const out: { driver: Driver; deployment: Deployment; scenario: ScenarioId; variant: Variant }[] = [];
  for (const driver of drivers) {
    for (const deployment of deployments) {
      for (const scenario of scenarios) {
        if (deployment === "dedicated" && scenario === "base+delta") continue;
        for (const variant of variants) out.push({ driver, deployment, scenario, variant });
      }
    }
  }
  return out;
}

/** Runs `tasks` with at most `limit` at once. */
export async function pool<T>(tasks: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      const task = tasks[i];
      if (task !== undefined) results[i] = await task();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

async function main() {
  const only = process.argv[2];
  const chosen = cells().filter((c) => only === undefined || c.driver.id === only);
  const started = Date.now();
  const results = await pool(
    chosen.map((c) => () => runCell(c.driver, c.deployment, c.scenario, c.variant)),
    Number(process.env.MATRIX_CONCURRENCY ?? 4),
  );
  const rows = [...new Set(results.map((r) => r.format))];
  const line = (cols: readonly string[]) => `| ${cols.join(" | ")} |`;
  console.log(line(["format", ...deployments.flatMap((d) => scenarios.map((s) => `${d}: ${s}`))]));
  console.log(line(["---", ...deployments.flatMap(() => scenarios.map(() => "---"))]));
  for (const format of rows) {
    const cols = deployments.flatMap((d) =>
      scenarios.map((s) => {
        const mine = results.filter((r) => r.format === format && r.deployment === d && r.scenario === s);
        if (mine.length === 0) return "n/a";
        const passed = mine.filter((r) => r.ok).length;
        return passed === mine.length ? `✓ ${passed}/${mine.length}` : `✗ ${passed}/${mine.length}`;
      }),
    );
    console.log(line([format, ...cols]));
  }
  console.log(
    `\n${results.filter((r) => r.ok).length}/${results.length} cells green in ${Math.round((Date.now() - started) / 1000)} s (variants: ${variants.map((v) => v.name).join(", ")})`,
  );
  for (const r of results.filter((x) => !x.ok))
    console.log(`\n✗ ${r.format} ${r.deployment} ${r.scenario} [${r.variant}]\n  ${r.problems.join("\n  ")}`);
  process.exitCode = results.every((r) => r.ok) ? 0 : 1;
}

if (process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href) void main();
