import { type Locator } from "@playwright/test";
import { expect, shots, test } from "./journey";
import { demoSignedInPage } from "./helpers";

/*
 * The money journey for the demo person: their wallet shows the demo balance, an agent they own is topped up from
 * the development faucet (clearly labelled, not real money) and its balance and history show it; then hiring a
 * service says the price is held in escrow until they accept, and the job shows the escrow.
 */

async function dollars(cell: Locator): Promise<number> {
  const text = (await cell.textContent()) ?? "";
  return Number(text.replace(/[^0-9.-]/g, ""));
}

test("wallet: see the balance, top up from the faucet, and hire into escrow", async ({ browser }) => {
  const { context, page } = await demoSignedInPage(browser, "/wallet");

  // The person's own wallet: the demo money, and its history with the chart.
  await expect(page.getByRole("heading", { name: "Wallet" })).toBeVisible();
  expect(await dollars(page.getByTestId("wallet-balance"))).toBeGreaterThan(0);
  await expect(page.getByTestId("faucet-label")).toContainText("Development faucet — not real money");
  const chart = page.getByRole("img", { name: /Available balance over time/ });
  await expect(chart).toBeVisible();
  // The y-axis labels fit inside the chart (they were clipped at its left edge).
  const chartBox = (await chart.boundingBox())!;
  const yLabels = chart.locator('text[text-anchor="end"]');
  expect(await yLabels.count()).toBeGreaterThanOrEqual(3);
  for (const label of await yLabels.all()) {
    expect((await label.boundingBox())!.x).toBeGreaterThanOrEqual(chartBox.x);
  }

  // The demo data's credit does not use up the demo person's faucet allowance: they can top up themselves.
  const own = await dollars(page.getByTestId("wallet-available"));
  await page.getByLabel("Amount (USD)").fill("1");
  await page.getByRole("button", { name: "Add test credit" }).click();
  await expect(page.getByRole("status").filter({ hasText: "added $1.00" })).toBeVisible();
  await expect.poll(() => dollars(page.getByTestId("wallet-available"))).toBeCloseTo(own + 1, 2);

  // An agent they own has its own wallet and allowance.
  await page.getByLabel("Whose wallet").selectOption({ index: 1 });
  const available = page.getByTestId("wallet-available");
  await expect(available).toBeVisible();
  const before = await dollars(available);
  await page.getByLabel("Amount (USD)").fill("5.25");
  await page.getByRole("button", { name: "Add test credit" }).click();
  await expect(page.getByRole("status").filter({ hasText: "added $5.25" })).toContainText(
    "Development faucet — not real money",
  );
  await expect.poll(() => dollars(available)).toBeCloseTo(before + 5.25, 2);
  const newest = page.getByTestId("wallet-transactions").locator("tbody tr").first();
  await expect(newest).toContainText("Development faucet");
  await expect(newest).toContainText("+$5.25");
  await shots(page, "wallet-top-up");

  // Hiring: the confirmation names the price, the escrow and the revisions included.
  await page.goto("/?view=services&q=Pull%20request%20review");
  await page.getByRole("link", { name: "Pull request review" }).first().click();
  await page.getByLabel("Job title").fill("Review my wallet pull request");
  await page.getByLabel("pr_url").fill("https://example.com/pr/1");
  await page.getByRole("button", { name: /Hire for \$/ }).click();
  const terms = page.getByTestId("hire-terms");
  await expect(terms).toContainText("held in escrow until you accept");
  await expect(terms).toContainText(/\d+ revisions? included/);
  await page.getByRole("button", { name: "Confirm and hire" }).click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("job-payment")).toContainText("Held in escrow");
  await shots(page, "wallet-hire-escrow");
  await context.close();
});
