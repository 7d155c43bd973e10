import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { authorize, lowerRole, permissionTable, type Session } from "./permissions";

const as = (role: Session["role"]): Session => ({
  role,
  actor: `user:${role}@example.com`,
  userId: role,
  email: `${role}@example.com`,
});

describe("permissions", () => {
  test("each permission and the roles that hold it (the README's table)", () => {
    assert.deepEqual(permissionTable(), [
      { permission: "catalog:read", roles: ["viewer", "editor", "admin"] },
      { permission: "firewall:read", roles: ["viewer", "editor", "admin"] },
      { permission: "feed:read", roles: ["viewer", "editor", "admin"] },
      { permission: "notification:read", roles: ["viewer", "editor", "admin"] },
      { permission: "diff:run", roles: ["viewer", "editor", "admin"] },
      { permission: "export:create", roles: ["viewer", "editor", "admin"] },
      { permission: "token:own", roles: ["viewer", "editor", "admin"] },
      { permission: "firewall:write", roles: ["editor", "admin"] },
      { permission: "feed:write", roles: ["editor", "admin"] },
      { permission: "catalog:import", roles: ["admin"] },
      { permission: "notification:write", roles: ["admin"] },
      { permission: "user:admin", roles: ["admin"] },
      { permission: "audit:read", roles: ["admin"] },
    ]);
  });

  test("a refusal is 403 and names the role and the permission", () => {
    assert.deepEqual(authorize(as("viewer"), "firewall:write"), {
      ok: false,
      status: 403,
      message: "Your role (viewer) does not allow firewall:write.",
    });
    assert.deepEqual(authorize(as("editor"), "catalog:import"), {
      ok: false,
      status: 403,
      message: "Your role (editor) does not allow catalog:import.",
    });
    assert.deepEqual(authorize(as("admin"), "catalog:import"), { ok: true, session: as("admin") });
  });

  test("a token's role is the lower of its own and its owner's", () => {
    assert.equal(lowerRole("admin", "viewer"), "viewer");
    assert.equal(lowerRole("viewer", "admin"), "viewer");
    assert.equal(lowerRole("editor", "editor"), "editor");
  });
});
