// Copies the pinned htmx build into public/vendor so the product serves it itself (no CDN).
// Runs after `npm install`; the file name carries the version, so browsers may cache it forever.
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const htmxDir = join(root, "node_modules", "htmx.org");
const { version } = JSON.parse(readFileSync(join(htmxDir, "package.json"), "utf8"));
mkdirSync(join(root, "public", "vendor"), { recursive: true });
copyFileSync(join(htmxDir, "dist", "htmx.min.js"), join(root, "public", "vendor", "htmx.min.js"));
console.log(`copied htmx ${version} to public/vendor`);
