import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";

const input = (page: Page) => page.getByTestId("compare-input");
const line = (page: Page, n: number) => page.locator(`[data-testid="highlighted-text"] [data-line="${n}"]`);
const row = (page: Page, table: string, text: string) =>
  page.locator(`[data-testid="${table}"] tbody tr`, { hasText: text });
const steps = (page: Page) =>
  page
    .getByTestId("trace-step")
    .evaluateAll((els) =>
      els.map(
        (e) => `${e.getAttribute("data-line")}:${e.getAttribute("data-matched")}:${e.getAttribute("data-decided")}`,
      ),
    );

// A plain list: one implicit context, so the trace is the list's own first match and its implicit deny.
const LIST = `# Freshworks NAT IPs we allow
52.1.37.96
44.206.73.232/29
10.0.0.0/8
`;

// What the iptables reader assumes about the example (lib/compare/example.ts), and with the overrides.
const INPUT_ASSUMPTION =
  "Read as a new TCP connection to this host itself (INPUT); use --path forward if the service runs behind it (FORWARD). Rules only for loopback, container, bridge or VPN interfaces are read as not met by Internet traffic; name the Internet-facing interface with --ingress.";
const FORWARD_ASSUMPTION =
  "Read as a new TCP connection forwarded to a service behind this host (FORWARD), as asked; use --path input if the service is the host itself. Rules only for loopback, container, bridge or VPN interfaces are read as not met by Internet traffic; name the Internet-facing interface with --ingress.";
const INGRESS_ASSUMPTION =
  "Read as a new TCP connection to this host itself (INPUT), as asked; use --path forward if the service runs behind it (FORWARD). The Internet arrives on eth1.";

