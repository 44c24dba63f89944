/**
 * Issue 19: ingress.ts finds a pool's load balancer and a NAT rule's load balancers from a per-topology index
 * instead of scanning every load balancer per reference. The answers must be the scan's: the first load balancer
 * holding a pool (in topology order), and for a NAT rule reference the first rule of that name in every load
 * balancer holding one, references compared case-insensitively (ARM ids). Fails if the index keeps the last owner,
 * compares case-sensitively or keeps one load balancer per NAT reference.
 */
import { ingressRoutes } from "../../src/engine/ingress";
import type { LbNatRule, LoadBalancer, Topology } from "../../src/model/topology";
import { addLoadBalancer, happy, lbRule, patchPrimary } from "../checks/fixture";

const nat = (lb: string, name: string, frontendPort: number, ref = `${lb}/inboundNatRules/${name}`): LbNatRule => ({
  name,
  ref,
  frontend: "fe",
  protocol: "Tcp",
  frontendPort,
  backendPort: 22,
  floatingIp: false,
});

function withNats(topo: Topology, lb: string, nats: LbNatRule[]): Topology {
  const l = topo.loadBalancers.get(lb) as LoadBalancer;
  return { ...topo, loadBalancers: new Map([...topo.loadBalancers].map(([k, v]) => [k, k === lb ? { ...l, natRules: nats } : v])) };
}

function plan(): Topology {
  let topo = happy({ webPublicIp: null });
  topo = addLoadBalancer(topo, "lb-a", ["pip-a"], ["pool"], [lbRule("https", "Tcp", 443)]);
  // lb-b also lists lb-a's pool (in another case): the scan found lb-a, the first in topology order.
  topo = addLoadBalancer(topo, "lb-b", ["pip-b"], ["pool"], [lbRule("http", "Tcp", 80)]);
  const b = topo.loadBalancers.get("lb-b") as LoadBalancer;
  topo = { ...topo, loadBalancers: new Map([...topo.loadBalancers].map(([k, v]) => [k, k === "lb-b" ? { ...b, backendPoolRefs: [...b.backendPoolRefs, "LB-A/backendAddressPools/POOL"] } : v])) };
  // One NAT reference named by two load balancers, and twice within one (the first of each counts).
  topo = withNats(topo, "lb-a", [nat("lb-a", "ssh", 50001, "shared/inboundNatRules/ssh"), nat("lb-a", "ssh-again", 50009, "SHARED/inboundNatRules/SSH")]);
  topo = withNats(topo, "lb-b", [nat("lb-b", "ssh", 50002, "Shared/InboundNatRules/ssh")]);
  return patchPrimary(topo, "web-nic", (c) => ({ ...c, backendPoolRefs: ["lb-a/BackendAddressPools/pool", "lb-b/backendAddressPools/pool"], natRuleRefs: ["shared/inboundnatrules/SSH"] }));
}

describe("load balancer lookups of the ingress routes", () => {
  test("pool owner: the first load balancer in topology order; NAT refs: the first rule of each load balancer", () => {
    const topo = plan();
    const labels = ingressRoutes(topo, topo.nics.get("web-nic")!).map((r) => r.label);
    expect(labels).toEqual([
      "public load balancer lb-a rule https (TCP 443)",
      "public load balancer lb-b rule http (TCP 80)",
      "public load balancer lb-a NAT rule ssh (TCP 50001 -> 22)",
      "public load balancer lb-b NAT rule ssh (TCP 50002 -> 22)",
    ]);
  });

  test("a NAT reference no load balancer holds is named as not in the plan", () => {
    const topo = patchPrimary(plan(), "web-nic", (c) => ({ ...c, backendPoolRefs: [], natRuleRefs: ["other/inboundNatRules/x"] }));
    const routes = ingressRoutes(topo, topo.nics.get("web-nic")!);
    expect(routes.map((r) => r.label)).toEqual(["inbound NAT rule other/inboundNatRules/x"]);
  });
});
