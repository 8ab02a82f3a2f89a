// Next's start-up hook. The runtime reconciler (lib/runtime/reconciler.ts) runs in the Node.js server only:
// its first sweep settles executions a previous app process left live, later sweeps keep them current.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { startReconciler } = await import("@/lib/runtime/reconciler");
    startReconciler();
  }
}
