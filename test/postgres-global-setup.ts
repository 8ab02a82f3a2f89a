import type { TestProject } from "vitest/node";
import { createDatabase } from "../db/client";
import { installQueue } from "../lib/deploy/controller/queue";
import { adminQuery, databaseUrl, uniqueName } from "./postgres";

declare module "vitest" {
  export interface ProvidedContext {
    pgTemplate: string;
  }
}

/** Creates one migrated template database for the run; each test file clones it and drops its clone. */
export default async function setup(project: TestProject) {
  const template = uniqueName("am_tmpl");
  await adminQuery(`CREATE DATABASE ${template}`);
  const database = await createDatabase({ url: databaseUrl(template), driver: "pg" });
  // The job queue's schema too (lib/deploy/controller/queue.ts): each test file would pay for it otherwise.
  await installQueue(database, 60);
  await database.close();
  project.provide("pgTemplate", template);
  return async () => {
    await adminQuery(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
  };
}
