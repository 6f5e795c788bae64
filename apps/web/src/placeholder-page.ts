/** The page served until the dashboard (issue #5) lands: where things are, what to do next. */
export function placeholderPage(runtimeUrl: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Baton</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}
code{background:#8882;padding:.1rem .3rem;border-radius:.2rem}
@media (prefers-color-scheme:dark){body{background:#111;color:#eee}}</style></head>
<body><h1>Baton</h1>
<p>The runtime is at <code>${runtimeUrl}</code> (tRPC at <code>/trpc</code>, health at
<code>/healthz</code>, metrics at <code>/metrics</code>).</p>
<p>The operator dashboard is not built yet. Until it is, follow a session with the CLI:
<code>npx baton run ./demo-workspace "Write a hello world program"</code>.</p>
</body></html>`;
}
