import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { Providers } from '../trpc/react';
import { Nav } from './_components/nav';
import './globals.css';

export const metadata: Metadata = {
  title: 'Baton',
  description: "Baton's operator dashboard: sessions, plans and decisions, live.",
};

export default function RootLayout({ children }: { readonly children: ReactNode }) {
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
