import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { NFT_JUMP_STACK_SIZE, nftablesParser } from "./nftables";
import { labMissing } from "../../testing/netns";
import { assertDetected, rows } from "./linux.testkit";
import { verdict } from "./hosts.testkit";
import { trace } from "../../diff/trace";
import { mustParseAddress } from "../../ip/address";
import { SEED_CATALOG } from "../../diff/seed.fixture";

const SAMPLE_0 = `table inet filter {
	set freshworks_v4 {
		type ipv4_addr
		flags interval
		elements = { 13.232.152.0/24, 18.208.240.77,
			     52.5.21.7-52.5.21.9 }
	}
	set freshworks_v6 {
		type ipv6_addr
		flags interval
		elements = { 2406:da00:ff00::/48 }
	}
	set legacy {
		type ipv4_addr
		elements = { 198.51.100.7 }
	}
	set web_ports {
		type inet_service
		elements = { 80, 443 }
	}
	chain input {
		type filter hook input priority filter; policy drop;
		ct state established,related accept
		ct state invalid drop
		iif "lo" accept
		ip saddr 10.0.0.0/8 tcp dport ssh accept
		ip saddr @freshworks_v4 tcp dport @web_ports counter packets 0 bytes 0 accept
		ip6 saddr @freshworks_v6 tcp dport https accept
		ip saddr != 192.168.0.0/16 tcp dport 8443 drop
		tcp dport 443 jump web
		meta l4proto udp accept
	}
	chain web {
		ip saddr { 3.3.3.3, 4.4.4.0/24 } accept comment "partners"
		ip saddr 4.0.0.0/8 accept
		ip saddr 9.9.9.9 tcp dport 22 accept
		return
		ip saddr 5.5.5.5 accept
	}
	chain output {
		type filter hook output priority 0; policy accept;
	}
}
`;

const SAMPLE_1 = `#!/usr/sbin/nft -f
flush ruleset

define vendor_nets = { 18.208.240.64/26, 52.5.21.7 }

table ip fw {
	chain fwd {
		type filter hook forward priority 0; policy drop;
		ip saddr $vendor_nets tcp dport { 443, 8000-8080 } accept
		ip saddr $missing accept
		goto deny_all
		ip saddr 1.1.1.1 accept
	}
	chain deny_all {
		ip saddr 010.0.0.1 drop
		jump deny_all
		drop
	}
	chain in {
		type filter hook input priority -10; policy accept;
		ip saddr @nosuchset accept
		jump nosuchchain
		this is not nft
	}
	chain nat_pre {
		type nat hook prerouting priority dstnat; policy accept;
		ip saddr 7.7.7.7 dnat to 10.0.0.2
	}
}
`;

const SAMPLE_2 = `table ip6 allowlist {
	set vendors6 {
		type ipv6_addr
		flags interval
		elements = { 2406:da00:ff00::/48,
			     2406:da18::/32 }
	}
}
`;

/** An nft -f script replacing its ruleset: flush ruleset, the declare-then-delete idiom, flushes and deletes, a reopened table. */
const SAMPLE_3 = `#!/usr/sbin/nft -f
table inet old {
	chain input {
		type filter hook input priority filter; policy drop;
		ip saddr 198.51.100.0/24 accept
	}
}
flush ruleset
table inet web
delete table inet web
table inet web {
	set vendors {
		type ipv4_addr
		flags interval
		elements = { 18.208.240.64/26, 52.5.21.7 }
	}
	set stale {
		type ipv4_addr
		elements = { 203.0.113.9 }
	}
	chain input {
		type filter hook input priority filter; policy drop;
		ip saddr 192.0.2.0/24 accept
	}
	chain legacy {
		ip saddr @stale accept
	}
}
flush table inet web
delete set inet web stale
delete chain inet web legacy
table inet web {
	chain input {
		ip saddr @vendors tcp dport 443 accept
	}
}
table ip scratch {
	set tmp {
		type ipv4_addr
		elements = { 10.9.9.9 }
	}
	chain input {
		type filter hook input priority 10; policy accept;
		ip saddr @tmp drop
	}
}
flush set ip scratch tmp
destroy table ip gone
flush ruleset ip6
delete rule inet web input handle 4
`;

