export { getVersionRoute as GET } from "@/lib/api/catalog";
