/*
 * audit: the NIC tuning audit, a pure function from facts to findings.
 * See audit.h.
 */
#include <config.h>

#include "audit.h"

#include <string.h>

#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "util.h"

/* The values the field reports tuned to (wsl2-connectx5-40gbps.txt). */
#define AUDIT_SOCKBUF_MAX 134217728LL
#define AUDIT_TCP_MEM "4096 87380 134217728"
#define AUDIT_BACKLOG 250000LL
#define AUDIT_CC "bbr"

/* VXLAN over IPv4 adds 50 bytes (outer Ethernet 14, IPv4 20, UDP 8, VXLAN
 * 8) to the inner frame's MTU; over IPv6, 70. */
#define AUDIT_VXLAN_HEADROOM 50

const char *const audit_feature_names[AUDIT_N_FEATURES] = {
    [AUDIT_F_TSO] = "tx-tcp-segmentation",
    [AUDIT_F_GSO] = "tx-generic-segmentation",
    [AUDIT_F_GRO] = "rx-gro",
    [AUDIT_F_RXCSUM] = "rx-checksum",
    [AUDIT_F_TXCSUM] = "tx-checksum-ip-generic",
    [AUDIT_F_TXCSUM4] = "tx-checksum-ipv4",
    [AUDIT_F_TXCSUM6] = "tx-checksum-ipv6",
    [AUDIT_F_HW_TC] = "hw-tc-offload",
};

void
audit_host_init(struct audit_host *h)
{
    memset(h, 0, sizeof *h);
    h->n_cpus = h->n_numa_nodes = -1;
    h->rmem_max = h->wmem_max = -1;
    h->tcp_rmem_max = h->tcp_wmem_max = -1;
    h->netdev_max_backlog = -1;
}

void
audit_host_destroy(struct audit_host *h)
{
    free(h->tcp_rmem);
    free(h->tcp_wmem);
    free(h->congestion_control);
    free(h->available_cc);
}

void
audit_dev_init(struct audit_dev *d, const char *name)
{
    memset(d, 0, sizeof *d);
    d->name = xstrdup(name);
    d->port_speed = -1;
    d->channels_before = -1;
    d->numa_node = -1;
    d->total_vfs = -1;
    d->desired_vfs = -1;
    d->desired_mtu = -1;
}

void
audit_dev_destroy(struct audit_dev *d)
{
    free(d->name);
    free(d->bus);
    free(d->dev);
    free(d->driver);
    free(d->pcie_port);
    free(d->pci);
    free(d->master);
    free(d->master_kind);
    for (size_t i = 0; i < d->n_reps; i++) {
        free(d->reps[i].name);
    }
    free(d->reps);
    free(d->local_cpus);
    free(d->local_cpu_words);
    free(d->fw_version);
}

void
audit_dev_add_rep(struct audit_dev *d, const char *name, unsigned int mtu)
{
    d->reps = xrealloc(d->reps, (d->n_reps + 1) * sizeof *d->reps);
    d->reps[d->n_reps].name = xstrdup(name);
    d->reps[d->n_reps].mtu = mtu;
    d->n_reps++;
}

void
audit_report_init(struct audit_report *r)
{
    memset(r, 0, sizeof *r);
}

void
audit_report_destroy(struct audit_report *r)
{
    for (size_t i = 0; i < r->n; i++) {
        struct audit_entry *e = &r->entries[i];
        free(e->device);
        free(e->check);
        free(e->found);
        free(e->expected);
        free(e->why);
        free(e->fix);
    }
    free(r->entries);
    memset(r, 0, sizeof *r);
}

/* Adds an entry.  'found', 'expected', 'why' and 'fix' are taken (malloc'd
 * or NULL). */
static void
add_entry(struct audit_report *r, const char *device, const char *check,
          enum audit_status status, char *found, char *expected, char *why,
          char *fix)
{
    struct audit_entry *e;

    if (r->n >= r->allocated) {
        r->entries = x2nrealloc(r->entries, &r->allocated,
                                sizeof *r->entries);
    }
    e = &r->entries[r->n++];
    e->device = xstrdup(device);
    e->check = xstrdup(check);
    e->status = status;
    e->found = found;
    e->expected = expected;
    e->why = why;
    e->fix = fix;
    if (status == AUDIT_FINDING) {
        r->n_findings++;
    }
}

