// The layers of DESIGN.md hold by themselves: the pure core (lib/ip, lib/parse, lib/diff, lib/export) imports no React,
// Next, Prisma, server-only, Node built-ins or the data access layer (lib/db); components/ never import lib/db (client
// bundles must not carry the database; pages and server actions under app/ read it); every "use server" module lives
// under app/. Test-only helpers (golden files, checkers) may use node:* when they say
// so in their first line ("// Test-only helper") and no app code reaches them: the import graph from the app's own
// entry points tells.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const PURE = ["lib/ip/", "lib/parse/", "lib/diff/", "lib/export/"];
const FORBIDDEN =
  /^(react|react\/.*|react-dom|react-dom\/.*|next|next\/.*|prisma|@prisma\/.*|server-only|node:.*|fs|fs\/.*|path|child_process|os|crypto)$/;
/** The data access layer: reached from the pure core or components/ it is a layer violation, however it is spelled. */
const DB = "lib/db/";
const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s[^;]*?\sfrom\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|(?:^|\n)\s*import\s+["']([^"']+)["']/g;

function isTest(path: string): boolean {
  return /\.(test|spec)\.tsx?$/.test(path) || /\.testkit\.ts$/.test(path) || /\.fixture\.ts$/.test(path);
}

function sources(dir: string): string[] {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return d.name === "generated" || d.name === "node_modules" ? [] : sources(path);
    return /\.(ts|tsx)$/.test(d.name) && !d.name.endsWith(".d.ts") && !isTest(path) ? [path] : [];
  });
}

function resolveImport(from: string, spec: string): string | undefined {
  let base: string;
  if (spec.startsWith("@/")) base = spec.slice(2);
  else if (spec.startsWith(".")) base = join(dirname(from), spec);
  else return undefined;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, "index.ts"), join(base, "index.tsx")]) {
    const abs = join(root, candidate);
    if (existsSync(abs) && statSync(abs).isFile()) return relative(root, abs);
  }
  return undefined;
}

function importsOf(path: string): string[] {
  const text = readFileSync(join(root, path), "utf8");
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT)) out.push((m[1] ?? m[2] ?? m[3])!);
  return out;
}

test("the pure core reached from the app, the worker and the CLI imports no React, Next, Prisma or Node built-ins", () => {
  const entries = [
    ...sources("app"),
    ...sources("components"),
    ...sources("lib").filter((p) => !PURE.some((d) => p.startsWith(d))),
  ];
  assert.ok(entries.length > 50, `expected the app's sources, found ${entries.length}`);
  const seen = new Set<string>();
  const queue = [...entries];
  const violations: string[] = [];
  let pureReached = 0;
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const pure = PURE.some((d) => file.startsWith(d));
    if (pure) pureReached++;
    for (const spec of importsOf(file)) {
      if (pure && FORBIDDEN.test(spec)) violations.push(`${file} imports ${spec}`);
      const next = resolveImport(file, spec);
      if (pure && next?.startsWith(DB)) violations.push(`${file} imports ${spec}`);
      if (next !== undefined && !seen.has(next)) queue.push(next);
    }
  }
  assert.ok(pureReached > 40, `the walk reached only ${pureReached} files of the pure core`);
  // Pure files the app does not reach (yet) obey the same rule, unless they declare themselves test-only helpers.
  for (const file of PURE.flatMap((d) => sources(d.slice(0, -1)))) {
    if (seen.has(file) || readFileSync(join(root, file), "utf8").startsWith("// Test-only helper")) continue;
    for (const spec of importsOf(file))
      if (FORBIDDEN.test(spec) || resolveImport(file, spec)?.startsWith(DB)) violations.push(`${file} imports ${spec}`);
  }
  assert.deepEqual(violations, []);
});

test("components/ never import lib/db, and every server action module lives under app/", () => {
  const components = sources("components");
  assert.ok(components.length > 20, `expected the components, found ${components.length}`);
  const violations = components.flatMap((file) =>
    importsOf(file)
      .filter((spec) => resolveImport(file, spec)?.startsWith(DB))
      .map((spec) => `${file} imports ${spec}`),
  );
  const actions = [...sources("components"), ...sources("lib")].filter((file) =>
    /^\s*["']use server["']/.test(readFileSync(join(root, file), "utf8")),
  );
  assert.deepEqual([...violations, ...actions.map((file) => `${file} is a server action outside app/`)], []);
});

test("the check itself catches a forbidden import", () => {
  assert.equal(FORBIDDEN.test("node:fs"), true);
  assert.equal(FORBIDDEN.test("next/cache"), true);
  assert.equal(FORBIDDEN.test("@prisma/client"), true);
  assert.equal(FORBIDDEN.test("prisma"), true);
  assert.equal(FORBIDDEN.test("react/jsx-runtime"), true);
  assert.equal(FORBIDDEN.test("zod"), false);
  assert.equal(resolveImport("components/x/Y.tsx", "@/lib/db/client"), "lib/db/client.ts");
  assert.equal(resolveImport("lib/diff/x.ts", "../db/catalog"), "lib/db/catalog.ts");
  const found = [
    ...'import { a } from "./x";\nexport { b } from "../y";\nimport "z";\nconst c = await import("./w");'.matchAll(
      IMPORT,
    ),
  ].map((m) => m[1] ?? m[2] ?? m[3]);
  assert.deepEqual(found, ["./x", "../y", "z", "./w"]);
});
