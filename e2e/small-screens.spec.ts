import { expect, test, type Page } from "@playwright/test";
import { appPageRoutes } from "../lib/testing/app-pages";

// Every page the app has, listed from app/ itself, so a new page is checked without anyone adding it here.
// [id] is a saved firewall this spec creates.
const ROUTES = appPageRoutes();

let firewallId = 0;
test.beforeAll(async ({ request }) => {
  const created = await request.post("/api/v1/firewalls", {
    data: {
      name: "small-screen-edge-with-a-rather-long-name-that-must-wrap",
      description: "A description long enough to be cut on a phone rather than widen the page, as people do write",
      text: "-A INPUT -s 52.1.37.96/32 -p tcp --dport 443 -j ACCEPT\n-A INPUT -s 3.74.148.8/30 -j DROP\n",
      regions: ["US", "EU"],
    },
  });
  expect(created.status()).toBe(201);
  firewallId = ((await created.json()) as { id: number }).id;
  const saved = await request.put(`/api/v1/firewalls/${firewallId}`, {
    data: {
      baseRevision: 1,
      text: "-A INPUT -s 52.1.37.96/32 -p tcp --dport 443 -j ACCEPT\n-A INPUT -s 52.1.32.88/32 -p tcp --dport 443 -j ACCEPT\n",
      regions: ["US", "EU"],
      note: "one more",
    },
  });
  expect(saved.status()).toBe(200);
});
test.afterAll(async ({ request }) => {
  expect((await request.delete(`/api/v1/firewalls/${firewallId}`)).status()).toBe(204);
});

const url = (route: string) => route.replace("[id]", String(firewallId));

test("the page list comes from app/ and holds every known page", () => {
  expect(ROUTES).toEqual([
    "/",
    "/account",
    "/audit",
    "/catalog",
    "/catalog/changes",
    "/catalog/import",
    "/compare",
    "/exports",
    "/feeds",
    "/firewalls",
    "/firewalls/[id]",
    "/firewalls/[id]/edit",
    "/firewalls/[id]/history",
    "/help",
    "/help/api",
    "/notifications",
    "/setup",
    "/sign-in",
    "/users",
  ]);
});

/** How far the document is wider than the window, and which elements stick out (to say what to fix). */
async function overflow(page: Page): Promise<{ scrollWidth: number; innerWidth: number; offenders: string[] }> {
  return page.evaluate(() => {
    const width = window.innerWidth;
    const offenders = [...document.querySelectorAll("body *")]
      .filter((e) => e.getBoundingClientRect().right > width + 0.5 && e.getClientRects().length > 0)
      // What overflows inside a scrolling box (a wide table in its own scroller) does not widen the page.
      .filter((e) => {
        for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
          if (getComputedStyle(a).overflowX !== "visible") return false;
        }
        return true;
      })
      .slice(0, 5)
      .map(
        (e) =>
          `${e.tagName.toLowerCase()}.${String(e.getAttribute("class") ?? "")
            .split(" ")
            .slice(0, 4)
            .join(".")}`,
      );
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth: width, offenders };
  });
}

const WIDTHS = [360, 375, 414] as const;
// The compare page again with results on it: the tables and the verdict must fit too.
const SCREENS = [
  ...ROUTES.map((r) => ({ name: r, path: r, after: undefined })),
  {
    name: "/compare with results",
    path: "/compare?regions=us,eu",
    after: async (page: Page) => {
      await page.getByRole("button", { name: "Load an iptables example" }).click();
      await expect(page.getByTestId("verdict")).toBeVisible();
    },
  },
];

for (const scheme of ["light", "dark"] as const) {
  for (const screen of SCREENS) {
    test(`${screen.name} (${scheme}) does not scroll sideways at ${WIDTHS.join(", ")} px`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width: 375, height: 812 });
      const response = await page.goto(url(screen.path));
      expect(response?.status()).toBe(200);
      await page.waitForLoadState("networkidle");
      await screen.after?.(page);
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: 812 });
        const m = await overflow(page);
        expect({ width, ...m }).toEqual({ width, scrollWidth: width, innerWidth: width, offenders: [] });
      }
      // A phone screenshot of each page (viewport only: the top of the page is what a phone user sees first).
      await page.setViewportSize({ width: 375, height: 812 });
      const slug = screen.name.replace(/[^a-z0-9]+/gi, "-").replace(/^-|-$/g, "") || "overview";
      await page.screenshot({ path: `e2e/artifacts/phone-${slug}-${scheme}.png` });
      // The header is one row: brand, menu button and theme toggle side by side.
      const header = page.locator("header").first();
      expect((await header.boundingBox())?.height).toBeLessThan(64);
    });
  }
}