static void
add_ok(struct audit_report *r, const char *device, const char *check,
       char *found, char *expected)
{
    add_entry(r, device, check, AUDIT_OK, found, expected, NULL, NULL);
}

static void
add_unknown(struct audit_report *r, const char *device, const char *check,
            const char *what)
{
    add_entry(r, device, check, AUDIT_UNKNOWN,
              xasprintf("unknown (%s)", what), NULL, NULL, NULL);
}

long long int
audit_pcie_ceiling(int speed, int width)
{
    long long int raw = (long long int) speed * 100 * width;  /* Mb/s. */

    if (speed <= 0 || width <= 0) {
        return 0;
    } else if (speed <= 50) {
        return raw * 8 / 10;                /* Gen1, Gen2: 8b/10b. */
    } else if (speed <= 320) {
        return raw * 128 / 130;             /* Gen3 to Gen5: 128b/130b. */
    } else {
        return raw;                         /* Gen6: FLIT, no line code. */
    }
}

static int
pcie_gen(int speed)
{
    return (speed <= 25 ? 1 : speed <= 50 ? 2 : speed <= 80 ? 3
            : speed <= 160 ? 4 : speed <= 320 ? 5 : 6);
}

static char *
format_gbps(long long int mbps)
{
    return xasprintf("%lld.%lld Gb/s", mbps / 1000, (mbps % 1000) / 100);
}

static char *
format_link(int speed, int width)
{
    return xasprintf("%d.%d GT/s (Gen%d) x%d", speed / 10, speed % 10,
                     pcie_gen(speed), width);
}

