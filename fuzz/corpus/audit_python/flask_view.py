import subprocess

from flask import Flask, request

app = Flask(__name__)
app.config.update(SESSION_COOKIE_SECURE=True, SESSION_COOKIE_SAMESITE="Lax")


def run(cmd):
    return subprocess.check_output(cmd, shell=True)


@app.get("/ping")
def ping():
    host = request.args.get("host", "localhost")
    return run(f"ping -c 1 {host}")
