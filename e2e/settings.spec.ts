import { type Page } from "@playwright/test";
import { consoleErrors, expect, REFUSAL, shots, test } from "./journey";
import { newPerson, signUp } from "./helpers";

/*
 * Settings as an owner uses them: registering an agent is its own step; the chosen agent and tab are in the URL
 * (a reload keeps them); on a phone, choosing an agent shows its panel; the runtime is a form; keys are created with
 * chosen scopes and shown once with a curl line, and revoking one (or deactivating a service) is confirmed first;
 * the person changes their name and password.
 */

const fieldError = (page: Page, id: string) => page.locator(`[data-field-error="${id}"]`);

test("settings: register, tabs in the URL, runtime form, scoped keys, confirmations, name and password", async ({
  browser,
  allowErrors,
}) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = consoleErrors(page);
  // The one refusal the journey provokes on purpose (counted at the end).
  allowErrors(REFUSAL);
  const person = newPerson("Owner");
  await signUp(page, person, "/settings");
  await page.waitForURL((u) => u.pathname === "/settings");

  // No agents yet: registering is a step of its own, not a form under the list.
  await expect(page.getByText("No agents yet")).toBeVisible();
  await expect(page.getByLabel("Description")).toHaveCount(0);
  await shots(page, "settings-empty");
  await page.getByRole("link", { name: "Register an agent" }).click();
  await expect(page).toHaveURL(/\/settings\/agents\/new$/);
  await shots(page, "settings-register-form");
  const agentName = `Settings agent ${Date.now().toString(36)}`;
  await page.getByLabel("Name", { exact: true }).fill(agentName);
  await page.getByLabel("Capabilities").fill("poetry, writing");
  await page.getByRole("button", { name: "Register agent" }).click();
  const key = (await page.getByTestId("api-key").textContent())!.trim();
  expect(key).toMatch(/^agmkt_sk_/);
  // The usage line calls this site with the key in the header.
  const origin = new URL(page.url()).origin;
  await expect(page.getByTestId("key-usage")).toHaveText(
    `curl ${origin}/api/agents/me \\\n  -H "Authorization: Bearer ${key}"`,
  );
  const me = await page.request.get("/api/agents/me", { headers: { authorization: `Bearer ${key}` } });
  expect((await me.json()).name).toBe(agentName);
  await shots(page, "settings-registered");
  await page.getByRole("link", { name: `Go to ${agentName}'s settings` }).click();
  await expect(page).toHaveURL(/\/settings\?agent=[0-9a-f-]{36}&tab=profile$/);
  const agentId = new URL(page.url()).searchParams.get("agent")!;
  expect(await page.content()).not.toContain(key);

  // The tab is in the URL: a reload keeps it.
  const tab = (name: string) => page.getByRole("tablist", { name: "Manage agent" }).getByRole("tab", { name });
  await tab("Keys").click();
  await expect(page).toHaveURL(`/settings?agent=${agentId}&tab=keys`);
  await page.reload();
  await expect(tab("Keys")).toHaveAttribute("aria-selected", "true");
  // WAI-ARIA tabs: only the chosen tab is in the Tab order, each names the panel it shows.
  await expect(tab("Keys")).toHaveAttribute("tabindex", "0");
  await expect(tab("Profile")).toHaveAttribute("tabindex", "-1");
  await expect(tab("Runtime")).toHaveAttribute("aria-controls", "agent-tabpanel");
  await expect(page.getByRole("tabpanel", { name: "Keys" })).toBeVisible();
  // The arrow keys move focus (wrapping; Home and End jump) without opening; Enter opens the focused tab.
  // The page's one key listener arrives in a chunk fetched once the header hydrates: the first move waits for it.
  await expect(async () => {
    await tab("Keys").focus();
    await page.keyboard.press("ArrowRight");
    await expect(tab("Runtime")).toBeFocused({ timeout: 1_000 });
  }).toPass();
  await page.keyboard.press("ArrowRight");
  await expect(tab("Profile")).toBeFocused();
  await page.keyboard.press("ArrowLeft");
  await expect(tab("Runtime")).toBeFocused();
  await page.keyboard.press("Home");
  await expect(tab("Profile")).toBeFocused();
  await page.keyboard.press("End");
  await expect(tab("Runtime")).toBeFocused();
  await expect(page).toHaveURL(`/settings?agent=${agentId}&tab=keys`);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(`/settings?agent=${agentId}&tab=runtime`);
  await expect(tab("Runtime")).toHaveAttribute("aria-selected", "true");
  await expect(tab("Runtime")).toBeFocused();

  // The runtime is a form with the fields of each kind, checked in words.
  const runtime = page.getByRole("form", { name: "Runtime" });
  await expect(runtime.getByRole("radio", { name: /^Not hosted here/ })).toBeChecked();
  await runtime.getByRole("radio", { name: /^AWS Fargate task/ }).check();
  await runtime.getByLabel("Task definition").fill("arn:aws:ecs:us-east-1:123456789012:task-definition/x");
  await runtime.getByRole("button", { name: "Save runtime" }).click();
  await expect(fieldError(page, "rt-task")).toHaveText(/^A task-definition family, optionally with :revision/);
  await runtime.getByRole("radio", { name: /^Installed agent/ }).check();
  await runtime.getByRole("combobox", { name: "Installed agent" }).selectOption("text-stats");
  await runtime.getByRole("button", { name: "Save runtime" }).click();
  await expect(runtime.getByRole("status")).toHaveText("Saved");
  const stored = await page.request.get("/api/agents/me", { headers: { authorization: `Bearer ${key}` } });
  expect((await stored.json()).runtime).toEqual({ kind: "local", artifact: "text-stats" });
  await page.reload();
  await expect(
    page.getByRole("form", { name: "Runtime" }).getByRole("radio", { name: /^Installed agent/ }),
  ).toBeChecked();
  await shots(page, "settings-runtime");

  // A key with chosen scopes, shown once with its usage; revoking asks first.
  await page.getByRole("tab", { name: "Keys" }).click();
  const keyForm = page.getByRole("form", { name: "Create an API key" });
  await keyForm.getByLabel("Key name").fill("ci-deploy");
  await keyForm.getByRole("button", { name: "None" }).click();
  await keyForm.getByRole("button", { name: "Create key" }).click();
  await expect(keyForm.getByRole("alert")).toHaveText("Choose at least one thing the key may do.");
  await keyForm.getByLabel("jobs:read").check();
  await keyForm.getByRole("button", { name: "Create key" }).click();
  const ciKey = (await page.getByTestId("api-key").textContent())!.trim();
  await expect(page.getByTestId("key-usage")).toContainText(`Authorization: Bearer ${ciKey}`);
  const listed = await page.request.get(`/api/agents/me/keys?agent_id=${agentId}`);
  const ci = ((await listed.json()).data as { name: string; scopes: string[] }[]).find((k) => k.name === "ci-deploy");
  expect(ci?.scopes).toEqual(["jobs:read"]);
  await shots(page, "settings-key-created");
  await page.getByRole("button", { name: "I saved it" }).click();
  const ciRow = page.getByTestId("keys").getByRole("listitem").filter({ hasText: "ci-deploy" });
  await ciRow.getByRole("button", { name: "Revoke" }).click();
  const confirm = page.getByRole("dialog", { name: "Revoke the key “ci-deploy”?" });
  await expect(confirm).toBeVisible();
  await shots(page, "settings-revoke-confirm");
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(confirm).toBeHidden();
  await expect(ciRow).toHaveCount(1);
  await ciRow.getByRole("button", { name: "Revoke" }).click();
  await confirm.getByRole("button", { name: "Revoke key" }).click();
  await expect(ciRow).toHaveCount(0);
  expect((await page.request.get("/api/jobs", { headers: { authorization: `Bearer ${ciKey}` } })).status()).toBe(401);

  // Deactivating a service asks first too.
  const created = await page.request.post("/api/services", {
    headers: { origin },
    data: { agent_id: agentId, name: "Haiku", price_usd: 3 },
  });
  expect(created.status()).toBe(201);
  await page.getByRole("tab", { name: "Services" }).click();
  const services = page.getByRole("tabpanel", { name: "Services" });
  await services.getByRole("button", { name: "Deactivate" }).click();
  const deactivate = page.getByRole("dialog", { name: "Deactivate “Haiku”?" });
  await deactivate.getByRole("button", { name: "Deactivate service" }).click();
  await expect(services.getByRole("link", { name: "Haiku" })).toHaveCount(0);

  // The person's name and password.
  const nameForm = page.getByRole("form", { name: "Your name" });
  await nameForm.getByLabel("Name").fill("");
  await nameForm.getByRole("button", { name: "Save name" }).click();
  await expect(fieldError(page, "account-name")).toHaveText("Name is required");
  await nameForm.getByLabel("Name").fill(`${person.name} Renamed`);
  await expect(fieldError(page, "account-name")).toHaveCount(0);
  await nameForm.getByRole("button", { name: "Save name" }).click();
  await expect(page.getByTestId("profile-name")).toHaveText(`${person.name} Renamed`);
  const passwordForm = page.getByRole("form", { name: "Password" });
  await passwordForm.getByLabel("Current password").fill("not-my-password");
  await passwordForm.getByLabel("New password").fill("tundra-kestrel-harbour-58");
  await passwordForm.getByRole("button", { name: "Change password" }).click();
  await expect(fieldError(page, "current_password")).toHaveText("Current password is not this account's password");
  await passwordForm.getByLabel("Current password").fill(person.password);
  await passwordForm.getByRole("button", { name: "Change password" }).click();
  await expect(passwordForm.getByRole("status")).toHaveText(/Password changed/);
  await shots(page, "settings-account");

  // On a phone the list and the panel take turns: choosing the agent opens its panel.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/settings");
  await expect(page.getByTestId("my-agents")).toBeVisible();
  await expect(page.getByRole("tablist", { name: "Manage agent" })).toBeHidden();
  await page.getByTestId("my-agents").getByRole("link", { name: agentName }).click();
  await expect(page).toHaveURL(`/settings?agent=${agentId}&tab=profile`);
  await expect(page.getByRole("tablist", { name: "Manage agent" })).toBeVisible();
  await expect(page.getByTestId("my-agents")).toBeHidden();
  await shots(page, "settings-phone-panel");
  await page.getByRole("link", { name: "← All agents" }).click();
  await expect(page.getByTestId("my-agents")).toBeVisible();

  // The one refusal the browser logs is the wrong current password, on purpose.
  expect(errors.filter((e) => !REFUSAL.test(e))).toEqual([]);
  expect(errors.filter((e) => REFUSAL.test(e))).toHaveLength(1);
  await context.close();
});
