// Runs the `allowlist` command line under plain Node: lib/cli/main.ts is bundled once with esbuild into
// node_modules/.cache/allowlist-cli/ and imported from there. Compiling every module through tsx on each run cost
// about a second of start-up; a bundle loads in tens of milliseconds. It is rebuilt whenever the sources change.
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const outdir = join(root, "node_modules/.cache/allowlist-cli");
const stampFile = join(outdir, "stamp");

/** Packages left to Node: native modules, wasm, and Prisma's runtime, which locates its own files. */
const EXTERNAL = ["better-sqlite3", "@prisma/*", "pg", "pg-*"];

/**
 * Bundled CommonJS (yaml, fast-xml-parser) may `require` Node's built-ins ("process"), which esbuild's ESM output
 * cannot do by itself: each chunk gets a real `require`. Bundling them costs a few milliseconds of compiling where
 * Node's CommonJS loader spent about 30 ms of start-up finding and reading yaml's files one by one.
 */
const REQUIRE_BANNER =
  'import { createRequire as __allowlistRequire } from "node:module";\nconst require = __allowlistRequire(import.meta.url);';

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

function readStamp() {
  try {
    return readFileSync(stampFile, "utf8");
  } catch {
    return "";
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
 * file's URL, relative to the bundle: lib/db/paths.ts finds the project root (and the database) from it.
 */
const sourceUrls = {
  name: "source-import-meta-url",
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      const contents = readFileSync(args.path, "utf8");
      if (!contents.includes("import.meta.url")) return undefined;
      const fromBundle = relative(outdir, args.path).split("\\").join("/");
      const url = `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`;
      return { contents: contents.replaceAll("import.meta.url", url), loader: "ts" };
    });
  },
};

async function bundle(stamp) {
  const { build } = await import("esbuild");
  const result = await build({
    absWorkingDir: root,
    entryPoints: { main: "lib/cli/main.ts" },
    bundle: true,
    // Split so the modules a command imports lazily (Prisma, the migration engine) load only when it needs them.
    splitting: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outdir,
    outExtension: { ".js": ".mjs" },
    entryNames: "[name]",
    chunkNames: "[name]-[hash]",
    external: EXTERNAL,
    banner: { js: REQUIRE_BANNER },
    minifyWhitespace: true,
    minifySyntax: true,
    plugins: [sourceUrls],
    write: false,
    logLevel: "error",
  });
  mkdirSync(outdir, { recursive: true });
  const written = new Set(["stamp"]);
  // Chunks first (their names carry a content hash), the entry after them, the stamp last.
  const files = [...result.outputFiles].sort(
    (a, b) => Number(a.path.endsWith("/main.mjs")) - Number(b.path.endsWith("/main.mjs")),
  );
  for (const file of files) {
    mkdirSync(dirname(file.path), { recursive: true });
    writeAtomic(file.path, file.contents);
    written.add(relative(outdir, file.path));
  }
  writeAtomic(stampFile, stamp);
  // Chunks of earlier builds, once old enough that no run started before this build can still be loading them.
  const stale = Date.now() - 10 * 60 * 1000;
  for (const name of readdirSync(outdir)) {
    const path = join(outdir, name);
    if (!written.has(name) && !name.endsWith(".tmp") && statSync(path).mtimeMs < stale) rmSync(path, { force: true });
  }
}

const stamp = sourceStamp();
if (readStamp() !== stamp) await bundle(stamp);
await import(pathToFileURL(join(outdir, "main.mjs")).href);
