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
});
