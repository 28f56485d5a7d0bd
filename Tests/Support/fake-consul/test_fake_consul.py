"""Self-test for fake_consul.py. Run from this folder: python3 -m unittest -v

Starts the server as a subprocess on a random port (with --exit-on-stdin-eof so a
crashed test run never leaves it behind) and drives it through the HTTP API.
"""

import http.client
import json
import os
import select
import subprocess
import sys
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "fake_consul.py")
sys.path.insert(0, HERE)

import fake_consul  # noqa: E402  (unit tests of the Go-compatibility helpers)


class ServerProcess:
    """A fake_consul.py subprocess bound to a random port."""

    def __init__(self, *extra):
        self.proc = subprocess.Popen(
            [sys.executable, SCRIPT, "--port", "0", "--no-jitter", "--exit-on-stdin-eof", *extra],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 10
        line = b""
        while not line.endswith(b"\n"):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.stop()
                raise RuntimeError("fake_consul did not report its port")
            ready, _, _ = select.select([self.proc.stdout], [], [], remaining)
            if ready:
                chunk = os.read(self.proc.stdout.fileno(), 1)
                if not chunk:
                    self.stop()
                    raise RuntimeError("fake_consul exited early")
                line += chunk
        word, port = line.decode().split()
        assert word == "LISTENING"
        self.port = int(port)

    def stop(self):
        if self.proc.poll() is None:
            try:
                self.proc.stdin.close()
            except OSError:
                pass
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.terminate()
                try:
                    self.proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait(timeout=5)
        for f in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            try:
                f.close()
            except OSError:
                pass


class Client:
    """A keep-alive HTTP/1.1 client."""

    def __init__(self, port, timeout=10.0):
        self.port = port
        self.timeout = timeout
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)

    def close(self):
        self.conn.close()

    def request(self, method, path, body=None, headers=None):
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
        elif isinstance(body, str):
            body = body.encode()
        self.conn.request(method, path, body=body, headers=headers or {})
        resp = self.conn.getresponse()
        data = resp.read()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data

    def get_json(self, path, headers=None):
        status, h, data = self.request("GET", path, headers=headers)
        if status != 200:
            raise AssertionError(f"GET {path}: {status} {data!r}")
        return json.loads(data), h

    def put(self, path, body=None, headers=None):
        return self.request("PUT", path, body=body, headers=headers)


