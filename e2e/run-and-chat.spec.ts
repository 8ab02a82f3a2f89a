import { type APIRequestContext } from "@playwright/test";
import { expect, expectSecondsWhereDue, shots, test } from "./journey";
import { demoSignedInPage, fundWallet, newSignedInPage } from "./helpers";

/*
 * Running and invoking the demo agents (the lead's seed registers them; the local ECS and AgentCore doubles
 * host them). Both journeys start from the agent page, as a person would.
 */
async function firstAgent(
  request: APIRequestContext,
  filter: "runnable" | "invocable",
  mine = false,
): Promise<{ id: string; name: string }> {
  const res = await request.get(`/api/agents?${filter}=true&limit=50${mine ? "&owner=me" : ""}`);
  expect(res.status()).toBe(200);
  const agents = (await res.json()).data as { id: string; name: string; status: string; version?: string | null }[];
  // Prefer the demo Markdown renderer for chat: it answers block by block, so a multi-paragraph prompt streams.
  // A run of a deployed agent goes through its deployment and answers at once: this journey runs a process.
  const live = agents.filter((a) => a.status !== "retired" && (filter === "invocable" || !a.version));
  const agent = live.find((a) => /markdown/i.test(a.name)) ?? live[0];
  expect(agent, `the demo data has a ${filter} agent`).toBeTruthy();
  return agent!;
}

test("run a demo agent, watch its log stream and stop it", async ({ browser }) => {
  // Only an agent's owner may run it: the demo person owns the demo agents.
  const { context, page } = await demoSignedInPage(browser, "/settings");
  const agent = await firstAgent(page.request, "runnable", true);
  await page.goto(`/agents/${agent.id}`);
  // The run form: a process on its host (a deployed agent would answer at once), with its required input.
  const form = page.getByRole("form", { name: "Run the agent" });
  if (await form.getByLabel("Run on").count()) {
    await form.getByLabel("Run on").selectOption({ label: "A process on its host (runs until stopped)" });
  }
  for (const field of await form.locator('[aria-required="true"]').all()) await field.fill("Hello there. How are you?");
  await form.getByRole("button", { name: "Run" }).click();
  await expect(page).toHaveURL(/\/executions\/[0-9a-f-]{36}$/, { timeout: 60_000 });
  const status = page.getByTestId("execution-status");
  await expect(status).toHaveText(/starting|running/i);
  // The endpoint appears once the agent listens; the log streams in without a reload.
  await expect(status).toHaveText(/running/i, { timeout: 60_000 });
  await expect(page.getByTestId("endpoint")).toHaveText(/^https?:\/\//);
  const log = page.getByTestId("log");
  await expect(log.locator("div").first()).toBeVisible({ timeout: 60_000 });
  const elapsed = await page.getByTestId("elapsed").textContent();
  await expect(page.getByTestId("elapsed")).not.toHaveText(elapsed!, { timeout: 5_000 });
  // A fresh load of a running execution: the server's render and the browser's agree on the ticking time (a
  // mismatch is a console error, which fails the journey: e2e/journey.ts), and it ticks on.
  await page.reload();
  await expect(status).toHaveText(/running/i);
  await expect(page.getByTestId("elapsed")).toHaveText(/^\d+(h|m|s)/);
  const reloaded = await page.getByTestId("elapsed").textContent();
  await expect(page.getByTestId("elapsed")).not.toHaveText(reloaded!, { timeout: 5_000 });
  await page.getByRole("button", { name: "Stop" }).click();
  await expect(status).toHaveText(/stopped/i, { timeout: 60_000 });
  await expect(page.getByRole("button", { name: "Stop" })).toHaveCount(0);
  await expect(page.getByRole("list", { name: "Status timeline" })).toContainText("stopped");
  await expectSecondsWhereDue(page.getByRole("list", { name: "Status timeline" }));
  await shots(page, "08-run-and-stop");
  await context.close();
});

test("chat with an agent and see the answer stream in over two invocations", async ({ browser }) => {
  const { page, context } = await newSignedInPage(browser, "Chatter");
  await fundWallet(page, 500);
  const agent = await firstAgent(page.request, "invocable");
  await page.goto(`/agents/${agent.id}`);
  await page.getByRole("link", { name: "Chat", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/chat/${agent.id}$`));

  const answers = page.getByTestId("answer");
  await page.getByLabel("Message").fill("# Hello\n\nWho are you?\n\nWhat can you do?\n\n- one\n- two");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(answers.first()).toHaveAttribute("data-state", "done", { timeout: 60_000 });
  await expect(answers.first()).not.toBeEmpty();
  // The answer arrived as several chunks of the stream, appended as they came.
  expect(Number(await answers.first().getAttribute("data-chunks"))).toBeGreaterThan(1);
  const session = await page.getByTestId("session-id").getAttribute("title");
  expect(session).toBeTruthy();

  await page.getByLabel("Message").fill("## Second turn\n\nStill the same session?\n\nYes.");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(answers.nth(1)).toHaveAttribute("data-state", "done", { timeout: 60_000 });
  await expect(answers.nth(1)).not.toBeEmpty();
  expect(Number(await answers.nth(1).getAttribute("data-chunks"))).toBeGreaterThan(1);
  // Same session over both invocations, and it is listed among earlier sessions.
  await expect(page.getByTestId("session-id")).toHaveAttribute("title", session!);
  await expect(page.getByTestId("sessions")).toContainText("2 invocations");
  await shots(page, "09-chat");
  await context.close();
});
