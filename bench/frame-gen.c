/*
 * frame-gen: traffic for bench/verify-bench.sh.
 *
 *   frame-gen DEV FIRST COUNT PPS
 *
 * Sends COUNT Ethernet/IPv4/UDP frames out of DEV (AF_PACKET), frame i
 * (FIRST <= i < FIRST + COUNT) to destination MAC 02:bb:ii:ii:ii:ii, at
 * about PPS frames per second (0: as fast as possible).  With an OpenFlow
 * rule that matches dl_dst exactly, each frame makes ovs-vswitchd install
 * its own exact-match datapath flow.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static uint16_t
ip_csum(const uint8_t *p, size_t n)
{
    uint32_t sum = 0;

    for (size_t i = 0; i + 1 < n; i += 2) {
        sum += (p[i] << 8) | p[i + 1];
    }
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return ~sum;
}

int
main(int argc, char *argv[])
{
    uint8_t f[60];
    struct sockaddr_ll sll;
    struct timespec t0, now;

    if (argc != 5) {
        fprintf(stderr, "usage: %s DEV FIRST COUNT PPS\n", argv[0]);
        return 2;
    }
    unsigned long first = strtoul(argv[2], NULL, 0);
    unsigned long count = strtoul(argv[3], NULL, 0);
    double pps = atof(argv[4]);
    int fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_IP));
    if (fd < 0) {
        perror("socket");
        return 1;
    }
    memset(&sll, 0, sizeof sll);
    sll.sll_family = AF_PACKET;
    sll.sll_protocol = htons(ETH_P_IP);
    sll.sll_ifindex = if_nametoindex(argv[1]);
    sll.sll_halen = ETH_ALEN;
    if (!sll.sll_ifindex) {
        fprintf(stderr, "%s: no such device\n", argv[1]);
        return 1;
    }

    memset(f, 0, sizeof f);
    static const uint8_t src[6] = { 0x02, 0xaa, 0, 0, 0, 1 };
    memcpy(f + 6, src, 6);
    f[12] = 0x08;               /* IPv4. */
    uint8_t *ip = f + 14;
    ip[0] = 0x45;
    ip[3] = 46;                 /* 20 + 8 + 18 bytes. */
    ip[8] = 64;
    ip[9] = 17;                 /* UDP. */
    memcpy(ip + 12, (uint8_t[]) { 10, 0, 0, 1 }, 4);
    memcpy(ip + 16, (uint8_t[]) { 10, 0, 0, 2 }, 4);
    uint16_t c = ip_csum(ip, 20);
    ip[10] = c >> 8;
    ip[11] = c;
    uint8_t *udp = ip + 20;
    udp[0] = 0x30; udp[1] = 0x39;       /* 12345 -> 9. */
    udp[3] = 9;
    udp[5] = 26;

    clock_gettime(CLOCK_MONOTONIC, &t0);
    unsigned long sent = 0, failed = 0;
    for (unsigned long i = first; i < first + count; i++) {
        f[0] = 0x02;
        f[1] = 0xbb;
        f[2] = i >> 24;
        f[3] = i >> 16;
        f[4] = i >> 8;
        f[5] = i;
        memcpy(sll.sll_addr, f, ETH_ALEN);
        if (sendto(fd, f, sizeof f, 0, (struct sockaddr *) &sll,
                   sizeof sll) < 0) {
            failed++;
        } else {
            sent++;
        }
        if (pps > 0) {
            /* Pace: frame n is due at t0 + n / pps. */
            double due = (double) (i - first + 1) / pps;
            clock_gettime(CLOCK_MONOTONIC, &now);
            double el = (now.tv_sec - t0.tv_sec)
                        + (now.tv_nsec - t0.tv_nsec) / 1e9;
            if (due > el) {
                struct timespec d = { (time_t) (due - el),
                                      (long) ((due - el - (time_t) (due - el))
                                              * 1e9) };
                nanosleep(&d, NULL);
            }
        }
    }
    printf("%lu sent, %lu failed\n", sent, failed);
    close(fd);
    return 0;
}
