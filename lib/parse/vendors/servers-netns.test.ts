/**
 * Differential tests against the real servers: nginx and HAProxy run each config (random and realistic) inside a
 * throwaway network namespace; every source address connects from a client namespace; the server's answer (200 vs
 * 403 or a closed connection) must equal our verdict — the trace's and the diff's — for every source.
 * Docs for the semantics checked: https://nginx.org/en/docs/http/ngx_http_access_module.html,
 * https://nginx.org/en/docs/http/ngx_http_core_module.html#location, https://docs.haproxy.org/2.6/configuration.html.
 * Under CI=true a missing nginx, haproxy or root fails the test; elsewhere it is skipped with the reason.
 * SERVERS_SEED=n replays a run; SERVERS_CONFIGS=n sets how many random configs per server (default 40).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mustParseAddress } from "../../ip";
import { diff } from "../../diff/engines/objects";
import { trace } from "../../diff/trace";
import { admitted, missing, ServerLab, type Outcome } from "../../testing/servers-netns";
import { catalog } from "./path.testkit";
import { haproxyParser } from "./haproxy";
import { nginxParser } from "./nginx";
import type { ParseOptions, Parser } from "../types";
import { samplePrng } from "./samples";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SEED_CATALOG } from "../../diff/seed.fixture";

/** Published NAT IPs (seed catalog) and their neighbours: the client namespace holds them all. */
const SOURCES = [
  "52.1.37.96",
  "52.1.37.95",
  "52.1.37.97",
  "52.1.32.88",
  "18.208.240.77",
  "18.208.240.76",
  "3.74.148.8",
  "3.74.148.9",
  "3.74.148.10",
  "3.74.148.7",
  "13.232.152.211",
  "13.232.152.210",
  "44.206.73.231",
  "44.206.73.232",
  "44.206.73.235",
  "44.206.73.239",
  "44.206.73.240",
  "3.26.254.196",
];

/** Address words the random rules use: the sources, their /24s, a /29, a /16, a /8, none of them. */
const WORDS = [
  ...SOURCES,
  "52.1.37.0/24",
  "3.74.148.8/30",
  "44.206.73.232/29",
  "13.232.0.0/16",
  "18.0.0.0/8",
  "198.51.100.0/24",
  "3.74.148.0/24",
];