static void
check_pcie(const struct audit_dev *d, struct audit_report *r)
{
    if (!d->pci) {
        return;                 /* Not a PCI device: nothing to check. */
    }
    if (!d->has_pcie) {
        add_unknown(r, d->name, "pcie-link", "no PCIe link attributes in "
                    "sysfs");
        return;
    }

    /* The link trains to what both ends support. */
    bool has_port = d->pcie_port && d->pcie_port_max_speed > 0
                    && d->pcie_port_max_width > 0;
    int cap_speed = d->pcie_max_speed, cap_width = d->pcie_max_width;
    if (has_port) {
        cap_speed = MIN(cap_speed, d->pcie_port_max_speed);
        cap_width = MIN(cap_width, d->pcie_port_max_width);
    }
    long long int cur = audit_pcie_ceiling(d->pcie_cur_speed,
                                           d->pcie_cur_width);
    long long int cap = audit_pcie_ceiling(cap_speed, cap_width);
    long long int dev_max = audit_pcie_ceiling(d->pcie_max_speed,
                                               d->pcie_max_width);
    char *cur_s = format_link(d->pcie_cur_speed, d->pcie_cur_width);
    char *max_s = format_link(d->pcie_max_speed, d->pcie_max_width);
    char *cap_s = format_link(cap_speed, cap_width);
    char *cur_bw = format_gbps(cur);
    char *cap_bw = format_gbps(cap);
    char *dev_bw = format_gbps(dev_max);
    struct ds found = DS_EMPTY_INITIALIZER;

    ds_put_format(&found, "%s, ceiling %s; device maximum %s", cur_s,
                  cur_bw, max_s);
    if (has_port) {
        char *port_s = format_link(d->pcie_port_max_speed,
                                   d->pcie_port_max_width);
        char *port_bw = format_gbps(audit_pcie_ceiling(
                                        d->pcie_port_max_speed,
                                        d->pcie_port_max_width));
        ds_put_format(&found, "; slot (port %s) maximum %s, ceiling %s",
                      d->pcie_port, port_s, port_bw);
        free(port_s);
        free(port_bw);
    }

    if (d->pcie_cur_speed < cap_speed || d->pcie_cur_width < cap_width) {
        add_entry(r, d->name, "pcie-link", AUDIT_FINDING,
                  ds_steal_cstr(&found),
                  xasprintf("%s (what the device%s support), ceiling %s",
                            cap_s, has_port ? " and its slot" : " can",
                            cap_bw),
                  xasprintf("the link trained below what both ends "
                            "support: %s instead of %s of PCIe bandwidth "
                            "(after line encoding); a bad riser or cable, "
                            "a slot sharing its lanes, or a bifurcation "
                            "setting", cur_bw, cap_bw),
                  xasprintf("no command: reseat the card or fix the slot's "
                            "bifurcation/link speed setting in the firmware "
                            "setup; confirm with \"lspci -s %s -vv | grep "
                            "-E 'LnkCap|LnkSta'\"", d->pci));
    } else {
        add_ok(r, d->name, "pcie-link", ds_steal_cstr(&found),
               xasprintf("%s (what the device%s support)", cap_s,
                         has_port ? " and its slot" : " can"));
    }

    if (has_port && cap < dev_max) {
        add_entry(r, d->name, "pcie-slot", AUDIT_FINDING,
                  xasprintf("slot (port %s) maximum %s", d->pcie_port,
                            cap_s),
                  xasprintf("a slot for the card's %s (%s)", max_s, dev_bw),
                  xasprintf("the slot caps the card at %s of its %s; the "
                            "field report's ConnectX-5 Ex sat in a Gen4 x4 "
                            "slot (63 Gb/s) and peaked at 53.6 Gb/s on its "
                            "100 Gb/s port", cap_bw, dev_bw),
                  xasprintf("no command: move the card to a slot wired "
                            "x%d Gen%d", d->pcie_max_width,
                            pcie_gen(d->pcie_max_speed)));
    }

    if (d->port_speed <= 0) {
        add_entry(r, d->name, "pcie-ceiling", AUDIT_UNKNOWN,
                  xasprintf("PCIe ceiling %s, port speed unknown (link "
                            "down?)", cur_bw), NULL, NULL, NULL);
    } else if (cur < d->port_speed) {
        /* The narrowest link at the device's top speed that carries the
         * port. */
        int width = 1;
        while (width < 32
               && audit_pcie_ceiling(d->pcie_max_speed, width)
                  < d->port_speed) {
            width *= 2;
        }
        add_entry(r, d->name, "pcie-ceiling", AUDIT_FINDING,
                  xasprintf("PCIe %s carries at most %s", cur_s, cur_bw),
                  xasprintf("at least the port speed, %d Gb/s",
                            d->port_speed / 1000),
                  xasprintf("the PCIe link, not the port, caps throughput: "
                            "lanes x rate x encoding (%s) = %s under a "
                            "%d Gb/s port, before TLP overhead; the "
                            "field report's ConnectX-5 in a Gen4 x4 slot "
                            "(63 Gb/s) peaked at 53.6 Gb/s on a 100 Gb/s "
                            "port",
                            d->pcie_cur_speed <= 50 ? "8b/10b"
                            : d->pcie_cur_speed <= 320 ? "128b/130b"
                            : "FLIT", cur_bw, d->port_speed / 1000),
                  (audit_pcie_ceiling(d->pcie_max_speed, width)
                   >= d->port_speed
                   ? xasprintf("no command: put the card in a slot with at "
                               "least x%d at Gen%d (%s)", width,
                               pcie_gen(d->pcie_max_speed), d->pci)
                   : xasprintf("no command: the device's own maximum "
                               "link, %s (%s), is below the port speed: "
                               "no slot lets the port run at line rate",
                               max_s, dev_bw)));
    } else {
        add_ok(r, d->name, "pcie-ceiling",
               xasprintf("PCIe ceiling %s", cur_bw),
               xasprintf("at least the port speed, %d Gb/s",
                         d->port_speed / 1000));
    }
    ds_destroy(&found);
    free(cur_s);
    free(max_s);
    free(cap_s);
    free(cur_bw);
    free(cap_bw);
    free(dev_bw);
}

static void
check_channels(const struct audit_host *h, const struct audit_dev *d,
               struct audit_report *r)
{
    unsigned int expected, by_cpus;
    struct ds why = DS_EMPTY_INITIALIZER;

