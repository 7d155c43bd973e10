/**
 * `npm run bench:linear`: the time budgets that used to be wall-clock assertions in unit tests (which fail on a busy
 * machine and say nothing on a fast one). Each case runs its hostile or large input at n and 4n; a reader that is
 * linear takes about 4× as long, a quadratic one 16×. A case fails when 4n takes more than 10× n (with a 50 ms floor
 * for n, so timer noise on tiny inputs does not count) or more than its budget. Exit status 1 when any case fails.
 */
import { pathToFileURL } from "node:url";
import { htmlToText } from "../catalog/document-text";
import { parseText } from "../parse/registry";
import { hostParsers } from "../parse/vendors/hosts";
import { iptablesParser } from "../parse/vendors/iptables";
import { linuxParsers } from "../parse/vendors/linux";
import { networkParsers } from "../parse/vendors/network";
import { parseCheckpoint } from "../parse/vendors/checkpoint";
import { parseMikrotik } from "../parse/vendors/mikrotik";
import { editSamples } from "../parse/vendors/edit-samples";
import { sampleGenerators } from "../parse/vendors/samples";
import { readShell } from "../parse/vendors/shell";

interface LinearCase {
  readonly name: string;
  /** Milliseconds the 4n run may take at most on an idle machine. */
  readonly budgetMs: number;
  /** The input for a size factor (1 or 4), built outside the timing. */
  input(factor: 1 | 4): string;
  run(text: string): unknown;
}

const guardedCheckpoint = (n: number) =>
  `once() { mgmt_cli show host name "$1" -s s >/dev/null 2>&1 || mgmt_cli add host name "$1" ip-address "$2" groups.1 g -s s; }\n${Array.from({ length: n }, (_, i) => `once h${i} 10.${(i >> 8) & 255}.${i & 255}.1`).join("\n")}\nmgmt_cli add access-rule layer Network position top name r source g service Any action Accept -s s\n`;
const guardedMikrotik = (n: number) =>
  `/ip firewall address-list\n${Array.from({ length: n }, (_, i) => `:do { add list=big address=10.${(i >> 8) & 255}.${i & 255}.1 } on-error={}`).join("\n")}\n/ip firewall filter\nadd chain=input action=accept src-address-list=big\n`;
/** n rules each placed below the one before, then each changed by a set: both searched the whole rulebase. */
const checkpointEdits = (n: number) =>
  `${Array.from({ length: n }, (_, i) => `mgmt_cli add access-rule layer Network ${i === 0 ? "position top" : `position.below r${i - 1}`} name r${i} source Any service https action Accept -s s`).join("\n")}\n${Array.from({ length: n }, (_, i) => `mgmt_cli set access-rule layer Network name r${n - 1 - i} enabled false -s s`).join("\n")}\n`;
const jumpFanOut = (n: number) => {
  const lines = ["*filter", ":INPUT DROP [0:0]", ":A - [0:0]", ":B - [0:0]"];
  for (let i = 0; i < n; i++) lines.push("-A INPUT -j A", "-A A -j B", `-A B -s 10.0.${i % 256}.0/24 -j ACCEPT`);
  return `${lines.join("\n")}\nCOMMIT\n`;
};
const shellHelpers = (n: number) =>
  'ipt() { iptables -w "$@"; }\nallow() { ipt -C x "$@" 2>/dev/null || ipt -I x "$@"; }\n' +
  "allow -s 192.0.2.1 -j ACCEPT\n".repeat(n);

/** n groups each applied in its own zone (set form and hierarchy): every statement was checked against every apply-groups. */
const junosGroups = (n: number) =>
  `${Array.from({ length: n }, (_, i) => `set groups G${i} security address-book global address A${i} ${cidrOf(i)}`).join("\n")}\n${Array.from({ length: n }, (_, i) => `set security zones security-zone z${i} apply-groups G${i}`).join("\n")}\nset apply-groups G0\n`;
const junosHierarchyGroups = (n: number) =>
  `groups {\n${Array.from({ length: n }, (_, i) => ` G${i} {\n  security {\n   address-book {\n    global {\n     address A${i} ${cidrOf(i)};\n    }\n   }\n  }\n }`).join("\n")}\n}\nsecurity {\n zones {\n${Array.from({ length: n }, (_, i) => `  security-zone z${i} {\n   apply-groups G${i};\n  }`).join("\n")}\n }\n}\napply-groups G0;\n`;

/** n security groups, NSGs, VPC networks or Terraform groups of one rule each: the readers' per-device paths. */
const cidrOf = (i: number) => `10.${(i >> 8) & 255}.${i & 255}.0/24`;
const manyDevices: Record<"aws-sg" | "azure-nsg" | "gcp" | "terraform", (n: number) => string> = {
  "aws-sg": (n) =>
    JSON.stringify({
      SecurityGroups: Array.from({ length: n }, (_, i) => ({
        GroupId: `sg-${i}`,
        GroupName: `g${i}`,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: cidrOf(i) }] }],
      })),
    }),
  "azure-nsg": (n) =>
    JSON.stringify(
      Array.from({ length: n }, (_, i) => ({
        name: `nsg${i}`,
        securityRules: [
          {
            name: "r",
            priority: 100,
            direction: "Inbound",
            access: "Allow",
            protocol: "Tcp",
            sourceAddressPrefix: cidrOf(i),
            destinationPortRange: "443",
          },
        ],
      })),
    ),
  gcp: (n) =>
    JSON.stringify(
      Array.from({ length: n }, (_, i) => ({
        name: `fw${i}`,
        network: `projects/p/global/networks/net${i}`,
        direction: "INGRESS",
        allowed: [{ IPProtocol: "tcp", ports: ["443"] }],
        sourceRanges: [cidrOf(i)],
      })),
    ),
  terraform: (n) =>
    Array.from(
      { length: n },
      (_, i) =>
        `resource "aws_security_group" "g${i}" {\n  ingress {\n    from_port = 443\n    to_port = 443\n    protocol = "tcp"\n    cidr_blocks = ["${cidrOf(i)}"]\n  }\n}\n`,
    ).join(""),
};

