import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { authedRequest, createAuthFixture, useBearerByDefault, type AuthFixture } from "../testing/auth-fixture";
import { testDatabaseUrl } from "../testing/test-db";

let fixture: AuthFixture;

// The handlers share the process-wide client, which reads DATABASE_URL on first use: set it before any import runs it.
const dir = mkdtempSync(join(tmpdir(), "allowlist-api-"));
const url = await testDatabaseUrl(dir, "api");
process.env.DATABASE_URL = url;

const { migrateDatabase } = await import("../db/migrate");
const { getDb } = await import("../db/client");
const { cachedStatusCount } = await import("../db/firewall");
const api = await import("./firewalls");

const root = fileURLToPath(new URL("../../", import.meta.url));
const BASE = "http://localhost/api/v1";
const US = "52.1.37.96 52.1.32.88 18.208.240.77 52.201.75.8 34.231.139.135 34.231.245.167 44.206.73.232/29".split(" ");
// Covers all of US but 52.1.32.88, with a bad line for findings.
const TEXT = `${US.filter((c) => c !== "52.1.32.88").join("\n")}\nnot-an-ip\n`;

const ctx = (id: string | number) => ({ params: Promise.resolve({ id: String(id) }) });
const json = (body: unknown, init: RequestInit = {}) => ({
  ...init,
  body: JSON.stringify(body),
  headers: { "content-type": "application/json", ...(init.headers as Record<string, string> | undefined) },
});
const req = (path: string, init?: RequestInit) => authedRequest(`${BASE}${path}`, init);
async function body(response: Response) {
  return (await response.json()) as Record<string, unknown>;
}
/** Dates differ per run: compare their shape, then drop them. */
function undate<T>(value: T): T {
  return JSON.parse(
    JSON.stringify(value, (key, v: unknown) => {
      if ((key === "createdAt" || key === "updatedAt") && typeof v === "string") {
        assert.match(v, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        return "<date>";
      }
      return v;
    }),
  ) as T;
}

function cli(args: string[], input: string) {
  const file = join(dir, "input.txt");
  writeFileSync(file, input);
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", "lib/cli/main.ts", "diff", "--json", "--input", file, ...args],
    {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, DATABASE_URL: url, NO_COLOR: "1" },
    },
  );
  assert.equal(r.stderr, "");
  return r.stdout;
}

const STATUS_1 = {
  label: "1 missing",
  compliant: false,
  published: 14,
  covered: 13,
  partial: 0,
  missing: 1,
  catalogVersion: 1,
};

function expectedFirewall(id: number, headRevision: number, extra: Record<string, unknown> = {}) {
  return {
    id,
    name: "Edge West",
    description: "DMZ pair",
    headRevision,
    format: "plain",
    regions: ["US"],
    port: 443,
    createdAt: "<date>",
    updatedAt: "<date>",
    status: STATUS_1,
    links: { self: `/api/v1/firewalls/${id}`, diff: `/api/v1/firewalls/${id}/diff`, page: `/firewalls/${id}` },
    ...extra,
  };
}

before(async () => {
  await migrateDatabase(url);
  fixture = await createAuthFixture(getDb());
  useBearerByDefault(fixture.tokens.admin);
});

after(async () => {
  await getDb().$disconnect();
  rmSync(dir, { recursive: true, force: true });
});

