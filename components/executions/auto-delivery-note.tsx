import type { AutoDelivery } from "@/lib/runtime/execute/estimate";
import { formatMs } from "./status-words";

/** "Delivered automatically by <agent>", with how long that took lately (the median of its recent runs). */
export function autoDeliveryText(auto: AutoDelivery): string {
  const { median_ms, samples } = auto.estimate;
  const estimate =
    median_ms === null
      ? "no recent runs to estimate from yet"
      : `usually in about ${formatMs(median_ms)} (median of its last ${samples} run${samples === 1 ? "" : "s"})`;
  return `Delivered automatically by ${auto.agent_name}: ${estimate}.`;
}

export function AutoDeliveryNote({ auto }: { auto: AutoDelivery }) {
  return (
    <p data-testid="auto-delivery" className="mb-4 rounded-md bg-accent/10 px-3 py-2 text-sm text-accent">
      {autoDeliveryText(auto)}
    </p>
  );
}
