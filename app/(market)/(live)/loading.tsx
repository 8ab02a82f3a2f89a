import { PageSkeleton } from "@/components/ui/states";

/**
 * The skeleton of the interactive pages while the server renders them. Only here: a loading boundary streams the
 * response (status 200) before the page runs, so pages that answer 404 for an unknown id (agent, service, chat)
 * sit outside it.
 */
export default function Loading() {
  return <PageSkeleton />;
}
