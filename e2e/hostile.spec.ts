import { expect, test, type Page } from "@playwright/test";
import { EXAMPLE_IPTABLES } from "../lib/compare/example";

// Issue 10: hostile and large input against the production server in Chromium.
test.describe.configure({ mode: "serial" });

/** CSP violations and console errors of a page, collected from the start. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  return problems;
}

test.describe("hostile input", () => {
  test("every screen works under the Content-Security-Policy, with no violation or console error", async ({ page }) => {
    const problems = watch(page);
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (e) =>
        console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`),
      );
    });
    const response = await page.goto("/compare?regions=us");
    const headers = response!.headers();
    expect(headers["content-security-policy"]).toMatch(
      /^default-src 'self'; script-src 'self' 'nonce-[A-Za-z0-9+/=]{24}'; /,
    );
    expect(headers["permissions-policy"]).toContain("camera=()");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("same-origin");
    expect(headers["x-frame-options"]).toBe("DENY");
    await page.getByRole("button", { name: "Load an iptables example" }).click();
    await expect(page.getByTestId("verdict")).toContainText("4 of 14 published NAT IPs for US are missing");
    // Then, over it, a paste large enough for the Web Worker (over 1 MB: the editor takes it from the clipboard event).
    await page.getByTestId("compare-input").selectText();
    await page.evaluate(`(() => {
      const data = new DataTransfer();
      data.setData("text/plain", Array.from({ length: 100000 }, (_, i) => "10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255)).join("\\n") + "\\n");
      document.querySelector('[data-testid="compare-input"]').dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
    })()`);
    await expect(page.getByTestId("run-status")).toHaveText(/^Checked 100,000 lines in /, { timeout: 30_000 });
    await expect(page.getByTestId("verdict")).toContainText("14 of 14 published NAT IPs for US are missing");
    for (const path of ["/", "/catalog", "/firewalls", "/exports", "/help"]) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    }
    expect(problems).toEqual([]);
  });

  test("a page on another origin cannot create a firewall, by fetch or by form", async ({ page, baseURL, request }) => {
    const count = async () =>
      ((await (await request.get("/api/v1/firewalls?limit=500")).json()) as { firewalls: unknown[] }).firewalls.length;
    const before = await count();
    // The attacker's page, served by the test at another origin; it posts to the app as a victim's browser would.
    await page.route("https://evil.example/**", (route) =>
      route.fulfill({
        contentType: "text/html",
        body: `<!doctype html><form id="f" method="post" action="${baseURL}/firewalls" enctype="text/plain"><input name='{"a":"' value='"}'></form>
<script>
fetch("${baseURL}/api/v1/firewalls", { method: "POST", mode: "no-cors", headers: { "content-type": "text/plain" },
  body: JSON.stringify({ name: "planted", text: "0.0.0.0/0\\n", regions: "us" }) }).then(() => { document.title = "sent"; }, () => { document.title = "sent"; });
</script>`,
      }),
    );
    await page.goto("https://evil.example/");
    await expect(page).toHaveTitle("sent");
    expect(await count()).toBe(before);
    // A cross-site form post to a page (where server actions live) is a 403 page, not a 500.
    const [response] = await Promise.all([
      page.waitForResponse(`${baseURL}/firewalls`),
      page.evaluate(() => (document.getElementById("f") as HTMLFormElement).submit()),
    ]);
    expect(response.status()).toBe(403);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("403 Forbidden");
  });

  test("a server action posted with a foreign Origin is a 403 page", async ({ request }) => {
    const r = await request.post("/firewalls", {
      headers: {
        Origin: "https://evil.example",
        "Next-Action": "0".repeat(42),
        "Content-Type": "text/plain;charset=UTF-8",
      },
      data: "[]",
    });
    expect(r.status()).toBe(403);
    expect(await r.text()).toContain("Requests from https://evil.example may not change anything here.");
  });

  test("the API's error shape: unknown path 404, 405 with Allow, TRACE 405", async ({ request }) => {
    const unknown = await request.get("/api/v1/nothing-here");
    expect([unknown.status(), await unknown.json()]).toEqual([
      404,
      {
        error: {
          status: 404,
          code: "not_found",
          message: "No such API path: /api/v1/nothing-here. See the README for the routes of /api/v1.",
        },
      },
    ]);
    const patch = await request.patch("/api/v1/firewalls");
    expect([patch.status(), patch.headers()["allow"]]).toEqual([405, "GET, POST, HEAD, OPTIONS"]);
    expect(((await patch.json()) as { error: { code: string } }).error.code).toBe("method_not_allowed");
    const trace = await request.fetch("/api/v1/firewalls", { method: "TRACE" });
    expect([trace.status(), await trace.json()]).toEqual([
      405,
      { error: { status: 405, code: "method_not_allowed", message: "TRACE is not allowed here." } },
    ]);
  });

  test("a firewall holding a 1 MB line: its page and its diff stay small", async ({ page, request }) => {
    const text = `${EXAMPLE_IPTABLES.split("\n")[0]}\n${"1.2.3.4 ".repeat(1 << 17)}\n`;
    const created = await request.post("/api/v1/firewalls", {
      data: { name: "one long line", text, regions: "us", format: "plain" },
    });
    expect(created.status()).toBe(201);
    const { id } = (await created.json()) as { id: number };
    const html = await (await request.get(`/firewalls/${id}`)).text();
    expect(html.length).toBeLessThan(1_000_000);
    const diff = await request.get(`/api/v1/firewalls/${id}/diff`);
    expect(diff.status()).toBe(200);
    expect((await diff.body()).length).toBeLessThan(21 * text.length);
    await page.goto(`/firewalls/${id}`);
    await expect(page.getByTestId("findings-table")).toContainText("… (");
  });

  test("/firewalls pages 100 at a time and searches by name", async ({ page, request }) => {
    for (let i = 0; i < 101; i++) {
      const r = await request.post("/api/v1/firewalls", {
        data: { name: `zz-bulk-${String(i).padStart(3, "0")}`, text: "52.1.37.96\n", regions: "us" },
      });
      expect(r.status()).toBe(201);
    }
    await page.goto("/firewalls");
    await expect(page.locator('[data-testid="firewall-table"] tbody tr')).toHaveCount(100);
    await page.getByTestId("next-page").click();
    await expect(page.locator('[data-testid="firewall-table"] tbody tr').first()).toContainText("zz-bulk-");
    await page.getByLabel("Search by name").fill("BULK-10");
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page).toHaveURL(/\/firewalls\?q=BULK-10$/);
    await expect(page.locator('[data-testid="firewall-table"] tbody tr')).toHaveCount(1);
    await expect(page.getByTestId("firewall-summary")).toHaveText("1 firewall matching “BULK-10” · 1 needs attention");
  });
});
