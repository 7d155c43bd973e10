"use client";

import { useActionState } from "react";
import { createTokenAction, type TokenFormState } from "@/app/account/actions";
import type { Role } from "@/lib/auth/permissions";
import { CopyButton } from "@/components/CopyButton";

const input =
  "mt-1 block rounded border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-900";

export function TokenForm({ roles }: { roles: readonly Role[] }) {
  const [state, action, pending] = useActionState<TokenFormState, FormData>(createTokenAction, {});
  return (
    <form
      action={action}
      className="flex flex-wrap items-end gap-3 rounded border border-slate-200 p-4 dark:border-slate-800"
      aria-label="Create an API token"
    >
      <label className="text-sm font-medium">
        Name
        <input name="name" required maxLength={100} className={input} placeholder="ci-pipeline" />
        {state.errors?.name ? <span className="block text-red-800 dark:text-red-300">{state.errors.name}</span> : null}
      </label>
      <label className="text-sm font-medium">
        Role
        <select name="role" defaultValue={roles[0]} className={input}>
          {roles.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
        {state.errors?.role ? <span className="block text-red-800 dark:text-red-300">{state.errors.role}</span> : null}
      </label>
      <label className="text-sm font-medium">
        Expires after (days, empty: never)
        <input name="expiresInDays" type="number" min={1} max={3650} className={input} />
        {state.errors?.expiresInDays ? (
          <span className="block text-red-800 dark:text-red-300">{state.errors.expiresInDays}</span>
        ) : null}
      </label>
      <button
        type="submit"
        disabled={pending}
        className="rounded bg-sky-700 px-4 py-2 text-sm font-medium text-white hover:bg-sky-800 disabled:opacity-60"
      >
        Create token
      </button>
      {state.message ? (
        <p role="status" className="w-full text-sm">
          {state.message}
        </p>
      ) : null}
      {state.token ? (
        <div className="flex w-full items-center gap-2">
          <code data-testid="new-token" className="break-all rounded bg-slate-100 px-2 py-1 text-sm dark:bg-slate-800">
            {state.token}
          </code>
          <CopyButton text={() => state.token ?? ""} label="Copy token" />
        </div>
      ) : null}
    </form>
  );
}
