import { PageSkeleton } from "@/components/ui/states";

/**
 * The skeleton of the list pages (jobs, inbox, runs, settings, wallet) while the server renders them. Only these:
 * a loading boundary streams the response (status 200) before the page runs, so every page that answers 404 for
 * an unknown id or to the wrong person (a job, an execution, an agent's deployments, the admin page; agent,
 * service and chat outside this group) sits outside it.
 */
export default function Loading() {
  return <PageSkeleton />;
}
