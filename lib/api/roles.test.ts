/**
 * Every route handler, called as each kind of caller: admin, editor, viewer (personal tokens), anonymous, a revoked
 * token and an expired token. The route modules of app/ are imported as Next loads them, and a completeness check
 * fails if a route file exports a method this table does not cover. Allowed callers send inputs that stop right
 * after the permission check (a 400 for an empty body, a 404 for a missing id), so the table has no side effects
 * that depend on order, and each expected status is exact.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { CALLERS, createAuthFixture, type AuthFixture, type Caller } from "../testing/auth-fixture";
import type { Permission } from "../auth/permissions";
import { testDatabaseUrl } from "../testing/test-db";

const dir = mkdtempSync(join(tmpdir(), "allowlist-roles-"));
process.env.DATABASE_URL = await testDatabaseUrl(dir, "roles");
const { migrateDatabase } = await import("../db/migrate");
const { getDb } = await import("../db/client");
const { notAllowed } = await import("./guard");
const root = fileURLToPath(new URL("../../", import.meta.url));

let fixture: AuthFixture;
before(async () => {
  await migrateDatabase(process.env.DATABASE_URL!);
  fixture = await createAuthFixture(getDb(), "r");
});
after(async () => {
  await getDb().$disconnect();
  rmSync(dir, { recursive: true, force: true });
});

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response> | Response;

interface Case {
  /** The route file under app/, and the method it exports. */
  readonly file: string;
  readonly method: "GET" | "HEAD" | "POST" | "PUT" | "DELETE";
  readonly path: string;
  readonly params?: Record<string, string>;
  readonly body?: unknown;
  /** null: no user check (health, feeds: the feed has its own token). */
  readonly permission: Permission | null;
  /** What an allowed caller gets with this input. */
  readonly allowed: number;
}

