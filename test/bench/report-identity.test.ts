/**
 * The JSON check report of every bundled example (preview and stack export) and of the bench S estate, pinned by
 * digest: the performance work of issue 19 (AR-004 by witness search, shared compiled rules and tag contexts) must
 * not change a byte. The digests were taken with the code of commit bcce94b (before that work) by
 * `node dist/bench/report-digest.js`; nsg-basics and three-tier were re-pinned when issue 16 added the flow-count-risk
 * check (AR-020: their exposed VMs get a finding each, counts grouped by thousands; nothing else in them changed);
 * bench-S was re-pinned when issue 19 point 5 took the duplicate rules out of the adversarial estate (generator
 * version 3: the estate itself changed, not the check); all were re-pinned when issue 19 point 4 added
 * `findingTemplates` to the JSON report (every other byte unchanged, compared with that field left out). A deliberate change of the report updates them, saying why in the commit.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { reportDigests } from "../../bench/report-digest";

const PINNED: Record<string, string> = {
  "hub-and-spoke/preview": "79b942f3358e2a4055bd7280f20be01dd337d1f4f73c2b71b35fe0eb99738cb6",
  "hub-and-spoke/stack-export": "44e6d38d5b32a162882334f041c21ab30af078d39a06f19369148eb56133d165",
  "locked-down/preview": "e80c0dfe5d5401f0cfb3483bc6f0cb46b6dd1a60d10bc07a948b893a2473f9fe",
  "locked-down/stack-export": "0d84a9db96dc502c34b348c86f16203f4dc121b5e6dde5577816fbb9ee6d690d",
  "nsg-basics/preview": "e6310e5ab1915280ac94deff4aeb28117d252ee310c5d195f00ea509650eacfd",
  "nsg-basics/stack-export": "430f41f4c64733c33f083688302c390ea9d8b96aa9a6e069e7d52ddab203c2ee",
  "three-tier/preview": "d9ea47dd0543629bf9a6996c5268ecb333ee963777c017a7165bc41c17e85277",
  "three-tier/stack-export": "7a6e42da86fc8f1e52fc26b4985f49e342d0a74d2d558ea83f16b1fcdff8e44b",
  "bench-S/preview": "c3bcb1f286f52bd265d3001ea1543aee7dc53a8f4c5961a9822f2e2141d8d8c7",
  "bench-S/stack-export": "624b3d9c65da0cffbf17656055ebc484a3c01192a6b360cf7a2b18d7bcc507b2",
};

describe("check reports are byte-identical to the pinned ones", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "report-identity-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("examples and the bench S estate", () => {
    expect(reportDigests(path.resolve(__dirname, "../.."), dir)).toEqual(PINNED);
  }, 120_000);
});
