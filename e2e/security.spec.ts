import { expect, test } from "./journey";

/*
 * The browser's side of the trust boundary: every page carries a nonce-based Content-Security-Policy that the app
 * itself never violates, nothing may frame it, and API paths answer in the one JSON error format even when Next
 * would have answered with an HTML page.
 */

const PAGES = ["/", "/signin", "/signup", "/stats", "/docs"];

test("pages carry the security headers and run with no policy violation", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "dark" });
  const violations: string[] = [];
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  await page.exposeFunction("reportViolation", (v: string) => violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) =>
      (window as unknown as { reportViolation: (v: string) => void }).reportViolation(
        `${e.violatedDirective} ${e.blockedURI}`,
      ),
    );
  });
  for (const path of PAGES) {
    const res = await page.goto(path);
    expect(res?.status(), path).toBe(200);
    const h = res!.headers();
    const csp = h["content-security-policy"] ?? "";
    expect(csp, path).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    expect(csp, path).toContain("frame-ancestors 'none'");
    expect(h["x-content-type-options"], path).toBe("nosniff");
    expect(h["referrer-policy"], path).toBe("strict-origin-when-cross-origin");
    // The inline theme script ran under the policy (it carries the nonce): a dark system theme shows.
    await expect(page.locator("html")).toHaveClass(/(^|\s)dark(\s|$)/);
    await page.waitForLoadState("networkidle");
  }
  expect(violations).toEqual([]);
  expect(errors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
});

test("injected markup runs no inline handler", async ({ page, allowErrors }) => {
  // Provoked on purpose: the injected image is missing, and the policy refuses its inline handler.
  allowErrors(/no-such-image\.png/, /Executing inline event handler violates the following Content Security Policy/);
  await page.goto("/");
  // What an HTML injection would add: an element with an inline event handler. The policy allows no inline
  // handler, so only the listener added here (a script of the page's own) sees the error event.
  const ran = await page.evaluate(
    () =>
      new Promise<boolean | undefined>((resolve) => {
        const w = window as unknown as { injected?: boolean };
        w.injected = false;
        const holder = document.createElement("div");
        holder.innerHTML = '<img src="/no-such-image.png" onerror="window.injected = true">';
        const img = holder.querySelector("img")!;
        img.addEventListener("error", () => resolve(w.injected));
        document.body.appendChild(holder);
      }),
  );
  expect(ran).toBe(false);
});

test("API paths answer JSON errors with nosniff, even for a malformed path", async ({ request }) => {
  const bad = await request.get("/api/jobs/%FF%FE");
  expect(bad.status()).toBe(400);
  expect(bad.headers()["content-type"]).toContain("application/json");
  expect(bad.headers()["x-content-type-options"]).toBe("nosniff");
  expect((await bad.json()).error).toBe("ValidationError");

  const nul = await request.get("/api/jobs/%00");
  expect(nul.status()).toBe(400);
  expect((await nul.json()).message).toMatch(/NUL/);

  const form = await request.post("/api/agents", {
    headers: { "content-type": "application/x-www-form-urlencoded" },
    data: "name=x",
  });
  expect(form.status()).toBe(415);
  expect((await form.json()).error).toBe("UnsupportedMediaTypeError");
});
