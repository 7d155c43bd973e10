import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import { SEED_CATALOG } from "../lib/diff/seed.fixture";
import { exportOptionsSchema, renderExport } from "../lib/export/prepare";

// The seed catalog's checksum prefix (lib/db/catalog.test.ts): the panel names it in comments.
const LABEL = "Freshworks catalog v1 (sha256:f54d7f04b82b)";
const NFT_NAME = "freshworks-us-eu-nftables.sh";

function expectedNftables(namePrefix = "allowlist"): string {
  const options = exportOptionsSchema.parse({ provider: "Freshworks", catalogLabel: LABEL, namePrefix });
  const entries = SEED_CATALOG.filter((e) => e.region === "US" || e.region === "EU");
  const result = renderExport("nftables", entries, options, { regions: ["US", "EU"] });
  if (!result.ok || result.files.length !== 1) throw new Error("nftables render failed in the test itself");
  return result.files[0]!.content;
}

const panel = (page: Page) => page.getByTestId("export-panel");
const logRows = (page: Page) => page.locator('[data-testid="exports-table"] tbody tr');

test.describe.configure({ mode: "serial" });

test.describe("exports", () => {
  let before = 0;

  // The empty log is checked before any spec exports (e2e/empty-states.spec.ts); here, what the log holds already.
  test("the export log's heading counts the rows it lists", async ({ page }) => {
    await page.goto("/exports");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Exports");
    before = await logRows(page).count();
    await expect(page.getByRole("heading", { name: /^Export log/ })).toHaveText(`Export log (${before})`);
  });

  test("catalog panel: nftables preview, copy and download give the exact file, and both are recorded", async ({
    page,
    context,
  }) => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await page.goto("/catalog?regions=us,eu");
    await expect(panel(page).getByRole("heading", { name: "Export the allowlist" })).toBeVisible();
    await panel(page).getByLabel("Export format").selectOption({ label: "nftables (shell script: nft)" });
    const want = expectedNftables();
    await expect(page.getByTestId("export-preview")).toHaveText(want, { useInnerText: false });
    expect(await page.getByTestId("export-preview").textContent()).toBe(want);
    await expect(page.getByTestId("export-summary")).toHaveText(
      "24 published entries as 14 CIDRs (aggregated) · 1 file",
    );
    await expect(page.getByTestId("export-file-name")).toHaveText(NFT_NAME);

    await panel(page)
      .getByRole("button", { name: `Copy ${NFT_NAME}` })
      .click();
    await expect(page.getByTestId("export-status")).toHaveText(`Copied ${NFT_NAME} · recorded in the export log.`);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(want);

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      panel(page)
        .getByRole("button", { name: `Download ${NFT_NAME}` })
        .click(),
    ]);
    expect(download.suggestedFilename()).toBe(NFT_NAME);
    expect(await readFile(await download.path(), "utf8")).toBe(want);
    await expect(page.getByTestId("export-status")).toHaveText(`Downloaded ${NFT_NAME} · recorded in the export log.`);

    await page.emulateMedia({ colorScheme: "light" });
    await page.screenshot({ path: "e2e/artifacts/catalog-export-light.png", fullPage: true });
    await page.emulateMedia({ colorScheme: "dark" });
    await page.reload();
    await panel(page).scrollIntoViewIfNeeded();
    await page.screenshot({ path: "e2e/artifacts/catalog-export-dark.png", fullPage: true });
    await page.emulateMedia({ colorScheme: "light" });
  });

  test("the format and options are remembered after a reload", async ({ page }) => {
    await page.goto("/catalog?regions=us,eu");
    await panel(page).getByLabel("Export format").selectOption("nftables");
    await panel(page).getByLabel("Name prefix").fill("edge");
    await expect(page.getByTestId("export-preview")).toHaveText(expectedNftables("edge"), { useInnerText: false });
    await page.reload();
    await expect(panel(page).getByLabel("Export format")).toHaveValue("nftables");
    await expect(panel(page).getByLabel("Name prefix")).toHaveValue("edge");
    expect(await page.getByTestId("export-preview").textContent()).toBe(expectedNftables("edge"));
  });

  test("bad options and formats that cannot express a request are explained exactly", async ({ page }) => {
    await page.goto("/catalog?regions=au");
    await panel(page).getByLabel("Ports").fill("0");
    await expect(panel(page).getByLabel("Ports")).toHaveAttribute("aria-invalid", "true");
    await expect(panel(page).getByText('"0": ports are 1-65535')).toBeVisible();
    await expect(page.getByTestId("export-preview")).toHaveCount(0);
    await panel(page).getByLabel("Ports").fill("443");
    await panel(page).getByLabel("Export format").selectOption("csv");
    await panel(page).getByLabel("Destination").fill("10.0.0.0/8");
    await expect(page.getByTestId("export-errors").locator("li")).toHaveText([
      "csv: the destination 10.0.0.0/8 cannot be expressed: a CSV list has no destination",
    ]);
  });

  test("deployment and sync reach the preview, and a format that cannot express them says so", async ({ page }) => {
    await page.goto("/catalog?regions=au");
    await panel(page).getByLabel("Export format").selectOption("iptables");
    await panel(page).getByLabel("Deployment").selectOption("dedicated");
    await panel(page).getByLabel("Sync: also remove what is no longer published").check();
    const options = exportOptionsSchema.parse({
      provider: "Freshworks",
      catalogLabel: LABEL,
      deployment: "dedicated",
      scope: "sync",
    });
    const want = renderExport(
      "iptables",
      SEED_CATALOG.filter((e) => e.region === "AU"),
      options,
      { regions: ["AU"] },
    );
    if (!want.ok) throw new Error("iptables render failed in the test itself");
    await expect(page.getByTestId("export-preview")).toHaveText(want.files[0]!.content, { useInnerText: false });
    expect(await page.getByTestId("export-preview").textContent()).toBe(want.files[0]!.content);
    await panel(page).getByLabel("Export format").selectOption("cisco-asa");
    await expect(page.getByTestId("export-errors").locator("li")).toHaveText([
      "Cisco ASA (object-group + access-list) cannot express the sync scope (removing what the vendor no longer publishes); use full or missing",
      "Cisco ASA (object-group + access-list) cannot express the dedicated deployment; use additive",
    ]);
    // Back to the defaults, so the remembered preferences do not leak into the next test.
    await panel(page).getByLabel("Deployment").selectOption("additive");
    await panel(page).getByLabel("Sync: also remove what is no longer published").uncheck();
  });

  test("/exports lists the records newest first, and the format gallery lists every format", async ({ page }) => {
    await page.goto("/exports");
    await expect(logRows(page)).toHaveCount(before + 2);
    const cells = (i: number) => logRows(page).nth(i).locator("td");
    const opts = "tcp 443 · to any · IPv4 + IPv6 · aggregated · comments · names allowlist";
    await expect(cells(0)).toHaveText([
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/,
      "nftables (shell script: nft)",
      "Full allowlist",
      "US, EU",
      opts,
      "v1",
      "24",
      "Downloaded",
      "user:admin@e2e.test",
    ]);
    await expect(cells(1)).toHaveText([
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/,
      "nftables (shell script: nft)",
      "Full allowlist",
      "US, EU",
      opts,
      "v1",
      "24",
      "Copied",
      "user:admin@e2e.test",
    ]);
    await expect(page.locator("li[data-format]")).toHaveCount(27);
    await expect(page.getByTestId("gallery-Lists").locator("li > p:first-child")).toHaveText([
      "CSV",
      "Plain list (EDL / threat feed / URL table)",
      "JSON",
    ]);
    await page.emulateMedia({ colorScheme: "light" });
    await page.screenshot({ path: "e2e/artifacts/exports-light.png", fullPage: true });
    await page.emulateMedia({ colorScheme: "dark" });
    await page.reload();
    await page.screenshot({ path: "e2e/artifacts/exports-dark.png", fullPage: true });
  });
});
