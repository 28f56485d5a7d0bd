#!/usr/bin/env python3
"""fake-consul: a Consul HTTP API test double (Python 3 standard library only).

It reproduces the parts of Consul's HTTP API that consul-template reads
(catalog, health, KV, agent, status) with Consul's JSON shapes, Raft-like
indexes per endpoint, blocking queries, ACL errors, and a `/_fake/` control API
for fault injection and statistics. See README.md next to this file.

Usage:
    python3 fake_consul.py --port 0 [--port-file PATH] [--datacenter dc1]
                           [--node-name agent-1] [--token SECRET]
                           [--extra-datacenters dc2,dc3] [--bare]
                           [--no-jitter] [--exit-on-stdin-eof] [--verbose]
"""

from __future__ import annotations

import argparse
import base64
import email.utils
import hashlib
import ipaddress
import json
import os
import random
import re
import select
import signal
import socket
import struct
import sys
import threading
import time
import uuid
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

CONSUL_VERSION = "1.17.0"
SECOND = 10**9
DEFAULT_QUERY_TIME_NS = 300 * SECOND   # Consul's default blocking wait (5m)
MAX_QUERY_TIME_NS = 600 * SECOND       # Consul's max blocking wait (10m)
JITTER_FRACTION = 16                   # Consul adds up to wait/16 random jitter
CHECK_OUTPUT_MAX = 4096                # agent's default check output limit
SERVICE_MAINT_PREFIX = "_service_maintenance:"
NODE_MAINT_CHECK_ID = "_node_maintenance"
DEFAULT_SERVICE_MAINT_REASON = ("Maintenance mode is enabled for this service, "
                                "but no reason was provided. This is a default message.")
DEFAULT_NODE_MAINT_REASON = ("Maintenance mode is enabled for this node, "
                             "but no reason was provided. This is a default message.")
HEALTH_STATUSES = ("passing", "warning", "critical")
BOOT_INDEX = 10          # raft entries a fresh server applies before any registration
REQUEST_LOG_LIMIT = 2000


# ---------------------------------------------------------------------------
# Go compatibility helpers: durations, bools, JSON encoding
# ---------------------------------------------------------------------------

_DUR_UNITS = {"ns": 1, "us": 10**3, "\u00b5s": 10**3, "\u03bcs": 10**3, "ms": 10**6,
              "s": SECOND, "m": 60 * SECOND, "h": 3600 * SECOND}
_DUR_TOKEN = re.compile(r"(\d*)(?:\.(\d*))?(ns|us|\u00b5s|\u03bcs|ms|s|m|h)")


def parse_go_duration(text: str) -> int:
    """Parse a Go time.ParseDuration string ("10s", "1m30s", "250ms") into nanoseconds."""
    s = text
    negative = False
    if s[:1] in ("+", "-"):
        negative = s[0] == "-"
        s = s[1:]
    if s == "0":
        return 0
    if not s:
        raise ValueError(f'time: invalid duration "{text}"')
    total = 0
    pos = 0
    while pos < len(s):
        m = _DUR_TOKEN.match(s, pos)
        if m is None or (m.group(1) == "" and not m.group(2)):
            raise ValueError(f'time: invalid duration "{text}"')
        unit = _DUR_UNITS[m.group(3)]
        total += int(m.group(1) or "0") * unit
        frac = m.group(2) or ""
        if frac:
            total += int(frac) * unit // (10 ** len(frac))
        pos = m.end()
    return -total if negative else total


def _frac_str(value: int, unit: int) -> str:
    whole, frac = divmod(value, unit)
    if frac == 0:
        return str(whole)
    digits = len(str(unit)) - 1
    return f"{whole}." + str(frac).rjust(digits, "0").rstrip("0")


def go_duration_string(ns: int) -> str:
    """Format nanoseconds like Go's time.Duration.String() ("1m0s", "1.5s", "250ms")."""
    if ns == 0:
        return "0s"
    negative = ns < 0
    u = -ns if negative else ns
    if u < SECOND:
        if u < 10**3:
            out = f"{u}ns"
        elif u < 10**6:
            out = _frac_str(u, 10**3) + "\u00b5s"
        else:
            out = _frac_str(u, 10**6) + "ms"
    else:
        hours, rem = divmod(u, 3600 * SECOND)
        minutes, rem = divmod(rem, 60 * SECOND)
        out = _frac_str(rem, SECOND) + "s"
        if hours:
            out = f"{hours}h{minutes}m" + out
        elif minutes:
            out = f"{minutes}m" + out
    return "-" + out if negative else out


def parse_go_bool(text: str) -> bool:
    """Go's strconv.ParseBool."""
    if text in ("1", "t", "T", "TRUE", "true", "True"):
        return True
    if text in ("0", "f", "F", "FALSE", "false", "False"):
        return False
    raise ValueError(text)


_json_string = json.encoder.encode_basestring  # what json.dumps(s, ensure_ascii=False) does, without its set-up
_GO_ESCAPES = re.compile("[<>&\u2028\u2029]")


def _go_escape(m) -> str:
    return "\\u%04x" % ord(m.group())


def _go_string(s: str) -> str:
    out = _json_string(s)
    # Go's encoding/json escapes HTML-sensitive characters and line separators.
    return _GO_ESCAPES.sub(_go_escape, out) if _GO_ESCAPES.search(out) else out


def _go_float(f: float) -> str:
    if f != f or f in (float("inf"), float("-inf")):
        raise ValueError("unsupported float")
    if f == int(f) and abs(f) < 1e21:
        return str(int(f))
    a = abs(f)
    if a < 1e-6 or a >= 1e21:
        mantissa, exp = repr(f).split("e")
        return f"{mantissa}e{'-' if exp.startswith('-') else '+'}{int(exp.lstrip('+-'))}"
    return format(Decimal(repr(f)), "f")


def _encode(value, out: list, indent, level: int) -> None:
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(str(value))
    elif isinstance(value, float):
        out.append(_go_float(value))
    elif isinstance(value, str):
        out.append(_go_string(value))
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        out.append("{")
        for i, (k, v) in enumerate(value.items()):
            if i:
                out.append(",")
            if indent is not None:
                out.append("\n" + indent * (level + 1))
            out.append(_go_string(str(k)))
            out.append(": " if indent is not None else ":")
            _encode(v, out, indent, level + 1)
        if indent is not None:
            out.append("\n" + indent * level)
        out.append("}")
    elif isinstance(value, (list, tuple)):
        if not value:
            out.append("[]")
            return
        out.append("[")
        for i, v in enumerate(value):
            if i:
                out.append(",")
            if indent is not None:
                out.append("\n" + indent * (level + 1))
            _encode(v, out, indent, level + 1)
        if indent is not None:
            out.append("\n" + indent * level)
        out.append("]")
    else:
        raise TypeError(f"cannot encode {type(value)!r}")


def _encode_compact(value, out: list) -> None:
    """_encode without indentation, dispatching on exact types (the common
    case of every answer); anything else goes through _encode."""
    t = type(value)
    if t is str:
        out.append(_go_string(value))
    elif t is dict:
        if not value:
            out.append("{}")
            return
        sep = "{"
        for k, v in value.items():
            out.append(sep)
            out.append(_go_string(k if type(k) is str else str(k)))
            out.append(":")
            _encode_compact(v, out)
            sep = ","
        out.append("}")
    elif t is list:
        if not value:
            out.append("[]")
            return
        sep = "["
        for v in value:
            out.append(sep)
            _encode_compact(v, out)
            sep = ","
        out.append("]")
    elif t is int:
        out.append(str(value))
    else:
        _encode(value, out, None, 0)


def go_json(value, pretty: bool = False) -> bytes:
    """Encode like Go's json.Marshal (or MarshalIndent(v, "", "    ") + "\\n" when pretty).

    Dicts are emitted in insertion order: struct-shaped dicts are built in Go field
    order and Go maps must be passed through gomap() (sorted keys).
    """
    out: list = []
    if pretty:
        _encode(value, out, "    ", 0)
    else:
        _encode_compact(value, out)
    if pretty:
        out.append("\n")
    return "".join(out).encode("utf-8", "replace")


def gomap(d):
    """A Go map[string]X renders with sorted keys; nil stays null."""
    if d is None:
        return None
    return {k: d[k] for k in sorted(d)}


# ---------------------------------------------------------------------------
# Errors and small request helpers
# ---------------------------------------------------------------------------

