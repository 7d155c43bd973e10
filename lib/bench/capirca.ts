/**
 * Side by side with Capirca (Debian's python3-capirca, `aclgen`): the seed US+EU NAT IPs plus one IPv6 test prefix,
 * allowed TCP 443 inbound, rendered by both tools for the platforms both have, then run through the same checks:
 * the real checker where Linux has one (in `unshare -n`), and our own parser's round trip (is exactly the source
 * set allowed? only TCP 443? IPv6 kept?). Writes lib/bench/capirca-comparison.md.
 *
 * Run as root with aclgen, iptables, nftables and unshare installed: `npx tsx lib/bench/capirca.ts`.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { PublishedEntry } from "../catalog/types";
import { SEED_CATALOG } from "../diff/seed.fixture";
import { exportOptionsSchema, renderExport } from "../export/prepare";
import type { ExportFormatId } from "../export/types";
import { mustParsePrefix } from "../ip/prefix";
import { IPSet, IPSetBuilder } from "../ip/set";
import { parseText } from "../parse/registry";
import type { Entry, FormatId } from "../parse/types";

const IPV6_TEST = "2406:da00:ff00::/48";
const ENTRIES: readonly PublishedEntry[] = [
  ...SEED_CATALOG.filter((e) => e.region === "US" || e.region === "EU"),
  { cidr: IPV6_TEST, region: "US", products: ["Freshchat", "Freddy Self-service"] },
];

type Checker = "iptables-restore" | "ip6tables-restore" | "nft";

interface Platform {
  readonly name: string;
  /** Capirca header targets; several when Capirca needs one policy per family for what we write in one file. */
  readonly capirca: readonly string[];
  readonly ours: ExportFormatId;
  /** Our parser for the output, when we have one. */
  readonly parser?: FormatId;
  readonly checker?: Checker;
  /** Families the platform's file can hold (iptables-restore files are one family each). */
  readonly families: readonly (4 | 6)[];
  /** Capirca's iptables output is a rule list without the table header iptables-restore needs. */
  readonly wrapCapirca?: (text: string) => string;
  /** Which of our files to check when the format writes several (default the first). */
  readonly oursFile?: string;
}

const restoreWrap = (text: string) => `*filter\n${text}\nCOMMIT\n`;

const PLATFORMS: readonly Platform[] = [
  {
    name: "iptables (IPv4)",
    capirca: ["iptables INPUT ACCEPT"],
    ours: "iptables",
    parser: "iptables",
    checker: "iptables-restore",
    families: [4],
    wrapCapirca: restoreWrap,
  },
  {
    name: "ip6tables (IPv6)",
    capirca: ["iptables INPUT ACCEPT inet6"],
    ours: "ip6tables",
    parser: "iptables",
    checker: "ip6tables-restore",
    families: [6],
    wrapCapirca: restoreWrap,
  },
  {
    name: "nftables",
    capirca: ["nftables mixed INPUT"],
    ours: "nftables",
    parser: "nftables",
    checker: "nft",
    families: [4, 6],
  },
  {
    name: "Cisco ASA",
    capirca: ["ciscoasa FRESHWORKS_IN mixed"],
    ours: "cisco-asa",
    parser: "cisco-asa",
    families: [4, 6],
  },
  {
    name: "Cisco IOS",
    capirca: ["cisco FRESHWORKS_IN mixed"],
    ours: "cisco-ios",
    parser: "cisco-ios",
    families: [4, 6],
  },
  {
    name: "Juniper SRX",
    capirca: ["srx from-zone untrust to-zone trust"],
    ours: "junos-srx",
    parser: "junos",
    families: [4, 6],
  },
  {
    name: "Palo Alto PAN-OS",
    capirca: ["paloalto from-zone untrust to-zone trust mixed"],
    ours: "panos",
    parser: "panos",
    families: [4, 6],
  },
  {
    name: "Google Cloud",
    capirca: ["gce INGRESS mixed"],
    ours: "gcp",
    parser: "gcp",
    families: [4, 6],
    oursFile: ".json",
  },
  { name: "Kubernetes NetworkPolicy", capirca: ["k8s"], ours: "k8s", families: [4, 6] },
  { name: "Windows firewall", capirca: ["windows_advfirewall in"], ours: "windows", families: [4, 6] },
];

