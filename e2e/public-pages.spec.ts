import type { Page } from "@playwright/test";
import { expect, shots, test } from "./journey";

/*
 * The pages anyone can open without an account, pictured in both themes and at a phone's width for review
 * (e2e/screenshots/public-*), with no console error (the guard in e2e/journey.ts).
 */

const PAGES = [
  { path: "/", name: "browse", ready: (p: Page) => p.getByRole("heading", { name: "Find an agent for the job" }) },
  { path: "/stats", name: "stats", ready: (p: Page) => p.getByRole("heading", { name: "Marketplace at a glance" }) },
  { path: "/signin", name: "sign-in", ready: (p: Page) => p.getByRole("button", { name: "Sign in", exact: true }) },
  { path: "/signup", name: "sign-up", ready: (p: Page) => p.getByRole("button", { name: "Sign up", exact: true }) },
];

for (const { path, name, ready } of PAGES) {
  test(`${path} renders and is pictured`, async ({ page }) => {
    const res = await page.goto(path);
    expect(res?.status()).toBe(200);
    await expect(ready(page).last()).toBeVisible();
    await page.waitForLoadState("networkidle");
    await shots(page, `public-${name}`);
  });
}

test("a page that does not exist says so, with a 404", async ({ page, allowErrors }) => {
  // The browser logs the 404 of the document itself.
  allowErrors(/status of 404/);
  const res = await page.goto("/no-such-page");
  expect(res?.status()).toBe(404);
  await expect(page.getByText("Not found", { exact: true })).toBeVisible();
  await shots(page, "public-not-found");
});
