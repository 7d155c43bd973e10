/**
 * Lighthouse on every page of the production build (the pages listed from app/): accessibility, best practices, SEO
 * and performance with Lighthouse's desktop settings, printed as a Markdown table. Goals: 100 / 100 / 100 / ≥ 95.
 *
 *   npm run lighthouse                       # builds, starts its own server on 127.0.0.1:3292 with a fresh database
 *   LIGHTHOUSE_SKIP_BUILD=1 npm run lighthouse
 *   LIGHTHOUSE_ONLY=/catalog,/compare npm run lighthouse
 *   LIGHTHOUSE_REPORTS=dir npm run lighthouse  # also writes each page's full report (JSON) there
 *
 * Uses Debian's Chromium (CHROME_PATH, default /usr/bin/chromium) with no network but loopback. Exit status 1 when a
 * page misses a goal; the failing audits are listed under the table.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import desktopConfig from "lighthouse/core/config/desktop-config.js";
import { appPageRoutes } from "../testing/app-pages";

const root = fileURLToPath(new URL("../../", import.meta.url));
const port = Number(process.env.LIGHTHOUSE_PORT ?? 3292);
const base = `http://127.0.0.1:${port}`;
const dir = mkdtempSync(join(tmpdir(), "allowlist-lighthouse-"));
const env = { ...process.env, DATABASE_URL: `file:${join(dir, "lighthouse.db")}`, NEXT_TELEMETRY_DISABLED: "1" };
const CATEGORIES = ["accessibility", "best-practices", "seo", "performance"] as const;
const GOALS: Record<(typeof CATEGORIES)[number], number> = {
  accessibility: 100,
  "best-practices": 100,
  seo: 100,
  performance: 95,
};

function run(cmd: string, args: string[]) {
  const r = spawnSync(cmd, args, { cwd: root, env, stdio: "inherit" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed`);
}

async function waitUp(server: ChildProcess) {
  for (let i = 0; i < 300; i++) {
    if (server.exitCode !== null) throw new Error("the server exited");
    try {
      if ((await fetch(`${base}/api/v1/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("the server did not start");
}

/** Every page but sign-in and setup needs a signed-in person: an admin made by the CLI, signed in; its cookie. */
async function signIn(): Promise<string> {
  const password = "lighthouse password 0123456789";
  const made = spawnSync(
    process.execPath,
    ["lib/cli/launch.mjs", "user", "create", "--admin", "lighthouse@example.com"],
    { cwd: root, env, input: `${password}\n`, encoding: "utf8" },
  );
  if (made.status !== 0) throw new Error(`user create: ${made.stderr}`);
  const res = await fetch(`${base}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: base },
    body: JSON.stringify({ email: "lighthouse@example.com", password }),
  });
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  if (res.status !== 200 || cookie === "") throw new Error(`sign-in answered ${res.status}`);
  return cookie;
}

/** A saved firewall with two revisions, so /firewalls/[id] and its history have something to show. */
async function seedFirewall(cookie: string): Promise<number> {
  const text = "-A INPUT -s 52.1.37.96/32 -p tcp --dport 443 -j ACCEPT\n-A INPUT -s 3.74.148.8/30 -j DROP\n";
  const created = await fetch(`${base}/api/v1/firewalls`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie },
    body: JSON.stringify({ name: "edge-fra-1", description: "Frankfurt DMZ", text, regions: ["US", "EU"] }),
  });
  if (created.status !== 201) throw new Error(`creating the firewall answered ${created.status}`);
  const { id } = (await created.json()) as { id: number };
  const saved = await fetch(`${base}/api/v1/firewalls/${id}`, {
    method: "PUT",
    headers: { "content-type": "application/json", cookie },
    body: JSON.stringify({
      baseRevision: 1,
      text: `${text}-A INPUT -s 52.1.32.88/32 -p tcp --dport 443 -j ACCEPT\n`,
      regions: ["US", "EU"],
      note: "one more",
    }),
  });
  if (saved.status !== 200) throw new Error(`saving revision 2 answered ${saved.status}`);
  return id;
}

interface PageResult {
  readonly path: string;
  readonly scores: Record<(typeof CATEGORIES)[number], number>;
  readonly failing: string[];
}

async function main() {
  if (!process.env.LIGHTHOUSE_SKIP_BUILD) run("npx", ["next", "build"]);
  run("npx", ["tsx", "lib/db/migrate.ts"]);
  const server = spawn(process.execPath, ["lib/server/server.mjs"], {
    cwd: root,
    env: { ...env, NODE_ENV: "production", HOST: "127.0.0.1", PORT: String(port) },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const chrome = { current: undefined as chromeLauncher.LaunchedChrome | undefined };
  try {
    await waitUp(server);
    const cookie = await signIn();
    const id = await seedFirewall(cookie);
    const only = process.env.LIGHTHOUSE_ONLY?.split(",");
    const paths = appPageRoutes(join(root, "app"))
      .filter((p) => only === undefined || only.includes(p))
      .map((p) => p.replace("[id]", String(id)));
    chrome.current = await chromeLauncher.launch({
      chromePath: process.env.CHROME_PATH ?? "/usr/bin/chromium",
      chromeFlags: [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
      ],
    });
    const results: PageResult[] = [];
    for (const path of paths) {
      const runner = await lighthouse(
        `${base}${path}`,
        {
          port: chrome.current.port,
          output: "json",
          logLevel: "error",
          onlyCategories: [...CATEGORIES],
          // Signed in as the admin, but for the pages a visitor sees before signing in.
          ...(path === "/sign-in" || path === "/setup" ? {} : { extraHeaders: { Cookie: cookie } }),
        },
        desktopConfig,
      );
      const lhr = runner?.lhr;
      if (!lhr) throw new Error(`no Lighthouse result for ${path}`);
      const reports = process.env.LIGHTHOUSE_REPORTS;
      if (reports) {
        mkdirSync(reports, { recursive: true });
        writeFileSync(join(reports, `${path.replace(/\//g, "_") || "_"}.json`), JSON.stringify(lhr, null, 1));
      }
      const scores = Object.fromEntries(
        CATEGORIES.map((c) => [c, Math.round((lhr.categories[c]?.score ?? 0) * 100)]),
      ) as PageResult["scores"];
      // The audits that cost points (score below 1 and weighing in a category), to say what to fix.
      const failing = CATEGORIES.flatMap((c) =>
        (lhr.categories[c]?.auditRefs ?? [])
          .filter((ref) => ref.weight > 0 && (lhr.audits[ref.id]?.score ?? 1) < 1)
          .map((ref) => `${c}: ${ref.id} (${lhr.audits[ref.id]?.displayValue ?? lhr.audits[ref.id]?.title ?? ""})`),
      );
      results.push({ path: path.replace(String(id), "[id]"), scores, failing });
      console.error(`${path}: ${CATEGORIES.map((c) => scores[c]).join(" / ")}`);
    }
    console.log("| page | accessibility | best practices | SEO | performance (desktop) |");
    console.log("| --- | --- | --- | --- | --- |");
    for (const r of results)
      console.log(
        `| \`${r.path}\` | ${r.scores.accessibility} | ${r.scores["best-practices"]} | ${r.scores.seo} | ${r.scores.performance} |`,
      );
    const missed = results.filter((r) => CATEGORIES.some((c) => r.scores[c] < GOALS[c]));
    for (const r of results.filter((x) => x.failing.length > 0))
      console.log(`\n${r.path}:\n${r.failing.map((f) => `  - ${f}`).join("\n")}`);
    console.log(
      `\n${results.length} pages; ${missed.length === 0 ? "every page meets the goals" : `${missed.length} miss a goal: ${missed.map((r) => r.path).join(", ")}`} (100 / 100 / 100 / ≥ 95).`,
    );
    process.exitCode = missed.length === 0 ? 0 : 1;
  } finally {
    await chrome.current?.kill();
    server.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
