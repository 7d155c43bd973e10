import { expect, test, type Page } from "@playwright/test";

const ALL = 43;
const rows = (page: Page) => page.locator('[data-testid="catalog-table"] tbody tr');

test.describe("catalog", () => {
  test("shows every published NAT IP with per-region counts", async ({ page }) => {
    await page.goto("/catalog");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Freshworks NAT IPs");
    await expect(rows(page)).toHaveCount(ALL);
    await expect(page.getByTestId("catalog-summary")).toHaveText(
      `Showing ${ALL} of ${ALL} entries · US 14 · EU 10 · IN 9 · AU 10`,
    );
    const first = rows(page).first();
    await expect(first.locator("td")).toHaveText([
      "US",
      "52.1.37.96/32",
      "52.1.37.96",
      "52.1.37.96",
      "1",
      "Freshchat, Freddy Self-service",
      "Copy",
    ]);
  });

  test("picking EU shows its 10 entries, and the choice survives a reload", async ({ page }) => {
    await page.goto("/catalog");
    for (const code of ["US", "IN", "AU"])
      await page.getByRole("checkbox", { name: new RegExp(`\\(${code}\\)`) }).uncheck();
    await expect(rows(page)).toHaveCount(10);
    await expect(page).toHaveURL(/[?&]regions=eu(&|$)/);
    await expect(rows(page).locator("td:first-child")).toHaveText(Array(10).fill("EU"));
    await page.reload();
    await expect(rows(page)).toHaveCount(10);
    await expect(page.getByRole("checkbox", { name: /\(EU\)/ })).toBeChecked();
    await expect(page.getByRole("checkbox", { name: /\(US\)/ })).not.toBeChecked();
  });

  test("searching an address finds the entry that contains it", async ({ page }) => {
    await page.goto("/catalog");
    await page.getByLabel("Search by IP, CIDR, range, region or product").fill("44.206.73.235");
    await expect(rows(page)).toHaveCount(1);
    await expect(rows(page).first()).toHaveAttribute("data-cidr", "44.206.73.235/32");
    // A CIDR finds every entry inside it, not only text matches.
    await page.getByLabel("Search by IP, CIDR, range, region or product").fill("44.206.73.232/29");
    await expect(rows(page)).toHaveCount(8);
    await page.getByLabel("Search by IP, CIDR, range, region or product").fill("203.0.113.9");
    await expect(page.getByText("Nothing matches")).toBeVisible();
  });

  test("sorting by CIDR orders addresses numerically", async ({ page }) => {
    await page.goto("/catalog?regions=au");
    await page.getByRole("button", { name: /^CIDR/ }).click();
    await expect(rows(page).locator("td:nth-child(2)")).toHaveText([
      "3.26.254.196/32",
      "3.26.254.197/32",
      "3.26.254.198/32",
      "3.26.254.199/32",
      "3.104.16.220/32",
      "3.105.197.171/32",
      "13.210.157.231/32",
      "13.238.97.24/32",
      "13.238.188.219/32",
      "54.206.10.178/32",
    ]);
    await expect(page.getByRole("columnheader", { name: /CIDR/ })).toHaveAttribute("aria-sort", "ascending");
  });

  test("copy puts one CIDR per line on the clipboard", async ({ page, context }) => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await page.goto("/catalog?regions=in");
    await expect(rows(page)).toHaveCount(9);
    await page.getByRole("button", { name: "Copy 9 visible" }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
      [
        "13.232.152.211/32",
        "52.66.184.184/32",
        "35.154.161.243/32",
        "13.126.85.255/32",
        "13.234.127.182/32",
        "43.204.166.208/32",
        "43.204.166.209/32",
        "43.204.166.210/32",
        "43.204.166.211/32",
      ]
        .map((c) => `${c}\n`)
        .join(""),
    );
    await page.getByRole("button", { name: "Copy the visible entries aggregated to 6 CIDRs" }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
      [
        "13.126.85.255/32",
        "13.232.152.211/32",
        "13.234.127.182/32",
        "35.154.161.243/32",
        "43.204.166.208/30",
        "52.66.184.184/32",
      ]
        .map((c) => `${c}\n`)
        .join(""),
    );
    await page.getByRole("button", { name: "Copy 52.66.184.184/32" }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe("52.66.184.184/32\n");
  });

  test("keyboard: skip link, region toggles and theme toggle work without a mouse", async ({ page }) => {
    await page.goto("/catalog");
    await page.keyboard.press("Tab");
    await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();
    await page.getByRole("checkbox", { name: /\(US\)/ }).focus();
    await page.keyboard.press("Space");
    await expect(rows(page)).toHaveCount(ALL - 14);
    await page.getByRole("button", { name: /theme/ }).focus();
    await page.keyboard.press("Enter");
    await expect(page.locator("html")).not.toHaveClass(/dark/);
    await page.keyboard.press("Enter");
    await expect(page.locator("html")).toHaveClass(/dark/);
  });

  test("help page explains the NAT IPs, the port, domains and the trace", async ({ page }) => {
    await page.goto("/catalog");
    await page.getByRole("link", { name: "Why these IPs, and which port?" }).click();
    await expect(page).toHaveURL(/\/help$/);
    await expect(page.getByRole("heading", { level: 2 })).toHaveText([
      "Why these addresses",
      "Which port",
      "Why not allowlist a domain instead",
      "What a verdict means, and how to see why",
      "Automate it",
    ]);
  });

  for (const scheme of ["light", "dark"] as const) {
    test(`screenshot of the catalog in ${scheme} theme`, async ({ page }, testInfo) => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto("/catalog");
      await expect(rows(page)).toHaveCount(ALL);
      await expect(page.locator("html")).toHaveClass(scheme === "dark" ? /dark/ : /^(?!.*dark)/);
      const path = `e2e/artifacts/catalog-${scheme}.png`;
      await page.screenshot({ path, fullPage: true });
      await testInfo.attach(`catalog-${scheme}`, { path, contentType: "image/png" });
    });
  }
});

test("an unknown address shows the app's own not-found page with a 404", async ({ page }) => {
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
  await expect(page.getByRole("link", { name: "Go to the catalog" })).toHaveAttribute("href", "/catalog");
});
