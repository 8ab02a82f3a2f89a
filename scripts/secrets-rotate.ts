/**
 * `npm run secrets:rotate`: re-encrypts every agent secret under the current SECRETS_KEY.
 * Rotation: set SECRETS_KEY_PREVIOUS to the old key and SECRETS_KEY to a new one, deploy (both decrypt), run this,
 * then remove SECRETS_KEY_PREVIOUS. A value encrypted under neither key stops the run with its key id. Runtimes
 * stored in the older shape with an inline `env` are migrated first (lib/runtime/legacy.ts).
 */
import nextEnv from "@next/env";

nextEnv.loadEnvConfig(process.cwd());
const { configFromEnv, createDatabase, setDatabase } = await import("../db/client");
const { rotateSecrets } = await import("../lib/runtime/secrets/store");
const { migrateLegacyRuntimes } = await import("../lib/runtime/legacy");

const database = await createDatabase(configFromEnv());
setDatabase(database);
try {
  const migrated = await migrateLegacyRuntimes(database);
  if (migrated) console.log(`[secrets] ${migrated} legacy runtime(s) moved their env into encrypted secrets`);
  const { rotated, current } = await rotateSecrets(database.db);
  console.log(`[secrets] ${rotated} value(s) re-encrypted under key ${current}`);
} catch (err) {
  console.error(`[secrets] rotation failed: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await database.close();
}
