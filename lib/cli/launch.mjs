// Runs the `allowlist` command line under plain Node: lib/cli/main.ts is bundled once with esbuild into
// node_modules/.cache/allowlist-cli/ and run from there. Compiling every module through tsx on each run cost about a
// second of start-up; a bundle loads in tens of milliseconds. It is rebuilt whenever the sources change.
//
// The bundle is one CommonJS script run through node:vm with V8's code cache beside it: Node 20 has no compile cache
// for ES modules, and compiling the bundle was half of a short command's start-up (`allowlist diff --help` took 0.19 s
// before, 0.14 s now; bare node 0.075 s).
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import vm from "node:vm";

const root = fileURLToPath(new URL("../../", import.meta.url));
// Tests build into a directory of their own.
const outdir = process.env.ALLOWLIST_CLI_CACHE_DIR || join(root, "node_modules/.cache/allowlist-cli");
const stampFile = join(outdir, "stamp");

/**
 * Packages left to Node: native modules, wasm, Prisma's runtime (it locates its own files), and nodemailer, which
 * only the notification path loads: 300 kB a run would read for nothing.
 */
const EXTERNAL = ["better-sqlite3", "@prisma/*", "pg", "pg-*", "nodemailer"];

/**
 * zod's translations of its messages, 50 languages the command line never selects (it words its own messages):
 * `z.locales` keeps English only. That is 400 kB less to read and to load from the code cache on every run.
 */