interface Verdict {
  readonly checker: string;
  readonly ipv6: string;
  readonly port: string;
  readonly exact: string;
  readonly notes: readonly string[];
}

function run(cmd: string, args: readonly string[], input?: string) {
  const r = spawnSync(cmd, [...args], { encoding: "utf8", input, timeout: 60_000 });
  return { status: r.status, out: `${r.stdout ?? ""}${r.stderr ?? ""}${r.error ? String(r.error) : ""}` };
}

function firstLine(text: string): string {
  return (text.split("\n").find((l) => l.trim() !== "") ?? "").trim().slice(0, 140).replace(/\|/g, "\\|");
}

function check(checker: Checker | undefined, file: string): string {
  if (checker === undefined) return "no offline checker";
  const args = checker === "nft" ? ["-n", "nft", "-c", "-f", file] : ["-n", checker, "--test", file];
  const r = run("unshare", args);
  // The temporary path would make the report differ on every run.
  return r.status === 0 ? `✅ \`${checker}\`` : `❌ \`${checker}\`: ${firstLine(r.out.split(file).join("FILE"))}`;
}

/** What the file's own allow rules let in, first match wins (as in the export round-trip tests). */
function allowedByRules(entries: readonly Entry[]): IPSet {
  const allowed = new IPSetBuilder();
  const decided = new IPSetBuilder();
  for (const e of entries) {
    if (e.kind === "any" || e.direction === "out") continue;
    if (e.action === "allow") allowed.addSet(IPSet.of(e.range).difference(decided.build()));
    decided.add(e.range);
  }
  return allowed.build();
}

function expectedSet(families: readonly (4 | 6)[]): IPSet {
  const prefixes = ENTRIES.map((e) => mustParsePrefix(e.cidr)).filter((p) => families.includes(p.address.family));
  return IPSet.of(...prefixes);
}

const CIDR_TOKEN =
  /(?<![\w:.])((?:\d{1,3}\.){3}\d{1,3}(?:\/\d{1,2})?|[0-9a-f]{1,4}(?::[0-9a-f]{0,4}){2,7}(?:\/\d{1,3})?)(?![\w:.])/gi;

/** Without a parser: every address or CIDR written in the file (a text scan; ports are not judged). */
function scannedSet(text: string): IPSet {
  const b = new IPSetBuilder();
  for (const m of text.matchAll(CIDR_TOKEN)) {
    const token = m[1] ?? "";
    const parsed = parseText(token, "plain");
    for (const e of parsed.entries) b.add(e.range);
  }
  return b.build();
}

function compareSets(got: IPSet, expected: IPSet): string {
  const n = expected.toPrefixes().length;
  if (got.equals(expected)) return `✅ ${n} prefix${n === 1 ? "" : "es"}`;
  const missing = expected.difference(got).toPrefixes().length;
  const extra = got.difference(expected).toPrefixes().length;
  return `❌ ${missing} missing, ${extra} extra`;
}

