/**
 * ufw: realistic `ufw status` listings, /etc/ufw/user.rules and command scripts, with exact entries and verdicts.
 * Formats from ufw 0.36 (Debian 12) — the status printer and tuple reader in ufw/backend_iptables.py — and ufw(8):
 * https://manpages.ubuntu.com/manpages/noble/man8/ufw.8.html (rule syntax, LIMIT, route rules, insert/prepend/delete).
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { parseUfw, ufwParser } from "./ufw";
import { assertWins, pathRows, verdict } from "./hosts.testkit";

const LIMIT = "LIMIT: accepted unless the address opened 6 or more connections in the last 30 seconds";

const VERBOSE = `Status: active
Logging: on (low)
Default: deny (incoming), allow (outgoing), disabled (routed)
New profiles: skip

To                         Action      From
--                         ------      ----
443/tcp                    DENY IN     35.154.161.243
22/tcp                     ALLOW IN    Anywhere
443/tcp                    ALLOW IN    13.232.152.211
443/tcp                    ALLOW IN    52.66.184.184
443                        ALLOW IN    43.204.166.208/30
22/tcp (v6)                ALLOW IN    Anywhere (v6)

13.126.85.255 443/tcp      ALLOW OUT   Anywhere
`;

const NUMBERED = `Status: active

     To                         Action      From
     --                         ------      ----
[ 1] 22/tcp                     LIMIT IN    Anywhere
[ 2] 443/tcp                    DENY IN     52.1.32.88
[ 3] 443/tcp                    ALLOW IN    52.1.32.0/24               # freshworks us
[ 4] Nginx Full                 ALLOW IN    3.74.148.8/30
[ 5] 443/tcp on eth1            ALLOW IN    18.184.146.22
[ 6] Anywhere                   REJECT IN   10.0.0.0/8
[ 7] 8000:8100/tcp              ALLOW IN    2406:da00:ff00::/48
[ 8] 53/udp                     ALLOW IN    1.1.1.1 53/udp
[ 9] 192.168.1.10 443/tcp       ALLOW FWD   52.1.37.96 on eth0
[10] 203.0.113.5                ALLOW OUT   Anywhere                   (out)
[11] 22/tcp (v6)                LIMIT IN    Anywhere (v6)
[12] Nginx Full (v6)            ALLOW IN    Anywhere (v6)
`;

const USER_RULES = `*filter
:ufw-user-input - [0:0]
:ufw-user-output - [0:0]
:ufw-user-forward - [0:0]
:ufw-user-limit - [0:0]
:ufw-user-limit-accept - [0:0]
### RULES ###

### tuple ### deny any any 0.0.0.0/0 any 52.1.32.88 in
-A ufw-user-input -s 52.1.32.88 -j DROP

### tuple ### allow tcp 443 0.0.0.0/0 any 52.1.32.0/24 in comment=6672657368776f726b73207573
-A ufw-user-input -p tcp --dport 443 -s 52.1.32.0/24 -j ACCEPT

### tuple ### allow tcp 80,443 0.0.0.0/0 any 3.74.148.8/30 Nginx%20Full - in
-A ufw-user-input -p tcp -m multiport --dports 80,443 -s 3.74.148.8/30 -j ACCEPT -m comment --comment 'dapp_Nginx%20Full'

### tuple ### allow tcp 443 0.0.0.0/0 any 18.184.146.22 in_eth1
-A ufw-user-input -i eth1 -p tcp --dport 443 -s 18.184.146.22 -j ACCEPT

### tuple ### limit_log tcp 22 0.0.0.0/0 any 0.0.0.0/0 in
-A ufw-user-input -p tcp --dport 22 -m conntrack --ctstate NEW -m recent --set
-A ufw-user-input -p tcp --dport 22 -j ufw-user-limit-accept

### tuple ### route:allow tcp 443 192.168.1.10 any 52.1.37.96 in_eth0!out_eth1
-A ufw-user-forward -i eth0 -o eth1 -p tcp -d 192.168.1.10 --dport 443 -s 52.1.37.96 -j ACCEPT

### tuple ### allow any any 203.0.113.5 any 0.0.0.0/0 out
-A ufw-user-output -d 203.0.113.5 -j ACCEPT

### END RULES ###

### LOGGING ###
-A ufw-user-limit -m limit --limit 3/minute -j LOG --log-prefix "[UFW LIMIT BLOCK] "
-A ufw-user-limit -j REJECT
-A ufw-user-limit-accept -j ACCEPT
### END LOGGING ###
COMMIT
`;

const SCRIPT = `#!/bin/sh
set -e
ufw --force reset
ufw default deny incoming
ufw default allow outgoing
ufw allow OpenSSH
ufw allow from 52.1.37.96 to any port 443 proto tcp
ufw allow proto tcp from 3.74.148.8/30 to any port 80,443 comment 'Freshworks EU'
ufw insert 1 deny from 52.1.32.88
ufw allow in on eth0 from 18.184.146.22 to any port 443
ufw allow 8443/tcp
ufw allow 8443/tcp
ufw delete allow 8443/tcp
ufw route allow in on eth0 out on eth1 from 52.1.37.96 to 192.168.1.10 port 443 proto tcp
ufw allow out to 203.0.113.5
ufw --force enable
`;

describe("ufw status", () => {
  test("verbose: rule order, the declared default, an outgoing rule keeps its destination", () => {
    const out = parseUfw(VERBOSE);
    assert.deepEqual(pathRows(out), {
      entries: [
        [8, "35.154.161.243", "address", "deny", "in", "tcp", "443", "", 0, "35.154.161.243", "", 0, ""],
        [9, "0.0.0.0/0", "any", "allow", "in", "tcp", "22", "", 0, "Anywhere", "", 0, ""],
        [10, "13.232.152.211", "address", "allow", "in", "tcp", "443", "", 0, "13.232.152.211", "", 0, ""],
        [11, "52.66.184.184", "address", "allow", "in", "tcp", "443", "", 0, "52.66.184.184", "", 0, ""],
        [12, "43.204.166.208/30", "cidr", "allow", "in", "", "443", "", 0, "43.204.166.208/30", "", 0, ""],
        [13, "::/0", "any", "allow", "in", "tcp", "22", "", 0, "Anywhere", "", 0, ""],
        [15, "13.126.85.255", "address", "allow", "out", "tcp", "443", "", 0, "13.126.85.255", "", 0, ""],
      ],
      findings: [],
      notes: [],
    });
    assert.deepEqual(out.path, {
      contexts: [
        {
          name: "ufw incoming (ufw-user-input)",
          line: 3,
          text: "Default: deny (incoming), allow (outgoing), disabled (routed)",
          fallthrough: "deny",
          onPath: true,
          reason: "the service runs on this host",
        },
        {
          name: "ufw routed (ufw-user-forward)",
          line: 3,
          text: "Default: deny (incoming), allow (outgoing), disabled (routed)",
          fallthrough: "deny",
          onPath: false,
          reason: "the service runs on this host",
        },
      ],
      kind: "input",
      assumption: "Read as traffic to this host (ufw incoming rules). Override with --path input|forward.",
    });
    assert.equal(
      verdict(out, "35.154.161.243"),
      "35.154.161.243 → TCP 443: blocked by line 8 in ufw incoming (ufw-user-input).",
    );
    assert.equal(verdict(out, "13.232.152.211"), "13.232.152.211 → TCP 443: allowed by line 10.");
    assert.equal(
      verdict(out, "13.126.85.255"),
      "13.126.85.255 → TCP 443: blocked — no rule of ufw incoming (ufw-user-input) (line 3) matches, and its default is deny.",
    );
    assert.equal(verdict(out, "13.126.85.255", 22), "13.126.85.255 → TCP 22: allowed by line 9.");
  });

  test("numbered: LIMIT allows, REJECT denies, app profiles, interfaces, source ports, route and outgoing rules", () => {
    const out = parseUfw(NUMBERED);
    assert.deepEqual(pathRows(out), {
      entries: [
        [5, "0.0.0.0/0", "any", "allow", "in", "tcp", "22", "", 0, "Anywhere", LIMIT, 0, ""],
        [6, "52.1.32.88", "address", "deny", "in", "tcp", "443", "", 0, "52.1.32.88", "", 0, ""],
        [7, "52.1.32.0/24", "cidr", "allow", "in", "tcp", "443", "", 0, "52.1.32.0/24", "freshworks us", 0, ""],
        [8, "3.74.148.8/30", "cidr", "allow", "in", "tcp", "80,443", "", 0, "3.74.148.8/30", "", 0, ""],
        [9, "18.184.146.22", "address", "allow", "in", "tcp", "443", "", 0, "18.184.146.22", "", 0, ""],
        [10, "10.0.0.0/8", "cidr", "deny", "in", "", "", "", 0, "10.0.0.0/8", "", 0, ""],
        [11, "2406:da00:ff00::/48", "cidr", "allow", "in", "tcp", "8000-8100", "", 0, "2406:da00:ff00::/48", "", 0, ""],
        [
          12,
          "1.1.1.1",
          "address",
          "allow",
          "in",
          "udp",
          "53",
          "",
          0,
          "1.1.1.1",
          "",
          0,
          "only from source port 53 (a new connection comes from an ephemeral port)",
        ],
        [13, "52.1.37.96", "address", "allow", "in", "tcp", "443", "", 0, "52.1.37.96", "", 1, ""],
        [14, "203.0.113.5", "address", "allow", "out", "", "", "", 0, "203.0.113.5", "", 0, ""],
        [15, "::/0", "any", "allow", "in", "tcp", "22", "", 0, "Anywhere", LIMIT, 0, ""],
        [16, "::/0", "any", "allow", "in", "tcp", "80,443", "", 0, "Anywhere", "", 0, ""],
      ],
      findings: [],
      notes: [],
    });
    assert.equal(
      out.path?.assumption,
      "Read as traffic to this host (ufw incoming rules); the default incoming policy is not in the paste: assumed deny (ufw's default; paste `ufw status verbose` to show it); rules bound to an interface (eth1, eth0) are read as on the Internet-facing side. Override with --path input|forward and --ingress <interface>.",
    );
    assert.equal(
      verdict(out, "52.1.32.88"),
      "52.1.32.88 → TCP 443: blocked by line 6 in ufw incoming (ufw-user-input).",
    );
    assert.equal(verdict(out, "52.1.32.89"), "52.1.32.89 → TCP 443: allowed by line 7.");
    assert.equal(verdict(out, "3.74.148.9", 80), "3.74.148.9 → TCP 80: allowed by line 8.");
    assert.equal(
      verdict(out, "52.1.37.96"),
      "52.1.37.96 → TCP 443: blocked — no rule of ufw incoming (ufw-user-input) matches, and its default is deny.",
    );
    assert.equal(verdict(out, "2406:da00:ff00::1", 8080), "2406:da00:ff00::1 → TCP 8080: allowed by line 11.");
    assert.equal(verdict(out, "2406:da00:ff00::1", 80), "2406:da00:ff00::1 → TCP 80: allowed by line 16.");
  });

  test("--ingress names the Internet-facing interface: rules bound to another one are never met", () => {
    const out = parseUfw(NUMBERED, { ingress: "eth0" });
    assert.equal(out.entries.find((e) => e.line === 9)?.unmet, "only on interface eth1, not eth0");
    assert.equal(
      verdict(out, "18.184.146.22"),
      "18.184.146.22 → TCP 443: blocked — no rule of ufw incoming (ufw-user-input) matches, and its default is deny.",
    );
    assert.equal(out.path?.ingress, "eth0");
  });

  test("--path forward: the route rules decide, the incoming rules are off the path", () => {
    const out = parseUfw(NUMBERED, { path: "forward" });
    assert.deepEqual(
      out.path?.contexts.map((c) => [c.name, c.onPath, c.fallthrough]),
      [
        ["ufw incoming (ufw-user-input)", false, "deny"],
        ["ufw routed (ufw-user-forward)", true, "deny"],
      ],
    );
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 13.");
    assert.equal(
      verdict(out, "52.1.32.89"),
      "52.1.32.89 → TCP 443: blocked — no rule of ufw routed (ufw-user-forward) matches, and its default is deny.",
    );
  });

  test("Status: inactive filters nothing: every address gets through, rules are never met", () => {
    const out = parseUfw("Status: inactive\n");
    assert.deepEqual(out.entries, []);
    assert.equal(out.path?.contexts[0]?.fallthrough, "allow");
    assert.equal(
      verdict(out, "52.1.32.88"),
      "52.1.32.88 → TCP 443: allowed by the default of ufw incoming (ufw-user-input).",
    );
  });

  test("Default: allow (incoming) lets through what no rule denies", () => {
    const out = parseUfw(VERBOSE.replace("Default: deny (incoming)", "Default: allow (incoming)"));
    assert.equal(
      verdict(out, "13.126.85.255"),
      "13.126.85.255 → TCP 443: allowed by the default of ufw incoming (ufw-user-input).",
    );
    assert.equal(
      verdict(out, "35.154.161.243"),
      "35.154.161.243 → TCP 443: blocked by line 8 in ufw incoming (ufw-user-input).",
    );
  });

  test("unknown application profiles and broken addresses are findings, never guesses", () => {
    const out = parseUfw(`Status: active

To                         Action      From
--                         ------      ----
Plex Media Server          ALLOW       Anywhere
443/tcp                    ALLOW       52.1.37.300
443/tcp                    ALLOW       52.1.37.96
`);
    assert.deepEqual(pathRows(out).findings, [
      [
        5,
        "not-understood",
        'Application profile "Plex Media Server" is not one ufw ships with Debian/Ubuntu: its ports are unknown, the rule is not read.',
      ],
      [
        6,
        "invalid",
        '"52.1.37.300" is not an address, prefix or range: ' +
          pathRows(out).findings[1]![2].split(": ").slice(1).join(": "),
      ],
    ]);
    assert.deepEqual(
      out.entries.map((e) => e.line),
      [7],
    );
  });
});

describe("/etc/ufw/user.rules", () => {
  test("the tuple lines are the rules; hex comments, app tuples, interfaces, route and outgoing rules", () => {
    const out = parseUfw(USER_RULES);
    assert.deepEqual(pathRows(out), {
      entries: [
        [9, "52.1.32.88", "address", "deny", "in", "", "", "", 0, "52.1.32.88", "", 0, ""],
        [12, "52.1.32.0/24", "cidr", "allow", "in", "tcp", "443", "", 0, "52.1.32.0/24", "freshworks us", 0, ""],
        [15, "3.74.148.8/30", "cidr", "allow", "in", "tcp", "80,443", "", 0, "3.74.148.8/30", "", 0, ""],
        [18, "18.184.146.22", "address", "allow", "in", "tcp", "443", "", 0, "18.184.146.22", "", 0, ""],
        [21, "0.0.0.0/0", "any", "allow", "in", "tcp", "22", "", 0, "Anywhere", LIMIT, 0, ""],
        [25, "52.1.37.96", "address", "allow", "in", "tcp", "443", "", 0, "52.1.37.96", "", 1, ""],
        [28, "203.0.113.5", "address", "allow", "out", "", "", "", 0, "203.0.113.5", "", 0, ""],
      ],
      findings: [],
      notes: ['Rules read from ufw\'s "### tuple ###" lines; the iptables lines under them implement the same rules.'],
    });
    assert.equal(
      verdict(out, "52.1.32.88"),
      "52.1.32.88 → TCP 443: blocked by line 9 in ufw incoming (ufw-user-input).",
    );
    assert.equal(verdict(out, "52.1.32.7"), "52.1.32.7 → TCP 443: allowed by line 12.");
  });

  test("/etc/default/ufw policies pasted with it set the defaults", () => {
    const out = parseUfw(`DEFAULT_INPUT_POLICY="ACCEPT"\nDEFAULT_FORWARD_POLICY="DROP"\n${USER_RULES}`);
    assert.deepEqual(
      out.path?.contexts.map((c) => [c.line, c.fallthrough]),
      [
        [1, "allow"],
        [2, "deny"],
      ],
    );
  });
});

describe("ufw commands", () => {
  test("applied in order: reset, defaults, insert, duplicates skipped, delete, route, enable", () => {
    const out = parseUfw(SCRIPT);
    assert.deepEqual(pathRows(out), {
      entries: [
        // ufw's IPv4 list, then its IPv6 list (where OpenSSH's IPv6 rule is the only one).
        [9, "52.1.32.88", "address", "deny", "in", "", "", "", 0, "52.1.32.88", "", 0, ""],
        [6, "0.0.0.0/0", "any", "allow", "in", "tcp", "22", "", 0, "any", "", 0, ""],
        [7, "52.1.37.96", "address", "allow", "in", "tcp", "443", "", 0, "52.1.37.96", "", 0, ""],
        [8, "3.74.148.8/30", "cidr", "allow", "in", "tcp", "80,443", "", 0, "3.74.148.8/30", "Freshworks EU", 0, ""],
        [10, "18.184.146.22", "address", "allow", "in", "", "443", "", 0, "18.184.146.22", "", 0, ""],
        [14, "52.1.37.96", "address", "allow", "in", "tcp", "443", "", 0, "52.1.37.96", "", 1, ""],
        [15, "203.0.113.5", "address", "allow", "out", "", "", "", 0, "203.0.113.5", "", 0, ""],
        [6, "::/0", "any", "allow", "in", "tcp", "22", "", 0, "any", "", 0, ""],
      ],
      findings: [],
      notes: [],
    });
    assert.equal(out.path?.contexts[0]?.line, 4);
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 7.");
    assert.equal(
      verdict(out, "52.1.32.88"),
      "52.1.32.88 → TCP 443: blocked by line 9 in ufw incoming (ufw-user-input).",
    );
    assert.equal(
      verdict(out, "52.1.32.88", 8443),
      "52.1.32.88 → TCP 8443: blocked by line 9 in ufw incoming (ufw-user-input).",
    );
  });

  test("a deny inserted in front of the allow wins (first match), as ufw evaluates it", () => {
    const out = parseUfw(
      "ufw allow from 52.1.37.0/24 to any port 443\nufw insert 1 deny from 52.1.37.96 to any port 443\n",
    );
    assert.equal(
      verdict(out, "52.1.37.96"),
      "52.1.37.96 → TCP 443: blocked by line 2 in ufw incoming (ufw-user-input).",
    );
    assert.equal(verdict(out, "52.1.37.95"), "52.1.37.95 → TCP 443: allowed by line 1.");
  });
});

describe("ufw commands that edit by number and by rule", () => {
  // ufw(8): "delete NUM" deletes the rule numbered NUM now (as `ufw status numbered` lists them), "delete RULE" the
  // rule written that way, "insert NUM RULE" puts the rule at NUM, and a rule that exists is skipped ("Skipping adding
  // existing rule"), also when inserted. A NUM past the last rule is refused ("Invalid position", ufw/frontend.py):
  // it was read as an append (ufw.kernel.test.ts checks this against the real ufw).
  const allowed = (text: string) => parseUfw(text).entries.map((e) => [e.line, e.token]);

  test("each edit finds the rule ufw would: deleted numbers free their rule, duplicates skipped", () => {
    const text = [
      "ufw allow from 192.0.2.1",
      "ufw allow from 192.0.2.2",
      "ufw allow from 192.0.2.3",
      "ufw delete 1",
      "ufw allow from 192.0.2.1",
      "ufw insert 2 allow from 192.0.2.4",
      "ufw allow from 192.0.2.4",
      "ufw delete allow from 192.0.2.3",
      "ufw insert 1 allow from 192.0.2.3",
      "ufw delete 3",
      "ufw insert 9 allow from 192.0.2.6",
      "ufw delete allow from 192.0.2.4",
    ].join("\n");
    assert.deepEqual(allowed(text), [
      [9, "192.0.2.3"],
      [2, "192.0.2.2"],
      [5, "192.0.2.1"],
    ]);
    assert.deepEqual(
      parseUfw(text).findings.map((f) => [f.line, f.kind, f.message]),
      [
        [
          11,
          "note",
          `ufw refuses position 9 ("Invalid position '9'": 3 IPv4 and 0 IPv6 rules so far, numbered IPv4 first): nothing is inserted.`,
        ],
        [12, "note", "No rule read so far matches this delete: nothing is deleted."],
      ],
    );
  });

  // ufw compares rules on all but the action, log type and comment (UFWRule.match, ufw/common.py): the same rule with
  // another action replaces the one there, in its place ("Rule updated"); an insert of a rule that exists is skipped
  // whatever its action; delete RULE deletes only the rule with that action. The deny was added after the allow, so
  // 52.1.37.96 kept being read as allowed (ufw.kernel.test.ts checks this against the real ufw).
  test("the same rule with another action replaces it in place; delete and insert compare it as ufw does", () => {
    const out = parseUfw(
      [
        "ufw default allow incoming",
        "ufw allow from 52.1.37.96 to any port 443",
        "ufw allow from 52.1.32.88 to any port 443",
        "ufw deny from 52.1.37.96 to any port 443",
        "ufw insert 1 allow from 52.1.37.96 to any port 443",
        "ufw delete allow from 52.1.32.88 to any port 443 comment 'x'",
        "ufw delete deny from 52.1.32.88 to any port 443",
        "ufw prepend reject from 52.1.32.88 to any port 443",
      ].join("\n"),
    );
    assert.deepEqual(
      out.entries.map((e) => [e.line, e.token, e.action]),
      [
        [4, "52.1.37.96", "deny"],
        [3, "52.1.32.88", "allow"],
      ],
    );
    assert.deepEqual(
      out.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [5, "note", "ufw skips inserting a rule that exists (line 4), whatever its action: nothing is inserted."],
        [6, "note", "No rule read so far matches this delete: nothing is deleted."],
        [7, "note", "No rule read so far matches this delete: nothing is deleted."],
        [8, "note", "ufw skips inserting a rule that exists (line 3), whatever its action: nothing is inserted."],
      ],
    );
    assert.equal(
      verdict(out, "52.1.37.96"),
      "52.1.37.96 → TCP 443: blocked by line 4 in ufw incoming (ufw-user-input).",
    );
  });

  // ufw keeps an IPv4 list and an IPv6 list (self.rules and self.rules6, ufw/backend.py); `ufw status numbered`
  // numbers the IPv4 rules first. A rule whose addresses are both "any" goes into each list, and ufw/frontend.py
  // set_rule places its two halves by a search for the twin of a neighbour (find_other_position). Both scripts were run
  // through ufw 0.36.2 here; the expected order is its `ufw status numbered` after them.
  const rows = (text: string) =>
    parseUfw(text).entries.map(
      (e) =>
        `${e.token === "any" ? (e.range.first.family === 4 ? "0.0.0.0/0" : "::/0") : e.token} ${e.action} ${e.ports?.[0]?.from ?? "any"}`,
    );

  test("a rule for both families is one rule in each list: delete N deletes one of them, insert N places both", () => {
    const text = [
      "ufw allow 443",
      "ufw allow from 1.2.3.4",
      "ufw allow from 2001:db8::1",
      "ufw insert 2 deny 22",
      "ufw insert 5 deny 80",
      "ufw insert 1 allow from 2001:db8::2",
      "ufw insert 6 allow from 2001:db8::3",
      "ufw prepend deny 8080",
      "ufw --force delete 2",
    ].join("\n");
    // ufw 0.36.2: [1] 8080 DENY [2] 22 DENY [3] 1.2.3.4 [4] 80 DENY [5] 8080 (v6) DENY [6] 443 (v6) ALLOW
    // [7] 2001:db8::3 [8] 80 (v6) DENY [9] 2001:db8::1 [10] 22 (v6) DENY; "insert 1 … 2001:db8::2": Invalid position.
    assert.deepEqual(rows(text), [
      "0.0.0.0/0 deny 8080",
      "0.0.0.0/0 deny 22",
      "1.2.3.4 allow any",
      "0.0.0.0/0 deny 80",
      "::/0 deny 8080",
      "::/0 allow 443",
      "2001:db8::3 allow any",
      "::/0 deny 80",
      "2001:db8::1 allow any",
      "::/0 deny 22",
    ]);
    assert.deepEqual(
      parseUfw(text).findings.map((f) => [f.line, f.message]),
      [
        [
          6,
          `ufw refuses position 1 ("Invalid position '1'": 4 IPv4 and 4 IPv6 rules so far, numbered IPv4 first): an IPv6 rule is not inserted there.`,
        ],
      ],
    );
    // The IPv6 half of "allow 443" is still there after "delete 2" took the IPv4 half.
    const out = parseUfw(text);
    assert.equal(verdict(out, "2001:db8::9"), "2001:db8::9 → TCP 443: allowed by line 1.");
    assert.equal(
      verdict(out, "192.0.2.9"),
      "192.0.2.9 → TCP 443: blocked — no rule of ufw incoming (ufw-user-input) matches, and its default is deny.",
    );
  });

  test("insert N of a rule for both families follows ufw's placement where the IPv6 list is the longer", () => {
    const text = [
      "ufw allow from 2001:db8::1",
      "ufw allow from 2001:db8::2",
      "ufw allow from 2001:db8::3",
      "ufw allow 22",
      "ufw allow from 192.0.2.1",
      "ufw insert 1 deny 80",
      "ufw insert 3 reject 8443/tcp",
      "ufw --force delete 2",
      "ufw delete allow 22",
      "ufw insert 4 allow from 2001:db8::4 comment x",
    ].join("\n");
    // ufw 0.36.2: "insert 1 deny 80" puts its IPv6 rule first, not before the IPv6 "allow 22" (the twin's place, 4,
    // is past the 3 IPv4 rules, and ufw subtracts them); "delete allow 22": "Could not delete non-existent rule",
    // "Rule deleted (v6)".
    assert.deepEqual(rows(text), [
      "0.0.0.0/0 deny 80",
      "0.0.0.0/0 deny 8443",
      "192.0.2.1 allow any",
      "2001:db8::4 allow any",
      "::/0 deny 80",
      "2001:db8::1 allow any",
      "2001:db8::2 allow any",
      "2001:db8::3 allow any",
      "::/0 deny 8443",
    ]);
    assert.deepEqual(
      parseUfw(text).findings.map((f) => [f.line, f.message]),
      [[9, "No IPv4 rule read so far matches this delete: only the IPv6 rule is deleted."]],
    );
  });

  test("rules ufw normalizes to the same one are the same rule; mixed families are refused", () => {
    const out = parseUfw(
      [
        "ufw allow from 192.0.2.0/24 to any port 443,80 proto tcp",
        "ufw deny from 192.0.2.7/24 to any port 80,443 proto tcp",
        "ufw allow from 198.51.100.1/32",
        "ufw delete allow from 198.51.100.1",
        "ufw allow from 192.0.2.1 to 2001:db8::1",
      ].join("\n"),
    );
    assert.deepEqual(
      out.entries.map((e) => [e.line, e.token, e.action]),
      [[2, "192.0.2.7/24", "deny"]],
    );
    assert.deepEqual(
      out.findings.map((f) => [f.line, f.message]),
      [
        [
          5,
          `ufw refuses a rule with an IPv4 source and an IPv6 destination ("Mixed IP versions for 'from' and 'to'"): nothing is added.`,
        ],
      ],
    );
  });

  test("thousands of inserts and deletes by number and by rule keep ufw's order", () => {
    // A script long enough that the rules are held in several chunks; the expected order is ufw's, by an array.
    const lines: string[] = [];
    const order: number[] = [];
    const addr = (k: number) => `10.${k >> 8}.${k & 255}.1`;
    let seed = 7;
    const next = (m: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % m;
    for (let k = 0; k < 3000; k++) {
      const op = next(10);
      if (op < 4 || order.length === 0) {
        lines.push(`ufw allow from ${addr(k)}`);
        order.push(k);
      } else if (op < 7) {
        const at = next(order.length + 3);
        lines.push(`ufw insert ${at + 1} allow from ${addr(k)}`);
        // Past the last rule, ufw refuses the insert.
        if (at < order.length) order.splice(at, 0, k);
      } else if (op < 8) {
        const at = next(order.length);
        lines.push(`ufw delete ${at + 1}`);
        order.splice(at, 1);
      } else {
        const at = next(order.length);
        lines.push(`ufw delete allow from ${addr(order[at]!)}`);
        order.splice(at, 1);
      }
    }
    assert.deepEqual(
      parseUfw(lines.join("\n")).entries.map((e) => e.token),
      order.map(addr),
    );
  });
});

describe("ufw detection", () => {
  test("every form is detected as ufw, above iptables for user.rules", () => {
    for (const text of [VERBOSE, NUMBERED, USER_RULES, SCRIPT]) assertWins(text, "ufw");
    assert.equal(ufwParser.detect("*filter\n:INPUT DROP [0:0]\n-A INPUT -s 1.2.3.4 -j ACCEPT\nCOMMIT\n"), 0);
  });
});

describe("ufw rules bound to internal interfaces", () => {
  // ufw(8): "allow in on docker0 …" adds "-i docker0" to the rule (ufw-user-input), which a packet arriving from the
  // Internet on another interface does not meet (iptables(8) -i). Without --ingress the readers of iptables and
  // nftables read loopback, container, bridge and VPN interfaces as not facing the Internet; ufw now does too.
  test("an allow on docker0 or lo does not let Internet traffic in; one on eth0 does", () => {
    const out = parseUfw(`Status: active

     To                         Action      From
     --                         ------      ----
[ 1] 443/tcp on docker0         ALLOW IN    34.231.139.135
[ 2] Anywhere on lo             ALLOW IN    Anywhere
[ 3] 443/tcp on eth0            ALLOW IN    52.201.75.8
`);
    assert.match(verdict(out, "34.231.139.135"), /^34\.231\.139\.135 → TCP 443: blocked/);
    assert.equal(verdict(out, "52.201.75.8"), "52.201.75.8 → TCP 443: allowed by line 7.");
    assert.match(out.path?.assumption ?? "", /\(docker0, lo\) are read as not met by Internet traffic/);
    // --ingress docker0 says the Internet does arrive there.
    assert.equal(
      verdict(
        parseUfw(`Status: active\n\n443/tcp on docker0 ALLOW IN 34.231.139.135\n`, { ingress: "docker0" }),
        "34.231.139.135",
      ),
      "34.231.139.135 → TCP 443: allowed by line 3.",
    );
  });
});

describe("ufw: detection beside iptables-save", () => {
  test("an iptables-save of a ufw host is iptables (the whole ruleset); ufw's user.rules stays ufw", () => {
    // The save declares the built-in chains and every ufw chain; it was detected as ufw (0.99 for ":ufw-user-input"),
    // whose reader took the built-in chain lines for "not a ufw row" and read 0 of the 1 allowed address.
    const save = `# Generated by iptables-save v1.8.7 on Wed Jun  5 09:00:00 2024
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:ufw-before-input - [0:0]
:ufw-user-input - [0:0]
-A INPUT -j ufw-before-input
-A ufw-before-input -j ufw-user-input
-A ufw-user-input -s 52.1.37.96/32 -p tcp -m tcp --dport 443 -j ACCEPT
COMMIT
`;
    assertWins(save, "iptables");
    const userRules = `*filter
:ufw-user-input - [0:0]
:ufw-user-output - [0:0]
### RULES ###

### tuple ### allow tcp 443 0.0.0.0/0 any 52.1.37.96 in
-A ufw-user-input -p tcp --dport 443 -s 52.1.37.96 -j ACCEPT

### END RULES ###
COMMIT
`;
    assertWins(userRules, "ufw");
    assertWins(userRules.replace(/^### tuple ###.*\n/m, ""), "ufw");
  });
});