export const linearCases: readonly LinearCase[] = [
  {
    name: "checkpoint: guarded mgmt_cli lines (5k/20k)",
    budgetMs: 3000,
    input: (f) => guardedCheckpoint(5000 * f),
    run: parseCheckpoint,
  },
  {
    name: "checkpoint: position.below and set access-rule (5k/20k)",
    budgetMs: 3000,
    input: (f) => checkpointEdits(5000 * f),
    run: parseCheckpoint,
  },
  {
    name: "mikrotik: :do/on-error guarded adds (10k/40k)",
    budgetMs: 3000,
    input: (f) => guardedMikrotik(10_000 * f),
    run: (t) => parseMikrotik(t),
  },
  {
    name: "iptables: crafted jump fan-out (75/300)",
    budgetMs: 2000,
    input: (f) => jumpFanOut(75 * f),
    run: (t) => iptablesParser.parse(t),
  },
  { name: "shell: helper functions (5k/20k)", budgetMs: 3000, input: (f) => shellHelpers(5000 * f), run: readShell },
  {
    name: "junos: 2k/8k groups, each applied in a zone",
    budgetMs: 2000,
    input: (f) => junosGroups(2000 * f),
    run: (t) => parseText(t, "junos", { maxBytes: Number.POSITIVE_INFINITY }),
  },
  {
    name: "junos-hierarchy: 2k/8k groups, each applied in a zone",
    budgetMs: 2000,
    input: (f) => junosHierarchyGroups(2000 * f),
    run: (t) => parseText(t, "junos-hierarchy", { maxBytes: Number.POSITIVE_INFINITY }),
  },
  ...(["<a x", "< ", "<script ", "<head>", " "] as const).map((unit): LinearCase => ({
    name: `catalog page text: ${JSON.stringify(unit)} × ${unit.length > 2 ? "60k/240k" : "250k/1M"}`,
    budgetMs: 2000,
    input: (f) => unit.repeat((unit.length > 2 ? 60_000 : 250_000) * f),
    run: htmlToText,
  })),
  ...(Object.keys(manyDevices) as (keyof typeof manyDevices)[]).map((id): LinearCase => ({
    name: `${id}: one rule in each of 2k/8k groups or networks`,
    budgetMs: 2000,
    input: (f) => manyDevices[id](2000 * f),
    run: (t) => parseText(t, id, { maxBytes: Number.POSITIVE_INFINITY }),
  })),
  ...Object.entries(editSamples).map(([shape, sample]): LinearCase => ({
    name: `edits: ${shape} (10k/40k)`,
    budgetMs: 3000,
    input: (f) => `${sample.lines(10_000 * f).join("\n")}\n`,
    run: (t) => parseText(t, sample.format, { maxBytes: Number.POSITIVE_INFINITY }),
  })),
  ...[...networkParsers, ...linuxParsers, ...hostParsers].map((p): LinearCase => ({
    name: `${p.id}: generated config (2.5k/10k lines)`,
    budgetMs: p.id === "k8s" ? 6000 : 2000,
    input: (f) => sampleGenerators[p.id]?.(2500 * f, 3) ?? "",
    run: (t) => p.parse(t),
  })),
];

function median(run: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[1]!;
}

export interface LinearRow {
  readonly name: string;
  readonly smallMs: number;
  readonly largeMs: number;
  readonly ratio: number;
  readonly budgetMs: number;
  readonly ok: boolean;
}

export function benchLinear(cases: readonly LinearCase[] = linearCases): LinearRow[] {
  return cases.map((c) => {
    const small = c.input(1);
    const large = c.input(4);
    c.run(small); // warm-up
    const smallMs = median(() => void c.run(small));
    const largeMs = median(() => void c.run(large));
    const ratio = largeMs / Math.max(smallMs, 50);
    return { name: c.name, smallMs, largeMs, ratio, budgetMs: c.budgetMs, ok: ratio <= 10 && largeMs <= c.budgetMs };
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  // `npm run bench:linear -- junos nginx`: only the cases whose names contain one of the words.
  const only = process.argv.slice(2);
  const rows = benchLinear(
    only.length === 0 ? linearCases : linearCases.filter((c) => only.some((w) => c.name.includes(w))),
  );
  for (const r of rows) {
    console.log(
      `${r.ok ? "ok  " : "FAIL"} ${r.name.padEnd(58)} ${r.smallMs.toFixed(0).padStart(6)} ms → ${r.largeMs.toFixed(0).padStart(6)} ms (×${r.ratio.toFixed(1)}, budget ${r.budgetMs} ms)`,
    );
  }
  process.exit(rows.every((r) => r.ok) ? 0 : 1);
}
