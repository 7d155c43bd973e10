import type { Metadata } from "next";
import { TokenTable } from "@/components/account/TokenTable";
import { UserAdmin } from "@/components/account/UserAdmin";
import { requirePage } from "@/lib/auth/page";
import { listApiTokens } from "@/lib/db/api-token";
import { getDb } from "@/lib/db/client";
import { listUsers } from "@/lib/db/user";

export const metadata: Metadata = { title: "Users" };
export const dynamic = "force-dynamic";

export default async function UsersPage() {
  await requirePage("user:admin", "/users");
  const [users, tokens] = await Promise.all([listUsers(getDb()), listApiTokens(getDb())]);
  return (
    <div className="max-w-5xl space-y-8">
      <h1 className="text-2xl font-semibold tracking-tight">Users</h1>
      <UserAdmin
        users={users.map((u) => ({
          id: u.id,
          email: u.email,
          name: u.name,
          role: u.role,
          disabled: u.disabledAt !== null,
        }))}
      />
      <section className="space-y-3" aria-labelledby="all-tokens">
        <h2 id="all-tokens" className="text-lg font-semibold">
          Every API token
        </h2>
        <TokenTable tokens={tokens} showOwner />
      </section>
    </div>
  );
}
