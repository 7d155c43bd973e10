import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { MAX_NESTING, apacheParser } from "./apache";
import { assertDetected, rows } from "./linux.testkit";

const SAMPLE_0 = `<VirtualHost *:443>
    ServerName hooks.example.com
    DocumentRoot /var/www/hooks
    <Location "/webhooks">
        <RequireAny>
            Require ip 18.208.240.77 13.232.152.0/24
            Require ip 10.1
            <RequireAll>
                Require ip 52.5.0.0/255.255.0.0
                Require not ip 52.5.21.7
            </RequireAll>
        </RequireAny>
    </Location>
</VirtualHost>
`;

const SAMPLE_1 = `# .htaccess in the webhook directory
<RequireAll>
    Require all granted
    Require not ip 198.51.100.0/24 2001:db8::/32
    Require not host crawler.example.net
</RequireAll>
`;

const SAMPLE_2 = `<Directory "/var/www/legacy">
    Options None
    Order deny,allow
    Deny from all
    Allow from 3.3.3.3 10.20 env=internal
    Allow from 172.16.0.0/255.240.0.0 \\
               192.0.2.1
</Directory>
<Directory "/var/www/strict">
    Order allow,deny
    Allow from 18.208.240.0/24
    Deny from 18.208.240.66 1.2.3.999
</Directory>
`;

describe("apache parser", () => {
  test("Require ip with RequireAny and a nested RequireAll exception, partial and netmask forms", () => {
    assert.deepEqual(rows(apacheParser.parse(SAMPLE_0)), {
      entries: [
        [6, "18.208.240.77", "address", "allow", "in", "tcp", "", "", 0, "18.208.240.77", ""],
        [6, "13.232.152.0/24", "cidr", "allow", "in", "tcp", "", "", 0, "13.232.152.0/24", ""],
        [7, "10.1.0.0/16", "cidr", "allow", "in", "tcp", "", "", 0, "10.1", ""],
        [
          9,
          "52.5.0.0-52.5.21.6",
          "range",
          "allow",
          "in",
          "tcp",
          "",
          "",
          0,
          "52.5.0.0/255.255.0.0 (52.5.0.0-52.5.21.6)",
          "",
        ],
        [
          9,
          "52.5.21.8-52.5.255.255",
          "range",
          "allow",
          "in",
          "tcp",
          "",
          "",
          0,
          "52.5.0.0/255.255.0.0 (52.5.21.8-52.5.255.255)",
          "",
        ],
        [10, "52.5.21.7", "address", "deny", "in", "tcp", "", "", 0, "52.5.21.7", ""],
      ],
      findings: [],
      notes: [],
    });
  });

  test("htaccess: all granted minus Require not ip, and Require not host", () => {
    assert.deepEqual(rows(apacheParser.parse(SAMPLE_1)), {
      entries: [
        [3, "0.0.0.0-198.51.99.255", "range", "allow", "in", "tcp", "", "", 0, "all (0.0.0.0-198.51.99.255)", ""],
        [
          3,
          "198.51.101.0-255.255.255.255",
          "range",
          "allow",
          "in",
          "tcp",
          "",
          "",
          0,
          "all (198.51.101.0-255.255.255.255)",
          "",
        ],
        [
          3,
          "::-2001:db7:ffff:ffff:ffff:ffff:ffff:ffff",
          "range",
          "allow",
          "in",
          "tcp",
          "",
          "",
          0,
          "all (::-2001:db7:ffff:ffff:ffff:ffff:ffff:ffff)",
          "",
        ],
        [
          3,
          "2001:db9::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
          "range",
          "allow",
          "in",
          "tcp",
          "",
          "",
          0,
          "all (2001:db9::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff)",
          "",
        ],
        [4, "198.51.100.0/24", "cidr", "deny", "in", "tcp", "", "", 0, "198.51.100.0/24", ""],
        [4, "2001:db8::/32", "cidr", "deny", "in", "tcp", "", "", 0, "2001:db8::/32", ""],
      ],
      findings: [[5, "hostname", '"Require host" matches DNS names: only addresses can be checked.']],
      notes: [],
    });
  });

  test("2.2 Order deny,allow and allow,deny, continuation lines, env variables and a bad address", () => {
    assert.deepEqual(rows(apacheParser.parse(SAMPLE_2)), {
      entries: [
        [5, "3.3.3.3", "address", "allow", "in", "tcp", "", "", 0, "3.3.3.3", ""],
        [5, "10.20.0.0/16", "cidr", "allow", "in", "tcp", "", "", 0, "10.20", ""],
        [6, "172.16.0.0/12", "cidr", "allow", "in", "tcp", "", "", 0, "172.16.0.0/255.240.0.0", ""],
        [6, "192.0.2.1", "address", "allow", "in", "tcp", "", "", 0, "192.0.2.1", ""],
        [4, "0.0.0.0-3.3.3.2", "range", "deny", "in", "tcp", "", "", 0, "all (0.0.0.0-3.3.3.2)", ""],
        [4, "3.3.3.4-10.19.255.255", "range", "deny", "in", "tcp", "", "", 0, "all (3.3.3.4-10.19.255.255)", ""],
        [4, "10.21.0.0-172.15.255.255", "range", "deny", "in", "tcp", "", "", 0, "all (10.21.0.0-172.15.255.255)", ""],
        [4, "172.32.0.0-192.0.2.0", "range", "deny", "in", "tcp", "", "", 0, "all (172.32.0.0-192.0.2.0)", ""],
        [
          4,
          "192.0.2.2-255.255.255.255",
          "range",
          "deny",
          "in",
          "tcp",
          "",
          "",
          0,
          "all (192.0.2.2-255.255.255.255)",
          "",
        ],
        [4, "::/0", "any", "deny", "in", "tcp", "", "", 0, "all", ""],
        [
          11,
          "18.208.240.0-18.208.240.65",
          "range",
          "allow",
          "in",
          "tcp",
          "",
          "",
          0,
          "18.208.240.0/24 (18.208.240.0-18.208.240.65)",
          "",
        ],
        [
          11,
          "18.208.240.67-18.208.240.255",
          "range",
          "allow",
          "in",
          "tcp",
          "",
          "",
          0,
          "18.208.240.0/24 (18.208.240.67-18.208.240.255)",
          "",
        ],
        [12, "18.208.240.66", "address", "deny", "in", "tcp", "", "", 0, "18.208.240.66", ""],
      ],
      findings: [[12, "invalid", '"1.2.3.999" is not an address, prefix or range: octet is greater than 255.']],
      notes: [],
    });
  });

  test("detects its own samples against every other parser", () => {
    for (const s of [SAMPLE_0, SAMPLE_1, SAMPLE_2]) assertDetected(s, "apache");
  });
});

