import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { MAX_BLOCK_DEPTH, nginxParser } from "./nginx";
import { assertDetected, rows } from "./linux.testkit";
import { statuses } from "./path.testkit";

const SAMPLE_0 = `server {
    listen 443 ssl;
    server_name hooks.example.com;
    ssl_certificate /etc/ssl/hooks.pem;

    location /freshchat/webhook {
        allow 18.208.240.77;
        allow 13.232.152.0/24;   # IN region
        allow 2406:da00:ff00::/48;
        deny  all;
        proxy_pass http://app;
    }
}
`;

const SAMPLE_1 = `http {
    geo $vendor {
        default 0;
        52.5.21.0/24 1;
    }
    server {
        listen 8443;
        deny 13.232.152.9;
        allow 13.232.152.0/24;
        allow unix:;
        allow 010.1.1.1;
        allow hooks.example.com;
        allow 1.2.3.4-1.2.3.9;
        deny;
        location /status {
            allow 10.0.0.0/8;
            deny all;
        }
    }
}
`;

const SAMPLE_2 = `# /etc/nginx/snippets/freshworks.conf, included from the webhook location
allow 18.208.240.64/26;
allow 52.5.21.7;
deny all;
`;

describe("nginx parser", () => {
  test("a webhook location: allow list then deny all", () => {
    assert.deepEqual(rows(nginxParser.parse(SAMPLE_0)), {
      entries: [
        [7, "18.208.240.77", "address", "allow", "in", "tcp", "", "", 0, "18.208.240.77", ""],
        [8, "13.232.152.0/24", "cidr", "allow", "in", "tcp", "", "", 0, "13.232.152.0/24", ""],
        [9, "2406:da00:ff00::/48", "cidr", "allow", "in", "tcp", "", "", 0, "2406:da00:ff00::/48", ""],
        [10, "0.0.0.0/0", "any", "deny", "in", "tcp", "", "", 0, "all", ""],
        [10, "::/0", "any", "deny", "in", "tcp", "", "", 0, "all", ""],
      ],
      findings: [],
      notes: [],
    });
  });

  test("http/server/location contexts, implicit allow, geo block, bad arguments", () => {
    assert.deepEqual(rows(nginxParser.parse(SAMPLE_1)), {
      entries: [
        [16, "10.0.0.0/8", "cidr", "allow", "in", "tcp", "", "", 0, "10.0.0.0/8", ""],
        [17, "0.0.0.0/0", "any", "deny", "in", "tcp", "", "", 0, "all", ""],
        [17, "::/0", "any", "deny", "in", "tcp", "", "", 0, "all", ""],
        [8, "13.232.152.9", "address", "deny", "in", "tcp", "", "", 0, "13.232.152.9", ""],
        [9, "13.232.152.0/24", "cidr", "allow", "in", "tcp", "", "", 0, "13.232.152.0/24", ""],
        // nginx reads octets as decimal numbers: 010.1.1.1 is 10.1.1.1 (it was an "ambiguous" finding, and dropped).
        [11, "10.1.1.1", "address", "allow", "in", "tcp", "", "", 0, "010.1.1.1", ""],
      ],
      findings: [
        [4, "not-understood", "Addresses in a geo block are not read as allow/deny rules."],
        [
          11,
          "note",
          '"010.1.1.1" is read as 10.1.1.1: nginx reads each octet as a decimal number, leading zeros and all (ngx_inet_addr).',
        ],
        [12, "hostname", '"hooks.example.com" is a host name: only addresses can be checked.'],
        [13, "invalid", 'nginx does not accept ranges such as "1.2.3.4-1.2.3.9".'],
        [14, "not-understood", '"deny" takes exactly one address, CIDR, "unix:" or "all".'],
      ],
      notes: ["No server listens on port 443: nothing in this paste receives the webhooks."],
    });
  });

  test("an included snippet without any block", () => {
    assert.deepEqual(rows(nginxParser.parse(SAMPLE_2)), {
      entries: [
        [2, "18.208.240.64/26", "cidr", "allow", "in", "tcp", "", "", 0, "18.208.240.64/26", ""],
        [3, "52.5.21.7", "address", "allow", "in", "tcp", "", "", 0, "52.5.21.7", ""],
        [4, "0.0.0.0/0", "any", "deny", "in", "tcp", "", "", 0, "all", ""],
        [4, "::/0", "any", "deny", "in", "tcp", "", "", 0, "all", ""],
      ],
      findings: [],
      notes: [],
    });
  });

  test("detects its own samples against every other parser", () => {
    for (const s of [SAMPLE_0, SAMPLE_1, SAMPLE_2]) assertDetected(s, "nginx");
  });

  test("allow all at the top level is an any entry for both families", () => {
    assert.deepEqual(rows(nginxParser.parse("deny 192.0.2.1;\nallow all;\n")), {
      entries: [
        [1, "192.0.2.1", "address", "deny", "in", "tcp", "", "", 0, "192.0.2.1", ""],
        [2, "0.0.0.0/0", "any", "allow", "in", "tcp", "", "", 0, "all", ""],
        [2, "::/0", "any", "allow", "in", "tcp", "", "", 0, "all", ""],
      ],
      findings: [],
      notes: [],
    });
  });

  // https://nginx.org/en/docs/http/ngx_http_core_module.html#limit_except: for methods the block does not name
  // (a webhook's POST), its own allow/deny list applies instead of the location's (and the http-level one).
  test("limit_except GET: a POST is checked against the limit_except block's list", () => {
    const text = `http {
    allow 52.1.37.96;
    deny all;
    server {
        listen 443 ssl;
        location / {
            limit_except GET {
                allow 52.1.32.88;
                deny all;
            }
        }
        location /hooks {
            limit_except GET POST {
                deny all;
            }
        }
    }
}
`;
    // Checked with nginx 1.22 (POST / → 403 for 52.1.37.96, 405 for 52.1.32.88; POST /hooks/ the other way round).
    assert.deepEqual(statuses(nginxParser.parse(text, { ingress: "/" }), ["52.1.37.96", "52.1.32.88"]), {
      "52.1.37.96": "missing",
      "52.1.32.88": "covered",
    });
    // /hooks names POST: its limit_except does not apply to the webhook, the inherited http list does. Without
    // --ingress the location named like the webhook's is the one assumed, though it has no list of its own.
    for (const options of [{ ingress: "/hooks" }, {}])
      assert.deepEqual(statuses(nginxParser.parse(text, options), ["52.1.37.96", "52.1.32.88"]), {
        "52.1.37.96": "covered",
        "52.1.32.88": "missing",
      });
  });

  // https://nginx.org/en/docs/http/ngx_http_core_module.html#listen: "quic" accepts QUIC (UDP) only, so a TCP
  // connection to 443 never reaches a server whose only 443 listener is quic.
  test("a server listening on 443 with quic only is not on the TCP path", () => {
    const text = `http {
    server {
        listen 443 ssl;
        server_name hooks.example.com;
    }
    server {
        listen 443 quic reuseport;
        server_name h3.example.com;
        allow 18.208.240.77;
        deny all;
    }
}
`;
    const parsed = nginxParser.parse(text);
    assert.deepEqual(statuses(parsed, ["52.1.37.96", "18.208.240.77"]), {
      "52.1.37.96": "covered",
      "18.208.240.77": "covered",
    });
    assert.deepEqual(
      parsed.path?.contexts.map((c) => [c.name, c.onPath]),
      [
        ["server (listen 443)", true],
        ["server (no listen)", false],
      ],
    );
  });

  // https://nginx.org/en/docs/stream/ngx_stream_core_module.html#listen: "udp" in stream{} is a UDP listener.
  test("a stream server listening on 443 udp is not on the TCP path", () => {
    const parsed = nginxParser.parse(
      "stream {\n    server {\n        listen 443 udp;\n        deny all;\n    }\n    server {\n        listen 443;\n        allow 52.1.37.96;\n        deny all;\n    }\n}\n",
    );
    assert.deepEqual(statuses(parsed, ["52.1.37.96", "52.1.32.88"]), {
      "52.1.37.96": "covered",
      "52.1.32.88": "missing",
    });
  });

  // https://nginx.org/en/docs/ngx_core_module.html#include: the included file's directives apply in place; it is not
  // in the paste, so a note says its rules are unread (stock parameter files excepted).
  test("include of a file that may hold rules is a note, mime.types is not", () => {
    const out = nginxParser.parse(`http {
    include mime.types;
    server {
        listen 443 ssl;
        include /etc/nginx/snippets/freshworks-allow.conf;
        include fastcgi_params;
    }
}
`);
    assert.deepEqual(
      out.findings.map((f) => [f.line, f.kind]),
      [[5, "note"]],
    );
  });

  // https://nginx.org/en/docs/http/request_processing.html: nginx picks one server per request by its host name, the
  // default_server only for names no other server has. Several servers on 443 are not all crossed.
  test("several servers on 443: the webhook's named server decides, not the catch-all default_server", () => {
    const text = `http {
    server {
        listen 443 ssl default_server;
        server_name _;
        deny all;
        return 444;
    }
    server {
        listen 443 ssl;
        server_name hooks.example.com;
        location /freshchat/webhook {
            allow 52.1.37.96;
            deny all;
        }
    }
    server {
        listen 443 ssl;
        server_name www.example.com;
        allow 10.0.0.0/8;
        deny all;
    }
}
`;
    const parsed = nginxParser.parse(text);
    assert.deepEqual(statuses(parsed, ["52.1.37.96", "52.1.32.88"]), {
      "52.1.37.96": "covered",
      "52.1.32.88": "missing",
    });
    assert.deepEqual(
      parsed.path?.contexts.map((c) => c.onPath),
      [false, true, false],
    );
    // No server looks like the webhook's: the named one, not the catch-all.
    const plain = nginxParser.parse(
      text.replace("hooks.example.com", "api.example.com").replace("/freshchat/webhook", "/v1"),
    );
    assert.deepEqual(
      plain.path?.contexts.map((c) => c.onPath),
      [false, true, true],
    );
  });

  // https://nginx.org/en/docs/http/ngx_http_access_module.html: a location with its own allow/deny list does not
  // inherit the enclosing one; a request meets one list, not both.
  test("a snippet with top-level rules and a webhook location: the location's list alone decides", () => {
    const parsed = nginxParser.parse(
      "allow 52.1.37.96;\ndeny all;\nlocation /hooks {\n    allow 52.1.32.88;\n    deny all;\n}\n",
    );
    assert.deepEqual(statuses(parsed, ["52.1.37.96", "52.1.32.88"]), {
      "52.1.37.96": "missing",
      "52.1.32.88": "covered",
    });
    assert.deepEqual(
      parsed.path?.contexts.map((c) => [c.name, c.onPath]),
      [
        ["the allow/deny list", false],
        ["location /hooks", true],
      ],
    );
  });

  // https://nginx.org/en/docs/http/ngx_http_map_module.html: an allowlist kept in a map keyed by $remote_addr is not
  // an allow/deny list; like a geo block, its addresses are findings rather than silently dropped.
  test("addresses in a map keyed by $remote_addr are findings; other maps are not", () => {
    const out = nginxParser.parse(`http {
    map $remote_addr $freshworks {
        default 0;
        52.1.37.96 1;
        "~^52\\.1\\.32\\." 1;
    }
    map $http_user_agent $bot {
        default 0;
        "~*curl" 1;
    }
    server {
        listen 443 ssl;
        if ($freshworks = 0) { return 403; }
    }
}
`);
    assert.deepEqual(
      out.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [4, "not-understood", "Addresses in a map block are not read as allow/deny rules."],
        [5, "not-understood", "Addresses in a map block are not read as allow/deny rules."],
      ],
    );
  });

  // A geo allowlist with an `if … return 4xx` guard (https://nginx.org/en/docs/http/ngx_http_geo_module.html,
  // https://nginx.org/en/docs/http/ngx_http_rewrite_module.html#if): the guard is read as the block's list, longest
  // prefix first; servers-netns.test.ts checks the verdicts against a real nginx.
  test("a geo allowlist guarded by if … return is read as the block's list; one it cannot read exactly says so", () => {
    const guarded = nginxParser.parse(`geo $ok {
  52.1.37.0/24 yes;
  52.1.37.96 "";
}
server {
  listen 443 ssl;
  if ($ok != yes) { return 444; }
  location / { proxy_pass http://app; }
}
`);
    assert.deepEqual(
      guarded.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [
          7,
          "note",
          "Read with geo $ok (line 1) as this server's allow/deny list: the longest matching prefix decides, denied where this returns 444.",
        ],
      ],
    );
    assert.deepEqual(statuses(guarded, ["52.1.37.96", "52.1.37.97", "52.1.32.88"]), {
      "52.1.37.96": "missing",
      "52.1.37.97": "covered",
      "52.1.32.88": "missing",
    });
    // allow/deny rules in the same server: the guard is not read, and the geo's addresses keep their finding.
    const mixed = nginxParser.parse(`geo $ok {
  default 0;
  52.1.37.96 1;
}
server {
  listen 443;
  allow 52.1.32.88;
  deny all;
  location /hook { if ($ok) { return 403; } proxy_pass http://app; }
}
`);
    assert.deepEqual(
      mixed.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [3, "not-understood", "Addresses in a geo block are not read as allow/deny rules."],
        [
          9,
          "note",
          "This geo guard is not read (allow/deny rules also apply in this server): the verdicts do not include it.",
        ],
      ],
    );
  });

  test("geo guards: two in one server are not read; one 60 blocks deep is", () => {
    const two = nginxParser.parse(`geo $ok { default 0; 52.1.37.96 1; }
server {
  listen 443;
  if ($ok = 0) { return 403; }
  location /hook { if ($ok != 1) { return 444; } proxy_pass http://app; }
}
`);
    const note =
      "This geo guard is not read (another geo guard applies in this server): the verdicts do not include it.";
    assert.deepEqual(
      two.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [1, "not-understood", "Addresses in a geo block are not read as allow/deny rules."],
        [4, "note", note],
        [5, "note", note],
      ],
    );
    // The guards are found with a loop (blocks past MAX_BLOCK_DEPTH are skipped: see the test below).
    const depth = 60;
    const deep = nginxParser.parse(
      `geo $ok { default 0; 52.1.37.96 1; }\nserver { listen 443; ${"location /a { ".repeat(depth)}if ($ok = 0) { return 403; } ${"} ".repeat(depth)}}`,
    );
    assert.deepEqual(statuses(deep, ["52.1.37.96", "52.1.32.88"]), {
      "52.1.37.96": "covered",
      "52.1.32.88": "missing",
    });
  });

  test("blocks nested deeper than 64 levels are skipped with a finding, not read and not a crash", () => {
    // 62 locations in http and server: the 64th block is read, the 65th is not (nor the deny inside it).
    const config = (locations: number) =>
      `http {\n server {\n  listen 443;\n${"  location /a {\n".repeat(locations)}   deny 52.1.37.96;\n${"  }\n".repeat(locations)}  allow 52.1.37.96;\n  deny all;\n }\n}\n`;
    const deepest = nginxParser.parse(config(62));
    assert.deepEqual(deepest.findings, []);
    assert.deepEqual(statuses(deepest, ["52.1.37.96"]), { "52.1.37.96": "missing" });
    const tooDeep = nginxParser.parse(config(63));
    const skipped = [
      66,
      "not-understood",
      `Blocks nested deeper than ${MAX_BLOCK_DEPTH} levels are not read: this block and everything in it are skipped.`,
    ];
    assert.deepEqual(
      tooDeep.findings.map((f) => [f.line, f.kind, f.message]),
      [skipped],
    );
    assert.deepEqual(statuses(tooDeep, ["52.1.37.96"]), { "52.1.37.96": "covered" });
    // A hostile paste: 100,000 nested blocks (they overflowed the reader's recursive walks from about 20,000), one
    // finding for the whole skipped part.
    const n = 100_000;
    const hostile = nginxParser.parse(`${"a {\n".repeat(n)}allow 10.0.0.1;\n${"}\n".repeat(n)}`);
    assert.deepEqual(
      hostile.findings.map((f) => [f.line, f.kind, f.message]),
      [[MAX_BLOCK_DEPTH + 1, ...skipped.slice(1)]],
    );
    assert.equal(hostile.lineCount, 2 * n + 1);
  });

  test("geo guards copy at most a million geo entries in all; later guards are noted as not read", () => {
    // A 1,000-line geo guarded in 1,001 servers: 1,000 copies fit, the last guard is not read. 3,000 × 3,000 made
    // 9 million entries from a 220 kB paste.
    const geo = Array.from({ length: 1000 }, (_, i) => `  10.0.${i >> 8}.${i & 255} 1;`).join("\n");
    const servers = Array.from({ length: 1001 }, () => " server {\n  listen 443;\n  if ($ok = 0) { return 403; }\n }");
    const out = nginxParser.parse(`http {\n geo $ok {\n  default 0;\n${geo}\n }\n${servers.join("\n")}\n}\n`);
    assert.equal(out.entries.length, 1000 * (1000 + 2));
    const notes = out.findings.filter((f) => f.message.startsWith("This geo guard is not read"));
    assert.deepEqual(
      notes.map((f) => [f.line, f.kind, f.message]),
      [
        [
          1007 + 4 * 1000,
          "note",
          "This geo guard is not read (the geo lists read for the guards above already hold 1,000,000 entries): the verdicts do not include it.",
        ],
      ],
    );
  });

  // `return` runs in the rewrite phase, before the access phase that checks allow/deny
  // (https://nginx.org/en/docs/dev/development_guide.html#http_phases,
  // https://nginx.org/en/docs/http/ngx_http_rewrite_module.html#return): next to allow/deny it answers everyone.
  test("return next to allow/deny answers every address; a refusing return is deny all; a server's return hides its locations", () => {
    const answered = nginxParser.parse(`server {
    listen 443 ssl;
    server_name hooks.example.com;
    location /freshchat {
        allow 52.1.37.96;
        deny all;
        return 200 "ok";
    }
}
`);
    assert.deepEqual(
      answered.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [
          7,
          "note",
          "return 200 answers every request to this location before allow/deny is checked (rewrite phase before access phase): the allow/deny rules here never apply, every address gets the same answer.",
        ],
      ],
    );
    assert.deepEqual(statuses(answered, ["52.1.37.96", "52.1.32.88"]), {
      "52.1.37.96": "covered",
      "52.1.32.88": "covered",
    });
    // The only server on 443 refuses every request before any location is searched.
    const refused = nginxParser.parse(`server {
    listen 443 ssl default_server;
    server_name _;
    return 444;
    location /hooks {
        allow 52.1.37.96;
    }
}
`);
    assert.deepEqual(
      refused.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [
          4,
          "note",
          "return 444 refuses every request to this server before allow/deny is checked (rewrite phase before access phase): read as deny all.",
        ],
      ],
    );
    assert.deepEqual(statuses(refused, ["52.1.37.96", "52.1.32.88"]), {
      "52.1.37.96": "missing",
      "52.1.32.88": "missing",
    });
    // Beside another server on the port, a named server refusing everything is not read as the webhook's.
    const beside = nginxParser.parse(`server {
    listen 443 ssl;
    server_name retired.example.com;
    return 444;
}
server {
    listen 443 ssl;
    server_name api.example.com;
    location / { allow 52.1.37.96; deny all; proxy_pass http://app; }
}
`);
    assert.deepEqual(
      beside.path?.contexts.map((c) => [c.name, c.onPath, c.reason]),
      [
        [
          "server (listen 443)",
          false,
          "it refuses every request (return 444): the webhook is assumed to reach another server on the port",
        ],
        [
          "server (listen 443) location /",
          true,
          "It listens on port 443; this location's own allow/deny list replaces the inherited one, and nginx allows what no rule matches.",
        ],
      ],
    );
    assert.deepEqual(statuses(beside, ["52.1.37.96", "52.1.32.88"]), {
      "52.1.37.96": "covered",
      "52.1.32.88": "missing",
    });
    // A location without rules that returns (a health check, a retired webhook URL) says nothing about the webhook's:
    // not read, so it does not become a list of its own on the path.
    const health = nginxParser.parse(`server {
    listen 443 ssl;
    allow 52.1.37.96;
    deny all;
    location = /health { return 200; }
    location /freshchat/v1 { return 410; }
}
`);
    assert.deepEqual(health.findings, []);
    assert.deepEqual(statuses(health, ["52.1.37.96", "52.1.32.88"]), {
      "52.1.37.96": "covered",
      "52.1.32.88": "missing",
    });
  });

  // `if ($remote_addr !~ …) { return 403; }` refuses by a test of the client address
  // (https://nginx.org/en/docs/http/ngx_http_rewrite_module.html#if): not read, and said so on its line.
  test("an if refusing by a regex on $remote_addr is a not-understood finding, not silence", () => {
    const out = nginxParser.parse(`server {
    listen 443 ssl;
    location /freshchat {
        if ($remote_addr !~ "^52\\.1\\.37\\.96$") {
            return 403;
        }
        if ($http_user_agent ~* curl) { return 403; }
        proxy_pass http://127.0.0.1:8080;
    }
}
`);
    assert.deepEqual(
      out.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [
          4,
          "not-understood",
          "This if refuses requests (return 403) by a test of $remote_addr that is not read: the verdicts do not include it (allow/deny or a geo block can be read).",
        ],
      ],
    );
  });

  // Behind a load balancer speaking the PROXY protocol, $remote_addr (what allow/deny test) is the balancer's address
  // unless the realip module takes it from the header (https://nginx.org/en/docs/http/ngx_http_realip_module.html,
  // https://docs.nginx.com/nginx/admin-guide/load-balancer/using-proxy-protocol/).
  test("listen … proxy_protocol without real_ip_header proxy_protocol says the rules see the balancer's address", () => {
    const server = `    server {
        listen 443 ssl proxy_protocol;
        location /freshchat { allow 52.1.37.96; deny all; proxy_pass http://app; }
    }
`;
    const bare = nginxParser.parse(`http {\n${server}}\n`);
    assert.deepEqual(
      bare.findings.filter((f) => f.kind === "note").map((f) => [f.line, f.message]),
      [
        [
          3,
          "proxy_protocol without real_ip_header proxy_protocol: allow/deny see the load balancer's address, not the sender's; the verdicts read the sender's address.",
        ],
      ],
    );
    const realip = nginxParser.parse(
      `http {\n    set_real_ip_from 10.0.0.0/8;\n    real_ip_header proxy_protocol;\n${server}}\n`,
    );
    assert.deepEqual(
      realip.findings.filter((f) => f.kind === "note"),
      [],
    );
  });
  test("real_ip_header proxy_protocol needs set_real_ip_from; in stream{} set_real_ip_from alone is enough", () => {
    const notes = (text: string) =>
      nginxParser
        .parse(text)
        .findings.filter((f) => f.kind === "note")
        .map((f) => [f.line, f.message]);
    // Verified on nginx 1.22: without set_real_ip_from a PROXY header from 52.1.37.96 still got 403 (the balancer's
    // address was checked); with set_real_ip_from 127.0.0.1 it got 200.
    assert.deepEqual(
      notes("server { listen 443 ssl proxy_protocol;\n real_ip_header proxy_protocol; allow 52.1.37.96; deny all; }\n"),
      [
        [
          1,
          "real_ip_header proxy_protocol without set_real_ip_from: the realip module trusts no balancer, so allow/deny still see the load balancer's address, not the sender's; the verdicts read the sender's address.",
        ],
      ],
    );
    // https://nginx.org/en/docs/stream/ngx_stream_realip_module.html: there is no real_ip_header in stream{}.
    const stream = (from: string) =>
      `stream {\n  server {\n    listen 443 proxy_protocol;\n${from}    allow 52.1.37.96;\n    deny all;\n    proxy_pass 127.0.0.1:8443;\n  }\n}\n`;
    assert.deepEqual(notes(stream("    set_real_ip_from 10.0.0.0/8;\n")), []);
    assert.deepEqual(notes(stream("")), [
      [
        3,
        "proxy_protocol without set_real_ip_from: allow/deny see the load balancer's address, not the sender's; the verdicts read the sender's address.",
      ],
    ]);
  });

  test("a # inside a word is part of it, not a comment: the rules after it are read", () => {
    // nginx -t accepts this and serves the redirect to …/#/home; the location below still refuses 52.1.32.88.
    const text = `server {
    listen 443 ssl;
    location = /app { return 301 https://hooks.example.com/#/home; }
    location /freshchat/ { allow 52.1.37.96; deny all; proxy_pass http://127.0.0.1:8080; }   # trailing comment
}
`;
    const out = nginxParser.parse(text);
    assert.deepEqual(
      out.entries.map((e) => [e.line, e.action, e.token]),
      [
        [4, "allow", "52.1.37.96"],
        [4, "deny", "all"],
        [4, "deny", "all"],
      ],
    );
    assert.deepEqual(out.findings, []);
    assert.deepEqual(
      out.path?.contexts.map((c) => [c.line, c.name, c.onPath]),
      [[4, "server (listen 443) location /freshchat/", true]],
    );
  });

  test("a block left open at the end, and a stray closing brace, are findings (nginx refuses both)", () => {
    const cut = nginxParser.parse(
      "server {\n    listen 443 ssl;\n    location /freshchat/ {\n        allow 52.1.37.96;\n",
    );
    assert.deepEqual(
      cut.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [
          1,
          "not-understood",
          '"server {" is not closed: the paste ends inside it, and nginx refuses the file (unexpected end of file, expecting "}"). Was the paste cut short? Its rules are read as far as they go.',
        ],
      ],
    );
    assert.deepEqual(
      cut.entries.map((e) => [e.line, e.token]),
      [[4, "52.1.37.96"]],
    );
    const stray = nginxParser.parse("server { listen 443; allow 52.1.37.96; }\n}\n}\nallow 10.0.0.1;\n");
    assert.deepEqual(
      stray.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [
          2,
          "not-understood",
          '"}" closes no block: nginx refuses the file (unexpected "}"). What follows is read as if at the top level.',
        ],
      ],
    );
  });

  test("a leading zero in an allow is decimal, as nginx reads it, with a note; a prefix length too", () => {
    const out = nginxParser.parse(
      "server {\n  listen 443;\n  allow 52.1.32.088;\n  allow 052.001.037.096/032;\n  deny all;\n}\n",
    );
    assert.deepEqual(
      out.entries.slice(0, 2).map((e) => [e.line, e.token, `${e.range.first.value}-${e.range.last.value}`]),
      [
        [3, "52.1.32.088", `${0x34012058}-${0x34012058}`],
        [4, "052.001.037.096/032", `${0x34012560}-${0x34012560}`],
      ],
    );
    assert.deepEqual(
      out.findings.map((f) => [f.line, f.kind]),
      [
        [3, "note"],
        [4, "note"],
      ],
    );
  });
});
