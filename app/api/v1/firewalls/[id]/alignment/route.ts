export { alignmentRoute as GET } from "@/lib/api/alignment";
