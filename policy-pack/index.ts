/**
 * The azure-reachability policy pack. This is the only `new PolicyPack(...)`: constructing it starts the gRPC
 * server the Pulumi engine talks to, so tests import the policies (./policies), never this file.
 */
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("azure-reachability", { policies });
