/**
 * `npm run secrets:rotate`: re-encrypts every agent secret under the current SECRETS_KEY (issue 8).
 * Rotation: set SECRETS_KEY_PREVIOUS to the old key and SECRETS_KEY to a new one, deploy (both decrypt), run this,
 * then remove SECRETS_KEY_PREVIOUS. Values encrypted under neither key are reported and left as they are.
 */
import nextEnv from "@next/env";

nextEnv.loadEnvConfig(process.cwd());
const { configFromEnv, createDatabase, setDatabase } = await import("../db/client");
const { rotateSecrets } = await import("../lib/runtime/secrets/store");

const database = await createDatabase(configFromEnv());
setDatabase(database);
try {
  const { rotated, current } = await rotateSecrets(database.db);
  console.log(`[secrets] ${rotated} value(s) re-encrypted under key ${current}`);
} catch (err) {
  console.error(`[secrets] rotation failed: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await database.close();
}
