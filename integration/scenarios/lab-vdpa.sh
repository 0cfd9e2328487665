#!/bin/bash
# Lab self-test: vDPA.  "vdpa dev add" creates a vdpa_sim_net device (the
# kernel's vDPA network simulator, built out of tree by lab-setup.sh) that
# vhost_vdpa binds, so /dev/vhost-vdpa-0 appears and answers vhost ioctls:
# device id 1 (virtio-net), VIRTIO_F_VERSION_1 and VIRTIO_F_ACCESS_PLATFORM
# among its features, and the MAC given to "vdpa dev add" in its config space.
# Debian 12's 6.1 has no vDPA (CONFIG_VDPA is not set): there the scenario is
# skipped, not passed.
# Key step (LAB_BREAK=vhost skips it): loading vhost_vdpa.
. "$LAB_INTEGRATION/lib.sh"

case " ${LAB_KEXTRA_MODULES:-} " in
    *" vdpa_sim_net "*) ;;
    *) lab_skip "kernel ${LAB_KSERIES:-?} ($LAB_KREL) has no vDPA: ${LAB_KEXTRA_NOTES:-vdpa_sim_net not built}" ;;
esac

lab_step "modules"
lab_modules vdpa vdpa_sim_net
if ! lab_break vhost; then
    lab_modules vhost_vdpa
fi
lab_check_grep "management device vdpasim_net" '^vdpasim_net:' vdpa mgmtdev show

lab_step "vdpa dev add"
mac=02:00:00:00:0a:01
lab_check "vdpa dev add name vdpa0 mgmtdev vdpasim_net mac $mac" \
    vdpa dev add name vdpa0 mgmtdev vdpasim_net mac "$mac"
lab_check_grep "vdpa dev show: vdpa0 is a network device" '^vdpa0: type network mgmtdev vdpasim_net' \
    vdpa dev show vdpa0
lab_check_grep "vdpa dev config show: mac $mac" "mac $mac" vdpa dev config show vdpa0
lab_wait 20 "vdpa0 is bound to vhost_vdpa" \
    sh -c '[ "$(basename "$(readlink /sys/bus/vdpa/devices/vdpa0/driver)")" = vhost_vdpa ]'
lab_wait 20 "/dev/vhost-vdpa-0 is a character device" test -c /dev/vhost-vdpa-0

lab_step "vhost ioctls on /dev/vhost-vdpa-0"
out=$(python3 - "$mac" <<'PY' 2>&1
import fcntl, os, struct, sys
fd = os.open("/dev/vhost-vdpa-0", os.O_RDWR)
def ior(nr, size):          # _IOR(VHOST_VIRTIO = 0xAF, nr, size)
    return (2 << 30) | (size << 16) | (0xAF << 8) | nr
devid = struct.unpack("I", fcntl.ioctl(fd, ior(0x70, 4), b"\0" * 4))[0]
features = struct.unpack("Q", fcntl.ioctl(fd, ior(0x00, 8), b"\0" * 8))[0]
# VHOST_VDPA_GET_CONFIG: struct vhost_vdpa_config { u32 off; u32 len; u8 buf[]; }
cfg = fcntl.ioctl(fd, ior(0x73, 8), struct.pack("II", 0, 6) + b"\0" * 6)
mac = ":".join("%02x" % b for b in cfg[8:14])
print("device_id=%d features=%#x version_1=%d access_platform=%d mac=%s"
      % (devid, features, features >> 32 & 1, features >> 33 & 1, mac))
PY
)
echo "  $out"
lab_check_grep "virtio device id 1 (net)" 'device_id=1 ' echo "$out"
lab_check_grep "VIRTIO_F_VERSION_1 and VIRTIO_F_ACCESS_PLATFORM offered" 'version_1=1 access_platform=1' echo "$out"
lab_check_grep "config space holds mac $mac" "mac=$mac\$" echo "$out"

lab_step "vdpa dev del"
lab_check "vdpa dev del vdpa0" vdpa dev del vdpa0
lab_wait 20 "/dev/vhost-vdpa-0 is gone" sh -c '! test -e /dev/vhost-vdpa-0'
echo "LAB OK: vdpa dev add -> /dev/vhost-vdpa-0 (virtio-net, mac $mac) on $(uname -r)"
