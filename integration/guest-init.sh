#!/bin/busybox sh
# shellcheck shell=dash
# PID 1 of the lab VM (copied into the initramfs by lab-setup.sh).
#
# 1. load the virtio/9p/overlay modules listed in /modules/order;
# 2. mount the host root (9p tag "hostroot", read-only) under a tmpfs-backed
#    overlay at /newroot, so host binaries run unchanged and writes stay in RAM;
# 3. mount the writable output directory (9p tag "labout") at the same path
#    as on the host (labout= on the kernel command line);
# 4. chroot into /newroot and run LABOUT/.vm/stage2.sh with bash;
# 5. write its exit status to LABOUT/rc and power off.
#
# PID 1 never leaves the initramfs, so powering off does not depend on 9p.

/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null

fatal() {
    echo "lab-init: FATAL: $*"
    # Give the console a moment, then power off (QEMU runs with -no-reboot).
    sleep 1
    poweroff -f
}

labout=
labshell=0
rootcache=loose
for arg in $(cat /proc/cmdline); do
    case $arg in
        labout=*) labout=${arg#labout=} ;;
        labshell=*) labshell=${arg#labshell=} ;;
        labcache=*) rootcache=${arg#labcache=} ;;
    esac
done

for m in $(cat /modules/order); do
    insmod "/modules/$m" || fatal "insmod $m failed"
done

msize=262144
mkdir -p /lower /upper /newroot
mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=$msize,cache=$rootcache \
    hostroot /lower || fatal "cannot mount the host root over 9p"
mount -t tmpfs -o mode=0755 tmpfs /upper
mkdir -p /upper/data /upper/work
mount -t overlay overlay \
    -o lowerdir=/lower,upperdir=/upper/data,workdir=/upper/work /newroot \
    || fatal "cannot mount the overlay root"

if [ -n "$labout" ]; then
    mkdir -p "/newroot$labout"
    mount -t 9p -o trans=virtio,version=9p2000.L,rw,msize=$msize labout \
        "/newroot$labout" || fatal "cannot mount the output directory"
fi

mount -t proc proc /newroot/proc
mount -t sysfs sys /newroot/sys
mount -t devtmpfs dev /newroot/dev
mkdir -p /newroot/dev/pts /newroot/dev/shm
mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /newroot/dev/pts
mount -t tmpfs -o mode=1777 tmpfs /newroot/dev/shm
mount -t tmpfs -o mode=0755 tmpfs /newroot/run
mount -t cgroup2 cgroup2 /newroot/sys/fs/cgroup 2>/dev/null
ip link set lo up 2>/dev/null
hostname lab

rc=0
if [ -n "$labout" ] && [ -f "/newroot$labout/.vm/stage2.sh" ]; then
    chroot /newroot /bin/bash "$labout/.vm/stage2.sh" </dev/null
    rc=$?
    echo "$rc" > "/newroot$labout/rc"
fi
if [ "$labshell" = 1 ]; then
    echo "lab-init: stage 2 rc=$rc; starting a shell (exit or Ctrl-D powers off)"
    chroot /newroot /usr/bin/setsid -c /bin/bash -c \
        '[ -f "$0" ] && . "$0"; exec /bin/bash -i' "$labout/.vm/env.sh" \
        </dev/ttyS0 >/dev/ttyS0 2>&1
fi
sync
[ -n "$labout" ] && umount "/newroot$labout" 2>/dev/null
poweroff -f
