/*
 * rtnl-vf: the VF settings of a PF over rtnetlink (issue 13).
 *
 * rtnl_get_vfs() asks for one link with RTEXT_FILTER_VF and parses its
 * IFLA_VFINFO_LIST; rtnl_set_vf() sends one IFLA_VF_* setting in an
 * RTM_SETLINK on the PF (one per request, so that an error names the
 * setting and carries the kernel's message).  rtnl_parse_vfinfo() is the
 * pure parser, exposed for tests and the fuzz target.
 */
#ifndef RTNL_VF_H
#define RTNL_VF_H 1

#include <stddef.h>
#include "hw.h"

struct nlmsghdr;
struct nlsock;

char *rtnl_parse_vfinfo(const struct nlmsghdr *, struct hw_link_vfs *);
int rtnl_get_vfs(struct nlsock *, const char *pf, struct hw_link_vfs *,
                 char **errp);
int rtnl_set_vf(struct nlsock *, const char *pf,
                const struct hw_vf_config *, enum hw_vf_setting,
                char **errp);

struct hw_snapshot;
void rtnl_observe_vfs(struct nlsock *, struct hw_snapshot *);

#endif /* rtnl-vf.h */
