#!/usr/bin/python3
# A vhost-user back end that answers just enough of the protocol for
# QEMU's -netdev vhost-user to come up (features, no protocol features,
# one queue pair) and does nothing else.  For tests that check what QEMU
# does with a vhost back end, not what the back end does.
#
# Usage: vhost-user-stub.py SOCKET (listens there, serves one client)
#
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import socket
import struct
import sys

GET_FEATURES = 1
GET_PROTOCOL_FEATURES = 15
GET_QUEUE_NUM = 17
REPLY = 0x4 | 0x1          # reply flag, protocol version 1
VIRTIO_F_VERSION_1 = 1 << 32

path = sys.argv[1]
if os.path.exists(path):
    os.unlink(path)
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(path)
srv.listen(1)
conn, _ = srv.accept()


def recv_exact(n):
    buf = b""
    while len(buf) < n:
        data, _, _, _ = conn.recvmsg(n - len(buf), socket.CMSG_SPACE(64))
        if not data:
            sys.exit(0)
        buf += data
    return buf


while True:
    req, flags, size = struct.unpack("<III", recv_exact(12))
    if size:
        recv_exact(size)
    answer = {GET_FEATURES: VIRTIO_F_VERSION_1,
              GET_PROTOCOL_FEATURES: 0,
              GET_QUEUE_NUM: 1}.get(req)
    if answer is not None:
        conn.sendall(struct.pack("<IIIQ", req, REPLY, 8, answer))
