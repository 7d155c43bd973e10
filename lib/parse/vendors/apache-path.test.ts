import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { apacheParser } from "./apache";
import { parseWith, pathRows, statuses } from "./path.testkit";

const IPS = ["52.1.37.96", "52.1.37.97", "52.1.32.88", "3.74.148.8", "3.74.148.9", "18.208.240.77"];

// Apache HTTP Server 2.4, mod_authz_core "Authorization Containers" (RequireAll/RequireAny/RequireNone; the logic of
// granted/denied/neutral) and mod_access_compat (Order, Allow, Deny):
// https://httpd.apache.org/docs/2.4/mod/mod_authz_core.html#logic
// https://httpd.apache.org/docs/2.4/mod/mod_access_compat.html#order
const APACHE = `Listen 443
Listen 8080
<VirtualHost *:443>
    ServerName hooks.example.com
    <Location "/freshchat/webhook">
        <RequireAll>
            <RequireAny>
                Require ip 52.1.37.0/24 3.74.148.8/30
                Require ip 52.1.32.88
            </RequireAny>
            Require not ip 52.1.37.97
            <RequireNone>
                Require ip 3.74.148.9
            </RequireNone>
        </RequireAll>
    </Location>
    <Location "/admin">
        Require ip 10.0.0.0/8
    </Location>
</VirtualHost>
<VirtualHost *:8080>
    <Location "/">
        Require all denied
    </Location>
</VirtualHost>
<Directory "/var/www/legacy">
    Order allow,deny
    Allow from 18.208.240.0/24
    Deny from 18.208.240.77
</Directory>
`;