describe("/api/v1/firewalls against a real SQLite file", () => {
  let id = 0;

  test("GET on an empty database: 200 and no firewalls", async () => {
    const r = await api.listFirewallsRoute(req("/firewalls"));
    assert.equal(r.status, 200);
    assert.deepEqual(await body(r), { catalogVersion: 1, firewalls: [], nextCursor: null, links: { next: null } });
  });

  test("POST creates revision 1: 201, Location, status against the catalog", async () => {
    const r = await api.createFirewallRoute(
      req(
        "/firewalls",
        json(
          { name: " Edge West ", description: "DMZ pair", text: TEXT, regions: "us", note: "first import" },
          { method: "POST" },
        ),
      ),
    );
    assert.equal(r.status, 201);
    const created = await body(r);
    id = created.id as number;
    assert.equal(r.headers.get("location"), `/api/v1/firewalls/${id}`);
    assert.deepEqual(undate(created), {
      ...expectedFirewall(id, 1),
      head: {
        number: 1,
        text: TEXT,
        format: "plain",
        regions: ["US"],
        port: 443,
        note: "first import",
        createdAt: "<date>",
      },
    });
  });

  test("POST refuses a name taken in another case (409), bad fields (400 with issues), bad JSON (400)", async () => {
    const taken = await api.createFirewallRoute(
      req("/firewalls", json({ name: "edge west", text: "", regions: "eu" }, { method: "POST" })),
    );
    assert.equal(taken.status, 409);
    assert.deepEqual(await body(taken), {
      error: {
        status: 409,
        code: "conflict",
        message: 'A firewall named "edge west" already exists (names are unique regardless of case).',
        issues: [{ path: "name", message: "This name is taken." }],
      },
    });
    const invalid = await api.createFirewallRoute(
      req("/firewalls", json({ name: "", text: 5, regions: ["mars"], port: 0 }, { method: "POST" })),
    );
    assert.equal(invalid.status, 400);
    assert.deepEqual(await body(invalid), {
      error: {
        status: 400,
        code: "bad_request",
        message: "The firewall is not valid.",
        issues: [
          { path: "name", message: "Give the firewall a name." },
          { path: "text", message: "Invalid input: expected string, received number" },
          { path: "regions", message: "Unknown region MARS (known: US, EU, IN, AU)." },
          { path: "port", message: "Port must be from 1 to 65535." },
        ],
      },
    });
    const broken = await api.createFirewallRoute(
      req("/firewalls", { method: "POST", body: "{", headers: { "content-type": "application/json" } }),
    );
    assert.equal(broken.status, 400);
    assert.match(((await body(broken)).error as { message: string }).message, /^The request body is not valid JSON: /);
  });

  test("POST with a text over 20 MB: 413", async () => {
    const r = await api.createFirewallRoute(
      req(
        "/firewalls",
        json({ name: "big", text: "1".repeat(20 * 1024 * 1024 + 1), regions: "us" }, { method: "POST" }),
      ),
    );
    assert.equal(r.status, 413);
    assert.deepEqual(await body(r), {
      error: { status: 413, code: "payload_too_large", message: "The text is larger than the limit of 20 MB." },
    });
  });

  test("GET list and GET one: 200 with status; the status is computed once per revision", async () => {
    const list = await api.listFirewallsRoute(req("/firewalls"));
    assert.equal(list.status, 200);
    // The list also says where each firewall stands against the newest catalog version.
    const alignment = {
      state: "needs-additions",
      label: "Needs 1 addition",
      catalogVersion: 1,
      additions: 1,
      stale: 0,
    };
    assert.deepEqual(undate(await body(list)), {
      catalogVersion: 1,
      firewalls: [{ ...expectedFirewall(id, 1), alignment }],
      nextCursor: null,
      links: { next: null },
    });
    const cached = cachedStatusCount();
    await api.listFirewallsRoute(req("/firewalls"));
    assert.equal(cachedStatusCount(), cached);
    const one = await api.getFirewallRoute(req(`/firewalls/${id}`), ctx(id));
    assert.equal(one.status, 200);
    assert.equal(((await body(one)).head as { text: string }).text, TEXT);
  });

  test("unknown or malformed ids are 404, never 500", async () => {
    for (const raw of ["999", "abc", "0", "1.5", "-3"]) {
      const r = await api.getFirewallRoute(req(`/firewalls/${raw}`), ctx(raw));
      assert.equal(r.status, 404, raw);
      assert.deepEqual(await body(r), { error: { status: 404, code: "not_found", message: "No such firewall." } });
    }
    assert.equal(
      (
        await api.putFirewallRoute(
          req("/firewalls/999", json({ baseRevision: 1, text: "", regions: "us" }, { method: "PUT" })),
          ctx(999),
        )
      ).status,
      404,
    );
    assert.equal((await api.firewallDiffRoute(req("/firewalls/999/diff"), ctx(999))).status, 404);
  });

  test("PUT saves revision 2; a second PUT from revision 1 is a 409 naming the head", async () => {
    const fixed = `${TEXT}52.1.32.88\n`;
    const ok = await api.putFirewallRoute(
      req(
        `/firewalls/${id}`,
        json({ baseRevision: 1, text: fixed, regions: ["US"], note: "add the missing one" }, { method: "PUT" }),
      ),
      ctx(id),
    );
    assert.equal(ok.status, 200);
    assert.deepEqual(undate(await body(ok)), {
      ...expectedFirewall(id, 2, {
        status: {
          label: "Compliant",
          compliant: true,
          published: 14,
          covered: 14,
          partial: 0,
          missing: 0,
          catalogVersion: 1,
        },
      }),
      head: {
        number: 2,
        text: fixed,
        format: "plain",
        regions: ["US"],
        port: 443,
        note: "add the missing one",
        createdAt: "<date>",
      },
    });
    const stale = await api.putFirewallRoute(
      req(`/firewalls/${id}`, json({ baseRevision: 1, text: "1.2.3.4", regions: "us" }, { method: "PUT" })),
      ctx(id),
    );
    assert.equal(stale.status, 409);
    assert.deepEqual(await body(stale), {
      error: {
        status: 409,
        code: "conflict",
        message:
          "Revision 2 is the latest, but this save was based on revision 1: fetch the firewall, review the changes, and send baseRevision 2.",
        issues: [{ path: "baseRevision", message: "Stale: the head is revision 2." }],
      },
    });
    const invalid = await api.putFirewallRoute(
      req(`/firewalls/${id}`, json({ text: "x", regions: "us" }, { method: "PUT" })),
      ctx(id),
    );
    assert.equal(invalid.status, 400);
    assert.deepEqual((await body(invalid)).error, {
      status: 400,
      code: "bad_request",
      message: "The revision is not valid.",
      issues: [{ path: "baseRevision", message: "baseRevision must be a revision number." }],
    });
  });

  test("two saves racing from the same head: exactly one wins", async () => {
    const send = (note: string) =>
      api.putFirewallRoute(
        req(
          `/firewalls/${id}`,
          json({ baseRevision: 2, text: `${TEXT}52.1.32.88\n`, regions: "us", note }, { method: "PUT" }),
        ),
        ctx(id),
      );
    const statuses = (await Promise.all([send("a"), send("b"), send("c")])).map((r) => r.status).sort();
    assert.deepEqual(statuses, [200, 409, 409]);
    const head = await body(await api.getFirewallRoute(req(`/firewalls/${id}`), ctx(id)));
    assert.equal(head.headRevision, 3);
  });

  test("GET diff is exactly the CLI's --json for the head revision; ?regions and ?port override", async () => {
    const firewall = await body(await api.getFirewallRoute(req(`/firewalls/${id}`), ctx(id)));
    const text = (firewall.head as { text: string }).text;
    const r = await api.firewallDiffRoute(req(`/firewalls/${id}/diff`), ctx(id));
    assert.equal(r.status, 200);
    assert.equal(r.headers.get("content-type"), "application/json; charset=utf-8");
    assert.equal(await r.text(), cli(["--regions", "us", "--format", "plain"], text));
    const eu = await api.firewallDiffRoute(req(`/firewalls/${id}/diff?regions=us,eu&port=8443`), ctx(id));
    assert.equal(await eu.text(), cli(["--regions", "us,eu", "--port", "8443", "--format", "plain"], text));
    const bad = await api.firewallDiffRoute(req(`/firewalls/${id}/diff?regions=mars&port=x`), ctx(id));
    assert.equal(bad.status, 400);
    assert.deepEqual((await body(bad)).error, {
      status: 400,
      code: "bad_request",
      message: "The query parameters are not valid.",
      issues: [
        { path: "regions", message: "Unknown region MARS (known: US, EU, IN, AU)." },
        { path: "port", message: "Port must be a whole number from 1 to 65535." },
      ],
    });
  });

  test("GET diff: ?path and ?ingress override what the parser detects, as --path and --ingress do", async () => {
    const IPT =
      "*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n-A INPUT -s 52.1.37.96/32 -p tcp --dport 443 -j ACCEPT\n-A FORWARD -i eth0 -s 52.1.32.88/32 -p tcp --dport 443 -j ACCEPT\nCOMMIT\n";
    const created = await api.createFirewallRoute(
      req("/firewalls", json({ name: "edge-paths", text: IPT, regions: "us" }, { method: "POST" })),
    );
    assert.equal(created.status, 201);
    const fid = (await body(created)).id as number;
    const host = await api.firewallDiffRoute(req(`/firewalls/${fid}/diff`), ctx(fid));
    assert.equal(await host.text(), cli(["--regions", "us", "--format", "iptables"], IPT));
    const forward = await api.firewallDiffRoute(req(`/firewalls/${fid}/diff?path=forward&ingress=eth0`), ctx(fid));
    const text = await forward.text();
    assert.equal(text, cli(["--regions", "us", "--format", "iptables", "--path", "forward", "--ingress", "eth0"], IPT));
    assert.deepEqual((JSON.parse(text) as { path: { kind: string } }).path.kind, "forward");
    const bad = await api.firewallDiffRoute(req(`/firewalls/${fid}/diff?path=both`), ctx(fid));
    assert.deepEqual((await body(bad)).error, {
      status: 400,
      code: "bad_request",
      message: "The query parameters are not valid.",
      issues: [
        {
          path: "path",
          message: 'Path must be "input" (the service is the device itself) or "forward" (a host behind it).',
        },
      ],
    });
    assert.equal((await api.deleteFirewallRoute(req(`/firewalls/${fid}`, { method: "DELETE" }), ctx(fid))).status, 204);
  });

  test("DELETE: 204, then 404", async () => {
    const r = await api.deleteFirewallRoute(req(`/firewalls/${id}`, { method: "DELETE" }), ctx(id));
    assert.equal(r.status, 204);
    assert.equal(await r.text(), "");
    const again = await api.deleteFirewallRoute(req(`/firewalls/${id}`, { method: "DELETE" }), ctx(id));
    assert.equal(again.status, 404);
    assert.deepEqual(await body(await api.listFirewallsRoute(req("/firewalls"))), {
      catalogVersion: 1,
      firewalls: [],
      nextCursor: null,
      links: { next: null },
    });
  });
});

