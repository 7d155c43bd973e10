export { firewallDiffRoute as GET } from "@/lib/api/firewalls";
