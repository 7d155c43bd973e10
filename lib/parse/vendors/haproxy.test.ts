import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { haproxyParser } from "./haproxy";
import { assertDetected, rows } from "./linux.testkit";
import { statuses } from "./path.testkit";

const SAMPLE_0 = `global
    log /dev/log local0
    maxconn 4096

defaults
    mode http
    timeout client 30s

frontend fe_https
    bind :443 ssl crt /etc/haproxy/site.pem
    acl freshworks src 18.208.240.77 13.232.152.0/24
    acl freshworks src 2406:da00:ff00::/48
    acl office src 192.0.2.0/255.255.255.0
    acl is_webhook path_beg /webhooks
    http-request deny if { src 13.232.152.9 }
    http-request deny if is_webhook !freshworks
    use_backend be_app

backend be_app
    server app1 10.0.0.10:8080 check
`;

const SAMPLE_1 = `listen webhooks
    bind :8443
    mode tcp
    acl allowed src -f /etc/haproxy/allow.lst
    acl allowed src 52.5.21.7 hooks.example.com
    acl partners src 3.3.3.0/24
    tcp-request connection accept if partners
    tcp-request connection reject unless allowed or partners
    tcp-request connection reject if nosuch
    http-request deny if weird ( stuff
    server s1 10.0.0.5:443
`;

const SAMPLE_2 = `frontend fe_api
    bind :443
    acl freshworks_us src 18.208.240.64/26 52.5.21.7
    acl freshworks_in src 13.232.152.0/24
    use_backend be_api if freshworks_us or freshworks_in
`;

/** A bare snippet of acl and http-request lines, as people paste them from inside a frontend. */
const SAMPLE_3 = `# pasted from the frontend, without its header
acl vendor_nat src 18.208.240.64/26 52.5.21.7
acl vendor_nat src 2406:da00:ff00::/48
acl office src 192.0.2.0/24
acl is_hook path_beg /hooks
http-request deny if is_hook !vendor_nat
http-request allow if office
`;

