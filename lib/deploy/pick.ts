import { inflightOf } from "./instances/load";
import type { RouteView } from "./route-view";

/* The router's choices: a version by the route's weights, then the least loaded of its healthy instances. */

/** A version by weight; one without a usable instance (healthy, not `skip`ped) is passed over while another has one. */
export function pickVersion(view: RouteView, skip: Set<string>, roll = Math.random() * 100): string | null {
  const usable = (v: string) => view.instances.get(v)?.some((i) => !skip.has(i.id)) ?? false;
  const total = view.weights.reduce((n, w) => n + w.weight, 0);
  let at = (roll / 100) * total;
  let chosen = view.weights[view.weights.length - 1]?.version_id ?? null;
  for (const w of view.weights) {
    if (at < w.weight) {
      chosen = w.version_id;
      break;
    }
    at -= w.weight;
  }
  if (chosen && usable(chosen)) return chosen;
  return view.weights.find((w) => usable(w.version_id))?.version_id ?? null;
}

export function pickInstance(list: { id: string; address: string }[], skip: Set<string>) {
  let best: { id: string; address: string } | null = null;
  let load = Infinity;
  for (const i of list) {
    if (skip.has(i.id)) continue;
    const n = inflightOf(i.id);
    if (n < load || (n === load && Math.random() < 0.5)) {
      best = i;
      load = n;
    }
  }
  return best;
}
