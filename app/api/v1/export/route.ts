// The logic lives in lib/api/export.ts (plain Request → Response functions, tested without Next).
import { boundary } from "@/lib/api/boundary";
import { handleExportGet, handleExportPost } from "@/lib/api/export";
import { notAllowed } from "@/lib/api/guard";

export const GET = boundary(handleExportGet);
export const POST = boundary(handleExportPost);
export { notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE, notAllowed as OPTIONS };
