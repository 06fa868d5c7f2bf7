#!/usr/bin/python3
"""Opens N keep-alive connections to 127.0.0.1:PORT, sends one GET /100 on each and reads the
answer, then holds them all idle until its standard input closes. Prints "holding N" when they
are all open (or fewer, with the reason, if the server or a limit stops it). For bench/proxy.sh.

usage: idle_connections.py PORT N
"""
import resource
import socket
import sys
import time


def main():
    port, n = int(sys.argv[1]), int(sys.argv[2])
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < n + 64:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, n + 64), hard))
    request = f"GET /100 HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
    held = []
    deadline = time.monotonic() + 120
    try:
        for i in range(n):
            if time.monotonic() > deadline:
                print(f"stopped after {i} connections: over 120 s", flush=True)
                break
            s = socket.create_connection(("127.0.0.1", port), timeout=10)
            s.sendall(request)
            data = b""
            while b"\r\n\r\n" not in data or len(data.split(b"\r\n\r\n", 1)[1]) < 100:
                chunk = s.recv(4096)
                if not chunk:
                    raise ConnectionError(f"connection {i} closed by the server")
                data += chunk
            if not data.startswith(b"HTTP/1.1 200"):
                raise ConnectionError(f"connection {i}: {data[:60]!r}")
            held.append(s)
    except OSError as e:
        print(f"stopped after {len(held)} connections: {e}", flush=True)
    print(f"holding {len(held)}", flush=True)
    sys.stdin.read()  # until the benchmark closes our standard input
    for s in held:
        s.close()


if __name__ == "__main__":
    main()
