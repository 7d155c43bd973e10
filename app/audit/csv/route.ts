import { boundary } from "@/lib/api/boundary";
import { auditCsvRoute } from "@/lib/api/audit";

export const GET = boundary(auditCsvRoute);
