import type { Metadata, Viewport } from 'next';
import { connection } from 'next/server';
import { apiUrlFromEnv } from '../api/api-url-from-env';
import { Providers } from '../api/providers';
import { AppFrame } from '../shell/app-frame';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Strata', template: '%s · Strata' },
  description: 'Strata admin: users, their history, and every event.',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default async function RootLayout({ children }: LayoutProps<'/'>) {
  // Rendered per request, so API_URL is read when the server runs, not baked in at build time.
  await connection();
  const apiUrl = apiUrlFromEnv();
  return (
    <html lang="en">
      <body>
        <Providers apiUrl={apiUrl}>
          <AppFrame>{children}</AppFrame>
        </Providers>
      </body>
    </html>
  );
}
