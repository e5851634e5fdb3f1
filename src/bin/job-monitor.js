#!/usr/bin/env node
// The operator CLI's entry point (package.json "bin"). Runs the build in dist/ (what `npm install` makes);
// in a checkout whose sources changed since the last build, it runs the sources through tsx instead, so a
// developer never runs stale code.
import { distIsStale } from "./dist.js";

let runCli;
if (distIsStale()) {
  const { register } = await import("tsx/esm/api");
  register();
  ({ runCli } = await import("../cli.ts"));
} else {
  ({ runCli } = await import("../../dist/cli.js"));
}
process.exit(await runCli(process.argv.slice(2)));
