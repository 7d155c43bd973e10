import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ipsetParser } from "./ipset";
import { assertDetected, rows } from "./linux.testkit";
import { verdict } from "./hosts.testkit";
import { iptablesParser } from "./iptables";

const SAMPLE_0 = `create freshworks_us hash:net family inet hashsize 1024 maxelem 65536 comment
add freshworks_us 18.208.240.64/26 comment "US NAT"
add freshworks_us 52.5.21.7 comment "US NAT 2"
add freshworks_us 34.197.0.0/16 nomatch
create freshworks_v6 hash:net family inet6 hashsize 1024 maxelem 65536
add freshworks_v6 2406:da00:ff00::/48
create webhooks_port hash:ip,port family inet hashsize 1024 maxelem 65536
add webhooks_port 13.232.152.10,tcp:443
add webhooks_port 13.232.152.11,udp:53
add webhooks_port 13.232.152.12,8443
create all_vendors list:set size 8
add all_vendors freshworks_us
add all_vendors missing_set
`;

const SAMPLE_1 = `create blocklist hash:ip family inet hashsize 4096 maxelem 65536 timeout 3600
add blocklist 10.0.0.01 timeout 3000
add blocklist 10.0.0.2 timeout 3000
add ghost 1.1.1.1
create range_set bitmap:ip range 192.168.0.0-192.168.255.255
add range_set 192.168.1.0-192.168.1.9
flush blocklist
add blocklist 10.0.0.3
list blocklist
`;

/** The atomic replace an ipset restore script does (our own exporter writes it): fill a temporary set, swap, destroy. */
const SAMPLE_2 = `-exist create vendors hash:net family inet
create vendors_tmp hash:net family inet comment -exist
flush vendors_tmp
add vendors_tmp 18.208.240.64/26 comment "US NAT" -exist
-exist add vendors_tmp 52.5.21.7
swap vendors_tmp vendors
destroy vendors_tmp
create old_v6 hash:net family inet6
add old_v6 2406:da00:ff00::/48
rename old_v6 vendors_v6
create scratch hash:ip
add scratch 192.0.2.1
destroy scratch
swap vendors missing
flush
add vendors 13.232.152.10
swap vendors
`;

/** ipset commands as a shell script; -D, -F, -X, -W and -E count only after "ipset" (alone they are iptables'). */
const SCRIPT = `ipset -N allow hash:net
ipset -A allow 52.1.32.88
sudo ipset -A allow 3.74.148.8/30
ipset -A allow 10.0.0.1
/usr/sbin/ipset -D allow 10.0.0.1
ipset -N old hash:ip
ipset -A old 192.0.2.9
ipset -N tmp hash:ip
ipset -A tmp 192.0.2.10
ipset -W old tmp
ipset -X tmp
ipset -E old legacy
ipset -F legacy
ipset -D allow 9.9.9.9
ipset -exist create web hash:ip,port
ipset add web 52.1.37.96,tcp:443
ipset add web 52.1.37.97,tcp:443
ipset del web 52.1.37.97,443
ipset del web 52.1.37.96,udp:443
-F allow
`;

