import { expect, test, type Page } from "@playwright/test";

// Issue 13: the answer first, in the admin's own format, on a desktop and a phone, light and dark; unusable input said plainly.
const IPTABLES = [
  "*filter",
  ":INPUT DROP [0:0]",
  "-A INPUT -p icmp -j ACCEPT",
  "-A INPUT -s 192.168.1.0/24 -p tcp --dport 22 -j ACCEPT",
  "-A INPUT -s 3.74.148.8/32 -p tcp --dport 443 -j ACCEPT",
  "-A INPUT -s 3.74.148.9/32 -p tcp --dport 8443 -j ACCEPT",
  "-A INPUT -s 18.184.146.22/32 -p tcp --dport 443 -j ACCEPT",
  "COMMIT",
  "",
].join("\n");
const MISSING = [
  "3.71.140.232/32",
  "3.74.148.9/32",
  "3.74.148.10/32",
  "3.74.148.11/32",
  "18.194.170.216/32",
  "18.197.127.133/32",
  "52.29.254.13/32",
  "52.57.253.205/32",
];

const SIZES = [
  { name: "desktop", width: 1280, height: 900 },
  { name: "phone", width: 375, height: 740 },
] as const;

/** Pastes through the editor's real paste handler, as a user's Ctrl+V arrives. */
async function paste(page: Page, text: string): Promise<void> {
  const area = page.getByTestId("compare-input");
  await area.scrollIntoViewIfNeeded();
  await area.focus();
  await page.evaluate(`(() => {
    const data = new DataTransfer();
    data.setData("text/plain", ${JSON.stringify(text)});
    const area = document.querySelector('[data-testid="compare-input"]');
    // A small paste is left to the browser: insert it the way the textarea would.
    const ok = area.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
    if (ok) document.execCommand("insertText", false, ${JSON.stringify(text)});
  })()`);
}

async function theme(page: Page, dark: boolean): Promise<void> {
  await page.emulateMedia({ colorScheme: dark ? "dark" : "light" });
  await page.evaluate((d) => document.documentElement.classList.toggle("dark", d), dark);
}

