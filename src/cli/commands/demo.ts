import type { Io } from "../output";

export async function demoCommand(io: Io): Promise<number> {
  io.out("demo: examples pending");
  return 0;
}
