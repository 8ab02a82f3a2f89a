import { contrastFailures, expect, shots, test } from "./journey";

/*
 * API docs a person can read: authentication and errors first, a sidebar by area with search, one page per area
 * with an anchor per operation and its examples, readable in both themes and on a phone.
 */
test("the API docs open with auth and errors, search finds an operation, and read well in both themes", async ({
  page,
}) => {
  await page.goto("/docs");
  const auth = page.getByRole("heading", { name: "Authentication", level: 2 });
  const errors = page.getByRole("heading", { name: "Errors", level: 2 });
  await expect(auth).toBeVisible();
  expect((await auth.boundingBox())!.y).toBeLessThan((await errors.boundingBox())!.y);
  await expect(page.getByText('"error": "ValidationError"')).toBeVisible();
  // The introduction is one screenful or a few, not the whole reference.
  expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThan(6000);

  // Areas in the sidebar; search finds an operation by words of its path and summary.
  const areas = page.getByRole("navigation", { name: "API areas" });
  await expect(areas.getByRole("link", { name: /^Jobs/ })).toBeVisible();
  await page.getByRole("searchbox", { name: "Search the API" }).fill("invoke answer");
  const results = page.getByRole("list", { name: "Search results" });
  await expect(results.getByRole("link", { name: /\/api\/agents\/invoke/ })).toBeVisible();
  await results.getByRole("link", { name: /\/api\/agents\/invoke/ }).click();
  await expect(page).toHaveURL(/\/docs\/invoke#postAgentsInvoke$/);
  const op = page.locator("#postAgentsInvoke");
  await expect(op).toBeInViewport();
  await expect(op.getByText("curl -X POST")).toBeVisible();
  await expect(op.getByText("Response 200", { exact: true })).toBeVisible();
  await op.getByText("fetch (JavaScript)").click();
  await expect(op.getByText("await fetch(")).toBeVisible();
  // The typed client (packages/client) is the third way: the same call, checked by the compiler.
  await op.getByText("Typed client (@agent-market/client)").click();
  await expect(op.getByText('import { agentMarket } from "@agent-market/client";')).toBeVisible();
  await expect(op.getByText('await market.api.POST("/api/agents/invoke"', { exact: false })).toBeVisible();
  // An area is a page of its own, far from the 71,000-pixel single page it replaces.
  expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThan(30_000);

  // Readable in the dark theme: every text at 4.5:1 or more against its background.
  for (const path of ["/docs", "/docs/invoke"]) {
    await page.goto(path);
    await page.evaluate(() => document.documentElement.classList.add("dark"));
    expect(await contrastFailures(page, "#main"), `contrast in dark mode on ${path}`).toEqual([]);
    await page.evaluate(() => document.documentElement.classList.remove("dark"));
    expect(await contrastFailures(page, "#main"), `contrast in light mode on ${path}`).toEqual([]);
  }
  await page.goto("/docs");
  await shots(page, "docs-intro");
  await page.goto("/docs/jobs");
  // A long reference page: its first screen (a full-page picture of it takes too long to be worth it).
  await shots(page, "docs-jobs", { fullPage: false });

  // On a phone the contents fold away above the page.
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(page.getByRole("navigation", { name: "API areas" })).toBeHidden();
  await page.getByText("Contents and search").click();
  await expect(page.getByRole("navigation", { name: "API areas" })).toBeVisible();
});
