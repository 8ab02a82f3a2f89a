import * as inboxRoute from "@/app/api/inbox/route";
import * as readRoute from "@/app/api/inbox/[id]/read/route";
import * as cancelRoute from "@/app/api/jobs/[id]/cancel/route";
import * as completeRoute from "@/app/api/jobs/[id]/complete/route";
import * as deliverableRoute from "@/app/api/jobs/[id]/deliverables/[deliverableId]/route";
import * as deliverablesRoute from "@/app/api/jobs/[id]/deliverables/route";
import * as deliverRoute from "@/app/api/jobs/[id]/deliver/route";
import * as messagesRoute from "@/app/api/jobs/[id]/messages/route";
import * as revisionRoute from "@/app/api/jobs/[id]/request-revision/route";
import * as jobRoute from "@/app/api/jobs/[id]/route";
import * as startRoute from "@/app/api/jobs/[id]/start/route";
import * as jobsRoute from "@/app/api/jobs/route";
import { call, type CallResult } from "@/test/http";
import type { JobAction } from "./job-machine";
import type { Actor } from "./test-fixtures";

/** The hiring routes, called the way Next calls them (tests only). */

const TRANSITION_ROUTES: Record<JobAction, { POST: typeof startRoute.POST }> = {
  start: startRoute,
  deliver: deliverRoute,
  "request-revision": revisionRoute,
  complete: completeRoute,
  cancel: cancelRoute,
};

export const api = {
  hire: (as: Actor, body: Record<string, unknown>): Promise<CallResult> =>
    call(jobsRoute.POST, "/api/jobs", { ...as, body }),
  list: (as: Actor, query: Record<string, string | number | undefined> = {}): Promise<CallResult> =>
    call(jobsRoute.GET, "/api/jobs", { ...as, query }),
  get: (as: Actor, id: string): Promise<CallResult> => call(jobRoute.GET, `/api/jobs/${id}`, { ...as, params: { id } }),
  act: (as: Actor, action: JobAction, id: string, body: Record<string, unknown> = {}): Promise<CallResult> =>
    call(TRANSITION_ROUTES[action].POST, `/api/jobs/${id}/${action}`, { ...as, params: { id }, body }),
  deliverables: (as: Actor, id: string, query: Record<string, string | number | undefined> = {}): Promise<CallResult> =>
    call(deliverablesRoute.GET, `/api/jobs/${id}/deliverables`, { ...as, params: { id }, query }),
  deliverable: (as: Actor, id: string, deliverableId: string): Promise<CallResult> =>
    call(deliverableRoute.GET, `/api/jobs/${id}/deliverables/${deliverableId}`, {
      ...as,
      params: { id, deliverableId },
    }),
  jobMessages: (as: Actor, id: string, query: Record<string, string | number | undefined> = {}): Promise<CallResult> =>
    call(messagesRoute.GET, `/api/jobs/${id}/messages`, { ...as, params: { id }, query }),
  sendMessage: (as: Actor, id: string, body: Record<string, unknown>): Promise<CallResult> =>
    call(messagesRoute.POST, `/api/jobs/${id}/messages`, { ...as, params: { id }, body }),
  inbox: (as: Actor, query: Record<string, string | number | undefined> = {}): Promise<CallResult> =>
    call(inboxRoute.GET, "/api/inbox", { ...as, query }),
  read: (as: Actor, id: string): Promise<CallResult> =>
    call(readRoute.POST, `/api/inbox/${id}/read`, { ...as, params: { id }, method: "POST" }),
};

/** A body that makes a transition valid (each action's required fields). */
export function validBody(action: JobAction): Record<string, unknown> {
  switch (action) {
    case "deliver":
      return { content: "the work" };
    case "request-revision":
      return { reason: "please change it" };
    case "complete":
      return { rating: 5 };
    default:
      return {};
  }
}
