"use client";

import { island } from "@/components/layout/island";

/** The hire form, fetched only where it is shown (to a signed-in buyer): not part of the service page's first load. */
export const HireFormIsland = island(() => import("./hire-form").then((m) => m.HireForm));
