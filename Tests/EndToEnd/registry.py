#!/usr/bin/env python3
"""Sets a service's instances in a retmpl snapshot file or a (fake) Consul.

    registry.py (--snapshot FILE | --consul URL) set SERVICE [--tags T1,T2] [INSTANCE ...]
    registry.py (--snapshot FILE | --consul URL) kv KEY VALUE

INSTANCE is ID=[HOST:]PORT[/STATUS][+TAG...], for example
    web-1=18081                  passing, on 127.0.0.1
    web-2=18082/critical         failing health check
    db-1=13306+primary           an extra tag for this instance only
Every instance gets the service's --tags plus its own, and a node of its own
("node-ID"). `set` replaces the whole service: instances not listed leave.
No instance at all removes the service.

Snapshot files are replaced atomically (write a temporary file, fsync,
rename), which is how retmpl expects a registry snapshot to change.
With --consul, instances are (de)registered through /v1/catalog/register and
/v1/catalog/deregister, each with a service check in STATUS.
"""
import argparse
import json
import os
import re
import sys
import tempfile
import urllib.request

INSTANCE = re.compile(r"^(?P<id>[^=]+)=(?:(?P<host>[^:/+]+):)?(?P<port>\d+)(?:/(?P<status>passing|warning|critical|maintenance))?(?P<tags>(?:\+[^+]+)*)$")


def parse_instance(spec, service_tags):
    m = INSTANCE.match(spec)
    if not m:
        raise SystemExit(f"registry.py: bad instance {spec!r} (want ID=[HOST:]PORT[/STATUS][+TAG...])")
    tags = list(service_tags) + [t for t in m["tags"].split("+") if t]
    return {
        "Node": "node-" + m["id"],
        "NodeAddress": "127.0.0.1",
        "Address": m["host"] or "127.0.0.1",
        "ID": m["id"],
        "Tags": tags,
        "Port": int(m["port"]),
        "Status": m["status"] or "passing",
        "Weights": {"Passing": 1, "Warning": 1},
    }


def write_atomically(path, data):
    directory = os.path.dirname(os.path.abspath(path))
    fd, temp = tempfile.mkstemp(prefix=".registry-", dir=directory)
    try:
        with os.fdopen(fd, "w") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.rename(temp, path)
    except BaseException:
        os.unlink(temp)
        raise


def snapshot_update(path, change):
    try:
        with open(path) as f:
            doc = json.load(f)
    except FileNotFoundError:
        doc = {"datacenter": "dc1"}
    doc.setdefault("services", {})
    doc.setdefault("kv", {})
    change(doc)
    write_atomically(path, json.dumps(doc, indent=1, sort_keys=True) + "\n")


def consul(url, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url.rstrip("/") + path, data=data, method=method)
    with urllib.request.urlopen(req, timeout=10) as response:
        return response.read()


def consul_set(url, service, instances):
    current = json.loads(consul(url, "GET", f"/v1/catalog/service/{service}"))
    wanted = {i["ID"] for i in instances}
    for entry in current:
        if entry["ServiceID"] not in wanted:
            consul(url, "PUT", "/v1/catalog/deregister", {"Node": entry["Node"], "ServiceID": entry["ServiceID"]})
    for i in instances:
        consul(url, "PUT", "/v1/catalog/register", {
            "Node": i["Node"], "Address": i["NodeAddress"],
            "Service": {"ID": i["ID"], "Service": service, "Address": i["Address"], "Port": i["Port"],
                        "Tags": i["Tags"], "Weights": i["Weights"]},
            "Check": {"CheckID": "service:" + i["ID"], "Name": "health " + i["ID"], "Status": i["Status"],
                      "ServiceID": i["ID"]},
        })


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--snapshot", metavar="FILE")
    where.add_argument("--consul", metavar="URL")
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("set")
    s.add_argument("service")
    s.add_argument("rest", nargs=argparse.REMAINDER, metavar="[--tags T1,T2] INSTANCE")
    k = sub.add_parser("kv")
    k.add_argument("key")
    k.add_argument("value")
    args = parser.parse_args()

    if args.command == "set":
        rest, tags = list(args.rest), []
        if "--tags" in rest:
            at = rest.index("--tags")
            if at + 1 >= len(rest):
                parser.error("--tags needs a value")
            tags = [t for t in rest[at + 1].split(",") if t]
            del rest[at:at + 2]
        instances = [parse_instance(spec, tags) for spec in rest]
        if args.snapshot:
            def change(doc):
                if instances:
                    doc["services"][args.service] = instances
                else:
                    doc["services"].pop(args.service, None)
            snapshot_update(args.snapshot, change)
        else:
            consul_set(args.consul, args.service, instances)
    else:
        if args.snapshot:
            snapshot_update(args.snapshot, lambda doc: doc["kv"].__setitem__(args.key, args.value))
        else:
            req = urllib.request.Request(args.consul.rstrip("/") + "/v1/kv/" + args.key, data=args.value.encode(), method="PUT")
            urllib.request.urlopen(req, timeout=10).read()


if __name__ == "__main__":
    try:
        main()
    except OSError as e:
        sys.exit(f"registry.py: {e}")
