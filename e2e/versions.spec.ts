import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readFile } from "node:fs/promises";
import { catalogHtml, catalogText, CHANGED_REGIONS, SEED_REGIONS } from "../lib/catalog/document.fixture";
import { verifySignature } from "../lib/notify/sign";

// A version change end to end: a saved firewall that is up to date, a new list imported from the dashboard, the
// firewall's new status and the files that bring it in line, a feed that follows, and a webhook that hears of it.
test.describe.configure({ mode: "serial" });

let local: Server;
let localBase = "";
const hooks: { headers: IncomingMessage["headers"]; body: string }[] = [];
let feedPath = "";

test.beforeAll(async ({ request }) => {
  local = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      if (req.url === "/nat-ips.html")
        res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(catalogHtml(CHANGED_REGIONS));
      else if (req.url === "/hook") {
        hooks.push({ headers: req.headers, body });
        res.writeHead(204).end();
      } else res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => local.listen(0, "127.0.0.1", resolve));
  localBase = `http://127.0.0.1:${(local.address() as AddressInfo).port}`;
  const created = await request.post("/api/v1/firewalls", {
    data: {
      name: "x14-edge",
      description: "US gateway",
      text: `${(SEED_REGIONS.US ?? []).join("\n")}\n`,
      format: "plain",
      regions: ["US"],
    },
  });
  expect(created.status()).toBe(201);
});

test.afterAll(async () => {
  local.closeAllConnections();
  await new Promise((resolve) => local.close(resolve));
});

async function axe(page: Page) {
  const { violations } = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

async function shots(page: Page, name: string) {
  for (const theme of ["light", "dark"] as const) {
    await page.evaluate((dark) => document.documentElement.classList.toggle("dark", dark), theme === "dark");
    await page.screenshot({ path: `e2e/artifacts/${name}-${theme}.png`, fullPage: true });
  }
  await page.evaluate(() => document.documentElement.classList.remove("dark"));
}

test("the overview before: the firewall is up to date against version 1", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Overview");
  await expect(page.getByTestId("overview-firewall").filter({ hasText: "x14-edge" })).toContainText("Up to date");
  await expect(page.getByTestId("overview-changes")).toContainText("Version 1 is the first version.");
});

test("webhook: added on /notifications, a test ping is signed and logged", async ({ page }) => {
  await page.goto("/notifications");
  await page.getByLabel("Webhook URL").fill(`${localBase}/hook`);
  await page.getByRole("checkbox", { name: "US" }).check();
  await page.getByRole("button", { name: "Add webhook" }).click();
  await expect(page.getByRole("status")).toContainText("Signing secret (shown once): whsec_");
  const secret = (await page.getByRole("status").locator("code").textContent()) ?? "";
  await page.getByRole("button", { name: "Send test" }).click();
  await expect(page.getByRole("status")).toHaveText("Test delivered.");
  expect(hooks).toHaveLength(1);
  const ping = hooks[0];
  expect(ping?.headers["x-allowlist-event"]).toBe("ping");
  expect(
    verifySignature(
      secret,
      String(ping?.headers["x-allowlist-signature"]),
      String(ping?.headers["x-allowlist-timestamp"]),
      ping?.body ?? "",
    ),
  ).toBe(true);
  await expect(page.getByTestId("delivery-log").locator("tbody tr")).toHaveCount(1);
  await expect(page.getByTestId("delivery-log").locator("tbody tr").first()).toContainText("delivered (204)");
  await axe(page);
  await shots(page, "notifications");
});

