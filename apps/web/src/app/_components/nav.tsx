'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

const LINKS = [
  { href: '/', label: 'Overview' },
  { href: '/sessions', label: 'Sessions' },
  { href: '/decisions', label: 'Decisions' },
] as const;

/** The dashboard's sections and the logout button (hidden on the login page). */
export function Nav() {
  const pathname = usePathname();
  if (pathname === '/login') return null;
  const current = (href: string) =>
    href === '/' ? pathname === '/' : pathname === href || pathname.startsWith(`${href}/`);
  return (
    <nav aria-label="Dashboard">
      {LINKS.map((link) => (
        <Link
          key={link.href}
          href={link.href}
          aria-current={current(link.href) ? 'page' : undefined}
        >
          {link.label}
        </Link>
      ))}
      <form action="/logout" method="post">
        <button type="submit" className="quiet">
          Log out
        </button>
      </form>
    </nav>
  );
}
