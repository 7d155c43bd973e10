import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
// @ts-expect-error -- a plain .mjs module (npm start runs it without tsx); its exports are checked by these tests.
import { buildIfChanged, buildReason, sourceFiles, sourceStamp } from "./build-stamp.mjs";

const roots: string[] = [];
after(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

/** A tiny project: two sources, a test file, a bench script and a previous build's output. */
function project(): string {
  const root = mkdtempSync(join(tmpdir(), "q13-stamp-"));
  roots.push(root);
  const write = (path: string, text: string) => {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  write("app/page.tsx", "export default function Page() { return null; }\n");
  write("lib/ip/parse.ts", "export const x = 1;\n");
  write("lib/ip/parse.test.ts", "// a test\n");
  write("lib/bench/run.ts", "// a benchmark\n");
  write("package.json", "{}\n");
  write("node_modules/next/index.js", "// dependency\n");
  return root;
}

describe("npm start's build stamp", () => {
  test("the inputs are the sources, not tests, benchmarks, dependencies or build output", () => {
    const root = project();
    assert.deepEqual(sourceFiles(root), ["app/page.tsx", "lib/ip/parse.ts", "package.json"]);
  });

  test("builds when there is no build, then not again until a source changes", async () => {
    const root = project();
    const builds: string[] = [];
    // Stands in for `next build`: what matters here is when it is called, and that .next/BUILD_ID then exists.
    const build = async () => {
      builds.push("build");
      mkdirSync(join(root, ".next"), { recursive: true });
      writeFileSync(join(root, ".next/BUILD_ID"), "b1\n");
    };
    const env = {};
    assert.deepEqual(await buildIfChanged(root, build, { env }), { built: true, reason: "no build yet" });
    assert.deepEqual(await buildIfChanged(root, build, { env }), { built: false, reason: "the build is up to date" });
    // A test file or a benchmark changing is not a reason to build.
    writeFileSync(join(root, "lib/ip/parse.test.ts"), "// another test\n");
    writeFileSync(join(root, "lib/bench/run.ts"), "// another benchmark\n");
    assert.deepEqual(await buildIfChanged(root, build, { env }), { built: false, reason: "the build is up to date" });
    // A changed, an added and a removed source each are.
    writeFileSync(join(root, "lib/ip/parse.ts"), "export const x = 2;\n");
    assert.deepEqual(await buildIfChanged(root, build, { env }), {
      built: true,
      reason: "the sources changed since the last build",
    });
    writeFileSync(join(root, "lib/ip/more.ts"), "export const y = 1;\n");
    assert.deepEqual(await buildIfChanged(root, build, { env }), {
      built: true,
      reason: "the sources changed since the last build",
    });
    rmSync(join(root, "lib/ip/more.ts"));
    assert.deepEqual(await buildIfChanged(root, build, { env }), {
      built: true,
      reason: "the sources changed since the last build",
    });
    // So is a NEXT_PUBLIC_ variable (inlined into the bundle); other variables are not.
    assert.deepEqual(await buildIfChanged(root, build, { env: { NEXT_PUBLIC_X: "1" } }), {
      built: true,
      reason: "the sources changed since the last build",
    });
    assert.deepEqual(await buildIfChanged(root, build, { env: { NEXT_PUBLIC_X: "1", PORT: "3000" } }), {
      built: false,
      reason: "the build is up to date",
    });
    assert.equal(builds.length, 5);
  });

  test("a build without a stamp, or a deleted .next, means a build", () => {
    const root = project();
    const stamp = sourceStamp(root, {});
    assert.equal(buildReason(root, stamp), "no build yet");
    mkdirSync(join(root, ".next"));
    writeFileSync(join(root, ".next/BUILD_ID"), "b1\n");
    assert.equal(buildReason(root, stamp), "no source stamp from the last build");
  });

  test("the same tree gives the same stamp; a renamed file does not", () => {
    const root = project();
    const first = sourceStamp(root, {});
    assert.deepEqual(sourceStamp(root, {}), first);
    assert.equal(first.files, 3);
    assert.match(first.hash, /^[0-9a-f]{64}$/);
    rmSync(join(root, "lib/ip/parse.ts"));
    writeFileSync(join(root, "lib/ip/parse2.ts"), "export const x = 1;\n");
    assert.notEqual(sourceStamp(root, {}).hash, first.hash);
  });
});
