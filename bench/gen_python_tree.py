#!/usr/bin/env python3
"""Writes a tree of generated Flask/Django-style Python modules for bench/code.sh.

usage: gen_python_tree.py DIR MEGABYTES

Each module mixes ordinary code (helpers, classes, loops, comprehensions) with views, some of
which carry the flaws rampart and bandit look for, so that both tools do real work. The content
is deterministic (seeded), so runs compare like with like.
"""
import os
import random
import sys

HEADER = '''"""Generated module {n} for the code audit benchmark."""
import hashlib
import json
import os
import sqlite3
import subprocess

from flask import Blueprint, jsonify, redirect, render_template, request

bp = Blueprint("m{n}", __name__)
CACHE = {{}}
'''

HELPER = '''

def helper_{n}_{i}(values, scale={scale}):
    """Scales and filters values."""
    out = []
    for v in values:
        if v % {mod} == 0:
            out.append(v * scale)
        elif v > {lim}:
            out.append(v - scale)
        else:
            out.extend([v, v + 1])
    total = sum(x for x in out if x > 0)
    return {{"total": total, "items": [str(x) for x in out[:10]]}}


class Model{n}_{i}:
    table = "items_{i}"

    def __init__(self, name, size={scale}):
        self.name = name
        self.size = size

    def describe(self):
        return "%s (%d)" % (self.name, self.size)

    def rows(self, cur):
        cur.execute("SELECT * FROM items_{i} WHERE size > ?", (self.size,))
        return cur.fetchall()
'''

VIEWS = [
    '''

@bp.route("/search{n}_{i}")
def search_{n}_{i}():
    q = request.args.get("q", "")
    cur = sqlite3.connect("db").cursor()
    cur.execute("SELECT * FROM t WHERE name = '%s'" % q)
    return jsonify(cur.fetchall())
''',
    '''

@bp.route("/ok{n}_{i}")
def ok_{n}_{i}():
    q = request.args.get("q", "")
    cur = sqlite3.connect("db").cursor()
    cur.execute("SELECT * FROM t WHERE name = ?", (q,))
    return jsonify(cur.fetchall())
''',
    '''

def build_{n}_{i}(host):
    return "ping -c 1 " + host


@bp.route("/ping{n}_{i}", methods=["POST"])
def ping_{n}_{i}():
    return subprocess.check_output(build_{n}_{i}(request.form["host"]), shell=True)
''',
    '''

@bp.route("/hash{n}_{i}")
def hash_{n}_{i}():
    password = request.args.get("password", "")
    digest = hashlib.sha256(password.encode()).hexdigest()
    return jsonify({{"d": digest}})
''',
    '''

@bp.route("/page{n}_{i}")
def page_{n}_{i}():
    items = [helper_{n}_{i}(range(j)) for j in range(3)]
    return render_template("page.html", items=items, name=request.args.get("name"))
''',
    '''

@bp.route("/go{n}_{i}")
def go_{n}_{i}():
    return redirect(request.args.get("next", "/"))
''',
]


def main():
    root, megabytes = sys.argv[1], float(sys.argv[2])
    rnd = random.Random(1)
    target = int(megabytes * 1024 * 1024)
    written = 0
    n = 0
    while written < target:
        pkg = os.path.join(root, f"pkg{n // 100:03d}")
        os.makedirs(pkg, exist_ok=True)
        parts = [HEADER.format(n=n)]
        for i in range(12):
            parts.append(HELPER.format(n=n, i=i, scale=rnd.randint(2, 9), mod=rnd.randint(2, 7),
                                       lim=rnd.randint(10, 99)))
            parts.append(rnd.choice(VIEWS).format(n=n, i=i))
        text = "".join(parts)
        with open(os.path.join(pkg, f"mod{n:05d}.py"), "w") as f:
            f.write(text)
        written += len(text)
        n += 1
    print(f"{n} files, {written / 1048576:.1f} MB in {root}")


if __name__ == "__main__":
    main()