class ConsulError(Exception):
    """An error Consul would report as an HTTP status with a plain-text body."""

    def __init__(self, status: int, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def _norm_key(k: str) -> str:
    return k.replace("_", "").replace("-", "").lower()


class Fields:
    """Case-insensitive JSON object access, accepting CamelCase and snake_case like Consul."""

    def __init__(self, obj):
        if obj is None:
            obj = {}
        if not isinstance(obj, dict):
            raise ConsulError(400, "Request decode failed: expected a JSON object")
        self.raw = obj
        self.map = {}
        for k, v in obj.items():
            self.map.setdefault(_norm_key(k), v)

    def has(self, name: str) -> bool:
        return _norm_key(name) in self.map

    def get(self, name: str, default=None):
        v = self.map.get(_norm_key(name), default)
        return default if v is None else v

    def str(self, name: str, default: str = "") -> str:
        v = self.get(name, default)
        if not isinstance(v, str):
            raise ConsulError(400, f"Request decode failed: {name} must be a string")
        return v

    def int(self, name: str, default: int = 0) -> int:
        v = self.get(name, default)
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise ConsulError(400, f"Request decode failed: {name} must be a number")
        return int(v)

    def bool(self, name: str, default: bool = False) -> bool:
        v = self.get(name, default)
        if not isinstance(v, bool):
            raise ConsulError(400, f"Request decode failed: {name} must be a bool")
        return v

    def strlist(self, name: str):
        v = self.map.get(_norm_key(name))
        if v is None:
            return None
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            raise ConsulError(400, f"Request decode failed: {name} must be a list of strings")
        return list(v)

    def strmap(self, name: str):
        v = self.map.get(_norm_key(name))
        if v is None:
            return None
        if not isinstance(v, dict) or not all(isinstance(x, str) for x in v.values()):
            raise ConsulError(400, f"Request decode failed: {name} must be a map of strings")
        return dict(v)

    def duration(self, name: str) -> int:
        v = self.map.get(_norm_key(name))
        if v is None or v == "":
            return 0
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return int(v)
        if isinstance(v, str):
            try:
                return parse_go_duration(v)
            except ValueError as e:
                raise ConsulError(400, f"Request decode failed: {e}")
        raise ConsulError(400, f"Request decode failed: {name} must be a duration")


def decode_json_body(body: bytes):
    if not body.strip():
        raise ConsulError(400, "Request decode failed: EOF")
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise ConsulError(400, f"Request decode failed: {e}")


# ---------------------------------------------------------------------------
# Record normalization and rendering (Consul's JSON field order)
# ---------------------------------------------------------------------------

def _service_address_map(raw):
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise ConsulError(400, "Request decode failed: TaggedAddresses must be an object")
    out = {}
    for k, v in raw.items():
        f = Fields(v)
        out[k] = {"Address": f.str("Address"), "Port": f.int("Port")}
    return out


def normalize_weights(raw):
    """Catalog rule: invalid or missing weights become {Passing: 1, Warning: 1}."""
    if raw is None:
        return {"Passing": 1, "Warning": 1}
    f = Fields(raw)
    w = {"Passing": f.int("Passing"), "Warning": f.int("Warning")}
    if w["Passing"] < 1 or w["Warning"] < 0 or w["Passing"] > 65535 or w["Warning"] > 65535:
        return {"Passing": 1, "Warning": 1}
    return w


_DEF_ORDER = ("HTTP", "TLSServerName", "TLSSkipVerify", "Header", "Method", "Body",
              "DisableRedirects", "TCP", "UDP", "H2PING", "OSService", "H2PingUseTLS",
              "ScriptArgs", "DockerContainerID", "Shell", "GRPC", "GRPCUseTLS",
              "AliasNode", "AliasService")
_DEF_BOOLS = {"TLSSkipVerify", "DisableRedirects", "H2PingUseTLS", "GRPCUseTLS"}


def normalize_definition(raw) -> dict:
    """Keep the HealthCheckDefinition fields Consul stores (durations in ns)."""
    f = Fields(raw)
    d = {}
    for name in ("Interval", "Timeout", "DeregisterCriticalServiceAfter", "TTL"):
        d[name] = f.duration(name)
    d["OutputMaxSize"] = f.int("OutputMaxSize")
    for name in _DEF_ORDER:
        v = f.get(name)
        if v is not None:
            d[name] = v
    return d


def render_definition(d: dict) -> dict:
    out = {}
    if d.get("Interval"):
        out["Interval"] = go_duration_string(d["Interval"])
    if d.get("OutputMaxSize"):
        out["OutputMaxSize"] = d["OutputMaxSize"]
    if d.get("Timeout"):
        out["Timeout"] = go_duration_string(d["Timeout"])
    if d.get("DeregisterCriticalServiceAfter"):
        out["DeregisterCriticalServiceAfter"] = go_duration_string(d["DeregisterCriticalServiceAfter"])
    for name in _DEF_ORDER:
        v = d.get(name)
        if v in (None, "", False, [], {}):
            continue
        out[name] = gomap(v) if isinstance(v, dict) else v
    if d.get("TTL"):
        out["TTL"] = d["TTL"]
    return out


def render_proxy(p) -> dict:
    """ConnectProxyConfig as Consul marshals it (Mode, MeshGateway, Expose always present)."""
    p = p or {}
    out = {}
    for name in ("TransparentProxy", "AccessLogs"):
        if p.get(name):
            out[name] = p[name]
    for name in ("EnvoyExtensions", "DestinationServiceName", "DestinationServiceID",
                 "LocalServiceAddress", "LocalServicePort", "LocalServiceSocketPath"):
        if p.get(name):
            out[name] = p[name]
    out["Mode"] = p.get("Mode", "")
    for name in ("Config", "Upstreams"):
        if p.get(name):
            out[name] = p[name]
    out["MeshGateway"] = {"Mode": p["MeshGateway"]["Mode"]} if (p.get("MeshGateway") or {}).get("Mode") else {}
    expose = p.get("Expose") or {}
    out["Expose"] = {k: expose[k] for k in ("Checks", "Paths") if expose.get(k)}
    return out


def normalize_proxy(raw) -> dict:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ConsulError(400, "Request decode failed: Proxy must be an object")
    f = Fields(raw)
    out = {}
    for name in ("DestinationServiceName", "DestinationServiceID", "LocalServiceAddress",
                 "LocalServiceSocketPath", "Mode"):
        if f.get(name):
            out[name] = f.str(name)
    if f.get("LocalServicePort"):
        out["LocalServicePort"] = f.int("LocalServicePort")
    for name in ("Config", "Upstreams", "EnvoyExtensions", "TransparentProxy", "AccessLogs"):
        if f.get(name):
            out[name] = f.get(name)
    mg = Fields(f.get("MeshGateway", {}))
    if mg.get("Mode"):
        out["MeshGateway"] = {"Mode": mg.str("Mode")}
    ex = Fields(f.get("Expose", {}))
    if ex.get("Checks") or ex.get("Paths"):
        out["Expose"] = {"Checks": bool(ex.get("Checks")), "Paths": ex.get("Paths") or []}
    return out


def normalize_connect(raw) -> dict:
    if raw is None:
        return {}
    f = Fields(raw)
    out = {}
    if f.get("Native"):
        out["Native"] = True
    if f.get("SidecarService"):
        out["SidecarService"] = f.get("SidecarService")
    return out


def render_node(n: dict) -> dict:
    return {
        "ID": n["ID"],
        "Node": n["Node"],
        "Address": n["Address"],
        "Datacenter": n["Datacenter"],
        "TaggedAddresses": gomap(n["TaggedAddresses"]),
        "Meta": gomap(n["Meta"]),
        "CreateIndex": n["CreateIndex"],
        "ModifyIndex": n["ModifyIndex"],
    }


def render_node_service(s: dict) -> dict:
    """structs.NodeService (used by health/service and catalog/node)."""
    out = {}
    if s["Kind"]:
        out["Kind"] = s["Kind"]
    out["ID"] = s["ID"]
    out["Service"] = s["Service"]
    out["Tags"] = list(s["Tags"]) if s["Tags"] is not None else []
    out["Address"] = s["Address"]
    if s["TaggedAddresses"]:
        out["TaggedAddresses"] = gomap(s["TaggedAddresses"])
    out["Meta"] = gomap(s["Meta"])
    if s["Port"]:
        out["Port"] = s["Port"]
    if s["SocketPath"]:
        out["SocketPath"] = s["SocketPath"]
    out["Weights"] = dict(s["Weights"])
    out["EnableTagOverride"] = s["EnableTagOverride"]
    if s["Locality"]:
        out["Locality"] = s["Locality"]
    out["Proxy"] = render_proxy(s["Proxy"])
    out["Connect"] = dict(s["Connect"])
    out["PeerName"] = ""
    out["CreateIndex"] = s["CreateIndex"]
    out["ModifyIndex"] = s["ModifyIndex"]
    return out


def render_service_node(s: dict, n: dict) -> dict:
    """structs.ServiceNode (catalog/service): node fields flattened in."""
    out = {
        "ID": n["ID"],
        "Node": s["Node"],
        "Address": n["Address"],
        "Datacenter": n["Datacenter"],
        "TaggedAddresses": gomap(n["TaggedAddresses"]),
        "NodeMeta": gomap(n["Meta"]),
        "ServiceKind": s["Kind"],
        "ServiceID": s["ID"],
        "ServiceName": s["Service"],
        "ServiceTags": list(s["Tags"]) if s["Tags"] is not None else [],
        "ServiceAddress": s["Address"],
    }
    if s["TaggedAddresses"]:
        out["ServiceTaggedAddresses"] = gomap(s["TaggedAddresses"])
    out.update({
        "ServiceWeights": dict(s["Weights"]),
        "ServiceMeta": gomap(s["Meta"]),
        "ServicePort": s["Port"],
        "ServiceSocketPath": s["SocketPath"],
        "ServiceEnableTagOverride": s["EnableTagOverride"],
        "ServiceProxy": render_proxy(s["Proxy"]),
        "ServiceConnect": dict(s["Connect"]),
        "ServiceLocality": s["Locality"],
        "CreateIndex": s["CreateIndex"],
        "ModifyIndex": s["ModifyIndex"],
    })
    return out


def render_check(c: dict) -> dict:
    """structs.HealthCheck as the health endpoints return it (nil tags become [])."""
    return {
        "Node": c["Node"],
        "CheckID": c["CheckID"],
        "Name": c["Name"],
        "Status": c["Status"],
        "Notes": c["Notes"],
        "Output": c["Output"],
        "ServiceID": c["ServiceID"],
        "ServiceName": c["ServiceName"],
        "ServiceTags": list(c["ServiceTags"]) if c["ServiceTags"] is not None else [],
        "Type": c["Type"],
        "Interval": c["Interval"],
        "Timeout": c["Timeout"],
        "ExposedPort": c["ExposedPort"],
        "Definition": render_definition(c["Definition"]),
        "CreateIndex": c["CreateIndex"],
        "ModifyIndex": c["ModifyIndex"],
    }


def render_dir_entry(e: dict) -> dict:
    out = {
        "LockIndex": e["LockIndex"],
        "Key": e["Key"],
        "Flags": e["Flags"],
        # Consul stores an empty body as a nil []byte, which marshals to null.
        "Value": base64.b64encode(e["Value"]).decode("ascii") if e["Value"] else None,
    }
    if e["Session"]:
        out["Session"] = e["Session"]
    out["CreateIndex"] = e["CreateIndex"]
    out["ModifyIndex"] = e["ModifyIndex"]
    return out


def _strip_indexes(d: dict) -> dict:
    return {k: v for k, v in d.items() if k not in ("CreateIndex", "ModifyIndex")}


def aggregated_status(checks) -> str:
    """api.HealthChecks.AggregatedStatus: maintenance > critical > warning > passing."""
    passing = warning = critical = maintenance = False
    for c in checks:
        cid = c["CheckID"]
        if cid == NODE_MAINT_CHECK_ID or cid.startswith(SERVICE_MAINT_PREFIX):
            maintenance = True
            continue
        st = c["Status"]
        if st == "passing":
            passing = True
        elif st == "warning":
            warning = True
        elif st == "critical":
            critical = True
        else:
            return ""
    if maintenance:
        return "maintenance"
    if critical:
        return "critical"
    if warning:
        return "warning"
    return "passing"


# ---------------------------------------------------------------------------
# The per-datacenter state store (a model of Consul's memdb tables + index table)
# ---------------------------------------------------------------------------

class DCStore:
    """One datacenter's catalog and KV with Consul's table-index bookkeeping.

    `tables` models Consul's "index" table: "nodes", "services", "checks", "kvs",
    "tombstones", "service_last_extinction" and one "service.<name>" entry per
    live service name. Every write is one Raft apply and bumps `index`.
    """

    def __init__(self, dc: str):
        self.dc = dc
        self.index = 0
        self.tables: dict[str, int] = {}
        self.nodes: dict[str, dict] = {}
        self.services: dict[tuple, dict] = {}
        self.checks: dict[tuple, dict] = {}
        self.kv: dict[str, dict] = {}
        self.tombstones: dict[str, int] = {}

    def next_index(self) -> int:
        self.index += 1
        return self.index

    def table(self, *names) -> int:
        return max((self.tables.get(n, 0) for n in names), default=0)

    # -- catalog writes ----------------------------------------------------

    def node_services(self, nkey: str):
        return [s for k, s in sorted(self.services.items()) if k[0] == nkey]

    def update_all_service_indexes_of_node(self, idx: int, nkey: str) -> None:
        for s in self.node_services(nkey):
            self.tables["service." + s["Service"]] = idx

    def ensure_node(self, idx: int, node: dict) -> None:
        key = node["Node"].lower()
        existing = self.nodes.get(key)
        if existing is not None:
            node["CreateIndex"] = existing["CreateIndex"]
            node["ModifyIndex"] = existing["ModifyIndex"]
            same = (existing["ID"] == node["ID"] and existing["Node"].lower() == key
                    and existing["Address"] == node["Address"]
                    and existing["Datacenter"] == node["Datacenter"]
                    and existing["TaggedAddresses"] == node["TaggedAddresses"]
                    and existing["Meta"] == node["Meta"])
            if same:
                return
            node["ModifyIndex"] = idx
        else:
            node["CreateIndex"] = node["ModifyIndex"] = idx
        self.nodes[key] = node
        self.tables["nodes"] = idx
        self.update_all_service_indexes_of_node(idx, key)

    def _service_name_changed(self, idx: int, name: str) -> None:
        lname = name.lower()
        if any(s["Service"].lower() == lname for s in self.services.values()):
            self.tables["service." + name] = idx
        else:
            self.tables.pop("service." + name, None)
            self.tables["service_last_extinction"] = idx

    def ensure_service(self, idx: int, node_name: str, svc: dict) -> None:
        nkey = node_name.lower()
        key = (nkey, svc["ID"].lower())
        svc["Node"] = node_name
        existing = self.services.get(key)
        if existing is not None:
            svc["CreateIndex"] = existing["CreateIndex"]
            svc["ModifyIndex"] = existing["ModifyIndex"]
            if _strip_indexes(existing) == _strip_indexes(svc):
                return
        else:
            svc["CreateIndex"] = idx
        svc["ModifyIndex"] = idx
        self.services[key] = svc
        self.tables["services"] = idx
        self.tables["service." + svc["Service"]] = idx
        if existing is not None and existing["Service"] != svc["Service"]:
            self._service_name_changed(idx, existing["Service"])

    def ensure_check(self, idx: int, hc: dict) -> None:
        nkey = hc["Node"].lower()
        key = (nkey, hc["CheckID"].lower())
        existing = self.checks.get(key)
        if existing is not None:
            hc["CreateIndex"] = existing["CreateIndex"]
            hc["ModifyIndex"] = existing["ModifyIndex"]
        else:
            hc["CreateIndex"] = hc["ModifyIndex"] = idx
        if not hc["Status"]:
            hc["Status"] = "critical"
        if nkey not in self.nodes:
            raise ConsulError(500, "Missing node registration")
        modified = True
        if hc["ServiceID"]:
            svc = self.services.get((nkey, hc["ServiceID"].lower()))
            if svc is None:
                raise ConsulError(500, "Missing service registration")
            hc["ServiceName"] = svc["Service"]
            hc["ServiceTags"] = list(svc["Tags"]) if svc["Tags"] is not None else None
            if existing is not None and _strip_indexes(existing) == _strip_indexes(hc):
                modified = False
            else:
                self.tables["service." + svc["Service"]] = idx
        else:
            if existing is not None and _strip_indexes(existing) == _strip_indexes(hc):
                modified = False
            else:
                self.update_all_service_indexes_of_node(idx, nkey)
        if modified:
            hc["ModifyIndex"] = idx
        self.checks[key] = hc
        self.tables["checks"] = idx

    def delete_check(self, idx: int, node_name: str, check_id: str) -> None:
        nkey = node_name.lower()
        hc = self.checks.get((nkey, check_id.lower()))
        if hc is None:
            return
        if hc["ServiceID"]:
            svc = self.services.get((nkey, hc["ServiceID"].lower()))
            if svc is not None:
                self.tables["service." + svc["Service"]] = idx
        else:
            self.update_all_service_indexes_of_node(idx, nkey)
        del self.checks[(nkey, check_id.lower())]
        self.tables["checks"] = idx

    def delete_service(self, idx: int, node_name: str, service_id: str) -> None:
        nkey = node_name.lower()
        skey = (nkey, service_id.lower())
        svc = self.services.get(skey)
        if svc is None:
            return
        for (cn, _), hc in sorted(self.checks.items()):
            if cn == nkey and hc["ServiceID"].lower() == service_id.lower():
                self.delete_check(idx, node_name, hc["CheckID"])
        del self.services[skey]
        self.tables["services"] = idx
        self._service_name_changed(idx, svc["Service"])

    def delete_node(self, idx: int, node_name: str) -> None:
        nkey = node_name.lower()
        if nkey not in self.nodes:
            return
        self.update_all_service_indexes_of_node(idx, nkey)
        for (cn, _), hc in sorted(self.checks.items()):
            if cn == nkey:
                self.delete_check(idx, node_name, hc["CheckID"])
        for s in self.node_services(nkey):
            self.delete_service(idx, node_name, s["ID"])
        del self.nodes[nkey]
        self.tables["nodes"] = idx

    # -- catalog reads -----------------------------------------------------

    def catalog_max_index(self, checks: bool) -> int:
        return self.table("nodes", "services", *(("checks",) if checks else ()))

    def max_index_for_service(self, name: str, exists: bool, checks: bool) -> int:
        if not exists and "service_last_extinction" in self.tables:
            return self.tables["service_last_extinction"]
        if "service." + name in self.tables:
            return self.tables["service." + name]
        return self.catalog_max_index(checks)

    def instances(self, name: str):
        lname = name.lower()
        return [s for _, s in sorted(self.services.items()) if s["Service"].lower() == lname]

    def checks_for(self, nkey: str, service_id: str):
        sid = service_id.lower()
        return [c for (cn, _), c in sorted(self.checks.items())
                if cn == nkey and c["ServiceID"].lower() == sid]

    # -- KV ------------------------------------------------------------------

    def kvs_max_index(self) -> int:
        return self.table("kvs", "tombstones")

    def graveyard_max(self, prefix: str) -> int:
        return max((i for k, i in self.tombstones.items() if k.startswith(prefix)), default=0)

    def kv_set(self, idx: int, key: str, value: bytes, flags: int) -> None:
        existing = self.kv.get(key)
        self.kv[key] = {
            "LockIndex": existing["LockIndex"] if existing else 0,
            "Key": key,
            "Flags": flags,
            "Value": value,
            "Session": existing["Session"] if existing else "",
            "CreateIndex": existing["CreateIndex"] if existing else idx,
            "ModifyIndex": idx,
        }
        self.tables["kvs"] = idx

    def kv_delete(self, idx: int, key: str) -> None:
        if key not in self.kv:
            return
        del self.kv[key]
        self.tombstones[key] = idx
        self.tables["tombstones"] = idx
        self.tables["kvs"] = idx

    def kv_delete_tree(self, idx: int, prefix: str) -> None:
        doomed = [k for k in self.kv if k.startswith(prefix)]
        if not doomed:
            return
        for k in doomed:
            del self.kv[k]
        if prefix:
            self.tombstones[prefix] = idx
            self.tables["tombstones"] = idx
        self.tables["kvs"] = idx

    def shift_indexes(self, delta: int) -> None:
        """Move every Raft index back by delta (clamped to 1), like restoring an older snapshot."""
        def sh(v):
            return max(1, v - delta) if v else v
        for rec in list(self.nodes.values()) + list(self.services.values()) + \
                list(self.checks.values()) + list(self.kv.values()):
            rec["CreateIndex"] = sh(rec["CreateIndex"])
            rec["ModifyIndex"] = sh(rec["ModifyIndex"])
        self.tables = {k: sh(v) for k, v in self.tables.items()}
        self.tombstones = {k: sh(v) for k, v in self.tombstones.items()}
        self.index = max(1, self.index - delta)


# ---------------------------------------------------------------------------
# Request context
# ---------------------------------------------------------------------------

class Ctx:
    """One parsed HTTP request."""

    def __init__(self, method: str, path: str, raw_query: str, headers, body: bytes):
        self.method = method
        self.path = path
        self.raw_query = raw_query
        self.params = parse_qs(raw_query, keep_blank_values=True)
        self.headers = headers
        self.body = body
        self.blocked = False
        # CLOCK_MONOTONIC ns (time.monotonic_ns) of the request's stages, for
        # latency breakdowns: read, woken from a park, answer built, bytes sent.
        self.received_ns = 0
        self.woken_ns = 0
        self.answered_ns = 0
        self.sent_ns = 0

    def has(self, name: str) -> bool:
        return name in self.params

    def get(self, name: str, default: str = "") -> str:
        v = self.params.get(name)
        return v[0] if v else default

    def getall(self, name: str):
        return list(self.params.get(name, []))

    def token(self) -> str:
        tok = self.headers.get("X-Consul-Token", "")
        if tok:
            return tok
        auth = self.headers.get("Authorization", "")
        parts = auth.split(" ")
        if len(parts) == 2 and parts[0].lower() == "bearer":
            return parts[1].strip()
        return self.get("token")


class Resp:
    def __init__(self, status: int = 200, body: bytes = b"", headers: dict | None = None):
        self.status = status
        self.body = body
        self.headers = headers or {}


def text_resp(status: int, message: str, headers: dict | None = None) -> Resp:
    h = {"Content-Type": "text/plain; charset=utf-8"}
    h.update(headers or {})
    return Resp(status, message.encode("utf-8"), h)


# ---------------------------------------------------------------------------
# The fake agent + servers
# ---------------------------------------------------------------------------

class FakeConsul:
    """All state; every mutation happens under `cond` and ends with notify_all().

    `cond` wakes parked blocking queries (data changed, store abandoned,
    shutdown); `stats_cond` shares its lock and wakes `/_fake/await` callers
    (request and parked counters), so counting a request or a park never
    makes every parked query re-evaluate.
    """

    fast_writes = False

    def __init__(self, datacenter: str = "dc1", node_name: str = "agent-1", token: str = "",
                 extra_datacenters=(), bare: bool = False, jitter: bool = True,
                 version: str = CONSUL_VERSION, verbose: bool = False):
        lock = threading.RLock()
        self.cond = threading.Condition(lock)
        self.stats_cond = threading.Condition(lock)
        # Bumped by every data change: a woken blocking query whose store saw
        # none answers nothing new and keeps waiting without re-reading.
        self.changes = 0
        self.dc = datacenter
        self.node_name = node_name
        self.node_id = str(uuid.uuid5(uuid.NAMESPACE_DNS, f"{datacenter}.{node_name}.fake-consul"))
        self.token = token
        self.extra_dcs = [d for d in extra_datacenters if d and d != datacenter]
        self.bare = bare
        self.jitter = jitter
        self.version = version
        self.verbose = verbose
        self.shutting_down = False
        self.abandon_gen = 0
        self.started = time.time()
        self.ttl_gen = 0
        self.reset_all()

    # -- lifecycle -----------------------------------------------------------

    def reset_all(self, bare: bool | None = None) -> None:
        with self.cond:
            old = getattr(self, "agent_checks", {})
            for ac in old.values():
                if ac.get("timer") is not None:
                    ac["timer"].cancel()
            self.stores = {}
            for dc in [self.dc] + self.extra_dcs:
                self.stores[dc] = self._boot_store(dc, self.bare if bare is None else bare)
            self.agent_services: dict[str, dict] = {}
            self.agent_checks: dict[str, dict] = {}
            self.fail_rules: list[dict] = []
            self.down_until = 0.0
            self.lastcontact_ms = 0
            self.lastcontact_all = False
            self.known_leader = True
            self.reset_stats()
            self.abandon_gen += 1
            self.changes += 1
            self.cond.notify_all()
            self.stats_cond.notify_all()

    def reset_stats(self) -> None:
        self.stats_requests: dict[str, int] = {}
        self.stats_by_method: dict[str, int] = {}
        self.stats_total = 0
        self.parked = 0
        self.parked_by_path: dict[str, int] = {}
        self.max_parked = 0
        self.blocking_total = 0
        self.blocking_woken = 0
        self.blocking_timed_out = 0
        self.failures_injected = 0
        self.hanging = 0
        self.request_log: list[dict] = []

    def _boot_store(self, dc: str, bare: bool) -> DCStore:
        store = DCStore(dc)
        store.index = BOOT_INDEX
        if bare:
            return store
        name = self.node_name if dc == self.dc else f"server-{dc}"
        addr = "127.0.0.1" if dc == self.dc else "127.0.0.2"
        node_id = self.node_id if dc == self.dc else str(uuid.uuid5(uuid.NAMESPACE_DNS, f"{dc}.{name}.fake-consul"))
        idx = store.next_index()
        store.ensure_node(idx, {
            "ID": node_id, "Node": name, "Address": addr, "Datacenter": dc,
            "TaggedAddresses": {"lan": addr, "lan_ipv4": addr, "wan": addr, "wan_ipv4": addr},
            "Meta": {"consul-network-segment": "", "consul-version": self.version},
        })
        store.ensure_check(idx, self._new_check(name, "serfHealth", "Serf Health Status",
                                                status="passing", output="Agent alive and reachable"))
        idx = store.next_index()
        store.ensure_service(idx, name, self._new_service(
            "consul", "consul", port=8300,
            meta={"non_voter": "false", "raft_version": "3", "read_replica": "false",
                  "serf_protocol_current": "2", "serf_protocol_max": "5",
                  "serf_protocol_min": "1", "version": self.version}))
        return store

    @staticmethod
    def _new_service(sid: str, name: str, port: int = 0, meta=None, tags=None) -> dict:
        return {"Node": "", "Kind": "", "ID": sid, "Service": name, "Tags": tags,
                "Address": "", "TaggedAddresses": None, "Meta": meta, "Port": port,
                "SocketPath": "", "Weights": {"Passing": 1, "Warning": 1},
                "EnableTagOverride": False, "Proxy": {}, "Connect": {}, "Locality": None,
                "CreateIndex": 0, "ModifyIndex": 0}

    @staticmethod
    def _new_check(node: str, cid: str, name: str, status: str = "critical", output: str = "",
                   notes: str = "", service_id: str = "", ctype: str = "") -> dict:
        return {"Node": node, "CheckID": cid, "Name": name, "Status": status, "Notes": notes,
                "Output": output, "ServiceID": service_id, "ServiceName": "", "ServiceTags": None,
                "Type": ctype, "Interval": "", "Timeout": "", "ExposedPort": 0, "Definition": {},
                "CreateIndex": 0, "ModifyIndex": 0}

    def store_for(self, ctx: Ctx) -> DCStore:
        dc = ctx.get("dc") or self.dc
        store = self.stores.get(dc)
        if store is None:
            raise ConsulError(500, "No path to datacenter")
        return store

    @property
    def primary(self) -> DCStore:
        return self.stores[self.dc]

    # -- request entry point -------------------------------------------------

    def record_request(self, ctx: Ctx) -> None:
        with self.cond:
            self.stats_total += 1
            self.stats_requests[ctx.path] = self.stats_requests.get(ctx.path, 0) + 1
            mk = f"{ctx.method} {ctx.path}"
            self.stats_by_method[mk] = self.stats_by_method.get(mk, 0) + 1
            self.stats_cond.notify_all()

    def log_request(self, ctx: Ctx, status, duration: float) -> None:
        with self.cond:
            self.request_log.append({
                "method": ctx.method, "path": ctx.path, "query": ctx.raw_query,
                "status": status, "index": ctx.get("index"), "wait": ctx.get("wait"),
                "blocked": ctx.blocked, "token": bool(ctx.token()),
                "duration_ms": round(duration * 1000, 3),
                "received_ns": ctx.received_ns, "woken_ns": ctx.woken_ns,
                "answered_ns": ctx.answered_ns, "sent_ns": ctx.sent_ns,
            })
            if len(self.request_log) > REQUEST_LOG_LIMIT:
                del self.request_log[: len(self.request_log) - REQUEST_LOG_LIMIT]

    def match_failure(self, ctx: Ctx):
        with self.cond:
            for rule in self.fail_rules:
                if rule["count"] == 0:
                    continue
                if not ctx.path.startswith(rule["path"]):
                    continue
                if rule["method"] and rule["method"] != ctx.method:
                    continue
                if rule["count"] > 0:
                    rule["count"] -= 1
                self.failures_injected += 1
                self.fail_rules = [r for r in self.fail_rules if r["count"] != 0]
                return dict(rule)
        return None

    def is_down(self) -> bool:
        with self.cond:
            return time.monotonic() < self.down_until

    def check_acl(self, ctx: Ctx) -> None:
        if not self.token:
            return
        p = ctx.path
        if p.startswith("/v1/status/") or p == "/v1/catalog/datacenters":
            return  # Consul requires no ACL for these
        tok = ctx.token()
        if tok == self.token:
            return
        if tok:
            raise ConsulError(403, "ACL not found")
        perm, name = acl_requirement(ctx, self.node_name)
        msg = f"Permission denied: anonymous token lacks permission '{perm}'"
        if name:
            msg += f" on {json.dumps(name)}"
        raise ConsulError(403, msg)

    # -- query metadata and blocking -----------------------------------------

    def query_meta(self, ctx: Ctx, index: int) -> dict:
        stale = ctx.has("stale")
        lc = self.lastcontact_ms if (stale or self.lastcontact_all) else 0
        consistency = "stale" if stale else ("consistent" if ctx.has("consistent") else "leader")
        if stale and ctx.get("max_stale"):
            try:
                max_stale = parse_go_duration(ctx.get("max_stale")) // 10**6
            except ValueError:
                max_stale = 0
            if 0 < max_stale < lc:
                lc, consistency = 0, "leader"   # the agent retries once against the leader
        return {
            "X-Consul-Effective-Consistency": consistency,
            "X-Consul-Index": str(max(1, index)),
            "X-Consul-Knownleader": "true" if self.known_leader else "false",
            "X-Consul-Lastcontact": str(lc),
            "X-Consul-Query-Backend": "blocking-query",
        }

    def parse_query_options(self, ctx: Ctx):
        if ctx.has("stale") and ctx.has("consistent"):
            raise ConsulError(400, "Cannot specify ?stale with ?consistent, conflicting semantics.")
        wait = 0
        if ctx.get("wait"):
            try:
                wait = parse_go_duration(ctx.get("wait"))
            except ValueError:
                raise ConsulError(400, "Invalid wait time")
        index = 0
        if ctx.get("index"):
            raw = ctx.get("index")
            if not raw.isdigit() or int(raw) >= 2**64:
                raise ConsulError(400, "Invalid index")
            index = int(raw)
        if ctx.get("filter"):
            raise ConsulError(400, "fake-consul: ?filter expressions are not implemented")
        return index, wait

    def blocking(self, ctx: Ctx, fn, client_gone=None):
        """Run fn() -> (index, payload) like Consul's blockingQuery.

        With ?index=N the query parks while the result index is <= N, until a write
        raises it, the wait (default 5m, max 10m, plus up to 1/16 jitter) expires,
        or the store is abandoned (index reset / store reset).
        """
        min_index, wait = self.parse_query_options(ctx)
        with self.cond:
            idx, payload = fn()
            idx = max(1, idx)
            if min_index == 0 or idx > min_index:
                return idx, payload
            if wait <= 0:
                wait = DEFAULT_QUERY_TIME_NS
            wait = min(wait, MAX_QUERY_TIME_NS)
            if self.jitter:
                wait += random.randrange(max(1, wait // JITTER_FRACTION))
            deadline = time.monotonic() + wait / SECOND
            gen = self.abandon_gen
            ctx.blocked = True
            self.blocking_total += 1
            self.parked += 1
            self.parked_by_path[ctx.path] = self.parked_by_path.get(ctx.path, 0) + 1
            self.max_parked = max(self.max_parked, self.parked)
            self.stats_cond.notify_all()
            seen = self.changes
            try:
                while idx <= min_index:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        self.blocking_timed_out += 1
                        break
                    if self.shutting_down or gen != self.abandon_gen:
                        break
                    if client_gone is not None and client_gone():
                        raise ClientGone()
                    self.cond.wait(min(remaining, 0.25))
                    if self.changes == seen:
                        continue
                    seen = self.changes
                    ctx.woken_ns = time.monotonic_ns()
                    idx, payload = fn()
                    idx = max(1, idx)
                    if gen != self.abandon_gen:
                        break
                else:
                    self.blocking_woken += 1
            finally:
                self.parked -= 1
                self.parked_by_path[ctx.path] -= 1
                if not self.parked_by_path[ctx.path]:
                    del self.parked_by_path[ctx.path]
                self.stats_cond.notify_all()
            return idx, payload

    def write(self, store: DCStore, fn):
        """One Raft apply: fn(idx) mutates the store; errors leave the store untouched."""
        with self.cond:
            # The rollback copy is shallow: the store's mutators replace
            # records and never edit a stored one in place. It still costs
            # O(store) per write; --fast-writes skips it so benchmarks can load
            # large catalogs (a failing write may then leave partial state).
            snapshot = None if self.fast_writes else (
                store.index, dict(store.tables), dict(store.nodes), dict(store.services),
                dict(store.checks), dict(store.kv), dict(store.tombstones))
            idx = store.next_index()
            try:
                result = fn(idx)
            except Exception:
                if snapshot is not None:
                    (store.index, store.tables, store.nodes, store.services,
                     store.checks, store.kv, store.tombstones) = snapshot
                raise
            self.changes += 1
            self.cond.notify_all()
            return result

    # -- health / catalog reads ----------------------------------------------

    @staticmethod
    def node_meta_filters(ctx: Ctx) -> dict:
        out = {}
        for pair in ctx.getall("node-meta"):
            k, _, v = pair.partition(":")
            out[k] = v
        return out

    @staticmethod
    def node_matches(node: dict, filters: dict) -> bool:
        meta = node["Meta"] or {}
        return all(k in meta and meta[k] == v for k, v in filters.items())

    @staticmethod
    def tags_match(svc: dict, tags) -> bool:
        have = {t.lower() for t in (svc["Tags"] or [])}
        return all(t.lower() in have for t in tags)

    def health_service(self, ctx: Ctx, name: str, client_gone=None) -> Resp:
        store = self.store_for(ctx)
        passing = False
        if ctx.has("passing"):
            raw = ctx.get("passing")
            if raw:
                try:
                    passing = parse_go_bool(raw)
                except ValueError:
                    raise ConsulError(400, "Invalid value for ?passing")
            else:
                passing = True
        tags = ctx.getall("tag") if ctx.has("tag") else None
        meta_filters = self.node_meta_filters(ctx)
        peer = ctx.get("peer")

        def fn():
            store = self.store_for(ctx)
            if peer:
                return 0, []
            found = store.instances(name)
            idx = store.max_index_for_service(name, bool(found), True)
            out = []
            for s in found:
                if tags is not None and not self.tags_match(s, tags):
                    continue
                nkey = s["Node"].lower()
                node = store.nodes[nkey]
                if meta_filters and not self.node_matches(node, meta_filters):
                    continue
                checks = store.checks_for(nkey, "") + store.checks_for(nkey, s["ID"])
                out.append({"Node": render_node(node), "Service": render_node_service(s),
                            "Checks": [render_check(c) for c in checks]})
            return idx, out

        idx, entries = self.blocking(ctx, fn, client_gone)
        if passing:
            entries = filter_non_passing(entries)
        return self.json_resp(ctx, entries, self.query_meta(ctx, idx))

    def health_checks(self, ctx: Ctx, name: str, client_gone=None) -> Resp:
        store = self.store_for(ctx)
        meta_filters = self.node_meta_filters(ctx)

        def fn():
            store = self.store_for(ctx)
            lname = name.lower()
            out = []
            for (nkey, _), c in self.checks_by_service(store):
                if c["ServiceName"].lower() != lname:
                    continue
                if meta_filters and not self.node_matches(store.nodes[nkey], meta_filters):
                    continue
                out.append(render_check(c))
            return store.table("checks"), out

        idx, out = self.blocking(ctx, fn, client_gone)
        return self.json_resp(ctx, out, self.query_meta(ctx, idx))

    @staticmethod
    def checks_by_service(store: DCStore):
        return sorted(store.checks.items(), key=lambda kv: (kv[1]["ServiceName"].lower(), kv[0]))

    def health_state(self, ctx: Ctx, state: str, client_gone=None) -> Resp:
        store = self.store_for(ctx)
        meta_filters = self.node_meta_filters(ctx)

        def fn():
            store = self.store_for(ctx)
            items = sorted(store.checks.items())
            if state != "any":
                items = [kv for kv in items if kv[1]["Status"] == state]
            out = [render_check(c) for (nkey, _), c in items
                   if not meta_filters or self.node_matches(store.nodes[nkey], meta_filters)]
            return store.table("checks"), out

        idx, out = self.blocking(ctx, fn, client_gone)
        return self.json_resp(ctx, out, self.query_meta(ctx, idx))

    def health_node(self, ctx: Ctx, node: str, client_gone=None) -> Resp:
        store = self.store_for(ctx)

        def fn():
            store = self.store_for(ctx)
            nkey = node.lower()
            out = [render_check(c) for (cn, _), c in sorted(store.checks.items()) if cn == nkey]
            return store.table("checks"), out

        idx, out = self.blocking(ctx, fn, client_gone)
        return self.json_resp(ctx, out, self.query_meta(ctx, idx))

    def catalog_services(self, ctx: Ctx, client_gone=None) -> Resp:
        store = self.store_for(ctx)
        meta_filters = self.node_meta_filters(ctx)

        def fn():
            store = self.store_for(ctx)
            names: dict[str, list] = {}
            for (nkey, _), s in sorted(store.services.items()):
                if meta_filters and not self.node_matches(store.nodes[nkey], meta_filters):
                    continue
                tags = names.setdefault(s["Service"], [])
                for t in s["Tags"] or []:
                    if t not in tags:
                        tags.append(t)
            return store.catalog_max_index(False), gomap(names)

        idx, out = self.blocking(ctx, fn, client_gone)
        return self.json_resp(ctx, out, self.query_meta(ctx, idx))

    def catalog_service(self, ctx: Ctx, name: str, client_gone=None) -> Resp:
        store = self.store_for(ctx)
        tags = ctx.getall("tag") if ctx.has("tag") else None
        meta_filters = self.node_meta_filters(ctx)
        peer = ctx.get("peer")

        def fn():
            store = self.store_for(ctx)
            if peer:
                return 0, []
            found = store.instances(name)
            idx = store.max_index_for_service(name, bool(found), False)
            out = []
            for s in found:
                node = store.nodes[s["Node"].lower()]
                if tags is not None and not self.tags_match(s, tags):
                    continue
                if meta_filters and not self.node_matches(node, meta_filters):
                    continue
                out.append(render_service_node(s, node))
            return idx, out

        idx, out = self.blocking(ctx, fn, client_gone)
        return self.json_resp(ctx, out, self.query_meta(ctx, idx))

    def catalog_node(self, ctx: Ctx, node: str, client_gone=None) -> Resp:
        store = self.store_for(ctx)

        def fn():
            store = self.store_for(ctx)
            nkey = node.lower()
            n = store.nodes.get(nkey)
            if n is None:
                return store.catalog_max_index(False), None
            services = {s["ID"]: render_node_service(s) for s in store.node_services(nkey)}
            return store.catalog_max_index(False), {"Node": render_node(n), "Services": gomap(services)}

        idx, out = self.blocking(ctx, fn, client_gone)
        return self.json_resp(ctx, out, self.query_meta(ctx, idx))

    def catalog_nodes(self, ctx: Ctx, client_gone=None) -> Resp:
        store = self.store_for(ctx)
        meta_filters = self.node_meta_filters(ctx)

        def fn():
            store = self.store_for(ctx)
            out = [render_node(n) for _, n in sorted(store.nodes.items())
                   if not meta_filters or self.node_matches(n, meta_filters)]
            return store.table("nodes"), out

        idx, out = self.blocking(ctx, fn, client_gone)
        return self.json_resp(ctx, out, self.query_meta(ctx, idx))

    # -- catalog writes --------------------------------------------------------

    def catalog_register(self, ctx: Ctx) -> Resp:
        req = Fields(decode_json_body(ctx.body))
        dc = ctx.get("dc") or req.str("Datacenter") or self.dc
        store = self.stores.get(dc)
        if store is None:
            raise ConsulError(500, "No path to datacenter")
        node_name = req.str("Node")
        if not node_name:
            raise ConsulError(500, "Must provide node")
        skip_node_update = req.bool("SkipNodeUpdate")
        address = req.str("Address")
        if not address and not skip_node_update:
            raise ConsulError(500, "Must provide address if SkipNodeUpdate is not set")
        node = {"ID": req.str("ID"), "Node": node_name, "Address": address, "Datacenter": dc,
                "TaggedAddresses": req.strmap("TaggedAddresses"), "Meta": req.strmap("NodeMeta"),
                "CreateIndex": 0, "ModifyIndex": 0}
        svc = None
        if req.get("Service") is not None:
            svc = self.parse_catalog_service(Fields(req.get("Service")))
        checks = []
        for raw in ([req.get("Check")] if req.get("Check") is not None else []) + list(req.get("Checks", []) or []):
            checks.append(self.parse_catalog_check(Fields(raw), node_name))

        def apply(idx):
            existing = store.nodes.get(node_name.lower())
            if existing is None or (not skip_node_update and node_changes(node, existing)):
                store.ensure_node(idx, dict(node))
            if svc is not None:
                store.ensure_service(idx, node_name, svc)
            for hc in checks:
                store.ensure_check(idx, hc)
            return True

        self.write(store, apply)
        return self.json_resp(ctx, True)

    @staticmethod
    def parse_catalog_service(f: Fields) -> dict:
        sid, name = f.str("ID"), f.str("Service")
        if not sid and name:
            sid = name
        if sid and not name:
            raise ConsulError(500, "Must provide service name (Service.Service) with ID (Service.ID)")
        return {"Node": "", "Kind": f.str("Kind"), "ID": sid, "Service": name,
                "Tags": f.strlist("Tags"), "Address": f.str("Address"),
                "TaggedAddresses": _service_address_map(f.get("TaggedAddresses")) or None,
                "Meta": f.strmap("Meta"), "Port": f.int("Port"), "SocketPath": f.str("SocketPath"),
                "Weights": normalize_weights(f.get("Weights")),
                "EnableTagOverride": f.bool("EnableTagOverride"),
                "Proxy": normalize_proxy(f.get("Proxy")), "Connect": normalize_connect(f.get("Connect")),
                "Locality": f.get("Locality"), "CreateIndex": 0, "ModifyIndex": 0}

    def parse_catalog_check(self, f: Fields, node_name: str) -> dict:
        cnode = f.str("Node") or node_name
        if cnode.lower() != node_name.lower():
            raise ConsulError(500, f'check node "{cnode}" does not match node "{node_name}"')
        cid = f.str("CheckID") or f.str("Name")
        status = f.str("Status")
        if status and status not in HEALTH_STATUSES:
            raise ConsulError(500, f"Invalid check status: '{status}'")
        hc = self._new_check(node_name, cid, f.str("Name"), status=status, output=f.str("Output"),
                             notes=f.str("Notes"), service_id=f.str("ServiceID"), ctype=f.str("Type"))
        hc["Interval"] = f.str("Interval")
        hc["Timeout"] = f.str("Timeout")
        hc["ExposedPort"] = f.int("ExposedPort")
        hc["Definition"] = normalize_definition(f.get("Definition"))
        return hc

    def catalog_deregister(self, ctx: Ctx) -> Resp:
        req = Fields(decode_json_body(ctx.body))
        dc = ctx.get("dc") or req.str("Datacenter") or self.dc
        store = self.stores.get(dc)
        if store is None:
            raise ConsulError(500, "No path to datacenter")
        node_name = req.str("Node")
        if not node_name:
            raise ConsulError(500, "Must provide node")
        sid, cid = req.str("ServiceID"), req.str("CheckID")

        def apply(idx):
            if sid:
                store.delete_service(idx, node_name, sid)
            if cid:
                store.delete_check(idx, node_name, cid)
            if not sid and not cid:
                store.delete_node(idx, node_name)
            return True

        self.write(store, apply)
        self.forget_agent_state(node_name, sid, cid)
        return self.json_resp(ctx, True)

    def forget_agent_state(self, node_name: str, sid: str, cid: str) -> None:
        """Keep the agent's local view in step when tests deregister agent entries via the catalog."""
        if node_name.lower() != self.node_name.lower():
            return
        with self.cond:
            if not sid and not cid:
                for c in list(self.agent_checks):
                    self._drop_agent_check(c)
                self.agent_services.clear()
            if sid:
                self.agent_services.pop(sid, None)
                for c, ac in list(self.agent_checks.items()):
                    if ac["service_id"] == sid:
                        self._drop_agent_check(c)
            if cid:
                self._drop_agent_check(cid)

    def _drop_agent_check(self, cid: str) -> None:
        ac = self.agent_checks.pop(cid, None)
        if ac and ac.get("timer") is not None:
            ac["timer"].cancel()

    # -- KV ----------------------------------------------------------------------

    def kv(self, ctx: Ctx, key: str, client_gone=None) -> Resp:
        store = self.store_for(ctx)
        if ctx.method == "GET":
            if ctx.has("keys"):
                return self.kv_keys(ctx, store, key, client_gone)
            recurse = ctx.has("recurse")
            if not recurse and not key:
                raise ConsulError(400, "Missing key name")

            def fn():
                store = self.store_for(ctx)
                if recurse:
                    entries = [e for k, e in sorted(store.kv.items()) if k.startswith(key)]
                    idx = store.kvs_max_index()
                    lindex = max((e["ModifyIndex"] for e in entries), default=0)
                    lindex = max(lindex, store.graveyard_max(key)) if key else idx
                    return (lindex or idx), entries
                e = store.kv.get(key)
                if e is None:
                    return store.kvs_max_index(), []
                return e["ModifyIndex"], [e]

            idx, entries = self.blocking(ctx, fn, client_gone)
            meta = self.query_meta(ctx, idx)
            if not entries:
                return Resp(404, b"", meta)
            if ctx.has("raw") and not recurse:
                h = dict(meta)
                h.update({"Content-Type": "text/plain", "X-Content-Type-Options": "nosniff",
                          "Content-Security-Policy": "sandbox"})
                return Resp(200, entries[0]["Value"], h)
            return self.json_resp(ctx, [render_dir_entry(e) for e in entries], meta)

        if ctx.method == "PUT":
            if not key:
                raise ConsulError(400, "Missing key name")
            conflicting = [p for p in ("cas", "acquire", "release") if ctx.has(p)]
            if len(conflicting) > 1:
                raise ConsulError(400, f"Conflicting flags: {ctx.raw_query}\n")
            if ctx.has("acquire") or ctx.has("release"):
                raise ConsulError(500, "fake-consul: sessions (acquire/release) are not implemented")
            flags = self._uint_param(ctx, "flags")
            cas = self._uint_param(ctx, "cas") if ctx.has("cas") else None
            value = ctx.body

            def apply(idx):
                existing = store.kv.get(key)
                if cas is not None:
                    if cas == 0 and existing is not None:
                        return False
                    if cas != 0 and (existing is None or existing["ModifyIndex"] != cas):
                        return False
                store.kv_set(idx, key, value, flags)
                return True

            return self.json_resp(ctx, self.write(store, apply))

        if ctx.method == "DELETE":
            recurse = ctx.has("recurse")
            if recurse and ctx.has("cas"):
                raise ConsulError(400, f"Conflicting flags: {ctx.raw_query}\n")
            if not recurse and not key:
                raise ConsulError(400, "Missing key name")
            cas = self._uint_param(ctx, "cas") if ctx.has("cas") else None

            def apply(idx):
                if recurse:
                    store.kv_delete_tree(idx, key)
                    return True
                if cas is not None:
                    existing = store.kv.get(key)
                    if existing is None:
                        return True
                    if existing["ModifyIndex"] != cas:
                        return False
                store.kv_delete(idx, key)
                return True

            return self.json_resp(ctx, self.write(store, apply))
        raise ConsulError(405, f"method {ctx.method} not allowed", {"Allow": "GET,PUT,DELETE"})

    @staticmethod
    def _uint_param(ctx: Ctx, name: str) -> int:
        raw = ctx.get(name, "0") if ctx.has(name) else "0"
        if not raw.isdigit() or int(raw) >= 2**64:
            raise ConsulError(500, f'strconv.ParseUint: parsing "{raw}": invalid syntax')
        return int(raw)

    def kv_keys(self, ctx: Ctx, store: DCStore, prefix: str, client_gone=None) -> Resp:
        sep = ctx.get("seperator") if ctx.has("seperator") else ""
        if ctx.has("separator"):
            sep = ctx.get("separator")

        def fn():
            store = self.store_for(ctx)
            idx = store.kvs_max_index()
            keys, lindex, last = [], 0, None
            for k in sorted(store.kv):
                if not k.startswith(prefix):
                    continue
                e = store.kv[k]
                lindex = max(lindex, e["ModifyIndex"])
                if not sep:
                    keys.append(k)
                    continue
                after = k[len(prefix):]
                pos = after.find(sep)
                if pos >= 0:
                    folded = k[: len(prefix) + pos + len(sep)]
                    if folded != last:
                        keys.append(folded)
                        last = folded
                else:
                    keys.append(k)
            if prefix:
                lindex = max(lindex, store.graveyard_max(prefix))
            else:
                lindex = idx
            return (lindex or idx), keys

        idx, keys = self.blocking(ctx, fn, client_gone)
        meta = self.query_meta(ctx, idx)
        if not keys and prefix:
            return Resp(404, b"", meta)
        return self.json_resp(ctx, keys, meta)

    # -- agent -----------------------------------------------------------------------

    def agent_self(self, ctx: Ctx) -> Resp:
        member_tags = {
            "acls": "1" if self.token else "0", "build": f"{self.version}:fake", "dc": self.dc,
            "ft_fs": "1", "ft_si": "1", "grpc_tls_port": "8503", "id": self.node_id,
            "port": "8300", "raft_vsn": "3", "role": "consul", "segment": "",
            "vsn": "2", "vsn_max": "3", "vsn_min": "2", "wan_join_port": "8302",
        }
        node = self.primary.nodes.get(self.node_name.lower())
        out = {
            "Config": {
                "Datacenter": self.dc,
                "PrimaryDatacenter": self.dc,
                "NodeName": self.node_name,
                "NodeID": self.node_id,
                "Partition": "",
                "Revision": "fake",
                "Server": True,
                "Version": self.version,
                "BuildDate": "2023-11-01T00:00:00Z",
            },
            "DebugConfig": {"Datacenter": self.dc, "NodeName": self.node_name,
                            "ACLsEnabled": bool(self.token), "ServerMode": True},
            "Coord": {"Vec": [0, 0, 0, 0, 0, 0, 0, 0], "Error": 1.5, "Adjustment": 0, "Height": 1e-05},
            "Member": {
                "Name": self.node_name, "Addr": "127.0.0.1", "Port": 8301,
                "Tags": gomap(member_tags), "Status": 1,
                "ProtocolMin": 1, "ProtocolMax": 5, "ProtocolCur": 2,
                "DelegateMin": 2, "DelegateMax": 5, "DelegateCur": 4,
            },
            "Stats": {"agent": {"check_monitors": "0", "check_ttls": str(len(self.agent_checks)),
                                "checks": str(len(self.agent_checks)),
                                "services": str(len(self.agent_services))},
                      "consul": {"bootstrap": "true", "known_datacenters": str(len(self.stores)),
                                 "leader": "true", "leader_addr": "127.0.0.1:8300", "server": "true"}},
            "Meta": gomap(node["Meta"]) if node else {},
        }
        return self.json_resp(ctx, out)

    def render_agent_service(self, s: dict) -> dict:
        out = {}
        if s["Kind"]:
            out["Kind"] = s["Kind"]
        out.update({"ID": s["ID"], "Service": s["Service"], "Tags": list(s["Tags"] or []),
                    "Meta": gomap(s["Meta"] or {}), "Port": s["Port"], "Address": s["Address"]})
        if s["TaggedAddresses"]:
            out["TaggedAddresses"] = gomap(s["TaggedAddresses"])
        out["Weights"] = dict(s["Weights"])
        out["EnableTagOverride"] = s["EnableTagOverride"]
        digest = hashlib.sha256(go_json(_strip_indexes(s))).hexdigest()[:16]
        out["ContentHash"] = digest
        out["Datacenter"] = self.dc
        return out

    def agent_catalog_service(self, sid: str):
        return self.primary.services.get((self.node_name.lower(), sid.lower()))

    def agent_services_resp(self, ctx: Ctx) -> Resp:
        with self.cond:
            out = {}
            for sid in self.agent_services:
                s = self.agent_catalog_service(sid)
                if s is not None:
                    out[s["ID"]] = self.render_agent_service(s)
        return self.json_resp(ctx, gomap(out))

    def agent_checks_resp(self, ctx: Ctx) -> Resp:
        with self.cond:
            out = {}
            for cid in self.agent_checks:
                c = self.primary.checks.get((self.node_name.lower(), cid.lower()))
                if c is not None:
                    r = render_check(c)
                    r["CreateIndex"] = r["ModifyIndex"] = 0
                    out[c["CheckID"]] = r
        return self.json_resp(ctx, gomap(out))

    def agent_health_service(self, ctx: Ctx, by: str, value: str) -> Resp:
        with self.cond:
            nkey = self.node_name.lower()
            sids = []
            if by == "id":
                if value in self.agent_services and self.agent_catalog_service(value):
                    sids = [value]
                if not sids:
                    return text_resp(404, f"ServiceId {value} not found")
            else:
                sids = [sid for sid in sorted(self.agent_services)
                        if (self.agent_catalog_service(sid) or {}).get("Service") == value]
                if not sids:
                    return text_resp(404, f"ServiceName {value} Not Found")
            results, codes = [], []
            for sid in sids:
                s = self.agent_catalog_service(sid)
                checks = self.primary.checks_for(nkey, sid) + self.primary.checks_for(nkey, "")
                status = aggregated_status(checks)
                codes.append({"passing": 200, "warning": 429}.get(status, 503))
                api_checks = []
                for c in checks:
                    api_checks.append({
                        "Node": c["Node"], "CheckID": c["CheckID"], "Name": c["Name"],
                        "Status": c["Status"], "Notes": c["Notes"], "Output": c["Output"],
                        "ServiceID": c["ServiceID"], "ServiceName": c["ServiceName"],
                        "ServiceTags": c["ServiceTags"], "Type": "", "ExposedPort": 0,
                        "Definition": {"Interval": "0s", "Timeout": "0s",
                                       "DeregisterCriticalServiceAfter": "0s", "HTTP": "",
                                       "Header": None, "Method": "", "Body": "",
                                       "TLSServerName": "", "TLSSkipVerify": False, "TCP": "",
                                       "TCPUseTLS": False, "UDP": "", "GRPC": "", "OSService": "",
                                       "GRPCUseTLS": False},
                        "CreateIndex": 0, "ModifyIndex": 0})
                results.append({"AggregatedStatus": status,
                                "Service": self.render_agent_service(s), "Checks": api_checks})
        code = max(codes) if by == "name" else codes[0]
        if ctx.get("format") == "text":
            status = results[0]["AggregatedStatus"] if by == "id" else \
                {200: "passing", 429: "warning"}.get(code, "critical")
            return text_resp(code, status)
        resp = self.json_resp(ctx, results[0] if by == "id" else results)
        resp.status = code
        return resp

    @staticmethod
    def parse_check_type(raw) -> dict:
        f = Fields(raw)
        ct = {
            "CheckID": f.str("CheckID") or f.str("ID"), "Name": f.str("Name"),
            "Status": f.str("Status"), "Notes": f.str("Notes"),
            "ScriptArgs": f.strlist("ScriptArgs") or f.strlist("Args"),
            "HTTP": f.str("HTTP"), "Header": f.get("Header"), "Method": f.str("Method"),
            "Body": f.str("Body"), "TCP": f.str("TCP"), "UDP": f.str("UDP"), "GRPC": f.str("GRPC"),
            "H2PING": f.str("H2PING"), "OSService": f.str("OSService"),
            "DockerContainerID": f.str("DockerContainerID"), "Shell": f.str("Shell"),
            "AliasNode": f.str("AliasNode"), "AliasService": f.str("AliasService"),
            "Interval": f.duration("Interval"), "Timeout": f.duration("Timeout"),
            "TTL": f.duration("TTL"),
        }
        interval_check = bool(ct["ScriptArgs"] or ct["HTTP"] or ct["TCP"] or ct["UDP"] or
                              ct["GRPC"] or ct["H2PING"] or ct["OSService"])
        alias = bool(ct["AliasNode"] or ct["AliasService"])
        if ct["Interval"] > 0 and ct["TTL"] > 0:
            raise ConsulError(400, "Invalid check: Interval and TTL cannot both be specified")
        if interval_check and ct["Interval"] <= 0:
            raise ConsulError(400, "Invalid check: Interval must be > 0 for Script, HTTP, H2PING, "
                                   "TCP, UDP or OSService checks")
        if interval_check and alias:
            raise ConsulError(400, "Invalid check: Interval cannot be set for Alias checks")
        if alias and ct["TTL"] > 0:
            raise ConsulError(400, "Invalid check: TTL must be not be set for Alias checks")
        if not interval_check and not alias and ct["TTL"] <= 0:
            raise ConsulError(400, "Invalid check: TTL must be > 0 for TTL checks")
        if ct["Status"] and ct["Status"] not in HEALTH_STATUSES:
            raise ConsulError(400, "Status for checks must 'passing', 'warning', 'critical'")
        if ct["TTL"] > 0:
            ct["Type"] = "ttl"
        elif ct["DockerContainerID"]:
            ct["Type"] = "docker"
        elif ct["ScriptArgs"]:
            ct["Type"] = "script"
        elif ct["HTTP"]:
            ct["Type"] = "http"
        elif ct["TCP"]:
            ct["Type"] = "tcp"
        elif ct["UDP"]:
            ct["Type"] = "udp"
        elif alias:
            ct["Type"] = "alias"
        elif ct["GRPC"]:
            ct["Type"] = "grpc"
        elif ct["H2PING"]:
            ct["Type"] = "h2ping"
        elif ct["OSService"]:
            ct["Type"] = "os_service"
        else:
            ct["Type"] = ""
        return ct

    def agent_register_service(self, ctx: Ctx) -> Resp:
        f = Fields(decode_json_body(ctx.body))
        name = f.str("Name") or f.str("Service")
        if not name:
            raise ConsulError(400, "Missing service name")
        sid = f.str("ID") or name
        weights_raw = f.get("Weights")
        if weights_raw is not None:
            wf = Fields(weights_raw)
            if wf.int("Passing") < 1:
                raise ConsulError(400, "Invalid Weights: Passing must be greater than 0")
            if wf.int("Warning") < 0:
                raise ConsulError(400, "Invalid Weights: Warning must be greater or equal than 0")
        svc = {"Node": self.node_name, "Kind": f.str("Kind"), "ID": sid, "Service": name,
               "Tags": f.strlist("Tags"), "Address": f.str("Address"),
               "TaggedAddresses": _service_address_map(f.get("TaggedAddresses")) or {},
               "Meta": f.strmap("Meta"), "Port": f.int("Port"), "SocketPath": f.str("SocketPath"),
               "Weights": normalize_weights(weights_raw), "EnableTagOverride": f.bool("EnableTagOverride"),
               "Proxy": normalize_proxy(f.get("Proxy")), "Connect": normalize_connect(f.get("Connect")),
               "Locality": f.get("Locality"), "CreateIndex": 0, "ModifyIndex": 0}
        try:
            ip = ipaddress.ip_address(svc["Address"]) if svc["Address"] else None
        except ValueError:
            ip = None
        if ip is not None:
            fam = "ipv4" if ip.version == 4 else "ipv6"
            for tag in (f"lan_{fam}", f"wan_{fam}"):
                svc["TaggedAddresses"].setdefault(tag, {"Address": svc["Address"], "Port": svc["Port"]})
        svc["TaggedAddresses"] = svc["TaggedAddresses"] or None
        raw_checks = ([f.get("Check")] if f.get("Check") is not None else []) + list(f.get("Checks", []) or [])
        chk_types = [self.parse_check_type(r) for r in raw_checks]
        replace = False
        if ctx.has("replace-existing-checks"):
            try:
                replace = parse_go_bool(ctx.get("replace-existing-checks") or "true")
            except ValueError:
                raise ConsulError(400, "Invalid value for replace-existing-checks")

        with self.cond:
            store = self.primary
            checks = []
            for i, ct in enumerate(chk_types):
                cid = ct["CheckID"] or (f"service:{sid}" + (f":{i + 1}" if len(chk_types) > 1 else ""))
                hc = self._new_check(self.node_name, cid, ct["Name"] or f"Service '{name}' check",
                                     status=ct["Status"] or "critical", notes=ct["Notes"],
                                     service_id=sid, ctype=ct["Type"])
                hc["Interval"] = go_duration_string(ct["Interval"]) if ct["Interval"] else ""
                hc["Timeout"] = go_duration_string(ct["Timeout"]) if ct["Timeout"] else ""
                prev = store.checks.get((self.node_name.lower(), cid.lower()))
                if prev is not None and cid in self.agent_checks:
                    hc["Status"], hc["Output"] = prev["Status"], prev["Output"]
                checks.append((hc, ct))
            keep = {hc["CheckID"] for hc, _ in checks}
            stale = [c for c, ac in self.agent_checks.items()
                     if ac["service_id"] == sid and c not in keep and ac["type"] != "maintenance"]

            def apply(idx):
                self._ensure_agent_node(store, idx)
                store.ensure_service(idx, self.node_name, svc)
                if replace:
                    for c in stale:
                        store.delete_check(idx, self.node_name, c)
                for hc, _ in checks:
                    store.ensure_check(idx, hc)
                # Checks carry copies of the service's name and tags: resync the others too.
                for ac_id, ac in self.agent_checks.items():
                    if ac["service_id"] == sid and ac_id not in keep:
                        cur = store.checks.get((self.node_name.lower(), ac_id.lower()))
                        if cur is not None:
                            store.ensure_check(idx, dict(cur))
                return True

            self.write(store, apply)
            self.agent_services[sid] = {"name": name}
            if replace:
                for c in stale:
                    self._drop_agent_check(c)
            for hc, ct in checks:
                old = self.agent_checks.get(hc["CheckID"])
                if old and old.get("timer") is not None:
                    old["timer"].cancel()
                self.agent_checks[hc["CheckID"]] = {
                    "type": ct["Type"], "ttl": ct["TTL"], "service_id": sid,
                    "last_output": old["last_output"] if old else "", "timer": None, "gen": 0}
                if ct["TTL"] > 0:
                    self._arm_ttl(hc["CheckID"])
        return Resp(200)

    def _ensure_agent_node(self, store: DCStore, idx: int) -> None:
        """Anti-entropy re-registers the agent's own node if a test removed it (or --bare)."""
        if store.nodes.get(self.node_name.lower()) is not None:
            return
        store.ensure_node(idx, {
            "ID": self.node_id, "Node": self.node_name, "Address": "127.0.0.1", "Datacenter": self.dc,
            "TaggedAddresses": {"lan": "127.0.0.1", "lan_ipv4": "127.0.0.1",
                                "wan": "127.0.0.1", "wan_ipv4": "127.0.0.1"},
            "Meta": {"consul-network-segment": "", "consul-version": self.version},
        })
        store.ensure_check(idx, self._new_check(self.node_name, "serfHealth", "Serf Health Status",
                                                status="passing", output="Agent alive and reachable"))

    def agent_deregister_service(self, ctx: Ctx, sid: str) -> Resp:
        with self.cond:
            if sid not in self.agent_services:
                raise ConsulError(404, f'Unknown service ID "{sid}"')
            store = self.primary
            self.write(store, lambda idx: store.delete_service(idx, self.node_name, sid))
            del self.agent_services[sid]
            for c, ac in list(self.agent_checks.items()):
                if ac["service_id"] == sid:
                    self._drop_agent_check(c)
        return Resp(200)

    def _arm_ttl(self, cid: str) -> None:
        ac = self.agent_checks[cid]
        if ac.get("timer") is not None:
            ac["timer"].cancel()
        self.ttl_gen += 1
        gen = self.ttl_gen
        ac["gen"] = gen
        t = threading.Timer(ac["ttl"] / SECOND, self._ttl_expired, args=(cid, gen))
        t.daemon = True
        ac["timer"] = t
        t.start()

    def _ttl_expired(self, cid: str, gen: int) -> None:
        with self.cond:
            ac = self.agent_checks.get(cid)
            if ac is None or ac["gen"] != gen or self.shutting_down:
                return
            ac["timer"] = None
            out = "TTL expired"
            if ac["last_output"]:
                out += f" (last output before timeout follows): {ac['last_output']}"
            self._set_agent_check(cid, "critical", out)

    def _set_agent_check(self, cid: str, status: str, output: str) -> None:
        store = self.primary
        cur = store.checks.get((self.node_name.lower(), cid.lower()))
        if cur is None or (cur["Status"] == status and cur["Output"] == output):
            return
        new = dict(cur, Status=status, Output=output)
        self.write(store, lambda idx: store.ensure_check(idx, new))

    def agent_check_update(self, ctx: Ctx, cid: str, status: str | None) -> Resp:
        if status is None:
            f = Fields(decode_json_body(ctx.body))
            status = f.str("Status")
            output = f.str("Output")
            if status not in HEALTH_STATUSES:
                raise ConsulError(400, f"Invalid check status: '{status}'")
        else:
            output = ctx.get("note")
        with self.cond:
            ac = self.agent_checks.get(cid)
            if ac is None:
                raise ConsulError(404, f'Unknown check ID "{cid}". Ensure that the check ID is passed, '
                                       f'not the check name.')
            if ac["type"] != "ttl":
                raise ConsulError(500, f'CheckID "{cid}" does not have associated TTL')
            raw = output.encode("utf-8")
            if len(raw) > CHECK_OUTPUT_MAX:
                output = (raw[:CHECK_OUTPUT_MAX].decode("utf-8", "ignore") +
                          f" ... (captured {CHECK_OUTPUT_MAX} of {len(raw)} bytes)")
            ac["last_output"] = output
            self._arm_ttl(cid)
            self._set_agent_check(cid, status, output)
        return Resp(200)

    def agent_service_maintenance(self, ctx: Ctx, sid: str) -> Resp:
        if not sid:
            raise ConsulError(400, "Missing service ID")
        enable = self._enable_param(ctx)
        with self.cond:
            svc = self.agent_catalog_service(sid) if sid in self.agent_services else None
            if svc is None:
                raise ConsulError(404, f'No service registered with ID "{sid}"')
            cid = SERVICE_MAINT_PREFIX + sid
            if enable:
                if cid in self.agent_checks:
                    return Resp(200)
                hc = self._new_check(self.node_name, cid, "Service Maintenance Mode",
                                     notes=ctx.get("reason") or DEFAULT_SERVICE_MAINT_REASON,
                                     service_id=svc["ID"], ctype="maintenance")
                store = self.primary
                self.write(store, lambda idx: store.ensure_check(idx, hc))
                self.agent_checks[cid] = {"type": "maintenance", "ttl": 0, "service_id": sid,
                                          "last_output": "", "timer": None, "gen": 0}
            elif cid in self.agent_checks:
                store = self.primary
                self.write(store, lambda idx: store.delete_check(idx, self.node_name, cid))
                self._drop_agent_check(cid)
        return Resp(200)

    def agent_node_maintenance(self, ctx: Ctx) -> Resp:
        enable = self._enable_param(ctx)
        with self.cond:
            store = self.primary
            cid = NODE_MAINT_CHECK_ID
            if enable:
                if cid in self.agent_checks:
                    return Resp(200)
                hc = self._new_check(self.node_name, cid, "Node Maintenance Mode",
                                     notes=ctx.get("reason") or DEFAULT_NODE_MAINT_REASON,
                                     ctype="maintenance")

                def apply(idx):
                    self._ensure_agent_node(store, idx)
                    store.ensure_check(idx, hc)

                self.write(store, apply)
                self.agent_checks[cid] = {"type": "maintenance", "ttl": 0, "service_id": "",
                                          "last_output": "", "timer": None, "gen": 0}
            elif cid in self.agent_checks:
                self.write(store, lambda idx: store.delete_check(idx, self.node_name, cid))
                self._drop_agent_check(cid)
        return Resp(200)

    @staticmethod
    def _enable_param(ctx: Ctx) -> bool:
        if not ctx.has("enable"):
            raise ConsulError(400, "Missing value for enable")
        raw = ctx.get("enable")
        try:
            return parse_go_bool(raw)
        except ValueError:
            raise ConsulError(400, f'Invalid value for enable: "{raw}"')

    # -- responses ----------------------------------------------------------------

    @staticmethod
    def json_resp(ctx: Ctx, obj, meta: dict | None = None) -> Resp:
        h = dict(meta or {})
        h["Content-Type"] = "application/json"
        return Resp(200, go_json(obj, pretty=ctx.has("pretty")), h)

    # -- /_fake control API ------------------------------------------------------------

    def stats_snapshot(self) -> dict:
        with self.cond:
            return {
                "requests": dict(sorted(self.stats_requests.items())),
                "requests_by_method": dict(sorted(self.stats_by_method.items())),
                "requests_total": self.stats_total,
                "parked": self.parked,
                "parked_by_path": dict(sorted(self.parked_by_path.items())),
                "max_parked": self.max_parked,
                "blocking_total": self.blocking_total,
                "blocking_woken": self.blocking_woken,
                "blocking_timed_out": self.blocking_timed_out,
                "failures_injected": self.failures_injected,
                "hanging": self.hanging,
                "pending_failures": [dict(r) for r in self.fail_rules],
                "index": {dc: s.index for dc, s in sorted(self.stores.items())},
                "down": time.monotonic() < self.down_until,
            }

    def control(self, ctx: Ctx) -> Resp:
        p = ctx.path
        m = ctx.method
        if p == "/_fake/stats" and m == "GET":
            return self.json_resp(ctx, self.stats_snapshot())
        if p == "/_fake/stats" and m in ("DELETE", "PUT"):
            with self.cond:
                parked, by_path = self.parked, self.parked_by_path
                self.reset_stats()
                self.parked, self.parked_by_path = parked, by_path
            return self.json_resp(ctx, True)
        if p == "/_fake/requests" and m == "GET":
            prefix = ctx.get("path")
            with self.cond:
                log = [e for e in self.request_log if e["path"].startswith(prefix)]
            limit = ctx.get("limit")
            if limit.isdigit():
                log = log[-int(limit):] if int(limit) else []
            return self.json_resp(ctx, log)
        if p == "/_fake/await" and m == "GET":
            return self.control_await(ctx)
        if p == "/_fake/fail":
            if m == "DELETE":
                with self.cond:
                    self.fail_rules = []
                return self.json_resp(ctx, True)
            if m == "PUT":
                mode = ctx.get("mode", "status")
                if mode not in ("status", "hang", "reset", "garbage", "badjson", "delay"):
                    raise ConsulError(400, f"unknown mode {mode!r}")
                rule = {
                    "path": ctx.get("path", "/v1/"),
                    "method": ctx.get("method").upper(),
                    "count": int(ctx.get("count", "1")),
                    "mode": mode,
                    "status": int(ctx.get("status", "500")),
                    "body": ctx.get("body") if ctx.has("body") else None,
                    "seconds": float(ctx.get("seconds", "30")),
                    "ms": float(ctx.get("ms", "0")),
                }
                rule["seconds"] = max(0.0, min(rule["seconds"], 600.0))
                with self.cond:
                    self.fail_rules.append(rule)
                return self.json_resp(ctx, True)
        if p == "/_fake/lastcontact" and m == "PUT":
            with self.cond:
                self.lastcontact_ms = int(ctx.get("ms", "0"))
                self.lastcontact_all = ctx.get("all") in ("1", "true")
                if ctx.has("known_leader"):
                    self.known_leader = parse_go_bool(ctx.get("known_leader"))
            return self.json_resp(ctx, True)
        if p == "/_fake/index-reset" and m == "PUT":
            dc = ctx.get("dc") or self.dc
            with self.cond:
                store = self.stores.get(dc)
                if store is None:
                    raise ConsulError(400, f"unknown datacenter {dc!r}")
                target = int(ctx.get("index", "1"))
                if target < 1 or target >= store.index:
                    raise ConsulError(400, f"index must be in [1, {store.index - 1}]")
                old = store.index
                store.shift_indexes(old - target)
                self.abandon_gen += 1
                self.changes += 1
                self.cond.notify_all()
                return self.json_resp(ctx, {"old_index": old, "new_index": store.index})
        if p == "/_fake/down" and m == "PUT":
            with self.cond:
                self.down_until = time.monotonic() + float(ctx.get("seconds", "0"))
            return self.json_resp(ctx, True)
        if p == "/_fake/reset" and m == "PUT":
            bare = None
            if ctx.has("bare"):
                bare = parse_go_bool(ctx.get("bare") or "true")
            self.reset_all(bare)
            return self.json_resp(ctx, True)
        if p == "/_fake/health" and m == "GET":
            return self.json_resp(ctx, {"ok": True, "pid": os.getpid()})
        raise ConsulError(404, f"fake-consul: unknown control endpoint {m} {p}")

    def control_await(self, ctx: Ctx) -> Resp:
        try:
            timeout = parse_go_duration(ctx.get("timeout", "5s")) / SECOND
        except ValueError:
            raise ConsulError(400, "invalid timeout")
        timeout = min(timeout, 60.0)
        path = ctx.get("path")
        want_parked = int(ctx.get("parked", "-1"))
        want_requests = int(ctx.get("requests", "-1"))
        deadline = time.monotonic() + timeout

        def state():
            if path:
                parked = sum(v for k, v in self.parked_by_path.items() if k.startswith(path))
                reqs = sum(v for k, v in self.stats_requests.items() if k.startswith(path))
            else:
                parked, reqs = self.parked, self.stats_total
            return parked, reqs

        with self.stats_cond:
            while True:
                parked, reqs = state()
                ok = (want_parked < 0 or parked >= want_parked) and (want_requests < 0 or reqs >= want_requests)
                remaining = deadline - time.monotonic()
                if ok or remaining <= 0 or self.shutting_down:
                    break
                self.stats_cond.wait(min(remaining, 0.1))
        resp = self.json_resp(ctx, {"ok": ok, "parked": parked, "requests": reqs})
        resp.status = 200 if ok else 408
        return resp


class ClientGone(Exception):
    """The client hung up while its blocking query was parked."""


def node_changes(node: dict, existing: dict) -> bool:
    """RegisterRequest.ChangesNode: any node-level field differs (nil and empty maps differ)."""
    return (node["ID"] != existing["ID"] or node["Node"].lower() != existing["Node"].lower()
            or node["Address"] != existing["Address"] or node["Datacenter"] != existing["Datacenter"]
            or node["TaggedAddresses"] != existing["TaggedAddresses"]
            or node["Meta"] != existing["Meta"])


def filter_non_passing(entries: list) -> list:
    """The HTTP agent's filterNonPassing, including its swap-with-last ordering."""
    out = list(entries)
    n = len(out)
    i = 0
    while i < n:
        if any(c["Status"] != "passing" for c in out[i]["Checks"]):
            out[i], out[n - 1] = out[n - 1], None
            n -= 1
            continue
        i += 1
    return out[:n]


def acl_requirement(ctx: Ctx, node_name: str):
    """Which (permission, resource name) Consul would report for an anonymous request."""
    p, m = ctx.path, ctx.method
    write = m in ("PUT", "POST", "DELETE")
    prefixes = [
        ("/v1/kv/", "key"), ("/v1/health/service/", "service"), ("/v1/health/checks/", "service"),
        ("/v1/catalog/service/", "service"), ("/v1/catalog/node/", "node"),
        ("/v1/health/node/", "node"),
    ]
    for prefix, res in prefixes:
        if p.startswith(prefix):
            return f"{res}:{'write' if write else 'read'}", p[len(prefix):]
    if p in ("/v1/catalog/services",):
        return "service:read", ""
    if p in ("/v1/catalog/nodes",) or p.startswith("/v1/health/state/"):
        return "node:read", ""
    if p in ("/v1/catalog/register", "/v1/catalog/deregister", "/v1/agent/maintenance"):
        return "node:write", node_name
    if p.startswith("/v1/agent/service/") or p.startswith("/v1/agent/check/"):
        return "service:write", ""
    if p.startswith("/v1/agent/"):
        return "agent:read", node_name
    return "operator:read", ""


# ---------------------------------------------------------------------------
# HTTP layer
# ---------------------------------------------------------------------------

ROUTES = [
    # (path, is_prefix, methods, handler)
    ("/v1/catalog/register", False, ("PUT",), lambda f, c, r, g: f.catalog_register(c)),
    ("/v1/catalog/deregister", False, ("PUT",), lambda f, c, r, g: f.catalog_deregister(c)),
    ("/v1/catalog/datacenters", False, ("GET",),
     lambda f, c, r, g: f.json_resp(c, [f.dc] + sorted(f.extra_dcs))),
    ("/v1/catalog/nodes", False, ("GET",), lambda f, c, r, g: f.catalog_nodes(c, g)),
    ("/v1/catalog/services", False, ("GET",), lambda f, c, r, g: f.catalog_services(c, g)),
    ("/v1/catalog/service/", True, ("GET",), lambda f, c, r, g: f.catalog_service(c, r, g)),
    ("/v1/catalog/node/", True, ("GET",), lambda f, c, r, g: f.catalog_node(c, r, g)),
    ("/v1/health/service/", True, ("GET",), lambda f, c, r, g: f.health_service(c, r, g)),
    ("/v1/health/checks/", True, ("GET",), lambda f, c, r, g: f.health_checks(c, r, g)),
    ("/v1/health/state/", True, ("GET",), lambda f, c, r, g: f.health_state(c, r, g)),
    ("/v1/health/node/", True, ("GET",), lambda f, c, r, g: f.health_node(c, r, g)),
    ("/v1/kv/", True, ("GET", "PUT", "DELETE"), lambda f, c, r, g: f.kv(c, r, g)),
    ("/v1/agent/self", False, ("GET",), lambda f, c, r, g: f.agent_self(c)),
    ("/v1/agent/services", False, ("GET",), lambda f, c, r, g: f.agent_services_resp(c)),
    ("/v1/agent/checks", False, ("GET",), lambda f, c, r, g: f.agent_checks_resp(c)),
    ("/v1/agent/service/register", False, ("PUT",), lambda f, c, r, g: f.agent_register_service(c)),
    ("/v1/agent/service/deregister/", True, ("PUT",), lambda f, c, r, g: f.agent_deregister_service(c, r)),
    ("/v1/agent/service/maintenance/", True, ("PUT",), lambda f, c, r, g: f.agent_service_maintenance(c, r)),
    ("/v1/agent/maintenance", False, ("PUT",), lambda f, c, r, g: f.agent_node_maintenance(c)),
    ("/v1/agent/check/pass/", True, ("PUT",), lambda f, c, r, g: f.agent_check_update(c, r, "passing")),
    ("/v1/agent/check/warn/", True, ("PUT",), lambda f, c, r, g: f.agent_check_update(c, r, "warning")),
    ("/v1/agent/check/fail/", True, ("PUT",), lambda f, c, r, g: f.agent_check_update(c, r, "critical")),
    ("/v1/agent/check/update/", True, ("PUT",), lambda f, c, r, g: f.agent_check_update(c, r, None)),
    ("/v1/agent/health/service/id/", True, ("GET",), lambda f, c, r, g: f.agent_health_service(c, "id", r)),
    ("/v1/agent/health/service/name/", True, ("GET",),
     lambda f, c, r, g: f.agent_health_service(c, "name", r)),
    ("/v1/status/leader", False, ("GET",), lambda f, c, r, g: f.json_resp(c, "127.0.0.1:8300")),
    ("/v1/status/peers", False, ("GET",), lambda f, c, r, g: f.json_resp(c, ["127.0.0.1:8300"])),
]

_MISSING_NAME = {
    "/v1/catalog/service/": "Missing service name",
    "/v1/health/service/": "Missing service name",
    "/v1/health/checks/": "Missing service name",
    "/v1/health/state/": "Missing check state",
    "/v1/catalog/node/": "Missing node name",
    "/v1/health/node/": "Missing node name",
    "/v1/agent/service/deregister/": "Missing service ID",
}


def find_route(path: str):
    best = None
    for route in ROUTES:
        pattern, prefix = route[0], route[1]
        if (prefix and path.startswith(pattern)) or (not prefix and path == pattern):
            if best is None or len(pattern) > len(best[0]):
                best = route
    return best


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Go's net/http (so Consul) sets TCP_NODELAY on every connection; without it
    # a response written as headers then body waits out the peer's delayed ACK (~40 ms).
    disable_nagle_algorithm = True
    fake: FakeConsul  # injected by make_server

    def log_message(self, fmt, *args):  # noqa: D401 - quiet unless --verbose
        if self.fake.verbose:
            sys.stderr.write("fake-consul: %s - %s\n" % (self.address_string(), fmt % args))

    def do_GET(self):
        self._dispatch()

    do_PUT = do_POST = do_DELETE = do_PATCH = do_GET

    def _read_body(self) -> bytes:
        te = self.headers.get("Transfer-Encoding", "")
        if "chunked" in te.lower():
            chunks = []
            while True:
                line = self.rfile.readline(65537)
                size = int(line.split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline(65537)
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length", "0") or "0")
        return self.rfile.read(length) if length > 0 else b""

    def _client_gone(self) -> bool:
        try:
            r, _, _ = select.select([self.connection], [], [], 0)
            if not r:
                return False
            return self.connection.recv(1, socket.MSG_PEEK) == b""
        except OSError:
            return True

    def _dispatch(self) -> None:
        fake = self.fake
        start = time.monotonic()
        received_ns = time.monotonic_ns()
        try:
            body = self._read_body()
        except (ValueError, OSError):
            self._send(text_resp(400, "bad request body"))
            return
        split = urlsplit(self.path)
        ctx = Ctx(self.command, unquote(split.path), split.query, self.headers, body)
        ctx.received_ns = received_ns
        if ctx.path.startswith("/_fake/"):
            try:
                resp = fake.control(ctx)
            except ConsulError as e:
                resp = text_resp(e.status, e.message, e.headers)
            except ValueError as e:
                resp = text_resp(400, f"fake-consul: bad parameter: {e}")
            self._send(resp)
            return
        fake.record_request(ctx)
        status = None
        try:
            resp = self._serve(ctx)
            if resp is None:        # connection deliberately broken / abandoned
                return
            status = resp.status
            ctx.answered_ns = time.monotonic_ns()
            self._send(resp)
            ctx.sent_ns = time.monotonic_ns()
        except ClientGone:
            self.close_connection = True
        finally:
            fake.log_request(ctx, status, time.monotonic() - start)

    def _serve(self, ctx: Ctx):
        fake = self.fake
        if fake.is_down():
            return text_resp(503, "fake-consul: agent is down (injected)")
        rule = fake.match_failure(ctx)
        if rule is not None:
            result = self._inject(rule)
            if result is not None or rule["mode"] != "delay":
                return result
        try:
            fake.check_acl(ctx)
            route = find_route(ctx.path)
            if route is None:
                return text_resp(404, "404 page not found\n", {"X-Content-Type-Options": "nosniff"})
            pattern, prefix, methods, handler = route
            if ctx.method not in methods:
                raise ConsulError(405, f"method {ctx.method} not allowed", {"Allow": ",".join(methods)})
            rest = ctx.path[len(pattern):] if prefix else ""
            if prefix and not rest and pattern in _MISSING_NAME:
                raise ConsulError(400, _MISSING_NAME[pattern])
            return handler(fake, ctx, rest, self._client_gone)
        except ConsulError as e:
            return text_resp(e.status, e.message, e.headers)

    def _inject(self, rule: dict):
        mode = rule["mode"]
        fake = self.fake
        if mode == "delay":
            time.sleep(min(rule["ms"], 600_000) / 1000)
            return None
        if mode == "status":
            body = rule["body"] if rule["body"] is not None else "fake-consul: injected failure"
            return text_resp(rule["status"], body)
        if mode == "badjson":
            return Resp(200, b'[{"Node": {"Node": "trunc', {
                "Content-Type": "application/json", "X-Consul-Index": "1",
                "X-Consul-Knownleader": "true", "X-Consul-Lastcontact": "0"})
        self.close_connection = True
        if mode == "hang":
            with fake.cond:
                fake.hanging += 1
                fake.stats_cond.notify_all()
            try:
                deadline = time.monotonic() + rule["seconds"]
                while time.monotonic() < deadline and not fake.shutting_down:
                    if self._client_gone():
                        break
                    time.sleep(min(0.05, max(0.0, deadline - time.monotonic())))
            finally:
                with fake.cond:
                    fake.hanging -= 1
                    fake.stats_cond.notify_all()
            return None
        if mode == "garbage":
            try:
                self.wfile.write(b"\x16\x03\x01\x00garbage \xff\xfe this is not HTTP\r\n\r\n")
            except OSError:
                pass
            return None
        if mode == "reset":
            try:
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.connection.close()
            except OSError:
                pass
            return None
        return None

    def _send(self, resp: Resp) -> None:
        try:
            self.send_response_only(resp.status)
            self.send_header("Date", email.utils.formatdate(usegmt=True))
            self.send_header("Vary", "Accept-Encoding")
            for k, v in resp.headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(resp.body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(resp.body)
            self.wfile.flush()
        except OSError:
            self.close_connection = True


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


def make_server(fake: FakeConsul, port: int = 0, host: str = "127.0.0.1") -> Server:
    handler = type("BoundHandler", (Handler,), {"fake": fake})
    return Server((host, port), handler)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Consul HTTP API test double")
    ap.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0 = random)")
    ap.add_argument("--port-file", help="write the bound port to this file")
    ap.add_argument("--datacenter", default="dc1")
    ap.add_argument("--extra-datacenters", default="", help="comma-separated extra datacenters")
    ap.add_argument("--node-name", default="agent-1")
    ap.add_argument("--token", default="", help="enable ACLs: the only accepted token")
    ap.add_argument("--consul-version", default=CONSUL_VERSION)
    ap.add_argument("--bare", action="store_true", help="start with an empty catalog")
    ap.add_argument("--no-jitter", action="store_true", help="no random extra wait on blocking queries")
    ap.add_argument("--exit-on-stdin-eof", action="store_true")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--fast-writes", action="store_true", help="no rollback copy per write (for loading large catalogs)")
    args = ap.parse_args(argv)
    # Handler threads share the GIL: a thread that a write or an arriving
    # request makes runnable waits for the running one to yield, by default
    # up to 5 ms, which dominated the wake-up of a parked query. Consul's
    # goroutines are preempted far sooner.
    sys.setswitchinterval(0.0005)

    fake = FakeConsul(datacenter=args.datacenter, node_name=args.node_name, token=args.token,
                      extra_datacenters=[d.strip() for d in args.extra_datacenters.split(",")],
                      bare=args.bare, jitter=not args.no_jitter, version=args.consul_version,
                      verbose=args.verbose)
    fake.fast_writes = args.fast_writes
    server = make_server(fake, args.port)
    port = server.server_address[1]
    if args.port_file:
        tmp = f"{args.port_file}.tmp.{os.getpid()}"
        with open(tmp, "w") as fh:
            fh.write(f"{port}\n")
        os.replace(tmp, args.port_file)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    if args.exit_on_stdin_eof:
        def watch_stdin():
            # os.read, not sys.stdin: a daemon thread blocked inside a buffered
            # reader aborts interpreter shutdown.
            try:
                while os.read(0, 4096):
                    pass
            except OSError:
                pass
            stop.set()
        threading.Thread(target=watch_stdin, name="stdin-eof", daemon=True).start()

    serve = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                             name="serve", daemon=True)
    serve.start()
    print(f"LISTENING {port}", flush=True)
    while not stop.wait(0.2):
        pass
    with fake.cond:
        fake.shutting_down = True
        fake.cond.notify_all()
        fake.stats_cond.notify_all()
    server.shutdown()
    server.server_close()
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # Skip interpreter teardown: parked daemon threads and timers need no cleanup.
    os._exit(code)