class FakeConsulTest(unittest.TestCase):
    server: ServerProcess

    @classmethod
    def setUpClass(cls):
        cls.server = ServerProcess()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def setUp(self):
        self.c = Client(self.server.port)
        status, _, _ = self.c.put("/_fake/reset")
        self.assertEqual(status, 200)

    def tearDown(self):
        self.c.close()

    # -- helpers -------------------------------------------------------------

    def register_external(self, node="n1", address="10.0.0.1", service=None, checks=(), **extra):
        body = {"Node": node, "Address": address}
        if service is not None:
            body["Service"] = service
        if checks:
            body["Checks"] = list(checks)
        body.update(extra)
        status, _, data = self.c.put("/v1/catalog/register", body)
        self.assertEqual((status, data), (200, b"true"))

    def index_of(self, path):
        _, h = self.c.get_json(path)
        return int(h["x-consul-index"])

    # -- shapes ----------------------------------------------------------------

    def test_bootstrap_and_metadata_headers(self):
        services, h = self.c.get_json("/v1/catalog/services")
        self.assertEqual(services, {"consul": []})
        self.assertGreater(int(h["x-consul-index"]), 0)
        self.assertEqual(h["x-consul-knownleader"], "true")
        self.assertEqual(h["x-consul-lastcontact"], "0")
        self.assertEqual(h["content-type"], "application/json")
        me, h = self.c.get_json("/v1/agent/self")
        self.assertEqual(me["Config"]["NodeName"], "agent-1")
        self.assertEqual(me["Config"]["Datacenter"], "dc1")
        self.assertEqual(me["Member"]["Name"], "agent-1")
        self.assertNotIn("x-consul-index", h)
        self.assertEqual(self.c.get_json("/v1/status/leader")[0], "127.0.0.1:8300")
        self.assertEqual(self.c.get_json("/v1/status/peers")[0], ["127.0.0.1:8300"])
        self.assertEqual(self.c.get_json("/v1/catalog/datacenters")[0], ["dc1"])
        status, _, data = self.c.request("GET", "/v1/catalog/services?dc=nowhere")
        self.assertEqual((status, data), (500, b"No path to datacenter"))

    def test_health_service_shape_for_agent_registration(self):
        status, _, _ = self.c.put("/v1/agent/service/register", {
            "Name": "web", "ID": "web-1", "Tags": ["v1", "blue"], "Port": 8080,
            "Address": "10.1.2.3", "Meta": {"team": "a"},
            "Check": {"TTL": "30s", "Notes": "app heartbeat"}})
        self.assertEqual(status, 200)
        status, _, _ = self.c.put("/v1/agent/check/pass/service:web-1?note=all+good")
        self.assertEqual(status, 200)
        entries, h = self.c.get_json("/v1/health/service/web")
        self.assertEqual(len(entries), 1)
        e = entries[0]
        self.assertEqual(list(e), ["Node", "Service", "Checks"])
        self.assertEqual(list(e["Node"]), ["ID", "Node", "Address", "Datacenter", "TaggedAddresses",
                                           "Meta", "CreateIndex", "ModifyIndex"])
        self.assertEqual(e["Node"]["Node"], "agent-1")
        svc = e["Service"]
        self.assertEqual(list(svc), ["ID", "Service", "Tags", "Address", "TaggedAddresses", "Meta",
                                     "Port", "Weights", "EnableTagOverride", "Proxy", "Connect",
                                     "PeerName", "CreateIndex", "ModifyIndex"])
        self.assertEqual(svc["TaggedAddresses"], {"lan_ipv4": {"Address": "10.1.2.3", "Port": 8080},
                                                  "wan_ipv4": {"Address": "10.1.2.3", "Port": 8080}})
        self.assertEqual(svc["Weights"], {"Passing": 1, "Warning": 1})
        self.assertEqual(svc["Proxy"], {"Mode": "", "MeshGateway": {}, "Expose": {}})
        # Node-level checks (serfHealth) come first, then the service's checks.
        self.assertEqual([c["CheckID"] for c in e["Checks"]], ["serfHealth", "service:web-1"])
        check = e["Checks"][1]
        self.assertEqual(list(check), ["Node", "CheckID", "Name", "Status", "Notes", "Output",
                                       "ServiceID", "ServiceName", "ServiceTags", "Type", "Interval",
                                       "Timeout", "ExposedPort", "Definition", "CreateIndex",
                                       "ModifyIndex"])
        self.assertEqual((check["Status"], check["Output"], check["Notes"], check["Type"]),
                         ("passing", "all good", "app heartbeat", "ttl"))
        self.assertEqual(check["ServiceTags"], ["v1", "blue"])
        self.assertEqual(check["Name"], "Service 'web' check")
        self.assertEqual(e["Checks"][0]["ServiceTags"], [])
        self.assertEqual(int(h["x-consul-index"]), check["ModifyIndex"])
        # catalog views of the same instance
        nodes, _ = self.c.get_json("/v1/catalog/service/web")
        self.assertEqual(nodes[0]["ServiceID"], "web-1")
        self.assertEqual(nodes[0]["ServiceTags"], ["v1", "blue"])
        self.assertEqual(nodes[0]["Address"], "127.0.0.1")
        self.assertEqual(nodes[0]["ServicePort"], 8080)
        self.assertIsNone(nodes[0]["ServiceLocality"])
        services, _ = self.c.get_json("/v1/catalog/services")
        self.assertEqual(services, {"consul": [], "web": ["v1", "blue"]})
        node, _ = self.c.get_json("/v1/catalog/node/agent-1")
        self.assertEqual(sorted(node["Services"]), ["consul", "web-1"])
        checks, _ = self.c.get_json("/v1/health/checks/web")
        self.assertEqual([c["CheckID"] for c in checks], ["service:web-1"])
        agent_services, _ = self.c.get_json("/v1/agent/services")
        self.assertEqual(agent_services["web-1"]["Service"], "web")

    def test_exact_json_bytes(self):
        self.register_external("n1", "10.0.0.1", service={"Service": "db", "Port": 5432})
        status, _, data = self.c.request("GET", "/v1/catalog/service/db")
        self.assertEqual(status, 200)
        idx = json.loads(data)[0]["CreateIndex"]
        expected = (
            '[{"ID":"","Node":"n1","Address":"10.0.0.1","Datacenter":"dc1","TaggedAddresses":null,'
            '"NodeMeta":null,"ServiceKind":"","ServiceID":"db","ServiceName":"db","ServiceTags":[],'
            '"ServiceAddress":"","ServiceWeights":{"Passing":1,"Warning":1},"ServiceMeta":null,'
            '"ServicePort":5432,"ServiceSocketPath":"","ServiceEnableTagOverride":false,'
            '"ServiceProxy":{"Mode":"","MeshGateway":{},"Expose":{}},"ServiceConnect":{},'
            f'"ServiceLocality":null,"CreateIndex":{idx},"ModifyIndex":{idx}}}]')
        self.assertEqual(data.decode(), expected)

    def test_passing_and_tag_filters(self):
        self.register_external("n1", "10.0.0.1", service={"ID": "api-1", "Service": "api", "Tags": ["Prod", "v2"]},
                               checks=[{"CheckID": "c1", "Name": "c1", "ServiceID": "api-1", "Status": "passing"}])
        self.register_external("n2", "10.0.0.2", service={"ID": "api-2", "Service": "api", "Tags": ["prod"]},
                               checks=[{"CheckID": "c2", "Name": "c2", "ServiceID": "api-2", "Status": "warning"}])
        self.register_external("n3", "10.0.0.3", service={"ID": "api-3", "Service": "api", "Tags": ["prod"]},
                               checks=[{"CheckID": "node-ok", "Name": "node", "Status": "critical"}])
        all_entries, _ = self.c.get_json("/v1/health/service/api")
        self.assertEqual([e["Service"]["ID"] for e in all_entries], ["api-1", "api-2", "api-3"])
        passing, _ = self.c.get_json("/v1/health/service/api?passing")
        self.assertEqual([e["Service"]["ID"] for e in passing], ["api-1"])
        passing, _ = self.c.get_json("/v1/health/service/api?passing=false")
        self.assertEqual(len(passing), 3)
        status, _, data = self.c.request("GET", "/v1/health/service/api?passing=maybe")
        self.assertEqual((status, data), (400, b"Invalid value for ?passing"))
        tagged, _ = self.c.get_json("/v1/health/service/api?tag=prod")   # case-insensitive
        self.assertEqual(len(tagged), 3)
        tagged, _ = self.c.get_json("/v1/health/service/api?tag=prod&tag=v2")  # all must match
        self.assertEqual([e["Service"]["ID"] for e in tagged], ["api-1"])
        tagged, _ = self.c.get_json("/v1/catalog/service/api?tag=v2")
        self.assertEqual([e["ServiceID"] for e in tagged], ["api-1"])
        # accepted-and-ignored parameters
        entries, _ = self.c.get_json("/v1/health/service/api?near=_agent&ns=default&partition=default&stale")
        self.assertEqual(len(entries), 3)
        entries, _ = self.c.get_json("/v1/health/service/api?peer=other")
        self.assertEqual(entries, [])
        critical, _ = self.c.get_json("/v1/health/state/critical")
        self.assertEqual([c["CheckID"] for c in critical], ["node-ok"])
        warning, _ = self.c.get_json("/v1/health/state/warning")
        self.assertEqual([c["CheckID"] for c in warning], ["c2"])
        nodes, _ = self.c.get_json("/v1/catalog/nodes")
        self.assertEqual([n["Node"] for n in nodes], ["agent-1", "n1", "n2", "n3"])

    def test_agent_checks_and_maintenance(self):
        self.c.put("/v1/agent/service/register", {
            "Name": "worker", "Checks": [{"TTL": "30s"}, {"TTL": "30s", "Name": "second"}]})
        entry = self.c.get_json("/v1/health/service/worker")[0][0]
        self.assertEqual([(c["CheckID"], c["Status"]) for c in entry["Checks"]],
                         [("serfHealth", "passing"), ("service:worker:1", "critical"),
                          ("service:worker:2", "critical")])
        self.c.put("/v1/agent/check/warn/service:worker:1?note=slow")
        self.c.put("/v1/agent/check/update/service:worker:2", {"Status": "passing", "Output": "fine"})
        entry = self.c.get_json("/v1/health/service/worker")[0][0]
        self.assertEqual([(c["Status"], c["Output"]) for c in entry["Checks"][1:]],
                         [("warning", "slow"), ("passing", "fine")])
        status, _, data = self.c.put("/v1/agent/check/update/service:worker:2", {"Status": "bogus"})
        self.assertEqual((status, data), (400, b"Invalid check status: 'bogus'"))
        status, _, data = self.c.put("/v1/agent/check/pass/nope")
        self.assertEqual(status, 404)
        self.assertTrue(data.startswith(b'Unknown check ID "nope"'))
        status, _, data = self.c.put("/v1/agent/check/pass/serfHealth")
        self.assertEqual(status, 404)

        status, _, _ = self.c.put("/v1/agent/service/maintenance/worker?enable=true&reason=deploying")
        self.assertEqual(status, 200)
        entry = self.c.get_json("/v1/health/service/worker")[0][0]
        maint = [c for c in entry["Checks"] if c["CheckID"] == "_service_maintenance:worker"]
        self.assertEqual(len(maint), 1)
        self.assertEqual((maint[0]["Status"], maint[0]["Notes"], maint[0]["Name"]),
                         ("critical", "deploying", "Service Maintenance Mode"))
        status, _, body = self.c.request("GET", "/v1/agent/health/service/id/worker")
        self.assertEqual(status, 503)
        self.assertEqual(json.loads(body)["AggregatedStatus"], "maintenance")
        self.c.put("/v1/agent/service/maintenance/worker?enable=false")
        entry = self.c.get_json("/v1/health/service/worker")[0][0]
        self.assertNotIn("_service_maintenance:worker", [c["CheckID"] for c in entry["Checks"]])
        status, _, data = self.c.put("/v1/agent/service/maintenance/ghost?enable=true")
        self.assertEqual((status, data), (404, b'No service registered with ID "ghost"'))
        status, _, data = self.c.put("/v1/agent/service/maintenance/worker")
        self.assertEqual((status, data), (400, b"Missing value for enable"))

        self.c.put("/v1/agent/maintenance?enable=true")
        entry = self.c.get_json("/v1/health/service/worker")[0][0]
        self.assertEqual(entry["Checks"][0]["CheckID"], "_node_maintenance")
        self.assertEqual(self.c.get_json("/v1/health/service/worker?passing")[0], [])
        self.c.put("/v1/agent/maintenance?enable=false")

        status, _, _ = self.c.put("/v1/agent/service/deregister/worker")
        self.assertEqual(status, 200)
        self.assertEqual(self.c.get_json("/v1/health/service/worker")[0], [])
        status, _, _ = self.c.put("/v1/agent/service/deregister/worker")
        self.assertEqual(status, 404)

    def test_ttl_expiry(self):
        self.c.put("/v1/agent/service/register", {"Name": "beat", "Check": {"TTL": "300ms"}})
        self.c.put("/v1/agent/check/pass/service:beat?note=alive")
        self.assertEqual(self.c.get_json("/v1/health/checks/beat")[0][0]["Status"], "passing")
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            check = self.c.get_json("/v1/health/checks/beat")[0][0]
            if check["Status"] == "critical":
                break
            time.sleep(0.05)
        self.assertEqual(check["Status"], "critical")
        self.assertEqual(check["Output"], "TTL expired (last output before timeout follows): alive")

    def test_kv(self):
        status, _, data = self.c.put("/v1/kv/app/config?flags=42", "hello")
        self.assertEqual((status, data), (200, b"true"))
        self.c.put("/v1/kv/app/db/url", "postgres://x")
        self.c.put("/v1/kv/app/db/user", "")
        entries, h = self.c.get_json("/v1/kv/app/config")
        self.assertEqual(list(entries[0]), ["LockIndex", "Key", "Flags", "Value", "CreateIndex", "ModifyIndex"])
        self.assertEqual(entries[0]["Value"], "aGVsbG8=")
        self.assertEqual(entries[0]["Flags"], 42)
        self.assertEqual(int(h["x-consul-index"]), entries[0]["ModifyIndex"])
        self.assertIsNone(self.c.get_json("/v1/kv/app/db/user")[0][0]["Value"])
        status, h, data = self.c.request("GET", "/v1/kv/app/config?raw")
        self.assertEqual((status, data, h["content-type"]), (200, b"hello", "text/plain"))
        entries, _ = self.c.get_json("/v1/kv/app/?recurse")
        self.assertEqual([e["Key"] for e in entries], ["app/config", "app/db/url", "app/db/user"])
        keys, _ = self.c.get_json("/v1/kv/app/?keys&separator=/")
        self.assertEqual(keys, ["app/config", "app/db/"])
        keys, _ = self.c.get_json("/v1/kv/?keys")
        self.assertEqual(keys, ["app/config", "app/db/url", "app/db/user"])
        status, h, data = self.c.request("GET", "/v1/kv/missing")
        self.assertEqual((status, data), (404, b""))
        self.assertGreater(int(h["x-consul-index"]), 0)
        status, _, _ = self.c.request("GET", "/v1/kv/missing/?keys")
        self.assertEqual(status, 404)
        # check-and-set
        mi = self.c.get_json("/v1/kv/app/config")[0][0]["ModifyIndex"]
        self.assertEqual(self.c.put(f"/v1/kv/app/config?cas={mi + 100}", "x")[2], b"false")
        self.assertEqual(self.c.put(f"/v1/kv/app/config?cas={mi}", "x")[2], b"true")
        self.assertEqual(self.c.put("/v1/kv/app/config?cas=0", "y")[2], b"false")
        self.assertEqual(self.c.put("/v1/kv/new?cas=0", "y")[2], b"true")
        e = self.c.get_json("/v1/kv/app/config")[0][0]
        self.assertEqual((e["Flags"], e["CreateIndex"] < e["ModifyIndex"]), (0, True))
        # deletes
        status, _, data = self.c.request("DELETE", "/v1/kv/app/db?recurse")
        self.assertEqual((status, data), (200, b"true"))
        keys, _ = self.c.get_json("/v1/kv/?keys")
        self.assertEqual(keys, ["app/config", "new"])
        self.assertEqual(self.c.request("DELETE", "/v1/kv/new")[2], b"true")
        status, _, data = self.c.request("GET", "/v1/kv/")
        self.assertEqual((status, data), (400, b"Missing key name"))

    # -- indexes and blocking -------------------------------------------------------------

    def test_index_semantics(self):
        self.register_external("n1", service={"Service": "web"})
        web = self.index_of("/v1/health/service/web")
        services = self.index_of("/v1/catalog/services")
        self.c.put("/v1/kv/foo", "bar")                   # KV writes do not touch the catalog
        self.assertEqual(self.index_of("/v1/health/service/web"), web)
        self.assertEqual(self.index_of("/v1/catalog/services"), services)
        self.register_external("n2", "10.0.0.2", service={"Service": "other"})
        self.assertEqual(self.index_of("/v1/health/service/web"), web)      # per-service index
        self.assertGreater(self.index_of("/v1/catalog/services"), services)
        self.register_external("n1", service={"Service": "web"})             # idempotent
        self.assertEqual(self.index_of("/v1/health/service/web"), web)
        self.register_external("n1", service={"Service": "web", "Port": 81})
        self.assertGreater(self.index_of("/v1/health/service/web"), web)
        kv = self.index_of("/v1/kv/foo")
        self.c.put("/v1/kv/zzz", "1")
        self.assertEqual(self.index_of("/v1/kv/foo"), kv)                   # single key: its ModifyIndex
        self.assertGreater(self.index_of("/v1/kv/?recurse"), kv)
        # a service that never existed still reports a non-zero index
        self.assertGreater(self.index_of("/v1/health/service/nothing"), 0)

    def _blocking_get(self, path, result):
        client = Client(self.server.port, timeout=15)
        try:
            status, h, data = client.request("GET", path)
            result.update(status=status, index=int(h["x-consul-index"]), body=data, at=time.monotonic())
        except Exception as e:  # pragma: no cover - reported by the assertions below
            result.update(error=e, at=time.monotonic())
        finally:
            client.close()

    def test_blocking_query_wakes_on_change(self):
        self.register_external("n1", service={"Service": "web"})
        idx = self.index_of("/v1/health/service/web")
        result = {}
        t = threading.Thread(target=self._blocking_get,
                             args=(f"/v1/health/service/web?index={idx}&wait=5s", result))
        t.start()
        status, _, data = self.c.request("GET", "/_fake/await?parked=1&path=/v1/health/service/web&timeout=5s")
        self.assertEqual(status, 200, data)
        stats, _ = self.c.get_json("/_fake/stats")
        self.assertEqual(stats["parked"], 1)
        self.assertEqual(stats["parked_by_path"], {"/v1/health/service/web": 1})
        # an unrelated write must not wake it
        self.c.put("/v1/kv/noise", "1")
        time.sleep(0.1)
        self.assertEqual(self.c.get_json("/_fake/stats")[0]["parked"], 1)
        start = time.monotonic()
        self.register_external("n2", "10.0.0.2", service={"Service": "web"})
        t.join(5)
        self.assertFalse(t.is_alive())
        self.assertNotIn("error", result)
        self.assertEqual(result["status"], 200)
        self.assertGreater(result["index"], idx)
        self.assertLess(result["at"] - start, 0.2)
        self.assertEqual(len(json.loads(result["body"])), 2)
        self.assertEqual(self.c.get_json("/_fake/stats")[0]["parked"], 0)

    def test_blocking_query_times_out(self):
        self.c.put("/v1/kv/k", "v")
        idx = self.index_of("/v1/kv/k")
        start = time.monotonic()
        status, h, data = self.c.request("GET", f"/v1/kv/k?index={idx}&wait=1s")
        elapsed = time.monotonic() - start
        self.assertEqual(status, 200)
        self.assertEqual(int(h["x-consul-index"]), idx)
        self.assertGreaterEqual(elapsed, 0.95)
        self.assertLess(elapsed, 1.5)
        self.assertEqual(json.loads(data)[0]["Value"], "dg==")
        log, _ = self.c.get_json("/_fake/requests?path=/v1/kv/k&limit=1")
        self.assertEqual((log[0]["blocked"], log[0]["wait"]), (True, "1s"))

    def test_wait_and_index_parsing(self):
        status, _, data = self.c.request("GET", "/v1/catalog/services?index=1&wait=5")
        self.assertEqual((status, data), (400, b"Invalid wait time"))
        status, _, data = self.c.request("GET", "/v1/catalog/services?index=abc")
        self.assertEqual((status, data), (400, b"Invalid index"))
        status, _, data = self.c.request("GET", "/v1/catalog/services?stale&consistent")
        self.assertEqual(status, 400)
        # index=0 never blocks; an index below the current one returns at once
        start = time.monotonic()
        self.c.get_json("/v1/catalog/services?index=0&wait=10s")
        self.c.get_json("/v1/catalog/services?index=1&wait=10s")
        self.assertLess(time.monotonic() - start, 0.5)

    def test_index_reset(self):
        self.register_external("n1", service={"Service": "web"})
        idx = self.index_of("/v1/health/service/web")
        result = {}
        t = threading.Thread(target=self._blocking_get,
                             args=(f"/v1/health/service/web?index={idx}&wait=5s", result))
        t.start()
        self.assertEqual(self.c.request("GET", "/_fake/await?parked=1&timeout=5s")[0], 200)
        status, _, data = self.c.put("/_fake/index-reset?index=2")
        self.assertEqual(status, 200, data)
        t.join(5)
        self.assertFalse(t.is_alive())
        self.assertLess(result["index"], idx)
        self.assertLess(self.index_of("/v1/catalog/services"), idx)

    def test_lastcontact_and_known_leader(self):
        self.c.put("/_fake/lastcontact?ms=1500&known_leader=false")
        _, h = self.c.get_json("/v1/catalog/services?stale")
        self.assertEqual((h["x-consul-lastcontact"], h["x-consul-knownleader"]), ("1500", "false"))
        self.assertEqual(h["x-consul-effective-consistency"], "stale")
        _, h = self.c.get_json("/v1/catalog/services")      # leader reads have no lag
        self.assertEqual(h["x-consul-lastcontact"], "0")
        self.c.put("/_fake/lastcontact?ms=1500&all=true")
        _, h = self.c.get_json("/v1/catalog/services")
        self.assertEqual(h["x-consul-lastcontact"], "1500")

    # -- fault injection and stats ---------------------------------------------------------

    def test_failure_injection(self):
        self.c.put("/v1/kv/a", "1")
        self.c.put("/_fake/fail?status=500&count=2&path=/v1/kv/&body=No+cluster+leader")
        for _ in range(2):
            status, _, data = self.c.request("GET", "/v1/kv/a")
            self.assertEqual((status, data), (500, b"No cluster leader"))
        self.assertEqual(self.c.request("GET", "/v1/kv/a")[0], 200)
        self.assertEqual(self.c.get_json("/_fake/stats")[0]["failures_injected"], 2)

        self.c.put("/_fake/fail?mode=reset&path=/v1/kv/a")
        fresh = Client(self.server.port)
        with self.assertRaises((ConnectionError, http.client.HTTPException)):
            fresh.request("GET", "/v1/kv/a")
        fresh.close()

        self.c.put("/_fake/fail?mode=garbage&path=/v1/kv/a")
        fresh = Client(self.server.port)
        with self.assertRaises((http.client.HTTPException, ConnectionError)):
            fresh.request("GET", "/v1/kv/a")
        fresh.close()

        self.c.put("/_fake/fail?mode=badjson&path=/v1/kv/a")
        status, _, data = self.c.request("GET", "/v1/kv/a")
        self.assertEqual(status, 200)
        with self.assertRaises(ValueError):
            json.loads(data)

        self.c.put("/_fake/fail?mode=hang&seconds=0.5&path=/v1/kv/a")
        fresh = Client(self.server.port)
        start = time.monotonic()
        with self.assertRaises((ConnectionError, http.client.HTTPException)):
            fresh.request("GET", "/v1/kv/a")
        self.assertGreaterEqual(time.monotonic() - start, 0.4)
        fresh.close()

        self.c.put("/_fake/fail?mode=delay&ms=300&path=/v1/kv/a")
        start = time.monotonic()
        self.assertEqual(self.c.request("GET", "/v1/kv/a")[0], 200)
        self.assertGreaterEqual(time.monotonic() - start, 0.25)

        self.c.put("/_fake/down?seconds=0.3")
        status, _, _ = self.c.request("GET", "/v1/kv/a")
        self.assertEqual(status, 503)
        time.sleep(0.35)
        self.assertEqual(self.c.request("GET", "/v1/kv/a")[0], 200)

    def test_stats_counts(self):
        self.c.put("/_fake/stats")   # zero the counters
        for _ in range(3):
            self.c.get_json("/v1/catalog/services")
        self.c.request("GET", "/v1/kv/x")
        stats, _ = self.c.get_json("/_fake/stats")
        self.assertEqual(stats["requests"], {"/v1/catalog/services": 3, "/v1/kv/x": 1})
        self.assertEqual(stats["requests_by_method"]["GET /v1/catalog/services"], 3)
        self.assertEqual(stats["requests_total"], 4)
        self.assertEqual(stats["parked"], 0)

    def test_errors_and_methods(self):
        status, h, data = self.c.request("GET", "/v1/catalog/register")
        self.assertEqual((status, data), (405, b"method GET not allowed"))
        status, _, data = self.c.request("GET", "/v1/nope")
        self.assertEqual((status, data), (404, b"404 page not found\n"))
        status, _, data = self.c.put("/v1/catalog/register", {"Address": "1.2.3.4"})
        self.assertEqual((status, data), (500, b"Must provide node"))
        status, _, data = self.c.put("/v1/catalog/register", {
            "Node": "n9", "Address": "1.2.3.4", "Check": {"CheckID": "x", "ServiceID": "missing"}})
        self.assertEqual((status, data), (500, b"Missing service registration"))
        nodes, _ = self.c.get_json("/v1/catalog/nodes")   # the failed write left nothing behind
        self.assertNotIn("n9", [n["Node"] for n in nodes])
        status, _, data = self.c.request("GET", "/v1/catalog/node/ghost")
        self.assertEqual((status, data), (200, b"null"))

    def test_deregister(self):
        self.register_external("n1", service={"ID": "w1", "Service": "web"},
                               checks=[{"CheckID": "w1-check", "ServiceID": "w1", "Status": "passing"}])
        self.register_external("n1", service={"ID": "w2", "Service": "web"})
        self.c.put("/v1/catalog/deregister", {"Node": "n1", "ServiceID": "w1"})
        entries, _ = self.c.get_json("/v1/health/service/web")
        self.assertEqual([e["Service"]["ID"] for e in entries], ["w2"])
        self.c.put("/v1/catalog/deregister", {"Node": "n1"})
        self.assertEqual(self.c.get_json("/v1/health/service/web")[0], [])
        self.assertEqual(self.c.get_json("/v1/catalog/services")[0], {"consul": []})


class AclTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = ServerProcess("--token", "s3cret", "--extra-datacenters", "dc2")

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_acl(self):
        c = Client(self.server.port)
        try:
            status, _, data = c.request("GET", "/v1/kv/app/x")
            self.assertEqual(status, 403)
            self.assertEqual(data, b"Permission denied: anonymous token lacks permission 'key:read' on \"app/x\"")
            status, _, data = c.request("GET", "/v1/health/service/web", headers={"X-Consul-Token": "wrong"})
            self.assertEqual((status, data), (403, b"ACL not found"))
            self.assertEqual(c.request("GET", "/v1/health/service/web",
                                       headers={"X-Consul-Token": "s3cret"})[0], 200)
            self.assertEqual(c.request("GET", "/v1/health/service/web?token=s3cret")[0], 200)
            self.assertEqual(c.request("GET", "/v1/health/service/web",
                                       headers={"Authorization": "Bearer s3cret"})[0], 200)
            self.assertEqual(c.request("GET", "/v1/status/leader")[0], 200)
            status, _, data = c.request("GET", "/v1/catalog/datacenters")
            self.assertEqual(json.loads(data), ["dc1", "dc2"])
            # the second datacenter is a separate catalog with its own server node
            status, _, data = c.request("GET", "/v1/catalog/nodes?dc=dc2&token=s3cret")
            self.assertEqual([n["Node"] for n in json.loads(data)], ["server-dc2"])
        finally:
            c.close()


