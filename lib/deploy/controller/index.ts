import "server-only";
import type { Tx } from "@/db/client";
import { Controller, type ControllerOptions } from "./controller";
import { sendStep } from "./queue";

export { Controller, type ControllerOptions };

/**
 * Schedules a new deployment's first step, in the caller's transaction: the deployment and its first step commit
 * together (and a controller is woken on commit).
 */
export async function enqueueDeployment(tx: Tx, deploymentId: string): Promise<void> {
  await sendStep(tx, deploymentId, 0, 0);
}

// One controller per process, kept across hot reloads.
const globalForController = globalThis as unknown as { __deployController?: Promise<Controller> };

/** Starts this process's controller (once; instrumentation.ts at app start, tests start their own `Controller`). */
export function startController(opts?: ControllerOptions): Promise<Controller> {
  if (!globalForController.__deployController) {
    const starting = new Controller(opts).start();
    starting.catch(() => {
      if (globalForController.__deployController === starting) globalForController.__deployController = undefined;
    });
    globalForController.__deployController = starting;
  }
  return globalForController.__deployController;
}

/** Lets running steps finish, hands leases back and stops this process's instances. */
export async function stopController(): Promise<void> {
  const current = globalForController.__deployController;
  globalForController.__deployController = undefined;
  await (await current?.catch(() => undefined))?.stop();
}
