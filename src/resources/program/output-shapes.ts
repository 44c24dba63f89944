import * as fs from "fs";
import * as path from "path";

/**
 * The output shape of azure-native resources, derived from the installed @pulumi/azure-native type declarations:
 * what a resource's outputs look like (its SDK output class properties, `pulumi.Output<T>`), and, for nested
 * objects, the `...Response` interfaces of `types/output.d.ts`. This is the one place that derivation lives; the
 * preview outputs (preview-outputs.ts) walk these shapes as azure-native's PreviewOutputs walks the response
 * metadata (pulumi-azure-native provider/pkg/convert/previewOutputs.go).
 *
 * Parse-only use of the TypeScript compiler API (no type checker, no program): the declarations are generated
 * and regular, and parsing only the namespaces a run needs keeps it to about a second for `network`.
 */
export type Shape =
  | { readonly kind: "string" | "number" | "boolean" }
  /** `pulumi.json#/Any`: the input passes through as it is. */
  | { readonly kind: "any" }
  /** No usable type (a union of several kinds): scalars pass through, anything else is computed. */
  | { readonly kind: "untyped" }
  /** A string literal type: azure-native's `Const`, always that value at preview. */
  | { readonly kind: "const"; readonly value: string }
  | { readonly kind: "array"; readonly items: Shape }
  | { readonly kind: "map"; readonly values: Shape }
  /** A `...Response` interface, by `<namespace>.<Interface>`. */
  | { readonly kind: "object"; readonly ref: string }
  /** Several object types (a oneOf): azure-native passes an object input through unchanged. */
  | { readonly kind: "oneOf" };

export type PropertyShapes = Readonly<Record<string, Shape>>;

/** The TypeScript compiler surface the derivation uses (typed here: the compiler is loaded only when needed). */
type TS = typeof import("typescript");
type Node = import("typescript").Node;
type TypeNode = import("typescript").TypeNode;

/**
 * Output properties that are not part of azure-native's response metadata: `azureApiVersion` is added by the
 * provider's checkpointObject after a real create or update (provider/pkg/provider/provider.go), so a preview
 * (PreviewOutputs over `res.Response`) never holds it.
 */
const NOT_RESPONSE_PROPERTIES: ReadonlySet<string> = new Set(["azureApiVersion"]);

function typeShape(ts: TS, node: TypeNode | undefined, namespace: string): Shape {
  if (node === undefined) return { kind: "untyped" };
  switch (node.kind) {
    case ts.SyntaxKind.StringKeyword:
      return { kind: "string" };
    case ts.SyntaxKind.NumberKeyword:
      return { kind: "number" };
    case ts.SyntaxKind.BooleanKeyword:
      return { kind: "boolean" };
    case ts.SyntaxKind.AnyKeyword:
    case ts.SyntaxKind.UnknownKeyword:
      return { kind: "any" };
    default:
      break;
  }
  if (ts.isParenthesizedTypeNode(node)) return typeShape(ts, node.type, namespace);
  if (ts.isLiteralTypeNode(node) && ts.isStringLiteral(node.literal)) return { kind: "const", value: node.literal.text };
  if (ts.isArrayTypeNode(node)) return { kind: "array", items: typeShape(ts, node.elementType, namespace) };
  if (ts.isUnionTypeNode(node)) {
    const members = node.types.filter((t) => t.kind !== ts.SyntaxKind.UndefinedKeyword && !(ts.isLiteralTypeNode(t) && t.literal.kind === ts.SyntaxKind.NullKeyword));
    if (members.length === 1) return typeShape(ts, members[0], namespace);
    const shapes = members.map((m) => typeShape(ts, m, namespace));
    if (shapes.length > 0 && shapes.every((s) => s.kind === "object")) return { kind: "oneOf" };
    return { kind: "untyped" };
  }
  if (ts.isTypeLiteralNode(node)) {
    // `{[key: string]: T}`: a map (additionalProperties).
    const index = node.members.find(ts.isIndexSignatureDeclaration);
    if (index && node.members.length === 1) return { kind: "map", values: typeShape(ts, index.type, namespace) };
    return { kind: "untyped" };
  }
  if (ts.isTypeReferenceNode(node)) {
    const name = node.typeName.getText();
    if ((name === "Array" || name === "pulumi.Output") && node.typeArguments?.length === 1) {
      const inner = typeShape(ts, node.typeArguments[0], namespace);
      return name === "Array" ? { kind: "array", items: inner } : inner;
    }
    if (name === "Record" && node.typeArguments?.length === 2) return { kind: "map", values: typeShape(ts, node.typeArguments[1], namespace) };
    // `outputs.network.SubResourceResponse`, or a bare name inside the namespace.
    const parts = name.split(".");
    if (parts[0] === "outputs" && parts.length === 3) return { kind: "object", ref: `${parts[1]}.${parts[2]}` };
    if (parts.length === 1) return { kind: "object", ref: `${namespace}.${name}` };
    return { kind: "untyped" };
  }
  return { kind: "untyped" };
}

function propertyName(ts: TS, node: import("typescript").PropertyName): string | undefined {
  if (ts.isIdentifier(node) || ts.isStringLiteral(node)) return node.text;
  return undefined;
}

