import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { boundary } from "./boundary";
import { apiRouteAnswer, checkJsonWrite, crossSiteReason, refuseCrossSite, requireJson } from "./guard";
import { pageCsp, PERMISSIONS_POLICY } from "./security-headers";

const at = (method: string, headers: Record<string, string>) =>
  new Request("http://127.0.0.1:3000/api/v1/firewalls", { method, headers: { host: "127.0.0.1:3000", ...headers } });

describe("cross-site writes", () => {
  test("a browser on another origin may not write; the app's own pages and non-browser clients may", () => {
    // The attack of issue 10: a page elsewhere posting text/plain (no preflight) to an open instance.
    assert.equal(
      crossSiteReason(at("POST", { origin: "https://evil.example", "sec-fetch-site": "cross-site" })),
      "Requests from https://evil.example may not change anything here.",
    );
    assert.equal(
      crossSiteReason(at("DELETE", { "sec-fetch-site": "cross-site" })),
      "Requests from other sites may not change anything here.",
    );
    assert.equal(
      crossSiteReason(at("PUT", { "sec-fetch-site": "same-site" })),
      "Requests from other sites may not change anything here.",
    );
    assert.equal(
      crossSiteReason(at("POST", { origin: "null" })),
      "This request comes from an opaque origin (a sandboxed page or a file).",
    );
    assert.equal(
      crossSiteReason(at("POST", { origin: "http://127.0.0.1:3000", "sec-fetch-site": "same-origin" })),
      null,
    );
    assert.equal(
      crossSiteReason(at("POST", { origin: "https://admin.example", "x-forwarded-host": "admin.example" })),
      null,
    );
    assert.equal(crossSiteReason(at("POST", {})), null, "curl sends neither header");
    assert.equal(
      crossSiteReason(at("GET", { origin: "https://evil.example", "sec-fetch-site": "cross-site" })),
      null,
      "reads are not writes",
    );
    process.env.ALLOWLIST_TRUSTED_ORIGINS = "https://ops.example";
    try {
      assert.equal(crossSiteReason(at("POST", { origin: "https://ops.example" })), null);
    } finally {
      delete process.env.ALLOWLIST_TRUSTED_ORIGINS;
    }
  });

  test("403 and 415 in the error shape; JSON types accepted with parameters and +json", async () => {
    const refused = refuseCrossSite(at("POST", { origin: "https://evil.example" }))!;
    assert.equal(refused.status, 403);
    assert.deepEqual(await refused.json(), {
      error: {
        status: 403,
        code: "forbidden",
        message:
          "Requests from https://evil.example may not change anything here. Send the request from this app's own pages, or without a browser.",
      },
    });
    const plain = requireJson(at("POST", { "content-type": "text/plain;charset=UTF-8" }))!;
    assert.equal(plain.status, 415);
    assert.deepEqual(await plain.json(), {
      error: {
        status: 415,
        code: "unsupported_media_type",
        message: "Send the body as JSON with Content-Type: application/json (not text/plain;charset=UTF-8).",
      },
    });
    assert.equal(requireJson(at("POST", {}))!.status, 415);
    assert.equal(requireJson(at("POST", { "content-type": "application/x-www-form-urlencoded" }))!.status, 415);
    assert.equal(requireJson(at("POST", { "content-type": "application/jsonp" }))!.status, 415);
    assert.equal(requireJson(at("POST", { "content-type": "application/json; charset=utf-8" })), null);
    assert.equal(requireJson(at("POST", { "content-type": "application/merge-patch+json" })), null);
    assert.equal(
      checkJsonWrite(at("POST", { origin: "https://evil.example", "content-type": "text/plain" }))!.status,
      403,
    );
  });
});

