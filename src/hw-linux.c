/*
 * hw-linux: the Linux back end of the hardware interface (placeholder: the
 * real implementation over devlink, sysfs, debugfs, rtnetlink and ethtool
 * netlink is being written; until then every operation fails cleanly).
 */
#include <config.h>

#include <errno.h>

#include "hw.h"
#include "util.h"

static int
hw_linux_open(const char *args OVS_UNUSED,
              const struct hw_options *options OVS_UNUSED,
              struct hw **hwp OVS_UNUSED, char **errp)
{
    *errp = xstrdup("the Linux hardware back end is not implemented yet");
    return EOPNOTSUPP;
}

const struct hw_class hw_linux_class = {
    .type = "linux",
    .open = hw_linux_open,
};
