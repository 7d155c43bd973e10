import { expect, test, type Page } from "@playwright/test";
import { PASSWORD, STATE, USERS } from "./accounts";

const ANONYMOUS = { cookies: [], origins: [] };
const UNAUTHORIZED = {
  error: {
    status: 401,
    code: "unauthorized",
    message: "Sign in, or send Authorization: Bearer <token> (create a token on /account).",
  },
};

async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

test.describe("anonymous", () => {
  test.use({ storageState: ANONYMOUS });

  test("every page leads to sign-in and back; the API answers 401 in the error shape; health and feeds stay open", async ({
    page,
    request,
  }) => {
    for (const path of [
      "/",
      "/catalog",
      "/compare",
      "/firewalls",
      "/feeds",
      "/exports",
      "/notifications",
      "/help",
      "/help/api",
      "/catalog/import",
      "/account",
      "/users",
      "/audit",
    ]) {
      await page.goto(path);
      await expect(page, path).toHaveURL(`/sign-in?next=${encodeURIComponent(path)}`);
    }
    await signIn(page, USERS.viewer);
    await expect(page).toHaveURL("/audit");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Not allowed");

    const api = await request.get("/api/v1/firewalls");
    expect([api.status(), await api.json()]).toEqual([401, UNAUTHORIZED]);
    const health = await request.get("/api/v1/health");
    expect([health.status(), await health.json()]).toEqual([200, { status: "ok" }]);
    expect((await request.get("/feeds/alf_not-a-token")).status()).toBe(401);
  });

  test("a wrong password says so; five failures lock the account for 15 minutes, even with the right password", async ({
    page,
    browser,
  }) => {
    // Its own account, so the lock touches no other test.
    const admin = await browser.newContext({ storageState: STATE.admin });
    const adminPage = await admin.newPage();
    await adminPage.goto("/users");
    const form = adminPage.getByRole("form", { name: "Add a user" });
    await form.getByLabel("E-mail").fill("locked@e2e.test");
    await form.getByLabel("First password").fill(PASSWORD);
    await form.getByRole("button", { name: "Add user" }).click();
    await expect(form.getByRole("status")).toHaveText("locked@e2e.test can now sign in as viewer.");

    await page.goto("/sign-in");
    const alert = page.getByRole("form", { name: "Sign in" }).getByRole("alert");
    const attempt = async (password: string) => {
      const answered = page.waitForResponse((r) => r.url().endsWith("/api/auth/sign-in/email"));
      await signIn(page, "locked@e2e.test", password);
      return (await answered).status();
    };
    for (let i = 0; i < 5; i++) {
      expect(await attempt("not the password at all")).toBe(401);
      await expect(alert).toHaveText("Wrong e-mail or password.");
    }
    expect(await attempt(PASSWORD)).toBe(429);
    await expect(alert).toHaveText("Too many sign-in attempts: wait a few minutes and try again.");

    await adminPage.goto("/audit?action=signin.failed&actor=");
    await expect(adminPage.locator("tbody tr").filter({ hasText: "user:locked@e2e.test" })).toHaveCount(6);
    await admin.close();
  });
});

test.describe("viewer", () => {
  test.use({ storageState: STATE.viewer });

  test("reads, compares and exports; editing, importing, users and the audit log are 403 on the page and the API", async ({
    page,
  }) => {
    await page.goto("/firewalls");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Firewalls");
    await page.goto("/compare");
    await expect(page).toHaveURL("/compare");
    for (const path of ["/catalog/import", "/users", "/audit"]) {
      const r = await page.goto(path);
      // Under a loading.tsx boundary (/catalog) the status is sent before the page runs: the refusal is its content.
      expect(r?.status(), path).toBe(403);
      await expect(page.getByRole("heading", { level: 1 }), path).toHaveText("Not allowed");
    }
    const write = await page.request.post("/api/v1/firewalls", {
      data: { name: "viewer-fw", text: "52.1.37.96", regions: ["US"] },
    });
    expect([write.status(), await write.json()]).toEqual([
      403,
      { error: { status: 403, code: "forbidden", message: "Your role (viewer) does not allow firewall:write." } },
    ]);
    expect((await page.request.get("/api/v1/export?format=plain&regions=us")).status()).toBe(200);
    expect((await page.request.get("/audit/csv")).status()).toBe(403);
  });
});

