import path from "node:path";
import { defineConfig } from "vitest/config";

const root = import.meta.dirname;
const exclude = ["node_modules/**", ".next/**", "e2e/**", ".data/**"];
// Rate limits out of the way of tests that create many things as one caller; the rate-limit tests set small ones.
const testEnv = {
  // Limits high enough that only the rate-limit tests (which set their own) ever meet one.
  AUTH_RATE_LIMIT_PER_MIN: "100000",
  RATE_LIMIT_REGISTRATIONS_PER_HOUR: "100000",
  RATE_LIMIT_HIRES_PER_MIN: "100000",
  RATE_LIMIT_MESSAGES_PER_MIN: "100000",
  RATE_LIMIT_KEYS_PER_HOUR: "100000",
  RATE_LIMIT_RUNS_PER_MIN: "100000",
  RATE_LIMIT_INVOCATIONS_PER_MIN: "100000",
  RATE_LIMIT_SERVICES_PER_HOUR: "100000",
  SSE_MAX_CONNECTIONS_PER_CLIENT: "100000",
  // Faults are provoked on purpose in many tests; their log lines would only bury the runner's output.
  LOG_LEVEL: "fatal",
};

/**
 * Two projects: every test runs once against embedded PGlite (and pure unit tests only there);
 * tests named `*.db.test.ts` run again against the real PostgreSQL on 127.0.0.1:5432, and `*.pg.test.ts`
 * (Postgres-only: the Neon driver through a local proxy, several processes on one database) run only there.
 */
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@\//, replacement: `${root}/` },
      // `server-only` throws outside a React Server build; tests are server code.
      { find: /^server-only$/, replacement: path.join(root, "test/server-only.ts") },
    ],
  },
  test: {
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: "pglite",
          include: ["**/*.test.ts"],
          exclude: [...exclude, "**/*.pg.test.ts"],
          env: { TEST_DB: "pglite", NODE_ENV: "test", ...testEnv },
          globalSetup: ["test/pglite-global-setup.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "postgres",
          include: ["**/*.db.test.ts", "**/*.pg.test.ts"],
          exclude,
          env: { TEST_DB: "postgres", NODE_ENV: "test", ...testEnv },
          globalSetup: ["test/postgres-global-setup.ts"],
        },
      },
    ],
  },
});