describe("the /api/v1 route table", () => {
  test("unknown paths: JSON 404 for every method", async () => {
    for (const method of ["GET", "POST", "DELETE", "TRACE"]) {
      const r = apiRouteAnswer(method, "/api/v1/nope")!;
      assert.equal(r.status, 404);
      assert.deepEqual(await r.json(), {
        error: {
          status: 404,
          code: "not_found",
          message: "No such API path: /api/v1/nope. See the README for the routes of /api/v1.",
        },
      });
    }
  });

  test("known paths: their methods pass, others are 405 with Allow and the shape, TRACE included", async () => {
    assert.equal(apiRouteAnswer("GET", "/api/v1/firewalls"), null);
    assert.equal(apiRouteAnswer("HEAD", "/api/v1/firewalls/7/diff"), null);
    assert.equal(apiRouteAnswer("DELETE", "/api/v1/firewalls/7"), null);
    const patch = apiRouteAnswer("PATCH", "/api/v1/firewalls/7")!;
    assert.equal(patch.status, 405);
    assert.equal(patch.headers.get("allow"), "GET, PUT, DELETE, HEAD, OPTIONS");
    assert.deepEqual(await patch.json(), {
      error: {
        status: 405,
        code: "method_not_allowed",
        message: "PATCH is not allowed on /api/v1/firewalls/7; use GET, PUT, DELETE, HEAD, OPTIONS.",
      },
    });
    const trace = apiRouteAnswer("TRACE", "/api/v1/diff")!;
    assert.deepEqual([trace.status, trace.headers.get("allow")], [405, "POST, OPTIONS"]);
    const get = apiRouteAnswer("GET", "/api/v1/diff")!;
    assert.equal(get.status, 405);
    const options = apiRouteAnswer("OPTIONS", "/api/v1/export")!;
    assert.deepEqual(
      [options.status, options.headers.get("allow"), await options.text()],
      [204, "GET, POST, HEAD, OPTIONS", ""],
    );
  });
});

describe("the error boundary", () => {
  test("an unexpected failure is a 500 in the shape, with an id that is also logged", async () => {
    const logged: unknown[][] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void logged.push(args);
    try {
      const handler = boundary(async (_request: Request) => {
        throw new RangeError("Invalid string length");
      });
      const r = await handler(new Request("http://localhost/api/v1/diff", { method: "POST" }));
      assert.equal(r.status, 500);
      const body = (await r.json()) as { error: { status: number; code: string; message: string; id: string } };
      assert.match(body.error.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      assert.deepEqual(body, {
        error: {
          status: 500,
          code: "internal",
          message: `Something went wrong on the server. Quote error id ${body.error.id} when you report it.`,
          id: body.error.id,
        },
      });
      assert.equal(logged.length, 1);
      assert.equal(logged[0]![0], `[error ${body.error.id}] POST /api/v1/diff:`);
      assert.ok(logged[0]![1] instanceof RangeError);
      assert.ok(!JSON.stringify(body).includes("Invalid string length"), "no internals in the answer");
    } finally {
      console.error = original;
    }
  });
});

describe("security headers", () => {
  test("the page policy: scripts only from here or with the nonce, nothing framed, no plugins", () => {
    assert.equal(
      pageCsp("abc", false),
      "default-src 'self'; script-src 'self' 'nonce-abc'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
    );
    assert.match(PERMISSIONS_POLICY, /^accelerometer=\(\), autoplay=\(\), camera=\(\),/);
  });
});

describe("next.config.js repeats the static headers", () => {
  test("the same Permissions-Policy and API policy as lib/api/security-headers.ts", async () => {
    const path = "../../next.config.js"; // a plain JS file without types: imported by a computed path
    const { default: config } = (await import(path)) as {
      default: { headers: () => Promise<{ source: string; headers: { key: string; value: string }[] }[]> };
    };
    const rules = await config.headers();
    const { API_CSP, STATIC_SECURITY_HEADERS } = await import("./security-headers");
    assert.deepEqual(rules, [
      { source: "/:path*", headers: STATIC_SECURITY_HEADERS },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: API_CSP }] },
    ]);
  });
});
