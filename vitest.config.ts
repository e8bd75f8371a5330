import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests start real redis-server processes; two cores, so keep fan-out modest.
    maxWorkers: 3,
    reporters: ["default"],
  },
});