test.describe("editor", () => {
  test.use({ storageState: STATE.editor });

  test("saves firewalls (the edit page opens); catalog import, users and audit stay an admin's", async ({ page }) => {
    const created = await page.request.post("/api/v1/firewalls", {
      data: { name: "editor-fw", text: "52.1.37.96", regions: ["US"] },
    });
    expect(created.status()).toBe(201);
    const { id } = (await created.json()) as { id: number };
    const edit = await page.goto(`/firewalls/${id}/edit`);
    expect(edit?.status()).toBe(200);
    for (const path of ["/catalog/import", "/users", "/audit"]) {
      const r = await page.goto(path);
      expect(r?.status(), path).toBe(403);
      await expect(page.getByRole("heading", { level: 1 }), path).toHaveText("Not allowed");
    }
    const imp = await page.request.post("/api/v1/catalog/import", { data: { text: "x" } });
    expect(imp.status()).toBe(403);
    expect((await page.request.delete(`/api/v1/firewalls/${id}`)).status()).toBe(204);
  });

  test("a viewer opening the editor's firewall edit page is refused", async ({ browser, page }) => {
    const created = await page.request.post("/api/v1/firewalls", {
      data: { name: "editor-fw-2", text: "52.1.37.96", regions: ["US"] },
    });
    const { id } = (await created.json()) as { id: number };
    const viewer = await browser.newContext({ storageState: STATE.viewer });
    const vp = await viewer.newPage();
    expect((await vp.goto(`/firewalls/${id}/edit`))?.status()).toBe(403);
    await expect(vp.getByRole("heading", { level: 1 })).toHaveText("Not allowed");
    await expect(vp.getByRole("textbox")).toHaveCount(0);
    expect((await vp.goto(`/firewalls/${id}`))?.status()).toBe(200);
    await viewer.close();
    expect((await page.request.delete(`/api/v1/firewalls/${id}`)).status()).toBe(204);
  });
});

test.describe("tokens", () => {
  test.use({ storageState: STATE.editor });

  test("a token is shown once, works as Bearer with its role, records its use, and stops at revocation", async ({
    page,
    playwright,
  }) => {
    await page.goto("/account");
    await expect(page.getByRole("combobox", { name: "Role" }).locator("option")).toHaveText(["viewer", "editor"]);
    const form = page.getByRole("form", { name: "Create an API token" });
    await form.getByLabel("Name").fill("e2e-ci");
    await form.getByLabel("Role").selectOption("viewer");
    await form.getByLabel("Expires after (days, empty: never)").fill("30");
    await form.getByRole("button", { name: "Create token" }).click();
    const token = (await page.getByTestId("new-token").textContent()) ?? "";
    expect(token).toMatch(/^alt_[A-Za-z0-9_-]{43}$/);

    const api = await playwright.request.newContext({
      baseURL: page.url().replace(/\/account$/, ""),
      extraHTTPHeaders: { authorization: `Bearer ${token}` },
    });
    expect((await api.get("/api/v1/firewalls")).status()).toBe(200);
    const write = await api.post("/api/v1/firewalls", {
      data: { name: "token-fw", text: "52.1.37.96", regions: ["US"] },
    });
    expect(write.status()).toBe(403); // a viewer token of an editor

    await page.reload();
    await expect(page.getByTestId("new-token")).toHaveCount(0); // shown once
    const row = page.locator("tbody tr").filter({ hasText: "e2e-ci" });
    await expect(row).toContainText(/from 127\.0\.0\.1/);
    await row.getByRole("button", { name: "Revoke token e2e-ci" }).click();
    await expect(row).toContainText("revoked");
    const after = await api.get("/api/v1/firewalls");
    expect([after.status(), await after.json()]).toEqual([
      401,
      { error: { status: 401, code: "unauthorized", message: "This API token was revoked." } },
    ]);
    await api.dispose();
  });
});

