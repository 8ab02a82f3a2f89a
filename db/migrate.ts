// npm run db:migrate - applies the committed migrations to the configured database (PGlite by default).
import nextEnv from "@next/env";
import { configFromEnv, createDatabase } from "./client";

nextEnv.loadEnvConfig(process.cwd());
const database = await createDatabase(configFromEnv());
console.log(`migrations applied (${database.driver})`);
await database.close();
