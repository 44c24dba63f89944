/**
 * StackReferences under mocks. `new pulumi.StackReference(name, {name: "org/project/stack"})` is a *read* of the
 * built-in resource `pulumi:pulumi:StackReference` with id = the stack's name (@pulumi/pulumi stackReference.ts:
 * `super("pulumi:pulumi:StackReference", name, {name, outputs: undefined, secretOutputNames: undefined}, {id})`),
 * so under mocks it reaches `Mocks.newResource`. The engine answers it with the referenced stack's outputs in
 * this shape (pulumi/pulumi pkg/resource/deploy/builtins.go, readStackReference):
 *   `{ name: <the name>, outputs: { <output>: <value>, ... }, secretOutputNames: [<sorted names of secret outputs>] }`
 * and keeps the inputs `{ name }` and the id (the name) as given (builtinProvider.Read).
 *
 * Here the outputs come from the files given with `--with-stack` (the root stack resource's outputs there). A
 * reference to a stack no file holds answers with its outputs unknown, as a preview that cannot see the stack
 * would: every value read from it is Unknown, never invented.
 */
import type { Diagnostic } from "../../model/diagnostic";
import { hintInParens, NO_HINTS, type InputHints } from "../../model/input-hints";
import { UNKNOWN_SENTINEL } from "./values";

export const STACK_REFERENCE_TYPE = "pulumi:pulumi:StackReference";

/** Another stack's outputs, as `--with-stack` read them (JSON-serialisable: it crosses to the runner's process). */
export interface StackOutputs {
  readonly stack: string;
  readonly project: string;
  readonly file: string;
  readonly outputs: Readonly<Record<string, unknown>>;
}

/** The secret signature of Pulumi's state files (sdk/go/common/resource/sig: Secret). */
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** `org/project/stack`, `project/stack` or `stack`: does it name this file's stack? */
export function namesStack(ref: string, s: Pick<StackOutputs, "stack" | "project">): boolean {
  const parts = ref.split("/");
  const stack = parts[parts.length - 1];
  const project = parts.length >= 2 ? parts[parts.length - 2] : undefined;
  return stack === s.stack && (project === undefined || project === s.project);
}

function isSecret(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && (v as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG;
}

/** A secret as a state file writes it: plaintext (`--show-secrets`) is read; ciphertext cannot be, so it is unknown. */
function plainValue(v: Record<string, unknown>): { known: boolean; value: unknown } {
  if (typeof v.plaintext === "string") {
    try {
      return { known: true, value: JSON.parse(v.plaintext) as unknown };
    } catch {
      return { known: false, value: UNKNOWN_SENTINEL };
    }
  }
  if ("value" in v) return { known: true, value: v.value };
  return { known: false, value: UNKNOWN_SENTINEL };
}

export interface StackReferenceAnswer {
  readonly state: Record<string, unknown>;
  readonly diagnostics: Diagnostic[];
}

/** The state the engine would give the StackReference `ref` (see the file comment). */
export function stackReferenceState(ref: string, stacks: readonly StackOutputs[], hints: InputHints = NO_HINTS): StackReferenceAnswer {
  const hits = stacks.filter((s) => namesStack(ref, s));
  if (hits.length !== 1) {
    const why = hits.length === 0 ? `no ${hints.otherStackFile ?? "other stack's file"} holds that stack` : `it could be any of ${hits.map((h) => h.file).join(", ")}`;
    return {
      state: { name: ref, outputs: UNKNOWN_SENTINEL, secretOutputNames: [] },
      diagnostics: [{ code: "stack-reference-unknown", severity: "warning", resource: `${STACK_REFERENCE_TYPE}::${ref}`, message: `StackReference ${ref}: ${why}; its outputs are unknown${hintInParens(hints.otherStacks)}` }],
    };
  }
  const hit = hits[0];
  const outputs: Record<string, unknown> = {};
  const secret: string[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const key of Object.keys(hit.outputs).sort()) {
    const v = hit.outputs[key];
    if (!isSecret(v)) {
      outputs[key] = v;
      continue;
    }
    secret.push(key);
    const plain = plainValue(v);
    outputs[key] = plain.value;
    if (!plain.known) diagnostics.push({ code: "stack-reference-secret", severity: "warning", resource: `${STACK_REFERENCE_TYPE}::${ref}`, field: `outputs.${key}`, message: `StackReference ${ref}: output ${key} is an encrypted secret in ${hit.file}; it is unknown here (export the stack with \`pulumi stack export --show-secrets\` to read it)` });
  }
  return { state: { name: ref, outputs, secretOutputNames: secret }, diagnostics };
}