class LifecycleTest(unittest.TestCase):
    def test_exits_on_stdin_eof_and_writes_port_file(self):
        import tempfile
        with tempfile.TemporaryDirectory() as d:
            port_file = os.path.join(d, "port")
            server = ServerProcess("--port-file", port_file)
            try:
                with open(port_file) as fh:
                    self.assertEqual(int(fh.read()), server.port)
                server.proc.stdin.close()
                self.assertEqual(server.proc.wait(timeout=5), 0)
            finally:
                server.stop()

    def test_sigterm(self):
        server = ServerProcess()
        try:
            server.proc.terminate()
            self.assertEqual(server.proc.wait(timeout=5), 0)
        finally:
            server.stop()


class GoCompatTest(unittest.TestCase):
    def test_parse_duration(self):
        cases = {"10s": 10 * 10**9, "1m": 60 * 10**9, "1m30s": 90 * 10**9, "250ms": 250 * 10**6,
                 "1.5s": 1500 * 10**6, "0": 0, "-2s": -2 * 10**9, "1h": 3600 * 10**9, ".5s": 5 * 10**8,
                 "100us": 10**5, "3\u00b5s": 3000, "7ns": 7}
        for text, ns in cases.items():
            self.assertEqual(fake_consul.parse_go_duration(text), ns, text)
        for bad in ("", "5", "s", "1x", ".s", "1s ", "--1s"):
            with self.assertRaises(ValueError, msg=bad):
                fake_consul.parse_go_duration(bad)

    def test_duration_string(self):
        cases = {0: "0s", 10**9: "1s", 90 * 10**9: "1m30s", 3600 * 10**9: "1h0m0s",
                 1500 * 10**6: "1.5s", 250 * 10**6: "250ms", 1500: "1.5\u00b5s", 7: "7ns",
                 -10**9: "-1s", 60 * 10**9: "1m0s"}
        for ns, text in cases.items():
            self.assertEqual(fake_consul.go_duration_string(ns), text)

    def test_go_json(self):
        self.assertEqual(fake_consul.go_json({"b": "<&>", "a": [1, None, True], "c": {}, "d": 1e-05}),
                         b'{"b":"\\u003c\\u0026\\u003e","a":[1,null,true],"c":{},"d":0.00001}')
        self.assertEqual(fake_consul.go_json({"a": [1], "b": []}, pretty=True),
                         b'{\n    "a": [\n        1\n    ],\n    "b": []\n}\n')

    def test_aggregated_status(self):
        def chk(cid, status):
            return {"CheckID": cid, "Status": status}
        agg = fake_consul.aggregated_status
        self.assertEqual(agg([]), "passing")
        self.assertEqual(agg([chk("a", "passing"), chk("b", "warning")]), "warning")
        self.assertEqual(agg([chk("a", "critical"), chk("b", "warning")]), "critical")
        self.assertEqual(agg([chk("_node_maintenance", "critical"), chk("b", "passing")]), "maintenance")

    def test_filter_non_passing_order(self):
        def entry(name, status):
            return {"name": name, "Checks": [{"Status": status}]}
        entries = [entry("a", "critical"), entry("b", "passing"), entry("c", "passing")]
        # Consul swaps a failing entry with the last one, so the order changes.
        self.assertEqual([e["name"] for e in fake_consul.filter_non_passing(entries)], ["c", "b"])


if __name__ == "__main__":
    unittest.main()
