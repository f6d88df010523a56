import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'integration',
          // After the unit tests: they are quick, and these start control planes and real binaries.
          sequence: { groupOrder: 1 },
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // Each suite brings up its own control plane or runs real binaries: keep the 2 cores calm.
          maxWorkers: 2,
        },
      },
    ],
  },
});
