#!/usr/bin/env python3
"""A unixctl server that accepts connections and never answers: a wedged
ovs-vswitchd.  usage: wedged-unixctl.py SOCKET-PATH (runs until killed)."""
import os
import socket
import sys

path = sys.argv[1]
if os.path.exists(path):
    os.unlink(path)
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(path)
srv.listen(16)
held = []
with open(path + ".ready", "w"):
    pass
while True:
    conn, _ = srv.accept()
    held.append(conn)           # Read nothing, answer nothing.