describe("nftables parser", () => {
  test("inet table: named sets, port set, ct state, loopback, negation, jump AND, return, policies", () => {
    assert.deepEqual(rows(nftablesParser.parse(SAMPLE_0)), {
      entries: [
        [23, "0.0.0.0/0", "any", "allow", "in", "", "", "", 0, "any", ""],
        [23, "::/0", "any", "allow", "in", "", "", "", 0, "any", ""],
        [24, "0.0.0.0/0", "any", "deny", "in", "", "", "", 0, "any", ""],
        [24, "::/0", "any", "deny", "in", "", "", "", 0, "any", ""],
        [25, "0.0.0.0/0", "any", "allow", "in", "", "", "", 0, "any", ""],
        [25, "::/0", "any", "allow", "in", "", "", "", 0, "any", ""],
        [26, "10.0.0.0/8", "cidr", "allow", "in", "tcp", "22", "", 0, "10.0.0.0/8", ""],
        [5, "13.232.152.0/24", "cidr", "allow", "in", "tcp", "80,443", "freshworks_v4", 27, "13.232.152.0/24", ""],
        [5, "18.208.240.77", "address", "allow", "in", "tcp", "80,443", "freshworks_v4", 27, "18.208.240.77", ""],
        [
          6,
          "52.5.21.7-52.5.21.9",
          "range",
          "allow",
          "in",
          "tcp",
          "80,443",
          "freshworks_v4",
          27,
          "52.5.21.7-52.5.21.9",
          "",
        ],
        [
          11,
          "2406:da00:ff00::/48",
          "cidr",
          "allow",
          "in",
          "tcp",
          "443",
          "freshworks_v6",
          28,
          "2406:da00:ff00::/48",
          "",
        ],
        [29, "0.0.0.0-192.167.255.255", "range", "deny", "in", "tcp", "8443", "", 0, "!192.168.0.0/16", ""],
        [29, "192.169.0.0-255.255.255.255", "range", "deny", "in", "tcp", "8443", "", 0, "!192.168.0.0/16", ""],
        [34, "3.3.3.3", "address", "allow", "in", "tcp", "443", "web", 0, "3.3.3.3", "partners"],
        [34, "4.4.4.0/24", "cidr", "allow", "in", "tcp", "443", "web", 0, "4.4.4.0/24", "partners"],
        [35, "4.0.0.0/8", "cidr", "allow", "in", "tcp", "443", "web", 0, "4.0.0.0/8", ""],
        [31, "0.0.0.0/0", "any", "allow", "in", "udp", "", "", 0, "any", ""],
        [31, "::/0", "any", "allow", "in", "udp", "", "", 0, "any", ""],
      ],
      findings: [[13, "unused-object", 'Set "legacy" is defined but no allow rule uses it.']],
      notes: [],
    });
  });

  test("nft -f script: define, goto, loops, undefined names, nat chain, a foreign line", () => {
    assert.deepEqual(rows(nftablesParser.parse(SAMPLE_1)), {
      entries: [
        [21, "0.0.0.0/0", "any", "allow", "in", "", "", "", 0, "any", ""],
        [4, "18.208.240.64/26", "cidr", "allow", "in", "tcp", "443,8000-8080", "", 9, "18.208.240.64/26", ""],
        [4, "52.5.21.7", "address", "allow", "in", "tcp", "443,8000-8080", "", 9, "52.5.21.7", ""],
        [17, "0.0.0.0/0", "any", "deny", "in", "", "", "deny_all", 0, "any", ""],
      ],
      findings: [
        [10, "undefined-reference", '"$missing" is not defined in this paste.'],
        [15, "ambiguous", '"010.0.0.1" is not an address, prefix or range: leading zero is ambiguous (octal?).'],
        [16, "reference-loop", 'Chain "deny_all" jumps back to itself through fwd → deny_all → deny_all.'],
        [21, "undefined-reference", 'Set "nosuchset" is not an address set of table fw.'],
        [22, "undefined-reference", 'Chain "nosuchchain" is not defined in table fw.'],
        [23, "not-understood", "Not an nftables rule."],
        [25, "note", 'Chain "nat_pre" is a nat chain: it does not decide what is allowed; its rules are not read.'],
        [
          27,
          "note",
          "The dnat at line 27 sends some sources' connections to another host: they are forwarded, so the input hook's rules do not see them (the forward hook's do); use --path forward to read them.",
        ],
      ],
      notes: [],
    });
  });

  test("a table holding only a set is read as the allowlist", () => {
    assert.deepEqual(rows(nftablesParser.parse(SAMPLE_2)), {
      entries: [
        [5, "2406:da00:ff00::/48", "cidr", "allow", "in", "", "", "vendors6", 0, "2406:da00:ff00::/48", ""],
        [6, "2406:da18::/32", "cidr", "allow", "in", "", "", "vendors6", 0, "2406:da18::/32", ""],
      ],
      findings: [],
      notes: ["The paste holds address objects but no rules: read as the allowlist itself."],
    });
  });

  test("flush ruleset, table declarations, flush and delete of tables, chains and sets apply in order", () => {
    assert.deepEqual(rows(nftablesParser.parse(SAMPLE_3)), {
      entries: [
        [15, "18.208.240.64/26", "cidr", "allow", "in", "tcp", "443", "vendors", 34, "18.208.240.64/26", ""],
        [15, "52.5.21.7", "address", "allow", "in", "tcp", "443", "vendors", 34, "52.5.21.7", ""],
        [44, "0.0.0.0/0", "any", "deny", "in", "", "", "", 0, "any", ""],
      ],
      findings: [
        [38, "unused-object", 'Set "tmp" is defined but no allow rule uses it.'],
        [
          50,
          "note",
          "Rule handle 4 is not known in a paste: this delete is not applied, so that rule is still read if it is here.",
        ],
      ],
      notes: [],
    });
  });

  test("detects its own samples against every other parser", () => {
    for (const s of [SAMPLE_0, SAMPLE_1, SAMPLE_2, SAMPLE_3]) assertDetected(s, "nftables");
  });
});

/** A shell script of nft commands: shell quoting and escapes, insert before add, a handle delete, element delete. */
const SCRIPT_0 = `#!/bin/sh
set -e
nft add table inet filter
nft add set inet filter allow { type ipv4_addr\\; flags interval\\; }
nft add element inet filter allow { 52.1.32.88, 3.74.148.8/30 }
nft add chain inet filter input '{ type filter hook input priority 0; policy drop; }'
nft add rule inet filter input ct state established,related accept
nft add rule inet filter input ip saddr @allow tcp dport 443 accept
nft insert rule inet filter input ip saddr 198.51.100.7 drop
add rule inet filter input ip saddr 52.1.37.96 tcp dport 443 accept
sudo /usr/sbin/nft add rule inet filter input ip saddr 203.0.113.5 \\
   tcp dport 22 accept
nft delete rule inet filter input handle 7
nft add element inet filter allow { 203.0.113.9 }
nft delete element inet filter allow { 203.0.113.9, 1.1.1.1 }
nft flush chain inet filter forward
`;

/** What \`nft list ruleset\` prints after SCRIPT_0 (the handle-7 rule aside). */
const LISTED_0 = `table inet filter {
	set allow {
		type ipv4_addr
		flags interval
		elements = { 52.1.32.88, 3.74.148.8/30 }
	}
	chain input {
		type filter hook input priority filter; policy drop;
		ip saddr 198.51.100.7 drop
		ct state established,related accept
		ip saddr @allow tcp dport 443 accept
		ip saddr 52.1.37.96 tcp dport 443 accept
		ip saddr 203.0.113.5 tcp dport 22 accept
	}
}
`;

