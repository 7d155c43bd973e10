export { getFirewallRoute as GET, putFirewallRoute as PUT, deleteFirewallRoute as DELETE } from "@/lib/api/firewalls";
