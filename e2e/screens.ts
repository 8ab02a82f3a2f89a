import { expect, type Page } from "@playwright/test";

/**
 * Review pictures of a page: light and dark at desktop width, and light at phone width (git-ignored, under
 * e2e/screenshots/). The theme is switched the way the header's toggle does it (the `dark` class on <html>).
 */
export async function themedScreens(page: Page, name: string): Promise<void> {
  const size = page.viewportSize() ?? { width: 1280, height: 720 };
  for (const theme of ["light", "dark"] as const) {
    await page.evaluate((dark) => document.documentElement.classList.toggle("dark", dark), theme === "dark");
    await page.screenshot({ path: `e2e/screenshots/${name}-${theme}.png`, fullPage: true });
  }
  await page.evaluate(() => document.documentElement.classList.remove("dark"));
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `e2e/screenshots/${name}-phone.png`, fullPage: true });
  await page.evaluate(() => document.documentElement.classList.add("dark"));
  await page.screenshot({ path: `e2e/screenshots/${name}-phone-dark.png`, fullPage: true });
  await page.evaluate(() => document.documentElement.classList.remove("dark"));
  await page.setViewportSize(size);
}

/** Collects console errors and uncaught page errors; `expectNone()` at the end of a journey. */
export function watchConsole(page: Page): { expectNone: () => void } {
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  return { expectNone: () => expect(errors, "console errors").toEqual([]) };
}
