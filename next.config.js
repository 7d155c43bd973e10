/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The CLI and migration runner share lib/db with the server; keep native/WASM packages out of the bundle.
  serverExternalPackages: ["@prisma/schema-engine-wasm", "better-sqlite3", "pg"],
  // `npm test` type-checks the whole project (tests included) with `tsc --noEmit`; `npm start` should not fail on
  // a test file's typing, and checking twice doubles the build time.
  typescript: { ignoreBuildErrors: true },
  experimental: {
    // forbidden() from next/navigation: a page a signed-in person's role does not allow answers 403 (app/forbidden.tsx).
    authInterrupts: true,
    // Saving a firewall posts its text (up to the 20 MB paste limit, checked again by the zod schema) to a server action.
    serverActions: { bodySizeLimit: "21mb" },
    // proxy.ts sees those posts too (it refuses cross-site ones); past this it would silently cut the body.
    proxyClientMaxBodySize: "21mb",
  },
  // The static security headers (lib/api/security-headers.ts has the same list; proxy.ts adds the pages' CSP).
  async headers() {
    const common = [
      { key: "X-Content-Type-Options", value: "nosniff" },
      { key: "Referrer-Policy", value: "same-origin" },
      { key: "X-Frame-Options", value: "DENY" },
      {
        key: "Permissions-Policy",
        value:
          "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), publickey-credentials-get=(), usb=(), interest-cohort=()",
      },
    ];
    return [
      { source: "/:path*", headers: common },
      // API answers are data, never documents: nothing may load from them.
      {
        source: "/api/:path*",
        headers: [
          {
            key: "Content-Security-Policy",
            value: "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
          },
        ],
      },
    ];
  },
};

export default nextConfig;
