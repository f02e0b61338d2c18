#!/usr/bin/env python3
"""open311_validate.py — every Open311 answer of a running motcua against
the official GeoReport v2 JSON Schemas (tests/http/open311-schemas/, the
Open311 organisation's own files) and the spec text where no schema
exists (discovery, errors, tokens, the POST answer); every XML answer is
checked well-formed with xmllint and compared, field by field and value by
value, with its JSON twin.

Usage: open311_validate.py BASE_URL API_KEY
  BASE_URL  the server, e.g. http://127.0.0.1:8080 (no trailing slash)
  API_KEY   a live key issued at /quan-tri/open311
Prints one line per check, "open311_validate: ok N checks" at the end and
exits 0; on the first failure prints why and exits 1.

Debian packages: python3-jsonschema, libxml2-utils (scripts/deps.sh).
"""
import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

import jsonschema

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMAS = os.path.join(HERE, "open311-schemas")
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
CHECKS = 0
# Sender data the test posts: none of it may come back in any answer.
SECRET_NAME, SECRET_PHONE, SECRET_MAIL = "Nguyễn Văn Bímật", "0912345678", "bimat@example.vn"

# Spark convention: an array's name and its items' element name.
ITEMS = {"endpoints": "endpoint", "formats": "format", "services": "service",
         "attributes": "attribute", "values": "value", "service_requests": "request",
         "errors": "error"}


def fail(msg):
    print("open311_validate: FAIL " + msg)
    sys.exit(1)


def ok(what):
    global CHECKS
    CHECKS += 1
    print("ok " + what)


def schema(name):
    """A schema with its $ref to a sibling file inlined (no resolver:
    the same code on Debian's jsonschema 4.10 and newer ones)."""
    with open(os.path.join(SCHEMAS, name), encoding="utf-8") as f:
        s = json.load(f)
    items = s.get("items")
    if isinstance(items, dict) and "$ref" in items:
        ref = schema(items["$ref"])
        rest = {k: v for k, v in items.items() if k != "$ref"}
        s["items"] = dict(ref, **rest)
    return s