const CASES: readonly Case[] = [
  { file: "api/v1/health/route.ts", method: "GET", path: "/api/v1/health", permission: null, allowed: 200 },
  {
    file: "api/v1/openapi.json/route.ts",
    method: "GET",
    path: "/api/v1/openapi.json",
    permission: "catalog:read",
    allowed: 200,
  },
  {
    file: "api/v1/catalog/versions/route.ts",
    method: "GET",
    path: "/api/v1/catalog/versions",
    permission: "catalog:read",
    allowed: 200,
  },
  {
    file: "api/v1/catalog/versions/[version]/route.ts",
    method: "GET",
    path: "/api/v1/catalog/versions/1",
    params: { version: "1" },
    permission: "catalog:read",
    allowed: 200,
  },
  {
    file: "api/v1/catalog/diff/route.ts",
    method: "GET",
    path: "/api/v1/catalog/diff?from=1&to=9",
    permission: "catalog:read",
    allowed: 404,
  },
  {
    file: "api/v1/catalog/import/route.ts",
    method: "POST",
    path: "/api/v1/catalog/import",
    body: {},
    permission: "catalog:import",
    allowed: 400,
  },
  {
    file: "api/v1/diff/route.ts",
    method: "POST",
    path: "/api/v1/diff",
    body: {},
    permission: "diff:run",
    allowed: 400,
  },
  {
    file: "api/v1/trace/route.ts",
    method: "POST",
    path: "/api/v1/trace",
    body: {},
    permission: "diff:run",
    allowed: 400,
  },
  {
    file: "api/v1/export/route.ts",
    method: "GET",
    path: "/api/v1/export?format=nope",
    permission: "export:create",
    allowed: 400,
  },
  {
    file: "api/v1/export/route.ts",
    method: "POST",
    path: "/api/v1/export",
    body: {},
    permission: "export:create",
    allowed: 400,
  },
  {
    file: "api/v1/firewalls/route.ts",
    method: "GET",
    path: "/api/v1/firewalls",
    permission: "firewall:read",
    allowed: 200,
  },
  {
    file: "api/v1/firewalls/route.ts",
    method: "POST",
    path: "/api/v1/firewalls",
    body: {},
    permission: "firewall:write",
    allowed: 400,
  },
  {
    file: "api/v1/firewalls/[id]/route.ts",
    method: "GET",
    path: "/api/v1/firewalls/999",
    params: { id: "999" },
    permission: "firewall:read",
    allowed: 404,
  },
  {
    file: "api/v1/firewalls/[id]/route.ts",
    method: "PUT",
    path: "/api/v1/firewalls/999",
    params: { id: "999" },
    body: {},
    permission: "firewall:write",
    allowed: 400,
  },
  {
    file: "api/v1/firewalls/[id]/route.ts",
    method: "DELETE",
    path: "/api/v1/firewalls/999",
    params: { id: "999" },
    permission: "firewall:write",
    allowed: 404,
  },
  {
    file: "api/v1/firewalls/[id]/diff/route.ts",
    method: "GET",
    path: "/api/v1/firewalls/999/diff",
    params: { id: "999" },
    permission: "diff:run",
    allowed: 404,
  },
  {
    file: "api/v1/firewalls/[id]/alignment/route.ts",
    method: "GET",
    path: "/api/v1/firewalls/999/alignment",
    params: { id: "999" },
    permission: "firewall:read",
    allowed: 404,
  },
  {
    file: "api/v1/firewalls/[id]/bring-in-line/route.ts",
    method: "GET",
    path: "/api/v1/firewalls/999/bring-in-line?format=plain",
    params: { id: "999" },
    permission: "export:create",
    allowed: 404,
  },
  { file: "api/v1/feeds/route.ts", method: "GET", path: "/api/v1/feeds", permission: "feed:read", allowed: 200 },
  {
    file: "api/v1/feeds/route.ts",
    method: "POST",
    path: "/api/v1/feeds",
    body: {},
    permission: "feed:write",
    allowed: 400,
  },
  {
    file: "api/v1/feeds/[id]/route.ts",
    method: "GET",
    path: "/api/v1/feeds/999",
    params: { id: "999" },
    permission: "feed:read",
    allowed: 404,
  },
  {
    file: "api/v1/feeds/[id]/route.ts",
    method: "DELETE",
    path: "/api/v1/feeds/999",
    params: { id: "999" },
    permission: "feed:write",
    allowed: 404,
  },
  {
    file: "api/v1/feeds/[id]/rotate/route.ts",
    method: "POST",
    path: "/api/v1/feeds/999/rotate",
    params: { id: "999" },
    permission: "feed:write",
    allowed: 404,
  },
  {
    file: "api/v1/feeds/[id]/revoke/route.ts",
    method: "POST",
    path: "/api/v1/feeds/999/revoke",
    params: { id: "999" },
    permission: "feed:write",
    allowed: 404,
  },
  {
    file: "api/v1/webhooks/route.ts",
    method: "GET",
    path: "/api/v1/webhooks",
    permission: "notification:read",
    allowed: 200,
  },
  {
    file: "api/v1/webhooks/route.ts",
    method: "POST",
    path: "/api/v1/webhooks",
    body: {},
    permission: "notification:write",
    allowed: 400,
  },
  {
    file: "api/v1/webhooks/[id]/route.ts",
    method: "DELETE",
    path: "/api/v1/webhooks/999",
    params: { id: "999" },
    permission: "notification:write",
    allowed: 404,
  },
  {
    file: "api/v1/notifications/route.ts",
    method: "GET",
    path: "/api/v1/notifications",
    permission: "notification:read",
    allowed: 200,
  },
  { file: "audit/csv/route.ts", method: "GET", path: "/audit/csv", permission: "audit:read", allowed: 200 },
  // Feeds answer their own token only: a user's token or session opens nothing there.
  {
    file: "feeds/[key]/route.ts",
    method: "GET",
    path: "/feeds/alf_wrong",
    params: { key: "alf_wrong" },
    permission: null,
    allowed: 401,
  },
  {
    file: "feeds/[key]/route.ts",
    method: "HEAD",
    path: "/feeds/alf_wrong",
    params: { key: "alf_wrong" },
    permission: null,
    allowed: 401,
  },
];

