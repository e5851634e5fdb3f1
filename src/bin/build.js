// Compiles the server, the operator CLI and the migrations to plain JavaScript in dist/, which is what
// `npm start` and the `job-monitor` command run: no TypeScript compiler is loaded in production.
// Runs after `npm install`; `npm start` runs it again with --if-stale when a source file has changed since.
//
// One esbuild pass with code splitting: dist/index.js, dist/cli.js and dist/migrations/*.js share their
// common modules as chunks, so a module (and its state) exists once however it is reached. Packages stay
// in node_modules (better-sqlite3 is native). public/ is not copied: the code finds it from the project
// root (src/paths.ts).
import { readdirSync, renameSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { distDir, distIsStale, root } from "./dist.js";

if (process.argv.includes("--if-stale") && !distIsStale()) process.exit(0);

const { build } = await import("esbuild");
const started = new Date();
const migrations = readdirSync(join(root, "migrations")).filter((f) => /^\d{12}_[a-z0-9_]+\.ts$/.test(f));
// Built beside dist/ and swapped in whole, so a server starting meanwhile (tests start several) never finds
// it half-written.
const next = `${distDir}-next-${process.pid}`;
const old = `${distDir}-old-${process.pid}`;
try {
  await build({
    absWorkingDir: root,
    entryPoints: {
      index: "src/index.ts",
      cli: "src/cli.ts",
      ...Object.fromEntries(
        migrations.map((f) => [`migrations/${f.replace(/\.ts$/, "")}`, `migrations/${f}`]),
      ),
    },
    outdir: next,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    // tsconfig.json's jsx settings (react-jsx from @kitajs/html) apply, as they do under tsx.
    tsconfig: "tsconfig.json",
    sourcemap: true,
    chunkNames: "chunks/[name]-[hash]",
    logLevel: "warning",
  });
} catch (e) {
  rmSync(next, { recursive: true, force: true });
  throw e;
}
// Dated when the build started: a source saved while it ran makes the result stale.
writeFileSync(join(next, ".built"), `${started.toISOString()}\n`);
utimesSync(join(next, ".built"), started, started);
try {
  renameSync(distDir, old);
} catch (e) {
  if (e.code !== "ENOENT") throw e;
}
try {
  renameSync(next, distDir);
} catch (e) {
  // Another build swapped its result in between our two renames; it is as fresh as ours.
  if (e.code !== "ENOTEMPTY" && e.code !== "EEXIST") throw e;
  rmSync(next, { recursive: true, force: true });
}
rmSync(old, { recursive: true, force: true });
console.log(`built dist/ in ${Date.now() - started.getTime()} ms`);
