/**
 * Node reads NODE_EXTRA_CA_CERTS at every start, before any of our code runs: with a
 * system CA bundle there (as on the sandboxes these benches were first run on) that is
 * about 60 ms on a 2-core machine, a cost redis-cli never pays. When it is set, the
 * benches time redis-pilot both with the environment as it is and without that variable.
 */
export type EnvVariant = { label: string; env: NodeJS.ProcessEnv };

export function envVariants(env: NodeJS.ProcessEnv = process.env): EnvVariant[] {
  if (!env.NODE_EXTRA_CA_CERTS) return [{ label: "", env }];
  const { NODE_EXTRA_CA_CERTS: _, ...without } = env;
  return [
    { label: "", env },
    { label: " (no NODE_EXTRA_CA_CERTS)", env: without },
  ];
}