const SEED = Number(process.env.SERVERS_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CONFIGS = Number(process.env.SERVERS_CONFIGS ?? 40);

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const chance = (r: Rand, p: number): boolean => r() < p;

// ---- nginx ----

function nginxRules(r: Rand, indent: string): string {
  if (!chance(r, 0.6)) return "";
  const n = 1 + Math.floor(r() * 5);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(`${indent}${chance(r, 0.6) ? "allow" : "deny"} ${pick(r, WORDS)};`);
  if (chance(r, 0.5)) out.push(`${indent}${chance(r, 0.7) ? "deny" : "allow"} all;`);
  return out.join("\n") + "\n";
}

const NGINX_HTTP_HEAD = `    client_body_temp_path body;\n    proxy_temp_path proxy;\n    fastcgi_temp_path fastcgi;\n    uwsgi_temp_path uwsgi;\n    scgi_temp_path scgi;\n    access_log off;\n`;

function randomNginx(r: Rand): { config: string; path: string } {
  const path = pick(r, ["/hook", "/", "/hook/deep", "/api/v1"]);
  const config =
    `http {\n${NGINX_HTTP_HEAD}${nginxRules(r, "    ")}` +
    `    server {\n        listen 8443;\n${nginxRules(r, "        ")}` +
    `        location / {\n            empty_gif;\n${nginxRules(r, "            ")}        }\n` +
    `        location /hook {\n            empty_gif;\n${nginxRules(r, "            ")}` +
    (chance(r, 0.4)
      ? `            location /hook/deep {\n                empty_gif;\n${nginxRules(r, "                ")}            }\n`
      : "") +
    `        }\n` +
    (chance(r, 0.3)
      ? `        location = /api/v1 {\n            empty_gif;\n${nginxRules(r, "            ")}        }\n`
      : "") +
    `    }\n` +
    `    server {\n        listen 8080;\n        deny all;\n        location / { empty_gif; }\n    }\n}\n`;
  return { config, path };
}

// A realistic webhook vhost written from the nginx docs: the vendor's list only on the webhook location.
const REALISTIC_NGINX = `http {
${NGINX_HTTP_HEAD}    server {
        listen 8443;
        server_name hooks.example.com;
        allow 10.0.0.0/8;
        deny all;
        location / {
            empty_gif;
        }
        location /freshchat/webhook {
            # Freshworks US and EU NAT IPs
            allow 52.1.37.96;
            allow 52.1.32.88;
            allow 3.74.148.8/30;
            deny 3.74.148.9;
            deny all;
            empty_gif;
        }
    }
}
`;

// The geo allowlist of the nginx docs (https://nginx.org/en/docs/http/ngx_http_geo_module.html): the longest prefix
// decides ("52.1.37.0/24 1" with "52.1.37.96/32 0" inside it), a later line for the same prefix wins, and a guard in
// the webhook's location returns 403 to the rest.
const GEO_NGINX = `http {
${NGINX_HTTP_HEAD}    geo $freshworks {
        default 0;
        52.1.37.0/24 1;
        52.1.37.96/32 0;
        18.208.240.77 0;
        18.208.240.77 1;
        3.74.148.8/30 1;
    }
    server {
        listen 8443;
        location / {
            empty_gif;
        }
        location /hook {
            if ($freshworks = 0) {
                return 403;
            }
            empty_gif;
        }
    }
}
`;

// ---- HAProxy ----

function haproxyCondition(r: Rand, acls: readonly string[]): string {
  const term = (): string =>
    chance(r, 0.25)
      ? `{ src ${pick(r, WORDS)}${chance(r, 0.4) ? ` ${pick(r, WORDS)}` : ""} }`
      : `${chance(r, 0.3) ? "!" : ""}${pick(r, acls)}`;
  const alt = (): string => (chance(r, 0.2) ? `${term()} ${term()}` : term());
  const body = chance(r, 0.3) ? `${alt()} or ${alt()}` : alt();
  return chance(r, 0.15) ? "" : ` ${chance(r, 0.3) ? "unless" : "if"} ${body}`;
}

function haproxyAcls(r: Rand, prefix: string): { lines: string; names: string[] } {
  const names = [`${prefix}1`, `${prefix}2`, `${prefix}3`];
  const lines: string[] = [];
  for (const n of names) {
    const count = 1 + Math.floor(r() * 2);
    for (let i = 0; i < count; i++)
      lines.push(`    acl ${n} src ${pick(r, WORDS)}${chance(r, 0.5) ? ` ${pick(r, WORDS)}` : ""}`);
  }
  return { lines: lines.join("\n") + "\n", names };
}

function randomHaproxy(r: Rand): string {
  const fe = haproxyAcls(r, "fa");
  const be = haproxyAcls(r, "ba");
  const rules: string[] = [];
  const n = 1 + Math.floor(r() * 5);
  for (let i = 0; i < n; i++) {
    const stage = pick(r, ["tcp-request connection", "tcp-request content", "http-request", "http-request"]);
    const verb = stage === "http-request" ? (chance(r, 0.5) ? "allow" : "deny") : chance(r, 0.5) ? "accept" : "reject";
    rules.push(`    ${stage} ${verb}${haproxyCondition(r, fe.names)}`);
  }
  const beRules: string[] = [];
  if (chance(r, 0.5))
    beRules.push(`    http-request ${chance(r, 0.5) ? "allow" : "deny"}${haproxyCondition(r, be.names)}`);
  return (
    `global\n    maxconn 200\ndefaults\n    mode http\n    timeout connect 1s\n    timeout client 3s\n    timeout server 3s\n` +
    `frontend fe_hooks\n    bind :8443\n${fe.lines}${rules.join("\n")}\n    default_backend be_app\n` +
    `backend be_app\n${be.lines}${beRules.join("\n")}${beRules.length ? "\n" : ""}    http-request return status 200 content-type text/plain string ok\n` +
    `frontend fe_admin\n    bind :8080\n    http-request deny\n`
  );
}

// A realistic frontend written from the HAProxy docs: connection-level reject, then a webhook-path check.
const REALISTIC_HAPROXY = `global
    maxconn 200
defaults
    mode http
    timeout connect 1s
    timeout client 3s
    timeout server 3s
frontend fe_https
    bind :8443
    acl freshworks src 52.1.37.96 52.1.32.88
    acl freshworks src 3.74.148.8/30 44.206.73.232/29
    acl blocked src 3.74.148.9
    tcp-request connection reject if blocked
    http-request deny unless freshworks
    default_backend be_app
backend be_app
    http-request deny if { src 44.206.73.239 }
    http-request return status 200 content-type text/plain string ok
`;

// ---- the comparison ----

/** Both answers must occur, or the comparison proves little: counted over the run and checked at the end. */
const tally = { allowed: 0, blocked: 0 };

interface Case {
  readonly name: string;
  readonly config: string;
  readonly path: string;
  readonly options: ParseOptions;
}

/** Serves `c`, probes from every source (the lab's, SOURCES unless given) and returns what the server admitted. */
async function compare(
  lab: ServerLab,
  kind: "nginx" | "haproxy",
  parser: Parser,
  c: Case,
  sources: readonly string[] = SOURCES,
): Promise<boolean[]> {
  await lab.serve(kind, c.config, [8443]);
  const outcomes = lab.probe(sources.map((source) => ({ source, port: 8443, path: c.path })));
  const parsed = parser.parse(c.config, { ...c.options, port: 8443 });
  const cat = catalog(sources);
  const d = diff(cat, parsed, { port: 8443 });
  const problems: string[] = [];
  sources.forEach((src, i) => {
    const o = outcomes[i] as Outcome;
    if ("timeout" in o) problems.push(`${src}: the server did not answer in time`);
    const real = admitted(o);
    const t = trace(parsed, mustParseAddress(src), { catalog: SEED_CATALOG, port: 8443 });
    const status = d.published[i]!.status;
    if (t.allowed !== real || (status === "covered") !== real) {
      problems.push(
        `${src}: server ${JSON.stringify(o)}, trace ${t.allowed ? "allowed" : "blocked"} (${t.summary}), diff ${status}`,
      );
    }
  });
  assert.deepEqual(problems, [], `${c.name} (seed ${SEED}) GET ${c.path}\n${c.config}`);
  tally.allowed += outcomes.filter(admitted).length;
  tally.blocked += outcomes.filter((o) => !admitted(o)).length;
  return outcomes.map(admitted);
}

for (const kind of ["nginx", "haproxy"] as const) {
  const why = missing([kind]);
  const skip =
    why !== undefined && process.env.CI !== "true"
      ? `${why}: real-server tests skipped (they fail under CI=true)`
      : false;
  describe(`${kind} verdicts equal the real server's`, { skip }, () => {
    let lab: ServerLab;
    before(() => {
      assert.equal(why, undefined, `${why}: the real-server tests need root, ip and ${kind}`);
      lab = ServerLab.open("x11b", SOURCES);
      tally.allowed = 0;
      tally.blocked = 0;
    });
    after(async () => {
      await lab?.close();
    });
    const parser = kind === "nginx" ? nginxParser : haproxyParser;

    test("a realistic config", async () => {
      const c: Case =
        kind === "nginx"
          ? { name: "realistic nginx", config: REALISTIC_NGINX, path: "/freshchat/webhook", options: {} }
          : { name: "realistic haproxy", config: REALISTIC_HAPROXY, path: "/freshchat/webhook", options: {} };
      await compare(lab, kind, parser, c);
      // The same nginx vhost, asked about "/": the server-level list (10.0.0.0/8 only) decides.
      if (kind === "nginx")
        await compare(lab, kind, parser, {
          name: "realistic nginx at /",
          config: REALISTIC_NGINX,
          path: "/",
          options: { ingress: "/" },
        });
    });

    if (kind === "nginx")
      test("a geo allowlist with an if … return 403 guard", async () => {
        await compare(lab, kind, parser, { name: "geo nginx", config: GEO_NGINX, path: "/hook", options: {} });
        // The guard is the webhook location's list: the server's other location lets everyone in.
        await compare(lab, kind, parser, {
          name: "geo nginx at /",
          config: GEO_NGINX,
          path: "/",
          options: { ingress: "/" },
        });
      });

    test(`${CONFIGS} random configs (seed ${SEED})`, async () => {
      const r = samplePrng(SEED + (kind === "nginx" ? 0 : 1));
      for (let k = 0; k < CONFIGS; k++) {
        if (kind === "nginx") {
          const { config, path } = randomNginx(r);
          await compare(lab, kind, parser, { name: `random nginx #${k}`, config, path, options: { ingress: path } });
        } else {
          await compare(lab, kind, parser, {
            name: `random haproxy #${k}`,
            config: randomHaproxy(r),
            path: "/hook",
            options: {},
          });
        }
      }
      console.log(
        `${kind}: ${CONFIGS} random configs × ${SOURCES.length} sources, seed ${SEED}: ${tally.allowed} admitted, ${tally.blocked} refused`,
      );
      assert.ok(tally.allowed > CONFIGS && tally.blocked > CONFIGS, `too one-sided: ${JSON.stringify(tally)}`);
    });
  });
}

// ---- HAProxy ACL scope ----

/** The published US addresses and one address not in the config, as in servers-delta.test.ts. */
const US = SEED_CATALOG.filter((e) => e.region === "US").map((e) => e.cidr.replace("/32", ""));
const STRANGER = "13.232.152.211";
const HAPROXY_HEAD = `global\n    maxconn 200\ndefaults\n    mode http\n    timeout connect 1s\n    timeout client 3s\n    timeout server 3s\n`;
const HAPROXY_OK = `    http-request return status 200 content-type text/plain string ok\n`;

// https://docs.haproxy.org/2.6/configuration.html#7.1 "ACLs with the same name are ORed": every `acl` line of the
// name in the section, also those below the rule that uses it (HAProxy 2.6 admits all 14; our reader said 9).
const ACL_BELOW = `${HAPROXY_HEAD}frontend fe_hooks
    bind :8443
    acl allow_src src ${US.slice(0, 5).join(" ")}
    acl allow_src src ${US.slice(5, 9).join(" ")}
    tcp-request connection reject if !allow_src
    http-request deny if !allow_src
    acl allow_src src ${US.slice(9, 12).join(" ")}
    acl allow_src src ${US[12]}/32 ${US[13]}
${HAPROXY_OK}`;

// A named defaults section's rules use its own ACL; the frontend's ACL of the same name (lines above and below its
// rule) is another ACL: only the addresses in both get through both rules.
const ACL_SCOPES = `global\n    maxconn 200\ndefaults hooks
    mode http
    timeout connect 1s
    timeout client 3s
    timeout server 3s
    acl allow_src src ${US.slice(0, 10).join(" ")}
    http-request deny if !allow_src
frontend fe_hooks from hooks
    bind :8443
    acl allow_src src ${US.slice(5, 8).join(" ")}
    tcp-request connection reject if !allow_src
    acl allow_src src ${US.slice(8).join(" ")}
${HAPROXY_OK}`;

{
  const why = missing(["haproxy"]);
  const skip =
    why !== undefined && process.env.CI !== "true"
      ? `${why}: real-server tests skipped (they fail under CI=true)`
      : false;
  describe("haproxy: an ACL is every acl line of its name in its own section", { skip }, () => {
    const sources = [...US, STRANGER];
    let lab: ServerLab;
    let dir: string;
    before(() => {
      assert.equal(why, undefined, `${why}: the real-server tests need root, ip and haproxy`);
      lab = ServerLab.open("x11a", sources);
      dir = mkdtempSync(join(tmpdir(), "x11a-check-"));
    });
    after(async () => {
      await lab?.close();
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    });
    const c = (name: string, config: string): Case => ({ name, config, path: "/hook", options: {} });
    const expected = (admittedUs: readonly string[]) => [...US.map((a) => admittedUs.includes(a)), false];

    test("acl lines below the tcp-request and http-request rules that use the name count", async () => {
      assert.deepEqual(
        await compare(lab, "haproxy", haproxyParser, c("acl lines below", ACL_BELOW), sources),
        expected(US),
      );
      const parsed = haproxyParser.parse(ACL_BELOW, { port: 8443 });
      assert.equal(diff(catalog(US), parsed, { port: 8443 }).summary.covered, 14);
      // Nothing unused, nothing undefined: only the note that the return answers what passed the rules.
      assert.deepEqual(
        parsed.findings.map((f) => [f.line, f.kind]),
        [[16, "note"]],
      );
    });

    test("a named defaults section's rule uses its own ACL, the frontend's rule the frontend's", async () => {
      assert.deepEqual(
        await compare(lab, "haproxy", haproxyParser, c("acl scopes", ACL_SCOPES), sources),
        expected(US.slice(5, 10)),
      );
      const parsed = haproxyParser.parse(ACL_SCOPES, { port: 8443 });
      assert.equal(diff(catalog(US), parsed, { port: 8443 }).summary.covered, 5);
    });

    // Mode tcp (the defaults section's, or HAProxy's own default): `haproxy -c` warns "'http-request' rules ignored for
    // frontend 'fe_hooks' as they require HTTP mode" and starts; every source gets through. We counted the rule.
    test("in mode tcp HAProxy ignores http-request rules; a tcp-request rule still decides", async () => {
      const tcp = (rule: string) =>
        `${HAPROXY_HEAD.replace("mode http", "mode tcp")}frontend fe_hooks
    bind :8443
    acl fw src ${US.slice(0, 2).join(" ")}
    ${rule}
    default_backend be_app
backend be_app
    server app 127.0.0.1:8444
listen answer
    mode http
    bind 127.0.0.1:8444
${HAPROXY_OK}`;
      assert.deepEqual(
        await compare(lab, "haproxy", haproxyParser, c("mode tcp", tcp("http-request deny if !fw")), sources),
        sources.map(() => true),
      );
      assert.deepEqual(
        await compare(
          lab,
          "haproxy",
          haproxyParser,
          c("mode tcp", tcp("tcp-request connection reject if !fw")),
          sources,
        ),
        expected(US.slice(0, 2)),
      );
    });

    // "disabled" (configuration manual 4.2): HAProxy does not start the frontend, so its rules filter nothing; the
    // other frontend on the port answers every source. We read the disabled one's reject as deciding.
    test("a disabled frontend's rules filter nothing", async () => {
      const config = `${HAPROXY_HEAD}frontend fe_old
    bind :8443
    disabled
    acl fw src ${US.slice(0, 2).join(" ")}
    tcp-request connection reject if !fw
${HAPROXY_OK}frontend fe_new
    bind :8443
${HAPROXY_OK}`;
      assert.deepEqual(
        await compare(lab, "haproxy", haproxyParser, c("disabled", config), sources),
        sources.map(() => true),
      );
    });

    // Configuration manual 7.1.6: "tested address is IPv4, pattern address is IPv6: the IPv4 address is first converted
    // to IPv6 by prefixing ::ffff: in front of it". We read the ::ffff: patterns as IPv6 and the rule denied everyone.
    test("an IPv4-mapped IPv6 pattern matches the IPv4 client it maps", async () => {
      const config = `${HAPROXY_HEAD}frontend fe_hooks
    bind :8443
    acl fw src ::ffff:${US[0]}/128 ::ffff:${US[1]}
    tcp-request connection reject unless fw
${HAPROXY_OK}`;
      assert.deepEqual(
        await compare(lab, "haproxy", haproxyParser, c("v4-mapped", config), sources),
        expected(US.slice(0, 2)),
      );
    });

    // The names are looked up when HAProxy reads the rule: one first defined below it, or only in another section
    // (the defaults section, another frontend), is "no such ACL" and the configuration does not load. Our reader says
    // so on the rule's line: the lines and names of its findings equal those `haproxy -c` reports.
    const FE_OTHER = "frontend fe_other from hooks\n    bind :8444\n";
    const refused: Record<string, string> = {
      "defined only below the rule": ACL_SCOPES.replace(
        "    tcp-request connection reject if !allow_src\n",
        "    tcp-request connection reject if !allow_src\n    http-request deny if !later\n",
      ).concat(`    acl later src ${US[0]}\n`),
      "defined in the defaults section and another frontend only": `${ACL_SCOPES}${FE_OTHER}    tcp-request connection reject unless allow_src\n`,
      "defined in another frontend only": ACL_SCOPES.replace(
        "    bind :8443\n",
        `    bind :8443\n    acl hooks_only src ${US[0]}\n`,
      ).concat(`${FE_OTHER}    http-request deny unless hooks_only\n`),
    };
    for (const [name, config] of Object.entries(refused))
      test(`haproxy -c refuses an ACL ${name}; our finding is on the same line`, () => {
        const file = join(dir, "refused.cfg");
        writeFileSync(file, config);
        const r = spawnSync("unshare", ["-n", "haproxy", "-c", "-f", file], { encoding: "utf8" });
        assert.equal(r.status, 1, r.stderr);
        const real = [...`${r.stdout}${r.stderr}`.matchAll(/parsing \[.*?:(\d+)\].*no such ACL : '(\w+)'/g)].map(
          (m) => [Number(m[1]), m[2]],
        );
        const ours = haproxyParser
          .parse(config, { port: 8443 })
          .findings.filter((f) => f.kind === "undefined-reference")
          .map((f) => [f.line, /^ACL "(\w+)"/.exec(f.message)?.[1]]);
        assert.equal(real.length, 1, config);
        assert.deepEqual(ours, real, config);
      });
  });
}