/**
 * Output properties of the resource class declared in `file` (`readonly x: pulumi.Output<T>` members of the class
 * named `className`), minus those that are no response property.
 */
export function resourceOutputShapes(ts: TS, source: string, className: string, namespace: string): PropertyShapes | undefined {
  const sf = ts.createSourceFile("resource.d.ts", source, ts.ScriptTarget.Latest, true);
  for (const st of sf.statements) {
    if (!ts.isClassDeclaration(st) || st.name?.text !== className) continue;
    const out: Record<string, Shape> = {};
    for (const m of st.members) {
      if (!ts.isPropertyDeclaration(m)) continue;
      const isStatic = m.modifiers?.some((x) => x.kind === ts.SyntaxKind.StaticKeyword) ?? false;
      const name = propertyName(ts, m.name);
      if (isStatic || name === undefined || name.startsWith("__") || NOT_RESPONSE_PROPERTIES.has(name)) continue;
      const t = m.type;
      // Only outputs: `pulumi.Output<T>`.
      if (!t || !ts.isTypeReferenceNode(t) || t.typeName.getText() !== "pulumi.Output") continue;
      out[name] = typeShape(ts, t.typeArguments?.[0], namespace);
    }
    return out;
  }
  return undefined;
}

/** Every interface of one namespace's text (`export declare namespace <ns> { ... }`), by `<ns>.<Interface>`. */
export function namespaceInterfaceShapes(ts: TS, source: string, namespace: string): Map<string, PropertyShapes> {
  const sf = ts.createSourceFile("output.d.ts", source, ts.ScriptTarget.Latest, true);
  const out = new Map<string, PropertyShapes>();
  const visit = (node: Node): void => {
    if (ts.isModuleDeclaration(node) && node.body && ts.isModuleBlock(node.body)) {
      // Only the top-level namespace itself: nested (versioned) namespaces are other types.
      if (node.name.getText() !== namespace) return;
      for (const st of node.body.statements) {
        if (!ts.isInterfaceDeclaration(st)) continue;
        const props: Record<string, Shape> = {};
        for (const m of st.members) {
          if (!ts.isPropertySignature(m)) continue;
          const name = propertyName(ts, m.name);
          if (name !== undefined) props[name] = typeShape(ts, m.type, namespace);
        }
        out.set(`${namespace}.${st.name.text}`, props);
      }
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** The text of `export declare namespace <ns> { ... }` in output.d.ts (the closing brace is alone on its line). */
export function namespaceText(outputDts: string, namespace: string): string | undefined {
  const header = `export declare namespace ${namespace} {`;
  const start = outputDts.startsWith(header) ? 0 : outputDts.indexOf(`\n${header}`);
  if (start < 0) return undefined;
  const end = outputDts.indexOf("\n}", start + header.length);
  return end < 0 ? undefined : outputDts.slice(start, end + 2);
}

/** `PublicIPAddress` -> `publicIPAddress`: azure-native's file name for a resource class. */
export function resourceFileName(resource: string): string {
  return resource.charAt(0).toLowerCase() + resource.slice(1);
}

/**
 * Output shapes of one installed @pulumi/azure-native (its folder), read lazily: a resource's class file when the
 * resource is first asked for, a namespace of output.d.ts when one of its types is first needed. Returns undefined
 * for what the package does not declare.
 */
export class OutputShapes {
  private readonly resources = new Map<string, PropertyShapes | undefined>();
  private readonly types = new Map<string, PropertyShapes>();
  private readonly namespacesRead = new Set<string>();
  private outputDts: string | undefined;
  private compiler: TS | undefined;

  /** `loadTs` is called once, when a declaration is first parsed. */
  constructor(
    private readonly loadTs: () => TS,
    readonly packageRoot: string,
  ) {}

  private get ts(): TS {
    this.compiler ??= this.loadTs();
    return this.compiler;
  }

  /** The resource's output properties, e.g. `resource("network", "Subnet")`. */
  resource(module: string, resource: string): PropertyShapes | undefined {
    const key = `${module}:${resource}`;
    if (this.resources.has(key)) return this.resources.get(key);
    let shapes: PropertyShapes | undefined;
    const file = path.join(this.packageRoot, module, `${resourceFileName(resource)}.d.ts`);
    if (/^[a-z0-9]+$/i.test(module) && /^[A-Za-z0-9]+$/.test(resource) && fs.existsSync(file)) {
      shapes = resourceOutputShapes(this.ts, fs.readFileSync(file, "utf8"), resource, module);
    }
    this.resources.set(key, shapes);
    return shapes;
  }

  /** A `...Response` interface by `<namespace>.<Interface>`. */
  type(ref: string): PropertyShapes | undefined {
    const namespace = ref.split(".")[0] ?? "";
    if (!this.namespacesRead.has(namespace)) {
      this.namespacesRead.add(namespace);
      this.outputDts ??= readIfExists(path.join(this.packageRoot, "types", "output.d.ts")) ?? "";
      const text = namespaceText(this.outputDts, namespace);
      if (text !== undefined) for (const [name, props] of namespaceInterfaceShapes(this.ts, text, namespace)) this.types.set(name, props);
    }
    return this.types.get(ref);
  }
}

function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}
