import { ButtonLink } from "@/components/ui/button-link";
import { EmptyState } from "@/components/ui/states";

export default function NotFound() {
  return (
    <EmptyState title="Not found" action={<ButtonLink href="/">Back to browsing</ButtonLink>}>
      There is nothing at this address, or you are not allowed to see it.
    </EmptyState>
  );
}