function judge(platform: Platform, text: string, checked: string): Verdict {
  const notes: string[] = [];
  const expected = expectedSet(platform.families);
  const v6Expected = platform.families.includes(6);
  const parsed = platform.parser === undefined ? undefined : parseText(text, platform.parser);
  if (parsed === undefined || parsed.entries.length === 0) {
    if (parsed !== undefined)
      notes.push(`not readable by our ${platform.parser} parser (another syntax of the platform)`);
    const got = scannedSet(text);
    const hasV6 = got.toPrefixes().some((p) => p.address.family === 6);
    return {
      checker: checked,
      ipv6: v6Expected ? (hasV6 ? "✅" : "❌ dropped") : "n/a (IPv4 file)",
      port: "not judged (not parsed)",
      exact: `${compareSets(got, expected)} (text scan)`,
      notes,
    };
  }
  const invalid = parsed.findings.filter((f) => f.kind === "invalid" || f.kind === "not-understood");
  if (invalid.length > 0) {
    const shown = invalid.slice(0, 3).map((f) => `\`${f.text.replace(/\|/g, "\\|")}\``);
    notes.push(
      `our ${platform.parser} parser did not understand ${shown.join(", ")}${invalid.length > 3 ? ` and ${invalid.length - 3} more` : ""}`,
    );
  }
  const got = allowedByRules(parsed.entries);
  const hasV6 = got.toPrefixes().some((p) => p.address.family === 6);
  const rules = parsed.entries.filter((e) => e.kind !== "any" && e.action === "allow" && e.direction !== "out");
  const portOk = rules.every(
    (e) => e.protocol === "tcp" && e.ports?.length === 1 && e.ports[0]?.from === 443 && e.ports[0]?.to === 443,
  );
  const open = rules.filter((e) => e.ports === undefined).length;
  return {
    checker: checked,
    ipv6: v6Expected ? (hasV6 ? "✅" : "❌ dropped") : "n/a (IPv4 file)",
    port: portOk
      ? "✅ tcp/443 only"
      : `❌ ${open > 0 ? `${open} allowed address entr${open === 1 ? "y has" : "ies have"} no port limit` : "other ports/protocols"}`,
    exact: compareSets(got, expected),
    notes,
  };
}

function capircaPolicy(target: string): string {
  return `header {\n  comment:: "Freshworks NAT IPs, TCP 443 inbound"\n  target:: ${target}\n}\n\nterm allow-freshworks {\n  source-address:: FRESHWORKS\n  protocol:: tcp\n  destination-port:: HTTPS\n  action:: accept\n}\n`;
}

function renderCapirca(dir: string, platform: Platform): { text: string; error?: string; warnings: string[] } {
  const pol = join(dir, "pol");
  const out = join(dir, "out", platform.ours);
  mkdirSync(out, { recursive: true });
  const texts: string[] = [];
  const warnings: string[] = [];
  for (const [i, target] of platform.capirca.entries()) {
    const file = join(pol, `${platform.ours}-${i}.pol`);
    writeFileSync(file, capircaPolicy(target));
    const r = run("aclgen", [
      `--base_directory=${pol}`,
      `--definitions_directory=${join(dir, "def")}`,
      `--output_directory=${out}`,
      `--policy_file=${file}`,
    ]);
    if (r.status !== 0)
      return {
        text: "",
        error: firstLine(
          r.out
            .split("\n")
            .filter((l) => !l.startsWith("I"))
            .join("\n"),
        ),
        warnings,
      };
    // absl log lines: "W1129 12:44:34.314475 1399 gce.py:461] message"
    for (const line of r.out.split("\n")) {
      const m = /^[WE]\d{4} [\d:.]+ +\d+ ([^\]]+)\] (.*)$/.exec(line);
      if (m) warnings.push(`${m[1]}: ${m[2]}`);
    }
  }
  for (const name of readdirSync(out).sort()) texts.push(readFileSync(join(out, name), "utf8"));
  if (texts.length === 0) return { text: "", error: "aclgen wrote nothing", warnings };
  return { text: texts.join("\n"), warnings };
}