const zodEnglishOnly = {
  name: "zod-english-only",
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      args.importer.includes("/node_modules/zod/")
        ? { path: join(dirname(args.importer), "../locales/en.js"), namespace: "zod-locales" }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "zod-locales" }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`,
      resolveDir: dirname(args.path),
    }));
  },
};

/**
 * Every input of the bundle by path, modification time and size: lib's TypeScript (tests excluded), this file, the
 * tsconfig and the lockfile (bundled packages). A digest rather than "newer than the bundle" also catches a deleted
 * file, or one restored with an old modification time.
 */
function sourceStamp() {
  const parts = [];
  // Paths by concatenation (root ends in a separator): path.join/relative on 300 files cost as much as stat-ing them.
  const add = (rel) => {
    const s = statSync(root + rel, { throwIfNoEntry: false });
    if (s) parts.push(`${rel}\t${s.mtimeMs}\t${s.size}`);
  };
  const walk = (rel) => {
    for (const d of readdirSync(root + rel, { withFileTypes: true })) {
      const path = `${rel}/${d.name}`;
      if (d.isDirectory()) {
        if (d.name !== "node_modules") walk(path);
      } else if (d.name.endsWith(".ts") && !d.name.endsWith(".test.ts")) {
        add(path);
      }
    }
  };
  walk("lib");
  add(relative(root, fileURLToPath(import.meta.url)));
  add("tsconfig.json");
  add("package-lock.json");
  return createHash("sha1").update(parts.join("\n")).digest("hex");
}

/** The stamp file: the sources' digest, then the names of the bundles built from them (the command line, its sweep thread). */
function readStamp() {
  try {
    const [digest = "", name = "", worker = ""] = readFileSync(stampFile, "utf8").split("\n");
    return { digest, name, worker };
  } catch {
    return { digest: "", name: "", worker: "" };
  }
}

/** Writes through a temporary name and a rename, so a run started meanwhile sees a whole file or none. */
function writeAtomic(path, contents) {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, contents);
  renameSync(temp, path);
}

/**
 * The bundled code no longer sits beside its source, so each `import.meta.url` in lib is rewritten to its source
 * file's URL, relative to the bundle (`__bundleUrl`, given by run() below): lib/db/paths.ts finds the project root
 * (and the database) from it.
 */
const sourceUrls = {
  name: "source-import-meta-url",
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      const contents = readFileSync(args.path, "utf8");
      if (!contents.includes("import.meta.url")) return undefined;
      const fromBundle = relative(outdir, args.path).split("\\").join("/");
      const url = `new URL(${JSON.stringify(fromBundle)}, __bundleUrl).href`;
      return { contents: contents.replaceAll("import.meta.url", url), loader: "ts" };
    });
  },
};

/**
 * Builds the bundles and returns their file names, each with a digest of its contents (so has the code cache): the
 * command line, and the thread that sweeps a large plain list's IPv6 entries (lib/cli/diff-thread.ts), which loads the
 * sweep alone.
 */
async function bundle(stamp) {
  const { build } = await import("esbuild");
  const result = await build({
    absWorkingDir: root,
    entryPoints: { main: "lib/cli/main.ts", "sweep-thread": "lib/cli/sweep-thread.ts" },
    bundle: true,
    // Modules a command imports lazily (Prisma, the migration engine) still run only when it needs them: esbuild
    // wraps each in a function called on first import.
    platform: "node",
    format: "cjs",
    target: "node20",
    // `import()` of a package left to Node becomes `require`: V8 loses a script's dynamic-import callback when the
    // script comes from the code cache ("A dynamic import callback was not specified"), so the bundle must not use it.
    supported: { "dynamic-import": false },
    outdir,
    outExtension: { ".js": ".cjs" },
    external: EXTERNAL,
    minifyWhitespace: true,
    minifySyntax: true,
    plugins: [sourceUrls, zodEnglishOnly],
    write: false,
    logLevel: "error",
  });
  mkdirSync(outdir, { recursive: true });
  const names = {};
  for (const file of result.outputFiles) {
    const base = basename(file.path, ".cjs");
    const name = `${base}-${createHash("sha1").update(file.contents).digest("hex").slice(0, 16)}.cjs`;
    // The bundles first, the stamp that names them last.
    writeAtomic(join(outdir, name), file.contents);
    names[base] = name;
  }
  const { main: name, "sweep-thread": worker } = names;
  writeAtomic(stampFile, `${stamp}\n${name}\n${worker}`);
  // Bundles (and code caches) of earlier builds, once old enough that no run started before this build can still be
  // loading them.
  const keep = new Set(["stamp", name, `${name}.cache`, worker]);
  const stale = Date.now() - 10 * 60 * 1000;
  for (const entry of readdirSync(outdir)) {
    const path = join(outdir, entry);
    if (!keep.has(entry) && !entry.endsWith(".tmp") && statSync(path).mtimeMs < stale) rmSync(path, { force: true });
  }
  return { name, worker };
}

/**
 * Runs the bundle as Node runs a CommonJS module, compiled from V8's code cache when there is one. A run without a
 * usable cache writes one as it exits: by then it also holds the functions the command compiled while running.
 */
function run(file, worker) {
  const source = readFileSync(file, "utf8");
  const cacheFile = `${file}.cache`;
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // None yet.
  }
  const script = new vm.Script(
    `(function (exports, require, module, __filename, __dirname, __bundleUrl) {${source}\n})`,
    { filename: file, cachedData },
  );
  const state = cachedData === undefined ? "absent" : script.cachedDataRejected ? "rejected" : "accepted";
  if (process.env.ALLOWLIST_CLI_DEBUG) process.stderr.write(`allowlist: code cache ${state}\n`);
  if (state !== "accepted") {
    process.once("exit", () => {
      try {
        writeAtomic(cacheFile, script.createCachedData());
      } catch {
        // A read-only install runs without the cache.
      }
    });
  }
  const bundleModule = { exports: {} };
  // Packages left to Node resolve from the project, wherever the bundle was written.
  const require = createRequire(import.meta.url);
  // lib/cli/diff-thread.ts starts its thread from this script (a Worker takes an absolute path).
  globalThis.__allowlistSweepThread = resolve(worker);
  const body = script.runInThisContext();
  body(bundleModule.exports, require, bundleModule, file, dirname(file), pathToFileURL(file).href);
}

const stamp = sourceStamp();
let { digest, name, worker } = readStamp();
// A bundle removed by hand (or by a newer build's clean-up) is built again.
if (digest !== stamp || [name, worker].some((n) => n === "" || !existsSync(join(outdir, n))))
  ({ name, worker } = await bundle(stamp));
run(join(outdir, name), join(outdir, worker));
