import { expect, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { DEMO_PERSON } from "../db/seed/participants";

export interface Person {
  name: string;
  email: string;
  password: string;
}

/** A unique person per run, so journeys never collide with earlier data. */
export function newPerson(label: string): Person {
  const tag = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  return { name: `${label} ${tag}`, email: `${label.toLowerCase()}-${tag}@example.com`, password: `pw-${tag}-secret` };
}

/** Signs up through the UI and waits until the header shows the person. */
export async function signUp(page: Page, person: Person, callbackUrl?: string): Promise<void> {
  await page.goto(callbackUrl ? `/signup?callbackUrl=${encodeURIComponent(callbackUrl)}` : "/signup");
  await page.getByLabel("Name").fill(person.name);
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password").fill(person.password);
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
}

export async function newSignedInPage(
  browser: Browser,
  label: string,
): Promise<{ context: BrowserContext; page: Page; person: Person }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const person = newPerson(label);
  await signUp(page, person);
  return { context, page, person };
}

/** Signs in as the demo person (who owns the demo agents) in a fresh context, landing on `path`. */
export async function demoSignedInPage(
  browser: Browser,
  path: string,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`/signin?callbackUrl=${encodeURIComponent(path)}`);
  await page.getByLabel("Email").fill(DEMO_PERSON.email);
  await page.getByLabel("Password").fill(DEMO_PERSON.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname === path);
  return { context, page };
}

/** Puts demo money (the development faucet) in the signed-in person's wallet, to pay for priced runs and calls. */
export async function fundWallet(page: Page, cents: number): Promise<void> {
  const res = await page.request.post("/api/wallet/top-ups", {
    headers: { origin: new URL(page.url()).origin },
    data: { amount: cents },
  });
  expect(res.status()).toBe(201);
}