test("on a phone the navigation is a menu: keyboard opens it, Escape closes it and gives focus back", async ({
  page,
}) => {
  await page.setViewportSize({ width: 375, height: 812 });
  await page.goto("/catalog");
  const nav = page.getByRole("navigation", { name: "Main" });
  const button = nav.getByRole("button", { name: "Menu" });
  await expect(button).toHaveAttribute("aria-expanded", "false");
  await expect(nav.getByRole("link")).toHaveCount(0);
  await button.focus();
  await page.keyboard.press("Enter");
  await expect(button).toHaveAttribute("aria-expanded", "true");
  await page.screenshot({ path: "e2e/artifacts/phone-menu-open-light.png" });
  await expect(nav.getByRole("link")).toHaveText([
    "Overview",
    "Catalog",
    "Compare",
    "Firewalls",
    "Feeds",
    "Notifications",
    "Exports",
    "Help",
  ]);
  await expect(nav.getByRole("link", { name: "Catalog" })).toHaveAttribute("aria-current", "page");
  // Tab moves into the list; the focused link has a visible outline.
  await page.keyboard.press("Tab");
  await expect(nav.getByRole("link", { name: "Overview" })).toBeFocused();
  const outline = await nav.getByRole("link", { name: "Overview" }).evaluate((e) => getComputedStyle(e).outlineStyle);
  expect(outline).toBe("solid");
  await page.keyboard.press("Escape");
  await expect(button).toHaveAttribute("aria-expanded", "false");
  await expect(button).toBeFocused();
  await expect(nav.getByRole("link")).toHaveCount(0);
  // A link in the menu navigates and closes it.
  await button.click();
  await nav.getByRole("link", { name: "Firewalls" }).click();
  await expect(page).toHaveURL(/\/firewalls$/);
  await expect(button).toHaveAttribute("aria-expanded", "false");
  // A click elsewhere (below the open list) closes it too.
  await button.click();
  await page.mouse.click(200, 760);
  await expect(button).toHaveAttribute("aria-expanded", "false");
});

test("on a wide screen the navigation is a row of links and there is no menu button", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto("/catalog");
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("button", { name: "Menu" })).toHaveCount(0);
  await expect(nav.getByRole("link")).toHaveCount(8);
  expect((await page.locator("header").first().boundingBox())?.height).toBeLessThan(64);
});

test("on a phone the catalog and firewall tables keep their key columns", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 812 });
  await page.goto("/catalog");
  await expect(page.getByTestId("catalog-table").locator("thead th:visible")).toHaveText(["Region↕", "CIDR↕", "Copy"]);
  // ... and those fit the screen: nothing to scroll inside the table's own box either.
  const fits = (testId: string) =>
    page
      .getByTestId(testId)
      .evaluate((t) => (t.parentElement ? t.parentElement.scrollWidth - t.parentElement.clientWidth : -1));
  expect(await fits("catalog-table")).toBe(0);
  await page.goto("/firewalls");
  await expect(page.getByTestId("firewall-table").locator("thead th:visible")).toHaveText(["Name↕", "Status↕"]);
  expect(await fits("firewall-table")).toBe(0);
  await page.setViewportSize({ width: 1280, height: 800 });
  await expect(page.getByTestId("firewall-table").locator("thead th:visible")).toHaveText([
    "Name↕",
    "Status↕",
    "Regions↕",
    "Port↕",
    "Revision↕",
    "Last changed↕",
  ]);
});

