/**
 * The StackReference answer under mocks (src/resources/program/stack-references.ts), in the engine's shape
 * (pulumi/pulumi pkg/resource/deploy/builtins.go, readStackReference: {name, outputs, secretOutputNames}).
 */
import { namesStack, stackReferenceState, type StackOutputs } from "../../src/resources/program/stack-references";

const SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const SIG = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };
const HUB: StackOutputs = {
  stack: "dev",
  project: "split-hub",
  file: "hub.json",
  outputs: { nvaIp: "10.0.1.4", key: { ...SIG, plaintext: '"s3cret"' }, sealed: { ...SIG, ciphertext: "v1:abc" } },
};

test.each([
  ["organization/split-hub/dev", true],
  ["split-hub/dev", true],
  ["dev", true],
  ["organization/split-hub/prod", false],
  ["organization/other/dev", false],
])("namesStack(%s)", (ref, expected) => {
  expect(namesStack(ref, HUB)).toBe(expected);
});

test("a stack given: its outputs, secrets read from plaintext and listed sorted, ciphertext unknown and said so", () => {
  const a = stackReferenceState("organization/split-hub/dev", [HUB]);
  expect(a.state).toEqual({ name: "organization/split-hub/dev", outputs: { key: "s3cret", nvaIp: "10.0.1.4", sealed: SENTINEL }, secretOutputNames: ["key", "sealed"] });
  expect(a.diagnostics.map((d) => [d.code, d.field])).toEqual([["stack-reference-secret", "outputs.sealed"]]);
});

test.each([
  ["no file holds it", "organization/other/dev", [HUB], "no other stack's file holds that stack"],
  ["two files could", "dev", [HUB, { ...HUB, project: "p2", file: "p2.json" }], "it could be any of hub.json, p2.json"],
])("%s: every output unknown, a warning says why", (_what, ref, stacks, why) => {
  const a = stackReferenceState(ref, stacks);
  expect(a.state).toEqual({ name: ref, outputs: SENTINEL, secretOutputNames: [] });
  expect(a.diagnostics).toHaveLength(1);
  expect(a.diagnostics[0].message).toContain(why);
});

test("the front end's hints name how to give other stacks (the CLI's: --with-stack)", () => {
  const a = stackReferenceState("organization/other/dev", [HUB], { otherStackFile: "--with-stack file", otherStacks: "give the stack's export with --with-stack FILE" });
  expect(a.diagnostics[0].message).toBe("StackReference organization/other/dev: no --with-stack file holds that stack; its outputs are unknown (give the stack's export with --with-stack FILE)");
  expect(stackReferenceState("organization/other/dev", [HUB]).diagnostics[0].message).toBe("StackReference organization/other/dev: no other stack's file holds that stack; its outputs are unknown");
});