for (const size of SIZES) {
  for (const dark of [false, true]) {
    const label = `${size.name} ${size.width}px ${dark ? "dark" : "light"}`;
    test(`${label}: after an iptables paste the verdict and "Copy the lines to add" (iptables) come first`, async ({
      page,
      context,
    }) => {
      await context.grantPermissions(["clipboard-read", "clipboard-write"]);
      await page.setViewportSize({ width: size.width, height: size.height });
      await page.goto("/compare?regions=eu");
      await theme(page, dark);
      await paste(page, IPTABLES);

      const verdict = page.getByTestId("verdict");
      await expect(verdict).toHaveText(
        "8 of 10 published NAT IPs for EU are missing on TCP 443: webhooks from them will be blocked.",
      );
      // The first thing in view after the paste: the verdict and the button.
      await expect(verdict).toBeInViewport();
      await expect(page.getByTestId("copy-lines-to-add")).toBeInViewport();
      await expect(page.getByTestId("quick-copy")).toHaveAttribute("data-format", "iptables");
      await expect(page.getByTestId("quick-copy-summary")).toHaveText(
        "8 missing entries in iptables (shell script, IPv4), the format of your paste (iptables-save / ip6tables-save) · one per published entry, not aggregated",
      );

      const editor = (await page.getByTestId("compare-input").boundingBox())!;
      const answer = (await page.getByTestId("answer").boundingBox())!;
      if (size.name === "desktop") {
        // Side by side: the answer to the right of the input, its top level with the editor's.
        expect(answer.x).toBeGreaterThanOrEqual(editor.x + editor.width);
        expect(answer.y).toBeLessThan(editor.y + editor.height);
      } else {
        // Stacked: the answer above the editor.
        expect(answer.y + answer.height).toBeLessThanOrEqual(editor.y);
      }

      await page.getByTestId("copy-lines-to-add").click();
      await expect(page.getByTestId("quick-copy-status")).toHaveText(
        "Copied freshworks-eu-missing-iptables.sh: 8 entries.",
      );
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      // The copied file holds exactly the Missing table's entries, one rule each, in the Missing table's order.
      const rules = copied.split("\n").filter((l) => l.startsWith("allow -s "));
      expect(copied.startsWith("#!/bin/sh\n")).toBe(true);
      const sources = [...new Set(rules.map((r) => /-s (\S+)/.exec(r)![1]))];
      expect(sources).toEqual(MISSING);
      const table = await page
        .locator('[data-testid="missing-table"] tbody tr:not([aria-hidden]) td:nth-child(1)')
        .allTextContents();
      expect(table.slice().sort()).toEqual(MISSING.slice().sort());

      // The export panel defaults to the paste's format; "Save as firewall" comes after the results.
      await expect(page.getByTestId("export-panel").getByLabel("Format")).toHaveValue("iptables");
      const save = (await page.getByRole("button", { name: "Save as firewall" }).boundingBox())!;
      const results = (await page.getByTestId("results").boundingBox())!;
      expect(save.y).toBeGreaterThanOrEqual(results.y + results.height);

      // Findings: the published IP on another port is a coloured "Wrong port"; ICMP and SSH from the LAN get no badge.
      await page.getByRole("tab", { name: /Findings/ }).click();
      const rows = page.locator('[data-testid="findings-table"] tbody tr:not([aria-hidden])');
      await expect(rows.locator("td:nth-child(1)")).toHaveText(["6"]);
      await expect(rows.locator("td:nth-child(3)")).toHaveText("Wrong port");
      await expect(rows.locator("td:nth-child(4)")).toHaveText(
        "Only TCP 8443 — the checked port 443 is not allowed. Allow the port checked, or change the port if the webhooks use another.",
      );
      await expect(rows.locator("td:nth-child(3) span span")).toHaveClass(/bg-red-100/);
      // The explanation is not clipped: the findings table fits its scroll box, no sideways scrolling needed.
      const fits = await page
        .getByTestId("findings-table")
        .evaluate((t) => t.parentElement!.scrollWidth <= t.parentElement!.clientWidth);
      expect(fits).toBe(true);
      for (const n of [3, 4]) {
        await expect(page.locator(`[data-testid="highlighted-text"] [data-line="${n}"]`)).toHaveAttribute(
          "data-mark",
          "unrelated",
        );
        await expect(page.locator(`[data-testid="highlighted-text"] [data-line="${n}"] span.rounded`)).toHaveCount(0);
      }
      await expect(page.locator('[data-testid="highlighted-text"] [data-line="6"]')).toContainText("Wrong port");

      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({
        path: `e2e/screenshots/answer-${size.name}-${dark ? "dark" : "light"}.png`,
        fullPage: true,
      });
    });

    test(`${label}: prose is "Nothing recognised", with the first unreadable lines, not everything missing`, async ({
      page,
    }) => {
      await page.setViewportSize({ width: size.width, height: size.height });
      await page.goto("/compare?regions=eu");
      await theme(page, dark);
      await paste(page, "Hi team,\nplease allow the Freshworks IPs on the firewall.\nThanks\n");
      await expect(page.getByTestId("unusable-message")).toHaveText(
        "Nothing recognised — is this the right format? No address or rule was found. Read as Plain list (detected).",
      );
      await expect(page.getByTestId("unusable")).toBeInViewport();
      await expect(page.getByTestId("unusable-lines").locator("li")).toHaveText([
        'Line 1: Hi team, — Not an address: "Hi" — not an IP address (column 1).',
        'Line 2: please allow the Freshworks IPs on the firewall. — Not an address: "please" — not an IP address (column 1).',
        'Line 3: Thanks — Not an address: "Thanks" — not an IP address (column 1).',
      ]);
      await expect(page.getByTestId("verdict")).toHaveCount(0);
      await expect(page.getByTestId("results")).toHaveCount(0);
      await page.screenshot({
        path: `e2e/screenshots/unusable-${size.name}-${dark ? "dark" : "light"}.png`,
        fullPage: true,
      });
    });
  }
}

test("a plain list: the lines to add are a plain list; with aggregation on the export panel says N entries as M CIDRs", async ({
  page,
  context,
}) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.goto("/compare?regions=eu");
  await paste(page, "18.184.146.22\n3.71.140.232\n");
  await expect(page.getByTestId("quick-copy")).toHaveAttribute("data-format", "plain");
  await page.getByTestId("copy-lines-to-add").click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(
    copied
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => l.split(" ")[0]),
  ).toEqual([
    "3.74.148.8/32",
    "3.74.148.9/32",
    "3.74.148.10/32",
    "3.74.148.11/32",
    "18.194.170.216/32",
    "18.197.127.133/32",
    "52.29.254.13/32",
    "52.57.253.205/32",
  ]);
  const panel = page.getByTestId("export-panel");
  await expect(panel.getByLabel("Format")).toHaveValue("plain");
  await panel.getByLabel("Aggregate to the fewest CIDRs").check();
  // 3.74.148.8–11 are one /30.
  await expect(page.getByTestId("export-summary")).toHaveText("8 published entries as 5 CIDRs (aggregated) · 1 file");
  await panel.getByLabel("Aggregate to the fewest CIDRs").uncheck();
  await expect(page.getByTestId("export-summary")).toHaveText("8 published entries · 1 file");
});
