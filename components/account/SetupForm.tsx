"use client";

import { useActionState } from "react";
import { createFirstAdminAction, type SetupState } from "@/app/setup/actions";

const input =
  "mt-1 block w-full rounded border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-900";

export function SetupForm({ minLength }: { minLength: number }) {
  const [state, action, pending] = useActionState<SetupState, FormData>(createFirstAdminAction, {});
  const err = (k: keyof NonNullable<SetupState["errors"]>) =>
    state.errors?.[k] ? (
      <span className="mt-1 block text-sm font-normal text-red-800 dark:text-red-300">{state.errors[k]}</span>
    ) : null;
  return (
    <form action={action} className="space-y-4" aria-label="Create the first admin">
      <label className="block text-sm font-medium">
        E-mail
        <input name="email" type="email" autoComplete="username" required className={input} />
        {err("email")}
      </label>
      <label className="block text-sm font-medium">
        Name
        <input name="name" autoComplete="name" className={input} />
        {err("name")}
      </label>
      <label className="block text-sm font-medium">
        Password (at least {minLength} characters)
        <input
          name="password"
          type="password"
          autoComplete="new-password"
          minLength={minLength}
          required
          className={input}
        />
        {err("password")}
      </label>
      <label className="block text-sm font-medium">
        Password again
        <input name="confirm" type="password" autoComplete="new-password" required className={input} />
        {err("confirm")}
      </label>
      {state.message ? (
        <p role="alert" className="text-sm text-red-800 dark:text-red-300">
          {state.message}
        </p>
      ) : null}
      <button
        type="submit"
        disabled={pending}
        className="rounded bg-sky-700 px-4 py-2 text-sm font-medium text-white hover:bg-sky-800 disabled:opacity-60"
      >
        Create admin
      </button>
    </form>
  );
}
