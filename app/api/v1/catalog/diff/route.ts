export { diffVersionsRoute as GET } from "@/lib/api/catalog";
