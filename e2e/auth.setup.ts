import { expect, test as setup, type Browser, type Page } from "@playwright/test";
import { PASSWORD, STATE, USERS } from "./accounts";

async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

async function saveSignedIn(browser: Browser, email: string, path: string) {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto("/sign-in");
  await signIn(page, email);
  await expect(page.getByRole("link", { name: new RegExp(email.replace(".", "\\.")) })).toBeVisible();
  await context.storageState({ path });
  await context.close();
}

setup("first run: the setup screen makes the first admin, who adds the others", async ({ page, browser }) => {
  // No user yet: every page leads to the one-time setup screen.
  await page.goto("/firewalls");
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Create the first admin");
  await page.getByLabel("E-mail").fill(USERS.admin);
  await page.getByLabel("Password (at least 12 characters)").fill(PASSWORD);
  await page.getByLabel("Password again").fill(PASSWORD);
  await page.getByRole("button", { name: "Create admin" }).click();
  await expect(page).toHaveURL(/\/sign-in\?setup=1$/);
  await expect(page.getByText("The admin account is ready: sign in with it.")).toBeVisible();
  await signIn(page, USERS.admin);
  await expect(page.getByRole("link", { name: `${USERS.admin} (admin)` })).toBeVisible();
  await page.context().storageState({ path: STATE.admin });

  // The setup screen is gone for good.
  await page.goto("/setup");
  await expect(page).not.toHaveURL(/\/setup/);

  await page.goto("/users");
  for (const [role, email] of [
    ["editor", USERS.editor],
    ["viewer", USERS.viewer],
    ["viewer", USERS.mover],
  ] as const) {
    const form = page.getByRole("form", { name: "Add a user" });
    await form.getByLabel("E-mail").fill(email);
    await form.getByLabel("Role").selectOption(role);
    await form.getByLabel("First password").fill(PASSWORD);
    await form.getByRole("button", { name: "Add user" }).click();
    await expect(form.getByRole("status")).toHaveText(`${email} can now sign in as ${role}.`);
  }
  await saveSignedIn(browser, USERS.editor, STATE.editor);
  await saveSignedIn(browser, USERS.viewer, STATE.viewer);
});
