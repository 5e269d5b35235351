import type { Metadata } from 'next';
import Script from 'next/script';
import { connection } from 'next/server';
import type { ReactNode } from 'react';

export const metadata: Metadata = { title: 'Checkout · DataFast example' };

/** Every page's shell, with DataFast's tracking script. */
export default async function RootLayout({ children }: { children: ReactNode }) {
  // Read the environment per request, not at build time, so one build runs in any
  // environment (production, or beside a local devserver).
  await connection();
  // The tracker proxy (proxy.ts) serves DataFast's script on this origin, where ad blockers do
  // not block it; DATAFAST_SCRIPT_URL loads it from elsewhere instead.
  const scriptUrl = process.env.DATAFAST_SCRIPT_URL ?? '/js/script.js';
  const websiteId = process.env.DATAFAST_SCRIPT_WEBSITE_ID ?? 'dfid_local';
  return (
    <html lang="en">
      <body style={{ fontFamily: 'system-ui, sans-serif', maxWidth: 480, margin: '3rem auto' }}>
        {children}
        {/* DataFast's tracker sets the visitor cookie that payments are attributed to. This app
            reports payments from the server, so the tracker's own payment detection is turned
            off (data-disable-payments) to count each payment once. In production, use the
            website id (and data-domain) from DataFast's snippet. */}
        <Script
          src={scriptUrl}
          data-website-id={websiteId}
          data-disable-payments="true"
          strategy="afterInteractive"
        />
      </body>
    </html>
  );
}