/** Commands without "nft" (an nft -f file): chains without a hook, inserts by index and handle, one-line blocks. */
const SCRIPT_1 = `add rule inet filter INPUT ip saddr 52.1.37.96 tcp dport 443 accept
insert rule inet filter INPUT ip saddr 52.1.0.0/16 drop
add rule inet filter INPUT index 0 ip saddr 52.1.37.97 accept
insert rule inet filter INPUT position 12 ip saddr 52.1.37.98 accept
add rule inet filter web ip saddr 52.1.37.99 accept
replace rule inet filter INPUT handle 3 ip saddr 9.9.9.9 accept
add rule ip6 fw output ip6 saddr 2001:db8::1 accept
add rule inet filter INPUT hello world
add chain inet filter INPUT { policy drop; }
insert chain inet filter x
table ip edge { chain in { type filter hook input priority 0; policy accept; ip saddr 192.0.2.1 drop; } }
`;

/** Only elements, for a set created on the machine: read as the allowlist. */
const SCRIPT_2 = `nft add element inet filter freshworks { 52.1.32.88, 52.1.37.96 }
nft add element inet filter freshworks {
    2406:da00:ff00::/48,
    3.74.148.8/30 }
nft add element inet filter web_ports { 443 }
`;

/** Entries without their line numbers, to compare a script with the listing it leads to. */
function unlined(out: ReturnType<typeof nftablesParser.parse>) {
  return rows(out).entries.map(([, range, kind, action, direction, protocol, ports, via, , token, comment]) => [
    range,
    kind,
    action,
    direction,
    protocol,
    ports,
    via,
    token,
    comment,
  ]);
}

describe("nftables command scripts", () => {
  test("nft commands apply in order into the same tables", () => {
    assert.deepEqual(rows(nftablesParser.parse(SCRIPT_0)), {
      entries: [
        [9, "198.51.100.7", "address", "deny", "in", "", "", "", 0, "198.51.100.7", ""],
        [7, "0.0.0.0/0", "any", "allow", "in", "", "", "", 0, "any", ""],
        [7, "::/0", "any", "allow", "in", "", "", "", 0, "any", ""],
        [5, "52.1.32.88", "address", "allow", "in", "tcp", "443", "allow", 8, "52.1.32.88", ""],
        [5, "3.74.148.8/30", "cidr", "allow", "in", "tcp", "443", "allow", 8, "3.74.148.8/30", ""],
        [10, "52.1.37.96", "address", "allow", "in", "tcp", "443", "", 0, "52.1.37.96", ""],
        [11, "203.0.113.5", "address", "allow", "in", "tcp", "22", "", 0, "203.0.113.5", ""],
      ],
      findings: [
        [
          13,
          "note",
          "Rule handle 7 is not known in a paste: this delete is not applied, so that rule is still read if it is here.",
        ],
        [15, "note", '"1.1.1.1" is not an element of set "allow": nothing is deleted.'],
      ],
      notes: [],
    });
  });

  test("a script gives the entries of the equivalent nft list ruleset", () => {
    assert.deepEqual(unlined(nftablesParser.parse(SCRIPT_0)), unlined(nftablesParser.parse(LISTED_0)));
  });

  test("bare commands: a hook-less chain named input, index and handle positions, replace, one-line blocks", () => {
    assert.deepEqual(rows(nftablesParser.parse(SCRIPT_1)), {
      entries: [
        [4, "52.1.37.98", "address", "allow", "in", "", "", "", 0, "52.1.37.98", ""],
        [2, "52.1.0.0/16", "cidr", "deny", "in", "", "", "", 0, "52.1.0.0/16", ""],
        [3, "52.1.37.97", "address", "allow", "in", "", "", "", 0, "52.1.37.97", ""],
        [1, "52.1.37.96", "address", "allow", "in", "tcp", "443", "", 0, "52.1.37.96", ""],
        [11, "192.0.2.1", "address", "deny", "in", "", "", "", 0, "192.0.2.1", ""],
      ],
      findings: [
        [1, "note", 'Chain "INPUT" has no hook in this paste: read as the input hook by its name.'],
        [4, "note", 'Rule handle 12 is not known in a paste: this rule is read as the first of chain "INPUT".'],
        [5, "note", 'Chain "web" is not reached from a base chain: its rules are not read.'],
        [6, "note", "Rule handle 3 is not known in a paste: this replace is not applied."],
        [7, "note", 'Chain "output" is not reached from a base chain: its rules are not read.'],
        [8, "not-understood", "Not an nftables rule."],
        [10, "not-understood", 'Not an nftables command: "insert" applies to rules only.'],
      ],
      notes: [],
    });
  });

  // "index N" names the chain's rule N, from 0: add puts the rule after it, insert before it, and nft 1.0.6 refuses an
  // index with no rule there ("Error: Could not process rule: No such file or directory"; run here with 2, 3 and 4
  // rules). It was read as an append, so 52.1.37.99 was read as allowed.
  test("add|insert rule … index N: after or before rule N; an index past the last rule is refused", () => {
    const out = nftablesParser.parse(
      [
        "nft add table inet f",
        "nft add chain inet f input '{ type filter hook input priority 0; policy drop; }'",
        "nft add rule inet f input ip saddr 52.1.37.96 accept",
        "nft add rule inet f input ip saddr 52.1.37.97 accept",
        "nft add rule inet f input index 1 ip saddr 52.1.37.98 accept",
        "nft add rule inet f input index 3 ip saddr 52.1.37.99 accept",
        "nft insert rule inet f input index 0 ip saddr 52.1.37.100 accept",
        "nft insert rule inet f input index 4 ip saddr 52.1.37.101 accept",
        "nft insert rule inet f input index 3 ip saddr 52.1.37.102 accept",
      ].join("\n"),
    );
    assert.deepEqual(
      out.entries.map((e) => e.token),
      ["52.1.37.100", "52.1.37.96", "52.1.37.97", "52.1.37.102", "52.1.37.98"],
    );
    assert.deepEqual(
      out.findings.map((f) => [f.line, f.message]),
      [
        [6, 'nft refuses index 3: chain "input" holds 3 rules here (indexes count from 0), so this rule is not added.'],
        [8, 'nft refuses index 4: chain "input" holds 4 rules here (indexes count from 0), so this rule is not added.'],
      ],
    );
    // The same in an nft -f file: one transaction, which the refused command fails.
    const file = nftablesParser.parse(
      [
        "table inet f {",
        " chain input {",
        "  type filter hook input priority 0; policy drop;",
        "  ip saddr 52.1.37.96 accept",
        " }",
        "}",
        "add rule inet f input index 1 ip saddr 52.1.37.99 accept",
      ].join("\n"),
    );
    assert.deepEqual(
      file.findings.map((f) => [f.line, f.message]),
      [
        [
          7,
          'nft refuses index 1: chain "input" holds 1 rule here (indexes count from 0), so this rule is not added. Loaded with nft -f, the whole file fails with it (one transaction) and the device keeps the rules it had.',
        ],
      ],
    );
  });

  test("without a chain declaration the input chain's policy stays unknown, and the note says so", () => {
    assert.deepEqual(
      rows(nftablesParser.parse("nft add rule inet filter input ip saddr 52.1.37.96 tcp dport 443 accept\n")),
      {
        entries: [[1, "52.1.37.96", "address", "allow", "in", "tcp", "443", "", 0, "52.1.37.96", ""]],
        findings: [
          [
            1,
            "note",
            'Chain "input" has no hook in this paste: read as the input hook by its name, its policy unknown.',
          ],
        ],
        notes: [],
      },
    );
  });

  test("elements added to a set the paste does not create are read as the allowlist", () => {
    assert.deepEqual(rows(nftablesParser.parse(SCRIPT_2)), {
      entries: [
        [1, "52.1.32.88", "address", "allow", "in", "", "", "freshworks", 0, "52.1.32.88", ""],
        [1, "52.1.37.96", "address", "allow", "in", "", "", "freshworks", 0, "52.1.37.96", ""],
        [3, "2406:da00:ff00::/48", "cidr", "allow", "in", "", "", "freshworks", 0, "2406:da00:ff00::/48", ""],
        [4, "3.74.148.8/30", "cidr", "allow", "in", "", "", "freshworks", 0, "3.74.148.8/30", ""],
      ],
      findings: [
        [1, "note", 'Set "freshworks" is not created in this paste: its type is read from its elements (ipv4_addr).'],
        [5, "note", 'Set "web_ports" is not created in this paste: its type is read from its elements (inet_service).'],
      ],
      notes: ["The paste holds address objects but no rules: read as the allowlist itself."],
    });
  });

  test("20k inserts at the top stay in order (linear: prepended once, not spliced per rule)", () => {
    const n = 20000;
    const lines: string[] = [];
    for (let i = 0; i < n; i++)
      lines.push(`nft insert rule inet filter input ip saddr 10.${i >> 8}.${i & 255}.1 accept`);
    const out = nftablesParser.parse(lines.join("\n"));
    const expected = lines.map((_, i) => `10.${i >> 8}.${i & 255}.1`).reverse();
    assert.deepEqual(
      out.entries.map((e) => e.token),
      expected,
    );
  });

  test("each script form is detected as nftables against every other parser", () => {
    for (const s of [SCRIPT_0, SCRIPT_1, SCRIPT_2]) assertDetected(s, "nftables");
    assertDetected("nft add rule inet filter input ip saddr 52.1.37.96 tcp dport 443 accept\n", "nftables");
    assertDetected("add element inet filter allow { 52.1.32.88, 3.74.148.8/30 }\n", "nftables");
    assertDetected("nft add table inet filter\nnft flush chain inet filter input\n", "nftables");
  });
});

