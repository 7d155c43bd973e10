export { postTraceRoute as POST } from "@/lib/api/trace";
