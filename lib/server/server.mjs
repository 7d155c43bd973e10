// The production server: Next's request handler behind a plain Node HTTP server, so methods Next cannot even turn
// into a Request (TRACE and TRACK make it throw before any route or proxy runs: an empty 500) get a 405 in the API's
// error shape. `npm start` runs this; HOST (default all interfaces) and PORT (default 3000) choose where it listens,
// or the arguments `--hostname 127.0.0.1` (`-H`) and `--port 8080` (`-p`), which win over them: `npm start -- -H 127.0.0.1`.
import { mkdirSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import next from "next";
import { buildDiffWorker } from "./diff-worker-bundle.mjs";

// Big diffs run in worker threads (lib/api/diff-pool.ts): their code, bundled here once per start (~0.1 s), so the
// event loop keeps serving pages while 20 MB are diffed and reported.
const root = fileURLToPath(new URL("../../", import.meta.url));
const workerFile = join(root, "node_modules/.cache/allowlist-worker/diff-worker.mjs");
mkdirSync(join(root, "node_modules/.cache/allowlist-worker"), { recursive: true });
await buildDiffWorker(root, workerFile);
process.env.ALLOWLIST_DIFF_WORKER = workerFile;

// Next.js telemetry stays off however the server is started (it would try to reach the network).
process.env.NEXT_TELEMETRY_DISABLED = "1";

/** `--hostname X`, `--hostname=X`, `-H X` (and the same for --port/-p) from the command line. */
function argument(long, short) {
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === long || a === short) return args[i + 1];
    if (a.startsWith(`${long}=`)) return a.slice(long.length + 1);
  }
  return undefined;
}

const port = Number.parseInt(argument("--port", "-p") ?? process.env.PORT ?? "3000", 10);
const host = argument("--hostname", "-H") || process.env.HOST || undefined;
const app = next({ dev: false, dir: root, hostname: host ?? "localhost", port });
const handle = app.getRequestHandler();

const REFUSED = new Set(["TRACE", "TRACK"]);

await app.prepare();
const server = createServer((req, res) => {
  if (REFUSED.has(req.method ?? "")) {
    const body = JSON.stringify({
      error: { status: 405, code: "method_not_allowed", message: `${req.method} is not allowed here.` },
    });
    res.writeHead(405, {
      "Content-Type": "application/json",
      Allow: "GET, HEAD, POST, PUT, DELETE, OPTIONS",
      "X-Content-Type-Options": "nosniff",
    });
    res.end(body);
    return;
  }
  handle(req, res).catch((error) => {
    console.error(error);
    if (!res.headersSent) {
      res.writeHead(500, { "Content-Type": "application/json" });
      res.end(
        JSON.stringify({ error: { status: 500, code: "internal", message: "Something went wrong on the server." } }),
      );
    } else res.destroy();
  });
});
server.listen(port, host, () => console.log(`Allowlist Admin listening on http://${host ?? "localhost"}:${port}`));
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.close(() => process.exit(0)));
