import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { apiSession, authorize, dashboardSession, readAuthConfig } from "./permissions";

describe("permissions", () => {
  test("open by default: anonymous API callers and the dashboard are editors", () => {
    const config = readAuthConfig({});
    assert.deepEqual(apiSession(config, null), { ok: true, session: { role: "editor", actor: "anonymous" } });
    assert.deepEqual(dashboardSession(config), { role: "editor", actor: "dashboard" });
  });

  test("read-only mode refuses writes with 403 and names the permission", () => {
    const session = dashboardSession(readAuthConfig({ ALLOWLIST_READONLY: "1" }));
    assert.deepEqual(authorize(session, "firewall:write"), {
      ok: false,
      status: 403,
      message: "Your role (viewer) does not allow firewall:write.",
    });
    assert.deepEqual(authorize(session, "firewall:read"), { ok: true, session });
  });

  test("with tokens configured, the API needs a valid bearer token", () => {
    const config = readAuthConfig({ ALLOWLIST_API_TOKENS: "s3cret-edit:editor, r3ad:viewer, broken, x:admin" });
    assert.equal(config.tokens.size, 2);
    assert.deepEqual(apiSession(config, null), {
      ok: false,
      status: 401,
      message: "This API needs a valid token: send Authorization: Bearer <token>.",
    });
    assert.deepEqual(apiSession(config, "Bearer wrong"), apiSession(config, null));
    assert.deepEqual(apiSession(config, "Bearer r3ad"), { ok: true, session: { role: "viewer", actor: "token:r3ad…" } });
    assert.deepEqual(apiSession(config, "bearer s3cret-edit"), {
      ok: true,
      session: { role: "editor", actor: "token:s3cr…" },
    });
  });
});
