export { listFirewallsRoute as GET, createFirewallRoute as POST } from "@/lib/api/firewalls";