describe("nftables: delete set", () => {
  // nft(8) SETS: "delete set [family] table set" removes the named set; a set declared again later is a new set.
  test("the named set goes; a set declared again or after the first delete stays until it is deleted", () => {
    const out = nftablesParser.parse(`table inet f {
 set A { type ipv4_addr; elements = { 192.0.2.1 } }
 set B { type ipv4_addr; elements = { 192.0.2.2 } }
 set C { type ipv4_addr; elements = { 192.0.2.3 } }
}
delete set inet f B
delete set inet f Z
table inet f {
 set B { type ipv4_addr; elements = { 192.0.2.4 } }
 set D { type ipv4_addr; elements = { 192.0.2.5 } }
}
delete set inet f A
delete set inet f D
`);
    // No rules: the sets left are read as the allowlist, in the order they were declared.
    assert.deepEqual(
      out.entries.map((e) => [e.line, e.token]),
      [
        [4, "192.0.2.3"],
        [9, "192.0.2.4"],
      ],
    );
    assert.deepEqual(out.findings, []);
  });
});

describe("named verdict maps", () => {
  // nft(8) MAPS / VERDICT MAP: "map NAME { type KEY : verdict; elements = { key : verdict } }" looked up with
  // "KEY vmap @NAME" (https://wiki.nftables.org/wiki-nftables/index.php/Verdict_Maps_(vmaps)); a goto does not come
  // back, so a key with no match in the target chain meets the base chain policy. Checked with nft 1.0 in a netns.
  test("elements decide as an anonymous map's, counters in elements are not part of the key", () => {
    const out = nftablesParser.parse(`table ip filter {
	map srcv {
		type ipv4_addr : verdict
		flags interval
		counter
		elements = { 52.1.37.96 counter packets 0 bytes 0 : accept, 44.206.73.232/29 counter packets 3 bytes 180 : drop,
			     3.74.148.8-3.74.148.11 counter packets 0 bytes 0 : goto eu }
	}
	map marks {
		type ipv4_addr : mark
		elements = { 52.1.32.88 : 0x00000001 }
	}
	chain input {
		type filter hook input priority filter; policy drop;
		tcp dport 443 ip saddr vmap @srcv
		tcp dport 443 ip saddr 44.206.73.232/29 accept
	}
	chain eu {
		ip saddr 3.74.148.8 accept
	}
}
`);
    assert.deepEqual(out.findings, []);
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 6.");
    assert.equal(
      verdict(out, "44.206.73.233"),
      "44.206.73.233 → TCP 443: blocked by line 6 in ip filter input (hook input, priority 0).",
    );
    assert.equal(verdict(out, "3.74.148.8"), "3.74.148.8 → TCP 443: allowed by line 19.");
    assert.match(verdict(out, "3.74.148.9"), /^3\.74\.148\.9 → TCP 443: blocked — no rule of ip filter input/);
    assert.match(verdict(out, "52.1.32.88"), /^52\.1\.32\.88 → TCP 443: blocked — no rule of ip filter input/);
  });

  test("a map made and filled by commands; its jump target is reached", () => {
    const out = nftablesParser.parse(`nft add table inet fw
nft add chain inet fw input '{ type filter hook input priority 0; policy drop; }'
nft add chain inet fw fresh
nft add map inet fw ports '{ type inet_service : verdict; }'
nft add element inet fw ports '{ 443 : jump fresh }'
nft add rule inet fw input tcp dport vmap @ports
nft add rule inet fw fresh ip saddr 18.184.146.22 accept
`);
    assert.deepEqual(out.findings, []);
    assert.equal(verdict(out, "18.184.146.22"), "18.184.146.22 → TCP 443: allowed by line 7.");
    assert.match(verdict(out, "18.184.146.22", 80), /blocked/);
  });
});