def fetch(base, path, data=None):
    """(status, content-type, body bytes) of GET or POST (form) path."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    req = urllib.request.Request(base + path, data=body)
    if body is not None:
        req.add_header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
    try:
        with urllib.request.urlopen(req, timeout=20) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read()


def well_formed(xml_bytes, what):
    p = subprocess.run(["xmllint", "--noout", "-"], input=xml_bytes, capture_output=True)
    if p.returncode != 0:
        fail("%s: XML not well-formed: %s" % (what, p.stderr.decode(errors="replace")))
    if not xml_bytes.startswith(b'<?xml version="1.0" encoding="UTF-8"?>'):
        fail("%s: XML must start with the declaration naming UTF-8" % what)


def from_xml(el, name):
    """The JSON value the Spark convention maps element el to."""
    kids = list(el)
    if name in ITEMS:
        return [from_xml(k, k.tag) for k in kids]
    if kids:
        return {k.tag: from_xml(k, k.tag) for k in kids}
    return el.text or ""


def same(j, x, where):
    """JSON value j carries what XML value x does (null and "" are an empty
    element, booleans and numbers their text)."""
    if isinstance(j, list):
        if not isinstance(x, list) or len(j) != len(x):
            fail("%s: JSON has %d items, XML %s" % (where, len(j), len(x) if isinstance(x, list) else x))
        for i, (a, b) in enumerate(zip(j, x)):
            same(a, b, "%s[%d]" % (where, i))
    elif isinstance(j, dict):
        if not isinstance(x, dict) or list(j.keys()) != list(x.keys()):
            fail("%s: fields differ: JSON %s, XML %s" % (where, list(j.keys()), x))
        for k in j:
            same(j[k], x[k], where + "." + k)
    elif j is None:
        if x not in ("", []):
            fail("%s: JSON null, XML %r" % (where, x))
    elif isinstance(j, bool):
        if x != ("true" if j else "false"):
            fail("%s: JSON %r, XML %r" % (where, j, x))
    elif isinstance(j, (int, float)):
        if float(x) != float(j):
            fail("%s: JSON %r, XML %r" % (where, j, x))
    elif j != x and not (j == "" and x == ""):
        fail("%s: JSON %r, XML %r" % (where, j, x))


def pair(base, path, root, status=200, data=None):
    """GETs (or POSTs) path in both formats; checks statuses, content
    types, well-formedness, the root element and that both carry the same.
    Returns the JSON value."""
    res, _, query = path.partition("?")
    query = "?" + query if query else ""
    sj, cj, bj = fetch(base, res + ".json" + query, data)
    sx, cx, bx = fetch(base, res + ".xml" + query, data)
    what = path + (" (POST)" if data is not None else "")
    if sj != status or sx != status:
        fail("%s: status JSON %d XML %d, expected %d: %s" % (what, sj, sx, status, bj[:300]))
    if not cj.startswith("application/json") or "utf-8" not in cj.lower():
        fail("%s: JSON content type %r" % (what, cj))
    if not cx.startswith("text/xml") or "utf-8" not in cx.lower():
        fail("%s: XML content type %r" % (what, cx))
    try:
        j = json.loads(bj.decode("utf-8"))
    except ValueError as e:
        fail("%s: not JSON: %s" % (what, e))
    well_formed(bx, what)
    el = ET.fromstring(bx)
    if el.tag != root:
        fail("%s: XML root <%s>, expected <%s>" % (what, el.tag, root))
    if data is None or status != 200:
        same(j, from_xml(el, root), what)
    else:
        # two accepted POSTs are two requests: the same fields, other values
        xj = from_xml(el, root)
        if not isinstance(xj, list) or [list(r.keys()) for r in xj] != [list(r.keys()) for r in j]:
            fail("%s: XML fields differ from JSON" % what)
    for text in (bj.decode("utf-8"), bx.decode("utf-8")):
        for secret in (SECRET_NAME, SECRET_PHONE, SECRET_MAIL):
            if secret in text:
                fail("%s: sender data %r in an answer" % (what, secret))
    ok("%s: %d in JSON and XML, same fields and values" % (what, status))
    return j


def valid(value, name, what):
    try:
        jsonschema.validate(value, schema(name))
    except jsonschema.ValidationError as e:
        fail("%s: not valid against %s: %s" % (what, name, e.message))
    ok("%s: valid against the official %s" % (what, name))


def times(req, what):
    for k in ("requested_datetime", "updated_datetime", "expected_datetime"):
        v = req.get(k)
        if v is not None and not RFC3339.match(v):
            fail("%s: %s %r is not a w3 date-time with its offset" % (what, k, v))
        if v is not None and not v.endswith("+07:00"):
            fail("%s: %s %r: times carry +07:00" % (what, k, v))


def errors(j, code_status, what):
    """The spec's error answer: an array of {code, description}."""
    if not isinstance(j, list) or not j:
        fail("%s: errors must be a non-empty array" % what)
    for e in j:
        if set(e.keys()) != {"code", "description"} or not isinstance(e["code"], str) or not e["description"]:
            fail("%s: an error is {code, description} with a string code: %r" % (what, e))
        if e["code"] != str(code_status):
            fail("%s: the error code matches the HTTP status (%d): %r" % (what, code_status, e))
    ok("%s: the spec's errors array (HTTP %d)" % (what, code_status))


