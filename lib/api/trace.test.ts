import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { authedRequest, createAuthFixture, useBearerByDefault, type AuthFixture } from "../testing/auth-fixture";
import { testDatabaseUrl } from "../testing/test-db";

// Who may trace is read from the database (tokens, sessions): a database of its own.
const dir = mkdtempSync(join(tmpdir(), "allowlist-trace-"));
process.env.DATABASE_URL = await testDatabaseUrl(dir, "api");
const { migrateDatabase } = await import("../db/migrate");
const { getDb } = await import("../db/client");
const { postTraceRoute } = await import("./trace");
let fixture: AuthFixture;

before(async () => {
  await migrateDatabase(process.env.DATABASE_URL!);
  fixture = await createAuthFixture(getDb());
  useBearerByDefault(fixture.tokens.viewer);
});
after(async () => {
  await getDb().$disconnect();
  rmSync(dir, { recursive: true, force: true });
});

const URL_BASE = "http://localhost/api/v1/trace";
const LIST = "# webhooks\n52.1.37.96\n52.1.32.0/24\n";
const json = (body: unknown, headers: Record<string, string> = {}) =>
  authedRequest(URL_BASE, {
    method: "POST",
    body: JSON.stringify(body),
    headers: { "content-type": "application/json", ...headers },
  });

describe("POST /api/v1/trace", () => {
  test("JSON body: the trace of an allowed address, exactly", async () => {
    const r = await postTraceRoute(json({ text: LIST, address: "52.1.32.88" }));
    assert.equal(r.status, 200);
    assert.equal(r.headers.get("content-type"), "application/json; charset=utf-8");
    assert.deepEqual(await r.json(), {
      address: "52.1.32.88",
      protocol: "tcp",
      port: 443,
      format: "plain",
      allowed: true,
      summary: "52.1.32.88 → TCP 443: allowed by line 3.",
      contexts: [
        {
          name: "the list",
          line: 0,
          onPath: true,
          reason: "The paste is read as one list.",
          fallthrough: "deny",
          passes: true,
          decision: { by: "rule", line: 3, action: "allow" },
          steps: [
            {
              line: 3,
              text: "52.1.32.0/24",
              action: "allow",
              matched: true,
              decided: true,
              why: "address, TCP and port 443 match",
            },
          ],
          omitted: 0,
        },
      ],
    });
  });

  test("text/plain body with the options in the query string; a blocked address", async () => {
    const r = await postTraceRoute(
      authedRequest(`${URL_BASE}?address=3.74.148.8&port=8443&format=plain`, {
        method: "POST",
        body: LIST,
        headers: { "content-type": "text/plain" },
      }),
    );
    assert.equal(r.status, 200);
    const t = (await r.json()) as { allowed: boolean; summary: string; port: number };
    assert.deepEqual(
      [t.allowed, t.port, t.summary],
      [false, 8443, "3.74.148.8 → TCP 8443: blocked — no rule of the list matches, and its default is deny."],
    );
  });

  test("invalid fields: 400 in the one error shape, every field named", async () => {
    const r = await postTraceRoute(json({ text: LIST, address: "52.1.37", port: 0, path: "sideways", ingress: "" }));
    assert.equal(r.status, 400);
    assert.deepEqual(await r.json(), {
      error: {
        status: 400,
        code: "bad_request",
        message: "The trace request is not valid.",
        issues: [
          { path: "port", message: "Port must be from 1 to 65535." },
          {
            path: "address",
            message:
              '"52.1.37" is not an address: expected 4 octets, found 3 (shorthand like "10.1" is not allowed) (column 8).',
          },
          {
            path: "path",
            message: 'Path must be "input" (the service is the device itself) or "forward" (a host behind it).',
          },
          {
            path: "ingress",
            message: "Ingress must be an interface, zone or interface list name: 1 to 64 printable characters.",
          },
        ],
      },
    });
    const missing = await postTraceRoute(json({ text: LIST }));
    assert.deepEqual(((await missing.json()) as { error: { issues: unknown } }).error.issues, [
      { path: "address", message: "Give one IPv4 or IPv6 address." },
    ]);
  });

  test("malformed JSON is a 400; a text over 20 MB is a 413", async () => {
    const bad = await postTraceRoute(
      authedRequest(URL_BASE, { method: "POST", body: "{", headers: { "content-type": "application/json" } }),
    );
    assert.equal(bad.status, 400);
    const big = await postTraceRoute(
      authedRequest(`${URL_BASE}?address=52.1.37.96`, {
        method: "POST",
        body: "1".repeat(20 * 1024 * 1024 + 1),
        headers: { "content-type": "text/plain" },
      }),
    );
    assert.deepEqual(
      [big.status, ((await big.json()) as { error: { code: string } }).error.code],
      [413, "payload_too_large"],
    );
  });

  test("the permission is checked like /api/v1/diff: anonymous 401, a viewer's token 200", async () => {
    const anonymous = await postTraceRoute(
      new Request(URL_BASE, {
        method: "POST",
        body: JSON.stringify({ text: LIST, address: "52.1.37.96" }),
        headers: { "content-type": "application/json" },
      }),
    );
    assert.equal(anonymous.status, 401);
    const viewer = await postTraceRoute(json({ text: LIST, address: "52.1.37.96" }, fixture.headers("viewer")));
    assert.equal(viewer.status, 200);
  });
});
