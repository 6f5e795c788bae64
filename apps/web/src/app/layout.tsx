import type { Metadata } from 'next';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import { Providers } from '../trpc/react';
import { Nav } from './_components/nav';
import './globals.css';

export const metadata: Metadata = {
  title: 'Baton',
  description: "Baton's operator dashboard: sessions, plans and decisions, live.",
};

export default async function RootLayout({ children }: { readonly children: ReactNode }) {
  // Every page is rendered per request, the not-found page too: the scripts Next writes into
  // it need this response's CSP nonce, which a page prerendered at build time cannot have.
  await connection();
  return (
    <html lang="en">
      <body>
        <Providers>
          <header className="top">
            <strong className="brand">Baton</strong>
            <Nav />
          </header>
          <main>{children}</main>
        </Providers>
      </body>
    </html>
  );
}
