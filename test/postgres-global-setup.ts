import type { TestProject } from "vitest/node";
import { createDatabase } from "../db/client";
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
  await database.close();
  project.provide("pgTemplate", template);
  return async () => {
    await adminQuery(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
  };
}
