import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

// Where the files the service reads at run time live. The code runs either from its TypeScript sources
// (src/, through tsx or the test runner) or from the build (dist/, what `npm start` runs); the two sit at
// different depths, so the project root is found by walking up to package.json rather than by counting "..".

function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

const here = fileURLToPath(import.meta.url);

/** The directory holding package.json, public/ and migrations/. */
export const projectRoot = findProjectRoot(path.dirname(here));

/** True when running the build: its modules are .js files in dist/, the sources' are .ts. */
export const runsCompiled = !here.endsWith(".ts");

export const publicDir = path.join(projectRoot, "public");

/** The build compiles the migrations to dist/migrations/*.js; the sources run migrations/*.ts. */
export const migrationsDir = runsCompiled
  ? path.join(projectRoot, "dist", "migrations")
  : path.join(projectRoot, "migrations");

export const migrationExtension = runsCompiled ? ".js" : ".ts";
