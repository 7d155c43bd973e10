import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { collectFindings, repeatsPreviousFinding } from "./findings";
import { diffReport } from "./report";
import { runDiff } from "./run";
import { SEED_CATALOG } from "./seed.fixture";

const NEVER_MET =
  "Never met by a new inbound connection: ct state established,related: a new connection's state is NEW.";

// An inet table reads every rule without an address once per family (0.0.0.0/0 and ::/0), and `-s a,b` once per
// source: the verdicts that do not depend on the address are one finding per line, not one per entry.
const NFT = `table inet filter {
  chain input {
    type filter hook input priority 0; policy drop;
    ct state established,related accept
    tcp dport 22 drop
    tcp dport 443 accept
  }
}
`;
const IPTABLES = `*filter
:INPUT DROP [0:0]
-A INPUT -s 198.51.100.1,198.51.100.2 -p tcp --dport 443 -j DROP
-A INPUT -s 52.1.37.96,52.1.32.88 -p tcp --dport 443 -j DROP
-A INPUT -p tcp --dport 443 -j ACCEPT
COMMIT
`;

function findingsOf(text: string, format: "nftables" | "iptables" | "haproxy") {
  const run = runDiff({ text, format, regions: ["US"], port: 443, catalog: SEED_CATALOG });
  assert.equal(run.engine, "objects");
  const listed = collectFindings(run.rows, 100);
  const json = run.engine === "objects" ? diffReport(run.result, 1) : undefined;
  return { run, listed, json };
}