def post_fields(key, svc, definition, lat=True):
    """A valid POST for service svc: its required attributes answered."""
    f = {"api_key": key, "service_code": svc["service_code"],
         "description": "Ổ gà lớn giữa đường <b>&</b> nguy hiểm",
         "address_string": "Thôn Đông, gần nhà văn hóa",
         "first_name": "Bímật", "last_name": "Nguyễn Văn", "email": SECRET_MAIL, "phone": SECRET_PHONE,
         "device_id": "dev-1", "account_id": "acc-1",
         "media_url": "https://example.vn/anh/o-ga.jpg"}
    if lat:
        f["lat"], f["long"] = "16.0544", "108.2022"
    for a in definition["attributes"]:
        if not a["required"]:
            continue
        if a["datatype"] in ("singlevaluelist", "multivaluelist"):
            f["attribute[%s]" % a["code"]] = a["values"][0]["key"]
        elif a["datatype"] == "number":
            f["attribute[%s]" % a["code"]] = "1"
        elif a["datatype"] == "datetime":
            f["attribute[%s]" % a["code"]] = "2026-12-01T08:00:00+07:00"
        else:
            f["attribute[%s]" % a["code"]] = "Gần cột điện số 12"
    return f


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        sys.exit(2)
    base, key = sys.argv[1].rstrip("/"), sys.argv[2]
    v2 = "/open311/v2"

    # discovery (Service Discovery spec: every field required)
    d = pair(base, v2 + "/discovery", "discovery")
    for k in ("changeset", "contact", "key_service", "endpoints"):
        if k not in d or not d[k]:
            fail("discovery: %s missing" % k)
    ep = d["endpoints"][0]
    for k in ("specification", "url", "changeset", "type", "formats"):
        if k not in ep:
            fail("discovery endpoint: %s missing" % k)
    if ep["specification"] != "http://wiki.open311.org/GeoReport_v2" or ep["type"] not in ("production", "test"):
        fail("discovery endpoint: %r" % ep)
    if set(ep["formats"]) != {"text/xml", "application/json"} or not ep["url"].endswith(v2):
        fail("discovery endpoint formats/url: %r" % ep)
    ok("discovery: every field of the Service Discovery spec")

    # services: schema, non-empty (the schema's misplaced minItems)
    services = pair(base, v2 + "/services", "services")
    valid(services, "services.json", "services")
    if not services:
        fail("services: the list is empty")
    for s in services:
        valid(s, "service.json", "service " + s["service_code"])
    defs = {}
    for s in services:
        defn = pair(base, v2 + "/services/" + urllib.parse.quote(s["service_code"]), "service_definition")
        valid(defn, "service-definition.json", "definition " + s["service_code"])
        if defn["service_code"] != s["service_code"]:
            fail("definition %s names %s" % (s["service_code"], defn["service_code"]))
        if s["metadata"] != bool(defn["attributes"]):
            fail("service %s: metadata %r but %d attributes" % (s["service_code"], s["metadata"], len(defn["attributes"])))
        defs[s["service_code"]] = defn
    with_required = [s for s in services if any(a["required"] for a in defs[s["service_code"]]["attributes"])]
    svc = with_required[0] if with_required else services[0]

    # errors: unknown service 404, unknown request 404, unknown token 404,
    # bad key 403, missing required attribute 400, bad filter 400
    for path in ("/services/khong-co-dich-vu", "/requests/XX-000000-0000", "/tokens/khong-co-token"):
        errors(pair(base, v2 + path, "errors", 404), 404, path)
    bad = post_fields("o311_sai-khoa", svc, defs[svc["service_code"]])
    errors(pair(base, v2 + "/requests", "errors", 403, bad), 403, "POST with a wrong api_key")
    unknown = post_fields(key, svc, defs[svc["service_code"]])
    unknown["service_code"] = "khong-co-dich-vu"
    errors(pair(base, v2 + "/requests", "errors", 404, unknown), 404, "POST an unknown service")
    if with_required:
        missing = post_fields(key, svc, defs[svc["service_code"]])
        for k in [k for k in missing if k.startswith("attribute[")]:
            del missing[k]
        errors(pair(base, v2 + "/requests", "errors", 400, missing), 400, "POST without a required attribute")
    noplace = post_fields(key, svc, defs[svc["service_code"]], lat=False)
    del noplace["address_string"]
    errors(pair(base, v2 + "/requests", "errors", 400, noplace), 400, "POST without a location")
    errors(pair(base, v2 + "/requests?status=pending", "errors", 400), 400, "GET requests?status=pending")
    errors(pair(base, v2 + "/requests?start_date=2026-01-01T00:00:00%2B07:00&end_date=2026-06-01T00:00:00%2B07:00",
                "errors", 400), 400, "GET requests over more than 90 days")

    # POST: one request per format; the answer's shape (spec text)
    posted = pair(base, v2 + "/requests", "service_requests", 200, post_fields(key, svc, defs[svc["service_code"]]))
    if len(posted) != 1 or not isinstance(posted[0].get("service_request_id"), str) or "service_notice" not in posted[0]:
        fail("POST answer: %r" % posted)
    rid, token = posted[0]["service_request_id"], posted[0].get("token")
    ok("POST: service_request_id %s as a string" % rid)

    if token:
        t = pair(base, v2 + "/tokens/" + urllib.parse.quote(token), "service_requests")
        if t != [{"service_request_id": rid, "token": token}]:
            fail("token %s: %r" % (token, t))
        ok("token: gives the request's id")

    one = pair(base, v2 + "/requests/" + urllib.parse.quote(rid), "service_requests")
    valid(one, "requests.json", "request " + rid)
    if len(one) != 1:
        fail("request %s: %d items" % (rid, len(one)))
    valid(one[0], "request.json", "request " + rid)
    times(one[0], "request " + rid)
    r = one[0]
    if r["service_request_id"] != rid or r["service_code"] != svc["service_code"] or r["status"] != "open":
        fail("request %s: %r" % (rid, r))
    if abs(r["lat"] - 16.0544) > 1e-9 or abs(r["long"] - 108.2022) > 1e-9:
        fail("request %s: lat/long %r %r" % (rid, r["lat"], r["long"]))
    ok("request %s: open, its service, its place" % rid)

    # GET requests and every filter
    every = pair(base, v2 + "/requests", "service_requests")
    valid(every, "requests.json", "requests")
    if rid not in [x["service_request_id"] for x in every]:
        fail("requests: %s not listed" % rid)
    for x in every:
        valid(x, "request.json", "requests item " + x["service_request_id"])
        times(x, "requests item")
    stamps = [x["requested_datetime"] for x in every]
    ok("requests: %d listed, %s among them" % (len(every), rid))
    filters = {
        "service_request_id=" + urllib.parse.quote(rid): lambda l: [x["service_request_id"] for x in l] == [rid],
        "service_code=" + urllib.parse.quote(svc["service_code"]): lambda l: l and all(x["service_code"] == svc["service_code"] for x in l),
        "status=open": lambda l: l and all(x["status"] == "open" for x in l),
        "status=closed": lambda l: all(x["status"] == "closed" for x in l) and rid not in [x["service_request_id"] for x in l],
        "status=open,closed": lambda l: len(l) == len(every),
        "start_date=2000-01-01T00:00:00Z&end_date=2000-02-01T00:00:00Z": lambda l: l == [],
        "start_date=" + urllib.parse.quote(min(stamps)): lambda l: rid in [x["service_request_id"] for x in l],
        "end_date=2000-02-01T00:00:00%2B07:00": lambda l: l == [],
        "jurisdiction_id=&status=": lambda l: len(l) == len(every),
    }
    for q, check in filters.items():
        sj, _, bj = fetch(base, v2 + "/requests.json?" + q)
        sx, _, bx = fetch(base, v2 + "/requests.xml?" + q)
        if sj != 200 or sx != 200:
            fail("requests?%s: status %d/%d %s" % (q, sj, sx, bj[:200]))
        got = json.loads(bj.decode("utf-8"))
        well_formed(bx, "requests?" + q)
        same(got, from_xml(ET.fromstring(bx), "service_requests"), "requests?" + q)
        valid(got, "requests.json", "requests?" + q)
        if not check(got):
            fail("requests?%s: %r" % (q, [(x["service_request_id"], x["status"]) for x in got]))
        ok("requests?%s: %d as the filter says" % (q, len(got)))

    print("open311_validate: ok %d checks" % CHECKS)


if __name__ == "__main__":
    main()