test.describe("sessions", () => {
  test.use({ storageState: ANONYMOUS });

  test("password change, sign-out, and sign-out everywhere end the sessions they should", async ({ browser, page }) => {
    await page.goto("/sign-in?next=/account");
    await signIn(page, USERS.mover);
    await expect(page).toHaveURL("/account");
    const other = await browser.newContext({ storageState: ANONYMOUS });
    const op = await other.newPage();
    await op.goto("/sign-in?next=/account");
    await signIn(op, USERS.mover);
    await expect(op).toHaveURL("/account");

    // Changing the password signs out the other session.
    const NEW = "a new e2e password 987654";
    await page.getByLabel("Current password").fill(PASSWORD);
    await page.getByLabel("New password (at least 12 characters)").fill(NEW);
    await page.getByLabel("New password again").fill(NEW);
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(page.getByRole("status")).toHaveText("Password changed. Your other sessions were signed out.");
    await op.goto("/account");
    await expect(op).toHaveURL("/sign-in?next=%2Faccount");

    // Sign in again elsewhere with the new password, then "sign out everywhere" from here ends both.
    await signIn(op, USERS.mover, NEW);
    await expect(op).toHaveURL("/account");
    await page.getByRole("button", { name: "Sign out everywhere" }).click();
    await expect(page).toHaveURL("/sign-in");
    await op.goto("/firewalls");
    await expect(op).toHaveURL("/sign-in?next=%2Ffirewalls");
    await other.close();

    // The cookie: httpOnly, SameSite=Lax.
    await signIn(page, USERS.mover, NEW);
    await expect(page).toHaveURL("/");
    const cookie = (await page.context().cookies()).find((c) => c.name === "allowlist.session_token");
    expect([cookie?.httpOnly, cookie?.sameSite]).toEqual([true, "Lax"]);
    await page.goto("/account");
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await expect(page).toHaveURL("/sign-in");
  });
});

test.describe("admin", () => {
  test("the audit log shows sign-ins and changes with who, where and what, filters, and downloads as CSV", async ({
    page,
  }) => {
    const created = await page.request.post("/api/v1/firewalls", {
      data: { name: "=audited", text: "52.1.37.96", regions: ["US"] },
    });
    const { id } = (await created.json()) as { id: number };
    await page.goto("/audit");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Audit log");
    await page.getByLabel("Action").selectOption("firewall.create");
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(page).toHaveURL(/action=firewall\.create/);
    const row = page.locator("tbody tr").filter({ hasText: `firewall:${id}` });
    await expect(row).toContainText(`user:${USERS.admin}`);
    await expect(row).toContainText("127.0.0.1");
    await expect(row).toContainText('"name":{"after":"=audited"}');
    await page.getByLabel("Action").selectOption("signin.success");
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(page.locator("tbody tr").first()).toContainText("signin.success");

    const download = page.waitForEvent("download");
    await page.getByLabel("Action").selectOption("firewall.create");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.getByRole("link", { name: "Download CSV" }).click();
    const csv = await (await (await download).createReadStream()).toArray();
    const text = Buffer.concat(csv as Buffer[]).toString("utf8");
    const lines = text.trim().split("\r\n");
    expect(lines[0]).toBe("id,at,action,actor,ip,target,details");
    const mine = lines.find((l) => l.includes(`firewall:${id}`)) ?? "";
    expect(mine).toContain(`,firewall.create,user:${USERS.admin},127.0.0.1,firewall:${id},`);
    expect(mine).toContain('""after"":""=audited""'); // a JSON cell, quoted; the name's = is inside it, not at a cell start
    expect((await page.request.delete(`/api/v1/firewalls/${id}`)).status()).toBe(204);
  });
});
