import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";

// A saved firewall with two revisions, so its detail and history screens have something to show; removed afterwards
// (the firewalls spec starts from an empty list).
let firewallId = 0;
test.beforeAll(async ({ request }) => {
  const text = "-A INPUT -s 52.1.37.96/32 -p tcp --dport 443 -j ACCEPT\n-A INPUT -s 3.74.148.8/30 -j DROP\n";
  const created = await request.post("/api/v1/firewalls", {
    data: { name: "a11y-edge", description: "axe check", text, regions: ["US", "EU"] },
  });
  expect(created.status()).toBe(201);
  firewallId = ((await created.json()) as { id: number }).id;
  const saved = await request.put(`/api/v1/firewalls/${firewallId}`, {
    data: {
      baseRevision: 1,
      text: `${text}-A INPUT -s 52.1.32.88/32 -p tcp --dport 443 -j ACCEPT\n`,
      regions: ["US", "EU"],
      note: "one more",
    },
  });
  expect(saved.status()).toBe(200);
});
test.afterAll(async ({ request }) => {
  expect((await request.delete(`/api/v1/firewalls/${firewallId}`)).status()).toBe(204);
});

// Every main screen, in both themes, checked by axe-core against WCAG 2.1 A and AA (contrast included).
const SCREENS: readonly { name: string; path: string; ready: (page: Page) => Promise<void> }[] = [
  { name: "catalog", path: "/catalog", ready: (p) => expect(p.getByTestId("catalog-table")).toBeVisible() },
  {
    name: "compare with results",
    path: "/compare?regions=us,eu",
    ready: async (p) => {
      await p.getByRole("button", { name: "Load an iptables example" }).click();
      await expect(p.getByTestId("verdict")).toBeVisible();
    },
  },
  {
    name: "firewalls",
    path: "/firewalls",
    ready: (p) => expect(p.getByRole("link", { name: "a11y-edge" })).toBeVisible(),
  },
  {
    name: "firewall detail",
    path: "/firewalls/ID",
    ready: (p) => expect(p.getByRole("heading", { level: 1 })).toContainText("a11y-edge"),
  },
  {
    name: "firewall edit",
    path: "/firewalls/ID/edit",
    ready: (p) => expect(p.getByLabel("Name", { exact: true })).toHaveValue("a11y-edge"),
  },
  {
    name: "firewall history",
    path: "/firewalls/ID/history",
    ready: (p) => expect(p.getByText("Line diff against revision 1")).toBeVisible(),
  },
  {
    name: "exports",
    path: "/exports",
    ready: (p) => expect(p.getByRole("heading", { level: 1 })).toHaveText("Exports"),
  },
  { name: "help", path: "/help", ready: (p) => expect(p.getByRole("heading", { level: 1 })).toBeVisible() },
];

for (const scheme of ["light", "dark"] as const) {
  for (const screen of SCREENS) {
    test(`${screen.name} (${scheme}) has no WCAG A/AA violations`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(screen.path.replace("ID", String(firewallId)));
      await screen.ready(page);
      const { violations } = await new AxeBuilder({ page })
        .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
        .analyze();
      const summary = violations.map(
        (v) =>
          `${v.id} (${v.impact}): ${v.help} — ${v.nodes
            .slice(0, 3)
            .map((n) => n.target.join(" "))
            .join(" | ")}`,
      );
      expect(summary).toEqual([]);
    });
  }
}
