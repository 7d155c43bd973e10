import { expect, test } from "@playwright/test";

// Screens as a new installation shows them, before any other spec has made anything (the "empty-states" project runs
// right after the first-run setup; playwright.config.ts). In the exports spec this check was skipped whenever another
// spec had exported first, which in the full suite was always.
test("the export log starts empty, with a way to the catalog", async ({ page }) => {
  await page.goto("/exports");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Exports");
  await expect(page.locator('[data-testid="exports-table"] tbody tr')).toHaveCount(0);
  await expect(page.getByTestId("exports-empty")).toHaveText(
    "No exports yetOpen the catalog or compare a list, pick a format and copy or download it: it will be listed here.",
  );
  await expect(page.getByRole("heading", { name: /^Export log/ })).toHaveText("Export log (0)");
  await page.emulateMedia({ colorScheme: "light" });
  await page.screenshot({ path: "e2e/artifacts/exports-empty-light.png", fullPage: true });
});
