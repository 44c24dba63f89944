/**
 * ReachabilityIntent: an intent declared in the program next to the resources it is about.
 *
 *   new ReachabilityIntent("app-to-db", { from: appSubnet, to: dbNic, protocol: "Tcp", ports: "1433", expect: "reachable" });
 *
 * It creates nothing in Azure. The stack policy and `check` find it by its type token and read its properties.
 * A resource given as `from`/`to` is registered as an input, so the engine records it in the component's
 * propertyDependencies; its URN is recorded as well (`fromUrn`/`toUrn`, known even on a first preview when ids
 * are not), so the reference resolves without ids.
 */
import * as pulumi from "@pulumi/pulumi";
import { INTENT_COMPONENT_TYPE } from "../intents/types";

export { INTENT_COMPONENT_TYPE };

/** A selector as in intent files (design.md), for ends that are not a resource of the program. */
export type IntentSelector =
  | { readonly nic: string }
  | { readonly vm: string }
  | { readonly subnet: string }
  | { readonly vnet: string }
  | { readonly asg: string }
  | { readonly cidr: string }
  | { readonly ip: string }
  | { readonly serviceTag: string }
  | { readonly tag: Readonly<Record<string, string>> };

/** A NetworkInterface, VirtualMachine, Subnet, VirtualNetwork or ApplicationSecurityGroup, or a selector. */
export type IntentEnd = pulumi.Resource | IntentSelector;

export interface ReachabilityIntentArgs {
  readonly from: IntentEnd;
  readonly to: IntentEnd;
  /** Tcp, Udp, Icmp or Any (default Any). */
  readonly protocol?: "Tcp" | "Udp" | "Icmp" | "Any";
  /** Destination ports as Azure writes them: "443", "80,443,8000-8100", "*" (default "*"). */
  readonly ports?: string | number;
  readonly expect: "reachable" | "unreachable";
  /** mandatory (default) or advisory. */
  readonly enforcement?: "mandatory" | "advisory";
  /** network (default): routes, peering, appliances, ingress and NSGs; nsg: the NSG chains only. */
  readonly layer?: "network" | "nsg";
  readonly description?: string;
  /** The intent's name in reports (default: the component's name). */
  readonly intentName?: string;
}

type Props = Record<string, pulumi.Input<unknown> | undefined>;

function endProps(field: "from" | "to", end: IntentEnd): Props {
  if (pulumi.Resource.isInstance(end)) return { [field]: end, [`${field}Urn`]: end.urn };
  return { [field]: { ...end } };
}

/** The component's properties: the intent's fields, as inputs and as outputs. */
export function intentProps(name: string, args: ReachabilityIntentArgs): Props {
  const props: Props = {
    intentName: args.intentName ?? name,
    ...endProps("from", args.from),
    ...endProps("to", args.to),
    expect: args.expect,
  };
  const optional: Array<keyof ReachabilityIntentArgs> = ["protocol", "ports", "enforcement", "layer", "description"];
  for (const key of optional) if (args[key] !== undefined) props[key] = args[key] as pulumi.Input<unknown>;
  return props;
}

export class ReachabilityIntent extends pulumi.ComponentResource {
  /** The intent's name in reports. */
  public readonly intentName: string;

  constructor(name: string, args: ReachabilityIntentArgs, opts?: pulumi.ComponentResourceOptions) {
    const props = intentProps(name, args);
    super(INTENT_COMPONENT_TYPE, name, props, opts);
    this.intentName = args.intentName ?? name;
    this.registerOutputs(props);
  }
}
