// The diff worker's bundle (lib/api/diff-worker.ts), built the same way by the server at start and by its test.
// Some packages the parsers use (yaml) are CommonJS that require() Node built-ins; an ES module bundle has no
// `require`, so the bundle gets one from createRequire.
import { build } from "esbuild";

export function buildDiffWorker(root, outfile) {
  return build({
    absWorkingDir: root,
    entryPoints: ["lib/api/diff-worker.ts"],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    banner: {
      js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);',
    },
    logLevel: "warning",
  });
}
