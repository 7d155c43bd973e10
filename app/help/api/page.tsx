import type { Metadata } from "next";
import Link from "next/link";
import { DatabaseProblem } from "@/components/DatabaseProblem";
import { requirePage } from "@/lib/auth/page";
import { apiOperations, currentRegions, requestJsonSchema, type ApiOperation } from "@/lib/api/openapi";
import { DatabaseError } from "@/lib/db/errors";

export const metadata: Metadata = {
  title: "REST API",
  description: "The /api/v1 operations, their permissions and request bodies.",
};
export const dynamic = "force-dynamic";

type Schema = {
  type?: string | string[];
  enum?: unknown[];
  anyOf?: Schema[];
  default?: unknown;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
};

/** A JSON Schema type in a few words: "string", "integer | string", "one of tcp, udp", "object". */
function typeOf(s: Schema): string {
  if (s.enum) return `one of ${s.enum.map(String).join(", ")}`;
  if (s.anyOf) return s.anyOf.map(typeOf).join(" | ");
  if (Array.isArray(s.type)) return s.type.join(" | ");
  if (s.type === "array") return `array of ${s.items ? typeOf(s.items) : "values"}`;
  return s.type ?? "any";
}

const METHOD_TONE: Record<ApiOperation["method"], string> = {
  get: "bg-sky-100 text-sky-900 dark:bg-sky-900 dark:text-sky-100",
  post: "bg-emerald-100 text-emerald-900 dark:bg-emerald-900 dark:text-emerald-100",
  put: "bg-amber-100 text-amber-900 dark:bg-amber-900 dark:text-amber-100",
  delete: "bg-red-100 text-red-900 dark:bg-red-900 dark:text-red-100",
};

function Fields({ schema, caption }: { schema: Schema; caption: string }) {
  const entries = Object.entries(schema.properties ?? {});
  return (
    <div className="relative overflow-x-auto rounded-md border border-slate-200 dark:border-slate-800">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-600 dark:bg-slate-900 dark:text-slate-400">
          <tr>
            <th scope="col" className="px-3 py-1.5">
              Field
            </th>
            <th scope="col" className="px-3 py-1.5">
              Type
            </th>
            <th scope="col" className="px-3 py-1.5">
              Required
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {entries.map(([name, s]) => (
            <tr key={name}>
              <td className="px-3 py-1.5 font-mono text-[13px]">{name}</td>
              <td className="px-3 py-1.5 break-words">
                {typeOf(s)}
                {s.default !== undefined ? (
                  <span className="text-slate-600 dark:text-slate-400"> (default {JSON.stringify(s.default)})</span>
                ) : null}
              </td>
              <td className="px-3 py-1.5">{schema.required?.includes(name) ? "yes" : "no"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default async function ApiHelpPage() {
  await requirePage("catalog:read", "/help/api");
  let regions: readonly string[];
  try {
    regions = await currentRegions();
  } catch (error) {
    if (error instanceof DatabaseError) return <DatabaseProblem message={error.message} />;
    throw error;
  }
  const operations = apiOperations(regions);
  const tags = [...new Set(operations.map((o) => o.tag))];
  return (
    <article className="max-w-4xl space-y-6 leading-relaxed">
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold tracking-tight">REST API</h1>
        <p className="text-slate-700 dark:text-slate-300">
          The same engine as the pages and the command line, under <code>/api/v1</code>. The machine-readable
          description is the OpenAPI 3.1 document at{" "}
          <a
            href="/api/v1/openapi.json"
            className="font-medium text-sky-700 underline underline-offset-2 dark:text-sky-400"
          >
            /api/v1/openapi.json
          </a>
          , generated from the very schemas the handlers validate with, so it cannot drift from them.
        </p>
        <p className="text-slate-700 dark:text-slate-300">
          When <code>ALLOWLIST_API_TOKENS</code> is set, send <code>Authorization: Bearer &lt;token&gt;</code>; the
          token&apos;s role decides what it may do. Every error has one shape:{" "}
          <code className="break-words">{`{"error": {"status", "code", "message", "issues"?}}`}</code>. See{" "}
          <Link href="/help" className="font-medium text-sky-700 underline underline-offset-2 dark:text-sky-400">
            why these IPs
          </Link>{" "}
          for what the answers mean.
        </p>
      </div>
      {tags.map((tag) => (
        <section key={tag} aria-labelledby={`api-${tag}`} className="space-y-3">
          <h2 id={`api-${tag}`} className="text-lg font-semibold capitalize">
            {tag}
          </h2>
          <ul className="space-y-3">
            {operations
              .filter((o) => o.tag === tag)
              .map((op) => {
                const body = op.body ? (requestJsonSchema(op.body) as Schema) : undefined;
                const query = op.query ? (requestJsonSchema(op.query) as Schema) : undefined;
                const id = `${op.method}-${op.path.replace(/[^a-z0-9]+/gi, "-")}`;
                return (
                  <li
                    key={id}
                    id={id}
                    className="space-y-2 rounded-lg border border-slate-200 p-4 dark:border-slate-800"
                    data-testid="api-operation"
                  >
                    <h3 className="flex flex-wrap items-center gap-2 font-mono text-sm">
                      <span className={`rounded px-2 py-0.5 text-xs font-semibold uppercase ${METHOD_TONE[op.method]}`}>
                        {op.method}
                      </span>
                      <span className="break-all">{op.path}</span>
                    </h3>
                    <p className="text-sm">{op.summary}.</p>
                    <p className="text-xs text-slate-600 dark:text-slate-400">
                      Permission: <code>{op.permission}</code> · success: HTTP {op.success}
                      {op.textBody
                        ? " · also takes the text itself as a text/plain body, other fields in the query"
                        : ""}
                    </p>
                    {query ? (
                      <Fields schema={query} caption={`Query parameters of ${op.method.toUpperCase()} ${op.path}`} />
                    ) : null}
                    {body ? (
                      <>
                        <Fields schema={body} caption={`JSON body of ${op.method.toUpperCase()} ${op.path}`} />
                        <details>
                          <summary className="cursor-pointer text-sm font-medium text-sky-700 dark:text-sky-400">
                            JSON Schema of the body
                          </summary>
                          <pre className="mt-2 max-h-96 overflow-auto rounded-md bg-slate-50 p-3 font-mono text-xs dark:bg-slate-900">
                            {JSON.stringify(body, null, 2)}
                          </pre>
                        </details>
                      </>
                    ) : null}
                  </li>
                );
              })}
          </ul>
        </section>
      ))}
    </article>
  );
}
