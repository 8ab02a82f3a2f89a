import type { Page } from "@playwright/test";

/*
 * What the settings and forms journeys share: every console error of a page (the browser's own line for a
 * refusal the journey provokes on purpose is told apart, and counted), and pictures of a page in both themes and
 * at phone width.
 */

/** The browser's line for a 4xx answer: expected only where a journey provokes a refusal on purpose. */
export const REFUSAL = /Failed to load resource: the server responded with a status of 4\d\d/;

/** Every console error and uncaught exception of `page` from now on. */
export function consoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(`uncaught: ${e.message}`));
  return errors;
}

/**
 * Saves `name`-light.png, `name`-dark.png and `name`-phone.png (dark, 390 px wide) under e2e/screenshots/. The theme
 * is switched as the theme toggle does (the `dark` class on <html>), so what the page shows stays as it is.
 */
export async function shots(page: Page, name: string): Promise<void> {
  const setDark = (dark: boolean) => page.evaluate((d) => document.documentElement.classList.toggle("dark", d), dark);
  const wasDark = await page.evaluate(() => document.documentElement.classList.contains("dark"));
  for (const theme of ["light", "dark"] as const) {
    await setDark(theme === "dark");
    await page.screenshot({ path: `e2e/screenshots/${name}-${theme}.png`, fullPage: true });
  }
  const size = page.viewportSize();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `e2e/screenshots/${name}-phone.png`, fullPage: true });
  if (size) await page.setViewportSize(size);
  await setDark(wasDark);
}