describe("fib expressions", () => {
  // nft(8) FIB EXPRESSIONS; the anti-spoofing rule "fib saddr . iif oif missing drop" of
  // https://wiki.nftables.org/wiki-nftables/index.php/Matching_routing_information drops packets with no route back
  // through the interface they came in on, which a SYN from a public address arriving from the Internet has (firewalld
  // writes the same check with ". mark"). "fib daddr [. iif] type local" holds for a packet to this host.
  test("reverse-path and daddr-type checks pass a SYN from the Internet; fib's iif names no interface", () => {
    const out = nftablesParser.parse(`table inet filter {
	chain pre {
		type filter hook prerouting priority raw; policy accept;
		fib saddr . iif oif missing drop
		meta nfproto ipv6 fib saddr . mark . iif oif missing drop
		fib daddr . iif type != { local, broadcast, multicast } drop
	}
	chain input {
		type filter hook input priority filter; policy drop;
		fib daddr type != local drop
		iifname "eth0" ip saddr { 52.1.37.96, 52.1.32.88 } tcp dport 443 accept
	}
}
`);
    assert.equal(out.path?.ingress, "eth0");
    assert.deepEqual(out.findings, []);
    assert.equal(
      verdict(out, "52.1.37.96"),
      "52.1.37.96 → TCP 443: allowed by the default of inet filter pre (hook prerouting, priority -300), then line 11.",
    );
    assert.match(verdict(out, "18.208.240.77"), /blocked/);
  });

  test("a fib lookup not decided stays a condition not known to match", () => {
    const out = nftablesParser.parse(`table ip t {
	chain input {
		type filter hook input priority 0; policy accept;
		ip saddr 52.1.37.96 fib saddr oif "eth1" drop
	}
}
`);
    assert.match(verdict(out, "52.1.37.96"), /blocked by line 4/);
  });
});

describe("notrack", () => {
  // nft(8): "notrack" exempts the packet from connection tracking; its ct state is then "untracked", not "new". It
  // only works before conntrack (prerouting priority below -200, "raw"); an accept ends only its own base chain.
  // Checked in network namespaces with this ruleset: the SYN from 3.74.148.8 is dropped, those from .9, .10 and .11
  // reach the host (connection refused).
  test("ct state matches see untracked where a raw-priority notrack exempted the packet", () => {
    const out = nftablesParser.parse(`table inet raw {
	chain pre {
		type filter hook prerouting priority raw; policy accept;
		ip saddr 3.74.148.10 accept
		tcp dport 443 notrack
	}
}
table inet filter {
	chain input {
		type filter hook input priority filter; policy drop;
		ct state established,related accept
		ip saddr 3.74.148.8 ct state new tcp dport 443 accept
		ip saddr 3.74.148.9 ct state untracked tcp dport 443 accept
		ip saddr 3.74.148.10 ct state new tcp dport 443 accept
		ip saddr 3.74.148.11 ct state vmap { untracked : accept, new : drop }
	}
}
`);
    assert.match(verdict(out, "3.74.148.8"), /^3\.74\.148\.8 → TCP 443: blocked — no rule of inet filter input/);
    assert.equal(
      verdict(out, "3.74.148.9"),
      "3.74.148.9 → TCP 443: allowed by the default of inet raw pre (hook prerouting, priority -300), then line 13.",
    );
    assert.equal(verdict(out, "3.74.148.10"), "3.74.148.10 → TCP 443: allowed by line 4, then line 14.");
    assert.equal(
      verdict(out, "3.74.148.11"),
      "3.74.148.11 → TCP 443: allowed by the default of inet raw pre (hook prerouting, priority -300), then line 15.",
    );
  });
});

