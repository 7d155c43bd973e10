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
    const config = readAuthConfig({ ALLOWLIST_API_TOKENS: "s3cret-edit-0123456:editor, r3ad-0123456789abcd:viewer" });
    assert.equal(config.tokens.size, 2);
    assert.deepEqual(apiSession(config, null), {
      ok: false,
      status: 401,
      message: "This API needs a valid token: send Authorization: Bearer <token>.",
    });
    assert.deepEqual(apiSession(config, "Bearer wrong"), apiSession(config, null));
    assert.deepEqual(apiSession(config, "Bearer r3ad-0123456789abcd"), { ok: true, session: { role: "viewer", actor: "token:r3ad…" } });
    assert.deepEqual(apiSession(config, "bearer s3cret-edit-0123456"), {
      ok: true,
      session: { role: "editor", actor: "token:s3cr…" },
    });
  });

  test("a malformed token setting is refused with the entry named, never dropped (dropping could leave the API open)", () => {
    assert.throws(() => readAuthConfig({ ALLOWLIST_API_TOKENS: "s3cret-edit-0123456:editor, broken, x:admin" }), {
      name: "Error",
      message:
        'ALLOWLIST_API_TOKENS entry 2 ("brok…"): expected <token>:<role>, with a role of editor or viewer. ' +
        'ALLOWLIST_API_TOKENS entry 3 ("x:ad…"): expected <token>:<role>, with a role of editor or viewer.',
    });
    // All entries malformed: before, this read as "no tokens" and opened the API to anonymous editors.
    assert.throws(() => readAuthConfig({ ALLOWLIST_API_TOKENS: "tok1:admin" }), /entry 1 \("tok1…"\)/);
    assert.throws(() => readAuthConfig({ ALLOWLIST_API_TOKENS: "aaaaaaaaaaaaaaaa:editor,aaaaaaaaaaaaaaaa:viewer" }), /entry 2 repeats an earlier token/);
    assert.throws(() => readAuthConfig({ ALLOWLIST_READONLY: "yes" }), /ALLOWLIST_READONLY must be 1, true, 0 or false/);
    assert.equal(readAuthConfig({ ALLOWLIST_API_TOKENS: " " }).tokens.size, 0);
    assert.deepEqual([...readAuthConfig({ ALLOWLIST_API_TOKENS: "tok-a:editor, ,tok-b:viewer," }).tokens], [["tok-a", "editor"], ["tok-b", "viewer"]]);
  });
});
