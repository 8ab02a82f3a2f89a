import "server-only";
import { ApiError } from "@/lib/api/errors";
import { callInstance, Unreached, type RoutedAnswer, type RoutedCall } from "./instance-call";
import { pickInstance, pickVersion } from "./pick";
import { forgetRoute, routeView } from "./route-view";

/**
 * The one way into a deployed agent: for an agent and environment, pick a version by the route's weights
 * (route-view.ts caches them, pick.ts chooses), the least loaded healthy instance of it, call the agent contract's
 * POST /invocations through the instance's socket within the version's timeout, and record the outcome for that
 * version (instance-call.ts, lib/metrics/recorder.ts).
 */

export { forgetRoute, hasRoute } from "./route-view";
export type { RoutedAnswer, RoutedCall } from "./instance-call";

/**
 * Calls the deployed agent. 503 (Retry-After) when no version has a healthy instance, 504 past the version's
 * timeout, 503 when the agent failed to answer; the agent's own 4xx (bad input) is passed on as its answer.
 */
export async function routeCall(call: RoutedCall): Promise<RoutedAnswer> {
  let view = await routeView(call.agentId, call.environment);
  if (!view) throw new ApiError(404, "NotFoundError", `The agent has no deployment in ${call.environment}`);
  const skip = new Set<string>();
  // An instance that refuses the connection never saw the call (it was stopped after this process read the
  // route): read the route again and try another one.
  for (let attempt = 0; attempt < 3 && view; attempt++) {
    const versionId = pickVersion(view, skip);
    const instance = versionId ? pickInstance(view.instances.get(versionId) ?? [], skip) : null;
    if (!versionId || !instance) break;
    const v = view.versions.get(versionId) ?? { version: "", timeoutMs: 30_000 };
    try {
      return await callInstance(call, versionId, v, instance);
    } catch (err) {
      if (!(err instanceof Unreached)) throw err;
      skip.add(instance.id);
      await forgetRoute(call.agentId, call.environment);
      view = await routeView(call.agentId, call.environment);
    }
  }
  throw new ApiError(
    503,
    "ServiceUnavailableError",
    "No healthy instance can take the call; try again shortly",
    undefined,
    {
      "Retry-After": "1",
    },
  );
}
