// The part of npm-registry-fetch hookbox uses (the package ships no types).
declare module 'npm-registry-fetch' {
  interface FetchOptions {
    registry?: string;
    headers?: Record<string, string>;
    timeout?: number;
    [key: string]: unknown;
  }
  function json(url: string, options?: FetchOptions): Promise<Record<string, unknown>>;
  const fetch: { json: typeof json };
  export default fetch;
  export { json };
}
