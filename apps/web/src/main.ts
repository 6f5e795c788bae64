import http from 'node:http';
import { readWebEnv } from './env';
import { placeholderPage } from './placeholder-page';

/** Serves the placeholder page until the Next.js dashboard replaces it (issue #5). */
const env = readWebEnv();
const page = placeholderPage(env.runtimeUrl);
http
  .createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
  })
  .listen(env.port, '127.0.0.1', () => {
    process.stdout.write(`Baton dashboard (placeholder) at http://localhost:${env.port}\n`);
  });
