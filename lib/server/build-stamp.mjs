// `npm start` builds only when the sources changed since the last build: a sha256 over every input of `next build`
// (paths and contents, sorted; test files excluded) is written into .next after a build and compared before the next
// one. A missing .next, a missing stamp or any changed, added or removed input means a build.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";

/** What `next build` reads: these folders (recursively) and files at the project root. */
export const SOURCE_DIRS = ["app", "components", "lib", "public", "prisma"];
export const SOURCE_FILES = [
  "next.config.js",
  "postcss.config.mjs",
  "tsconfig.json",
  "package.json",
  "package-lock.json",
  "proxy.ts",
];
/** Never inputs of the build: tests, the test and benchmark tooling, and what a build or a run writes. */
const SKIP_DIRS = new Set(["node_modules", ".next", "testing", "bench", "golden", "results"]);
const isTest = (name) => /\.test\.[cm]?[jt]sx?$/.test(name);

export const STAMP_FILE = "allowlist-source-stamp.json";

function walk(root, dir, out) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) walk(root, path, out);
    } else if (entry.isFile() && !isTest(entry.name)) out.push(relative(root, path).split(sep).join("/"));
  }
}

/** The sorted list of build inputs under `root`, as /-separated relative paths. */
export function sourceFiles(root) {
  const out = [];
  for (const dir of SOURCE_DIRS) walk(root, join(root, dir), out);
  for (const file of SOURCE_FILES) if (existsSync(join(root, file))) out.push(file);
  return out.sort();
}

/**
 * The hash of the build's inputs: each path and its content, plus the NEXT_PUBLIC_* variables (Next inlines them
 * into the bundle, so changing one needs a build too).
 */
export function sourceStamp(root, env = process.env) {
  const hash = createHash("sha256");
  const files = sourceFiles(root);
  for (const file of files) {
    hash.update(`${file}\0`);
    hash.update(
      createHash("sha256")
        .update(readFileSync(join(root, file)))
        .digest(),
    );
  }
  for (const key of Object.keys(env)
    .filter((k) => k.startsWith("NEXT_PUBLIC_"))
    .sort())
    hash.update(`${key}=${env[key]}\0`);
  return { hash: hash.digest("hex"), files: files.length };
}

/** Why a build is needed, or null when the last build is of exactly these sources. */
export function buildReason(root, stamp, distDir = ".next") {
  if (!existsSync(join(root, distDir, "BUILD_ID"))) return "no build yet";
  let saved;
  try {
    saved = JSON.parse(readFileSync(join(root, distDir, STAMP_FILE), "utf8"));
  } catch {
    return "no source stamp from the last build";
  }
  return saved?.hash === stamp.hash ? null : "the sources changed since the last build";
}

export function writeStamp(root, stamp, distDir = ".next") {
  writeFileSync(
    join(root, distDir, STAMP_FILE),
    `${JSON.stringify({ hash: stamp.hash, files: stamp.files, builtAt: new Date().toISOString() })}\n`,
  );
}

/** Builds with `build()` when needed and stamps the result; returns what it did. */
export async function buildIfChanged(root, build, { env = process.env, distDir = ".next" } = {}) {
  const before = sourceStamp(root, env);
  const reason = buildReason(root, before, distDir);
  if (reason === null) return { built: false, reason: "the build is up to date" };
  await build();
  // Stamp what was built: the hash taken before the build, so an edit made during it triggers the next build.
  writeStamp(root, before, distDir);
  return { built: true, reason };
}
