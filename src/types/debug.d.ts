// The part of `debug` (ioredis's logger) that src/redis/connection.ts uses; the package ships no types.
declare module "debug" {
  const createDebug: { enable(namespaces: string): void; log: (...args: unknown[]) => void };
  export default createDebug;
}