    if (!d->has_channels) {
        add_unknown(r, d->name, "channels", "no combined channels "
                    "(ethtool)");
        return;
    }
    by_cpus = d->max_combined;
    if (h->n_cpus > 0 && h->n_cpus < by_cpus) {
        by_cpus = h->n_cpus;
    }
    expected = by_cpus;
    if (d->channels_before > 0) {
        unsigned int before = MIN((unsigned int) d->channels_before,
                                  d->max_combined);
        expected = MAX(expected, before);
    }
    if (d->combined >= expected) {
        add_ok(r, d->name, "channels",
               xasprintf("%u combined (maximum %u)", d->combined,
                         d->max_combined),
               xasprintf("%u (min of maximum and %d CPUs%s)", expected,
                         h->n_cpus,
                         d->channels_before > 0 ? ", count before switchdev"
                         : ""));
        return;
    }
    ds_put_format(&why, "each channel is a queue pair with its own "
                  "interrupt and CPU; with %u, receive and transmit "
                  "processing of the port is limited to %u CPU%s",
                  d->combined, d->combined, d->combined == 1 ? "" : "s");
    if (d->channels_before > 0) {
        ds_put_format(&why, "; the device had %d before the eswitch mode "
                      "change", d->channels_before);
    }
    ds_put_cstr(&why, "; the field report's ConnectX-5 dropped from 32 to 1 "
                "channel with switchdev and iperf3 went from about 90 to "
                "about 30 Gb/s until \"ethtool -L ... combined 32\"");
    add_entry(r, d->name, "channels", AUDIT_FINDING,
              xasprintf("%u combined (maximum %u)", d->combined,
                        d->max_combined),
              xasprintf("%u (%s)", expected,
                        (d->channels_before > 0
                         && expected > by_cpus) ? "the count before "
                        "switchdev" : "one per CPU, up to the maximum"),
              ds_steal_cstr(&why),
              xasprintf("ethtool -L %s combined %u", d->name, expected));
}

static void
check_rings(const struct audit_dev *d, struct audit_report *r)
{
    if (!d->has_rings) {
        add_unknown(r, d->name, "rings", "no ring parameters (ethtool)");
        return;
    }
    char *found = xasprintf("rx %u (max %u), tx %u (max %u)", d->rx,
                            d->rx_max, d->tx, d->tx_max);
    if (d->rx >= d->rx_max && d->tx >= d->tx_max) {
        add_ok(r, d->name, "rings", found,
               xasprintf("rx %u, tx %u", d->rx_max, d->tx_max));
        return;
    }

    struct ds fix = DS_EMPTY_INITIALIZER;
    ds_put_format(&fix, "ethtool -G %s", d->name);
    if (d->rx < d->rx_max) {
        ds_put_format(&fix, " rx %u", d->rx_max);
    }
    if (d->tx < d->tx_max) {
        ds_put_format(&fix, " tx %u", d->tx_max);
    }
    add_entry(r, d->name, "rings", AUDIT_FINDING, found,
              xasprintf("rx %u, tx %u (the maximum)", d->rx_max, d->tx_max),
              xstrdup("a short ring overflows during bursts and drops or "
                      "backs off: the field report's TX ring of 170 "
                      "entries (maximum 2560) filled in microseconds under "
                      "load, one of the settings that took its host from "
                      "10 to 53.6 Gb/s"),
              ds_steal_cstr(&fix));
}

