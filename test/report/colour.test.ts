/**
 * Colour only on a terminal (and not with NO_COLOR or TERM=dumb); progress only on a terminal.
 */
import { formatCheckText } from "../../src/report/check-text";
import { checkTextReporter, colourEnabled, colouriseCheckText, palette, stripAnsi } from "../../src/report/colour";
import { createProgress, NO_PROGRESS, type ProgressStream } from "../../src/report/progress";
import type { CheckReport } from "../../src/report/types";
import { exampleReport } from "./reports";

const ESC = "\u001b[";

let report: CheckReport;

beforeAll(async () => {
  report = await exampleReport("three-tier", "preview.json");
});

describe("colour", () => {
  test("on only for a TTY without NO_COLOR (empty NO_COLOR counts as unset) and not on a dumb terminal", () => {
    expect(colourEnabled({ isTTY: true }, {})).toBe(true);
    expect(colourEnabled({ isTTY: false }, {})).toBe(false);
    expect(colourEnabled({}, {})).toBe(false);
    expect(colourEnabled({ isTTY: true }, { NO_COLOR: "1" })).toBe(false);
    expect(colourEnabled({ isTTY: true }, { NO_COLOR: "" })).toBe(true);
    expect(colourEnabled({ isTTY: true }, { TERM: "dumb" })).toBe(false);
  });

  test("jest's stdout is not a terminal here, or colour is off by the same rule", () => {
    expect(colourEnabled(process.stdout, process.env)).toBe(process.stdout.isTTY === true && !process.env.NO_COLOR && process.env.TERM !== "dumb");
  });

  test("a disabled palette leaves the text reporter's output byte for byte", () => {
    const plain = formatCheckText(report);
    expect(colouriseCheckText(plain, palette(false))).toBe(plain);
    expect(checkTextReporter({ colour: false })(report)).toBe(plain);
    expect(plain).not.toContain(ESC);
  });

  test("enabled: verdicts, decisive evidence and unknowns coloured; the text underneath unchanged", () => {
    const plain = formatCheckText(report);
    const coloured = checkTextReporter({ colour: true })(report);
    expect(stripAnsi(coloured)).toBe(plain);
    const lines = coloured.split("\n");
    expect(lines.find((l) => stripAnsi(l).startsWith("FAIL "))).toContain(`${ESC}31mFAIL`);
    expect(lines.find((l) => stripAnsi(l).startsWith("PASS "))).toContain(`${ESC}32mPASS`);
    expect(lines.find((l) => stripAnsi(l).startsWith("UNDECIDED "))).toContain(`${ESC}33mUNDECIDED`);
    expect(lines.find((l) => stripAnsi(l).trimStart().startsWith("! NSG db-nsg"))).toContain(`${ESC}31m! NSG db-nsg`);
    expect(lines.find((l) => stripAnsi(l).trimStart().startsWith("unknown: "))).toContain(`${ESC}33munknown: `);
    expect(lines[lines.length - 1]).toContain(`${ESC}31m`);
  });
});

function fakeStream(isTTY: boolean, columns = 40): ProgressStream & { out: string } {
  const s = {
    isTTY,
    columns,
    out: "",
    write(chunk: string): boolean {
      s.out += chunk;
      return true;
    },
  };
  return s;
}

describe("progress", () => {
  test("no-op when stderr is not a terminal", () => {
    const stream = fakeStream(false);
    const p = createProgress({ stream, delayMs: 0 });
    expect(p).toBe(NO_PROGRESS);
    p.start("checking", 3);
    p.tick("a");
    p.done("finished");
    expect(stream.out).toBe("");
  });

  test("on a terminal: nothing for short runs, then one line redrawn in place, throttled, cleared at the end", () => {
    let t = 0;
    const stream = fakeStream(true);
    const p = createProgress({ stream, delayMs: 500, intervalMs: 100, now: () => t });
    p.start("checking intents", 4);
    p.tick("app-reaches-db");
    expect(stream.out).toBe("");
    t = 600;
    p.tick("web-reaches-app");
    expect(stream.out).toBe("\r\u001b[2Kchecking intents  2/4  50%  web-reache…"); // 39 columns: one is kept free
    t = 650;
    p.tick("third");
    expect(stream.out.split("\r").length).toBe(2);
    t = 800;
    p.tick("fourth");
    expect(stream.out.endsWith("\r\u001b[2Kchecking intents  4/4  100%  fourth")).toBe(true);
    p.done("4 intents checked");
    expect(stream.out.endsWith("\r\u001b[2K4 intents checked\n")).toBe(true);
  });

  test("a run that ends before the delay leaves the terminal untouched", () => {
    const stream = fakeStream(true);
    const p = createProgress({ stream, delayMs: 10_000, now: () => 0 });
    p.start("loading", 2);
    p.tick();
    p.done();
    expect(stream.out).toBe("");
  });
});