describe("Apache: the VirtualHost on the port, the webhook's Location, RequireAll/Any/None evaluated exactly", () => {
  test("the webhook Location decides; Require not ip and RequireNone carve addresses out of RequireAny's grants", () => {
    const p = parseWith(apacheParser, APACHE);
    assert.deepEqual(pathRows(p), {
      contexts: [
        ['<VirtualHost *:443> <Location "/freshchat/webhook">', true, "deny"],
        ['<VirtualHost *:443> <Location "/admin">', false, "deny"],
        ['<VirtualHost *:8080> <Location "/">', false, "deny"],
        ['<Directory "/var/www/legacy">', false, "deny"],
      ],
      assumption:
        "Port 443: the VirtualHosts listening on it; the sections that look like the webhook's. Another port: --port; the webhook's URL path: --ingress /path.",
    });
    assert.deepEqual(statuses(p, IPS), {
      "52.1.37.96": "covered",
      "52.1.37.97": "missing",
      "52.1.32.88": "covered",
      "3.74.148.8": "covered",
      "3.74.148.9": "missing",
      "18.208.240.77": "missing",
    });
  });

  test("--ingress /admin picks that Location; legacy Order allow,deny: Allow minus Deny", () => {
    const admin = parseWith(apacheParser, APACHE, { ingress: "/admin" });
    assert.deepEqual(
      pathRows(admin).contexts.filter(([, on]) => on),
      [['<VirtualHost *:443> <Location "/admin">', true, "deny"]],
    );
    assert.deepEqual(Object.values(statuses(admin, IPS)), [
      "missing",
      "missing",
      "missing",
      "missing",
      "missing",
      "missing",
    ]);
    const legacy = parseWith(
      apacheParser,
      APACHE.split("<Directory")[0]!.replace(/<VirtualHost[\s\S]*<\/VirtualHost>\n/, "") +
        '<Directory "/var/www/legacy">\n    Order allow,deny\n    Allow from 18.208.240.0/24\n    Deny from 18.208.240.77\n</Directory>\n',
    );
    assert.deepEqual(statuses(legacy, ["18.208.240.76", "18.208.240.77"]), {
      "18.208.240.76": "covered",
      "18.208.240.77": "missing",
    });
  });

  // https://httpd.apache.org/docs/2.4/sections.html#merging and mod_authz_core AuthMerging (default Off): the most
  // specific <Directory> holding the DocumentRoot decides, not every <Directory> of the file; <Location> sections
  // merge after them; <FilesMatch "^\.ht"> applies to .ht* files only. Debian's stock apache2.conf denies "/".
  test("stock apache2.conf: <Directory /> Require all denied does not block the DocumentRoot's requests", () => {
    const text = `Listen 443
<Directory />
	AllowOverride None
	Require all denied
</Directory>
<Directory /usr/share>
	Require all granted
</Directory>
<Directory /var/www/>
	Require all granted
</Directory>
<FilesMatch "^\\.ht">
	Require all denied
</FilesMatch>
<VirtualHost *:443>
	DocumentRoot /var/www/hooks
	<Location /api>
		Require ip 52.1.37.96 52.1.32.88
	</Location>
</VirtualHost>
`;
    const p = parseWith(apacheParser, text);
    assert.deepEqual(
      pathRows(p).contexts.map(([name, on]) => [name, on]),
      [
        ["<Directory />", false],
        ["<Directory /usr/share>", false],
        ["<Directory /var/www/>", true],
        ['<FilesMatch "^\\.ht">', false],
        ["<VirtualHost *:443> <Location /api>", true],
      ],
    );
    assert.deepEqual(statuses(p, ["52.1.37.96", "18.208.240.77"]), {
      "52.1.37.96": "covered",
      "18.208.240.77": "missing",
    });
    // Without a DocumentRoot, <Directory /> is assumed overridden by the more specific ones.
    const noRoot = parseWith(apacheParser, text.replace("\tDocumentRoot /var/www/hooks\n", ""));
    assert.deepEqual(statuses(noRoot, ["52.1.37.96"]), { "52.1.37.96": "covered" });
  });

  // https://httpd.apache.org/docs/2.4/mod/mod_access_compat.html#satisfy: with "Satisfy Any" passing the Allow/Deny
  // rules or the Require rules is enough. https://httpd.apache.org/docs/2.4/mod/mod_authz_host.html#reqlocal:
  // "Require local" grants loopback only.
  test("Satisfy Any unites Allow/Deny and Require; Require local denies the vendor", () => {
    const text = `<Location /webhooks>
    Order deny,allow
    Deny from all
    Allow from 52.1.37.96
    Require ip 52.1.32.88
    Satisfy Any
</Location>
`;
    assert.deepEqual(statuses(parseWith(apacheParser, text), ["52.1.37.96", "52.1.32.88", "18.208.240.77"]), {
      "52.1.37.96": "covered",
      "52.1.32.88": "covered",
      "18.208.240.77": "missing",
    });
    assert.deepEqual(
      statuses(parseWith(apacheParser, text.replace("Satisfy Any", "Satisfy All")), ["52.1.37.96", "52.1.32.88"]),
      { "52.1.37.96": "missing", "52.1.32.88": "missing" },
    );
    const local = parseWith(apacheParser, "<Location /hooks>\n    Require local\n</Location>\n");
    assert.deepEqual(statuses(local, ["52.1.37.96"]), { "52.1.37.96": "missing" });
  });

  // https://httpd.apache.org/docs/2.4/vhosts/name-based.html: one VirtualHost serves a request, picked by host name.
  test("name-based VirtualHosts on 443: the webhook's host decides, another host's Location is not crossed", () => {
    const text = `Listen 443
<VirtualHost *:443>
    ServerName intranet.example.com
    <Location />
        Require ip 10.0.0.0/8
    </Location>
</VirtualHost>
<VirtualHost *:443>
    ServerName hooks.example.com
    <Location />
        Require ip 52.1.37.96
    </Location>
</VirtualHost>
`;
    const p = parseWith(apacheParser, text);
    assert.deepEqual(
      pathRows(p).contexts.map(([, on]) => on),
      [false, true],
    );
    assert.deepEqual(statuses(p, ["52.1.37.96", "52.1.32.88"]), { "52.1.37.96": "covered", "52.1.32.88": "missing" });
  });

  // https://httpd.apache.org/docs/2.4/mod/core.html#limit (and #limitexcept): access rules inside apply to the
  // methods listed (or not listed); https://httpd.apache.org/docs/2.4/mod/core.html#if: only when the expression holds.
  test("Require inside <If> or <Limit GET> does not grant the webhook's POST", () => {
    const text = `<Location /hooks>
    <If "%{HTTP_HOST} == 'internal.example.com'">
        Require all granted
    </If>
    <Limit GET>
        Require all granted
    </Limit>
    <LimitExcept GET POST>
        Require all denied
    </LimitExcept>
    Require ip 52.1.37.96
</Location>
`;
    const p = parseWith(apacheParser, text);
    assert.deepEqual(statuses(p, ["52.1.37.96", "52.1.32.88"]), { "52.1.37.96": "covered", "52.1.32.88": "missing" });
    assert.deepEqual(
      p.findings.map((f) => [f.line, f.kind]),
      [
        [2, "note"],
        [5, "note"],
        [8, "note"],
      ],
    );
    // <Limit POST> does hold the webhook's rules.
    const post = parseWith(
      apacheParser,
      "<Location /hooks>\n    <Limit POST>\n        Require ip 52.1.32.88\n    </Limit>\n</Location>\n",
    );
    assert.deepEqual(statuses(post, ["52.1.37.96", "52.1.32.88"]), {
      "52.1.37.96": "missing",
      "52.1.32.88": "covered",
    });
  });

  // https://httpd.apache.org/docs/2.4/mod/mod_authz_core.html#require: valid-user, expr, env … grant by credentials or
  // a condition, not by address; alone they grant the webhook nothing (they used to leave the section granting all).
  test("Require valid-user / expr / host grant no address; Require method POST grants the webhook", () => {
    const only = parseWith(
      apacheParser,
      "<Location /hooks>\n    AuthType Basic\n    Require valid-user\n</Location>\n",
    );
    assert.deepEqual(statuses(only, ["52.1.37.96"]), { "52.1.37.96": "missing" });
    assert.deepEqual(
      only.findings.map((f) => [f.line, f.kind]),
      [[3, "note"]],
    );
    const all = parseWith(
      apacheParser,
      `<Location /hooks>\n    <RequireAll>\n        Require ip 52.1.37.96\n        Require expr "%{HTTP:X-Token} == 'abc'"\n    </RequireAll>\n</Location>\n`,
    );
    assert.deepEqual(statuses(all, ["52.1.37.96"]), { "52.1.37.96": "missing" });
    const host = parseWith(apacheParser, "<Location /hooks>\n    Require host example.com\n</Location>\n");
    assert.deepEqual(statuses(host, ["52.1.37.96"]), { "52.1.37.96": "missing" });
    const method = parseWith(
      apacheParser,
      "<Location /hooks>\n    <RequireAll>\n        Require method POST\n        Require ip 52.1.37.96\n    </RequireAll>\n</Location>\n",
    );
    assert.deepEqual(statuses(method, ["52.1.37.96", "52.1.32.88"]), {
      "52.1.37.96": "covered",
      "52.1.32.88": "missing",
    });
    // 2.2 style: Allow from the vendor, or a password (Satisfy Any).
    const legacy = parseWith(
      apacheParser,
      "<Location /hooks>\n    Order deny,allow\n    Deny from all\n    Allow from 52.1.37.96\n    AuthType Basic\n    Require valid-user\n    Satisfy Any\n</Location>\n",
    );
    assert.deepEqual(statuses(legacy, ["52.1.37.96", "52.1.32.88"]), {
      "52.1.37.96": "covered",
      "52.1.32.88": "missing",
    });
  });

  // <Location> sections are merged in the order they appear (a VirtualHost's after the main server's), and with
  // AuthMerging Off the last one holding authorization directives decides
  // (https://httpd.apache.org/docs/2.4/sections.html#merging, https://httpd.apache.org/docs/2.4/mod/mod_authz_core.html#authmerging).
  test("a <Location /> written after the webhook's Location decides for the webhook's path too", () => {
    const text = `<Location />
    Require all denied
</Location>
<VirtualHost *:443>
    ServerName api.example.com
    <Location /freshchat/webhook>
        Require ip 52.1.37.96
    </Location>
    <Location />
        Require all granted
    </Location>
</VirtualHost>
`;
    const p = parseWith(apacheParser, text);
    assert.deepEqual(pathRows(p).contexts, [
      ["<Location />", false, "deny"],
      ["<VirtualHost *:443> <Location /freshchat/webhook>", false, "deny"],
      ["<VirtualHost *:443> <Location />", true, "deny"],
    ]);
    assert.deepEqual(statuses(p, ["52.1.37.96", "52.1.32.88"]), { "52.1.37.96": "covered", "52.1.32.88": "covered" });
    // The same with the URL given: one answer either way.
    assert.deepEqual(statuses(parseWith(apacheParser, text, { ingress: "/freshchat/webhook" }), ["52.1.32.88"]), {
      "52.1.32.88": "covered",
    });
    // Written the other way round, the webhook's Location is merged last and decides; the main server's <Location />
    // (merged before the VirtualHost's sections) does not.
    const reversed = text.replace(
      /( {4}<Location \/freshchat\/webhook>[\s\S]*?<\/Location>\n)( {4}<Location \/>[\s\S]*?<\/Location>\n)/,
      "$2$1",
    );
    assert.deepEqual(statuses(parseWith(apacheParser, reversed), ["52.1.37.96", "52.1.32.88"]), {
      "52.1.37.96": "covered",
      "52.1.32.88": "missing",
    });
  });
});

