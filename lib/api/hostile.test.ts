import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { authedRequest, createAuthFixture, useBearerByDefault, type AuthFixture } from "../testing/auth-fixture";
import { testDatabaseUrl } from "../testing/test-db";

let fixture: AuthFixture;

// Hostile and large input against the real handlers and a real SQLite file (issue 10).
const dir = mkdtempSync(join(tmpdir(), "allowlist-hostile-"));
const url = await testDatabaseUrl(dir, "hostile");
process.env.DATABASE_URL = url;
process.env.ALLOWLIST_HEAVY_SLOTS = "1";
process.env.ALLOWLIST_HEAVY_QUEUE = "1";

const { migrateDatabase } = await import("../db/migrate");
const { getDb } = await import("../db/client");
const api = await import("./firewalls");
const { heavyGate, newGate, HEAVY_BYTES } = await import("./heavy");
const { TEXT_LIMIT } = await import("../diff/report");

const BASE = "http://localhost/api/v1";
const req = (path: string, init?: RequestInit) => authedRequest(`${BASE}${path}`, init);
const ctx = (id: string | number) => ({ params: Promise.resolve({ id: String(id) }) });
const jsonInit = (body: unknown, method = "POST"): RequestInit => ({
  method,
  body: JSON.stringify(body),
  headers: { "content-type": "application/json" },
});

interface Report {
  entries: { line: number }[];
  lines: { line: number; text: string }[];
}

/** The report's size and, for small ones, its JSON. */
async function read(response: Response): Promise<{ size: number; report?: Report }> {
  const text = await response.text();
  return { size: text.length, report: text.length < 64 << 20 ? (JSON.parse(text) as Report) : undefined };
}