describe("POST /api/v1/diff", () => {
  const ASA =
    "object-group network FRESHWORKS\n network-object host 52.1.37.96\naccess-list outside_in extended permit tcp object-group FRESHWORKS any eq 443\n";

  test("text/plain body with query options equals the CLI's --json", async () => {
    const r = await api.postDiffRoute(
      req("/diff?regions=us&port=443", { method: "POST", body: ASA, headers: { "content-type": "text/plain" } }),
    );
    assert.equal(r.status, 200);
    assert.equal(await r.text(), cli(["--regions", "us"], ASA));
  });

  test("JSON body; regions default to all", async () => {
    const r = await api.postDiffRoute(req("/diff", json({ text: TEXT, format: "plain" }, { method: "POST" })));
    assert.equal(r.status, 200);
    assert.equal(await r.text(), cli(["--format", "plain"], TEXT));
  });

  test("path and ingress override the detected path, as --path and --ingress do (JSON body and query string)", async () => {
    const IPT =
      "*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n-A INPUT -s 52.1.37.96/32 -p tcp --dport 443 -j ACCEPT\n-A FORWARD -i eth0 -s 52.1.32.88/32 -p tcp --dport 443 -j ACCEPT\nCOMMIT\n";
    const forward = await api.postDiffRoute(
      req("/diff", json({ text: IPT, regions: "us", path: "forward", ingress: "eth0" }, { method: "POST" })),
    );
    assert.equal(forward.status, 200);
    const text = await forward.text();
    assert.equal(text, cli(["--regions", "us", "--path", "forward", "--ingress", "eth0"], IPT));
    const report = JSON.parse(text) as {
      path: { kind: string; ingress: string };
      published: { cidr: string; status: string }[];
    };
    assert.deepEqual([report.path.kind, report.path.ingress], ["forward", "eth0"]);
    assert.deepEqual(
      report.published.filter((p) => p.status === "covered").map((p) => p.cidr),
      ["52.1.32.88/32"],
    );
    const query = await api.postDiffRoute(
      req("/diff?regions=us&path=forward&ingress=eth0", {
        method: "POST",
        body: IPT,
        headers: { "content-type": "text/plain" },
      }),
    );
    assert.equal(await query.text(), text);
    const bad = await api.postDiffRoute(
      req("/diff", json({ text: IPT, path: "output", ingress: "wan\u00e9" }, { method: "POST" })),
    );
    assert.equal(bad.status, 400);
    assert.deepEqual((await body(bad)).error, {
      status: 400,
      code: "bad_request",
      message: "The diff request is not valid.",
      issues: [
        {
          path: "path",
          message: 'Path must be "input" (the service is the device itself) or "forward" (a host behind it).',
        },
        {
          path: "ingress",
          message: "Ingress must be an interface, zone or interface list name: 1 to 64 printable characters.",
        },
      ],
    });
  });

  test("400 with issues, 413 past 20 MB", async () => {
    const bad = await api.postDiffRoute(
      req("/diff", json({ text: "", format: "word", port: "x" }, { method: "POST" })),
    );
    assert.equal(bad.status, 400);
    assert.deepEqual((await body(bad)).error, {
      status: 400,
      code: "bad_request",
      message: "The diff request is not valid.",
      issues: [
        { path: "format", message: "Unknown format: use auto or one of the listed formats." },
        { path: "port", message: "Port must be a whole number from 1 to 65535." },
      ],
    });
    const big = await api.postDiffRoute(
      req("/diff", {
        method: "POST",
        body: "1".repeat(20 * 1024 * 1024 + 1),
        headers: { "content-type": "text/plain" },
      }),
    );
    assert.equal(big.status, 413);
    assert.deepEqual(await body(big), {
      error: { status: 413, code: "payload_too_large", message: "The request body is larger than the limit of 20 MB." },
    });
  });
});

