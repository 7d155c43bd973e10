export { listVersionsRoute as GET } from "@/lib/api/catalog";
