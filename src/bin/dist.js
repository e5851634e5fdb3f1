// What the build produces and whether it is up to date. Plain JavaScript with no dependencies, so the CLI
// and `npm start` can ask without loading a compiler.
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const distDir = join(root, "dist");
/** Written last by the build, so a build that stopped half-way counts as missing. */
export const stampFile = join(distDir, ".built");

/**
 * The files the build reads: a change to any of them makes dist/ stale. Packages are not bundled (they stay
 * in node_modules), so package.json and the lock file are not among them.
 */
const inputs = ["src", "views", "migrations", "tsconfig.json"];

function newestChange(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestChange(join(path, name))));
}

/** True when dist/ is missing, unfinished, or older than a source file. */
export function distIsStale() {
  if (!existsSync(stampFile)) return true;
  const built = statSync(stampFile).mtimeMs;
  return inputs.some((input) => newestChange(join(root, input)) > built);
}
