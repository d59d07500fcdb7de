import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    // oclif writes through process.stdout; without this vitest swallows it.
    disableConsoleIntercept: true,
    projects: [
      {
        extends: true,
        test: {name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 20_000},
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/integration/global-setup.ts'],
          setupFiles: ['test/helpers/kafkajs-patched.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          // Two cores run three brokers: test files take turns rather than fight for CPU.
          fileParallelism: false,
        },
      },
    ],
  },
})
