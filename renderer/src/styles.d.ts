// Vite bundles the stylesheet that main.tsx imports for its side effect; this tells the type checker the
// import is meant (TypeScript 7 checks side-effect imports, and `vite/client`'s globals are not wanted here).
declare module '*.css';
