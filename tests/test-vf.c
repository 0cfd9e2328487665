/*
 * test-vf: the rtnetlink VF information parser (rtnl_parse_vfinfo()) on
 * canned messages, well-formed and malformed.
 *
 * usage: test-vf parsers
 *        test-vf bind SYSFS-ROOT PF VF DRIVER|none
 *        test-vf status HW-FILE VDPA VHOST BRIDGE [KEY=VALUE|port:NAME]...
 *
 * "bind" runs sysfs_set_vf_driver() (the Linux back end's VF binding) on
 * a real or scratch sysfs tree, for the lab: prints "ok" or the error.
 *
 * "status" observes the fake hardware of HW-FILE, adds to the snapshot a
 * vDPA device VDPA with vhost device VHOST (as a back end that observes
 * vDPA devices would), plans for bridge BRIDGE with the external_ids
 * and the (owned) ports given, and prints the plan's VF status objects
 * (struct plan_vf), one a line.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>

#include "hw.h"
#include "openvswitch/dynamic-string.h"
#include "ovsview.h"
#include "plan.h"
#include "rtnl-vf.h"
#include "sysfs-vf.h"
#include "util.h"

static struct nlmsghdr *
start(char *buf)
{
    struct nlmsghdr *nlh;
    struct ifinfomsg *ifi;

    memset(buf, 0, 4096);
    nlh = mnl_nlmsg_put_header(buf);
    nlh->nlmsg_type = RTM_NEWLINK;
    ifi = mnl_nlmsg_put_extra_header(nlh, sizeof *ifi);
    ifi->ifi_index = 7;
    mnl_attr_put_strz(nlh, IFLA_IFNAME, "pf0");
    return nlh;
}

/* One IFLA_VF_INFO with 'vf' in every attribute except 'odd_attr', which
 * gets 'odd_vf'. */
static void
put_vf(struct nlmsghdr *nlh, uint32_t vf, uint16_t vlan, uint16_t proto,
       uint32_t trust, uint32_t state, int odd_attr, uint32_t odd_vf)
{
    struct nlattr *info = mnl_attr_nest_start(nlh, IFLA_VF_INFO);
    struct ifla_vf_mac mac = { .vf = odd_attr == IFLA_VF_MAC ? odd_vf : vf,
                               .mac = { 0x52, 0x54, 0, 0x12, 0x34, vf } };
    struct ifla_vf_vlan v = { .vf = vf, .vlan = vlan, .qos = 3 };
    struct ifla_vf_spoofchk sc = { .vf = vf, .setting = 1 };
    struct ifla_vf_trust t = {
        .vf = odd_attr == IFLA_VF_TRUST ? odd_vf : vf, .setting = trust
    };
    struct ifla_vf_link_state ls = { .vf = vf, .link_state = state };
    struct ifla_vf_vlan_info vi = { .vf = vf, .vlan = vlan, .qos = 3,
                                    .vlan_proto = htons(proto) };
    struct nlattr *list;

    mnl_attr_put(nlh, IFLA_VF_MAC, sizeof mac, &mac);
    mnl_attr_put(nlh, IFLA_VF_VLAN, sizeof v, &v);
    list = mnl_attr_nest_start(nlh, IFLA_VF_VLAN_LIST);
    mnl_attr_put(nlh, IFLA_VF_VLAN_INFO, sizeof vi, &vi);
    mnl_attr_nest_end(nlh, list);
    mnl_attr_put(nlh, IFLA_VF_SPOOFCHK, sizeof sc, &sc);
    mnl_attr_put(nlh, IFLA_VF_TRUST, sizeof t, &t);
    mnl_attr_put(nlh, IFLA_VF_LINK_STATE, sizeof ls, &ls);
    mnl_attr_nest_end(nlh, info);
}