// A <Location> is merged after every <Directory>, and the last section with rules of a module replaces the others' for
// that module (Require with AuthMerging Off; Order/Allow/Deny never merge). When both looked like the webhook's, both
// were on the path and the Directory's "Deny from all" blocked what the Location allows. A Directory holding rules of
// the other module still applies beside it.
// https://httpd.apache.org/docs/2.4/sections.html#merging, https://httpd.apache.org/docs/2.4/mod/mod_authz_core.html#authmerging,
// https://httpd.apache.org/docs/2.4/mod/mod_access_compat.html
describe("Apache: the webhook's Location replaces a Directory's rules of the same module", () => {
  const config = (directory: string) => `<VirtualHost *:443>
  ServerName hooks.example.com
  DocumentRoot /var/www/hooks
  <Directory /var/www/hooks>
${directory}
  </Directory>
  <Location /webhook>
    Order Allow,Deny
    Allow from 52.1.37.96
  </Location>
</VirtualHost>
`;

  test("Order/Allow/Deny in both: the Location's alone decide", () => {
    const p = parseWith(apacheParser, config("    Order Deny,Allow\n    Deny from all\n    Allow from 3.74.148.8"));
    assert.deepEqual(statuses(p, ["52.1.37.96", "3.74.148.8"]), { "52.1.37.96": "covered", "3.74.148.8": "missing" });
    assert.deepEqual(
      p.path?.contexts.map((c) => [c.name, c.onPath, c.reason]),
      [
        [
          "<VirtualHost *:443> <Directory /var/www/hooks>",
          false,
          "<Location /webhook> is merged after it and its rules replace these for the webhook's URL (AuthMerging Off; Order/Allow/Deny never merge)",
        ],
        [
          "<VirtualHost *:443> <Location /webhook>",
          true,
          "Its Require (or Order/Allow/Deny) rules must grant the connection; what they do not grant is refused.",
        ],
      ],
    );
  });

  test("Require in the Directory, Order/Allow in the Location: both modules apply", () => {
    const p = parseWith(apacheParser, config("    Require ip 3.74.148.8"));
    assert.deepEqual(statuses(p, ["52.1.37.96", "3.74.148.8"]), { "52.1.37.96": "missing", "3.74.148.8": "missing" });
    assert.deepEqual(
      p.path?.contexts.map((c) => c.onPath),
      [true, true],
    );
  });
});

