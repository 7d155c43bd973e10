/** `allowlist trace` and the path overrides of `allowlist diff`, run as a real process (as lib/cli/cli.test.ts does). */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { testDatabaseUrl } from "../testing/test-db";

const root = fileURLToPath(new URL("../../", import.meta.url));
let dir = "";
let dbUrl = "";

function run(args: string[], input?: string) {
  const r = spawnSync(process.execPath, ["lib/cli/launch.mjs", ...args], {
    cwd: root,
    input,
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: dbUrl, NO_COLOR: "1" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const LIST = "# hooks\n52.1.37.96\n44.206.73.232/29\n10.0.0.0/8\n";

// iptables-save of a host: INPUT drops by default; a loopback rule, a conntrack rule, an allow on 443, a rule for
// docker0 only, and a FORWARD rule for a service behind the host.
const IPTABLES = `*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -i lo -j ACCEPT
-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A INPUT -s 52.1.37.96/32 -p tcp -m tcp --dport 443 -j ACCEPT
-A INPUT -i docker0 -s 52.1.32.88/32 -j ACCEPT
-A FORWARD -i eth0 -s 52.1.32.88/32 -p tcp --dport 443 -j ACCEPT
COMMIT
`;

// Two tables on the input hook: ours accepts 52.1.37.96 first; the admin's drops what it does not accept itself.
const NFT = `table ip allowlist {
	chain input {
		type filter hook input priority -10; policy accept;
		ip saddr 52.1.37.96 tcp dport 443 accept
	}
}
table inet filter {
	chain input {
		type filter hook input priority filter; policy drop;
		ct state established,related accept
		iifname "docker0" accept
		ip saddr 52.1.32.88 tcp dport 443 accept
	}
}
`;
const NFT_ASSUMPTION =
  "Read as a new TCP connection to this host itself (hooks ingress, prerouting, input); use --path forward if the service runs behind it. Rules only for loopback, container, bridge or VPN interfaces are read as not met by Internet traffic; name the Internet-facing interface with --ingress.";

const INPUT_ASSUMPTION =
  "Read as a new TCP connection to this host itself (INPUT); use --path forward if the service runs behind it (FORWARD). The Internet is assumed to arrive on eth0, the interface the rules name; --ingress changes it.";
const FORWARD_ASSUMPTION =
  "Read as a new TCP connection forwarded to a service behind this host (FORWARD), as asked; use --path input if the service is the host itself. The Internet arrives on eth0.";

describe("allowlist trace", () => {
  let list = "";
  let fw = "";
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "allowlist-x11c-trace-"));
    dbUrl = await testDatabaseUrl(dir, "cli");
    list = join(dir, "list.txt");
    fw = join(dir, "fw.rules");
    writeFileSync(list, LIST);
    writeFileSync(fw, IPTABLES);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("a plain list: the rule that decides, exit 0 when allowed", () => {
    const r = run(["trace", "44.206.73.235", "--input", list]);
    assert.deepEqual([r.code, r.stderr], [0, ""]);
    assert.equal(
      r.stdout,
      `Trace 44.206.73.235 → TCP 443: Plain list, 4 lines

1. the list: on the path, default deny — The paste is read as one list.
  line 3      matched, allows: address, TCP and port 443 match ← decides
               44.206.73.232/29
  Decided by line 3 (allow) → passes.

Allowed. 44.206.73.235 → TCP 443: allowed by line 3.
`,
    );
  });

  test("blocked by the default: exit 1; stdin and --port; JSON", () => {
    const text = run(["trace", "2001:db8::1", "--port", "22"], LIST);
    assert.equal(text.code, 1);
    assert.equal(
      text.stdout,
      `Trace 2001:db8::1 → TCP 22: Plain list, 4 lines

1. the list: on the path, default deny — The paste is read as one list.
  No rule of this context holds the address.
  No rule matches: the default (deny) applies → blocked.

Blocked. 2001:db8::1 → TCP 22: blocked — no rule of the list matches, and its default is deny.
`,
    );
    const json = run(["trace", "3.74.148.8", "--input", list, "--json"]);
    assert.equal(json.code, 1);
    assert.deepEqual(JSON.parse(json.stdout), {
      address: "3.74.148.8",
      protocol: "tcp",
      port: 443,
      format: "plain",
      allowed: false,
      summary: "3.74.148.8 → TCP 443: blocked — no rule of the list matches, and its default is deny.",
      contexts: [
        {
          name: "the list",
          line: 0,
          onPath: true,
          reason: "The paste is read as one list.",
          fallthrough: "deny",
          passes: false,
          decision: { by: "default", action: "deny" },
          steps: [],
          omitted: 0,
        },
      ],
    });
  });

  test("iptables: the assumption, every context, the rules met and why (https://ipset.netfilter.org/iptables-extensions.man.html, conntrack)", () => {
    const r = run(["trace", "52.1.37.96", "--input", fw]);
    assert.deepEqual([r.code, r.stderr], [0, ""]);
    assert.equal(
      r.stdout,
      `Trace 52.1.37.96 → TCP 443: iptables-save / ip6tables-save, 10 lines
Assumed: ${INPUT_ASSUMPTION}

1. filter INPUT (line 2): on the path, default deny — a connection to this host crosses it
  line 5      no match: only traffic arriving on lo, not on eth0
               -A INPUT -i lo -j ACCEPT
  line 6      no match: only RELATED,ESTABLISHED
               -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
  line 7      matched, allows: address, TCP and port 443 match ← decides
               -A INPUT -s 52.1.37.96/32 -p tcp -m tcp --dport 443 -j ACCEPT
  Decided by line 7 (allow) → passes.

2. filter FORWARD (line 3): not on the path — the service is read as this host itself (input path), not a host behind it

3. filter OUTPUT (line 4): not on the path — it filters connections this host opens, not inbound ones

Allowed. 52.1.37.96 → TCP 443: allowed by line 7.
`,
    );
  });

  test("iptables with --path forward --ingress eth0 --json: the FORWARD chain decides", () => {
    const r = run(["trace", "52.1.32.88", "--input", fw, "--path", "forward", "--ingress", "eth0", "--json"]);
    assert.deepEqual([r.code, r.stderr], [0, ""]);
    const t = JSON.parse(r.stdout);
    assert.deepEqual(t.path, {
      kind: "forward",
      ingress: "eth0",
      assumption: FORWARD_ASSUMPTION,
      contexts: [
        {
          name: "filter FORWARD",
          line: 3,
          onPath: true,
          reason: "a connection forwarded to a host behind this one crosses it",
          fallthrough: "deny",
          family: 4,
        },
        {
          name: "filter INPUT",
          line: 2,
          onPath: false,
          reason: "the service is read as behind this host (forward path), not the host itself",
          fallthrough: "deny",
          family: 4,
        },
        {
          name: "filter OUTPUT",
          line: 4,
          onPath: false,
          reason: "it filters connections this host opens, not inbound ones",
          fallthrough: "allow",
          family: 4,
        },
      ],
    });
    assert.equal(t.summary, "52.1.32.88 → TCP 443: allowed by line 9.");
    assert.deepEqual(t.contexts[0].steps, [
      {
        line: 9,
        text: "-A FORWARD -i eth0 -s 52.1.32.88/32 -p tcp --dport 443 -j ACCEPT",
        action: "allow",
        matched: true,
        decided: true,
        why: "address, TCP and port 443 match",
      },
    ]);
    // The same address on the host itself: only the docker0 rule holds it, and it is never met.
    const host = run(["trace", "52.1.32.88", "--input", fw, "--json"]);
    assert.equal(host.code, 1);
    const h = JSON.parse(host.stdout);
    assert.equal(
      h.summary,
      "52.1.32.88 → TCP 443: blocked — no rule of filter INPUT (line 2) matches, and its default is deny.",
    );
    assert.deepEqual(
      h.contexts[0].steps.map((s: { line: number; matched: boolean; why: string }) => [s.line, s.matched, s.why]),
      [
        [5, false, "only traffic arriving on lo, not on eth0"],
        [6, false, "only RELATED,ESTABLISHED"],
        [8, false, "only traffic arriving on docker0, not on eth0"],
      ],
    );
  });

  test("nftables: an accept in one base chain does not open what another base chain's drop policy closes (https://wiki.nftables.org/wiki-nftables/index.php/Configuring_chains)", () => {
    const nft = join(dir, "fw.nft");
    writeFileSync(nft, NFT);
    const r = run(["trace", "52.1.37.96", "--input", nft]);
    assert.deepEqual([r.code, r.stderr], [1, ""]);
    assert.equal(
      r.stdout,
      `Trace 52.1.37.96 → TCP 443: nftables (nft list ruleset), 14 lines
Assumed: ${NFT_ASSUMPTION}

1. ip allowlist input (hook input, priority -10) (line 3): on the path, default allow — every connection to this host crosses the input hook
  line 4      matched, allows: address, TCP and port 443 match ← decides
               ip saddr 52.1.37.96 tcp dport 443 accept
  Decided by line 4 (allow) → passes.

2. inet filter input (hook input, priority 0) (line 9): on the path, default deny — every connection to this host crosses the input hook
  line 10     no match: ct state established,related: a new connection's state is NEW
               ct state established,related accept
  line 11     no match: only traffic arriving on docker0, not from the Internet
               iifname "docker0" accept
  No rule matches: the default (deny) applies → blocked.

Blocked. 52.1.37.96 → TCP 443: blocked — no rule of inet filter input (hook input, priority 0) (line 9) matches, and its default is deny.
`,
    );
    const ok = run(["trace", "52.1.32.88", "--input", nft, "--json"]);
    assert.equal(ok.code, 0);
    const t = JSON.parse(ok.stdout);
    assert.equal(
      t.summary,
      "52.1.32.88 → TCP 443: allowed by the default of ip allowlist input (hook input, priority -10), then line 12.",
    );
    assert.deepEqual(
      t.path.contexts.map((c: { name: string; family?: number }) => [c.name, c.family ?? null]),
      [
        ["ip allowlist input (hook input, priority -10)", 4],
        ["inet filter input (hook input, priority 0)", null],
      ],
    );
    // IPv6 does not cross the ip (IPv4) table: the inet table alone decides.
    const v6 = run(["trace", "2001:db8::1", "--input", nft, "--json"]);
    assert.equal(v6.code, 1);
    assert.deepEqual(
      JSON.parse(v6.stdout).contexts.map((c: { onPath: boolean; reason: string }) => [c.onPath, c.reason]),
      [
        [false, "only IPv4 connections cross it"],
        [true, "every connection to this host crosses the input hook"],
      ],
    );
  });

  test("Cisco ASA: a group member's step names the ACL entry that uses the group, quoted, and the group (https://www.cisco.com/c/en/us/td/docs/security/asa/asa-cli-reference/S/asa-command-ref-S/s2-commands.html#packet-tracer)", () => {
    const asa = join(dir, "asa.txt");
    writeFileSync(
      asa,
      `object-group network FRESHWORKS
 network-object host 52.1.37.96
 network-object 18.214.125.0 255.255.255.0
access-list OUTSIDE_IN extended deny tcp host 52.1.37.97 any eq https
access-list OUTSIDE_IN extended permit tcp object-group FRESHWORKS host 192.0.2.10 eq https
access-group OUTSIDE_IN in interface outside
`,
    );
    const r = run(["trace", "52.1.37.96", "--input", asa]);
    assert.deepEqual([r.code, r.stderr], [0, ""]);
    assert.equal(
      r.stdout,
      `Trace 52.1.37.96 → TCP 443: Cisco ASA, 6 lines
Assumed: Internet-facing interface: outside (its name); only the ACL bound inbound there and the global ACL decide. Override with --ingress IFACE.

1. ACL OUTSIDE_IN in on outside (line 6): on the path, default deny — Bound inbound on the Internet-facing interface outside; no match ends in the implicit deny.
  line 2      matched, allows: address, TCP and port 443 match ← decides
               network-object host 52.1.37.96
               in the rule at line 5 through FRESHWORKS: access-list OUTSIDE_IN extended permit tcp object-group FRESHWORKS host 192.0.2.10 eq https
  Decided by line 2 (allow) → passes.

Allowed. 52.1.37.96 → TCP 443: allowed by line 2.
`,
    );
    const json = JSON.parse(run(["trace", "18.214.125.9", "--input", asa, "--json"]).stdout) as {
      summary: string;
      contexts: { decision: unknown; steps: unknown[] }[];
    };
    assert.equal(json.summary, "18.214.125.9 → TCP 443: allowed by line 3.");
    assert.deepEqual(json.contexts[0]!.decision, { by: "rule", line: 3, action: "allow" });
    assert.deepEqual(json.contexts[0]!.steps, [
      {
        line: 3,
        text: "network-object 18.214.125.0 255.255.255.0",
        rule: {
          line: 5,
          text: "access-list OUTSIDE_IN extended permit tcp object-group FRESHWORKS host 192.0.2.10 eq https",
        },
        via: ["FRESHWORKS"],
        action: "allow",
        matched: true,
        decided: true,
        why: "address, TCP and port 443 match",
      },
    ]);
  });

  test("usage errors exit 2 with one line", () => {
    const cases: [string[], string][] = [
      [["trace"], "allowlist: trace needs an ADDRESS (see allowlist trace --help).\n"],
      [["trace", "1.2.3.4", "5.6.7.8"], 'allowlist: Unexpected argument "5.6.7.8".\n'],
      [
        ["trace", "10.1"],
        'allowlist: "10.1" is not an address: expected 4 octets, found 2 (shorthand like "10.1" is not allowed) (column 5).\n',
      ],
      [
        ["trace", "52.1.37.0/24"],
        'allowlist: "52.1.37.0/24" is not an address: unexpected character "/" (column 10).\n',
      ],
      [
        ["trace", "52.1.37.96", "--path", "sideways"],
        'allowlist: --path: Path must be "input" (the service is the device itself) or "forward" (a host behind it).\n',
      ],
      [
        ["trace", "52.1.37.96", "--ingress", " "],
        "allowlist: --ingress: Ingress must be an interface, zone or interface list name: 1 to 64 printable characters.\n",
      ],
      [["trace", "52.1.37.96", "--port", "70000"], "allowlist: --port: must be a port number from 1 to 65535\n"],
      [
        ["trace", "52.1.37.96", "--input", join(dir, "nope")],
        `allowlist: Cannot read "${join(dir, "nope")}": no such file.\n`,
      ],
    ];
    for (const [args, stderr] of cases) {
      const r = run(args, "");
      assert.deepEqual([r.code, r.stdout, r.stderr], [2, "", stderr], args.join(" "));
    }
    const help = run(["trace", "--help"]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: allowlist trace ADDRESS /);
  });
});

describe("allowlist diff --path / --ingress", () => {
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "allowlist-x11c-diff-"));
    dbUrl = await testDatabaseUrl(dir, "cli");
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("the text report starts with the assumption and the contexts; never-met rules are listed as inactive", () => {
    const r = run(["diff", "--regions", "us"], IPTABLES);
    assert.equal(r.code, 1);
    const lines = r.stdout.split("\n");
    assert.deepEqual(lines.slice(0, 6), [
      "Allowlist diff: iptables-save / ip6tables-save, 10 lines, catalog v1, TCP 443",
      `Assumed: ${INPUT_ASSUMPTION}`,
      "  filter INPUT (line 2), IPv4 only: on the path, default deny — a connection to this host crosses it",
      "  filter FORWARD (line 3), IPv4 only: not on the path — the service is read as this host itself (input path), not a host behind it",
      "  filter OUTPUT (line 4), IPv4 only: not on the path — it filters connections this host opens, not inbound ones",
      "  US    14 published    1 covered    0 partial  13 missing",
    ]);
    const findings = lines.indexOf("Findings (4):");
    assert.deepEqual(lines.slice(findings, findings + 5), [
      "Findings (4):",
      "  line 5      Never met: Never met by a new inbound connection: only traffic arriving on lo, not on eth0.",
      "  line 6      Never met: Never met by a new inbound connection: only RELATED,ESTABLISHED.",
      "  line 8      Never met: Never met by a new inbound connection: only traffic arriving on docker0, not on eth0.",
      "  line 9      Never met: filter FORWARD is not on the path: the service is read as this host itself (input path), not a host behind it",
    ]);
  });

  test("--path forward --json: the path in the JSON, and the FORWARD rule is what covers", () => {
    const r = run(["diff", "--regions", "us", "--path", "forward", "--ingress", "eth0", "--json"], IPTABLES);
    assert.equal(r.code, 1);
    const json = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(json).slice(0, 5), ["regions", "format", "catalogVersion", "path", "summary"]);
    assert.equal(json.path.assumption, FORWARD_ASSUMPTION);
    assert.deepEqual(
      json.path.contexts.map((c: { name: string; onPath: boolean }) => [c.name, c.onPath]),
      [
        ["filter FORWARD", true],
        ["filter INPUT", false],
        ["filter OUTPUT", false],
      ],
    );
    assert.deepEqual(json.summary, { published: 14, covered: 1, partial: 0, missing: 13 });
    assert.deepEqual(
      json.published.filter((p: { status: string }) => p.status === "covered").map((p: { cidr: string }) => p.cidr),
      ["52.1.32.88/32"],
    );
    assert.deepEqual(
      json.entries.map((e: { line: number; status: string }) => [e.line, e.status]),
      // Evaluation order: the FORWARD chain (on the path) first.
      [
        [9, "covers"],
        [5, "inactive"],
        [6, "inactive"],
        [7, "inactive"],
        [8, "inactive"],
      ],
    );
  });

  test("nftables: contexts of one address family say so in the text report", () => {
    const r = run(["diff", "--regions", "us"], NFT);
    assert.equal(r.code, 1);
    assert.deepEqual(r.stdout.split("\n").slice(1, 5), [
      `Assumed: ${NFT_ASSUMPTION}`,
      "  ip allowlist input (hook input, priority -10) (line 3), IPv4 only: on the path, default allow — every connection to this host crosses the input hook",
      "  inet filter input (hook input, priority 0) (line 9): on the path, default deny — every connection to this host crosses the input hook",
      "  US    14 published    1 covered    0 partial  13 missing",
    ]);
  });

  test("a plain list has no path: no key, and the overrides change nothing", () => {
    const plain = run(["diff", "--regions", "us", "--json"], LIST);
    const overridden = run(["diff", "--regions", "us", "--json", "--path", "forward", "--ingress", "eth1"], LIST);
    assert.equal("path" in JSON.parse(plain.stdout), false);
    assert.equal(overridden.stdout, plain.stdout);
    const bad = run(["diff", "--path", "both"], LIST);
    assert.deepEqual(
      [bad.code, bad.stderr],
      [
        2,
        'allowlist: --path: Path must be "input" (the service is the device itself) or "forward" (a host behind it).\n',
      ],
    );
  });
});
