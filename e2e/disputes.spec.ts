import { type Browser, type Page } from "@playwright/test";
import { expect, expectNoNativeValidation, shots, test } from "./journey";
import { demoSignedInPage, newSignedInPage } from "./helpers";

/*
 * A dispute from both sides and the admin's: a new person tops up from the faucet and hires the demo person's
 * Scribe; the demo person (Scribe's owner, the worker) starts and delivers; the client opens a dispute with a
 * reason and a confirmation; the admin (OPERATOR_EMAILS, see playwright.config.ts) splits the escrow from
 * /admin/disputes, which anyone else gets as a 404; the job then shows the outcome. Screenshots light and dark.
 */

const ADMIN = { name: "E2E Admin", email: "e2e-admin@example.com", password: "pw-e2e-admin-secret" };

/** Signs the admin in (signing up first on a fresh database); the page lands on /admin/disputes. */
async function adminPage(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto("/signin?callbackUrl=%2Fadmin%2Fdisputes");
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  const signedIn = await page
    .waitForURL((url) => url.pathname === "/admin/disputes", { timeout: 5_000 })
    .then(() => true)
    .catch(() => false);
  if (!signedIn) {
    await page.goto("/signup?callbackUrl=%2Fadmin%2Fdisputes");
    await page.getByLabel("Name").fill(ADMIN.name);
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign up" }).click();
    await page.waitForURL((url) => url.pathname === "/admin/disputes");
  }
  return page;
}

async function both(page: Page, name: string) {
  await shots(page, name);
}

test("disputes: the client opens one on a delivered job, the admin splits the escrow", async ({
  browser,
  allowErrors,
}) => {
  // The admin first tries to sign in, which is refused on a fresh database (then signs up): see adminPage.
  allowErrors(/status of 401 .*\/api\/auth\/callback\/credentials/);
  // The client's visit to the admin page, which answers 404 (asserted below).
  allowErrors(/status of 404 .*\/admin\/disputes/);
  // The client: demo money from the faucet, then a hire of Scribe's README service ($25).
  const client = await newSignedInPage(browser, "Disputer");
  const page = client.page;
  await page.goto("/wallet");
  await page.getByLabel("Amount (USD)").fill("30");
  await page.getByRole("button", { name: "Add test credit" }).click();
  await expect(page.getByRole("status").filter({ hasText: "added $30.00" })).toBeVisible();
  await page.goto("/?view=services&q=README%20from%20a%20repository");
  await page.getByRole("link", { name: "README from a repository" }).first().click();
  const title = `Disputed README ${Date.now().toString(36)}`;
  await page.getByLabel("Job title").fill(title);
  await page.getByLabel("repo_url").fill("https://example.com/disputed");
  await page.getByRole("button", { name: /Hire for \$/ }).click();
  await page.getByRole("button", { name: "Confirm and hire" }).click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  const jobPath = new URL(page.url()).pathname;
  // Nothing to dispute before a delivery.
  await expect(page.getByRole("button", { name: "Open dispute" })).toHaveCount(0);

  // The worker's side: the demo person owns Scribe, starts and delivers.
  const worker = await demoSignedInPage(browser, jobPath);
  await worker.page.getByRole("button", { name: "Start work" }).click();
  await worker.page.getByRole("button", { name: "Deliver" }).click();
  await worker.page.getByLabel("Deliverable").fill("# README\n\nA very short README.");
  await worker.page.getByRole("button", { name: "Submit delivery" }).click();
  await expect(worker.page.getByTestId("job-status")).toContainText("delivered");
  await worker.context.close();

  // The client disputes it: a reason, then a confirmation that says the money stays in escrow.
  await page.reload();
  await page.getByRole("button", { name: "Open dispute" }).click();
  // An empty reason is said in plain words next to the field (no browser pop-up), and goes once it is given.
  await expectNoNativeValidation(page);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.locator('[data-field-error="dispute-reason"]')).toHaveText("Reason is required");
  await expect(page.getByRole("status").filter({ hasText: "stays in escrow" })).toHaveCount(0);
  await page.getByLabel("Why do you dispute this delivery?").fill("The README is three lines long.");
  await expect(page.locator('[data-field-error="dispute-reason"]')).toHaveCount(0);
  await expect(page.getByTestId("dispute-reason-count")).toHaveText("31 / 5,000");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("status").filter({ hasText: "stays in escrow" })).toContainText("$25.00");
  await page.getByRole("button", { name: "Yes, open the dispute" }).click();
  await expect(page.getByTestId("dispute-status")).toContainText("open");
  await expect(page.getByText("Opened by the client (you)")).toBeVisible();
  await both(page, "dispute-job-open");

  // Not an admin: the admin page does not exist for them.
  expect((await page.goto("/admin/disputes"))?.status()).toBe(404);
  await expect(page.getByText("Not found", { exact: true })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Open disputes" })).toHaveCount(0);
  await expect(page.getByTestId("admin-disputes-link")).toHaveCount(0);

  // The admin: the dispute is listed; a split of $10 back to the client, confirmed.
  const admin = await adminPage(browser);
  // The header's account menu links an admin to this page.
  await expect(admin.getByTestId("admin-disputes-link")).toHaveAttribute("href", "/admin/disputes");
  const card = admin.getByTestId("dispute-card").filter({ hasText: title });
  await expect(card).toContainText("The README is three lines long.");
  await both(admin, "dispute-admin-list");
  await card.getByRole("button", { name: "Split" }).click();
  await card.getByLabel("Back to the client (US dollars)").fill("10");
  await expect(card.getByRole("status")).toContainText("Return $10.00 to the client and pay $15.00 to the worker");
  await card.getByRole("button", { name: "Confirm split" }).click();
  await expect(admin.getByTestId("dispute-card").filter({ hasText: title })).toHaveCount(0);
  await admin.context().close();

  // The client sees the outcome on the job.
  await page.goto(jobPath);
  await expect(page.getByTestId("dispute-status")).toContainText("resolved");
  await expect(page.getByTestId("dispute-outcome")).toContainText("Client $10.00");
  await both(page, "dispute-job-resolved");
  await client.context.close();
});
