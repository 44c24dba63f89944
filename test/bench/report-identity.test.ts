/**
 * The JSON check report of every bundled example (preview and stack export) and of the bench S estate, pinned by
 * digest: the performance work of issue 19 (AR-004 by witness search, shared compiled rules and tag contexts) must
 * not change a byte. The digests were taken with the code of commit bcce94b (before that work) by
 * `node dist/bench/report-digest.js`; nsg-basics and three-tier were re-pinned when issue 16 added the flow-count-risk
 * check (AR-020: their exposed VMs get a finding each; nothing else in them changed). A deliberate change of the report updates them, saying why in the commit.
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
  "nsg-basics/preview": "5cddc3ed80ef555c06cf4313e7735a1056cf7d024a342bb41626df460b4626a6",
  "nsg-basics/stack-export": "e787e41a73d1697ca04c8bd131ebe068c447cdb0ba5e62fa2702da8f9183ff5d",
  "three-tier/preview": "0e5cb04dee9859387d075609c078b084595c1665d73c4c66946459f721ab17e4",
  "three-tier/stack-export": "dae6ce3e2eb5454b19a6e420699739a77ef7257bf9cf5b8175c4c6d17dbfea6d",
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
