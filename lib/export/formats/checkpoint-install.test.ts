// Publish only saves a Check Point change in the management database; the gateway keeps enforcing the policy it has
// until install-policy pushes the package to it (Management API reference, "publish" and "install-policy",
// https://sc1.checkpoint.com/documents/latest/APIs/index.html#cli/install-policy~v1.9).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, test, type TestContext } from "node:test";
import { mustParsePrefix } from "../../ip/prefix";
import { parseText } from "../../parse/registry";
import { requireTools, workDir } from "../checkers";
import { exportOptionsSchema } from "../prepare";
import { checkpoint } from "./checkpoint";

const options = exportOptionsSchema.parse({
  provider: "Freshworks",
  catalogLabel: "freshworks v1",
  namePrefix: "fw",
  comments: false,
});
const items = [{ prefix: mustParsePrefix("52.1.37.96/32"), regions: ["US"], products: [] }];

function script(): { text: string; warnings: readonly string[] } {
  const r = checkpoint.render(items, options, "fw");
  if (!r.ok) assert.fail(r.errors.join("; "));
  return { text: r.files[0]?.content ?? assert.fail("no file"), warnings: r.warnings };
}

describe("checkpoint: the script installs the policy it published", () => {
  test("publish is followed by install-policy of the package the header names, on the gateway it names", () => {
    const { text, warnings } = script();
    const lines = text.split("\n");
    assert.deepEqual(lines.slice(1, 8), [
      "# First log in: mgmt_cli login user <admin> > sid.txt",
      "# Then fill in PACKAGE (the policy package whose 'Network' layer gets the rule) and GATEWAY (the gateway or",
      "# cluster it is installed on): publish only saves the change; the gateway enforces it after install-policy.",
      "PACKAGE=''",
      "GATEWAY=''",
      "set -e",
      ': "${PACKAGE:?fill in PACKAGE at the top of this script}" "${GATEWAY:?fill in GATEWAY at the top of this script}"',
    ]);
    assert.deepEqual(lines.slice(-3), [
      "mgmt_cli publish -s sid.txt",
      'mgmt_cli install-policy policy-package "$PACKAGE" access true targets.1 "$GATEWAY" -s sid.txt',
      "",
    ]);
    assert.deepEqual(warnings, [
      "checkpoint: fill in PACKAGE (the policy package) and GATEWAY (the gateway it is installed on) at the top of the script: it ends with install-policy, without which the gateway keeps enforcing its old policy",
    ]);
    // Read back: the new lines are read without findings, and the rule still covers its entry.
    const parsed = parseText(text, "checkpoint");
    assert.deepEqual(parsed.findings, []);
    assert.deepEqual(
      parsed.entries.map((e) => [e.action, e.line]),
      [["allow", 11]],
    );
  });

  test("left unfilled, the script stops before its first mgmt_cli call", (t: TestContext) => {
    if (!requireTools(t, ["dash"])) return;
    const file = join(workDir(t, { "fw.sh": script().text }), "fw.sh");
    // PATH without mgmt_cli: a call would fail with "mgmt_cli: not found" instead of the message below.
    const r = spawnSync("dash", [file], { encoding: "utf8", env: { ...process.env, PATH: "/usr/bin:/bin" } });
    assert.equal(r.status, 2);
    assert.equal(r.stderr, `${file}: 8: PACKAGE: fill in PACKAGE at the top of this script\n`);
  });
});
