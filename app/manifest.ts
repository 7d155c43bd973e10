import type { MetadataRoute } from "next";

// Served at /manifest.webmanifest (Next's file convention), linked from every page.
export default function manifest(): MetadataRoute.Manifest {
  return {
    name: "Allowlist Admin",
    short_name: "Allowlist",
    description: "Check and export the NAT IPs a SaaS vendor asks you to allowlist.",
    start_url: "/",
    display: "standalone",
    background_color: "#ffffff",
    theme_color: "#0369a1",
    icons: [
      { src: "/icon.svg", sizes: "any", type: "image/svg+xml" },
      { src: "/icon-192.png", sizes: "192x192", type: "image/png" },
      { src: "/icon-512.png", sizes: "512x512", type: "image/png" },
    ],
  };
}
