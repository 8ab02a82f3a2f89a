// Next's start-up hook. The runtime reconciler (lib/runtime/reconciler.ts) runs in the Node.js server only:
// its first sweep settles executions a previous app process left live, later sweeps keep them current. So does the
// deployment controller (lib/deploy/controller).
// The peer-address hook (lib/api/peer-address.ts) lets route handlers see the socket's address.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    // First: from now on every request carries its socket's address for the per-address rate limits.
    const { installPeerAddressHook } = await import("@/lib/api/peer-address");
    installPeerAddressHook();
    // The session secret first: a production server without NEXTAUTH_SECRET refuses to start, with the reason;
    // in development this creates .data/nextauth-secret on first start.
    const { assertAuthSecret } = await import("@/lib/auth/secret");
    try {
      assertAuthSecret();
    } catch (err) {
      console.error(`[start] ${(err as Error).message}`);
      process.exit(1);
    }
    const { startReconciler } = await import("@/lib/runtime/reconciler");
    startReconciler();
    // The periodic sweeps (pg-boss cron): auto-accepting delivered jobs, expiring idempotency keys.
    const { startSchedulesOnce } = await import("@/lib/schedules");
    startSchedulesOnce().catch((err: Error) => console.error(`[start] schedules: ${err.message}`));
    // The deployment controller: picks up every deployment still in progress and keeps deployed instances healthy.
    // On shutdown it lets running steps finish, hands its leases back and stops this process's sandboxes.
    const { env } = await import("@/lib/env");
    // The execution worker (POST /api/agents/{id}/execute): takes queued executions and delivers their callbacks;
    // on shutdown it lets running attempts finish, and the queued ones wait in the database for the next start.
    if (env().EXECUTE_WORKER) {
      const { startExecutionWorker, stopExecutionWorker } = await import("@/lib/runtime/execute/worker");
      startExecutionWorker().catch((err: Error) => console.error(`[start] execution worker: ${err.message}`));
      for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => void stopExecutionWorker());
      // A2A push notifications (lib/protocols/a2a/push): signed POSTs of task changes, retried like the callbacks.
      const { startPushDispatcher, stopPushDispatcher } = await import("@/lib/protocols/a2a/push/dispatcher");
      startPushDispatcher().catch((err: Error) => console.error(`[start] push notifications: ${err.message}`));
      for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => void stopPushDispatcher());
    }
    if (env().DEPLOY_CONTROLLER) {
      const { startController, stopController } = await import("@/lib/deploy/controller");
      startController().catch((err: Error) => console.error(`[start] deployment controller: ${err.message}`));
      for (const signal of ["SIGTERM", "SIGINT"] as const) {
        process.once(signal, () => {
          void stopController().finally(() => process.exit(0));
        });
      }
    }
  }
}
