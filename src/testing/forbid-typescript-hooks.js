// Module resolution hooks for forbid-typescript.js (they run on Node's loader thread).
export async function resolve(specifier, context, next) {
  if (specifier === "tsx" || specifier.startsWith("tsx/")) {
    throw new Error(`tsx loaded at run time (${specifier}): production must run the build in dist/`);
  }
  const resolved = await next(specifier, context);
  if (/\.(ts|tsx|mts|cts)$/.test(new URL(resolved.url).pathname)) {
    throw new Error(`TypeScript source loaded at run time (${resolved.url}): production must run dist/`);
  }
  return resolved;
}
