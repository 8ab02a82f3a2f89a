import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { createDatabase } from "../db/client";
import { installQueue } from "../lib/deploy/controller/queue";

declare module "vitest" {
  export interface ProvidedContext {
    pgliteSnapshot: string;
  }
}

/**
 * Creating a PGlite cluster (initdb) and migrating it costs seconds; doing it once and loading the dump in each
 * test file costs a fraction of that. The snapshot is a file in the OS temp folder, removed at the end of the run.
 */
export default async function setup(project: TestProject) {
  const database = await createDatabase({ pgliteDir: "memory://" });
  // The job queue's schema too (lib/deploy/controller/queue.ts): each test file would pay for it otherwise.
  await installQueue(database, 60);
  const client = (database.db as unknown as { $client: { dumpDataDir(c: "none"): Promise<Blob> } }).$client;
  const dump = await client.dumpDataDir("none");
  await database.close();
  const file = path.join(os.tmpdir(), `agent-market-pglite-${process.pid}-${Date.now()}.tar`);
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  project.provide("pgliteSnapshot", file);
  return () => fs.rmSync(file, { force: true });
}
