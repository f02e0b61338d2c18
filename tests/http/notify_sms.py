#!/usr/bin/python3
"""A local HTTP SMS gateway for tests/http/test_notify.c.

    notify_sms.py PORT FOLDER

Answers every POST on 127.0.0.1:PORT with 200 and writes the request (its
Authorization header on the first line, then the body) as a new file
FOLDER/<n>.sms (temporary name, then renamed).  A body holding
"tu-choi-vinh-vien" gets 400 (a permanent refusal) and is not kept.
Prints "ready" once listening; stops on SIGTERM.
"""
import http.server
import os
import signal
import sys
import threading
import uuid


class Gateway(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if b"tu-choi-vinh-vien" in body:
            self.send_response(400)
            self.end_headers()
            return
        name = os.path.join(self.server.folder, uuid.uuid4().hex)
        with open(name + ".tmp", "wb") as f:
            f.write((self.headers.get("Authorization", "") + "\n").encode() + body)
        os.rename(name + ".tmp", name + ".sms")
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"ok":true}')

    def log_message(self, *args):
        pass


def main():
    port, folder = int(sys.argv[1]), sys.argv[2]
    os.makedirs(folder, exist_ok=True)
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", port), Gateway)
    srv.folder = folder
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=srv.shutdown).start())
    print("ready", flush=True)
    srv.serve_forever()


main()
