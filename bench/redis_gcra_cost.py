#!/usr/bin/python3
"""Drives redis-server with rate-limit decisions for bench/redis_gcra_cost.sh.

usage: redis_gcra_cost.py PORT SCRIPT BATCH DECISIONS
  SCRIPT: "batched": the GCRA script of src/state/redis_scripts.cpp (read from the source), one
          EVALSHA for BATCH decisions, as the Redis store sends them;
          "single": the script of one decision per call that the store used before, BATCH calls
          pipelined in one write.
Decisions go to 10,000 keys in turn, under one limit (1000000/second); each batch waits for its
replies before the next is sent, as one worker's connection does.
"""
import re
import socket
import sys

# The one-decision script the store ran before batching (for comparison only).
SINGLE = r"""local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local tolerance = interval * burst
local tat = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
if tat < now then tat = now end
local new_tat = tat + interval * cost
local allow_at = new_tat - tolerance
if cost > burst or allow_at > now then
  local retry = allow_at - now
  if cost > burst then retry = tolerance end
  local left = now + tolerance - tat
  local remaining = 0
  if left > 0 then remaining = math.floor(left / interval) end
  return {0, remaining, retry, tat - now}
end
if new_tat > now then
  redis.call('SET', KEYS[1], string.format('%.0f', new_tat), 'PX',
             math.max(1, math.ceil((new_tat - now) / 1000)))
end
return {1, math.floor((now + tolerance - new_tat) / interval), 0, new_tat - now}
"""


def batched_source(root):
    text = open(f"{root}/src/state/redis_scripts.cpp").read()
    raw = re.findall(r'R"\((.*?)\)"', text, re.S)  # kNow, then kGcra's body
    return raw[0] + raw[1]


def enc(args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)


class Conn:
    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port))
        self.buf, self.pos = b"", 0

    def _fill(self):
        more = self.s.recv(1 << 20)
        if not more:
            raise RuntimeError("redis-server closed the connection")
        self.buf, self.pos = self.buf[self.pos:] + more, 0

    def _line(self):
        while (i := self.buf.find(b"\r\n", self.pos)) < 0:
            self._fill()
        line, self.pos = self.buf[self.pos:i], i + 2
        return line

    def reply(self):
        line = self._line()
        kind, rest = line[:1], line[1:]
        if kind == b"*":
            return [self.reply() for _ in range(int(rest))]
        if kind == b"$":
            n = int(rest)
            if n < 0:
                return None
            while len(self.buf) - self.pos < n + 2:
                self._fill()
            v, self.pos = self.buf[self.pos:self.pos + n], self.pos + n + 2
            return v
        if kind == b":":
            return int(rest)
        if kind == b"-":
            raise RuntimeError(line.decode())
        return rest


def main():
    port, script = int(sys.argv[1]), sys.argv[2]
    batch, decisions = int(sys.argv[3]), int(sys.argv[4])
    root = __file__.rsplit("/bench/", 1)[0]
    source = SINGLE if script == "single" else batched_source(root)
    c = Conn(port)
    c.s.sendall(enc(["SCRIPT", "LOAD", source]))
    sha = c.reply().decode()
    interval, burst = 1, 1000000
    n = 0
    while n < decisions:
        clients = [(n + i) % 10000 for i in range(batch)]
        keys = [f"rampart:rl:ip:10.0.{c // 256}.{c % 256}" for c in clients]
        if script == "single":
            cmds = [enc(["EVALSHA", sha, 1, k, interval, burst, 1]) for k in keys]
        else:
            limits = [bytes([1]) * len(keys), interval, burst, 1]
            cmds = [enc(["EVALSHA", sha, len(keys)] + keys + limits)]
        c.s.sendall(b"".join(cmds))
        for _ in cmds:
            r = c.reply()
            if not isinstance(r, list) or r[0] != 1:
                raise RuntimeError(f"unexpected reply {r!r:.200}")
        n += batch


if __name__ == "__main__":
    main()