describe("dnat before the filter chains", () => {
  // A dnat of nat prerouting runs before the routing decision (nft(8) NAT STATEMENTS), so a connection it sends to
  // another host crosses the forward hook, not input, and has the dnat status bit ("ct status dnat", nft(8) CONNTRACK
  // EXPRESSIONS). Kernel-checked in nftables-dnat.kernel.test.ts.
  test("a dnat of every connection to another host: the path detected is forward; ct status dnat holds", () => {
    const text = `table ip nat {
	chain prerouting {
		type nat hook prerouting priority dstnat; policy accept;
		iifname "eth0" tcp dport 443 dnat to 172.17.0.2:443
	}
}
table inet filter {
	chain input {
		type filter hook input priority filter; policy drop;
		ip saddr 52.1.37.96 tcp dport 443 accept
	}
	chain forward {
		type filter hook forward priority filter; policy drop;
		ct status dnat accept
	}
}
`;
    const out = nftablesParser.parse(text);
    assert.equal(out.path?.kind, "forward");
    assert.equal(
      out.path?.assumption,
      "Read as a new TCP connection forwarded to a service behind this host (hooks ingress, prerouting, forward), since nat prerouting line 4 DNATs TCP 443 to 172.17.0.2:443: the connection is forwarded; use --path input if the service is the host itself. Rules only for loopback, container, bridge or VPN interfaces are read as not met by Internet traffic; name the Internet-facing interface with --ingress.",
    );
    assert.equal(verdict(out, "18.208.240.77"), "18.208.240.77 → TCP 443: allowed by line 14.");
    // An ip table's dnat does not take IPv6 connections: the forward chain's policy drops them.
    assert.equal(
      verdict(out, "2406:da00:ff00::1"),
      "2406:da00:ff00::1 → TCP 443: blocked — no rule of inet filter forward (hook forward, priority 0) (line 13) matches, and its default is deny.",
    );
    // "ct status != dnat" is then never met by an IPv4 connection.
    const negated = nftablesParser.parse(text.replace("ct status dnat accept", "ct status != dnat accept"));
    assert.equal(
      verdict(negated, "18.208.240.77"),
      "18.208.240.77 → TCP 443: blocked — no rule of inet filter forward (hook forward, priority 0) (line 13) matches, and its default is deny.",
    );
  });

  test("a dnat of some sources, through jumps: ct status dnat holds for those sources only", () => {
    const text = `table inet nat {
	chain pre {
		type nat hook prerouting priority dstnat; policy accept;
		jump allow
	}
	chain allow {
		ip saddr 52.1.37.96 tcp dport 443 dnat ip to 172.17.0.2:443
	}
}
table inet filter {
	chain forward {
		type filter hook forward priority filter; policy drop;
		ct status dnat accept
	}
}
`;
    const out = nftablesParser.parse(text, { path: "forward" });
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 13.");
    assert.equal(
      verdict(out, "52.1.32.88"),
      "52.1.32.88 → TCP 443: blocked — no rule of inet filter forward (hook forward, priority 0) (line 12) matches, and its default is deny.",
    );
    assert.deepEqual(
      nftablesParser
        .parse(text.replace("hook forward", "hook input"))
        .findings.filter((f) => f.line === 7)
        .map((f) => f.message),
      [
        "The dnat at line 7 sends some sources' connections to another host: they are forwarded, so the input hook's rules do not see them (the forward hook's do); use --path forward to read them.",
      ],
    );
  });

  // nft(8) NAT STATEMENTS: "dnat to address:port" in a nat chain on prerouting (priority dstnat, -100) rewrites the
  // destination before the forward and input hooks; "ct original proto-dst" is the port the client asked for.
  // Checked in network namespaces with this ruleset: the SYNs from 52.1.37.96 and 18.208.240.77 reach 10.0.0.5,
  // the one from 52.1.32.88 is dropped.
  test("the forward chain is read for the translated port; ct original proto-dst for the original one", () => {
    const out = nftablesParser.parse(`table ip nat {
	chain prerouting {
		type nat hook prerouting priority dstnat; policy accept;
		iifname "eth0" tcp dport 443 dnat to 10.0.0.5:8443
	}
	chain postrouting {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "eth0" masquerade
	}
}
table inet filter {
	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state established,related accept
		iifname "eth0" oifname "eth1" ip saddr 52.1.37.96 ip daddr 10.0.0.5 tcp dport 8443 accept
		iifname "eth0" oifname "eth1" ip saddr 52.1.32.88 ip daddr 10.0.0.5 tcp dport 443 accept
		iifname "eth0" oifname "eth1" ip saddr 18.208.240.77 meta l4proto tcp ct original proto-dst 443 accept
	}
}
`);
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 15.");
    assert.match(verdict(out, "52.1.32.88"), /^52\.1\.32\.88 → TCP 443: blocked — no rule of inet filter forward/);
    assert.equal(verdict(out, "18.208.240.77"), "18.208.240.77 → TCP 443: allowed by line 17.");
  });
});

describe("nftables: nested jumps", () => {
  // A base chain jumping through `depth` user chains, the last one accepting 52.1.37.96.
  const ruleset = (depth: number, table = "jt") =>
    `table inet ${table} {\n chain input { type filter hook input priority 0; policy drop; jump c0; }\n${Array.from(
      { length: depth - 1 },
      (_, i) => ` chain c${i} { jump c${i + 1}; }`,
    ).join("\n")}\n chain c${depth - 1} { ip saddr 52.1.37.96 tcp dport 443 accept; }\n}\n`;
  const missing = labMissing();
  const skip = missing.length > 0 && process.env.CI !== "true" ? `needs ${missing.join(", ")}` : false;

  test("the kernel loads 15 nested jumps and refuses 16 (Too many links); the reader says so", { skip }, () => {
    assert.deepEqual(missing, [], `this test needs ${missing.join(", ")}`);
    const load = (text: string): string => {
      const ns = `alnft${process.pid % 100000}`;
      spawnSync("ip", ["netns", "add", ns]);
      try {
        const r = spawnSync("ip", ["netns", "exec", ns, "nft", "-f", "-"], { input: text, encoding: "utf8" });
        return r.status === 0 ? "loaded" : r.stderr.includes("Too many links") ? "Too many links" : r.stderr;
      } finally {
        spawnSync("ip", ["netns", "del", ns]);
      }
    };
    assert.equal(load(ruleset(15)), "loaded");
    assert.equal(load(ruleset(16)), "Too many links");
    const read = nftablesParser.parse(ruleset(15));
    assert.deepEqual(
      read.entries.map((e) => [e.line, e.action, e.token, e.via?.length]),
      [[17, "allow", "52.1.37.96", 15]],
    );
    const refused = nftablesParser.parse(ruleset(16));
    assert.deepEqual(refused.entries, []);
    assert.deepEqual(refused.findings[0], {
      line: 17,
      text: "chain c14 { jump c15; }",
      kind: "not-understood",
      message: `This jump to "c15" is the ${NFT_JUMP_STACK_SIZE}th nested one: the kernel refuses such a ruleset ("Too many links") and nft -f loads none of the file. The chains below are not read.`,
    });
  });

  test("20,000 chains jumping one to the next: read in bounded depth, no reader failure", () => {
    const out = nftablesParser.parse(ruleset(20_000));
    assert.deepEqual(out.entries, []);
    assert.equal(out.findings[0]!.line, 17);
    assert.equal(out.findings.filter((f) => f.message.includes("please report")).length, 0);
  });
});