describe("ipset parser", () => {
  test("ipset save with comments, nomatch, hash:ip,port and list:set", () => {
    assert.deepEqual(rows(ipsetParser.parse(SAMPLE_0)), {
      entries: [
        [2, "18.208.240.64/26", "cidr", "allow", "in", "", "", "freshworks_us", 0, "18.208.240.64/26", "US NAT"],
        [3, "52.5.21.7", "address", "allow", "in", "", "", "freshworks_us", 0, "52.5.21.7", "US NAT 2"],
        [6, "2406:da00:ff00::/48", "cidr", "allow", "in", "", "", "freshworks_v6", 0, "2406:da00:ff00::/48", ""],
        [8, "13.232.152.10", "address", "allow", "in", "tcp", "443", "webhooks_port", 0, "13.232.152.10", ""],
        [9, "13.232.152.11", "address", "allow", "in", "udp", "53", "webhooks_port", 0, "13.232.152.11", ""],
        [10, "13.232.152.12", "address", "allow", "in", "tcp", "8443", "webhooks_port", 0, "13.232.152.12", ""],
      ],
      findings: [[13, "undefined-reference", '"missing_set" is not defined in this paste.']],
      notes: ["The paste holds address objects but no rules: read as the allowlist itself."],
    });
  });

  test("timeouts, bitmap ranges, an ambiguous member, an uncreated set, a foreign line", () => {
    assert.deepEqual(rows(ipsetParser.parse(SAMPLE_1)), {
      entries: [
        [8, "10.0.0.3", "address", "allow", "in", "", "", "blocklist", 0, "10.0.0.3", ""],
        [6, "192.168.1.0-192.168.1.9", "range", "allow", "in", "", "", "range_set", 0, "192.168.1.0-192.168.1.9", ""],
      ],
      findings: [
        [2, "ambiguous", '"10.0.0.01" is not an address, prefix or range: leading zero is ambiguous (octal?).'],
        [4, "undefined-reference", 'Set "ghost" is not created in this paste.'],
        [9, "not-understood", "Not an ipset command."],
      ],
      notes: ["The paste holds address objects but no rules: read as the allowlist itself."],
    });
  });

  test("flush, swap, destroy, rename and -exist: the swapped members become the target's", () => {
    assert.deepEqual(rows(ipsetParser.parse(SAMPLE_2)), {
      entries: [[16, "13.232.152.10", "address", "allow", "in", "", "", "vendors", 0, "13.232.152.10", ""]],
      findings: [
        [14, "undefined-reference", 'Set "missing" is not created in this paste.'],
        [17, "not-understood", '"swap vendors" without a second set name.'],
      ],
      notes: ["The paste holds address objects but no rules: read as the allowlist itself."],
    });
    // Up to the swap and destroy, the members written under the temporary name are the target's.
    const upToRename = SAMPLE_2.split("\n").slice(0, 10).join("\n");
    assert.deepEqual(rows(ipsetParser.parse(upToRename)).entries, [
      [4, "18.208.240.64/26", "cidr", "allow", "in", "", "", "vendors", 0, "18.208.240.64/26", "US NAT"],
      [5, "52.5.21.7", "address", "allow", "in", "", "", "vendors", 0, "52.5.21.7", ""],
      [9, "2406:da00:ff00::/48", "cidr", "allow", "in", "", "", "vendors_v6", 0, "2406:da00:ff00::/48", ""],
    ]);
  });

  test("an ipset script: short forms -N -A -D -W -X -E -F after the program name, del by element", () => {
    assert.deepEqual(rows(ipsetParser.parse(SCRIPT)), {
      entries: [
        [2, "52.1.32.88", "address", "allow", "in", "", "", "allow", 0, "52.1.32.88", ""],
        [3, "3.74.148.8/30", "cidr", "allow", "in", "", "", "allow", 0, "3.74.148.8/30", ""],
        [16, "52.1.37.96", "address", "allow", "in", "tcp", "443", "web", 0, "52.1.37.96", ""],
      ],
      findings: [
        [14, "note", '"9.9.9.9" is not a member of set "allow": nothing is deleted.'],
        [19, "note", '"52.1.37.96,udp:443" is not a member of set "web": nothing is deleted.'],
        [20, "not-understood", "Not an ipset command."],
      ],
      notes: ["The paste holds address objects but no rules: read as the allowlist itself."],
    });
  });

  // del looks a member up in an index built at the set's first del, and marks it; the set drops it when next read.
  // (A search and a copy of the set per del made 20,000 adds and dels take 44 s.) Adds, swaps and flushes after the
  // index exists must see exactly what a fresh search would.
  test("del after del, after a re-add, after a swap and after a flush deletes what a search of the set would", () => {
    const out = ipsetParser.parse(`create a hash:ip
create b hash:ip
add a 52.1.32.88
add a 52.1.37.96
add b 3.74.148.8
del a 52.1.32.88
add a 52.1.32.88
del a 52.1.32.88
del a 52.1.32.88
swap a b
del a 52.1.37.96
del a 3.74.148.8
add a 3.74.148.9
del b 52.1.37.96
flush b
del b 52.1.37.96
`);
    assert.deepEqual(rows(out), {
      entries: [[13, "3.74.148.9", "address", "allow", "in", "", "", "a", 0, "3.74.148.9", ""]],
      findings: [
        [9, "note", '"52.1.32.88" is not a member of set "a": nothing is deleted.'],
        [11, "note", '"52.1.37.96" is not a member of set "a": nothing is deleted.'],
        [16, "note", '"52.1.37.96" is not a member of set "b": nothing is deleted.'],
      ],
      notes: ["The paste holds address objects but no rules: read as the allowlist itself."],
    });
  });

  test("detects its own samples against every other parser", () => {
    assertDetected(SCRIPT, "ipset");
    for (const s of [SAMPLE_0, SAMPLE_1, SAMPLE_2]) assertDetected(s, "ipset");
  });
});

describe("nomatch elements", () => {
  test("the most specific entry decides: a nomatch inside a member is cut out of it, a member inside a nomatch stays (ipset(8), hash:net nomatch)", () => {
    const out = ipsetParser.parse(
      "create fw hash:net family inet\nadd fw 52.1.37.0/24\nadd fw 52.1.37.96/30 nomatch\nadd fw 52.1.37.97\nadd fw 3.74.148.0/24 nomatch\n",
    );
    assert.deepEqual(rows(out).entries, [
      [2, "52.1.37.0-52.1.37.95", "range", "allow", "in", "", "", "fw", 0, "52.1.37.0/24", ""],
      [2, "52.1.37.100-52.1.37.255", "range", "allow", "in", "", "", "fw", 0, "52.1.37.0/24", ""],
      [4, "52.1.37.97", "address", "allow", "in", "", "", "fw", 0, "52.1.37.97", ""],
    ]);
  });
});

