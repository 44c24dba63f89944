/**
 * The JSON check report of every bundled example (preview and stack export) and of the bench S estate, pinned by
 * digest: the performance work of issue 19 (AR-004 by witness search, shared compiled rules and tag contexts) must
 * not change a byte. The digests were taken with the code of commit bcce94b (before that work) by
 * `node dist/bench/report-digest.js`; a deliberate change of the report updates them, saying why in the commit.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { reportDigests } from "../../bench/report-digest";

const PINNED: Record<string, string> = {
  "hub-and-spoke/preview": "de601cbd81205626f280bf1af2c76b4f0465dbca6becffb8010d873ed6d7fdce",
  "hub-and-spoke/stack-export": "97685d115230efe39e7b8469c79eced1f4d774dc08f39b9fb23b5a3fa9d778fb",
  "locked-down/preview": "76bcee7f144c823c52f6d3b24834ef6b536e3bdda0ddf3b86e5efda48700bfaa",
  "locked-down/stack-export": "962dfec272d5eef8e4dacd4626f59dfca75bf6a2f773e292d4cac5ea1d42e695",
  "nsg-basics/preview": "8c54f45e9cfd3736be9814b2085109af024a85ff248165dcc445abc8faa3eec1",
  "nsg-basics/stack-export": "c6521a5ad77090d4130c3317f07517e8bc6f1358e9b44935111623b01c875018",
  "three-tier/preview": "a72cb1695c28b25de3f7724f9a928d10bed725c4663675bcd2cd56f675e7bef7",
  "three-tier/stack-export": "384ac2f33e3b31f462dd0a986d06a3d9fe90d24e200d361d38a3618b0d6aa236",
  "bench-S/preview": "578bc5aa530d481d2f3407eafbe8b47f64f961bf101e6c8b34a37af44b86b0a6",
  "bench-S/stack-export": "b92404d08d5ee728b5106dc497ecd70c8479078e82124cbbe1cfb0874cc7cce9",
};

describe("check reports are byte-identical to the pinned ones", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "report-identity-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("examples and the bench S estate", () => {
    expect(reportDigests(path.resolve(__dirname, "../.."), dir)).toEqual(PINNED);
  }, 120_000);
});