static void
report(const char *name, const struct nlmsghdr *nlh)
{
    struct hw_link_vfs vfs;
    char *error = rtnl_parse_vfinfo(nlh, &vfs);

    if (error) {
        printf("%s: error %s\n", name, error);
        free(error);
        return;
    }
    printf("%s: ok %zu VFs\n", name, vfs.n);
    for (size_t i = 0; i < vfs.n; i++) {
        struct ds s = DS_EMPTY_INITIALIZER;
        hw_vf_config_format(&vfs.configs[i], &s);
        printf("  %s\n", ds_cstr(&s));
        ds_destroy(&s);
    }
    hw_link_vfs_destroy(&vfs);
}

static void
print_opt(const char *name, const char *value)
{
    printf(" %s=%s", name, value ? value : "-");
}

static int
status_main(int argc, char *argv[])
{
    struct hw_snapshot snap;
    struct plan_memory mem;
    struct ovsview view;
    struct plan plan;
    struct hw *hw;
    char *error = NULL;
    char *spec = xasprintf("fake:%s", argv[2]);

    hw_snapshot_init(&snap);
    if (hw_open(spec, NULL, &hw, &error) || hw_observe(hw, &snap, &error)) {
        ovs_fatal(0, "%s", error);
    }
    free(spec);
    struct hw_vdpa *v = hw_snapshot_add_vdpa(&snap, argv[3]);
    free(v->vhost);
    v->vhost = xstrdup(argv[4]);

    ovsview_init(&view);
    view.connected = true;
    struct ovsview_bridge *vbr = ovsview_add_bridge(&view, argv[5]);
    for (int i = 6; i < argc; i++) {
        if (!strncmp(argv[i], "port:", 5)) {
            struct ovsview_port *port = ovsview_add_port(vbr, argv[i] + 5,
                                                         true);
            ovsview_add_iface(port, argv[i] + 5, "");
            continue;
        }
        char *kv = xstrdup(argv[i]);
        char *eq = strchr(kv, '=');
        if (!eq) {
            ovs_fatal(0, "%s: KEY=VALUE expected", argv[i]);
        }
        *eq = '\0';
        smap_replace(&vbr->external_ids, kv, eq + 1);
        free(kv);
    }

    plan_memory_init(&mem);
    plan_init(&plan);
    plan_compute(&view, &snap, &mem, 0, &plan);

    const struct plan_bridge *pb = shash_find_data(&plan.bridges, argv[5]);
    printf("bridge %s: %s\n", argv[5], pb ? pb->state : "none");
    if (pb) {
        const struct shash_node **vfs = shash_sort(&pb->vfs);
        for (size_t i = 0; i < shash_count(&pb->vfs); i++) {
            const struct plan_vf *pv = vfs[i]->data;

            printf("%s: label=%s pf=%s vf=%d", pv->name, pv->label, pv->pf,
                   pv->vf);
            print_opt("pci", pv->pci);
            print_opt("representor", pv->representor);
            print_opt("driver", pv->driver);
            if (pv->has_config) {
                struct ds cfg = DS_EMPTY_INITIALIZER;
                hw_vf_config_format(&pv->config, &cfg);
                printf(" config=[%s]", ds_cstr(&cfg));
                ds_destroy(&cfg);
            }
            print_opt("vdpa", pv->vdpa);
            print_opt("vhost", pv->vhost);
            printf(" state=%s actions=%"PRIuSIZE, pv->state, pv->n_actions);
            print_opt("error", pv->error);
            printf("\n");
        }
        free(vfs);
    }
    plan_destroy(&plan);
    plan_memory_destroy(&mem);
    ovsview_destroy(&view);
    hw_snapshot_destroy(&snap);
    hw_close(hw);
    return 0;
}

