/**
 * The nginx and HAProxy deltas deployed on real servers: the admin's own config (an allow list that lacks most of
 * the published US addresses), the missing delta computed from it by our reader, placed where the export says
 * (in the same block or frontend, above the admin's rules), and on top of our own earlier full export. Every
 * published US address must then get through, an address not published must not, and the admin's own allows must
 * stay. Our reader must say the same (14 of 14 covered). The full exports too: additive (the default) above the
 * admin's own rules adds the published addresses and revokes nothing; dedicated lets only them in. Apache httpd the
 * same way (its own describe below): additive lines beside the admin's Require lines, dedicated block alone.
 * Docs: https://nginx.org/en/docs/http/ngx_http_access_module.html ("The rules are checked in sequence until the
 * first match is found"); https://docs.haproxy.org/2.6/configuration.html#4.2-tcp-request%20connection (rules are
 * evaluated in declaration order; "accept" stops the evaluation, "reject" closes the connection).
 * Under CI=true a missing nginx, haproxy, apache2 or root fails the test; elsewhere it is skipped with the reason.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { buildCatalog } from "../../catalog/catalog";
import { missingDelta } from "../../diff/missing";
import { diff } from "../../diff/engines/objects";
import { SEED_CATALOG } from "../../diff/seed.fixture";
import { parseText } from "../../parse/registry";
import { admitted, missing, ServerLab } from "../../testing/servers-netns";
import { exportOptionsSchema, renderPlan } from "../prepare";
import { planExport } from "../plan";

const catalog = buildCatalog(SEED_CATALOG);
const US = SEED_CATALOG.filter((e) => e.region === "US").map((e) => e.cidr.replace("/32", ""));
/** Not published: must stay out. */
const STRANGER = "13.232.152.211";
/** Not published, but the admin's own config lets it in: an additive export must not revoke it. */
const OFFICE = "198.51.100.7";
const PORT = 8443;

const NGINX_HEAD = `http {
    client_body_temp_path body;
    proxy_temp_path proxy;
    fastcgi_temp_path fastcgi;
    uwsgi_temp_path uwsgi;
    scgi_temp_path scgi;
    access_log off;
    server {
        listen ${PORT};
        location /hook {
            root html;
`;
const NGINX_TAIL = `        }
    }
}
`;
const NGINX_OWN = `            allow 52.1.32.88/32;
            allow 52.1.37.96/32;
            deny all;
`;

const HAPROXY_HEAD = `defaults
    mode http
    timeout connect 5s
    timeout client 30s
    timeout server 30s
frontend webhooks
    bind :${PORT}
`;
const HAPROXY_TAIL = `    http-request return status 200
`;
const HAPROXY_OWN = `    acl own_src src 52.1.32.88/32
    acl own_src src 52.1.37.96/32
    tcp-request connection reject unless own_src
`;

/** The admin's Apache server: one Location for the webhook; the access rules go between head and tail. */
const APACHE_HEAD = `Listen ${PORT}
<Location "/hook">
`;
const APACHE_TAIL = `</Location>
`;
/** The admin's own Require lines: two of the published US addresses, as in NGINX_OWN. */
const APACHE_OWN = `    Require ip 52.1.32.88/32
    Require ip 52.1.37.96/32
`;

const indent = (text: string, by: string) =>
  text
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => `${by}${l}\n`)
    .join("");

/**
 * The export of `format` for the US entries `config` (read as `format`) does not cover, or the full export, in the
 * deployment model given (additive, the default, unless said).
 */
function exported(
  format: "nginx" | "haproxy" | "apache",
  config: string | undefined,
  deployment: "additive" | "dedicated" = "additive",
): { text: string; warnings: string[] } {
  const options = exportOptionsSchema.parse({
    provider: "Freshworks",
    catalogLabel: "v1",
    namePrefix: "freshworks",
    ports: String(PORT),
    scope: config === undefined ? "full" : "missing",
    deployment,
  });
  const only =
    config === undefined
      ? undefined
      : missingDelta(catalog, parseText(config, format, { port: PORT }), {
          regions: ["US"],
          ports: options.ports,
          protocol: "tcp",
        }).entries;
  const plan = planExport(format, catalog, options, { regions: ["US"], ...(only ? { only } : {}) });
  const r = renderPlan(format, plan, options, ["US"]);
  assert.ok(r.ok, r.ok ? "" : r.errors.join("; "));
  return { text: r.files[0]?.content ?? "", warnings: [...r.warnings] };
}

