import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import { signPortalToken } from "../../src/auth/portal-token";

// A tiny stand-in for a customer portal that embeds the Job Monitor: `npm run portal-example`.
// It signs a short-lived token for its signed-in user and posts it into an iframe, so the token never
// appears in a URL. Configure it with the same key and audience as the monitor.

const port = Number(process.env.PORTAL_PORT ?? 4000);
const monitor = (process.env.MONITOR_URL ?? "http://localhost:3000").replace(/\/$/, "");
const key = process.env.PORTAL_SIGNING_KEY ?? "";
const audience = process.env.PORTAL_AUDIENCE ?? "job-monitor";
const email = process.env.PORTAL_USER_EMAIL ?? "admin@northwind.example";
const serviceId = process.env.PORTAL_SERVICE_ID ?? "DEMO-7F3A-19C2";

if (key.length < 32) {
  console.error("Set PORTAL_SIGNING_KEY (at least 32 characters), the same as the monitor's.");
  process.exit(2);
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(): string {
  const now = Math.floor(Date.now() / 1000);
  const token = signPortalToken(
    { sub: email, service_id: serviceId, aud: audience, iat: now, exp: now + 60, jti: randomUUID() },
    key,
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Acme Cloud Portal · Backups</title>
<style>
  body { margin: 0; font-family: system-ui, sans-serif; display: grid; grid-template-columns: 220px 1fr; min-height: 100vh; }
  nav { background: #15233b; color: #fff; padding: 20px; }
  nav h1 { font-size: 18px; margin: 0 0 24px; }
  nav a { display: block; color: #c9d6ee; text-decoration: none; padding: 6px 0; }
  nav a[aria-current] { color: #fff; font-weight: 600; }
  main { padding: 16px; background: #eef1f6; }
  iframe { width: 100%; height: calc(100vh - 80px); border: 1px solid #c9d1dd; border-radius: 8px; background: #fff; }
  form { margin: 0 0 12px; }
</style>
</head>
<body>
<nav aria-label="Portal">
  <h1>Acme Cloud Portal</h1>
  <a href="/">Overview</a>
  <a href="/" aria-current="page">Backups</a>
  <a href="/">Billing</a>
  <p style="margin-top:32px;font-size:13px;color:#9fb0cf">Signed in as ${escapeHtml(email)}</p>
</nav>
<main>
  <form id="signin" method="post" action="${escapeHtml(monitor)}/portal/sign-in" target="job-monitor">
    <input type="hidden" name="token" value="${escapeHtml(token)}">
    <button type="submit">Open the Job Monitor</button>
  </form>
  <iframe name="job-monitor" title="Job Monitor" src="about:blank"></iframe>
</main>
<script>document.getElementById("signin").submit();</script>
</body>
</html>`;
}

createServer((req, res) => {
  if (req.method !== "GET" || (req.url ?? "/").split("?")[0] !== "/") {
    res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    return;
  }
  res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" }).end(page());
}).listen(port, "127.0.0.1", () => {
  console.log(`portal example on http://127.0.0.1:${port}/ embedding ${monitor}`);
});
