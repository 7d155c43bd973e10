export { listWebhooksRoute as GET, createWebhookRoute as POST } from "@/lib/api/webhooks";
