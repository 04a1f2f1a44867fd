// esbuild bundles the stylesheet the entry imports into its own fingerprinted file.
declare module '*.css';
