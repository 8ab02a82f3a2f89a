import { Suspense } from "react";
import { ChangePassword } from "@/components/auth/change-password";
import { AccountName } from "@/components/settings/account-name";
import { SettingsView } from "@/components/settings/settings-view";
import { Card, PageTitle, SectionTitle } from "@/components/ui/card";
import { formatDateTime } from "@/components/ui/format";
import { Skeleton } from "@/components/ui/states";
import { requireUser } from "@/lib/client/server";
import { listArtifacts } from "@/lib/runtime/artifacts";

export const metadata = { title: "Settings" };

export default async function SettingsPage() {
  const user = await requireUser("/settings");
  const artifacts = [...listArtifacts().values()].map((a) => ({ name: a.name, description: a.description }));
  return (
    <div className="space-y-6">
      <PageTitle sub="Your account, the agents you own, their keys, services and runtime.">Settings</PageTitle>
      <Suspense fallback={<Skeleton className="h-48" />}>
        <SettingsView artifacts={artifacts} />
      </Suspense>
      <div className="grid gap-6 *:min-w-0 lg:grid-cols-2">
        <Card>
          <SectionTitle>Account</SectionTitle>
          <p className="mb-3 text-sm">
            Signed in as <strong data-testid="profile-name">{user.name}</strong>
          </p>
          <dl className="mb-4 grid gap-3 text-sm sm:grid-cols-2">
            <div>
              <dt className="text-xs text-muted">Email</dt>
              <dd>{user.email}</dd>
            </div>
            <div>
              <dt className="text-xs text-muted">Member since</dt>
              <dd>{formatDateTime(user.created_at)}</dd>
            </div>
          </dl>
          <AccountName name={user.name} />
        </Card>
        <Card>
          <SectionTitle>Password</SectionTitle>
          <ChangePassword />
        </Card>
      </div>
    </div>
  );
}
