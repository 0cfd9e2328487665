/*
 * appctl: finding an OVS daemon's control socket, as ovs-appctl does.
 */
#ifndef APPCTL_H
#define APPCTL_H 1

char *appctl_socket_path(const char *target);

#endif /* appctl.h */
