#!/usr/bin/env python3
"""open311_client.py — a GeoReport v2 client written from the spec alone
(http://wiki.open311.org/GeoReport_v2 and Service Discovery), in another
language than the server and with nothing but Python's standard library:
it knows no motcua URL but the discovery document's.

  open311_client.py file DISCOVERY_URL API_KEY
      reads the discovery document, takes the GeoReport v2 endpoint that
      offers JSON, lists the services, reads the definition of a service
      with metadata (answering every required attribute: the first value
      of a list, a number, a date-time, or words), files a request at a
      place, follows it by its id and by its token, and prints
      "filed ID TOKEN STATUS" on its last line.
  open311_client.py follow DISCOVERY_URL ID [open|closed]
      reads the request by id (GET requests/ID.json and the list filtered
      by service_request_id) and checks its status when one is given.
Exit 0 when everything went as the spec says, 1 otherwise.
"""
import json
import sys
import urllib.error
import urllib.parse
import urllib.request

SPEC = "http://wiki.open311.org/GeoReport_v2"


def die(msg):
    print("open311_client: FAIL " + msg)
    sys.exit(1)


def call(url, form=None):
    """GET url, or POST form (application/x-www-form-urlencoded, UTF-8);
    returns (status, parsed JSON)."""
    data = None
    if form is not None:
        data = urllib.parse.urlencode(form, doseq=True).encode("utf-8")
    r = urllib.request.Request(url, data=data)
    if data is not None:
        r.add_header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
    try:
        with urllib.request.urlopen(r, timeout=20) as resp:
            return resp.status, json.loads(resp.read().decode("utf-8"))
    except urllib.error.HTTPError as e:
        body = e.read().decode("utf-8", "replace")
        try:
            return e.code, json.loads(body)
        except ValueError:
            return e.code, body


def endpoint(discovery_url):
    status, d = call(discovery_url)
    if status != 200:
        die("discovery: HTTP %d" % status)
    for ep in d.get("endpoints", []):
        if ep.get("specification") == SPEC and "application/json" in ep.get("formats", []):
            return ep["url"].rstrip("/")
    die("discovery: no GeoReport v2 endpoint offering JSON")


def answer(attr):
    """A value for a required attribute, by its datatype."""
    dt = attr["datatype"]
    if dt in ("singlevaluelist", "multivaluelist"):
        return attr["values"][0]["key"]
    if dt == "number":
        return "2"
    if dt == "datetime":
        return "2026-12-01T08:00:00+07:00"
    return "Trước cổng trường tiểu học"


def follow(base, rid, expect=None):
    status, one = call("%s/requests/%s.json" % (base, urllib.parse.quote(rid)))
    if status != 200 or not isinstance(one, list) or len(one) != 1:
        die("GET requests/%s: HTTP %d %r" % (rid, status, one))
    r = one[0]
    if r.get("service_request_id") != rid or r.get("status") not in ("open", "closed"):
        die("request %s: %r" % (rid, r))
    status, listed = call("%s/requests.json?service_request_id=%s" % (base, urllib.parse.quote(rid)))
    if status != 200 or [x.get("service_request_id") for x in listed] != [rid]:
        die("GET requests?service_request_id=%s: %r" % (rid, listed))
    if listed[0].get("status") != r["status"]:
        die("request %s: %s alone, %s in the list" % (rid, r["status"], listed[0].get("status")))
    if expect and r["status"] != expect:
        die("request %s is %s, expected %s (%s)" % (rid, r["status"], expect, r.get("status_notes")))
    print("request %s: %s — %s" % (rid, r["status"], r.get("status_notes")))
    return r


def file_request(discovery_url, key):
    base = endpoint(discovery_url)
    status, services = call(base + "/services.json")
    if status != 200 or not services:
        die("services: HTTP %d %r" % (status, services))
    print("services: %d" % len(services))
    svc = next((s for s in services if s.get("metadata") is True), services[0])
    form = {"api_key": key, "service_code": svc["service_code"],
            "lat": "16.0600", "long": "108.2100",
            "address_string": "Đường liên thôn, thôn Tây",
            "description": "Đèn đường không sáng ba đêm liền.\nXin kiểm tra."}
    if svc.get("metadata"):
        status, definition = call("%s/services/%s.json" % (base, urllib.parse.quote(svc["service_code"])))
        if status != 200 or definition.get("service_code") != svc["service_code"]:
            die("service definition %s: %r" % (svc["service_code"], definition))
        for a in sorted(definition.get("attributes", []), key=lambda a: a.get("order") or 0):
            if a.get("variable") and a.get("required"):
                if a["datatype"] == "multivaluelist":
                    form["attribute[%s][]" % a["code"]] = [v["key"] for v in a["values"][:2]]
                else:
                    form["attribute[%s]" % a["code"]] = answer(a)
        print("definition %s: %d attributes" % (svc["service_code"], len(definition.get("attributes", []))))
    status, created = call(base + "/requests.json", form)
    if status not in (200, 201) or not isinstance(created, list) or not created:
        die("POST requests: HTTP %d %r" % (status, created))
    rid, token = created[0].get("service_request_id"), created[0].get("token")
    if not rid and token:
        status, t = call("%s/tokens/%s.json" % (base, urllib.parse.quote(token)))
        rid = t[0].get("service_request_id") if status == 200 and t else None
    if not rid:
        die("POST requests: no service_request_id nor token that gives one: %r" % created)
    if token:
        status, t = call("%s/tokens/%s.json" % (base, urllib.parse.quote(token)))
        if status != 200 or t[0].get("service_request_id") != rid:
            die("tokens/%s: %r" % (token, t))
        print("token %s → %s" % (token, rid))
    r = follow(base, rid, "open")
    if r.get("service_code") != svc["service_code"]:
        die("request %s: service %s" % (rid, r.get("service_code")))
    print("filed %s %s %s" % (rid, token or "-", r["status"]))


def main():
    if len(sys.argv) >= 4 and sys.argv[1] == "file":
        file_request(sys.argv[2], sys.argv[3])
    elif len(sys.argv) in (4, 5) and sys.argv[1] == "follow":
        follow(endpoint(sys.argv[2]), sys.argv[3], sys.argv[4] if len(sys.argv) == 5 else None)
    else:
        print(__doc__)
        sys.exit(2)


if __name__ == "__main__":
    main()
