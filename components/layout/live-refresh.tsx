"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import type { MarketEvent } from "@/lib/client/types";
import { MARKET_EVENT } from "@/lib/client/live";

/**
 * For server-rendered pages: re-renders the page (router.refresh) when an event of one of `subjects` arrives,
 * at most once a second, so data-heavy pages stay server components and still update without a reload.
 */
export function LiveRefresh({ subjects, ids }: { subjects: string[]; ids?: string[] }) {
  const router = useRouter();
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const key = subjects.join(",") + "|" + (ids ?? []).join(",");
  useEffect(() => {
    const [subs, idList] = key.split("|").map((s) => s.split(",").filter(Boolean)) as [string[], string[]];
    const onEvent = (e: Event) => {
      const ev = (e as CustomEvent<MarketEvent>).detail;
      if (!subs.includes(ev.subject_type)) return;
      if (idList.length && !idList.includes(ev.subject_id) && !ev.agent_ids.some((a) => idList.includes(a))) return;
      if (timer.current) return;
      timer.current = setTimeout(() => {
        timer.current = null;
        router.refresh();
      }, 1000);
    };
    window.addEventListener(MARKET_EVENT, onEvent);
    return () => {
      window.removeEventListener(MARKET_EVENT, onEvent);
      if (timer.current) clearTimeout(timer.current);
    };
  }, [key, router]);
  return null;
}