test("every page has its own title; an unknown firewall or address answers 404 with its own", async ({
  page,
  request,
  browser,
}) => {
  const titles: string[] = [];
  // Sign-in is what a visitor sees signed out; /setup exists only before the first account (then it is sign-in).
  const anonymous = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const visitor = await anonymous.newPage();
  for (const route of ROUTES) {
    if (route === "/setup") continue;
    const p = route === "/sign-in" ? visitor : page;
    await p.goto(url(route));
    titles.push(await p.title());
  }
  await anonymous.close();
  expect(new Set(titles).size).toBe(titles.length);
  expect(titles.every((t) => t.endsWith("Allowlist Admin"))).toBe(true);
  for (const path of [
    "/firewalls/999999",
    "/firewalls/999999/edit",
    "/firewalls/999999/history",
    "/firewalls/abc",
    "/no-such-page",
  ]) {
    const response = await request.get(path);
    expect({ path, status: response.status() }).toEqual({ path, status: 404 });
  }
  await page.goto("/firewalls/999999");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("No such firewall");
  await page.goto("/no-such-page");
  await expect(page).toHaveTitle("Page not found · Allowlist Admin");
});

test("favicon, app icons and the web manifest are served and linked", async ({ page, request }) => {
  await page.goto("/catalog");
  const icon = await page.locator('link[rel="icon"][type="image/svg+xml"]').getAttribute("href");
  const apple = await page.locator('link[rel="apple-touch-icon"]').getAttribute("href");
  const manifest = await page.locator('link[rel="manifest"]').getAttribute("href");
  expect(manifest).toBe("/manifest.webmanifest");
  for (const [path, type] of [
    [icon, "image/svg+xml"],
    [apple, "image/png"],
    ["/favicon.ico", "image/x-icon"],
    ["/icon-192.png", "image/png"],
    ["/icon-512.png", "image/png"],
  ] as const) {
    const response = await request.get(path ?? "(missing)");
    expect({ path, status: response.status(), type: response.headers()["content-type"] }).toEqual({
      path,
      status: 200,
      type,
    });
  }
  const body = (await (await request.get("/manifest.webmanifest")).json()) as {
    name: string;
    icons: { src: string; sizes: string }[];
  };
  expect(body.name).toBe("Allowlist Admin");
  expect(body.icons.map((i) => `${i.src} ${i.sizes}`)).toEqual([
    "/icon.svg any",
    "/icon-192.png 192x192",
    "/icon-512.png 512x512",
  ]);
});

test("the upload control is announced once, and the two format selects have distinct names", async ({ page }) => {
  await page.goto(`/firewalls/${firewallId}/edit`);
  // One control named "Upload file…" in the accessibility tree (the file input behind it is hidden from it).
  await expect(page.getByRole("button", { name: "Upload file…" })).toHaveCount(1);
  await expect(page.getByLabel("Upload file…")).toHaveCount(0);
  const snapshot = await page.locator("main").ariaSnapshot();
  expect(snapshot.match(/Upload file/g)?.length).toBe(1);
  await page.goto(`/firewalls/${firewallId}`);
  await expect(page.getByRole("combobox", { name: "Export format" })).toHaveCount(1);
  await page.goto("/compare");
  await expect(page.getByRole("combobox", { name: "Input format", exact: true })).toHaveCount(1);
  await expect(page.getByRole("combobox", { name: "Export format", exact: true })).toHaveCount(1);
  await expect(page.getByRole("combobox", { name: "Format", exact: true })).toHaveCount(0);
});

test("the API page lists every operation of the OpenAPI document, which is served as JSON", async ({
  page,
  request,
}) => {
  const response = await request.get("/api/v1/openapi.json");
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toBe("application/json; charset=utf-8");
  const doc = (await response.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
  expect(doc.openapi).toBe("3.1.0");
  const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m}${path}`));
  await page.goto("/help/api");
  await expect(page).toHaveTitle("REST API · Allowlist Admin");
  const shown = await page.getByTestId("api-operation").locator("h3").allTextContents();
  expect(shown.sort()).toEqual(documented.sort());
  const create = page.getByRole("table", { name: "JSON body of POST /api/v1/firewalls" });
  await expect(create.locator("tbody td:first-child")).toHaveText([
    "name",
    "description",
    "text",
    "format",
    "regions",
    "port",
    "note",
  ]);
});
