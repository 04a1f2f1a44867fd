// Replaced at bundle time by esbuild's define; the fallback serves tests that run the sources.
declare const __TOKENS_VERSION__: string | undefined;
export const VERSION: string = typeof __TOKENS_VERSION__ === 'string' ? __TOKENS_VERSION__ : '0.0.0-dev';