static void
check_features(const struct audit_dev *d, struct audit_report *r)
{
    static const struct {
        enum audit_feature f;
        const char *short_name;     /* ethtool -K name. */
        const char *what;
    } checks[] = {
        { AUDIT_F_TSO, "tso", "TCP segmentation offload" },
        { AUDIT_F_GSO, "gso", "generic segmentation offload" },
        { AUDIT_F_GRO, "gro", "generic receive offload" },
        { AUDIT_F_RXCSUM, "rx", "receive checksum offload" },
        { AUDIT_F_HW_TC, "hw-tc-offload", "tc flower offload" },
    };
    struct ds found = DS_EMPTY_INITIALIZER;
    struct ds fix = DS_EMPTY_INITIALIZER;
    struct ds off = DS_EMPTY_INITIALIZER;
    bool hw_tc_off = false, other_off = false;

    if (!d->has_features) {
        add_unknown(r, d->name, "offload-features", "no features (ethtool)");
        return;
    }
    for (size_t i = 0; i < ARRAY_SIZE(checks); i++) {
        enum audit_feature f = checks[i].f;

        ds_put_format(&found, "%s%s %s", found.length ? ", " : "",
                      checks[i].short_name,
                      d->feature_active[f] ? "on" : "off");
        if (!d->feature_active[f] && d->feature_changeable[f]) {
            ds_put_format(&fix, " %s on", checks[i].short_name);
            ds_put_format(&off, "%s%s", off.length ? ", " : "",
                          checks[i].what);
            if (f == AUDIT_F_HW_TC) {
                hw_tc_off = true;
            } else {
                other_off = true;
            }
        }
    }

    /* Transmit checksumming is any one of three bits. */
    bool tx_on = (d->feature_active[AUDIT_F_TXCSUM]
                  || d->feature_active[AUDIT_F_TXCSUM4]
                  || d->feature_active[AUDIT_F_TXCSUM6]);
    bool tx_can = (d->feature_changeable[AUDIT_F_TXCSUM]
                   || d->feature_changeable[AUDIT_F_TXCSUM4]
                   || d->feature_changeable[AUDIT_F_TXCSUM6]);
    ds_put_format(&found, ", tx %s", tx_on ? "on" : "off");
    if (!tx_on && tx_can) {
        ds_put_cstr(&fix, " tx on");
        ds_put_format(&off, "%stransmit checksum offload",
                      off.length ? ", " : "");
        other_off = true;
    }

    if (!fix.length) {
        add_ok(r, d->name, "offload-features", ds_steal_cstr(&found),
               xstrdup("every supported one on"));
    } else {
        add_entry(r, d->name, "offload-features", AUDIT_FINDING,
                  ds_steal_cstr(&found),
                  xstrdup("tso, gso, gro, rx, tx and hw-tc-offload on "
                          "(where the device supports them)"),
                  xasprintf("off: %s%s%s", ds_cstr(&off),
                            other_off ? "; without segmentation and checksum "
                            "offload the CPU cuts and sums every packet (the "
                            "field report's LSO kept being turned off behind "
                            "its back by a filter driver)" : "",
                            hw_tc_off ? "; without hw-tc-offload, tc (and "
                            "so OVS) cannot put flows in hardware at all"
                            : ""),
                  xasprintf("ethtool -K %s%s", d->name, ds_cstr(&fix)));
    }
    ds_destroy(&found);
    ds_destroy(&fix);
    ds_destroy(&off);
}

static void
check_xps(const struct audit_host *h, const struct audit_dev *d,
          struct audit_report *r)
{
    if (!d->has_xps) {
        add_unknown(r, d->name, "xps", "no transmit queues in sysfs");
        return;
    }
    if (d->n_tx_queues <= 1 || d->n_xps_set > 0 || h->n_cpus == 1) {
        add_ok(r, d->name, "xps",
               xasprintf("%d transmit queue%s, %d with an XPS map",
                         d->n_tx_queues, d->n_tx_queues == 1 ? "" : "s",
                         d->n_xps_set),
               xstrdup("an XPS map on multi-queue devices of multi-CPU "
                       "hosts"));
        return;
    }
    int ncpu = h->n_cpus > 0 ? h->n_cpus : 1;
    add_entry(r, d->name, "xps", AUDIT_FINDING,
              xasprintf("%d transmit queues, none with an XPS map "
                        "(xps_cpus 0)", d->n_tx_queues),
              xstrdup("each transmit queue mapped to a CPU"),
              xstrdup("without XPS, transmit queues are picked by hash and "
                      "one CPU's traffic lands on queues serviced elsewhere; "
                      "the field report found every queue at XPS value "
                      "000000 and spread them over the cores as part of "
                      "the tuning from 10 to 53.6 Gb/s"),
              xasprintf("for i in $(seq 0 %d); do printf '%%x' "
                        "$((1 << (i %% %d))) > "
                        "/sys/class/net/%s/queues/tx-$i/xps_cpus; done",
                        d->n_tx_queues - 1, MIN(ncpu, 62), d->name));
}

