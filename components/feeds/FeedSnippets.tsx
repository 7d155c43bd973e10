import { CopyButton } from "@/components/CopyButton";
import { feedSnippets } from "@/lib/feeds/snippets";

/** The configuration for each firewall vendor, with copy buttons. */
export function FeedSnippets({
  name,
  format,
  tokenUrl,
  basicUrl,
  token,
  pollMinutes,
}: {
  name: string;
  format: "plain" | "checkpoint" | "json";
  tokenUrl: string;
  basicUrl: string;
  token: string;
  pollMinutes: number;
}) {
  const snippets = feedSnippets(name, format, { tokenUrl, basicUrl, token }, pollMinutes);
  return (
    <div className="space-y-3">
      {snippets.map((s) => (
        <figure key={s.vendor} className="rounded-md border border-slate-200 dark:border-slate-800">
          <figcaption className="flex items-center justify-between border-b border-slate-200 px-3 py-1.5 text-xs font-medium dark:border-slate-800">
            {s.vendor}
            <CopyButton
              text={() => s.text}
              label="Copy"
              ariaLabel={`Copy the ${s.vendor} configuration`}
              className="text-xs"
            />
          </figcaption>
          <pre className="overflow-x-auto p-3 font-mono text-xs" data-testid="feed-snippet">
            {s.text}
          </pre>
        </figure>
      ))}
    </div>
  );
}
