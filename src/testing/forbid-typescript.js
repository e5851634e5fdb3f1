// Preloaded (node --import) by the tests of what production runs: `npm start` and the `job-monitor`
// command must run the build in dist/, so loading tsx or any TypeScript source makes the process fail.
import { register } from "node:module";

register("./forbid-typescript-hooks.js", import.meta.url);