describe("apache: hostile nesting", () => {
  const nested = (open: string, close: string, depth: number) =>
    `<VirtualHost *:443>\n<Location />\n${`${open}\n`.repeat(depth)}Require ip 52.1.37.96\n${`${close}\n`.repeat(depth)}Require ip 18.208.240.10\n</Location>\n</VirtualHost>\n`;
  const skipped = (line: number) => [
    [
      line,
      "not-understood",
      `Containers nested deeper than ${MAX_NESTING} levels are not read: this one and everything in it are skipped.`,
    ],
  ];

  test("64 open containers are read; the 65th is skipped with what it holds, with one finding", () => {
    const deepest = apacheParser.parse(nested("<RequireAll>", "</RequireAll>", 62), { port: 443 });
    assert.deepEqual(deepest.findings, []);
    assert.deepEqual(
      deepest.entries.map((e) => [e.line, e.action, e.token]),
      [
        [65, "allow", "52.1.37.96"],
        [128, "allow", "18.208.240.10"],
      ],
    );
    const tooDeep = apacheParser.parse(nested("<RequireAll>", "</RequireAll>", 63), { port: 443 });
    assert.deepEqual(
      tooDeep.findings.map((f) => [f.line, f.kind, f.message]),
      skipped(65),
    );
    assert.deepEqual(
      tooDeep.entries.map((e) => [e.line, e.action, e.token]),
      [[130, "allow", "18.208.240.10"]],
    );
  });

  test("100,000 nested <RequireAll> or <If>: one finding (the evaluation's recursion overflowed from 3,000)", () => {
    for (const [open, close] of [
      ["<RequireAll>", "</RequireAll>"],
      ["<If \"%{REMOTE_ADDR} != ''\">", "</If>"],
    ] as const) {
      const out = apacheParser.parse(nested(open, close, 100_000), { port: 443 });
      assert.deepEqual(
        out.findings.map((f) => [f.line, f.kind, f.message]),
        skipped(65),
      );
      assert.deepEqual(
        out.entries.map((e) => [e.line, e.token]),
        [[200_004, "18.208.240.10"]],
      );
    }
  });

  // httpd refuses a negated Require outside <RequireAll>: "negative Require directive has no effect in <RequireAny>
  // directive" (mod_authz_core.c add_authz_provider; https://bz.apache.org/bugzilla/show_bug.cgi?id=60946), and a
  // negated Require "can only fail or return a neutral result" (https://httpd.apache.org/docs/2.4/mod/mod_authz_core.html#require).
  test("Require not outside RequireAll: httpd does not start, said on the line", () => {
    const out = apacheParser.parse(`<Location /hooks>
    Require all granted
    Require not ip 52.1.37.96
    <RequireNone>
        Require not ip 52.1.32.88
    </RequireNone>
    <RequireAll>
        Require all granted
        Require not ip 18.208.240.77
    </RequireAll>
</Location>
`);
    assert.deepEqual(
      out.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [
          3,
          "invalid",
          'httpd refuses this line and does not start: a negated Require has no effect in the implicit <RequireAny> of a section ("negative Require directive has no effect"). Put it in a <RequireAll> with the Require lines that grant.',
        ],
        [
          5,
          "invalid",
          'httpd refuses this line and does not start: a negated Require has no effect in <RequireNone> ("negative Require directive has no effect"). Put it in a <RequireAll> with the Require lines that grant.',
        ],
      ],
    );
  });

  // https://httpd.apache.org/docs/2.4/configuring.html#syntax: "Comments may not be included on the same line as a
  // configuration directive"; httpd 2.4 refuses "Require ip 52.1.37.96 # Freshworks US 1" ("ip address '#' appears to
  // be invalid"). We read the "1" of the comment as 1.0.0.0/8 ("Over-broad") and each word as an invalid address.
  test("a comment after a directive is one finding; its words are not read as addresses", () => {
    const out = apacheParser.parse(
      "<Location /hooks>\n    Require ip 52.1.37.96 # Freshworks US 1\n</Location>\n<Location /old>\n    Order Allow,Deny\n    Allow from 18.208.240.77 # office 10\n</Location>\n",
    );
    assert.deepEqual(
      out.entries.map((e) => e.token),
      ["52.1.37.96", "18.208.240.77"],
    );
    const message =
      'Apache allows no comment after a directive: it reads "#" and the words after it as addresses, and httpd refuses this line ("ip address \'#\' appears to be invalid") and does not start. Put the comment on a line of its own.';
    assert.deepEqual(
      out.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [2, "invalid", message],
        [6, "invalid", message],
      ],
    );
  });

  // Include (https://httpd.apache.org/docs/2.4/mod/core.html#include): the file's Require lines apply in its place, and
  // the file is not in the paste. A section with no access rule on the webhook's way grants it (checked on a real
  // Apache in lib/export/formats/servers-delta.test.ts); we read such a paste as refusing everyone.
  test("Include names the file that is not in the paste; a server with no access rule on the way grants", () => {
    const out = apacheParser.parse(
      "Listen 443\n<VirtualHost *:443>\n    Include mods-enabled/ssl.load\n    <Location /hooks>\n        IncludeOptional /etc/apache2/freshworks-*.conf\n        <Limit GET>\n            Require ip 52.1.37.96\n        </Limit>\n    </Location>\n</VirtualHost>\n",
    );
    assert.deepEqual(
      out.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [
          5,
          "note",
          "IncludeOptional /etc/apache2/freshworks-*.conf: that file is not in the paste; Require lines in it would apply here and are not read (paste its content in its place).",
        ],
        [6, "note", "The access rules of <Limit GET> apply to other HTTP methods than the webhook's POST: not read."],
      ],
    );
    assert.deepEqual(
      out.path?.contexts.map((c) => [c.name, c.line, c.onPath, c.fallthrough]),
      [["<VirtualHost *:443> (no access rule)", 2, true, "allow"]],
    );
    assert.deepEqual(out.entries, []);
  });
});
