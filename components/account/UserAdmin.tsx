"use client";

import { useActionState } from "react";
import { createUserAction, updateUserAction, type UserFormState } from "@/app/users/actions";
import { ROLES, type Role } from "@/lib/auth/permissions";

const input =
  "mt-1 block rounded border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-900";

interface Row {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly disabled: boolean;
}

function Status({ state }: { state: UserFormState }) {
  return state.message ? (
    <p role={state.ok ? "status" : "alert"} className={`text-sm ${state.ok ? "" : "text-red-800 dark:text-red-300"}`}>
      {state.message}
    </p>
  ) : null;
}

function UserRow({ user }: { user: Row }) {
  const [state, action, pending] = useActionState<UserFormState, FormData>(updateUserAction, {});
  return (
    <tr className="border-b border-slate-100 align-top dark:border-slate-900">
      <td className="py-2 pr-3">{user.email}</td>
      <td className="py-2 pr-3">{user.name}</td>
      <td className="py-2 pr-3">
        <form action={action} className="flex gap-2">
          <input type="hidden" name="id" value={user.id} />
          <select
            name="role"
            defaultValue={user.role}
            aria-label={`Role of ${user.email}`}
            className="rounded border border-slate-300 px-2 py-1 dark:border-slate-700 dark:bg-slate-900"
          >
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
          <button type="submit" disabled={pending} className="underline">
            Set role
          </button>
        </form>
        <Status state={state} />
      </td>
      <td className="py-2 pr-3">{user.disabled ? "disabled" : "active"}</td>
      <td className="py-2">
        <form action={action}>
          <input type="hidden" name="id" value={user.id} />
          <input type="hidden" name="disabled" value={user.disabled ? "0" : "1"} />
          <button type="submit" disabled={pending} className="underline">
            {user.disabled ? "Enable" : "Disable"}
          </button>
        </form>
      </td>
    </tr>
  );
}

export function UserAdmin({ users }: { users: readonly Row[] }) {
  const [state, action, pending] = useActionState<UserFormState, FormData>(createUserAction, {});
  return (
    <div className="space-y-6">
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm">
          <thead>
            <tr className="border-b border-slate-200 dark:border-slate-800">
              <th className="py-2 pr-3">E-mail</th>
              <th className="py-2 pr-3">Name</th>
              <th className="py-2 pr-3">Role</th>
              <th className="py-2 pr-3">State</th>
              <th className="py-2" />
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <UserRow key={u.id} user={u} />
            ))}
          </tbody>
        </table>
      </div>
      <form
        action={action}
        className="flex flex-wrap items-end gap-3 rounded border border-slate-200 p-4 dark:border-slate-800"
        aria-label="Add a user"
      >
        <label className="text-sm font-medium">
          E-mail
          <input name="email" type="email" required className={input} />
          {state.errors?.email ? (
            <span className="block text-red-800 dark:text-red-300">{state.errors.email}</span>
          ) : null}
        </label>
        <label className="text-sm font-medium">
          Name
          <input name="name" className={input} />
        </label>
        <label className="text-sm font-medium">
          Role
          <select name="role" defaultValue="viewer" className={input}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm font-medium">
          First password
          <input
            name="password"
            type="password"
            autoComplete="new-password"
            minLength={12}
            required
            className={input}
          />
          {state.errors?.password ? (
            <span className="block text-red-800 dark:text-red-300">{state.errors.password}</span>
          ) : null}
        </label>
        <button
          type="submit"
          disabled={pending}
          className="rounded bg-sky-700 px-4 py-2 text-sm font-medium text-white hover:bg-sky-800 disabled:opacity-60"
        >
          Add user
        </button>
        <div className="w-full">
          <Status state={state} />
        </div>
      </form>
    </div>
  );
}
