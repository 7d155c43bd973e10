export { deleteWebhookRoute as DELETE } from "@/lib/api/webhooks";
