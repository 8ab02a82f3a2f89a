import { newSignedInPage } from "./helpers";
import { expect, test } from "./journey";

/*
 * The agent and service pages (and browse) as a visitor meets them: server-rendered, an unknown id answered with a
 * 404 status (no loading shell streamed first), links that open in place without a reload, and none of a
 * signed-in visitor's machinery (the event stream, the unread count) fetched.
 */
const NONE = "00000000-0000-4000-8000-000000000000";

test("unknown agents and services are 404s; a visitor moves between the pages in place", async ({
  page,
  allowErrors,
}) => {
  // The 404s asked for below (Chromium logs each, and after one asks for /favicon.ico).
  allowErrors(/status of 404 .*\/(agents|services)\/(0{8}-|not-an-id)/, /status of 404 .*\/favicon\.ico/);
  const accountCalls: string[] = [];
  page.on("request", (req) => {
    if (/\/api\/(events|inbox)\b/.test(req.url())) accountCalls.push(req.url());
  });

  for (const path of [`/agents/${NONE}`, "/agents/not-an-id", `/services/${NONE}`, "/services/not-an-id"]) {
    const res = await page.goto(path);
    expect(res?.status(), path).toBe(404);
    await expect(page.getByText("Not found", { exact: true })).toBeVisible();
  }

  // The plain list paths lead to browse's views.
  for (const view of ["agents", "services"]) {
    const res = await page.goto(`/${view}`);
    expect(res?.status(), `/${view}`).toBe(200);
    expect(new URL(page.url()).searchParams.get("view")).toBe(view);
    await expect(page.getByRole("tab", { name: view === "agents" ? "Agents" : "Services" })).toHaveAttribute(
      "aria-selected",
      "true",
    );
  }

  const listed = await page.request.get("/api/services?limit=1");
  expect(listed.status()).toBe(200);
  const service = (
    (await listed.json()) as { data: { id: string; name: string; agent: { id: string; name: string } }[] }
  ).data[0]!;
  expect(service, "the demo data sells a service").toBeTruthy();

  const res = await page.goto(`/services/${service.id}`);
  expect(res?.status()).toBe(200);
  await expect(page.getByRole("heading", { name: service.name })).toBeVisible();
  await expect(page.getByRole("link", { name: "Sign in to hire" })).toBeVisible();
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Browse" })).toHaveAttribute("aria-current", "page");

  // A plain link opens its page in place once the page is up: the window (and this mark on it) survives.
  await page.waitForLoadState("networkidle");
  await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
  await page.getByRole("link", { name: service.agent.name }).first().click();
  await expect(page).toHaveURL(new RegExp(`/agents/${service.agent.id}$`));
  await expect(page.getByRole("heading", { name: service.agent.name, level: 1 })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
  await nav.getByRole("link", { name: "Stats" }).click();
  await expect(page).toHaveURL(/\/stats$/);
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Stats" })).toHaveAttribute(
    "aria-current",
    "page",
  );
  expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);

  // Browse's filters, a plain GET form, search in place too, and the form shows the searched values.
  await nav.getByRole("link", { name: "Browse" }).click();
  await page.getByRole("searchbox").fill(service.agent.name);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/[?&]q=/);
  expect(new URL(page.url()).searchParams.get("q")).toBe(service.agent.name);
  await expect(page.getByTestId("results")).toContainText(service.agent.name);
  expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
  await page.getByRole("tab", { name: "Services" }).click();
  await expect(page).toHaveURL(/view=services/);
  await expect(page.getByRole("searchbox")).toHaveValue(service.agent.name);

  // The theme toggle works on these pages too.
  const toggle = page.getByRole("button", { name: /^Theme:/ });
  const before = await toggle.getAttribute("aria-label");
  await toggle.click();
  await expect(toggle).not.toHaveAttribute("aria-label", before!);

  expect(accountCalls, "a visitor's pages open no event stream and ask for no unread count").toEqual([]);
});

test("a signed-in person gets a 404 status for what is not there or not theirs; list pages still answer", async ({
  browser,
  allowErrors,
}) => {
  allowErrors(/status of 404 .*\/(jobs|executions|agents|admin)\//, /status of 404 .*\/favicon\.ico/);
  const { context, page } = await newSignedInPage(browser, "Stranger");
  const demoAgent = ((await (await page.request.get("/api/agents?limit=1")).json()) as { data: { id: string }[] })
    .data[0]!;
  // Unknown ids, an agent whose deployments are its owner's, and the admin page (this person is no admin):
  // answered before any shell is streamed, so the status says it, not only the page.
  for (const path of [
    `/jobs/${NONE}`,
    "/jobs/not-an-id",
    `/executions/${NONE}`,
    `/agents/${demoAgent.id}/deployments`,
    "/admin/disputes",
  ]) {
    const res = await page.goto(path);
    expect(res?.status(), path).toBe(404);
    await expect(page.getByText("Not found", { exact: true })).toBeVisible();
  }
  for (const path of ["/jobs", "/inbox", "/runs", "/wallet", "/settings"]) {
    expect((await page.goto(path))?.status(), path).toBe(200);
  }
  // Sign out is a lazy island: the server's button waits disabled for its handler, then works once hydrated.
  const html = await (await page.request.get("/jobs")).text();
  expect(html).toMatch(/<button[^>]*disabled=""[^>]*>Sign out<\/button>/);
  await expect(page.getByRole("button", { name: "Sign out" })).toBeEnabled();
  await context.close();
});