describe("haproxy parser", () => {
  test("http-request deny if is_webhook !freshworks, anonymous src ACL, unused ACL", () => {
    assert.deepEqual(rows(haproxyParser.parse(SAMPLE_0)), {
      entries: [
        [15, "13.232.152.9", "address", "deny", "in", "tcp", "", "", 0, "13.232.152.9", ""],
        [11, "18.208.240.77", "address", "allow", "in", "tcp", "", "freshworks", 16, "18.208.240.77", ""],
        [11, "13.232.152.0/24", "cidr", "allow", "in", "tcp", "", "freshworks", 16, "13.232.152.0/24", ""],
        [12, "2406:da00:ff00::/48", "cidr", "allow", "in", "tcp", "", "freshworks", 16, "2406:da00:ff00::/48", ""],
        [16, "0.0.0.0/0", "any", "deny", "in", "tcp", "", "", 0, "any", ""],
        [16, "::/0", "any", "deny", "in", "tcp", "", "", 0, "any", ""],
      ],
      findings: [[13, "unused-object", 'ACL "office" is defined but no allow rule uses it.']],
      notes: [],
    });
  });

  test("tcp-request accept/reject unless A or B, -f list file, rules after a catch-all deny", () => {
    assert.deepEqual(rows(haproxyParser.parse(SAMPLE_1)), {
      entries: [
        [6, "3.3.3.0/24", "cidr", "allow", "in", "tcp", "", "partners", 7, "3.3.3.0/24", ""],
        [5, "52.5.21.7", "address", "allow", "in", "tcp", "", "allowed", 8, "52.5.21.7", ""],
        [6, "3.3.3.0/24", "cidr", "allow", "in", "tcp", "", "partners", 8, "3.3.3.0/24", ""],
        [8, "0.0.0.0/0", "any", "deny", "in", "tcp", "", "", 0, "any", ""],
        [8, "::/0", "any", "deny", "in", "tcp", "", "", 0, "any", ""],
      ],
      findings: [
        [
          4,
          "undefined-reference",
          'ACL "allowed" reads its addresses from "/etc/haproxy/allow.lst", which is not in this paste.',
        ],
        [5, "hostname", '"hooks.example.com" is a host name: only addresses can be checked.'],
        [9, "undefined-reference", 'ACL "nosuch" is not defined in this section.'],
        [10, "undefined-reference", 'ACL "weird" is not defined in this section.'],
        [10, "undefined-reference", 'ACL "(" is not defined in this section.'],
        [10, "undefined-reference", 'ACL "stuff" is not defined in this section.'],
      ],
      notes: ["No frontend or listen section binds port 443: nothing in this paste receives the webhooks."],
    });
  });

  test("ACLs used only for routing are read as the allowlist", () => {
    assert.deepEqual(rows(haproxyParser.parse(SAMPLE_2)), {
      entries: [
        [3, "18.208.240.64/26", "cidr", "allow", "in", "tcp", "", "freshworks_us", 0, "18.208.240.64/26", ""],
        [3, "52.5.21.7", "address", "allow", "in", "tcp", "", "freshworks_us", 0, "52.5.21.7", ""],
        [4, "13.232.152.0/24", "cidr", "allow", "in", "tcp", "", "freshworks_in", 0, "13.232.152.0/24", ""],
      ],
      findings: [],
      notes: ["The paste holds address objects but no rules: read as the allowlist itself."],
    });
  });

  test("a snippet without a section header is read as one section", () => {
    assert.deepEqual(rows(haproxyParser.parse(SAMPLE_3)), {
      entries: [
        [6, "0.0.0.0-18.208.240.63", "range", "deny", "in", "tcp", "", "", 0, "!vendor_nat", ""],
        [6, "18.208.240.128-52.5.21.6", "range", "deny", "in", "tcp", "", "", 0, "!vendor_nat", ""],
        [6, "52.5.21.8-255.255.255.255", "range", "deny", "in", "tcp", "", "", 0, "!vendor_nat", ""],
        [6, "::-2406:da00:feff:ffff:ffff:ffff:ffff:ffff", "range", "deny", "in", "tcp", "", "", 0, "!vendor_nat", ""],
        [
          6,
          "2406:da00:ff01::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
          "range",
          "deny",
          "in",
          "tcp",
          "",
          "",
          0,
          "!vendor_nat",
          "",
        ],
        [4, "192.0.2.0/24", "cidr", "allow", "in", "tcp", "", "office", 7, "192.0.2.0/24", ""],
      ],
      findings: [],
      notes: [],
    });
    // Lines after a section header belong to that section, not to the snippet before it.
    const out = haproxyParser.parse(`acl a src 192.0.2.1\nfrontend fe\n    http-request deny unless a\n`);
    assert.deepEqual(rows(out).findings, [
      [1, "unused-object", 'ACL "a" is defined but no allow rule uses it.'],
      [3, "undefined-reference", 'ACL "a" is not defined in this section.'],
    ]);
  });

  // https://docs.haproxy.org/2.6/configuration.html#7.1: "ACLs with the same name are ORed". HAProxy 2.6 (checked with
  // `haproxy -c` and real connections, see servers-netns.test.ts) also ORs the lines below the rule that uses the name:
  // the rule holds the ACL, which later lines extend. A name first defined below the rule, or only in another section
  // (another frontend, the named defaults section the frontend inherits), is refused: "no such ACL".
  test("acl lines below the rule that uses them count; an ACL is the section's own", () => {
    const below = haproxyParser.parse(`frontend fe_hooks
    bind :443 ssl crt /x.pem
    acl allow_src src 52.1.37.96 52.1.32.88
    tcp-request connection reject if !allow_src
    http-request deny if !allow_src
    acl allow_src src 18.208.240.77
    acl is_hook path_beg /hooks
    acl allow_src src 44.206.73.232/29
    default_backend app
`);
    const allows = (rule: number) => [
      [3, "52.1.37.96", "address", "allow", "in", "tcp", "", "allow_src", rule, "52.1.37.96", ""],
      [3, "52.1.32.88", "address", "allow", "in", "tcp", "", "allow_src", rule, "52.1.32.88", ""],
      [6, "18.208.240.77", "address", "allow", "in", "tcp", "", "allow_src", rule, "18.208.240.77", ""],
      [8, "44.206.73.232/29", "cidr", "allow", "in", "tcp", "", "allow_src", rule, "44.206.73.232/29", ""],
      [rule, "0.0.0.0/0", "any", "deny", "in", "tcp", "", "", 0, "any", ""],
      [rule, "::/0", "any", "deny", "in", "tcp", "", "", 0, "any", ""],
    ];
    assert.deepEqual(rows(below), { entries: [...allows(4), ...allows(5)], findings: [], notes: [] });
    assert.deepEqual(statuses(below, ["52.1.37.96", "18.208.240.77", "44.206.73.235", "44.206.73.240"]), {
      "52.1.37.96": "covered",
      "18.208.240.77": "covered",
      "44.206.73.235": "covered",
      "44.206.73.240": "missing",
    });

    const refused = haproxyParser.parse(`defaults hooks
    mode http
    acl fw src 52.1.37.96
    http-request deny if !fw
frontend fe_hooks from hooks
    bind :443 ssl crt /x.pem
    tcp-request connection reject if !fw
    http-request deny if !late
    acl late src 52.1.32.88
    acl fw src 18.208.240.77
    default_backend app
frontend fe_other from hooks
    bind :8443
    http-request deny unless late
`);
    assert.deepEqual(rows(refused).findings, [
      [
        7,
        "undefined-reference",
        'ACL "fw" is used before its first acl line (line 10): HAProxy refuses this configuration ("no such ACL").',
      ],
      [
        8,
        "undefined-reference",
        'ACL "late" is used before its first acl line (line 9): HAProxy refuses this configuration ("no such ACL").',
      ],
      [9, "unused-object", 'ACL "late" is defined but no allow rule uses it.'],
      [10, "unused-object", 'ACL "fw" is defined but no allow rule uses it.'],
      [14, "undefined-reference", 'ACL "late" is not defined in this section.'],
    ]);
  });

  test("detects its own samples against every other parser", () => {
    for (const s of [SAMPLE_0, SAMPLE_1, SAMPLE_2, SAMPLE_3]) assertDetected(s, "haproxy");
  });

  // https://docs.haproxy.org/2.8/configuration.html: "http-request return" is final and answers from HAProxy (the
  // request never reaches a server); quic4@ binds a UDP (QUIC) listener; a frontend without access rules lets every
  // address through; the use_backend that names the webhook is the one its requests take.
  test("http-request return denies, quic4@ is not a TCP bind, the webhook's use_backend is on the path", () => {
    const text = `frontend fe_https
    bind :443 ssl crt /etc/haproxy/certs/hooks.pem alpn h2,http/1.1
    bind quic4@:443 ssl crt /etc/haproxy/certs/hooks.pem alpn h3
    acl freshworks src 52.1.37.96 52.1.32.88
    acl freshworks src 18.208.240.77
    acl is_hook path_beg /webhooks
    http-request return status 403 content-type text/plain string "forbidden" if is_hook !freshworks
    use_backend be_hooks if is_hook
    default_backend be_web
backend be_hooks
    http-request deny if !{ src 52.1.37.96 52.1.32.88 }
    server app1 10.0.0.5:8080
backend be_web
    server web1 10.0.0.6:8080
frontend fe_quic
    bind quic4@:443 ssl crt /etc/haproxy/certs/hooks.pem alpn h3
    http-request deny
`;
    assert.deepEqual(statuses(haproxyParser.parse(text), ["52.1.37.96", "18.208.240.77", "44.206.73.232"]), {
      "52.1.37.96": "covered",
      "18.208.240.77": "missing",
      "44.206.73.232": "missing",
    });
    const open = `frontend public
    bind *:443 ssl crt /x.pem
    default_backend app
frontend admin
    bind *:8443
    acl office src 10.0.0.0/8
    http-request deny unless office
    default_backend app
backend app
    server a 10.0.0.1:80
`;
    assert.deepEqual(statuses(haproxyParser.parse(open), ["52.1.37.96"]), { "52.1.37.96": "covered" });
  });

  // https://docs.haproxy.org/2.8/configuration.html#7.1: an anonymous ACL takes the same flags as an acl line
  // (-f FILE, -m METHOD, --).
  test("flags inside { src … }: -f is an unread file, -m ip is skipped, not invalid addresses", () => {
    const out = haproxyParser.parse(`frontend fe
    bind :443 ssl crt /x.pem
    http-request deny if { src -f /etc/haproxy/blocklist.lst }
    http-request deny unless { src -m ip 52.1.37.96 52.1.32.88 }
    default_backend app
`);
    assert.deepEqual(
      out.findings.map((f) => [f.line, f.kind]),
      [[3, "undefined-reference"]],
    );
    assert.deepEqual(statuses(out, ["52.1.37.96", "18.208.240.77"]), {
      "52.1.37.96": "covered",
      "18.208.240.77": "missing",
    });
  });

  // Since HAProxy 2.5 a named defaults section may hold tcp-request/http-request rules; a proxy inheriting it (with
  // "from", or as the last defaults above it) runs them before its own, in the same rule set:
  // https://docs.haproxy.org/2.8/configuration.html#4 and reg-tests/tcp-rules/default_rules.vtc.
  test("http-request rules of the inherited named defaults section run before the frontend's own", () => {
    // Both verdicts checked with HAProxy 2.6 in network namespaces (200 / 403 per source).
    const plain = "defaults plain\n    mode http\nbackend app\n    server a 10.0.0.1:80\n";
    const text = `defaults hooks
    mode http
    http-request deny unless { src 52.1.37.96 52.1.32.88 }
frontend fe from hooks
    bind :443 ssl crt /x.pem
    http-request deny if { src 52.1.32.88 }
    default_backend app
${plain}`;
    const out = haproxyParser.parse(text);
    assert.deepEqual(out.findings, []);
    assert.deepEqual(statuses(out, ["52.1.37.96", "52.1.32.88", "18.208.240.77"]), {
      "52.1.37.96": "covered",
      "52.1.32.88": "missing",
      "18.208.240.77": "missing",
    });
    // Inherited as the last defaults above it; an allow in the defaults ends the set: the frontend's deny is not reached.
    const allowFirst = `defaults hooks
    mode http
    http-request allow if { src 52.1.32.88 }
frontend fe
    bind :443 ssl crt /x.pem
    http-request deny if { src 52.1.32.88 }
    http-request return status 403 content-type text/plain string no if !{ src 52.1.37.96 52.1.32.88 }
    default_backend app
${plain}`;
    assert.deepEqual(statuses(haproxyParser.parse(allowFirst), ["52.1.37.96", "52.1.32.88", "18.208.240.77"]), {
      "52.1.37.96": "covered",
      "52.1.32.88": "covered",
      "18.208.240.77": "missing",
    });
    // A frontend and a backend inheriting the same rules-bearing defaults: HAProxy refuses the configuration.
    const refused = haproxyParser.parse(text.replace(plain, "backend app\n    server a 10.0.0.1:80\n"));
    assert.deepEqual(
      refused.findings.map((f) => [f.line, f.kind]),
      [[1, "not-understood"]],
    );
  });

  // http-request redirect and return (2xx/3xx) are final actions: the http-request rules after an unconditional one
  // never run (https://docs.haproxy.org/2.8/configuration.html#4.2-http-request%20return, …%20redirect).
  test("an unconditional http-request return or redirect ends the http-request rules: the deny after it never runs", () => {
    const answered = haproxyParser.parse(`frontend fe
    mode http
    bind :443 ssl crt /etc/haproxy/site.pem
    acl fw src 52.1.37.96
    http-request return status 200 content-type text/plain string ok
    http-request deny if !fw
    default_backend be
`);
    assert.deepEqual(
      answered.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [
          5,
          "note",
          "http-request return without a condition answers every request here: the http-request rules after it never run.",
        ],
      ],
    );
    assert.deepEqual(statuses(answered, ["52.1.37.96", "52.1.32.88"]), {
      "52.1.37.96": "covered",
      "52.1.32.88": "covered",
    });
    // A conditional one (another path, plain HTTP) is read as not the webhook's: the deny still decides.
    const conditional = haproxyParser.parse(`frontend fe
    mode http
    bind :443 ssl crt /etc/haproxy/site.pem
    acl fw src 52.1.37.96
    http-request redirect scheme https code 301 unless { ssl_fc }
    http-request return status 200 if { path /health }
    http-request deny if !fw
    default_backend be
`);
    assert.deepEqual(conditional.findings, []);
    assert.deepEqual(statuses(conditional, ["52.1.37.96", "52.1.32.88"]), {
      "52.1.37.96": "covered",
      "52.1.32.88": "missing",
    });
  });

  // HAProxy runs a set's rules in order and stops at the first that answers: an allow below an unconditional
  // "http-request deny" never runs (configuration manual 4.2, "http-request"). It was left out without a word.
  test("a rule below an unconditional deny of its set is reported as never reached", () => {
    const out = haproxyParser.parse(`frontend fe
    bind :443
    acl fw_us src 52.1.37.96 52.1.32.88
    http-request deny deny_status 403
    http-request allow if fw_us
`);
    assert.deepEqual(
      out.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [
          5,
          "note",
          "Never reached: line 4 (http-request deny deny_status 403) stops every connection of this rule set before it.",
        ],
      ],
    );
    assert.deepEqual(statuses(out, ["52.1.37.96"]), { "52.1.37.96": "missing" });
  });
});