const ROLE_OF: Record<Caller, "admin" | "editor" | "viewer" | null> = {
  admin: "admin",
  editor: "editor",
  viewer: "viewer",
  anonymous: null,
  revoked: null,
  expired: null,
};
const REFUSED_401: Record<Caller, string> = {
  admin: "",
  editor: "",
  viewer: "",
  anonymous: "Sign in, or send Authorization: Bearer <token> (create a token on /account).",
  revoked: "This API token was revoked.",
  expired: "This API token has expired.",
};

const { permissionTable } = await import("../auth/permissions");
const holders = new Map(permissionTable().map((p) => [p.permission, p.roles as readonly string[]]));

function expected(c: Case, caller: Caller): { status: number; body?: unknown } {
  if (c.permission === null) return { status: c.allowed };
  const role = ROLE_OF[caller];
  if (role === null)
    return { status: 401, body: { error: { status: 401, code: "unauthorized", message: REFUSED_401[caller] } } };
  if (!holders.get(c.permission)!.includes(role)) {
    return {
      status: 403,
      body: {
        error: { status: 403, code: "forbidden", message: `Your role (${role}) does not allow ${c.permission}.` },
      },
    };
  }
  return { status: c.allowed };
}

async function call(c: Case, caller: Caller): Promise<Response> {
  const mod = (await import(join(root, "app", c.file))) as Record<string, Handler>;
  const handler = mod[c.method];
  assert.ok(handler, `${c.file} exports no ${c.method}`);
  const headers: Record<string, string> = {
    ...fixture.headers(caller),
    ...(c.body !== undefined ? { "content-type": "application/json" } : {}),
  };
  const request = new Request(`http://localhost${c.path}`, {
    method: c.method,
    headers,
    ...(c.body !== undefined ? { body: JSON.stringify(c.body) } : {}),
  });
  return handler(request, { params: Promise.resolve(c.params ?? {}) });
}

describe("every route, per caller", () => {
  for (const c of CASES) {
    test(`${c.method} ${c.path} (${c.permission ?? "no user check"})`, async () => {
      const got: Record<string, number> = {};
      const want: Record<string, number> = {};
      for (const caller of CALLERS) {
        const r = await call(c, caller);
        const e = expected(c, caller);
        got[caller] = r.status;
        want[caller] = e.status;
        if (e.body !== undefined) assert.deepEqual(await r.json(), e.body, `${caller} on ${c.method} ${c.path}`);
      }
      assert.deepEqual(got, want);
    });
  }

  test("the OpenAPI document and /help/api name the permission each handler checks", async () => {
    const { apiOperations } = await import("./openapi");
    const documented = new Map(
      apiOperations(["US"]).map((op) => [`${op.method.toUpperCase()} ${op.path}`, op.permission]),
    );
    const checked = new Map(
      CASES.filter((c) => c.file.startsWith("api/v1/")).map((c) => {
        const path = `/${c.file.replace(/\/route\.ts$/, "").replace(/\[(\w+)\]/g, "{$1}")}`;
        return [`${c.method} ${path}`, c.permission ?? "none"];
      }),
    );
    const differ = [...checked].filter(([op, permission]) => documented.has(op) && documented.get(op) !== permission);
    assert.deepEqual(
      differ.map(([op, p]) => `${op}: checks ${p}, documented ${documented.get(op)}`),
      [],
    );
  });

  test("the table covers every method every route file exports (except the 405/404 answers)", async () => {
    const files: string[] = [];
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name === "route.ts") files.push(p);
      }
    };
    walk(join(root, "app"));
    const exported: string[] = [];
    for (const f of files) {
      const rel = relative(join(root, "app"), f);
      if (rel === "api/v1/[...path]/route.ts" || rel === "api/auth/[...all]/route.ts") continue; // the 404 catch-all; better-auth's own
      const mod = (await import(f)) as Record<string, unknown>;
      for (const m of ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]) {
        if (typeof mod[m] === "function" && mod[m] !== notAllowed) exported.push(`${m} ${rel}`);
      }
    }
    const covered = new Set(CASES.map((c) => `${c.method} ${c.file}`));
    assert.deepEqual(
      exported.filter((e) => !covered.has(e)),
      [],
    );
  });
});