static void
check_mtu(const struct audit_dev *d, struct audit_report *r)
{
    unsigned int rep_max = 0;
    const char *rep_name = NULL;
    unsigned int pf_mtu = d->mtu;

    for (size_t i = 0; i < d->n_reps; i++) {
        if (d->reps[i].mtu > rep_max
            || (d->reps[i].mtu == rep_max && rep_name
                && strcmp(d->reps[i].name, rep_name) < 0)) {
            rep_max = d->reps[i].mtu;
            rep_name = d->reps[i].name;
        }
    }

    /* Bond and PF must agree. */
    if (d->master && d->master_kind && !strcmp(d->master_kind, "bond")
        && d->master_mtu != pf_mtu) {
        unsigned int want = MAX(d->master_mtu, pf_mtu);
        add_entry(r, d->name, "mtu-bond", AUDIT_FINDING,
                  xasprintf("%s MTU %u, bond %s MTU %u", d->name, pf_mtu,
                            d->master, d->master_mtu),
                  xasprintf("the same MTU (%u) on the PFs and the bond",
                            want),
                  xstrdup("frames larger than the smaller of the two are "
                          "dropped on the way out; the field report sets "
                          "9080 on both PFs and on bond0"),
                  xasprintf("ip link set dev %s mtu %u", d->master, want));
    }

    /* Representors (the VMs' MTU) plus VXLAN headroom must fit. */
    unsigned int headroom = d->vxlan ? AUDIT_VXLAN_HEADROOM : 0;
    unsigned int need = MAX(rep_max + headroom,
                            d->desired_mtu > 0 ? d->desired_mtu : 0);
    if (need > pf_mtu) {
        struct ds fix = DS_EMPTY_INITIALIZER;

        ds_put_format(&fix, "ip link set dev %s mtu %u", d->name, need);
        if (d->master && d->master_kind && !strcmp(d->master_kind, "bond")
            && d->master_mtu < need) {
            ds_put_format(&fix, " && ip link set dev %s mtu %u", d->master,
                          need);
        }
        add_entry(r, d->name, "mtu-path", AUDIT_FINDING,
                  (rep_name
                   ? xasprintf("PF MTU %u, representor %s MTU %u%s", pf_mtu,
                               rep_name, rep_max,
                               d->vxlan ? ", VXLAN on the host" : "")
                   : xasprintf("PF MTU %u", pf_mtu)),
                  xasprintf("at least %u (%s)", need,
                            (d->desired_mtu > 0 && need == d->desired_mtu)
                            ? "offload-mtu"
                            : d->vxlan ? "representor MTU + 50 bytes of "
                            "VXLAN/IPv4 headroom" : "representor MTU"),
                  xstrdup("a VM frame that does not fit the uplink with its "
                          "tunnel headers is dropped or fragmented; the "
                          "field report runs 9000 in the VMs and 9080 on "
                          "the PFs and the bond for VXLAN, and measured "
                          "86 against 83 Gb/s at MTU 9000 against 1500 "
                          "(2 streams)"),
                  ds_steal_cstr(&fix));
    } else {
        add_ok(r, d->name, "mtu-path",
               (rep_name
                ? xasprintf("PF MTU %u, largest representor MTU %u (%s)%s",
                            pf_mtu, rep_max, rep_name,
                            d->vxlan ? ", VXLAN on the host" : "")
                : xasprintf("PF MTU %u, no representors", pf_mtu)),
               xasprintf("at least %u", need));
    }
}

static void
check_numa_irqs(const struct audit_host *h, const struct audit_dev *d,
                struct audit_report *r)
{
    if (!d->has_numa) {
        add_unknown(r, d->name, "numa", "no numa_node in sysfs");
    } else if (d->numa_node < 0 && h->n_numa_nodes > 1) {
        add_entry(r, d->name, "numa", AUDIT_FINDING,
                  xasprintf("node -1 (not reported) on a host with %d "
                            "nodes", h->n_numa_nodes),
                  xstrdup("the NIC's NUMA node"),
                  xstrdup("without it, the kernel and irqbalance cannot keep "
                          "the NIC's interrupts and buffers on its own "
                          "socket; cross-socket traffic costs bandwidth "
                          "and latency"),
                  xstrdup("no command: enable the ACPI SRAT/NUMA setting "
                          "in the firmware setup"));
    } else {
        add_ok(r, d->name, "numa",
               xasprintf("node %d%s%s%s", d->numa_node,
                         d->local_cpus ? " (local CPUs " : "",
                         d->local_cpus ? d->local_cpus : "",
                         d->local_cpus ? ")" : ""),
               NULL);
    }

