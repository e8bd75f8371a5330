import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Provides a dir for the run's own Docker engine, started only if a docker test needs one.
    globalSetup: ["test/global-docker-engine.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests start real redis-server processes; two cores, so keep fan-out modest.
    maxWorkers: 3,
    reporters: ["default"],
  },
});