describe("findings: a rule read as several entries", () => {
  test("an inet rule's Never met is listed once; verdicts naming the family stay apart", () => {
    const { run, listed, json } = findingsOf(NFT, "nftables");
    // The entries keep one verdict each (the JSON's entries, the Lines view).
    assert.deepEqual(run.engine === "objects" ? run.result.entries.map((e) => [e.line, e.status]) : [], [
      [4, "inactive"],
      [4, "inactive"],
      [5, "deny"],
      [5, "deny"],
      [6, "covers"],
      [6, "unrelated"],
    ]);
    const expected = [
      [4, NEVER_MET],
      [5, "Deny rule: it blocks no published NAT IP of the chosen regions."],
      [5, "Deny rule: the chosen regions publish no IPv6 NAT IP, so it blocks none."],
      [6, "Over-broad: any allows the whole IPv4 Internet."],
      [6, "Over-broad: any allows the whole IPv6 Internet."],
    ];
    assert.equal(listed.total, 5);
    assert.deepEqual(
      listed.first.map((f) => [f.line, f.message]),
      expected,
    );
    assert.deepEqual(
      json?.findings.map((f) => [f.line, f.message]),
      expected,
    );
  });

  test("iptables -s a,b: one Deny finding when the message is the same, two when each names its address", () => {
    const { listed } = findingsOf(IPTABLES, "iptables");
    assert.deepEqual(
      listed.first.map((f) => [f.line, f.codes.join(","), f.message]),
      [
        [3, "deny", "Deny rule: it blocks no published NAT IP of the chosen regions."],
        [4, "deny", "Denies 52.1.37.96/32 (US): webhooks from it will be blocked."],
        [4, "deny", "Denies 52.1.32.88/32 (US): webhooks from it will be blocked."],
        [5, "overbroad,shadowed,other-region", "Over-broad: any allows the whole IPv4 Internet."],
      ],
    );
    assert.equal(listed.total, 4);
  });

  // One rule's sources on one line said "Only TCP 80 …" once per source (Azure sourceAddressPrefixes, GCP
  // sourceRanges, iptables -s a,b), and a deny's pieces around a negated set said one "Denies …" between others.
  test("a verdict said word for word again on its line is listed once, adjacent or not", () => {
    const wrongPort =
      "*filter\n:INPUT DROP [0:0]\n-A INPUT -s 52.1.37.96,52.1.32.88 -p tcp --dport 80 -j ACCEPT\nCOMMIT\n";
    const { listed } = findingsOf(wrongPort, "iptables");
    assert.deepEqual(
      listed.first.map((f) => [f.line, f.codes.join(","), f.message]),
      [[3, "wrong-port", "Only TCP 80 — the checked port 443 is not allowed."]],
    );
    assert.equal(listed.total, 1);
    // A deny cut into pieces around a negated ACL: its pieces said the same "Denies …" between their other messages.
    const haproxy = `frontend fe
    bind :443
    acl fw src 52.1.37.96 18.208.240.77 3.74.148.8
    http-request deny if !fw
`;
    const { run, listed: negated } = findingsOf(haproxy, "haproxy");
    const rows = run.engine === "objects" ? run.result.entries.filter((v) => v.status === "deny") : [];
    const said = [...new Set(rows.map((v) => v.message))];
    assert.equal(rows.length > said.length, true, "some pieces repeat a message");
    assert.deepEqual(
      negated.first.filter((f) => f.line === 4).map((f) => f.message),
      said,
    );
  });

  test("a deny of both families that blocks published IPv4 addresses is one finding, not also 'blocks none'", () => {
    const text = `table inet filter {
  chain input {
    type filter hook input priority 0; policy accept;
    ip saddr 52.1.37.96 tcp dport 443 accept
    tcp dport 443 drop
  }
}
`;
    const { run, listed } = findingsOf(text, "nftables");
    const denies =
      "Denies 52.1.32.88/32 (US), 18.208.240.77/32 (US), 52.201.75.8/32 (US) and 10 more: webhooks from it will be blocked. Line 4 already decided 52.1.37.96/32 (US).";
    // The ::/0 piece blocks no published address (the regions publish no IPv6): it takes the rule's message, so the
    // line is one finding, not "Denies …" beside "it blocks none".
    assert.deepEqual(run.engine === "objects" ? run.result.entries.map((e) => [e.line, e.status, e.message]) : [], [
      [4, "covers", "Allows 52.1.37.96/32 (US) exactly."],
      [5, "deny", denies],
      [5, "deny", denies],
    ]);
    assert.deepEqual(
      listed.first.map((f) => [f.line, f.codes.join(","), f.message]),
      [[5, "deny", denies]],
    );
  });

  test("rules that differ in a match read as met (ICMP type, rate limit, destination) are not duplicates", () => {
    // iptables-extensions(8) "icmp", "limit"; iptables(8) -d. ufw's before.rules holds such an ICMP pair: removing
    // either breaks ping or path MTU discovery, and above the rate the rule after the limited one still accepts.
    const text = `*filter
:INPUT DROP [0:0]
-A INPUT -p icmp -m icmp --icmp-type 3 -j ACCEPT
-A INPUT -p icmp -m icmp --icmp-type 8 -j ACCEPT
-A INPUT -s 52.1.32.88/32 -p tcp -m tcp --dport 443 -m limit --limit 5/min -j ACCEPT
-A INPUT -s 52.1.32.88/32 -p tcp -m tcp --dport 443 -j ACCEPT
-A INPUT -s 52.201.75.8/32 -d 10.0.0.1/32 -p tcp -m tcp --dport 443 -j ACCEPT
-A INPUT -s 52.201.75.8/32 -d 10.0.0.2/32 -p tcp -m tcp --dport 443 -j ACCEPT
-A INPUT -s 52.0.0.0/8 -p tcp -m tcp --dport 443 -m limit --limit 5/min -j ACCEPT
-A INPUT -s 52.1.37.96/32 -p tcp -m tcp --dport 443 -j ACCEPT
-A INPUT -s 52.1.37.96/32 -p tcp -m tcp --dport 443 -j ACCEPT
COMMIT
`;
    const { run, listed } = findingsOf(text, "iptables");
    assert.deepEqual(
      run.engine === "objects"
        ? run.result.entries.filter((v) => v.flags.length > 0).map((v) => [v.line, v.flags.join(",")])
        : [],
      [
        [9, "overbroad,other-region"],
        [11, "duplicate"],
      ],
    );
    assert.deepEqual(
      listed.first.map((f) => [f.line, f.message]),
      [
        [9, "Over-broad: 52.0.0.0/8 allows 16,777,216 addresses (wider than /16)."],
        [11, "Allows 52.1.37.96/32 (US), already allowed by line 9."],
      ],
    );
  });

  test("a RETURN rule is not reported as a deny: the DROP's other-service pieces on its line are not findings", () => {
    // Docker's documented DOCKER-USER allowlist (docs.docker.com/engine/network/packet-filtering-firewalls/): RETURN
    // hands the allowed source back to FORWARD, then DROP. The DROP's pieces for that source's other protocols and
    // ports sit on the RETURN's line (where the address is written), and were "Deny rule: it blocks no published NAT
    // IP" there.
    const text = `*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:DOCKER-USER - [0:0]
-A FORWARD -j DOCKER-USER
-A FORWARD -d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 443 -j ACCEPT
-A DOCKER-USER -s 52.1.37.96/32 -i eth0 -p tcp -m conntrack --ctorigdstport 443 -j RETURN
-A DOCKER-USER -i eth0 -j DROP
COMMIT
`;
    const run = runDiff({
      text,
      format: "iptables",
      regions: ["US"],
      port: 443,
      catalog: SEED_CATALOG,
      parse: { ingress: "eth0" },
    });
    const listed = collectFindings(run.rows, 100);
    assert.deepEqual(
      listed.first.map((f) => f.line),
      [7, 9, 9],
    );
    assert.deepEqual(
      run.engine === "objects" ? [...new Set(run.result.entries.filter((v) => v.line === 8).map((v) => v.status))] : [],
      ["unrelated"],
    );
  });

  test("repeatsPreviousFinding: only rule verdicts, on the same line, with the same flags and message", () => {
    const a = { line: 4, status: "inactive" as const, flags: [], message: "m" };
    assert.equal(repeatsPreviousFinding(undefined, a), false);
    assert.equal(repeatsPreviousFinding(a, { ...a }), true);
    assert.equal(repeatsPreviousFinding(a, { ...a, line: 5 }), false);
    assert.equal(repeatsPreviousFinding(a, { ...a, message: "n" }), false);
    assert.equal(repeatsPreviousFinding(a, { ...a, status: "deny" }), false);
    assert.equal(repeatsPreviousFinding({ ...a, status: "deny" }, { ...a, status: "deny" }), true);
    assert.equal(repeatsPreviousFinding({ ...a, status: "outbound" }, { ...a, status: "outbound" }), true);
    assert.equal(repeatsPreviousFinding(a, { ...a, flags: ["shadowed"] }), false);
    // Covers and invalid rows name their own address or token: never merged.
    assert.equal(repeatsPreviousFinding({ ...a, status: "covers" }, { ...a, status: "covers" }), false);
    assert.equal(repeatsPreviousFinding({ ...a, status: "invalid" }, { ...a, status: "invalid" }), false);
  });
});
