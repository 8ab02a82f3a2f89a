import "server-only";
import type { Tx } from "@/db/client";
import { processSingleton } from "@/lib/process-singleton";
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
const controller = processSingleton("__deployController", (opts?: ControllerOptions) => new Controller(opts).start());

/** Starts this process's controller (once; instrumentation.ts at app start, tests start their own `Controller`). */
export const startController: (opts?: ControllerOptions) => Promise<Controller> = controller.start;

/** Lets running steps finish, hands leases back and stops this process's instances. */
export const stopController: () => Promise<void> = controller.stop;
