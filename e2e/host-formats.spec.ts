import { expect, test, type Page } from "@playwright/test";

const input = (page: Page) => page.getByTestId("compare-input");

const VERDICT_4_MISSING =
  "4 of 14 published NAT IPs for US are missing on TCP 443: webhooks from them will be blocked.";

test.describe("host and SMB firewall formats in the browser", () => {
  test("a 6,000-row ufw status goes through the worker: detected, exact verdict", async ({ page }) => {
    await page.goto("/compare?regions=us");
    await expect(page.getByTestId("empty-state")).toContainText("Nothing to check yet");
    const us = [
      "52.1.37.96",
      "52.1.32.88",
      "18.208.240.77",
      "52.201.75.8",
      "34.231.139.135",
      "34.231.245.167",
      "44.206.73.232",
      "44.206.73.233",
      "44.206.73.234",
      "44.206.73.235",
    ];
    const rows = [
      "Status: active",
      "Logging: on (low)",
      "Default: deny (incoming), allow (outgoing), disabled (routed)",
      "",
      "To                         Action      From",
      "--                         ------      ----",
    ];
    for (let i = 0; i < 6000; i++)
      rows.push(
        `443/tcp                    ALLOW IN    ${i < 10 ? us[i] : `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`}`,
      );
    // Over the worker threshold (5,000 lines): parsed and diffed in the Web Worker.
    await page
      .locator("#compare-input-file")
      .setInputFiles({ name: "ufw-status.txt", mimeType: "text/plain", buffer: Buffer.from(rows.join("\n") + "\n") });
    await expect(page.getByTestId("detected-format")).toHaveText(
      "Detected: ufw (status, user.rules, commands) (auto)",
      { timeout: 60_000 },
    );
    await expect(page.getByTestId("verdict")).toHaveText(VERDICT_4_MISSING, { timeout: 60_000 });
  });

  test("a Kubernetes NetworkPolicy (yaml in the browser bundle)", async ({ page }) => {
    await page.goto("/compare?regions=us");
    const cidrs = [
      "52.1.37.96/32",
      "52.1.32.88/32",
      "18.208.240.77/32",
      "52.201.75.8/32",
      "34.231.139.135/32",
      "34.231.245.167/32",
      "44.206.73.232/30",
    ];
    await input(page).fill(
      `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: freshworks\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n  ingress:\n    - from:\n${cidrs.map((c) => `        - ipBlock:\n            cidr: ${c}\n`).join("")}      ports:\n        - port: 443\n`,
    );
    await expect(page.getByTestId("detected-format")).toHaveText("Detected: Kubernetes NetworkPolicy (YAML) (auto)");
    await expect(page.getByTestId("verdict")).toHaveText(VERDICT_4_MISSING);
  });

  test("a pfSense config.xml (fast-xml-parser in the browser bundle)", async ({ page }) => {
    await page.goto("/compare?regions=us");
    await input(page).fill(`<?xml version="1.0"?>
<pfsense>
  <aliases>
    <alias><name>FW</name><type>network</type><address>52.1.37.96 52.1.32.88 18.208.240.77 52.201.75.8 34.231.139.135 34.231.245.167 44.206.73.232/30</address></alias>
  </aliases>
  <filter>
    <rule><type>pass</type><interface>wan</interface><protocol>tcp</protocol><source><address>FW</address></source><destination><any></any><port>443</port></destination></rule>
  </filter>
</pfsense>
`);
    await expect(page.getByTestId("detected-format")).toHaveText("Detected: pfSense / OPNsense (config.xml) (auto)");
    await expect(page.getByTestId("verdict")).toHaveText(VERDICT_4_MISSING);
  });
});
