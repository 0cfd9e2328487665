/*
 * verify-catalogue: extended-ack messages.  See verify-catalogue.h.
 */
#include <config.h>

#include "verify-catalogue.h"

#include <string.h>

#include "util.h"

static const struct vfy_catalogue_entry catalogue[] = {
    /* netdevsim (the kernel lab). */
    { "only offload of BPF classifiers supported", "netdevsim bpf.c",
      "The device's driver offloads only BPF programs, not flower rules.",
      "None on this device: offload needs a NIC whose driver offloads "
      "flower (mlx5 in switchdev mode)." },

    /* net/sched. */
    { "Bind to offloaded block failed as dev has offload disabled",
      "net/sched cls_api.c",
      "The block holds offloaded rules, but hw-tc-offload is off on a device "
      "being bound to it.",
      "ethtool -K DEV hw-tc-offload on, then add the device again." },
    { "Driver ndo_setup_tc failed", "net/sched cls_api.c",
      "The driver refused to bind the block (its ndo_setup_tc failed).",
      "Check dmesg for the driver's own message; the port may be a VF "
      "instead of a representor, or the eswitch may be in legacy mode." },
    { "Action does not support offload", "net/sched cls_api.c",
      "One of the filter's tc actions has no hardware form at all.",
      "Change the OpenFlow rule so that its datapath actions avoid it "
      "(the flow's actions name it)." },
    { "Flow action buffer overflow", "net/sched cls_api.c",
      "The filter has more actions than the offload interface can carry.",
      "Reduce the number of datapath actions (fewer outputs or header "
      "rewrites per flow)." },
    { "Filter HW offload failed - classifier without re-offloading support",
      "net/sched cls_api.c",
      "The classifier cannot be offloaded again after a block change.",
      "Delete and add the filter (ovs-appctl dpctl/del-flows)." },
    { "Specified chain index exceeds upper limit", "net/sched cls_api.c",
      "The chain number is above what tc accepts.",
      "A probe artifact if --probe-chain is too high: pick a lower one." },

    /* mlx5 core rules (en_tc.c). */
    { "Unsupported key", "mlx5 en_tc.c",
      "The match uses a field (a flow dissector key) the NIC cannot "
      "match on.",
      "Make the OpenFlow match coarser so that OVS does not match on that "
      "field, or upgrade firmware/driver." },
    { "attempt to offload an unsupported field", "mlx5 en_tc.c",
      "A header rewrite (set_field/pedit) touches a field the NIC cannot "
      "rewrite.",
      "Avoid rewriting that field in the OpenFlow actions." },
    { "Match on tunnel is not supported", "mlx5 en_tc.c",
      "The filter matches outer tunnel headers on a device that is not a "
      "tunnel device the NIC can decapsulate for.",
      "Use a VXLAN/Geneve port on the uplink's route; check that the "
      "tunnel's local IP is on the PF or its bond." },
    { "Rule must have at least one forward/drop action", "mlx5 en_tc.c",
      "The rule neither forwards nor drops, which the eswitch cannot "
      "express.",
      "Give the OpenFlow rule an output or drop action." },
    { "hairpin is not supported", "mlx5 en_tc.c",
      "Forwarding between two ports of the NIC outside the eswitch (a "
      "hairpin) is not available here.",
      "Put both ports in the same switchdev eswitch, or enable hairpin "
      "support in firmware." },
    { "VF tunnel encap with mirroring is not supported", "mlx5 en_tc.c",
      "The rule both mirrors and encapsulates towards a VF tunnel endpoint.",
      "Split mirroring and encapsulation into separate rules." },
    { "Not implemented offload action", "mlx5 en_tc.c",
      "The driver has no hardware form for one of the actions.",
      "Remove that action from the datapath actions (see the flow's "
      "actions)." },
    { "Flow action HW stats type is not supported", "mlx5 en_tc.c",
      "The requested hardware statistics type (immediate/delayed) is not "
      "one the NIC offers.",
      "Use the default statistics type; OVS does so unless patched." },
    { "Match on frag first/later is not supported", "mlx5 en_tc.c",
      "The rule matches first or later IP fragments, which the NIC cannot "
      "tell apart.",
      "Match only frag=no/yes in OpenFlow, or leave fragments in "
      "software." },
    { "Drop with modify header action is not supported", "mlx5 en_tc.c",
      "A rule that drops cannot also rewrite headers in hardware.",
      "Remove the header rewrites from dropping rules." },
    { "Requested mirred device not found", "mlx5 en_tc.c",
      "The output device of the rule is not known to the driver.",
      "Output to a representor, the uplink or a tunnel device of the same "
      "eswitch." },

    /* mlx5 actions (en/tc/act/). */
    { "devices are not on same switch HW, can't offload forwarding",
      "mlx5 en/tc/act/mirred.c",
      "The rule forwards between ports of different eswitches.",
      "Keep the in_port and the output on the same NIC, or bond the uplinks "
      "(LAG) so that they share one eswitch." },
    { "can't forward from a VF to itself", "mlx5 en/tc/act/mirred.c",
      "The output is the rule's own in_port (a hairpin to the same VF).",
      "Use in_port as the OpenFlow output only when hardware is not "
      "needed." },
    { "Goto action is not supported", "mlx5 en/tc/act/goto.c",
      "The NIC cannot jump between chains (recirculation).",
      "Avoid recirculation in the pipeline (ct, bonds with "
      "balance-tcp), or use firmware with chain support." },
    { "Goto lower numbered chain isn't supported", "mlx5 en/tc/act/goto.c",
      "The rule jumps back to a lower chain.",
      "Order the recirculations so that chains only increase." },
    { "Mirroring goto chain rules isn't supported", "mlx5 en/tc/act/goto.c",
      "The rule both mirrors and jumps to another chain.",
      "Do not mirror in rules that recirculate." },
    { "Multiple CT actions are not supported", "mlx5 en/tc/act/ct.c",
      "The rule has more than one conntrack action.",
      "Use one ct() per datapath flow (one table per zone)." },
    { "Sample action with CT NAT is not supported",
      "mlx5 en/tc/act/sample.c",
      "sFlow/IPFIX sampling cannot be combined with NAT.",
      "Sample in rules without ct(nat)." },
    { "The pedit offload action is not supported", "mlx5 en/tc/act/pedit.c",
      "Header rewrites cannot be offloaded here (no modify-header "
      "support in this context).",
      "Avoid set_field in these flows, or use firmware that supports it." },
    { "legacy pedit isn't offloaded", "mlx5 en/tc/act/pedit.c",
      "The header rewrite uses the old pedit encoding.",
      "Use a current iproute2/OVS, which emit typed pedit keys." },
    { "vlan push action is not supported", "mlx5 en/tc/act/vlan.c",
      "The NIC cannot push this VLAN (QinQ, or a protocol it lacks).",
      "Push one 802.1Q tag at most, or enable QinQ in firmware." },
    { "Total vlans used is greater than supported", "mlx5 en/tc/act/vlan.c",
      "The rule pushes more VLAN tags than the NIC can.",
      "Push at most the supported number of tags." },

    /* mlx5 conntrack (en/tc_ct.c). */
    { "offload of ct matching isn't available", "mlx5 en/tc_ct.c",
      "Conntrack offload is not initialised (no firmware support, or "
      "not in switchdev mode).",
      "Use switchdev mode and firmware with CT offload." },
    { "only ct_state trk, est, new and rpl are supported for offload",
      "mlx5 en/tc_ct.c",
      "The rule matches a ct_state flag other than trk, est, new or rpl.",
      "Avoid matching +rel, +inv and +snat/+dnat in offloaded tables." },
    { "matching on ct_state +rel isn't supported", "mlx5 en/tc_ct.c",
      "Related connections (ICMP errors, FTP data) are not tracked in "
      "hardware.",
      "Leave +rel rules in software (they are rare)." },
    { "matching on ct_state +inv isn't supported", "mlx5 en/tc_ct.c",
      "Invalid packets are not classified in hardware.",
      "Leave +inv rules in software." },
    { "matching on ct_state +new isn't supported", "mlx5 en/tc_ct.c",
      "New connections are set up in software; hardware sees only "
      "established ones.",
      "Expected: the first packets of a connection stay in software." },
    { "offload of ct action isn't available", "mlx5 en/tc_ct.c",
      "The ct() action cannot be offloaded (no CT offload).",
      "Use firmware and a kernel with CT offload in switchdev mode." },

    /* mlx5 tunnels (en/tc_tun*.c). */
    { "Unsupported tunnel", "mlx5 en/tc_tun_encap.c",
      "The tunnel type is not one the NIC encapsulates (VXLAN, Geneve, "
      "GRE, MPLSoUDP).",
      "Use VXLAN or Geneve." },
    { "can't duplicate encap action", "mlx5 en/tc_tun_encap.c",
      "The rule encapsulates the same packet twice.",
      "One tunnel output per rule." },
    { "encap header larger than max supported", "mlx5 en/tc_tun_encap.c",
      "The outer headers (options included) exceed what the NIC can "
      "prepend.",
      "Use fewer Geneve options or IPv4 outer headers." },
    { "Matching on TTL is not supported", "mlx5 en/tc_tun.c",
      "The decap rule matches the outer TTL, which the NIC cannot.",
      "Do not match tun_ttl in OpenFlow." },
    { "UDP tunnel decap filter must include enc_dst_port condition",
      "mlx5 en/tc_tun.c",
      "A decap rule must match the outer UDP destination port.",
      "OVS sets it for VXLAN ports; check the port's options:dst_port." },
    { "UDP tunnel decap filter must match enc_dst_port fully",
      "mlx5 en/tc_tun.c",
      "The outer UDP port is matched with a partial mask.",
      "Match tp_dst exactly." },
    { "Matching on GENEVE VNI is not supported", "mlx5 en/tc_tun_geneve.c",
      "The NIC cannot match the Geneve VNI.",
      "Use VXLAN, or firmware with Geneve VNI matching." },
};

const struct vfy_catalogue_entry *
vfy_catalogue(size_t *n)
{
    *n = ARRAY_SIZE(catalogue);
    return catalogue;
}

const struct vfy_catalogue_entry *
vfy_catalogue_lookup(const char *extack)
{
    if (!extack) {
        return NULL;
    }
    for (size_t i = 0; i < ARRAY_SIZE(catalogue); i++) {
        if (strstr(extack, catalogue[i].message)) {
            return &catalogue[i];
        }
    }
    return NULL;
}
