// npm run db:migrate - applies the committed migrations to the configured database (PGlite by default).
import nextEnv from "@next/env";
import { installQueue } from "../lib/deploy/controller/queue";
import { configFromEnv, createDatabase } from "./client";

nextEnv.loadEnvConfig(process.cwd());
const database = await createDatabase(configFromEnv());
// pg-boss's schema and the app's queues: any process can enqueue from the first request on.
await installQueue(database, 60);
console.log(`migrations applied, queues installed (${database.driver})`);
await database.close();
