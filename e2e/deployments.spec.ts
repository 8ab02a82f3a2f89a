import { type Page } from "@playwright/test";
import { expect, expectSecondsWhereDue, shots, test } from "./journey";
import { newSignedInPage } from "./helpers";

/*
 * An owner ships an agent: deploys an installed demo program, watches the rollout reach deployed, rolls out a second
 * version as a canary, promotes it, and sees the metrics of both versions. Calls go through the deployed agent's
 * endpoint with the key the deploy showed once.
 */

async function registerAgent(page: Page, name: string): Promise<string> {
  await page.goto("/settings/agents/new");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Category").fill("content");
  await page.getByLabel("Capabilities").fill("markdown");
  await page.getByLabel("Description").fill("Renders markdown, deployed through the Deployments page.");
  await page.getByRole("button", { name: "Register agent" }).click();
  await expect(page.getByTestId("api-key")).toHaveText(/^agmkt_sk_/);
  const res = await page.request.get("/api/agents?owner=me&limit=10");
  const agent = ((await res.json()).data as { id: string; name: string }[]).find((a) => a.name === name);
  expect(agent).toBeTruthy();
  return agent!.id;
}

/** Calls the deployed agent `n` times; each answer names the version that served it. */
async function call(page: Page, agentId: string, key: string, n: number): Promise<string[]> {
  const served: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await page.request.post(`/api/agents/${agentId}/invocations?environment=prod`, {
      headers: { "X-Agent-Key": key },
      data: { prompt: `# Call ${i}\n\nHello.` },
    });
    expect(res.status()).toBe(200);
    served.push(res.headers()["x-agent-version"] ?? "");
  }
  return served;
}

test("deploy a demo agent, roll out a canary, promote it and see the metrics", async ({ browser }) => {
  test.setTimeout(300_000);
  const { page, context, person } = await newSignedInPage(browser, "Deployer");
  const agentId = await registerAgent(page, `Renderer of ${person.name}`);

  // The owner finds the Deployments area from the agent's page.
  await page.goto(`/agents/${agentId}`);
  await page.getByRole("link", { name: "Deployments" }).click();
  await expect(page).toHaveURL(new RegExp(`/agents/${agentId}/deployments$`));
  await expect(page.getByText("Not deployed yet")).toBeVisible();

  // First deployment: an installed program, to prod.
  await page.getByLabel("Installed agent", { exact: true }).selectOption("markdown");
  await page.getByLabel("Version", { exact: true }).fill("1.0.0");
  await page.getByRole("button", { name: "Deploy", exact: true }).click();
  const key = page.getByTestId("deploy-api-key");
  await expect(key).toHaveText(/^agmkt_sk_/);
  await expect(page.getByTestId("webhook-secret")).toHaveText(/^whsec_/);
  await expect(page.getByText("shown once and never again")).toBeVisible();
  const apiKey = (await key.textContent())!.trim();

  await page.getByRole("link", { name: "Watch the deployment" }).click();
  await expect(page).toHaveURL(/\/deployments\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("deployment-status")).toHaveText(/deployed/i, { timeout: 120_000 });
  await expect(page.getByTestId("phase-complete")).toHaveAttribute("data-status", "completed");
  await expect(page.getByTestId("traffic")).toContainText("1.0.0");
  // The phases ran seconds apart: their times say the seconds.
  expect(await expectSecondsWhereDue(page.getByRole("list", { name: "Phases" }))).toBe(true);
  await expectSecondsWhereDue(page.getByTestId("deployment-times"));
  await shots(page, "10-deployment-detail");
  expect(new Set(await call(page, agentId, apiKey, 5))).toEqual(new Set(["1.0.0"]));

  // A second version as a canary that half the calls reach, long enough that only the owner ends it.
  await page.goto(`/agents/${agentId}/deployments`);
  await expect(page.getByRole("tab", { name: "Roll out a version" })).toHaveAttribute("aria-selected", "true");
  await page.getByLabel("Version", { exact: true }).fill("1.1.0");
  await page.getByLabel("Installed agent", { exact: true }).selectOption("markdown");
  await page.getByLabel("Memory (MB)").fill("256");
  await page.getByRole("radio", { name: "Canary" }).check();
  await page.getByLabel("Trial traffic (%)").fill("50");
  await page.getByLabel("Trial length (min)").fill("60");
  await page.getByRole("button", { name: "Roll out with canary" }).click();
  await expect(page).toHaveURL(/\/deployments\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("deployment-status")).toHaveText(/deploying/i);
  await expect(page.getByTestId("phase-observe")).toHaveAttribute("data-status", "running", { timeout: 120_000 });
  await expect(page.getByRole("img", { name: /^Traffic split: .*1\.1\.0 50%/ })).toBeVisible();
  const served = await call(page, agentId, apiKey, 30);
  expect(served).toContain("1.0.0");
  expect(served).toContain("1.1.0");

  // Promote: confirmed in a dialog, then all traffic moves to 1.1.0.
  await expect(page.getByRole("button", { name: "Abort" })).toBeEnabled();
  await page.getByRole("button", { name: "Promote" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("send all calls to 1.1.0");
  await dialog.getByRole("button", { name: "Promote now" }).click();
  await expect(page.getByTestId("deployment-status")).toHaveText(/deployed/i, { timeout: 120_000 });
  await expect(page.getByRole("img", { name: "Traffic split: 1.1.0 100%" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Promote" })).toBeDisabled();
  await expect(page.getByRole("button", { name: "Abort" })).toBeDisabled();

  // The metrics of both versions (the recorder flushes every few seconds; the page reads on load).
  await page.goto(`/agents/${agentId}/deployments`);
  const metrics = page.getByTestId("metrics");
  await expect(async () => {
    await page.reload();
    await expect(metrics.getByRole("img", { name: /^Response time\. p50: latest/ })).toBeVisible({ timeout: 10_000 });
    await expect(metrics.getByRole("img", { name: /^p95 response time by version\. 1\.\d\.0: latest/ })).toBeVisible();
  }).toPass({ timeout: 60_000 });
  await expect(page.getByTestId("env-prod")).toContainText("1.1.0");

  // The public page shows the live version and its health.
  await page.goto(`/agents/${agentId}`);
  await expect(page.getByTestId("live-version")).toContainText("1.1.0");
  await expect(page.getByTestId("live-version")).toContainText(/healthy/i);

  await page.goto(`/agents/${agentId}/deployments`);
  await expect(metrics.getByRole("img", { name: /^Response time\./ })).toBeVisible();
  await shots(page, "10-deployments");
  await context.close();
});