function assertBounded(size: number, report: Report | undefined, inputLength: number) {
  assert.ok(size <= 64 * inputLength + 64 * 1024, `report ${size} chars for ${inputLength} chars of input`);
  const lines = report!.lines.map((l) => l.line);
  assert.equal(new Set(lines).size, lines.length);
  for (const l of report!.lines) assert.ok(l.text.length <= TEXT_LIMIT + 40);
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

describe("one long line takes nothing down", () => {
  // Regression: a 64 KB line of 8,192 addresses was an empty 500 (RangeError: Invalid string length).
  test("POST /api/v1/diff with a 64 KB line: 200, one copy of the line, 8,192 entries", async () => {
    const text = "1.2.3.4 ".repeat(8192);
    const r = await api.postDiffRoute(
      req("/diff?regions=us", { method: "POST", body: text, headers: { "content-type": "text/plain" } }),
    );
    assert.equal(r.status, 200);
    const { size, report } = await read(r);
    assert.equal(report!.entries.length, 8192);
    assert.deepEqual(report!.lines, [
      { line: 1, text: `${"1.2.3.4 ".repeat(25)}… (${text.trim().length - TEXT_LIMIT} more characters)` },
    ]);
    assertBounded(size, report, text.length);
  });

  // Regression: saved as a firewall, a 1 MB line made GET …/diff run the process out of memory.
  test("a firewall holding a 1 MB line: GET …/diff is 200 and about 20x the text", async () => {
    const text = `52.1.37.96\n${"1.2.3.4 ".repeat(1 << 17)}\n`;
    const created = await api.createFirewallRoute(
      req("/firewalls", jsonInit({ name: "long line", text, regions: "us" })),
    );
    assert.equal(created.status, 201);
    const { id } = (await created.json()) as { id: number };
    const r = await api.firewallDiffRoute(req(`/firewalls/${id}/diff`), ctx(id));
    assert.equal(r.status, 200);
    const { size, report } = await read(r);
    assert.equal(report!.entries.length, (1 << 17) + 1);
    assert.deepEqual(
      report!.lines.map((l) => l.line),
      [1, 2],
    );
    assertBounded(size, report, text.length);
    assert.ok(size < 21 * text.length, `${size}`);
  });

  test("property: random long lines through POST /api/v1/diff, plain and JSON bodies", async () => {
    const token = fc.oneof(
      fc.constantFrom(
        "::",
        "1.2.3.4",
        "52.1.37.96",
        "0.0.0.0/0",
        "x",
        "10.0.0.0/8",
        "2001:db8::/32",
        "-A",
        "{",
        "allow",
      ),
      fc.tuple(fc.constantFrom("a", "1", ":", "."), fc.integer({ min: 1, max: 30_000 })).map(([c, n]) => c.repeat(n)),
    );
    const line = fc.array(token, { minLength: 1, maxLength: 400 }).map((ts) => ts.join(" "));
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 3 }), fc.boolean(), async (lines, asJson) => {
        const text = lines.join("\n");
        const r = await api.postDiffRoute(
          asJson
            ? req("/diff", jsonInit({ text }))
            : req("/diff", { method: "POST", body: text, headers: { "content-type": "text/plain" } }),
        );
        // Nothing recognised (no address in any line) is a 422 in the error shape, itself bounded; else the report.
        if (r.status === 422) {
          const body = await r.text();
          assert.ok(body.length < 4_000, `${body.length}`);
          assert.equal((JSON.parse(body) as { error: { code: string } }).error.code, "unprocessable");
          return;
        }
        assert.equal(r.status, 200);
        const { size, report } = await read(r);
        assertBounded(size, report, text.length);
      }),
      { numRuns: 40, seed: 10 },
    );
  });

  test("a 20 MB line (one token, not an address) through POST /api/v1/diff: 422, a small error naming line 1", async () => {
    const text = "7".repeat(20 * 1024 * 1024 - 1);
    const r = await api.postDiffRoute(
      req("/diff?regions=us", { method: "POST", body: text, headers: { "content-type": "text/plain" } }),
    );
    assert.equal(r.status, 422);
    const body = await r.text();
    assert.ok(body.length < 2_000, `${body.length}`);
    const { error } = JSON.parse(body) as { error: { code: string; issues: { line: number; message: string }[] } };
    assert.deepEqual([error.code, error.issues.map((i) => i.line)], ["unprocessable", [1]]);
  });

  test("a 20 MB line (an address and a comment) through POST /api/v1/diff: 200, a small report", async () => {
    const text = `52.1.37.96 # ${"c".repeat(20 * 1024 * 1024 - 20)}`;
    const r = await api.postDiffRoute(
      req("/diff?regions=us", { method: "POST", body: text, headers: { "content-type": "text/plain" } }),
    );
    assert.equal(r.status, 200);
    const { size, report } = await read(r);
    assert.ok(size < 32 * 1024, `${size}`);
    assert.equal(report!.lines.length, 1);
  });
});

