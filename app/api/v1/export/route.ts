// The logic lives in lib/api/export.ts (plain Request → Response functions, tested without Next).
import { boundary } from "@/lib/api/boundary";
import { handleExportGet, handleExportPost } from "@/lib/api/export";

export const GET = boundary(handleExportGet);
export const POST = boundary(handleExportPost);
