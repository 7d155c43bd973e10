// The logic lives in lib/api/export.ts (plain Request → Response functions, tested without Next).
export { handleExportGet as GET, handleExportPost as POST } from "@/lib/api/export";
