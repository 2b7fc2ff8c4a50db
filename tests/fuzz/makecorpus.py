#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Remakes the fuzzers' seed corpora (tests/fuzz/corpus/) from real runs.

    tests/fuzz/makecorpus.py build/app/synack

scenario/: the built-ins and ipv6.synack. trace/: traces of a few runs on both tiers, written
compact. segment/: every packet of a few lab runs' pcaps, one file each (the IP packet as the
capture hands it over). sockdiag/: distinct sock_diag replies (each dump's datagrams joined) a few runs
recorded (SYNACK_DIAG_RECORD), and one short recording. Also the dictionaries
scenario.dict and trace.dict. Files named bad-* are invalid on purpose
(tst_fuzzcorpus checks that they are refused). Needs the lab (tier 1) for the pcaps.
"""
import glob
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(os.path.dirname(HERE))
RECORD_MAGIC = 0x50444453


def run(synack, scenario, tmp, tier, **outputs):
    env = dict(os.environ, SYNACK_TIER=str(tier))
    args = [synack, "run", scenario]
    if "json" in outputs:
        args += ["--json", outputs["json"]]
    if "pcap" in outputs:
        args += ["--pcap", outputs["pcap"]]
    if "record" in outputs:
        env["SYNACK_DIAG_RECORD"] = outputs["record"]
    subprocess.run(args, env=env, cwd=tmp, check=True, stdout=subprocess.DEVNULL)


def pcap_packets(path):
    data = open(path, "rb").read()
    off = 24
    while off < len(data):
        _, _, incl, _ = struct.unpack("<IIII", data[off:off + 16])
        yield data[off + 16:off + 16 + incl]
        off += 16 + incl


def records(path):
    """(family, ports, datagrams, raw record bytes) of each dump in a SYNACK_DIAG_RECORD file."""
    data = open(path, "rb").read()
    at = 0
    while at < len(data):
        start = at
        magic, family, nports = struct.unpack_from("<III", data, at)
        assert magic == RECORD_MAGIC
        at += 12
        ports = struct.unpack_from("<%dI" % nports, data, at)
        at += 4 * nports
        (count,) = struct.unpack_from("<I", data, at)
        at += 4
        datagrams = []
        for _ in range(count):
            (n,) = struct.unpack_from("<I", data, at)
            datagrams.append(data[at + 4:at + 4 + n])
            at += 4 + n
        yield family, ports, datagrams, data[start:at]


def shape(datagram):
    """What a datagram holds: its messages' types and, for sockets, family and state."""
    out = []
    off = 0
    while off + 16 <= len(datagram):
        length, kind = struct.unpack_from("<IH", datagram, off)
        if kind == 20 and off + 18 <= len(datagram):  # SOCK_DIAG_BY_FAMILY: family, state
            out.append((kind, datagram[off + 16], datagram[off + 17], length > 16 + 72))
        else:
            out.append((kind,))
        off += max(16, (length + 3) & ~3)
    return tuple(out)


def escape(token):
    return '"%s"\n' % token.replace("\\", "\\\\").replace('"', '\\"')


def write_dictionaries(scenarios, traces):
    """libFuzzer dictionaries (-dict): the scenarios' words, the traces' keys and short strings."""
    header = "# SPDX-License-Identifier: GPL-3.0-or-later\n# libFuzzer dictionary (-dict): %s. Remade by makecorpus.py.\n"
    words = set()
    for f in scenarios:
        for line in open(f, encoding="utf-8"):
            text = line.strip()
            if not text or text.startswith("#") or line.startswith((" ", "\t")):
                continue  # comments and narration
            first = text.split()[0]
            if first.startswith(("title", "topic", "about")):
                words.add(first.split(":")[0] + ":")
                continue
            for w in text.split():
                words.update(p for p in w.split("=") if p and p.isascii())
                if "=" in w:
                    words.add(w.split("=")[0] + "=")
    strings = set()

    def walk(o):
        if isinstance(o, dict):
            for k, v in o.items():
                strings.add(k)
                walk(v)
        elif isinstance(o, list):
            for v in o:
                walk(v)
        elif isinstance(o, str) and 0 < len(o) < 24 and o.isascii():  # libFuzzer refuses ""
            strings.add(o)

    for f in traces:
        walk(json.load(open(f)))
    with open(os.path.join(HERE, "scenario.dict"), "w") as out:
        out.write(header % "the words of the built-in scenarios" + "".join(escape(t) for t in sorted(words)))
    with open(os.path.join(HERE, "trace.dict"), "w") as out:
        out.write(header % "the keys and short strings of the seed traces" + "".join(escape(t) for t in sorted(strings)))


def main():
    synack = os.path.abspath(sys.argv[1])
    corpus = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "corpus")
    ipv6 = os.path.join(HERE, "ipv6.synack")
    dirs = {name: os.path.join(corpus, name) for name in ("scenario", "trace", "segment", "sockdiag")}
    for d in dirs.values():
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
    with tempfile.TemporaryDirectory() as tmp:
        for f in glob.glob(os.path.join(SOURCE, "resources/scenarios/*.synack")) + [ipv6]:
            shutil.copy(f, dirs["scenario"])
        open(os.path.join(dirs["scenario"], "bad-no-title.synack"), "w").write("listen srv\nconnect c srv\n")

        # Lab runs: a trace, the pcap and the sock_diag replies of each.
        for name in ("handshake", "refused", "data-transfer", "half-close", "keepalive", "backlog-full", ipv6):
            base = os.path.splitext(os.path.basename(name))[0]
            files = {k: os.path.join(tmp, base + "." + k) for k in ("json", "pcap", "record")}
            run(synack, name, tmp, 1, **files)
            if base in ("handshake", "refused", "ipv6"):
                trace = json.load(open(files["json"]))
                json.dump(trace, open(os.path.join(dirs["trace"], base + "-lab.json"), "w"), separators=(",", ":"))
            for i, packet in enumerate(pcap_packets(files["pcap"]), 1):
                open(os.path.join(dirs["segment"], "%s-%02d" % (base, i)), "wb").write(packet)
            seen = set()
            for j, (family, ports, datagrams, raw) in enumerate(records(files["record"])):
                if j == 3 and base == "ipv6":
                    # A short recording: the replay (RecordedDiag) reads this format.
                    head = b"".join(r[3] for r in list(records(files["record"]))[:4])
                    open(os.path.join(dirs["sockdiag"], "ipv6-record.sdr"), "wb").write(head)
                # The whole reply in one buffer, as the harness reads it: its datagrams hold
                # whole messages, so joined they read as one datagram would.
                reply = b"".join(datagrams)
                key = shape(reply)
                if key in seen:
                    continue
                seen.add(key)
                open(os.path.join(dirs["sockdiag"], "%s-%03d" % (base, j)), "wb").write(reply)
        # Host loopback runs: traces with inferred segments.
        for name in ("handshake", "active-close"):
            path = os.path.join(tmp, name + "-host.json")
            run(synack, name, tmp, 0, json=path)
            trace = json.load(open(path))
            json.dump(trace, open(os.path.join(dirs["trace"], name + "-host.json"), "w"), separators=(",", ":"))
        text = open(os.path.join(dirs["trace"], "handshake-host.json")).read()
        open(os.path.join(dirs["trace"], "bad-truncated.json"), "w").write(text[: len(text) // 2])
    shutil.copy(os.path.join(SOURCE, "tests/data/sockdiag/orphan-finwait1-dying.sdr"), dirs["sockdiag"])
    write_dictionaries(glob.glob(os.path.join(SOURCE, "resources/scenarios/*.synack")) + [ipv6],
        [f for f in glob.glob(os.path.join(dirs["trace"], "*.json")) if not os.path.basename(f).startswith("bad-")])
    for name, d in sorted(dirs.items()):
        files = os.listdir(d)
        print("%-9s %3d files, %6d bytes" % (name, len(files), sum(os.path.getsize(os.path.join(d, f)) for f in files)))


if __name__ == "__main__":
    main()