function covered(format: "nginx" | "haproxy" | "apache", config: string): number {
  const parsed = parseText(config, format, { port: PORT });
  return diff(catalog, parsed, { regions: ["US"], port: PORT }).summary.covered;
}

const why = missing(["nginx", "haproxy"]);
let lab: ServerLab | undefined;

describe("nginx and HAProxy deltas on real servers", { skip: process.env.CI ? false : why }, () => {
  before(() => {
    if (why !== undefined) assert.fail(`the server lab cannot run: ${why}`);
    lab = ServerLab.open("xd", [...US, STRANGER, OFFICE]);
  });
  after(async () => {
    await lab?.close();
  });

  async function outcome(kind: "nginx" | "haproxy", config: string): Promise<Record<string, boolean>> {
    const l = lab ?? assert.fail("no lab");
    await l.serve(kind, config, [PORT]);
    const sources = [...US, STRANGER, OFFICE];
    const out = l.probe(sources.map((source) => ({ source, port: PORT, path: "/hook" })));
    return Object.fromEntries(sources.map((s, k) => [s, admitted(out[k] ?? assert.fail("no outcome"))]));
  }
  const everyPublished = Object.fromEntries([...US.map((s) => [s, true]), [STRANGER, false], [OFFICE, false]]);

  test("nginx: the delta above the admin's own allow/deny lines lets in every published address and keeps theirs", async () => {
    const own = `${NGINX_HEAD}${NGINX_OWN}${NGINX_TAIL}`;
    const delta = exported("nginx", own);
    // Before the fix the delta ended with its own `deny all;`: above the admin's lines it denied their 52.1.32.88
    // and 52.1.37.96, below them its allows were never reached.
    assert.equal(/^deny /m.test(delta.text), false);
    assert.equal(
      delta.warnings.at(-1),
      "nginx: delta: allow lines only; include them in the block that holds your allow/deny lines, above them (the first rule that matches decides)",
    );
    const deployed = `${NGINX_HEAD}${indent(delta.text, "            ")}${NGINX_OWN}${NGINX_TAIL}`;
    assert.deepEqual(await outcome("nginx", deployed), everyPublished);
    assert.equal(covered("nginx", deployed), US.length);
  });

  test("nginx: the delta below the earlier dedicated full export's allows (same block) still adds, above its deny", async () => {
    const earlier = exported("nginx", undefined, "dedicated")
      .text.split("\n")
      .filter((l) => !/^allow (18\.|44\.)/.test(l))
      .join("\n");
    const own = `${NGINX_HEAD}${indent(earlier, "            ")}${NGINX_TAIL}`;
    const delta = exported("nginx", own);
    const lines = indent(earlier, "            ").split("\n");
    const denyAt = lines.findIndex((l) => l.trim() === "deny all;");
    lines.splice(denyAt, 0, indent(delta.text, "            ").trimEnd());
    const deployed = `${NGINX_HEAD}${lines.join("\n")}${NGINX_TAIL}`;
    assert.deepEqual(await outcome("nginx", deployed), everyPublished);
    assert.equal(covered("nginx", deployed), US.length);
  });

  test("haproxy: the delta above the admin's reject rule lets in every published address and keeps theirs", async () => {
    const own = `${HAPROXY_HEAD}${HAPROXY_OWN}${HAPROXY_TAIL}`;
    const delta = exported("haproxy", own);
    // Before the fix the delta ended with a second `tcp-request connection reject unless`: every source then had to
    // pass both rules, and HAProxy closed every connection, the admin's own sources included.
    assert.equal(delta.text.trimEnd().split("\n").at(-1), "tcp-request connection accept if freshworks_src");
    assert.equal(
      delta.warnings.at(-1),
      "haproxy: delta: put these lines in the frontend above its tcp-request connection reject rule (rules run in the order written)",
    );
    const deployed = `${HAPROXY_HEAD}${indent(delta.text, "    ")}${HAPROXY_OWN}${HAPROXY_TAIL}`;
    assert.deepEqual(await outcome("haproxy", deployed), everyPublished);
    assert.equal(covered("haproxy", deployed), US.length);
  });

  test("haproxy: the delta on top of the earlier dedicated full export (its acl extended) lets in every published address", async () => {
    const earlier = exported("haproxy", undefined, "dedicated")
      .text.split("\n")
      .filter((l) => !/src (18\.|44\.)/.test(l))
      .join("\n");
    const own = `${HAPROXY_HEAD}${indent(earlier, "    ")}${HAPROXY_TAIL}`;
    const delta = exported("haproxy", own);
    const deployed = `${HAPROXY_HEAD}${indent(delta.text, "    ")}${indent(earlier, "    ")}${HAPROXY_TAIL}`;
    assert.deepEqual(await outcome("haproxy", deployed), everyPublished);
    assert.equal(covered("haproxy", deployed), US.length);
  });
  // Additive (the default) promises accept rules inside the admin's policy, which still decides everything else
  // (README "Exports that work on the device", lib/export/types.ts): the full export must not revoke what the admin
  // let in. Before the fix it ended with `deny all;` / `tcp-request connection reject unless`: above the admin's lines
  // it closed the block to their office address, and on its own to every address they served.
  const withOffice = (on: Record<string, boolean>) => ({ ...everyPublished, ...on });

  test("nginx: the additive full export above the admin's allow/deny lines adds the published addresses, keeps theirs", async () => {
    const own = `            allow ${OFFICE};\n            deny all;\n`;
    const full = exported("nginx", undefined);
    assert.equal(/^deny /m.test(full.text), false);
    assert.equal(
      full.warnings.at(-1),
      "nginx: additive: allow lines only; include them in the block that holds your allow/deny lines, above them (the first rule that matches decides); a block without a deny already lets every address in",
    );
    const deployed = `${NGINX_HEAD}${indent(full.text, "            ")}${own}${NGINX_TAIL}`;
    assert.deepEqual(await outcome("nginx", deployed), withOffice({ [OFFICE]: true }));
    assert.equal(covered("nginx", deployed), US.length);
    // In a block without allow/deny lines nothing is revoked either: nginx lets every address in, as before.
    const open = `${NGINX_HEAD}${indent(full.text, "            ")}${NGINX_TAIL}`;
    assert.deepEqual(await outcome("nginx", open), withOffice({ [STRANGER]: true, [OFFICE]: true }));
  });

  test("nginx: the dedicated full export ends with deny all: only the published addresses get in", async () => {
    const full = exported("nginx", undefined, "dedicated");
    assert.equal(full.text.trimEnd().split("\n").at(-1), "deny all;");
    const deployed = `${NGINX_HEAD}${indent(full.text, "            ")}${NGINX_TAIL}`;
    assert.deepEqual(await outcome("nginx", deployed), everyPublished);
    assert.equal(covered("nginx", deployed), US.length);
  });

  test("haproxy: the additive full export above the admin's reject rule adds the published addresses, keeps theirs", async () => {
    const own = `    acl own_src src ${OFFICE}\n    tcp-request connection reject unless own_src\n`;
    const full = exported("haproxy", undefined);
    assert.equal(full.text.trimEnd().split("\n").at(-1), "tcp-request connection accept if freshworks_src");
    assert.equal(
      full.warnings.at(-1),
      "haproxy: additive: put these lines in the frontend above its tcp-request connection reject rule (rules run in the order written); accept ends only the tcp-request connection rules, the http-request rules below still apply",
    );
    const deployed = `${HAPROXY_HEAD}${indent(full.text, "    ")}${own}${HAPROXY_TAIL}`;
    assert.deepEqual(await outcome("haproxy", deployed), withOffice({ [OFFICE]: true }));
    assert.equal(covered("haproxy", deployed), US.length);
    // What the warning says: an accept does not skip the admin's http-request deny, which still refuses them.
    const httpOwn = `    acl own_src src ${OFFICE}\n    http-request deny unless own_src\n`;
    const behindHttp = `${HAPROXY_HEAD}${indent(full.text, "    ")}${httpOwn}${HAPROXY_TAIL}`;
    assert.deepEqual(
      await outcome("haproxy", behindHttp),
      withOffice({ ...Object.fromEntries(US.map((s) => [s, false])), [OFFICE]: true }),
    );
    assert.equal(covered("haproxy", behindHttp), 0);
  });

  test("haproxy: the dedicated full export rejects every other address", async () => {
    const full = exported("haproxy", undefined, "dedicated");
    assert.equal(full.text.trimEnd().split("\n").at(-1), "tcp-request connection reject unless freshworks_src");
    const deployed = `${HAPROXY_HEAD}${indent(full.text, "    ")}${HAPROXY_TAIL}`;
    assert.deepEqual(await outcome("haproxy", deployed), everyPublished);
    assert.equal(covered("haproxy", deployed), US.length);
  });
});