int
main(int argc, char *argv[])
{
    char buf[4096];
    struct nlmsghdr *nlh;
    struct nlattr *list;

    set_program_name(argv[0]);
    if (argc == 6 && !strcmp(argv[1], "bind")) {
        char *error = NULL;
        int retval = sysfs_set_vf_driver(argv[2], argv[3], argv[4],
                                         (strcmp(argv[5], "none")
                                          ? argv[5] : NULL), &error);
        if (retval) {
            printf("error %s (%s)\n", error, ovs_strerror(retval));
            free(error);
            return 1;
        }
        printf("ok\n");
        return 0;
    }
    if (argc >= 6 && !strcmp(argv[1], "status")) {
        return status_main(argc, argv);
    }
    if (argc != 2 || strcmp(argv[1], "parsers")) {
        ovs_fatal(0, "usage: %s parsers", argv[0]);
    }

    nlh = start(buf);
    report("no-vfinfo", nlh);

    nlh = start(buf);
    list = mnl_attr_nest_start(nlh, IFLA_VFINFO_LIST);
    put_vf(nlh, 1, 41, ETH_P_8021AD, 0, IFLA_VF_LINK_STATE_DISABLE, 0, 0);
    put_vf(nlh, 0, 40, ETH_P_8021Q, 1, IFLA_VF_LINK_STATE_AUTO, 0, 0);
    put_vf(nlh, 2, 0, ETH_P_8021Q, (uint32_t) -1, IFLA_VF_LINK_STATE_ENABLE,
           0, 0);
    mnl_attr_nest_end(nlh, list);
    report("three-vfs", nlh);

    nlh = start(buf);
    list = mnl_attr_nest_start(nlh, IFLA_VFINFO_LIST);
    put_vf(nlh, 1, 40, ETH_P_8021Q, 1, 0, IFLA_VF_TRUST, 2);
    mnl_attr_nest_end(nlh, list);
    report("vf-number-mismatch", nlh);

    nlh = start(buf);
    list = mnl_attr_nest_start(nlh, IFLA_VFINFO_LIST);
    put_vf(nlh, 1, 40, ETH_P_8021Q, 1, 0, 0, 0);
    put_vf(nlh, 1, 40, ETH_P_8021Q, 1, 0, 0, 0);
    mnl_attr_nest_end(nlh, list);
    report("vf-twice", nlh);

    nlh = start(buf);
    list = mnl_attr_nest_start(nlh, IFLA_VFINFO_LIST);
    put_vf(nlh, 1, 40, ETH_P_8021Q, 1, 7, 0, 0);
    mnl_attr_nest_end(nlh, list);
    report("bad-link-state", nlh);

    nlh = start(buf);
    list = mnl_attr_nest_start(nlh, IFLA_VFINFO_LIST);
    put_vf(nlh, 1, 4096, ETH_P_8021Q, 1, 0, 0, 0);
    mnl_attr_nest_end(nlh, list);
    report("bad-vlan", nlh);

    nlh = start(buf);
    list = mnl_attr_nest_start(nlh, IFLA_VFINFO_LIST);
    {
        struct nlattr *info = mnl_attr_nest_start(nlh, IFLA_VF_INFO);
        uint32_t short_mac = 1;
        mnl_attr_put(nlh, IFLA_VF_MAC, sizeof short_mac, &short_mac);
        mnl_attr_nest_end(nlh, info);
    }
    mnl_attr_nest_end(nlh, list);
    report("short-mac", nlh);

    nlh = start(buf);
    list = mnl_attr_nest_start(nlh, IFLA_VFINFO_LIST);
    {
        struct nlattr *info = mnl_attr_nest_start(nlh, IFLA_VF_INFO);
        mnl_attr_nest_end(nlh, info);
    }
    mnl_attr_nest_end(nlh, list);
    report("empty-vf-info", nlh);

    nlh = start(buf);
    list = mnl_attr_nest_start(nlh, IFLA_VFINFO_LIST);
    mnl_attr_put_u32(nlh, IFLA_VF_PORT, 5);
    mnl_attr_nest_end(nlh, list);
    report("wrong-nest-type", nlh);
    return 0;
}
