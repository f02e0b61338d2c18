#!/usr/bin/python3
"""A real SMTP server for tests/http/test_notify.c (Debian's python3-aiosmtpd).

    notify_smtp.py PORT FOLDER

Accepts every message on 127.0.0.1:PORT and writes each one, whole, as a
new file FOLDER/<n>.eml (written to a temporary name and renamed, so the
test never reads half a message).  Prints "ready" once listening; stops on
SIGTERM.
"""
import os
import signal
import sys
import threading
import uuid

from aiosmtpd.controller import Controller


class Keep:
    def __init__(self, folder):
        self.folder = folder

    async def handle_DATA(self, server, session, envelope):
        name = os.path.join(self.folder, uuid.uuid4().hex)
        with open(name + ".tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.rename(name + ".tmp", name + ".eml")
        return "250 OK"


def main():
    port, folder = int(sys.argv[1]), sys.argv[2]
    os.makedirs(folder, exist_ok=True)
    ctl = Controller(Keep(folder), hostname="127.0.0.1", port=port)
    ctl.start()
    print("ready", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    stop.wait()
    ctl.stop()


main()
