export { bringInLineRoute as GET } from "@/lib/api/alignment";
