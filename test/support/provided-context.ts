// What the global setup (global-setup.ts) hands every test through vitest's inject().
export {};

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the local registry serving the fixture packages, e.g. `http://127.0.0.1:4873/`. */
    registryUrl: string;
    /** An npmrc naming that registry with a token; give it to npm as `npm_config_userconfig`. */
    registryNpmrc: string;
  }
}