// Hostile sizes. Choosing the sections compared every <Directory> with every other (a RegExp built per comparison):
// 8,000 of them took 172 s; and a <LocationMatch> or wildcard from the paste ran on V8's backtracking engine, where
// "(a+)+$" against a long path from the same paste never finishes. Plain paths are now looked up by path and patterns
// run on RE2's linear engine. The timeouts are hang guards, not speed figures (both take about 2 s on a slow machine).
describe("Apache: hostile sizes and patterns stay linear", () => {
  test("20,000 <Directory> sections without a DocumentRoot", { timeout: 120_000 }, () => {
    const n = 20_000;
    const text = Array.from(
      { length: n },
      (_, i) => `<Directory /var/www/d${i}>\n Require ip 10.${i >> 16}.${(i >> 8) & 255}.${i & 255}\n</Directory>`,
    ).join("\n");
    const p = parseWith(apacheParser, `${text}\n<Directory /var/www>\n Require all denied\n</Directory>\n`);
    const onPath = p.path?.contexts.filter((c) => c.onPath) ?? [];
    // Every leaf directory decides for its files; /var/www holds them all, so it is overridden.
    assert.equal(onPath.length, n);
    assert.deepEqual(
      p.path?.contexts.filter((c) => !c.onPath).map((c) => [c.name, c.reason]),
      [
        [
          "<Directory /var/www>",
          "the webhook's files are assumed under <Directory /var/www/d0>, which decides instead (AuthMerging Off)",
        ],
      ],
    );
  });

  test('a <LocationMatch "(a+)+$"> against a 50,000-character path', { timeout: 120_000 }, () => {
    const p = parseWith(
      apacheParser,
      `<Location /hook${"a".repeat(50_000)}X>\n Require ip 52.1.37.96\n</Location>\n<LocationMatch "(a+)+$">\n Require all denied\n</LocationMatch>\n`,
    );
    assert.deepEqual(
      p.path?.contexts.map((c) => c.onPath),
      [true, false],
    );
    assert.deepEqual(statuses(p, ["52.1.37.96"]), { "52.1.37.96": "covered" });
  });
});
