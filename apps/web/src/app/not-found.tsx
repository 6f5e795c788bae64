import Link from 'next/link';

/**
 * The dashboard's own not-found page. Next's default one styles itself inline, which the pages'
 * Content-Security-Policy refuses.
 */
export default function NotFound() {
  return (
    <section className="panel">
      <h1>Not found</h1>
      <p className="muted">This page could not be found.</p>
      <Link href="/">Go to the overview</Link>
    </section>
  );
}