function main(): void {
  const dir = mkdtempSync(join(tmpdir(), "capirca-bench-"));
  try {
    mkdirSync(join(dir, "def"));
    mkdirSync(join(dir, "pol"));
    writeFileSync(
      join(dir, "def", "NETWORK.net"),
      `FRESHWORKS = ${ENTRIES.map((e) => e.cidr).join("\n             ")}\n`,
    );
    writeFileSync(join(dir, "def", "SERVICES.svc"), "HTTPS = 443/tcp\n");
    const version = run("dpkg-query", ["-W", "-f=${Version}", "python3-capirca"]).out.trim();

    const options = exportOptionsSchema.parse({
      provider: "Freshworks",
      catalogLabel: "Freshworks catalog v1",
      namePrefix: "freshworks",
      ports: "443",
    });
    const rows: string[] = [];
    const notes: string[] = [];
    for (const platform of PLATFORMS) {
      const ours = renderExport(platform.ours, ENTRIES, options, { regions: ["US", "EU"] });
      let oursVerdict: Verdict;
      if (!ours.ok) {
        oursVerdict = { checker: "—", ipv6: "—", port: "—", exact: `refused: ${ours.errors.join("; ")}`, notes: [] };
      } else {
        const chosen =
          ours.files.find((f) => platform.oursFile !== undefined && f.name.endsWith(platform.oursFile)) ??
          ours.files[0];
        const text = chosen?.content ?? "";
        const file = join(dir, `ours-${platform.ours}`);
        writeFileSync(file, text);
        oursVerdict = judge(platform, text, check(platform.checker, file));
        if (ours.warnings.length > 0) notes.push(`ours ${platform.name}: ${ours.warnings.join("; ")}`);
      }
      const cap = renderCapirca(dir, platform);
      let capVerdict: Verdict;
      if (cap.error !== undefined) {
        capVerdict = { checker: "—", ipv6: "—", port: "—", exact: `aclgen failed: ${cap.error}`, notes: [] };
      } else {
        const text = platform.wrapCapirca ? platform.wrapCapirca(cap.text) : cap.text;
        const file = join(dir, `capirca-${platform.ours}`);
        writeFileSync(file, text);
        capVerdict = judge(platform, text, check(platform.checker, file));
        const extra = [
          ...(platform.wrapCapirca ? ["wrapped in *filter … COMMIT for iptables-restore"] : []),
          cap.warnings.length > 0 ? `aclgen warned: ${cap.warnings.join("; ")}` : "aclgen printed no warning",
        ];
        capVerdict = { ...capVerdict, notes: [...capVerdict.notes, ...extra] };
      }
      for (const [tool, v] of [
        ["ours", oursVerdict],
        ["Capirca", capVerdict],
      ] as const) {
        rows.push(
          `| ${platform.name} | ${tool} | ${v.checker} | ${v.ipv6} | ${v.port} | ${v.exact} | ${v.notes.join("; ")} |`,
        );
      }
    }

    const md = `# Allowlist Admin exports vs Capirca

Generated by \`npx tsx lib/bench/capirca.ts\` (python3-capirca ${version || "unknown version"}). Input: the seed catalog's
US and EU NAT IPs (24 IPv4 /32s) plus the IPv6 test prefix \`${IPV6_TEST}\`, allowed TCP 443 inbound. Capirca gets one
policy per platform (\`source-address:: FRESHWORKS\`, \`protocol:: tcp\`, \`destination-port:: HTTPS\`, \`action:: accept\`);
we render the same set with our exporter for that platform. Capirca targets use its \`mixed\` (IPv4 + IPv6) option
wherever the generator has one (nftables, Cisco IOS, Cisco ASA, PAN-OS, GCE); iptables is one family per file in both tools.

- **Checker**: the real tool in a throwaway network namespace (\`unshare -n\`); other platforms have no offline checker.
- **IPv6 kept**: the IPv6 test prefix is allowed by the output (n/a for a single-family iptables file).
- **Port restricted**: every allow rule our parser reads from the output is TCP 443 only.
- **Entries exact**: the addresses the output allows (our parser for that format, first match wins) equal the source
  set — nothing missing, nothing extra. Output our parsers do not read (Capirca's hierarchical Junos, PAN-OS XML,
  Kubernetes YAML, netsh/PowerShell) is checked by scanning the text for addresses; ports are then not judged.

| Platform | Tool | Checker | IPv6 kept | Port restricted | Entries exact | Notes |
|---|---|---|---|---|---|---|
${rows.join("\n")}
${notes.length > 0 ? `\nWarnings our exporters printed (nothing is dropped silently):\n${notes.map((n) => `- ${n}`).join("\n")}\n` : ""}`;
    const target = fileURLToPath(new URL("./capirca-comparison.md", import.meta.url));
    writeFileSync(target, md);
    process.stdout.write(md);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