describe("heavy work is bounded", () => {
  test("a gate: slots run, the queue waits in order, past it null", async () => {
    const gate = newGate(1, 1);
    const first = await gate.enter();
    assert.ok(first);
    const order: string[] = [];
    const second = gate.enter().then((r) => {
      order.push("second");
      return r;
    });
    assert.equal(await gate.enter(), null);
    assert.deepEqual([gate.running, gate.queued], [1, 1]);
    first();
    first(); // releasing twice frees one slot
    const released = await second;
    assert.deepEqual(order, ["second"]);
    assert.deepEqual([gate.running, gate.queued], [1, 0]);
    released!();
    assert.deepEqual([gate.running, gate.queued], [0, 0]);
  });

  test("while one big diff streams and one waits, a third is 503 with Retry-After; a small one is served", async () => {
    const text = `${"52.1.37.96\n".repeat(HEAVY_BYTES / 8)}`;
    const big = () =>
      req("/diff", {
        method: "POST",
        body: text,
        headers: { "content-type": "text/plain", "content-length": String(text.length) },
      });
    const streaming = await api.postDiffRoute(big());
    assert.equal(streaming.status, 200);
    assert.equal(heavyGate().running, 1);
    const waiting = api.postDiffRoute(big());
    // The second request reaches the gate after its caller is checked (a database read): wait until it queues.
    for (let i = 0; i < 250 && heavyGate().queued === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(heavyGate().queued, 1);
    const refused = await api.postDiffRoute(big());
    assert.equal(refused.status, 503);
    assert.equal(refused.headers.get("retry-after"), "5");
    assert.deepEqual(await refused.json(), {
      error: {
        status: 503,
        code: "unavailable",
        message: "The server is busy with other large diffs; retry in 5 seconds.",
      },
    });
    const small = await api.postDiffRoute(
      req("/diff", {
        method: "POST",
        body: "52.1.37.96\n",
        headers: { "content-type": "text/plain", "content-length": "11" },
      }),
    );
    assert.equal(small.status, 200);
    await small.text();
    // Reading the first body to its end frees the slot for the waiting one.
    await streaming.text();
    const second = await waiting;
    assert.equal(second.status, 200);
    await second.body!.cancel();
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual([heavyGate().running, heavyGate().queued], [0, 0]);
  });
});

describe("GET /api/v1/firewalls pages with ?cursor= and ?limit=", () => {
  test("three firewalls in pages of two, then a search; bad parameters are 400", async () => {
    for (const name of ["Bravo", "alpha", "Charlie"]) {
      assert.equal(
        (await api.createFirewallRoute(req("/firewalls", jsonInit({ name, text: "52.1.37.96\n", regions: "us" }))))
          .status,
        201,
      );
    }
    const first = (await (await api.listFirewallsRoute(req("/firewalls?limit=2&q=a"))).json()) as {
      firewalls: { name: string }[];
      nextCursor: string;
      links: { next: string };
    };
    assert.deepEqual(
      first.firewalls.map((f) => f.name),
      ["alpha", "Bravo"],
    );
    assert.equal(first.links.next, `/api/v1/firewalls?q=a&limit=2&cursor=${first.nextCursor}`);
    const second = (await (await api.listFirewallsRoute(req(first.links.next.replace("/api/v1", "")))).json()) as {
      firewalls: { name: string }[];
      nextCursor: null;
    };
    assert.deepEqual([second.firewalls.map((f) => f.name), second.nextCursor], [["Charlie"], null]);
    const bad = await api.listFirewallsRoute(req("/firewalls?limit=0&cursor=!!&sort=name"));
    assert.equal(bad.status, 400);
    assert.deepEqual(await bad.json(), {
      error: {
        status: 400,
        code: "bad_request",
        message: "The query parameters are not valid.",
        issues: [
          { path: "limit", message: "Limit must be a whole number from 1 to 500." },
          { path: "cursor", message: "Not a cursor from this API: pass nextCursor of the previous page as it came." },
          { path: "", message: 'Unrecognized key: "sort"' },
        ],
      },
    });
  });
});

describe("no cross-site writes", () => {
  // Regression: a page on another origin created a firewall with fetch(…, { body: JSON, content-type text/plain }).
  test("POST /api/v1/firewalls with a text/plain body is 415 and creates nothing; a foreign Origin is 403", async () => {
    const before = (
      (await (await api.listFirewallsRoute(req("/firewalls?limit=500"))).json()) as { firewalls: unknown[] }
    ).firewalls.length;
    const body = JSON.stringify({ name: "planted", text: "0.0.0.0/0\n", regions: "us" });
    const plain = await api.createFirewallRoute(
      req("/firewalls", { method: "POST", body, headers: { "content-type": "text/plain;charset=UTF-8" } }),
    );
    assert.equal(plain.status, 415);
    assert.equal(((await plain.json()) as { error: { code: string } }).error.code, "unsupported_media_type");
    const foreign = await api.createFirewallRoute(
      req("/firewalls", {
        method: "POST",
        body,
        headers: { "content-type": "application/json", origin: "https://evil.example", host: "localhost" },
      }),
    );
    assert.equal(foreign.status, 403);
    const del = await api.deleteFirewallRoute(
      req("/firewalls/1", { method: "DELETE", headers: { "sec-fetch-site": "cross-site" } }),
      ctx(1),
    );
    assert.equal(del.status, 403);
    const put = await api.putFirewallRoute(
      req("/firewalls/1", { method: "PUT", body, headers: { "content-type": "text/plain" } }),
      ctx(1),
    );
    assert.equal(put.status, 415);
    const after = (
      (await (await api.listFirewallsRoute(req("/firewalls?limit=500"))).json()) as { firewalls: unknown[] }
    ).firewalls.length;
    assert.equal(after, before);
  });
});
