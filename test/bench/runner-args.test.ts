import { splitRunnerArgs } from "../../bench/runner";

test.each<[string[], { rest: string[]; sizes: number[]; only: boolean }]>([
  [[], { rest: [], sizes: [1000, 5000], only: false }],
  [["--runner-only"], { rest: [], sizes: [1000, 5000], only: true }],
  [["--runner-only", "--runner", "1000", "--json"], { rest: ["--json"], sizes: [1000], only: true }],
  [["--no-runner", "--size", "S"], { rest: ["--size", "S"], sizes: [], only: false }],
])("splitRunnerArgs %j", (argv, want) => {
  const got = splitRunnerArgs(argv);
  expect({ rest: got.rest, sizes: got.runner.sizes, only: got.runner.only === true }).toEqual(want);
});
