import "server-only";
import type { Tx } from "@/db/client";

/**
 * Schedules a new deployment to be driven by the controller, in the caller's transaction so the deployment and its
 * first step commit together. (The controller itself is being built on the `controller` branch.)
 */
export async function enqueueDeployment(_tx: Tx, _deploymentId: string): Promise<void> {}