describe("nftables: nested defines", () => {
  const ruleset = (depth: number, copies: number) => {
    let t = "define v0 = { 52.1.37.96, 52.1.37.97 }\n";
    for (let i = 1; i < depth; i++)
      t += `define v${i} = { ${Array(copies)
        .fill(`$v${i - 1}`)
        .join(", ")} }\n`;
    return `${t}table inet f {\n chain input {\n  type filter hook input priority 0; policy drop;\n  ip saddr $v${depth - 1} tcp dport 443 accept\n }\n}\n`;
  };
  const findings = (text: string) => nftablesParser.parse(text).findings.map((f) => [f.line, f.kind, f.message]);

  test("defines nested past 8 are one finding that says so (not 512 that said the variable was not defined)", () => {
    assert.equal(nftablesParser.parse(ruleset(8, 2)).entries.length, 256);
    assert.deepEqual(findings(ruleset(10, 2)), [
      [2, "not-understood", '"$v0" is a variable nested more than 8 deep in others: not read.'],
    ]);
  });

  test("variables expand to a million elements at most (30 copies of the one before, six deep: 700 million)", () => {
    assert.deepEqual(findings(ruleset(6, 30)), [
      [2, "not-understood", "The variables here expand to more than 1,000,000 elements: the rest is not read."],
    ]);
  });
});

describe("nftables: what firewalld generates (nft list ruleset of firewalld 1.3, nftables backend)", () => {
  // The shape of firewalld's own chains: nat chains that jump to zone chains holding no dnat, "ct status dnat accept"
  // in filter_INPUT, and the zone dispatch by source.
  const FIREWALLD = `table inet firewalld {
	chain nat_PREROUTING {
		type nat hook prerouting priority dstnat + 10; policy accept;
		jump nat_PREROUTING_ZONES
	}
	chain nat_PREROUTING_ZONES {
		goto nat_PRE_public
	}
	chain nat_PRE_public {
		jump nat_PRE_public_allow
	}
	chain nat_PRE_public_allow {
	}
	chain filter_INPUT {
		type filter hook input priority filter + 10; policy accept;
		ct state { established, related } accept
		ct status dnat accept
		ct status assured accept
		ct status != confirmed tcp dport 22 accept
		iifname "lo" accept
		jump filter_INPUT_ZONES
		reject with icmpx admin-prohibited
	}
	chain filter_INPUT_ZONES {
		ip saddr 3.74.148.8/30 goto filter_IN_trusted
		goto filter_IN_public
	}
	chain filter_IN_trusted {
		accept
	}
	chain filter_IN_public {
		tcp dport 22 accept
		ip saddr 52.1.37.0/24 tcp dport 443 accept
		reject with icmpx admin-prohibited
	}
}
`;

  test("the verdicts, and one finding per condition it does not decide (https://wiki.nftables.org/wiki-nftables/index.php/Matching_connection_tracking_stateful_metainformation)", () => {
    const out = nftablesParser.parse(FIREWALLD);
    assert.deepEqual(
      ["52.1.37.96", "3.74.148.9", "3.74.148.200"].map((a) => verdict(out, a)),
      [
        "52.1.37.96 → TCP 443: allowed by line 33.",
        "3.74.148.9 → TCP 443: allowed by line 25.",
        "3.74.148.200 → TCP 443: blocked by line 26 in inet firewalld filter_INPUT (hook input, priority 10).",
      ],
    );
    // The address of 3.74.148.200 is the goto's (line 26, everything but 3.74.148.8/30); the reject decides.
    const rejected = trace(out, mustParseAddress("3.74.148.200"), { catalog: SEED_CATALOG }).contexts.find(
      (c) => c.onPath,
    )!;
    assert.deepEqual(rejected.steps.at(-1)!.rule, { line: 34 });
    // ct status != confirmed holds for every new connection: port 22 is open to all.
    assert.equal(verdict(out, "3.74.148.200", 22), "3.74.148.200 → TCP 22: allowed by line 19.");
    assert.deepEqual(
      out.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [
          2,
          "note",
          'Chain "nat_PREROUTING" is a nat chain: it does not decide what is allowed; its rules are not read.',
        ],
        [
          6,
          "note",
          'Chain "nat_PREROUTING_ZONES" is reached only from the nat chain "nat_PREROUTING": it does not decide what is allowed; its rules are not read.',
        ],
        [
          9,
          "note",
          'Chain "nat_PRE_public" is reached only from the nat chain "nat_PREROUTING": it does not decide what is allowed; its rules are not read.',
        ],
      ],
    );
    // Its nat chains hold no dnat: no connection has the dnat status bit (was: "not decided", an unsure note).
    assert.deepEqual(
      [...new Set(out.entries.filter((e) => e.line === 17).map((e) => e.unmet))],
      ["ct status dnat: no dnat of nat prerouting takes this connection"],
    );
    const assured = out.entries.filter((e) => e.line === 18);
    assert.deepEqual(
      [...new Set(assured.map((e) => e.unmet))],
      ["ct status assured: a new connection from the Internet has none of these status bits"],
    );
  });

  test("a nat chain jumping through 20,000 chains is read without a stack overflow (it overflowed before)", () => {
    let text = "table ip nat {\n chain pre {\n  type nat hook prerouting priority -100;\n  jump c0\n }\n";
    for (let i = 0; i < 20000; i++) text += ` chain c${i} {\n  jump c${i + 1}\n }\n`;
    text +=
      " chain c20000 {\n }\n}\ntable ip f {\n chain input {\n  type filter hook input priority 0; policy drop;\n  ip saddr 52.1.37.96 tcp dport 443 accept\n }\n}\n";
    const out = nftablesParser.parse(text);
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 60012.");
    assert.equal(out.findings.filter((f) => f.message.includes("may change port")).length, 0);
    assert.equal(out.findings.filter((f) => f.message.includes('reached only from the nat chain "pre"')).length, 20000);
  });

  test("a nat jump into chains that hold a dnat still says the port may change", () => {
    const withDnat = FIREWALLD.replace(
      "\tchain nat_PRE_public_allow {\n\t}",
      "\tchain nat_PRE_public_allow {\n\t\tip saddr 3.74.148.8/30 tcp dport 443 dnat ip to 192.0.2.5:8443\n\t}",
    );
    assert.deepEqual(
      nftablesParser
        .parse(withDnat)
        .findings.filter((f) => f.message.includes("may change port"))
        .map((f) => [f.line, f.message]),
      [
        [
          4,
          "This nat rule may change port 443 depending on the source or on what is not read: the chains after it are read for port 443.",
        ],
      ],
    );
  });
});