test("feed: created with its token once, polled, 304 on the same ETag", async ({ page, request }) => {
  await page.goto("/feeds");
  await page.getByLabel("Name").fill("x14 US EDL");
  await page.getByRole("checkbox", { name: "US United States" }).check();
  await page.getByLabel("Aggregate into the fewest CIDRs").uncheck();
  await page.getByRole("button", { name: "Create feed" }).click();
  const fresh = page.getByTestId("fresh-feed");
  await expect(fresh).toContainText("copy its token now");
  const tokenUrl = (await fresh.locator("code").nth(1).textContent()) ?? "";
  expect(tokenUrl).toMatch(/\/feeds\/fd_[A-Za-z0-9_-]{43}$/);
  await expect(fresh.getByTestId("feed-snippet").first()).toContainText(
    `set external-list x14-US-EDL type ip url "${tokenUrl}"`,
  );
  const path = new URL(tokenUrl).pathname;
  feedPath = path;
  const first = await request.get(path, { headers: { "User-Agent": "PAN-OS/11.1 x14" } });
  expect(first.status()).toBe(200);
  expect(await first.text()).toBe(`${(SEED_REGIONS.US ?? []).join("\n")}\n`);
  expect(first.headers()["x-catalog-version"]).toBe("1");
  const again = await request.get(path, { headers: { "If-None-Match": first.headers().etag ?? "" } });
  expect(again.status()).toBe(304);
  await page.reload();
  const feed = page.getByTestId("feed").filter({ hasText: "x14 US EDL" });
  await expect(feed.getByTestId("poll-state")).toHaveText("Polling");
  await expect(feed.getByTestId("last-poll")).toContainText("· 2 polls");
  await axe(page);
  await shots(page, "feeds");
});

