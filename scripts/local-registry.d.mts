// Types for local-registry.mjs (plain JavaScript so the demo runs it without TypeScript).

/** A running local registry (Verdaccio on 127.0.0.1) that serves only published fixtures. */
export interface Registry {
  /** Base URL with a trailing slash, e.g. `http://127.0.0.1:4873/`. */
  url: string;
  port: number;
  /** An npmrc with `registry=` and an auth token for this registry; pass it as npm's userconfig. */
  npmrcPath: string;
  /** Kills Verdaccio, waits for it to exit and removes its temp dir (a given storageDir is kept). */
  stop(): Promise<void>;
}

export interface StartRegistryOptions {
  /** Port on 127.0.0.1; a free one when omitted. */
  port?: number;
  /** Where Verdaccio keeps packages; a temp dir removed by stop() when omitted. */
  storageDir?: string;
}

/** Starts Verdaccio with no uplinks on 127.0.0.1, waits for `/-/ping`, creates a publishing user. */
export function startRegistry(options?: StartRegistryOptions): Promise<Registry>;

/**
 * Publishes fixture packages with `npm publish --ignore-scripts` and returns `name@version`, sorted.
 * `dirs` may name package directories or folders of them (relative to the repository root or
 * absolute); by default every non-private package under fixtures/packages and fixtures/attacks.
 * Versions the registry already has are skipped.
 */
export function publishFixtures(registry: Pick<Registry, 'url' | 'npmrcPath'>, dirs?: string[]): Promise<string[]>;
