import type { ReactNode } from "react";
import { Providers } from "@/app/providers";

/**
 * The chat page: react-query like the (live) pages, but outside their loading boundary, so that the page decides
 * before anything is streamed and an agent that does not exist is an HTTP 404 (not a 200 with a not-found body).
 */
export default function ChatLayout({ children }: { children: ReactNode }) {
  return <Providers>{children}</Providers>;
}
