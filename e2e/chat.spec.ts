import { type Page } from "@playwright/test";
import { expect, shots, test } from "./journey";
import { fundWallet, newSignedInPage } from "./helpers";

/*
 * Chat that remembers: answers rendered by what they are, the session in the address, the transcript back after a
 * reload and from the list of sessions, a Stop button, and the pages of agents that cannot chat.
 */
async function demoAgent(page: Page, name: RegExp): Promise<string> {
  const res = await page.request.get("/api/agents?invocable=true&limit=50");
  expect(res.status()).toBe(200);
  const agents = (await res.json()).data as { id: string; name: string; status: string }[];
  const agent = agents.find((a) => name.test(a.name) && a.status !== "retired");
  expect(agent, `the demo data has an invocable agent named ${name}`).toBeTruthy();
  return agent!.id;
}

const paragraphs = (n: number) => Array.from({ length: n }, (_, i) => `Paragraph number ${i}.`).join("\n\n");

test("a chat renders answers by type, survives a reload, reopens from the list and can be stopped", async ({
  browser,
}) => {
  const { page, context } = await newSignedInPage(browser, "Rememberer");
  const markdown = await demoAgent(page, /markdown/i);
  // The demo agents charge a few demo cents per call, and say so before anything is sent.
  await fundWallet(page, 500);
  await page.goto(`/chat/${markdown}`);
  await expect(page.getByTestId("price-note")).toContainText("per call");
  const answers = page.getByTestId("answer");

  // The Markdown renderer answers in HTML, block by block: shown as elements, never as tag text.
  const code = "```\nfunction add(a, b) {\n  return a + b;\n}\nconst total = add(1, 2);\n```";
  await page.getByLabel("Message").fill(`# Otters\n\nThey are **playful**.\n\n- swim\n- eat\n\n${code}`);
  await page.getByRole("button", { name: "Send" }).click();
  await expect(answers.first()).toHaveAttribute("data-state", "done", { timeout: 60_000 });
  expect(Number(await answers.first().getAttribute("data-chunks"))).toBeGreaterThan(1);
  await expect(answers.first().getByRole("heading", { name: "Otters" })).toBeVisible();
  await expect(answers.first().locator("strong")).toHaveText("playful");
  await expect(answers.first().getByRole("listitem")).toHaveText(["swim", "eat"]);
  await expect(answers.first().locator(".hljs-keyword").first()).toBeVisible();
  await expect(answers.first()).not.toContainText("<h1>");

  // The session is in the address: a reload shows the same transcript.
  await expect(page).toHaveURL(/\?session=[\w.:-]{33,}/);
  const session = new URL(page.url()).searchParams.get("session")!;
  await page.reload();
  await expect(page.getByTestId("prompt")).toHaveCount(1);
  await expect(page.getByTestId("prompt").first()).toContainText("# Otters");
  await expect(answers.first().getByRole("heading", { name: "Otters" })).toBeVisible();
  await expect(page.getByTestId("session-id")).toHaveAttribute("title", session);

  // A long answer streams chunk by chunk; Stop ends it, and the server stops relaying.
  await page.getByLabel("Message").fill(paragraphs(150));
  await page.getByRole("button", { name: "Send" }).click();
  await expect
    .poll(async () => Number(await answers.nth(1).getAttribute("data-chunks")), { timeout: 60_000 })
    .toBeGreaterThan(2);
  await page.getByRole("button", { name: "Stop" }).click();
  await expect(answers.nth(1)).toHaveAttribute("data-state", "stopped");
  await expect(answers.nth(1)).toContainText("(stopped)");
  await expect(page.getByRole("button", { name: "Send" })).toBeVisible();
  // The server records the cancelled invocation once it has closed the upstream stream.
  const storedInvocations = async () =>
    (await (await page.request.get(`/api/sessions/${session}`)).json()).invocations as {
      outcome: string;
      answer: string;
    }[];
  await expect.poll(async () => (await storedInvocations()).map((i) => i.outcome)).toEqual(["ok", "cancelled"]);
  const stored = await storedInvocations();
  expect(stored[1]!.answer.split("<p>").length - 1).toBeLessThan(150);

  // A new chat, then the earlier session from the list brings its transcript back.
  await page.getByRole("button", { name: "New chat" }).click();
  await expect(page).not.toHaveURL(/session=/);
  await expect(page.getByTestId("prompt")).toHaveCount(0);
  await page
    .getByTestId("sessions")
    .getByRole("link", { name: /Otters/ })
    .click();
  await expect(page).toHaveURL(new RegExp(`session=${session}`));
  await expect(page.getByTestId("prompt")).toHaveCount(2);
  await expect(answers.nth(1)).toHaveAttribute("data-state", "stopped");
  await shots(page, "chat-markdown");

  // Another caller cannot read it: the transcript belongs to the session's caller.
  const stranger = await newSignedInPage(browser, "Stranger");
  expect((await stranger.page.request.get(`/api/sessions/${session}`)).status()).toBe(404);
  await stranger.context.close();

  // JSON answers show as a tree (the JSON/CSV agent turns CSV into a JSON array).
  const jsonCsv = await demoAgent(page, /json\/csv/i);
  await page.goto(`/chat/${jsonCsv}`);
  await page.getByLabel("Message").fill("name,score\nada,3\nbob,4");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(answers.first()).toHaveAttribute("data-state", "done", { timeout: 60_000 });
  const tree = answers.first().locator('[data-output="json"]');
  await expect(tree).toContainText('"name": "ada"');
  // The tree folds and unfolds.
  await tree.locator("summary").first().click();
  await expect(tree.locator("details").first()).not.toHaveAttribute("open", "");
  await tree.locator("summary").first().click();
  await expect(tree.locator("details").first()).toHaveAttribute("open", "");
  await shots(page, "chat-json");
  await context.close();
});

test("the chat of an agent that does not exist is a 404, of one that cannot be invoked says so", async ({
  browser,
  allowErrors,
}) => {
  // The 404s asked for below (Chromium logs each, and after one asks for /favicon.ico).
  allowErrors(/status of 404 .*\/chat\/(0{8}-|no-such-agent)/, /status of 404 .*\/favicon\.ico/);
  const { page, context } = await newSignedInPage(browser, "Nochat");
  // The not-found page, with its status: the chat page decides before anything is streamed.
  for (const missing of ["00000000-0000-4000-8000-000000000000", "no-such-agent"]) {
    const res = await page.goto(`/chat/${missing}`);
    expect(res?.status(), `/chat/${missing}`).toBe(404);
    await expect(page.getByText("Not found", { exact: true })).toBeVisible();
    await expect(page.getByLabel("Message")).toHaveCount(0);
  }

  const origin = new URL(page.url()).origin;
  const created = await page.request.post("/api/agents", {
    headers: { origin },
    data: { name: `Silent ${Date.now().toString(36)}`, description: "Sells work but has no runtime." },
  });
  expect(created.status()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  expect((await page.goto(`/chat/${id}`))?.status()).toBe(200);
  await expect(page.getByText("This agent does not chat")).toBeVisible();
  await expect(page.getByLabel("Message")).toHaveCount(0);
  await shots(page, "chat-no-chat");
  await context.close();
});