describe("nftables: Docker's nftables backend", () => {
  // Docker Engine's nftables firewall backend (https://docs.docker.com/engine/network/firewall-nftables/) writes table
  // ip docker-bridges: its filter-FORWARD base chain reaches the per-bridge chains only through named verdict maps
  // ("oifname vmap @filter-forward-in-jumps", nft(8) MAPS), and a published port is a dnat in nat-PREROUTING plus an
  // accept in filter-forward-in__docker0. Proven in a network namespace: a SYN from 52.1.37.96 to the host's port 443
  // reaches the container, one from 18.208.240.77 is dropped by inet filter forward; the host's input hook never sees
  // them. The path was read as input (the map's chains were not followed) and every source read as blocked.
  const DOCKER = `table inet filter {
	chain input {
		type filter hook input priority filter; policy drop;
		ct state established,related accept
		iif lo accept
		tcp dport 22 accept
	}
	chain forward {
		type filter hook forward priority filter; policy accept;
		iifname "eth0" oifname "docker0" ip saddr != { 52.1.37.96 } ct state new drop
	}
}
table ip docker-bridges {
	map filter-forward-in-jumps {
		type ifname : verdict
		elements = { "docker0" : jump filter-forward-in__docker0 }
	}
	chain filter-FORWARD {
		type filter hook forward priority filter; policy accept;
		oifname vmap @filter-forward-in-jumps
	}
	chain filter-forward-in__docker0 {
		ct state established,related counter packets 0 bytes 0 accept
		ip daddr 172.17.0.2 tcp dport 443 counter packets 0 bytes 0 accept
		counter packets 0 bytes 0 drop comment "UNPUBLISHED PORT DROP"
	}
	chain nat-PREROUTING {
		type nat hook prerouting priority dstnat; policy accept;
		fib daddr type local counter packets 0 bytes 0 jump nat-prerouting-and-output
	}
	chain nat-prerouting-and-output {
		iifname != "docker0" tcp dport 443 counter packets 0 bytes 0 dnat to 172.17.0.2:443 comment "DNAT"
	}
}
`;

  test("the chains a named verdict map jumps to count when the path is detected: forward", () => {
    const out = nftablesParser.parse(DOCKER);
    assert.equal(out.path?.kind, "forward");
    assert.equal(
      verdict(out, "52.1.37.96"),
      "52.1.37.96 → TCP 443: allowed by the default of inet filter forward (hook forward, priority 0), then line 24.",
    );
    assert.equal(
      verdict(out, "18.208.240.77"),
      "18.208.240.77 → TCP 443: blocked by line 10 in inet filter forward (hook forward, priority 0).",
    );
  });
});

describe("nftables: an interface named through a define", () => {
  // nft(8) VARIABLES ("define WAN = eth0", expanded with $WAN wherever a value goes), as /etc/nftables.conf files
  // write the Internet-facing interface (https://wiki.nftables.org/wiki-nftables/index.php/Scripting). Proven in a
  // network namespace: a SYN from 18.208.240.77 arriving on eth0 is dropped (only "iifname != $WAN" lists port 443 for
  // it). The Internet was assumed to arrive on "$WAN", an interface no rule matches, and "!= $WAN" allowed everyone.
  test("the ingress is the interface the define names", () => {
    const out = nftablesParser.parse(`#!/usr/sbin/nft -f
flush ruleset
define WAN = "eth0"
define FRESH4 = { 52.1.37.96, 3.74.148.8/30 }
table inet filter {
	chain input {
		type filter hook input priority 0; policy drop;
		iif lo accept
		iifname $WAN ip saddr $FRESH4 tcp dport https accept
		iifname != $WAN tcp dport 443 accept
	}
}
`);
    assert.equal(out.path?.ingress, "eth0");
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 4.");
    assert.equal(
      verdict(out, "18.208.240.77"),
      "18.208.240.77 → TCP 443: blocked — no rule of inet filter input (hook input, priority 0) (line 7) matches, and its default is deny.",
    );
  });
});