describe("POST /api/v1/diff: unusable input", () => {
  const post = (body: string, type?: string) =>
    api.postDiffRoute(
      req("/diff?regions=eu", {
        method: "POST",
        body,
        ...(type !== undefined ? { headers: { "content-type": type } } : {}),
      }),
    );

  test("422 in the error shape, with the first unreadable lines as issues, for prose, an empty body and binary", async () => {
    const prose = await post("Hello team,\nplease allow the IPs.\n", "text/plain");
    assert.equal(prose.status, 422);
    assert.deepEqual(await body(prose), {
      error: {
        status: 422,
        code: "unprocessable",
        message:
          "Nothing recognised — is this the right format? No address or rule was found. Read as Plain list (detected).",
        issues: [
          { line: 1, message: 'Hello team, — Not an address: "Hello" — not an IP address (column 1).' },
          { line: 2, message: 'please allow the IPs. — Not an address: "please" — not an IP address (column 1).' },
        ],
      },
    });
    const empty = await post("");
    assert.equal(empty.status, 422);
    assert.deepEqual(await body(empty), {
      error: {
        status: 422,
        code: "unprocessable",
        message: "Nothing recognised — is this the right format? The input is empty. Read as Plain list (detected).",
      },
    });
    const blank = await api.postDiffRoute(req("/diff", json({ text: "  \n\n" }, { method: "POST" })));
    assert.equal(blank.status, 422);
    assert.equal(
      ((await body(blank)).error as { message: string }).message,
      "Nothing recognised — is this the right format? The input is only whitespace. Read as Plain list (detected).",
    );
    const binary = await post("PK\u0003\u0004\u0000\u0000", "text/plain");
    assert.equal(binary.status, 422);
    assert.deepEqual(((await body(binary)).error as { issues: unknown }).issues, [
      { line: 1, message: "PK···· — Not text." },
    ]);
  });

  test("415 for a form-encoded body (curl -d strips the newlines), which is not read", async () => {
    const form = await post("3.74.148.8/323.74.148.9/32", "application/x-www-form-urlencoded");
    assert.equal(form.status, 415);
    assert.deepEqual(await body(form), {
      error: {
        status: 415,
        code: "unsupported_media_type",
        message:
          'The diff reads a text/plain body (curl --data-binary @FILE -H "Content-Type: text/plain") or JSON { text } (not application/x-www-form-urlencoded).',
      },
    });
    // The same glued text sent as text is one unreadable line.
    const glued = await post("3.74.148.8/323.74.148.9/32", "text/plain");
    assert.equal(glued.status, 422);
    assert.deepEqual(((await body(glued)).error as { issues: unknown }).issues, [
      {
        line: 1,
        message:
          '3.74.148.8/323.74.148.9/32 — Not an address: "3.74.148.8/323.74.148.9/32" — octet is greater than 255 (column 12).',
      },
    ]);
  });
});

describe("tokens", () => {
  test("401 without a valid token, 403 for a viewer writing, 200 for a viewer reading", async () => {
    const anonymous = await api.listFirewallsRoute(new Request(`${BASE}/firewalls`));
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.headers.get("www-authenticate"), 'Bearer realm="allowlist"');
    assert.deepEqual(await body(anonymous), {
      error: {
        status: 401,
        code: "unauthorized",
        message: "Sign in, or send Authorization: Bearer <token> (create a token on /account).",
      },
    });
    const viewer = fixture.headers("viewer");
    const write = await api.createFirewallRoute(
      req("/firewalls", json({ name: "x", text: "", regions: "us" }, { method: "POST", headers: viewer })),
    );
    assert.equal(write.status, 403);
    assert.deepEqual(await body(write), {
      error: { status: 403, code: "forbidden", message: "Your role (viewer) does not allow firewall:write." },
    });
    assert.equal(
      (await api.deleteFirewallRoute(req("/firewalls/1", { method: "DELETE", headers: viewer }), ctx(1))).status,
      403,
    );
    assert.equal((await api.listFirewallsRoute(req("/firewalls", { headers: viewer }))).status, 200);
  });
});