describe("list:set and nomatch", () => {
  // ipset(8) "list:set": the member sets are tested in order and the first match wins; "nomatch" in a hash:net makes
  // the test of that set fail (ip_set_test turns it into "no match"), so the list goes on to its next member.
  // Checked in network namespaces: with fresh_net = { 18.208.240.0/24, 18.208.240.77 nomatch } inside fresh_all,
  // "-m set --match-set fresh_all src -j ACCEPT" counts the SYN from 18.208.240.5 and not the one from 18.208.240.77.
  test("a member set's nomatch exception holds when the set is matched through a list:set", () => {
    const text = `create fresh_us hash:ip family inet hashsize 1024 maxelem 65536
add fresh_us 52.1.37.96
create fresh_net hash:net family inet hashsize 1024 maxelem 65536
add fresh_net 18.208.240.0/24
add fresh_net 18.208.240.77 nomatch
add fresh_net 52.1.37.96 nomatch
create fresh_all list:set size 8
add fresh_all fresh_net
add fresh_all fresh_us
*filter
:INPUT DROP [0:0]
-A INPUT -p tcp -m tcp --dport 443 -m set --match-set fresh_all src -j ACCEPT
COMMIT
`;
    const out = iptablesParser.parse(text);
    assert.equal(verdict(out, "18.208.240.5"), "18.208.240.5 → TCP 443: allowed by line 4.");
    assert.match(verdict(out, "18.208.240.77"), /^18\.208\.240\.77 → TCP 443: blocked — no rule of filter INPUT/);
    // fresh_net's exception does not reach fresh_us, the next set of the list.
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 2.");
  });
});

// Each command below was run through ipset 7.17 and iptables 1.8.9 in a network namespace
// (ipset-edits.kernel.test.ts compares random scripts of them with real connections).
describe("ipset edits as ipset applies them", () => {
  test("an element is a member or an exception: added again it is refused, or turned over with -exist; del takes either", () => {
    const out = ipsetParser.parse(
      [
        "create fw hash:net",
        "add fw 52.1.37.0/24",
        "add fw 52.1.37.0/24 nomatch",
        "add fw 3.74.148.0/24",
        "add fw 3.74.148.0/24 nomatch -exist",
        "add fw 18.208.240.0/24 nomatch",
        "add fw 18.208.240.0/24",
        "add fw 52.1.32.88 nomatch",
        "del fw 52.1.32.88",
        "add fw 44.206.73.232/30",
        "add fw 44.206.73.232/30",
        "del fw 44.206.73.232/30",
      ].join("\n"),
    );
    // 52.1.37.0/24 stays a member, 3.74.148.0/24 becomes an exception, 18.208.240.0/24 stays one, 52.1.32.88's goes,
    // and 44.206.73.232/30 (added once: the second add was refused) is deleted.
    assert.deepEqual(
      out.entries.map((e) => [e.line, e.token]),
      [[2, "52.1.37.0/24"]],
    );
    assert.deepEqual(
      out.findings.map((f) => [f.line, f.message]),
      [
        [
          3,
          `"52.1.37.0/24" is already in set "fw": ipset refuses to add it again without -exist ("it's already added"), nothing changes.`,
        ],
        [
          7,
          `"18.208.240.0/24" is already in set "fw": ipset refuses to add it again without -exist ("it's already added"), nothing changes.`,
        ],
      ],
    );
  });

  test("a set a rule uses cannot be destroyed; after a destroy, adds and rules that name the set are refused", () => {
    const out = iptablesParser.parse(
      [
        "ipset create allow hash:net",
        "ipset create block hash:net",
        "iptables -P INPUT DROP",
        "iptables -A INPUT -p tcp --dport 443 -m set --match-set allow src -j ACCEPT",
        "ipset add allow 52.1.37.0/24",
        "ipset destroy allow",
        "ipset destroy block",
        "ipset add block 52.1.37.96",
        "iptables -I INPUT -p tcp --dport 443 -m set --match-set block src -j DROP",
      ].join("\n"),
    );
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 5.");
    assert.deepEqual(
      out.findings.map((f) => [f.line, f.message]),
      [
        [
          6,
          `ipset refuses to destroy set "allow": a rule read so far uses it ("Set cannot be destroyed: it is in use by a kernel component"), so nothing is destroyed.`,
        ],
        [
          8,
          `Set "block" is destroyed above: ipset refuses this command ("The set with the given name does not exist").`,
        ],
        [
          9,
          `Set "block" is destroyed above: iptables refuses a rule that matches it ("Set block doesn't exist"), nothing is added.`,
        ],
      ],
    );
  });
});
