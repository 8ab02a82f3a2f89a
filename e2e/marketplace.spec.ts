import { type BrowserContext, type Page } from "@playwright/test";
import { expect, expectNoNativeValidation, shots, test } from "./journey";
import { newPerson, signUp, type Person } from "./helpers";

/*
 * The marketplace journey between two people: Ada owns an agent and sells a service; Bob finds it, hires it,
 * asks for a revision and completes it with a rating. Each test is one step of the story and depends on the
 * one before (serial).
 */
test.describe.serial("two people trade a service", () => {
  const word = `zebra${Date.now().toString(36)}`;
  const agentName = `Ada's ${word} agent`;
  const serviceName = `Poem about ${word}`;
  let ada: { context: BrowserContext; page: Page; person: Person };
  let bob: { context: BrowserContext; page: Page; person: Person };
  let apiKey = "";
  let jobUrl = "";
  let agentUrl = "";

  test.beforeAll(async ({ browser }) => {
    const a = await browser.newContext();
    const b = await browser.newContext();
    ada = { context: a, page: await a.newPage(), person: newPerson("Ada") };
    bob = { context: b, page: await b.newPage(), person: newPerson("Bob") };
  });
  test.afterAll(async () => {
    await ada?.context.close();
    await bob?.context.close();
  });

  test("sign up", async ({ allowErrors }) => {
    // Provoked below on purpose: a sign-in with the wrong password.
    allowErrors(/status of 401 .*\/api\/auth\/callback\/credentials/);
    const { page, person } = ada;
    // A page that needs an account sends the visitor to sign in and back.
    await page.goto("/settings");
    await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fsettings/);
    await page.getByRole("link", { name: "Create an account" }).click();
    await expect(page).toHaveURL(/\/signup\?callbackUrl=%2Fsettings/);
    await page.getByLabel("Name").fill(person.name);
    await page.getByLabel("Email").fill(person.email);
    await page.getByLabel("Password").fill(person.password);
    await page.getByRole("button", { name: "Sign up" }).click();
    await page.waitForURL((url) => url.pathname === "/settings");
    await expect(page.getByTestId("profile-name")).toHaveText(person.name);
    // The session survives a sign-out and a sign-in with the same password.
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
    await page.goto("/signin");
    await page.getByLabel("Email").fill(person.email);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByText("Wrong email or password.")).toBeVisible();
    await page.getByLabel("Password").fill(person.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
    await shots(page, "01-sign-up");
  });

  test("register an agent and see its key once", async () => {
    const { page } = ada;
    await page.goto("/settings");
    await page.getByRole("link", { name: "Register an agent" }).click();
    await expect(page).toHaveURL(/\/settings\/agents\/new$/);
    await page.getByLabel("Name", { exact: true }).fill(agentName);
    await page.getByLabel("Category").fill("writing");
    await page.getByLabel("Capabilities").fill("poetry, writing");
    await page.getByLabel("Description").fill(`Writes short poems about ${word}s and other things.`);
    await page.getByRole("button", { name: "Register agent" }).click();
    const key = page.getByTestId("api-key");
    await expect(key).toHaveText(/^agmkt_sk_/);
    apiKey = (await key.textContent())!.trim();
    // The key works as the agent's credential.
    const me = await page.request.get("/api/agents/me", { headers: { "X-Agent-Key": apiKey } });
    expect(me.status()).toBe(200);
    expect((await me.json()).name).toBe(agentName);
    await page.getByRole("link", { name: `Go to ${agentName}'s settings` }).click();
    await expect(page.getByTestId("api-key")).toHaveCount(0);
    await page.reload();
    await expect(page.getByTestId("my-agents")).toContainText(agentName);
    // Never shown again: not in the page, not in the key list (only its last characters).
    expect(await page.content()).not.toContain(apiKey);
    await page.getByRole("tab", { name: "Keys" }).click();
    await expect(page.getByTestId("keys")).toContainText(apiKey.slice(-4));
    await shots(page, "02-register-agent");
  });

  test("publish a service", async () => {
    const { page } = ada;
    await page.goto("/settings");
    await page.getByRole("tab", { name: "Services" }).click();
    const panel = page.getByRole("tabpanel", { name: "Services" });
    await panel.getByRole("button", { name: "New service" }).click();
    await panel.getByLabel("Name", { exact: true }).fill(serviceName);
    await panel.getByLabel("Price (USD)").fill("12.50");
    await panel.getByLabel("Description").fill("A short poem, delivered as text.");
    await panel.getByRole("button", { name: "Add input" }).click();
    await panel.getByLabel("Input name").fill("topic");
    await panel.getByLabel("Input description").fill("What the poem is about");
    await panel.getByRole("button", { name: "Publish service" }).click();
    await expect(page.getByRole("link", { name: serviceName })).toBeVisible();
    await page.getByRole("link", { name: serviceName }).click();
    await expect(page.getByRole("heading", { name: serviceName })).toBeVisible();
    await expect(page.getByTestId("price")).toHaveText("$12.50");
    await shots(page, "03-publish-service");
  });

  test("a second person finds it by search and hires it", async () => {
    const { page, person } = bob;
    await signUp(page, person);
    await page.goto("/");
    // A new account's wallet is empty: the development faucet (no Stripe here) funds the hire.
    const funded = await page.request.post("/api/wallet/top-ups", {
      headers: { origin: new URL(page.url()).origin },
      data: { amount: 5_000 },
    });
    expect(funded.status()).toBe(201);
    await page.getByRole("tab", { name: "Services" }).click();
    await expect(page).toHaveURL(/view=services/);
    await expect(page.getByRole("searchbox")).toHaveAttribute("placeholder", "Search services…");
    await page.getByRole("searchbox").fill(word);
    await page.getByRole("button", { name: "Search" }).click();
    // The search is in the URL, so it can be shared.
    await expect(page).toHaveURL(new RegExp(`view=services&q=${word}`));
    await page.getByRole("link", { name: serviceName }).click();
    await page.getByLabel("Job title").fill(`A poem for my ${word}`);
    await page.getByLabel("topic").fill("stripes");
    await page.getByRole("button", { name: /Hire for \$12\.50/ }).click();
    await expect(page.getByRole("alertdialog")).toContainText("$12.50");
    await page.getByRole("button", { name: "Confirm and hire" }).click();
    await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
    jobUrl = new URL(page.url()).pathname;
    await expect(page.getByTestId("job-status")).toHaveText(/pending/i);
    await expect(page.getByText('"topic": "stripes"')).toBeVisible();
    // The client may cancel a pending job, never start it.
    await expect(page.getByRole("button", { name: "Cancel job" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Start work" })).toHaveCount(0);
    await shots(page, "04-hire");
  });

  test("the worker starts and delivers", async () => {
    const { page } = ada;
    await page.goto("/jobs?role=worker");
    await page.getByRole("link", { name: `A poem for my ${word}` }).click();
    await expect(page).toHaveURL(new RegExp(`${jobUrl}$`));
    await page.getByRole("button", { name: "Start work" }).click();
    await expect(page.getByTestId("job-status")).toHaveText(/in progress/i);
    await page.getByRole("button", { name: "Deliver" }).click();
    // The delivery form explains in the one style: no browser pop-up, a plain message next to the empty field
    // (once, not also above the button), gone once it is filled; a count up to the API's limit.
    await expectNoNativeValidation(page);
    await page.getByRole("button", { name: "Submit delivery" }).click();
    await expect(page.locator('[data-field-error="content"]')).toHaveText("Deliverable is required");
    await expect(page.getByLabel("Deliverable")).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByText("Deliverable is required", { exact: true })).toHaveCount(1);
    await page.getByLabel("Deliverable").fill("Stripes of night and day,\nthe zebra runs away.");
    await expect(page.locator('[data-field-error="content"]')).toHaveCount(0);
    await expect(page.getByTestId("content-count")).toHaveText("46 / 500,000");
    await page.getByRole("button", { name: "Submit delivery" }).click();
    await expect(page.getByTestId("job-status")).toHaveText(/delivered/i);
    await expect(page.getByTestId("deliverables")).toContainText("Revision 1");
    await expect(page.getByRole("button", { name: "Deliver" })).toHaveCount(0);
    await shots(page, "05-deliver");
  });

  test("the client asks for a revision, then completes with a rating, and the reputation changes", async () => {
    const { page } = bob;
    await page.goto(jobUrl);
    await expect(page.getByTestId("job-status")).toHaveText(/delivered/i);
    const workerLink = page.getByRole("link", { name: agentName });
    agentUrl = (await workerLink.getAttribute("href"))!;
    await page.goto(agentUrl);
    await expect(page.getByTestId("reputation")).toHaveText("0.00");

    await page.goto(jobUrl);
    await page.getByRole("button", { name: "Request a revision" }).click();
    await expectNoNativeValidation(page);
    await page.getByRole("button", { name: "Send revision request" }).click();
    await expect(page.locator('[data-field-error="reason"]')).toHaveText("Reason is required");
    await expect(page.getByRole("alert").filter({ hasText: "Reason is required" })).toHaveCount(0);
    await page.getByLabel("What should change?").fill("Make it rhyme twice.");
    await expect(page.locator('[data-field-error="reason"]')).toHaveCount(0);
    await expect(page.getByTestId("reason-count")).toHaveText("20 / 5,000");
    await page.getByRole("button", { name: "Send revision request" }).click();
    await expect(page.getByTestId("job-status")).toHaveText(/revision requested/i);

    // The worker delivers revision 2 (through the API with the agent's key, as an agent would).
    const jobId = jobUrl.split("/").pop();
    const res = await page.request.post(`/api/jobs/${jobId}/deliver`, {
      headers: { "X-Agent-Key": apiKey },
      data: { content: "Stripes of night, stripes of day;\nthe zebra rhymes and runs away." },
    });
    expect(res.status()).toBe(200);

    // The client's page follows without a reload.
    await expect(page.getByTestId("job-status")).toHaveText(/delivered/i, { timeout: 30_000 });
    await expect(page.getByTestId("deliverables")).toContainText("Revision 2");
    await expect(page.getByTestId("deliverables")).toContainText("Revision 1");
    await page.getByRole("button", { name: "Accept and rate" }).click();
    await page.getByLabel("4 stars").check({ force: true });
    await page.getByLabel("Review (optional)").fill("Lovely, after one revision.");
    await page.getByRole("button", { name: "Complete job" }).click();
    await expect(page.getByTestId("job-status")).toHaveText(/completed/i);

    await page.goto(agentUrl);
    await expect(page.getByTestId("reputation")).not.toHaveText("0.00");
    await expect(page.getByTestId("reputation")).toHaveText("4.00");
    await expect(page.getByText("Lovely, after one revision.")).toBeVisible();
    await shots(page, "06-complete-and-rate");

    // The service's own page shows the rating and the review among its recent ones.
    const job = await page.request.get(`/api/jobs/${jobId}`);
    await page.goto(`/services/${((await job.json()) as { service_id: string }).service_id}`);
    await expect(page.getByText("4.0 from 1 review", { exact: true })).toBeVisible();
    await expect(page.getByTestId("service-reviews").getByRole("listitem")).toHaveCount(1);
    await expect(page.getByTestId("service-reviews")).toContainText("Lovely, after one revision.");
  });

  test("the inbox badge counts a new message without a reload", async () => {
    const { page } = bob;
    await page.goto("/inbox");
    // Read everything first, so the badge starts from nothing.
    const buttons = page.getByRole("button", { name: "Mark read" });
    await expect(page.getByTestId("inbox")).toBeVisible();
    for (let n = await buttons.count(); n > 0; n--) {
      await buttons.first().click();
      await expect(buttons).toHaveCount(n - 1);
    }
    await expect(page.getByTestId("unread-badge")).toHaveCount(0);
    await expect(page.locator("html[data-live=open]")).toHaveCount(1);
    const jobId = jobUrl.split("/").pop();
    const res = await page.request.post(`/api/jobs/${jobId}/messages`, {
      headers: { "X-Agent-Key": apiKey },
      data: { subject: "Thanks", body: `Thank you for the ${word} job!` },
    });
    expect(res.status()).toBe(201);
    await expect(page.getByTestId("unread-badge")).toHaveText("1");
    await expect(page.getByTestId("inbox")).toContainText(`Thank you for the ${word} job!`);
    await shots(page, "07-inbox-badge");
  });
});
