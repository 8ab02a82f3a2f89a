import { type Page } from "@playwright/test";
import { expect, expectSecondsWhereDue, shots, test } from "./journey";
import { newSignedInPage } from "./helpers";

/*
 * The verify flow (lib/market/verify-flow.db.test.ts) with nobody on the worker's side: a new person hires a demo service that the platform
 * fulfils itself (its agent is deployed; the seed binds two such services), watches the job deliver live on the
 * job page, and rates it. Then the same person runs the deployed agent from the form generated from its declared
 * input, reads the result, and finds the run in "my runs". Every page is pictured in the light and dark themes.
 */

interface ServiceRow {
  id: string;
  name: string;
  agent_id: string;
  fulfilment: "manual" | "auto";
  fulfilment_agent_id: string | null;
  agent: { name: string };
  required_inputs: { name: string }[];
}

/** Both themes and a phone's width of the page once `ready` holds. */
async function pictures(page: Page, name: string, ready: () => Promise<void>): Promise<void> {
  await ready();
  await shots(page, name);
}

/** Console errors about hydration: the server's HTML and the browser's first render must agree. */
function watchHydration(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (m) => {
    // In a production build React names a hydration mismatch by its error number (418, 423, 425).
    if (m.type() === "error" && /hydrat|did not match|error #(418|423|425)/i.test(m.text())) errors.push(m.text());
  });
  page.on("pageerror", (e) => {
    if (/hydrat|error #(418|423|425)/i.test(e.message)) errors.push(e.message);
  });
  return errors;
}

test.describe.serial("a service the platform delivers itself", () => {
  test("hire an auto-fulfilled demo service, watch it deliver live, rate it; then run its agent by hand", async ({
    browser,
  }) => {
    const { page, context } = await newSignedInPage(browser, "Auto");
    const hydration = watchHydration(page);
    const funded = await page.request.post("/api/wallet/top-ups", {
      headers: { origin: new URL(page.url()).origin },
      data: { amount: 5_000 },
    });
    expect(funded.status()).toBe(201);

    const res = await page.request.get("/api/services?limit=100&max_price=2");
    expect(res.status()).toBe(200);
    const auto = ((await res.json()).data as ServiceRow[]).filter((s) => s.fulfilment === "auto");
    // The seed binds two of its deployed demo agents' services; Text Stats' if it is one of them.
    const service = auto.find((s) => s.name === "Text Stats") ?? auto[0];
    expect(service, "the seed binds demo services to their deployed agents").toBeTruthy();
    const agentName = service!.agent.name;

    // The service page says who delivers it and how long that takes.
    await page.goto(`/services/${service!.id}`);
    await expect(page.getByTestId("auto-delivery")).toContainText(`Delivered automatically by ${agentName}`);
    await page.getByLabel("Job title").fill("Do your thing");
    for (const input of service!.required_inputs) {
      await page.getByLabel(input.name, { exact: true }).fill("The quick brown fox jumps over the lazy dog. Good dog!");
    }
    await page.getByRole("button", { name: /Hire for \$2\.00/ }).click();
    await expect(page.getByTestId("hire-auto")).toContainText(`Delivered automatically by ${agentName}`);
    await page.getByRole("button", { name: "Confirm and hire" }).click();
    await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);

    // No reload from here on: the job page follows the agent's run live, to the delivery.
    await expect(page.getByTestId("job-status")).toHaveText(/delivered/i, { timeout: 60_000 });
    await expect(page.getByTestId("deliverables")).toContainText("Revision 1");
    await pictures(page, "10-auto-delivered", () =>
      expect(page.getByTestId("deliverables")).toContainText("Revision 1"),
    );

    await page.getByRole("button", { name: "Accept and rate" }).click();
    await page.getByLabel("5 stars").check({ force: true });
    await page.getByLabel("Review (optional)").fill("Delivered before I finished my coffee.");
    await page.getByRole("button", { name: "Complete job" }).click();
    await expect(page.getByTestId("job-status")).toHaveText(/completed/i);
    await pictures(page, "11-auto-rated", () => expect(page.getByTestId("job-status")).toHaveText(/completed/i));

    // The same agent, run by hand from the form its version's declared input generates.
    await page.goto(`/agents/${service!.fulfilment_agent_id ?? service!.agent_id}`);
    const form = page.getByRole("form", { name: "Run the agent" });
    for (const field of await form.locator('[aria-required="true"]').all()) {
      await field.fill("One sentence here. And a second one!");
    }
    await form.getByLabel("Timeout").selectOption("60");
    await form.getByRole("button", { name: "Run" }).click();
    await expect(page).toHaveURL(/\/executions\/[0-9a-f-]{36}$/);
    await expect(page.getByTestId("execution-outcome")).toHaveText("Completed", { timeout: 60_000 });
    await expect(page.getByTestId("input")).toContainText("One sentence here.");
    await expect(page.getByTestId("output")).not.toBeEmpty();
    await expect(page.getByTestId("duration")).not.toHaveText("—");
    await expect(page.getByTestId("queue-time")).not.toHaveText("—");
    await expect(page.getByRole("link", { name: `← Back to ${agentName}` })).toBeVisible();
    // The run's states follow each other within seconds: their times say the seconds.
    await expectSecondsWhereDue(page.getByRole("list", { name: "Status timeline" }));
    const first = page.url();
    await pictures(page, "12-run-result", () => expect(page.getByTestId("execution-outcome")).toHaveText("Completed"));

    // Run again: the same input, a new execution.
    await page.getByRole("button", { name: "Run again" }).click();
    await expect(page).not.toHaveURL(first);
    await expect(page.getByTestId("execution-outcome")).toHaveText("Completed", { timeout: 60_000 });

    // A fresh load of a finished execution's page renders the same on the server and in the browser.
    await page.reload();
    await expect(page.getByTestId("execution-outcome")).toHaveText("Completed");

    // My runs: both runs (and the hire's, started on my behalf), filterable by status.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Runs" }).click();
    await expect(page).toHaveURL(/\/runs$/);
    await expect(page.getByTestId("runs").locator("tbody tr")).toHaveCount(3);
    await expect(page.getByTestId("runs")).toContainText(agentName);
    await page.getByRole("navigation", { name: "Filter by status" }).getByRole("link", { name: "failed" }).click();
    await expect(page).toHaveURL(/status=failed/);
    await expect(page.getByText("No failed runs")).toBeVisible();
    await page.getByRole("navigation", { name: "Filter by status" }).getByRole("link", { name: "all" }).click();
    await pictures(page, "13-my-runs", () => expect(page.getByTestId("runs").locator("tbody tr")).toHaveCount(3));
    expect(hydration).toEqual([]);
    await context.close();
  });
});
