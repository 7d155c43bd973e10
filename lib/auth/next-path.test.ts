import assert from "node:assert/strict";
import { test } from "node:test";
import { safeNextPath } from "./next-path";

test("only this app's own paths are followed after sign-in", () => {
  assert.equal(safeNextPath("/firewalls/3?x=1"), "/firewalls/3?x=1");
  assert.equal(safeNextPath("//evil.example/"), "/");
  assert.equal(safeNextPath("/\\evil.example"), "/");
  assert.equal(safeNextPath("https://evil.example/"), "/");
  assert.equal(safeNextPath("/a\nb"), "/");
  assert.equal(safeNextPath(undefined), "/");
  assert.equal(safeNextPath(["/x"]), "/");
});
