/** GET /audit/csv (and /api/v1/audit.csv): the audit log as CSV, filtered like the page; admins only. */
import { AUDIT_CSV_HEADER, auditCsvRow } from "../audit/csv";
import { auditFilterSchema, listAuditEvents } from "../db/audit";
import { getDb } from "../db/client";
import { apiAuthorize, streamResponse } from "./respond";

const BATCH = 1000;

export async function auditCsvRoute(request: Request): Promise<Response> {
  const auth = await apiAuthorize(request, "audit:read");
  if (!auth.ok) return auth.response;
  const q = new URL(request.url).searchParams;
  const filter = auditFilterSchema.parse({
    action: q.get("action") || undefined,
    actor: q.get("actor") || undefined,
    from: q.get("from") || undefined,
    to: q.get("to") || undefined,
  });
  const day = new Date().toISOString().slice(0, 10);
  return streamResponse(
    async (emit) => {
      await emit(AUDIT_CSV_HEADER);
      let before: number | undefined;
      for (;;) {
        const rows = await listAuditEvents(getDb(), { ...filter, ...(before ? { before } : {}) }, BATCH);
        for (const e of rows) await emit(auditCsvRow(e));
        if (rows.length < BATCH) break;
        before = rows.at(-1)!.id;
      }
    },
    {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="audit-${day}.csv"`,
        "Cache-Control": "no-store",
      },
    },
  );
}
