/**
 * The JSON check report of every bundled example (preview and stack export) and of the bench S estate, pinned by
 * digest: the performance work of issue 19 (AR-004 by witness search, shared compiled rules and tag contexts) must
 * not change a byte. The digests were taken with the code of commit bcce94b (before that work) by
 * `node dist/bench/report-digest.js`; nsg-basics and three-tier were re-pinned when issue 16 added the flow-count-risk
 * check (AR-020: their exposed VMs get a finding each, counts grouped by thousands; nothing else in them changed);
 * bench-S was re-pinned when issue 19 point 5 took the duplicate rules out of the adversarial estate (generator
 * version 3: the estate itself changed, not the check). A deliberate change of the report updates them, saying why in the commit.
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
  "nsg-basics/preview": "aae608d2642767f3d25b0fc170b731238e6532e4a7d082bf80ca8004c5610e1b",
  "nsg-basics/stack-export": "f367f376939923c3df6b90bc4ffaba23b100acb58620df2a723042e1e3908261",
  "three-tier/preview": "097f82bfe4f2d35f124b874a51e8ed66488a9048d5a100078cbad71121d94d71",
  "three-tier/stack-export": "1d549c469aa743a4ccd0119f0488c0ccaac6f504e8c0ccd109ab478041350cf7",
  "bench-S/preview": "a6c3f723a3fa07c670ed43be7d80c8de0d00692ae9826ab4ce58aa0f0761be15",
  "bench-S/stack-export": "f5d3a03a4ac109aae615807433630f4e16e0031ed0e057daca94cee63762f2e0",
};

describe("check reports are byte-identical to the pinned ones", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "report-identity-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("examples and the bench S estate", () => {
    expect(reportDigests(path.resolve(__dirname, "../.."), dir)).toEqual(PINNED);
  }, 120_000);
});
