/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // No gzip in the Node process: Next's compresses every response on the main thread, the same
  // static files again on every request (a sign-in spent ~7% of its server CPU there). Vercel and
  // any CDN or reverse proxy (nginx, Caddy's `encode`) compress, and cache the result, in front of
  // it. Serving `next start` straight to the internet? Put one of those in front (README, Performance).
  compress: false,
  // SimpleWebAuthn's browser entry re-exports registration, authentication and the helpers from one
  // index without declaring them side-effect free: without this, a page that only signs in would
  // ship the registration code too.
  experimental: { optimizePackageImports: ["@simplewebauthn/browser"] },
  // Native and wasm packages load from node_modules at run time instead of being bundled.
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3", "@prisma/adapter-pg", "pg"],
  // The constant security headers, on every response including static files. The ones that depend
  // on the request or the deployment (a page's Content-Security-Policy with its nonce, HSTS) are set
  // by proxy.ts on page loads (lib/http/security-headers.ts).
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Frame-Options", value: "DENY" },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          // Passkeys for this origin only: no embedded frame may run a WebAuthn ceremony; features
          // the app never uses are off for it and anything it might embed.
          {
            key: "Permissions-Policy",
            value: "publickey-credentials-get=(self), publickey-credentials-create=(self), camera=(), microphone=(), geolocation=(), payment=(), usb=()",
          },
        ],
      },
      // The JSON routes, which proxy.ts skips: an answer that is never a page may load and run nothing.
      ...["/api/:path*", "/.well-known/:path*"].map((source) => ({
        source,
        headers: [{ key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'" }],
      })),
    ];
  },
};

export default nextConfig;
