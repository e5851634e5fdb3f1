import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { Hono } from "hono";
import { publicDir } from "../paths";

// Files under public/ are served at URLs that carry a hash of their content, so browsers may keep them
// forever (immutable) and still see a new version the moment it changes.

const TYPES: Record<string, string> = {
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
};

type Asset = { body: Buffer; gzipped: Buffer; type: string; etag: string };

function walk(dir: string, prefix = ""): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full, `${prefix}${name}/`) : [`${prefix}${name}`];
  });
}

/** Reads public/ once: the URL of each file (for views) and the files by URL (for the route). */
export function loadAssets(basePath: string) {
  const urls: Record<string, string> = {};
  const byHashedName = new Map<string, Asset>();
  for (const name of walk(publicDir)) {
    const type = TYPES[path.extname(name)];
    if (!type) continue;
    const body = readFileSync(path.join(publicDir, name));
    const hash = createHash("sha256").update(body).digest("base64url").slice(0, 12);
    const hashed = `${hash}/${name}`;
    urls[name] = `${basePath}/assets/${hashed}`;
    byHashedName.set(hashed, { body, gzipped: gzipSync(body, { level: 9 }), type, etag: `"${hash}"` });
  }
  const routes = new Hono();
  routes.get("/*", (c) => {
    const asset = byHashedName.get(c.req.path.replace(/^.*?\/assets\//, ""));
    if (!asset) return c.text("Not found", 404);
    const headers: Record<string, string> = {
      "Content-Type": asset.type,
      "Cache-Control": "public, max-age=31536000, immutable",
      ETag: asset.etag,
      Vary: "Accept-Encoding",
    };
    // Compressed once at start-up, not per request.
    if (/\bgzip\b/.test(c.req.header("accept-encoding") ?? "") && asset.gzipped.length < asset.body.length) {
      return c.body(new Uint8Array(asset.gzipped), 200, { ...headers, "Content-Encoding": "gzip" });
    }
    return c.body(new Uint8Array(asset.body), 200, headers);
  });
  return { urls: Object.freeze(urls), routes };
}
