import { redirect } from "next/navigation";
import { AuthForm } from "@/components/auth/auth-form";
import { safeCallbackUrl } from "@/lib/auth/redirect";
import { currentUser } from "@/lib/client/server";
import { env } from "@/lib/env";

export const metadata = { title: "Sign in" };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string; error?: string }>;
}) {
  const { callbackUrl } = await searchParams;
  if (await currentUser()) redirect(safeCallbackUrl(callbackUrl));
  const e = env();
  return <AuthForm mode="signin" callbackUrl={callbackUrl} github={!!(e.GITHUB_ID && e.GITHUB_SECRET)} />;
}
