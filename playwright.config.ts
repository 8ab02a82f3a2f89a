import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, rmSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";

/*
 * Browser journeys in Debian's Chromium (Playwright cannot download its own here). The web server is built and
 * started on its own port with a fresh PGlite folder, so a run never depends on what an earlier one left.
 * E2E_BASE_URL runs the journeys against a server that is already up instead (e.g. `npm run dev`).
 */
const port = Number(process.env.E2E_PORT ?? 3199);
const external = process.env.E2E_BASE_URL;
const baseURL = external ?? `http://127.0.0.1:${port}`;
// Fixed once in the main process (workers inherit the variable and load this file again).
process.env.E2E_DATA_DIR ??= `.data/e2e-${Date.now()}`;
const dataDir = process.env.E2E_DATA_DIR;
// Folders of earlier runs are of no further use.
for (const name of existsSync(".data") ? readdirSync(".data") : []) {
  if (name.startsWith("e2e-") && `.data/${name}` !== dataDir) rmSync(`.data/${name}`, { recursive: true, force: true });
}
const env = [
  `PGLITE_DIR=${dataDir}`,
  "AUTH_RATE_LIMIT_PER_MIN=1000",
  // The journeys create, hire, message and stream from one address and a few callers, faster than people do.
  "RATE_LIMIT_REGISTRATIONS_PER_HOUR=10000",
  "RATE_LIMIT_HIRES_PER_MIN=10000",
  "RATE_LIMIT_MESSAGES_PER_MIN=10000",
  "RATE_LIMIT_KEYS_PER_HOUR=10000",
  "RATE_LIMIT_RUNS_PER_MIN=10000",
  "RATE_LIMIT_INVOCATIONS_PER_MIN=10000",
  "RATE_LIMIT_SERVICES_PER_HOUR=10000",
  "SSE_MAX_CONNECTIONS_PER_CLIENT=1000",
  // The admin of the disputes journey (e2e/disputes.spec.ts), who signs up with this address.
  "OPERATOR_EMAILS=e2e-admin@example.com",
  // A fresh secret per run (workers inherit it through the environment), never a constant in the source.
  `NEXTAUTH_SECRET=${(process.env.E2E_NEXTAUTH_SECRET ??= randomBytes(32).toString("base64url"))}`,
  `NEXTAUTH_URL=${baseURL}`,
].join(" ");
// The dev script also seeds the demo agents and starts the local AWS doubles that run/chat need.
const start = `${env} npx tsx --conditions=react-server scripts/dev.ts --start --port ${port}`;

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  timeout: 120_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: process.env.CI ? 1 : 2,
  retries: process.env.CI ? 1 : 0,
  reporter: [["list"]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    actionTimeout: 20_000,
    navigationTimeout: 60_000,
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], channel: undefined } }],
  webServer: external
    ? undefined
    : {
        command: `npx next build && ${start}`,
        url: `${baseURL}/api/health`,
        reuseExistingServer: !process.env.CI,
        timeout: 900_000,
        stdout: "pipe",
        stderr: "pipe",
      },
});