// Apache httpd 2.4 (mod_authz_core, mod_authz_host): Require lines standing directly in a section are alternatives,
// "implicitly contained within a <RequireAny>" (https://httpd.apache.org/docs/2.4/mod/mod_authz_core.html#require),
// a <RequireAny> there is merged into it, and a section with Require lines of its own replaces the ones it inherits
// (AuthMerging Off, the default: https://httpd.apache.org/docs/2.4/mod/mod_authz_core.html#authmerging). `Require ip`:
// https://httpd.apache.org/docs/2.4/mod/mod_authz_host.html#requiredirectives. A 404 is admitted (no file), 403 refused.
const whyApache = missing(["apache"]);
let apacheLab: ServerLab | undefined;

describe("Apache httpd full exports and deltas on a real server", { skip: process.env.CI ? false : whyApache }, () => {
  before(() => {
    if (whyApache !== undefined) assert.fail(`the server lab cannot run: ${whyApache}`);
    apacheLab = ServerLab.open("xa", [...US, STRANGER, OFFICE]);
  });
  after(async () => {
    await apacheLab?.close();
  });

  async function outcome(config: string): Promise<Record<string, boolean>> {
    const l = apacheLab ?? assert.fail("no lab");
    await l.serve("apache", config, [PORT]);
    const sources = [...US, STRANGER, OFFICE];
    const out = l.probe(sources.map((source) => ({ source, port: PORT, path: "/hook" })));
    return Object.fromEntries(sources.map((s, k) => [s, admitted(out[k] ?? assert.fail("no outcome"))]));
  }
  const everyPublished = Object.fromEntries([...US.map((s) => [s, true]), [STRANGER, false], [OFFICE, false]]);
  const withOffice = (on: Record<string, boolean>) => ({ ...everyPublished, ...on });
  /** The lines of an export that are not comments. */
  const rules = (text: string) => text.split("\n").filter((l) => l.trim() !== "" && !l.trim().startsWith("#"));

  // Before the fix the additive full export was a self-contained <RequireAny> block: in a section of its own (where a
  // self-contained block goes) it replaced the admin's rules. Now it is Require lines to add beside theirs.
  test("apache: the additive full export beside the admin's Require line adds the published addresses, keeps theirs", async () => {
    const own = `    Require ip ${OFFICE}\n`;
    const full = exported("apache", undefined);
    assert.equal(
      rules(full.text).every((l) => l.startsWith("Require ip ")),
      true,
    );
    // The 14 published US addresses are 7 prefixes (44.206.73.232/29 holds 8 of them).
    assert.equal(rules(full.text).length, 7);
    assert.equal(
      full.text.split("\n")[2],
      "# Additive: put these lines beside your own Require lines, directly in the section that holds them; they still decide the rest.",
    );
    assert.equal(
      full.warnings.at(-1),
      "apache: additive: Require ip lines only; put them directly in the section (Directory, Location, .htaccess) that holds your own Require lines, beside them: lines there are alternatives (an implicit <RequireAny>), so they add these sources and keep yours, and a Require all denied beside them refuses only the rest. Not inside a <RequireAll> (every line must match) or a <RequireNone>; in a section without Require lines, or one of their own, they become its whole policy (it no longer inherits its parent's rules: AuthMerging Off, the default)",
    );
    const deployed = `${APACHE_HEAD}${own}${indent(full.text, "    ")}${APACHE_TAIL}`;
    assert.deepEqual(await outcome(deployed), withOffice({ [OFFICE]: true }));
    assert.equal(covered("apache", deployed), US.length);
    // What the warning says: a `Require all denied` beside them refuses only what no line grants.
    const denied = `${APACHE_HEAD}    Require all denied\n${own}${indent(full.text, "    ")}${APACHE_TAIL}`;
    assert.deepEqual(await outcome(denied), withOffice({ [OFFICE]: true }));
    assert.equal(covered("apache", denied), US.length);
    // And inside a <RequireAll> every line must match: nobody gets in.
    const all = `${APACHE_HEAD}    <RequireAll>\n${own}${indent(full.text, "        ")}    </RequireAll>\n${APACHE_TAIL}`;
    assert.deepEqual(await outcome(all), withOffice(Object.fromEntries(US.map((s) => [s, false]))));
    assert.equal(covered("apache", all), 0);
  });

  test("apache: the dedicated full export alone lets in only the published addresses", async () => {
    const full = exported("apache", undefined, "dedicated");
    assert.deepEqual(
      [rules(full.text)[0], rules(full.text).at(-1), rules(full.text).length],
      ["<RequireAny>", "</RequireAny>", 7 + 2],
    );
    assert.equal(
      full.warnings.at(-1),
      "apache: dedicated: the <RequireAny> block is the section's whole access policy: replace the section's Require lines with it (a Require line left beside it still lets its addresses in), or put it in a Directory/Location of its own, which drops the access rules it inherits (AuthMerging Off, the default)",
    );
    const deployed = `${APACHE_HEAD}${indent(full.text, "    ")}${APACHE_TAIL}`;
    assert.deepEqual(await outcome(deployed), everyPublished);
    assert.equal(covered("apache", deployed), US.length);
    // What the warning says: in a Location of its own it drops the rules of the Directory it would inherit.
    const dir = `<Directory "/">\n    Require ip ${OFFICE}\n</Directory>\n`;
    assert.deepEqual(await outcome(`${dir}${deployed}`), everyPublished);
    assert.equal(covered("apache", `${dir}${deployed}`), US.length);
  });

  // mod_authz_core refuses only what a Require refuses: with no access rule on the way (none, or only inside a <Limit>
  // of other methods, "directive limited to other methods" in the error log) every source gets in. We read such a
  // paste as refusing everyone. (The probe is a GET; <Limit PUT> is "other methods" for a GET and a POST alike.)
  test("apache: no access rule on the way, or only for other methods (<Limit PUT>), grants every source", async () => {
    const everyone = Object.fromEntries([...US, STRANGER, OFFICE].map((s) => [s, true]));
    const none = `${APACHE_HEAD}    Options -Indexes\n${APACHE_TAIL}`;
    assert.deepEqual(await outcome(none), everyone);
    assert.equal(covered("apache", none), US.length);
    const limited = `${APACHE_HEAD}    <Limit PUT>\n        Require ip ${OFFICE}\n    </Limit>\n${APACHE_TAIL}`;
    assert.deepEqual(await outcome(limited), everyone);
    assert.equal(covered("apache", limited), US.length);
  });

  test("apache: the delta beside the admin's Require lines lets in every published address and keeps theirs", async () => {
    const own = `${APACHE_HEAD}${APACHE_OWN}${APACHE_TAIL}`;
    const delta = exported("apache", own);
    assert.equal(rules(delta.text).length, 7 - 2);
    assert.equal(
      rules(delta.text).every((l) => l.startsWith("Require ip ")),
      true,
    );
    const deployed = `${APACHE_HEAD}${APACHE_OWN}${indent(delta.text, "    ")}${APACHE_TAIL}`;
    assert.deepEqual(await outcome(deployed), everyPublished);
    assert.equal(covered("apache", deployed), US.length);
  });

  test("apache: the delta inside the earlier dedicated export's <RequireAny> adds what it lacks", async () => {
    const earlier = exported("apache", undefined, "dedicated")
      .text.split("\n")
      .filter((l) => !/Require ip (18\.|44\.)/.test(l))
      .join("\n");
    const own = `${APACHE_HEAD}${indent(earlier, "    ")}${APACHE_TAIL}`;
    const delta = exported("apache", own);
    assert.equal(rules(delta.text).length, 2);
    const lines = indent(earlier, "    ").split("\n");
    lines.splice(
      lines.findIndex((l) => l.trim() === "</RequireAny>"),
      0,
      indent(delta.text, "        ").trimEnd(),
    );
    const deployed = `${APACHE_HEAD}${lines.join("\n")}${APACHE_TAIL}`;
    assert.deepEqual(await outcome(deployed), everyPublished);
    assert.equal(covered("apache", deployed), US.length);
  });
});
