"""libvirt 9.0's QMP capability probe (the sequence libvirtd sends to qemu-system-x86_64 7.2,
captured from its monitor log), checking each answer against the schema the emulator
publishes. Usage: qmp_probe.py SOCKET ARCH"""
import sys
from qmp_client import QMP

BUILTIN = {"string": str, "int": int, "number": (int, float), "boolean": bool,
           "null": type(None)}


class Schema:
    def __init__(self, entries):
        self.by_name = {}
        for e in entries:
            assert e["name"] not in self.by_name, "duplicate schema entry %s" % e["name"]
            self.by_name[e["name"]] = e

    def check(self, value, tname, where):
        t = self.by_name.get(tname)
        assert t, "%s: type %s is not in the schema" % (where, tname)
        meta = t["meta-type"]
        if meta == "builtin":
            if t["json-type"] == "value":
                return
            py = BUILTIN[t["json-type"]]
            ok = isinstance(value, py) and not (py is int and isinstance(value, bool))
            assert ok, "%s: %r is not a %s" % (where, value, t["json-type"])
        elif meta == "enum":
            assert value in t["values"], "%s: %r not in enum %s" % (where, value, tname)
        elif meta == "array":
            assert isinstance(value, list), "%s: %r is not an array" % (where, value)
            for i, v in enumerate(value):
                self.check(v, t["element-type"], "%s[%d]" % (where, i))
        elif meta == "object":
            assert isinstance(value, dict), "%s: %r is not an object" % (where, value)
            members = {m["name"]: m for m in t["members"]}
            for k, v in value.items():
                assert k in members, "%s: member %r not in %s" % (where, k, tname)
                self.check(v, members[k]["type"], "%s.%s" % (where, k))
            for m in t["members"]:
                assert "default" in m or m["name"] in value, \
                    "%s: required member %r missing" % (where, m["name"])
        else:
            raise AssertionError("%s: unexpected meta-type %s" % (where, meta))


def main():
    q = QMP(sys.argv[1])
    arch = sys.argv[2]
    assert q.cmd("qmp_capabilities") == {"return": {}}
    ver = q.cmd("query-version")["return"]
    v = ver["qemu"]
    assert v["major"] * 1000000 + v["minor"] * 1000 + v["micro"] >= 4002000, ver
    assert ver["package"].startswith("mimic"), ver
    raw = q.cmd("query-qmp-schema")["return"]
    schema = Schema(raw)
    commands = {e["name"] for e in raw if e["meta-type"] == "command"}
    events = {e["name"] for e in raw if e["meta-type"] == "event"}
    listed = {c["name"] for c in q.cmd("query-commands")["return"]}
    assert listed == commands, (listed ^ commands)
    assert {e["name"] for e in q.cmd("query-events")["return"]} == events
    schema.check(raw, "[SchemaInfo]", "query-qmp-schema")

    def call(name, ok_errors=(), **args):
        r = q.cmd(name, **args)
        if "error" in r:
            cls = r["error"]["class"]
            if name not in commands:
                assert cls == "CommandNotFound", (name, r)
                return None
            assert cls in ok_errors, (name, args, r)
            return None
        assert name in commands, "%s answered but is not in the schema" % name
        cmd = schema.by_name[name]
        schema.check(r["return"], cmd["ret-type"], name)
        return r["return"]

    tgt = call("query-target")
    assert tgt["arch"] == arch, tgt
    call("query-commands")
    call("query-kvm")
    types = call("qom-list-types")
    names = {t["name"] for t in types}
    assert "none-machine" in names, names
    for dev in ["virtio-blk-pci", "virtio-net-pci", "virtio-scsi-pci", "vfio-pci", "scsi-hd",
                "ide-hd", "PIIX4_PM", "usb-redir", "usb-storage", "kvm-pit", "VGA", "qxl",
                "virtio-gpu-pci", "ICH9-LPC", "virtio-balloon-pci", "intel-iommu", "mch",
                "nvdimm", "pcie-root-port", "usb-host", "virtio-iommu-pci"]:
        call("device-list-properties", ("DeviceNotFound",), typename=dev)
    for t in ["memory-backend-file", "memory-backend-memfd", "max-x86_64-cpu"]:
        call("qom-list-properties", ("DeviceNotFound",), typename=t)
    machines = call("query-machines")
    assert machines and any(m["name"] == "none" for m in machines), machines
    props = call("qom-list-properties", typename="none-machine")
    assert any(p["name"] == "accel" for p in props), props
    cpus = call("query-cpu-definitions")
    assert cpus, "no CPU models"
    for t in [c["typename"] for c in cpus]:
        assert t in names, "CPU type %s missing from qom-list-types" % t
    for absent in ["query-tpm-models", "query-tpm-types", "query-sev-capabilities",
                   "query-sgx-capabilities", "query-gic-capabilities"]:
        call(absent)
    call("query-command-line-options")
    assert call("query-migrate-capabilities") == []
    for model in ["host", "max", cpus[0]["name"]]:
        for typ in ["static", "full"]:
            r = call("query-cpu-model-expansion", ("GenericError",),
                     type=typ, model={"name": model})
            if model == cpus[0]["name"]:
                assert r["model"]["name"] == model, r
    # what a running domain asks
    call("query-name")
    call("query-uuid")
    call("query-status")
    fast = call("query-cpus-fast")
    assert fast and fast[0]["thread-id"] > 0, fast
    call("query-chardev")
    call("query-block")
    call("query-current-machine")
    assert call("qom-get", path="/machine", property="type") == "none-machine"
    call("qom-list", path="/machine")
    call("qom-list", path="/machine/unattached")
    call("qom-list", ("DeviceNotFound",), path="/nowhere")
    out = call("human-monitor-command", **{"command-line": "info status", "cpu-index": 0})
    assert "VM status: paused" in out, out
    # the dispatcher follows the table: bad arguments answered by name
    r = q.cmd("query-machines", bogus=1)
    assert "is unexpected" in r["error"]["desc"], r
    r = q.cmd("qom-list")
    assert r["error"]["desc"] == "Parameter 'path' is missing", r
    r = q.cmd("query-cpu-model-expansion", type="nope", model={"name": "x"})
    assert "does not accept value" in r["error"]["desc"], r
    print("probe ok: %d commands, %d events, %d machines, %d CPU models"
          % (len(commands), len(events), len(machines), len(cpus)))


main()