    if (!d->has_irqs) {
        add_unknown(r, d->name, "irq-spread", "no MSI vectors in sysfs");
        return;
    }
    int want = MIN(d->n_irqs, h->n_cpus > 0 ? h->n_cpus : 1);
    if (d->n_local_cpus > 0) {
        want = MIN(want, d->n_local_cpus);
    }
    char *found = xasprintf("%d vector%s on %d CPU%s, %d off the NIC's "
                            "node", d->n_irqs, d->n_irqs == 1 ? "" : "s",
                            d->n_irq_cpus, d->n_irq_cpus == 1 ? "" : "s",
                            d->n_irq_remote);
    if ((want > 1 && d->n_irq_cpus < 2) || d->n_irq_remote > 0) {
        add_entry(r, d->name, "irq-spread", AUDIT_FINDING, found,
                  xasprintf("spread over %d CPUs of the NIC's node", want),
                  xstrdup("queues whose interrupts all land on one CPU (or "
                          "on another socket) are serviced one at a time "
                          "there, whatever the channel count"),
                  (d->local_cpu_words
                   ? xasprintf("cpus=\"%s\"; set -- $cpus; for irq in "
                               "$(ls /sys/class/net/%s/device/msi_irqs); do "
                               "[ $# -gt 0 ] || set -- $cpus; echo $1 > "
                               "/proc/irq/$irq/smp_affinity_list; shift; "
                               "done", d->local_cpu_words, d->name)
                   : xasprintf("i=0; for irq in $(ls /sys/class/net/%s/"
                               "device/msi_irqs); do echo $((i++ %% %d)) > "
                               "/proc/irq/$irq/smp_affinity_list; done",
                               d->name, want)));
    } else {
        add_ok(r, d->name, "irq-spread", found, NULL);
    }
}

static void
check_firmware(const struct audit_dev *d, struct audit_report *r)
{
    add_ok(r, d->name, "firmware",
           xstrdup(d->fw_version ? d->fw_version : "unknown"), NULL);

    if (d->total_vfs < 0) {
        if (d->bus && !strcmp(d->bus, "pci")) {
            add_unknown(r, d->name, "sriov", "no sriov_totalvfs");
        }
        return;
    }
    int want = d->desired_vfs > 0 ? d->desired_vfs : 1;
    if (d->total_vfs < want) {
        add_entry(r, d->name, "sriov", AUDIT_FINDING,
                  xasprintf("sriov_totalvfs %d", d->total_vfs),
                  xasprintf("at least %d", want),
                  xstrdup("the firmware limits the VF count: switchdev "
                          "offload needs VFs, and the field report had to "
                          "enable SR-IOV in the firmware first"),
                  xasprintf("mstconfig -d %s set SRIOV_EN=1 NUM_OF_VFS=%d, "
                            "then reboot", d->dev ? d->dev : d->name,
                            MAX(want, 16)));
    } else {
        add_ok(r, d->name, "sriov",
               xasprintf("sriov_totalvfs %d", d->total_vfs),
               xasprintf("at least %d", want));
    }
}

static void
check_sysctl_min(struct audit_report *r, const char *key, long long int v,
                 long long int min, const char *value, const char *text)
{
    if (v < 0) {
        add_unknown(r, "host", key, "cannot read");
    } else if (v < min) {
        add_entry(r, "host", key, AUDIT_FINDING,
                  text ? xstrdup(text) : xasprintf("%lld", v),
                  xasprintf(text ? "maximum at least %lld" : "at least %lld",
                            min),
                  xstrdup("socket buffers and the backlog bound how much "
                          "data a stream keeps in flight and how many "
                          "packets wait for the stack; the field report "
                          "set these values to cut retransmits, as part of "
                          "the tuning from 10 to 53.6 Gb/s"),
                  xasprintf("sysctl -w %s=\"%s\"", key, value));
    } else {
        add_ok(r, "host", key, text ? xstrdup(text) : xasprintf("%lld", v),
               xasprintf("at least %lld", min));
    }
}

