import { grouped } from "../../src/checks/flow-count-risk";

describe("flow-count-risk counts are grouped by thousands", () => {
  test.each([
    ["0", "0"],
    ["999", "999"],
    ["1000", "1,000"],
    ["3702390783", "3,702,390,783"],
    ["7404781566", "7,404,781,566"],
    ["unknown", "unknown"],
  ])("%s -> %s", (raw, shown) => expect(grouped(raw)).toBe(shown));
});