test("update catalog from a URL: preview per region with the change, then version 2", async ({ page }) => {
  await page.goto("/catalog");
  await expect(page.getByTestId("catalog-version")).toContainText("Version 1 in use");
  await page.getByRole("link", { name: "Update catalog" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Update the Freshworks catalog");

  // Paste of the same list: no change.
  await page.getByLabel(/The page's text/).fill(catalogText(SEED_REGIONS));
  await page.getByRole("button", { name: "Preview changes" }).click();
  await expect(page.getByTestId("import-result")).toContainText("No change: the list is the same as version 1");

  // A document that is not a catalog: the error names the line.
  await page.getByLabel(/The page's text/).fill("Region\nNAT IPs\nUS\n52.1.37.300/32\n");
  await page.getByRole("button", { name: "Preview changes" }).click();
  await expect(page.getByTestId("import-result").getByRole("alert")).toHaveText(
    "Line 4 of the document's text: invalid CIDR 52.1.37.300/32: octet is greater than 255.",
  );

  await page.getByLabel("Fetch URL").check();
  await page.getByLabel(/URL of the vendor's page/).fill(`${localBase}/nat-ips.html`);
  await page.getByRole("button", { name: "Preview changes" }).click();
  const result = page.getByTestId("import-result");
  await expect(result.getByRole("heading")).toHaveText("Changes from version 1: 2 added, 1 removed, 42 unchanged");
  const us = result.locator('tr[data-region="US"]');
  await expect(us).toContainText("+ 52.1.37.97/32");
  await expect(us).toContainText("− 52.1.37.96/32");
  await expect(us).toContainText("14 → 14");
  await expect(result.locator('tr[data-region="EU"]')).toContainText("+ 2a05:d014::/64");
  await axe(page);
  await shots(page, "catalog-import-preview");
  await page.getByRole("button", { name: "Create version 2" }).click();
  await expect(result).toContainText("Version 2 created.");

  await page.goto("/catalog");
  await expect(page.getByTestId("catalog-version")).toContainText(`Version 2 in use · imported`);
  await expect(page.getByTestId("catalog-version")).toContainText(`from ${localBase}/nat-ips.html`);
  await page.goto("/catalog?version=1");
  await expect(page.getByTestId("catalog-version")).toContainText("Showing version 1 (version 2 is in use)");
  await page.goto("/compare?version=1");
  await expect(page.getByText("checked in your browser against catalog version 1;")).toBeVisible();
  await page.goto("/compare");
  await expect(page.getByText("checked in your browser against catalog version 2;")).toBeVisible();
  // The page streams behind its loading skeleton, so an unknown version shows the not-found page (status already sent).
  await page.goto("/compare?version=9");
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
});

test("an uploaded saved page with the same list is no change", async ({ page }) => {
  await page.goto("/catalog/import");
  await page.getByLabel("Upload saved page").check();
  await page
    .getByLabel(/The page saved from your browser/)
    .setInputFiles({ name: "nat-ips.html", mimeType: "text/html", buffer: Buffer.from(catalogHtml(CHANGED_REGIONS)) });
  await page.getByRole("button", { name: "Preview changes" }).click();
  await expect(page.getByTestId("import-result")).toContainText("No change: the list is the same as version 2");
});

test("changelog lists both versions with their changes", async ({ page }) => {
  await page.goto("/catalog/changes");
  const versions = page.getByTestId("changelog-version");
  await expect(versions).toHaveCount(2);
  await expect(versions.first()).toContainText("Version 2");
  await expect(versions.first()).toContainText("2 added, 1 removed, 42 unchanged.");
  await expect(versions.last()).toContainText("The first version (Seed catalog).");
  await axe(page);
  await shots(page, "catalog-changelog");
});

test("the webhook heard of version 2, signed, with the firewall's new status", async () => {
  await expect.poll(() => hooks.length).toBe(2);
  const event = JSON.parse(hooks[1]?.body ?? "{}") as {
    event: string;
    from: number;
    to: number;
    firewalls: { name: string; after: string }[];
  };
  expect([event.event, event.from, event.to]).toEqual(["catalog.version", 1, 2]);
  expect(event.firewalls.find((f) => f.name === "x14-edge")?.after).toBe(
    "Needs 1 addition, has 1 entry the vendor no longer publishes",
  );
});

test("the overview and the firewall after: needs the new entry, has a stale one; one click downloads the change", async ({
  page,
  request,
}) => {
  await page.goto("/");
  await expect(page.getByTestId("overview-firewall").filter({ hasText: "x14-edge" })).toContainText(
    "Needs 1 addition, has 1 entry the vendor no longer publishes",
  );
  await expect(page.getByTestId("overview-changes")).toContainText("+ 52.1.37.97/32 (US)");
  await axe(page);
  await shots(page, "overview");

  await page.getByRole("link", { name: "x14-edge" }).first().click();
  await expect(page.getByTestId("alignment-label")).toHaveText(
    "Needs 1 addition, has 1 entry the vendor no longer publishes",
  );
  await expect(page.getByTestId("alignment-panel")).toContainText("line 1: 52.1.37.96/32");
  await page.getByLabel("Format of the additions").selectOption("plain");
  const downloads: { name: string; text: string }[] = [];
  page.on("download", async (d) =>
    downloads.push({ name: d.suggestedFilename(), text: await readFile((await d.path()) ?? "", "utf8") }),
  );
  await page.getByRole("button", { name: "Download the change that brings it in line" }).click();
  await expect(page.getByTestId("alignment-panel").getByRole("status")).toContainText("x14-edge-remove.txt");
  await expect.poll(() => downloads.length).toBe(2);
  const remove = downloads.find((d) => d.name === "x14-edge-remove.txt");
  expect(remove?.text).toBe(
    "# x14-edge: remove these lines; catalog version 2 no longer publishes what they allow.\n# line 1 (52.1.37.96/32)\n52.1.37.96/32\n",
  );
  expect(downloads.find((d) => d.name !== "x14-edge-remove.txt")?.text).toContain("52.1.37.97/32");

  // The feed follows the newest version; revoking its token is 401 at once.
  const feeds = (await (await request.get("/api/v1/feeds")).json()) as { feeds: { id: number; name: string }[] };
  const feed = feeds.feeds.find((f) => f.name === "x14 US EDL");
  expect(feed).toBeDefined();
  expect((await request.post(`/api/v1/feeds/${feed?.id}/revoke`)).status()).toBe(200);
  const denied = await request.get(feedPath);
  expect([denied.status(), await denied.text()]).toEqual([401, "This feed token was revoked.\n"]);
  const token = feedPath.split("/").pop() ?? "";
  const basic = await request.get(`/feeds/${feed?.id}`, {
    headers: { Authorization: `Basic ${Buffer.from(`x:${token}`).toString("base64")}` },
  });
  expect(basic.status()).toBe(401);
});

test("the feed page flags the revoked feed; the latest version's feed body", async ({ page, request }) => {
  await page.goto("/feeds");
  const feed = page.getByTestId("feed").filter({ hasText: "x14 US EDL" });
  await expect(feed.getByTestId("poll-state")).toHaveText("Revoked");
  await feed.getByRole("button", { name: "Issue a new token" }).click();
  const tokenUrl = (await page.getByTestId("fresh-feed").locator("code").nth(1).textContent()) ?? "";
  const body = await request.get(new URL(tokenUrl).pathname);
  expect(body.status()).toBe(200);
  expect(body.headers()["x-catalog-version"]).toBe("2");
  expect((await body.text()).split("\n")).toContain("52.1.37.97/32");
});
