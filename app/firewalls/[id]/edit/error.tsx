"use client";

import { ErrorPanel } from "@/components/ErrorPanel";

export default function FirewallEditError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <ErrorPanel
      title="The editor could not be opened"
      message={`The server failed while reading or checking it. Check the server log${error.digest ? ` (reference ${error.digest})` : ""}.`}
      retry={reset}
    />
  );
}
