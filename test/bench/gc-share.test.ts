/** The bench's GC share (issue 19, point 8): pauses are attributed to the stage whose window holds their start. */
import { gcByStage, type Stage } from "../../bench/pipeline";

const stage = (name: string, start: number, end: number): Stage => ({ name, ms: end - start, cpuMs: end - start, peakRssMb: 0, start, end });

test.each<[string, Array<{ start: number; ms: number }>, Record<string, number>, number]>([
  ["no pause", [], { read: 0, parse: 0, checks: 0 }, 0],
  ["a pause in parse does not count against the check", [{ start: 15, ms: 4 }], { read: 0, parse: 4, checks: 0 }, 0],
  ["pauses in the checks", [{ start: 25, ms: 10 }, { start: 100, ms: 15 }], { read: 0, parse: 0, checks: 25 }, 0.25],
])("%s", (_name, pauses, byStage, share) => {
  const r = gcByStage([stage("read", 0, 10), stage("parse", 10, 20), stage("checks", 20, 120)], pauses);
  expect(r.byStage).toEqual(byStage);
  expect(r.checkGcShare).toBe(share);
});