test.describe("trace on /compare", () => {
  test("clicking a missing, then a covered NAT IP opens its trace; each rule links to its line", async ({ page }) => {
    await page.goto("/compare?regions=us");
    await input(page).fill(LIST);
    await expect(page.getByTestId("verdict")).toHaveText(
      "5 of 14 published NAT IPs for US are missing on TCP 443: webhooks from them will be blocked.",
    );
    await expect(page.getByTestId("trace-empty")).toHaveText(
      "Pick a published IP in the Missing or Covered table, or type an address, to see every rule a new connection from it meets and what decides.",
    );
    // No path in a plain list: no assumption line.
    await expect(page.getByTestId("path-assumption")).toHaveCount(0);

    await row(page, "missing-table", "52.1.32.88/32").click();
    await expect(page.getByRole("heading", { name: "Trace of 52.1.32.88" })).toBeVisible();
    await expect(page.getByTestId("trace-summary")).toHaveText(
      "Blocked: 52.1.32.88 → TCP 443: blocked — no rule of the list matches, and its default is deny.",
    );
    await expect(page.getByTestId("trace-context")).toHaveCount(1);
    await expect(page.getByTestId("trace-decision")).toHaveText(
      "No rule matches: the default (deny) applies → blocked.",
    );
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
    await expect(page.getByTestId("trace-error")).toHaveText(
      '"10.1" is not an address: expected 4 octets, found 2 (shorthand like "10.1" is not allowed) (column 5).',
    );
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

  test("a large paste (traced in the worker, like its diff): the trace is exact", async ({ page }) => {
    await page.goto("/compare?regions=us");
    // 100,000 lines (over the worker threshold, and over 1 MB so the editor takes the paste itself): two US NAT
    // IPs, then private addresses. Pasted through the editor's paste handler, again until the page has hydrated.
    await expect(async () => {
      await page.evaluate(() => {
        const out = ["52.1.37.96", "44.206.73.232/29"];
        for (let i = 0; i < 100_000 - 2; i++) out.push(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
        const data = new DataTransfer();
        data.setData("text/plain", `${out.join("\n")}\n`);
        const area = document.querySelector('[data-testid="compare-input"]')!;
        area.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
      });
      await expect(page.getByTestId("run-status")).not.toBeEmpty({ timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
    await expect(page.getByTestId("verdict")).toHaveText(
      "5 of 14 published NAT IPs for US are missing on TCP 443: webhooks from them will be blocked.",
      { timeout: 30_000 },
    );
    const workers = await page.evaluate(
      () => performance.getEntriesByType("resource").filter((e) => /worker/i.test(e.name)).length,
    );
    expect(workers).toBeGreaterThan(0);
    await row(page, "missing-table", "52.201.75.8/32").click();
    await expect(page.getByTestId("trace-summary")).toHaveText(
      "Blocked: 52.201.75.8 → TCP 443: blocked — no rule of the list matches, and its default is deny.",
      { timeout: 30_000 },
    );
    await page.getByLabel("Trace an address").fill("10.0.78.31");
    await page.getByLabel("Trace an address").press("Enter");
    // 10.0.78.31 is the (78 * 256 + 31)th private address, after the two NAT IP lines.
    await expect(page.getByTestId("trace-summary")).toHaveText(
      `Allowed: 10.0.78.31 → TCP 443: allowed by line ${78 * 256 + 31 + 3}.`,
      { timeout: 30_000 },
    );
  });

  test("a group member's step names the ACL entry that uses the group, and links to both lines", async ({ page }) => {
    await page.goto("/compare?regions=us");
    await input(page).fill(`object-group network FRESHWORKS
 network-object host 52.1.37.96
access-list OUTSIDE_IN extended permit tcp object-group FRESHWORKS any eq https
access-group OUTSIDE_IN in interface outside
`);
    await expect(page.getByTestId("verdict")).toBeVisible();
    await page.getByLabel("Trace an address").fill("52.1.37.96");
    await page.getByLabel("Trace an address").press("Enter");
    await expect(page.getByTestId("trace-summary")).toHaveText("Allowed: 52.1.37.96 → TCP 443: allowed by line 2.");
    expect(await steps(page)).toEqual(["2:true:true"]);
    const step = page.getByTestId("trace-step");
    await expect(step.locator("code")).toHaveText([
      "network-object host 52.1.37.96",
      "access-list OUTSIDE_IN extended permit tcp object-group FRESHWORKS any eq https",
    ]);
    await expect(step.getByTestId("trace-step-rule")).toContainText(/^In the rule at\s*line 3\s*through FRESHWORKS/);
    await step.getByRole("button", { name: "Line 3: show it in the text" }).click();
    await expect(line(page, 3)).toHaveAttribute("aria-selected", "true");
    await step.getByRole("button", { name: "Line 2: show it in the text" }).click();
    await expect(line(page, 2)).toHaveAttribute("aria-selected", "true");
  });

  for (const scheme of ["light", "dark"] as const) {
    test(`the assumption line and its override, kept in the URL (${scheme})`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto("/compare?regions=us");
      await page.getByRole("button", { name: "Load an iptables example" }).click();
      await expect(page.getByTestId("verdict")).toHaveText(
        "4 of 14 published NAT IPs for US are missing on TCP 443: webhooks from them will be blocked.",
      );
      await expect(page.getByTestId("assumption-line")).toHaveText(`Assumed: ${INPUT_ASSUMPTION}`);
      await expect(page.getByTestId("path-select")).toHaveValue("");

      // The service behind the host: the FORWARD chain (no rules, policy DROP) decides, nothing gets through.
      await page.getByLabel("Protected service").selectOption("forward");
      await expect(page.getByTestId("assumption-line")).toHaveText(`Assumed: ${FORWARD_ASSUMPTION}`);
      await expect(page.getByTestId("verdict")).toHaveText(
        "14 of 14 published NAT IPs for US are missing on TCP 443: webhooks from them will be blocked.",
      );
      await expect(page).toHaveURL(/\/compare\?regions=us&path=forward$/);
      await page
        .getByTestId("path-assumption")
        .getByText(/contexts read/)
        .click();
      await expect(page.getByTestId("path-contexts").locator("li")).toHaveText([
        "filter FORWARD (line 4), IPv4 only: on the path, default deny — a connection forwarded to a host behind this one crosses it",
        "filter INPUT (line 3), IPv4 only: not on the path — the service is read as behind this host (forward path), not the host itself",
        "filter OUTPUT (line 5), IPv4 only: not on the path — it filters connections this host opens, not inbound ones",
      ]);
      // The trace follows the override.
      await page.getByLabel("Trace an address").fill("52.1.37.96");
      await page.getByLabel("Trace an address").press("Enter");
      await expect(page.getByTestId("trace-summary")).toHaveText(
        "Blocked: 52.1.37.96 → TCP 443: blocked — no rule of filter FORWARD (line 4) matches, and its default is deny.",
      );

      // Back to the host itself, with the Internet-facing interface named.
      await page.getByLabel("Protected service").selectOption("input");
      const ingress = page.getByLabel("Internet-facing interface or zone");
      await ingress.fill("eth1 é");
      await expect(ingress).toHaveAttribute("aria-invalid", "true");
      await expect(
        page.getByText("Ingress must be an interface, zone or interface list name: 1 to 64 printable characters."),
      ).toBeVisible();
      await ingress.fill("eth1");
      await expect(ingress).toHaveAttribute("aria-invalid", "false");
      await expect(page).toHaveURL(/\/compare\?regions=us&path=input&ingress=eth1$/);
      await expect(page.getByTestId("assumption-line")).toHaveText(`Assumed: ${INGRESS_ASSUMPTION}`);
      await expect(page.getByTestId("verdict")).toHaveText(
        "4 of 14 published NAT IPs for US are missing on TCP 443: webhooks from them will be blocked.",
      );
      await expect(page.getByTestId("trace-summary")).toHaveText("Allowed: 52.1.37.96 → TCP 443: allowed by line 9.");
      await page.screenshot({ path: `e2e/artifacts/compare-override-${scheme}.png`, fullPage: true });

      // A shared link restores the override (the controls show with the results).
      await page.goto("/compare?regions=us&path=forward&ingress=eth1");
      await page.getByRole("button", { name: "Load an iptables example" }).click();
      await expect(page.getByTestId("verdict")).toHaveText(
        "14 of 14 published NAT IPs for US are missing on TCP 443: webhooks from them will be blocked.",
      );
      await expect(page.getByTestId("path-select")).toHaveValue("forward");
      await expect(page.getByLabel("Internet-facing interface or zone")).toHaveValue("eth1");
      await page.getByLabel("Protected service").selectOption("");
      await page.getByLabel("Internet-facing interface or zone").fill("");
      await expect(page).toHaveURL(/\/compare\?regions=us$/);
      await expect(page.getByTestId("assumption-line")).toHaveText(`Assumed: ${INPUT_ASSUMPTION}`);
    });
  }

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
