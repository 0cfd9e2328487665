/*
 * appctl: finding an OVS daemon's control socket.  See appctl.h.
 */
#include <config.h>

#include "appctl.h"

#include <string.h>

#include "daemon.h"
#include "dirs.h"
#include "util.h"

/* Returns the unixctl socket path of 'target' (a daemon name such as
 * "ovs-vswitchd", found by its pidfile in the run directory, or a path),
 * or NULL if the daemon is not running. */
char *
appctl_socket_path(const char *target)
{
    char *pidfile;
    pid_t pid;

    if (strchr(target, '/')) {
        return xstrdup(target);
    }
    pidfile = xasprintf("%s/%s.pid", ovs_rundir(), target);
    pid = read_pidfile(pidfile);
    free(pidfile);
    return (pid < 0 ? NULL
            : xasprintf("%s/%s.%ld.ctl", ovs_rundir(), target,
                        (long int) pid));
}
