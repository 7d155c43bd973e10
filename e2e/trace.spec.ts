import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";

const input = (page: Page) => page.getByTestId("compare-input");
const line = (page: Page, n: number) => page.locator(`[data-testid="highlighted-text"] [data-line="${n}"]`);
const row = (page: Page, table: string, text: string) => page.locator(`[data-testid="${table}"] tbody tr`, { hasText: text });
const steps = (page: Page) =>
  page.getByTestId("trace-step").evaluateAll((els) => els.map((e) => `${e.getAttribute("data-line")}:${e.getAttribute("data-matched")}:${e.getAttribute("data-decided")}`));

// A plain list: one implicit context, so the trace is the list's own first match and its implicit deny.
const LIST = `# Freshworks NAT IPs we allow
52.1.37.96
44.206.73.232/29
10.0.0.0/8
`;

test.describe("trace on /compare", () => {
  test("clicking a missing, then a covered NAT IP opens its trace; each rule links to its line", async ({ page }) => {
    await page.goto("/compare?regions=us");
    await input(page).fill(LIST);
    await expect(page.getByTestId("verdict")).toHaveText("5 of 14 published NAT IPs for US are missing on TCP 443: webhooks from them will be blocked.");
    await expect(page.getByTestId("trace-empty")).toHaveText(
      "Pick a published IP in the Missing or Covered table, or type an address, to see every rule a new connection from it meets and what decides.",
    );
    // No path in a plain list: no assumption line.
    await expect(page.getByTestId("path-assumption")).toHaveCount(0);

    await row(page, "missing-table", "52.1.32.88/32").click();
    await expect(page.getByRole("heading", { name: "Trace of 52.1.32.88" })).toBeVisible();
    await expect(page.getByTestId("trace-summary")).toHaveText("Blocked: 52.1.32.88 → TCP 443: blocked — no rule of the list matches, and its default is deny.");
    await expect(page.getByTestId("trace-context")).toHaveCount(1);
    await expect(page.getByTestId("trace-decision")).toHaveText("No rule matches: the default (deny) applies → blocked.");
    expect(await steps(page)).toEqual([]);
    await expect(row(page, "missing-table", "52.1.32.88/32")).toHaveAttribute("aria-selected", "true");

    await page.getByRole("tab", { name: /Covered/ }).click();
    await row(page, "covered-table", "44.206.73.235/32").click();
    await expect(page.getByRole("heading", { name: "Trace of 44.206.73.235" })).toBeVisible();
    await expect(page.getByTestId("trace-summary")).toHaveText("Allowed: 44.206.73.235 → TCP 443: allowed by line 3.");
    expect(await steps(page)).toEqual(["3:true:true"]);
    await expect(page.getByTestId("trace-step")).toContainText("address, TCP and port 443 match");
    await expect(page.getByTestId("trace-step").locator("code")).toHaveText("44.206.73.232/29");

    // The rule's line button selects that line in the text.
    await line(page, 2).click();
    await expect(line(page, 3)).toHaveAttribute("aria-selected", "false");
    await page.getByTestId("trace-step").getByRole("button", { name: "Line 3: show it in the text" }).click();
    await expect(line(page, 3)).toHaveAttribute("aria-selected", "true");

    // Another port: the trace follows the options.
    await page.getByTestId("port-input").fill("8443");
    await expect(page.getByTestId("trace-summary")).toHaveText("Allowed: 44.206.73.235 → TCP 8443: allowed by line 3.");
    await page.getByRole("button", { name: "Close trace" }).click();
    await expect(page.getByTestId("trace-empty")).toBeVisible();
  });

  test("the trace-an-address box validates through lib/ip and traces any address; keyboard only", async ({ page }) => {
    await page.goto("/compare?regions=us");
    await input(page).fill(LIST);
    await expect(page.getByTestId("verdict")).toBeVisible();
    const box = page.getByLabel("Trace an address");
    await box.fill("10.1");
    await box.press("Enter");
    await expect(page.getByTestId("trace-error")).toHaveText('"10.1" is not an address: expected 4 octets, found 2 (shorthand like "10.1" is not allowed) (column 5).');
    await expect(box).toHaveAttribute("aria-invalid", "true");
    await box.fill("10.20.30.40");
    await box.press("Enter");
    await expect(page.getByTestId("trace-error")).toHaveCount(0);
    await expect(page.getByTestId("trace-summary")).toHaveText("Allowed: 10.20.30.40 → TCP 443: allowed by line 4.");

    // A missing row picked with the keyboard: focus the table's row, Enter opens its trace.
    const first = page.locator('[data-testid="missing-table"] tbody tr[tabindex="0"]');
    await first.focus();
    await expect(first).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page.getByRole("heading", { name: "Trace of 52.1.32.88" })).toBeVisible();
    // The line buttons are reachable by Tab and show a visible focus ring.
    await page.getByRole("button", { name: "Close trace" }).focus();
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("trace-empty")).toBeVisible();
  });

  for (const scheme of ["light", "dark"] as const) {
    test(`the trace panel (${scheme}) has no WCAG A/AA violations; screenshot`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto("/compare?regions=us");
      await page.getByRole("button", { name: "Load an iptables example" }).click();
      await expect(page.getByTestId("verdict")).toBeVisible();
      await page.getByRole("tab", { name: /Covered/ }).click();
      await row(page, "covered-table", "52.1.37.96/32").click();
      await expect(page.getByTestId("trace-summary")).toBeVisible();
      const { violations } = await new AxeBuilder({ page })
        .include('[data-testid="trace-panel"]')
        .include('[data-testid="path-assumption"]')
        .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
        .analyze();
      expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
      await page.screenshot({ path: `e2e/artifacts/compare-trace-${scheme}.png`, fullPage: true });
    });
  }
});
