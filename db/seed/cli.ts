// npm run db:seed - applies migrations, then writes the demo data if the database has no agent yet.
import nextEnv from "@next/env";
import { configFromEnv, createDatabase } from "../client";
import { seedIfEmpty } from "./index";

nextEnv.loadEnvConfig(process.cwd());
const database = await createDatabase(configFromEnv());
const seeded = await seedIfEmpty(database);
console.log(seeded ? "demo data seeded" : "the database already has agents: nothing seeded");
await database.close();
