"use client";

/** The one way a screen says it failed: what happened, in a sentence, and a way to retry. */
export function ErrorPanel({ title, message, retry }: { title: string; message: string; retry?: () => void }) {
  return (
    <div role="alert" className="rounded-lg border border-red-300 bg-red-50 p-5 dark:border-red-900 dark:bg-red-950/40">
      <h1 className="text-lg font-semibold text-red-900 dark:text-red-200">{title}</h1>
      <p className="mt-2 text-sm text-red-800 dark:text-red-300">{message}</p>
      {retry ? (
        <button
          type="button"
          onClick={retry}
          className="mt-4 rounded-md bg-red-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-800"
        >
          Try again
        </button>
      ) : null}
    </div>
  );
}
