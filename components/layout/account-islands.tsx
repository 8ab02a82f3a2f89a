"use client";

import { island } from "./island";

/*
 * What only a signed-in visitor's pages run (sign-out, the unread count, the live event stream and the pages that
 * refresh on it), each a chunk of its own fetched when rendered: a visitor's first load carries none of it.
 */
export const SignOutIsland = island(() => import("./sign-out-button").then((m) => m.SignOutButton));
export const UnreadIsland = island(() => import("@/components/inbox/unread-badge").then((m) => m.UnreadBadge));
export const LiveEventsIsland = island(() => import("./live-events").then((m) => m.LiveEvents));
export const LiveRefreshIsland = island(() => import("./live-refresh").then((m) => m.LiveRefresh));
