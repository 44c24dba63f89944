/**
 * `npm run test:engine`: the pack under the real Pulumi CLI (test/real-engine/*.engine.ts), one file at a time
 * (each run starts the CLI and the pack; the M estate needs the whole machine).
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test/real-engine"],
  testMatch: ["**/*.engine.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.jest.json", diagnostics: false }] },
  moduleFileExtensions: ["ts", "js", "json"],
  maxWorkers: 1,
  testTimeout: 20 * 60 * 1000,
};