static void
check_host(const struct audit_host *h, struct audit_report *r)
{
    check_sysctl_min(r, "net.core.rmem_max", h->rmem_max, AUDIT_SOCKBUF_MAX,
                     "134217728", NULL);
    check_sysctl_min(r, "net.core.wmem_max", h->wmem_max, AUDIT_SOCKBUF_MAX,
                     "134217728", NULL);
    check_sysctl_min(r, "net.ipv4.tcp_rmem", h->tcp_rmem_max,
                     AUDIT_SOCKBUF_MAX, AUDIT_TCP_MEM, h->tcp_rmem);
    check_sysctl_min(r, "net.ipv4.tcp_wmem", h->tcp_wmem_max,
                     AUDIT_SOCKBUF_MAX, AUDIT_TCP_MEM, h->tcp_wmem);
    check_sysctl_min(r, "net.core.netdev_max_backlog", h->netdev_max_backlog,
                     AUDIT_BACKLOG, "250000", NULL);

    const char *key = "net.ipv4.tcp_congestion_control";
    if (!h->congestion_control) {
        add_unknown(r, "host", key, "cannot read");
    } else if (strcmp(h->congestion_control, AUDIT_CC)) {
        add_entry(r, "host", key, AUDIT_FINDING,
                  xstrdup(h->congestion_control), xstrdup(AUDIT_CC),
                  xasprintf("loss-based congestion control backs off on "
                            "every drop at high bandwidth-delay products; "
                            "the field report switched to BBR with the "
                            "socket buffers%s",
                            (h->available_cc
                             && !strstr(h->available_cc, AUDIT_CC))
                            ? " (bbr is not loaded here)" : ""),
                  xstrdup("modprobe tcp_bbr && sysctl -w "
                          "net.ipv4.tcp_congestion_control=bbr"));
    } else {
        add_ok(r, "host", key, xstrdup(h->congestion_control),
               xstrdup(AUDIT_CC));
    }
}

void
audit_check(const struct audit_host *h, const struct audit_dev *devs,
            size_t n_devs, struct audit_report *r)
{
    for (size_t i = 0; i < n_devs; i++) {
        const struct audit_dev *d = &devs[i];

        check_pcie(d, r);
        check_channels(h, d, r);
        check_rings(d, r);
        check_features(d, r);
        check_xps(h, d, r);
        check_mtu(d, r);
        check_numa_irqs(h, d, r);
        check_firmware(d, r);
    }
    check_host(h, r);
}

static const char *
status_name(enum audit_status s)
{
    return s == AUDIT_OK ? "ok" : s == AUDIT_FINDING ? "finding" : "unknown";
}

/* Text form: every entry on one line ("all"), or only findings, each
 * finding followed by its explanation and fix. */
void
audit_report_table(const struct audit_report *r, bool all, struct ds *s)
{
    for (size_t i = 0; i < r->n; i++) {
        const struct audit_entry *e = &r->entries[i];

        if (!all && e->status != AUDIT_FINDING) {
            continue;
        }
        ds_put_format(s, "%-8s %-12s %-31s %s\n", status_name(e->status),
                      e->device, e->check, e->found ? e->found : "");
        if (e->status == AUDIT_FINDING) {
            ds_put_format(s, "    expected: %s\n", e->expected);
            ds_put_format(s, "    why: %s\n", e->why);
            ds_put_format(s, "    fix: %s\n", e->fix);
        }
    }
    ds_put_format(s, "%"PRIuSIZE" finding%s\n", r->n_findings,
                  r->n_findings == 1 ? "" : "s");
}

static void
put_str(struct json *obj, const char *key, const char *value)
{
    json_object_put(obj, key, (value ? json_string_create(value)
                               : json_null_create()));
}

struct json *
audit_report_json(const struct audit_report *r)
{
    struct json *top = json_object_create();
    struct json *entries = json_array_create_empty();

    for (size_t i = 0; i < r->n; i++) {
        const struct audit_entry *e = &r->entries[i];
        struct json *obj = json_object_create();

        put_str(obj, "device", e->device);
        put_str(obj, "check", e->check);
        put_str(obj, "status", status_name(e->status));
        put_str(obj, "found", e->found);
        put_str(obj, "expected", e->expected);
        put_str(obj, "why", e->why);
        put_str(obj, "fix", e->fix);
        json_array_add(entries, obj);
    }
    json_object_put(top, "entries", entries);
    json_object_put(top, "findings", json_integer_create(r->n_findings));
    return top;
}
