#!/usr/bin/env node
// The operator CLI's entry point (package.json "bin"): loads the TypeScript sources through tsx.
import { register } from "tsx/esm/api";

register();
const { runCli } = await import("../cli.ts");
process.exit(await runCli(process.argv.slice(2)));
