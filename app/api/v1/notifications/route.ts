export { listNotificationsRoute as GET } from "@/lib/api/webhooks";
