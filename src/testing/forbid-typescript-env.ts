import { fileURLToPath } from "node:url";

// Environment for a child process that must run the build, not the sources: Node preloads
// forbid-typescript.js, which fails the process if it loads tsx or a TypeScript file.
const preload = fileURLToPath(new URL("./forbid-typescript.js", import.meta.url));

export const forbidTypeScript = {
  NODE_OPTIONS: [process.env.NODE_OPTIONS, `--import="${preload}"`].filter(Boolean).join(" "),
};
