import { type Page } from "@playwright/test";
import { consoleErrors, expect, expectNoNativeValidation, REFUSAL, shots, test } from "./journey";
import { newPerson } from "./helpers";

/*
 * Forms explain themselves in one style: a message in plain words next to the field it is about, shown once (never
 * also above the button), gone as soon as the field is fixed; number fields ask for a number; counters where the
 * API limits length; no browser pop-ups (the forms set noValidate). The API's own refusal (a weak password) is said
 * in the same words next to its field.
 */

const fieldError = (page: Page, id: string) => page.locator(`[data-field-error="${id}"]`);

/** The message is next to its field, marks the field invalid, and appears nowhere else on the page. */
async function expectOnce(page: Page, id: string, message: string | RegExp) {
  await expect(fieldError(page, id)).toHaveText(message);
  await expect(page.locator(`[id="${id}"]`)).toHaveAttribute("aria-invalid", "true");
  const text = (await fieldError(page, id).textContent())!;
  await expect(page.getByText(text, { exact: true })).toHaveCount(1);
  await expect(page.getByRole("alert").filter({ hasText: text })).toHaveCount(0);
}

test("every form explains in plain words, next to the field, once", async ({ browser, allowErrors }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = consoleErrors(page);
  // The one refusal the journey provokes on purpose (counted at the end).
  allowErrors(REFUSAL);
  const person = newPerson("Forms");

  // Sign-in: the same style, no browser pop-up.
  await page.goto("/signin");
  await expectNoNativeValidation(page);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expectOnce(page, "email", "Email is required");
  await page.getByLabel("Email").fill(person.email);
  await expect(fieldError(page, "email")).toHaveCount(0);

  // Sign-up: empty fields say what is missing, each next to its own field.
  await page.goto("/signup");
  const signup = page.locator("form").filter({ has: page.getByLabel("Email") });
  await expect(signup).toHaveJSProperty("noValidate", true);
  await page.getByRole("button", { name: "Sign up" }).click();
  await expectOnce(page, "name", "Name is required");
  await expectOnce(page, "email", "Email is required");
  await expectOnce(page, "password", "Password is required");
  // Fixing a field takes its message away at once; the others stay.
  await page.getByLabel("Name").fill(person.name);
  await expect(fieldError(page, "name")).toHaveCount(0);
  await expect(page.getByLabel("Name")).not.toHaveAttribute("aria-invalid", "true");
  await expect(fieldError(page, "email")).toHaveText("Email is required");
  // While a field shows an error, the message follows what is typed.
  await page.getByLabel("Email").fill("not-an-address");
  await expectOnce(page, "email", "Enter an email address, like name@example.com");
  await page.getByLabel("Password").fill("short");
  await expectOnce(page, "password", "Password must be at least 10 characters");
  await page.getByLabel("Email").fill(person.email);
  await expect(fieldError(page, "email")).toHaveCount(0);
  // The API refuses a guessable password; its words land next to the password, not above the button.
  await page.getByLabel("Password").fill("password1234");
  await page.getByRole("button", { name: "Sign up" }).click();
  await expectOnce(page, "password", /^Password is too easy to guess/);
  await shots(page, "forms-sign-up");
  await page.getByLabel("Password").fill(person.password);
  await expect(fieldError(page, "password")).toHaveCount(0);
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();

  // Registering an agent: a counter where the name is limited, and the limit in words.
  await page.goto("/settings/agents/new");
  await expectNoNativeValidation(page);
  await page.getByRole("button", { name: "Register agent" }).click();
  await expectOnce(page, "agent-name", "Name is required");
  await page.getByLabel("Name", { exact: true }).fill("x".repeat(101));
  await expect(page.getByTestId("agent-name-count")).toHaveText("101 / 100");
  await expect(page.getByTestId("agent-name-count")).toHaveClass(/text-bad/);
  await expectOnce(page, "agent-name", "Name must be at most 100 characters");
  await expect(page.getByTestId("agent-description-count")).toHaveText("0 / 5,000");
  const agentName = `Forms agent ${Date.now().toString(36)}`;
  await page.getByLabel("Name", { exact: true }).fill(agentName);
  await expect(fieldError(page, "agent-name")).toHaveCount(0);
  await page.getByRole("button", { name: "Register agent" }).click();
  await page.getByRole("link", { name: `Go to ${agentName}'s settings` }).click();
  await page.waitForURL(/\/settings\?agent=/);
  const agentId = new URL(page.url()).searchParams.get("agent");
  expect(agentId).toMatch(/^[0-9a-f-]{36}$/);

  // A service: text in the price asks for a number, a price out of range gives the range in dollars.
  await page.getByRole("tab", { name: "Services" }).click();
  const panel = page.getByRole("tabpanel", { name: "Services" });
  await panel.getByRole("button", { name: "New service" }).click();
  // The service form, the person's name and password on the same page; then the other tabs' forms.
  await expectNoNativeValidation(page);
  await panel.getByLabel("Price (USD)").fill("abc");
  await panel.getByLabel("Output type").fill("plain text");
  await panel.getByRole("button", { name: "Add input" }).click();
  await panel.getByLabel("Input name").fill("1st topic");
  await panel.getByRole("button", { name: "Publish service" }).click();
  await expectOnce(page, "s-name", "Name is required");
  await expectOnce(page, "s-price", "Enter a number");
  await expectOnce(page, "s-output", "Use a word or a media type, like text, json or image/png");
  await expect(panel.locator("#s-inputs-error")).toHaveText(
    "“1st topic”: Input names use letters, digits and _, and do not start with a digit",
  );
  await panel.getByLabel("Price (USD)").fill("2000000");
  await expectOnce(page, "s-price", "Price must be between $0.01 and $1,000,000");
  await shots(page, "forms-service");
  await panel.getByLabel("Price (USD)").fill("12.50");
  await expect(fieldError(page, "s-price")).toHaveCount(0);
  await panel.getByLabel("Name", { exact: true }).fill("Short poems");
  await panel.getByLabel("Output type").fill("text");
  await panel.getByLabel("Input name").fill("topic");
  await expect(panel.locator("#s-inputs-error")).toHaveCount(0);
  await panel.getByRole("button", { name: "Publish service" }).click();
  await expect(panel.getByRole("link", { name: "Short poems" })).toBeVisible();
  for (const tab of ["Profile", "Keys", "Runtime"]) {
    await page.getByRole("tab", { name: tab }).click();
    await expect(page.getByRole("tabpanel", { name: tab }).locator("form").first()).toBeVisible();
    await expectNoNativeValidation(page);
  }

  // The deploy form: numbers in words, no browser pop-up.
  await page.goto(`/agents/${agentId}/deployments`);
  const deploy = page.getByRole("form", { name: "Deploy" });
  await expect(deploy).toHaveJSProperty("noValidate", true);
  await deploy.getByLabel("Memory (MB)").fill("lots");
  await deploy.getByRole("button", { name: "Deploy" }).click();
  await expectOnce(page, "memory_limit", "Enter a number");
  await deploy.getByLabel("Memory (MB)").fill("5");
  await expectOnce(page, "memory_limit", "Memory (MB) must be between 32 and 8,192");
  await shots(page, "forms-deploy");

  // The wallet's top-up.
  await page.goto("/wallet");
  await expectNoNativeValidation(page);
  await page.getByLabel("Amount (USD)").fill("abc");
  await page.getByRole("button", { name: "Add test credit" }).click();
  await expectOnce(page, "top-up-amount", "Enter a number");
  await page.getByLabel("Amount (USD)").fill("20000");
  await expectOnce(page, "top-up-amount", "Amount must be between $0.01 and $10,000");
  await shots(page, "forms-top-up");

  // The one refusal the browser logs is the weak password the API turned down on purpose.
  expect(errors.filter((e) => !REFUSAL.test(e))).toEqual([]);
  expect(errors.filter((e) => REFUSAL.test(e))).toHaveLength(1);
  await context.close();
});
