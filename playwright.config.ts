import { defineConfig, devices } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3107);
const databaseUrl = process.env.E2E_DATABASE_URL ?? "file:./data/e2e.db";

export default defineConfig({
  testDir: "./e2e",
  outputDir: "./test-results",
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        '--host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"',
      ],
    },
  },
  projects: [
    // First run on the fresh database: the setup screen makes the admin, who adds an editor and a viewer; each
    // one's signed-in state is saved for the specs (e2e/accounts.ts).
    { name: "setup", use: { ...devices["Desktop Chrome"], channel: undefined }, testMatch: /auth\.setup\.ts/ },
    // Empty states, while nothing but the accounts exists yet.
    {
      name: "empty-states",
      use: { ...devices["Desktop Chrome"], channel: undefined, storageState: "e2e/.auth/admin.json" },
      testMatch: /empty-states\.spec\.ts/,
      dependencies: ["setup"],
    },
    {
      name: "chromium",
      use: { ...devices["Desktop Chrome"], channel: undefined, storageState: "e2e/.auth/admin.json" },
      testIgnore: /(versions|instances|empty-states)\.spec\.ts/,
      dependencies: ["empty-states"],
    },
    // Imports catalog version 2 into the shared database: runs after every other spec, which expect the seed.
    {
      name: "catalog-versions",
      use: { ...devices["Desktop Chrome"], channel: undefined, storageState: "e2e/.auth/admin.json" },
      testMatch: /versions\.spec\.ts/,
      dependencies: ["chromium"],
    },
    // Starts a second app instance on the same database and kills it: last, so no other spec sees its firewalls.
    // The admin's session is in the shared database, so it signs in on both instances.
    {
      name: "instances",
      use: { storageState: "e2e/.auth/admin.json" },
      testMatch: /instances\.spec\.ts/,
      dependencies: ["catalog-versions"],
    },
  ],
  webServer: {
    // A fresh database for every run: the runner deletes it, the start script migrates and seeds it.
    command: `node e2e/start-server.mjs`,
    url: `http://127.0.0.1:${port}/api/v1/health`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    // A generous sign-in limit per address: every test signs in from 127.0.0.1 (the throttle test uses its own account).
    env: {
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      NEXT_TELEMETRY_DISABLED: "1",
      ALLOWLIST_SIGNIN_PER_MINUTE: "60",
      ALLOWLIST_OUTBOUND_ALLOW: "127.0.0.1",
    },
  },
});
