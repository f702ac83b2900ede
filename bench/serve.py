#!/usr/bin/env python3
"""Load on `factcheck serve`, on the loopback interface only, bounded in time.

    python bench/serve.py [--workers 2] [--clients 50] [--duration 30] [--set goal|mixed|both] [--out bench/out]

Starts `factcheck serve --port 0 --workers W --no-access-log` (the compiled build bench/run.py installs,
bench/.venv-factcheck-compiled, or --factcheck-cmd), then C clients, each on its own keep-alive
connection, post articles to POST /v1/check one after another (a closed loop: a client sends its next
article when the answer to the last one is in) for D seconds after a short warm-up, and the benchmark
reports requests/s, the latency's p50, p90, p99 and maximum, and the errors (any answer but a 200 with
a JSON report and "pass", any broken connection). Sets of articles:

- goal: seeds/000 (3,023 characters), the issue's "3,000-character article";
- mixed: the five seeds and the dev articles (../shared/eval/dev/articles from the repository root,
  when that folder exists: 84 real articles, 300 to 47,000 characters), each client starting at its
  own place in the list.

The clients are asyncio streams over raw HTTP/1.1 (standard library only, so that the load costs the
2-core machine as little as it can: a client shares the cores with the server). With 50 clients in a
closed loop the latency is mostly the queue: about 50 / (requests per second), so p99 < 100 ms needs
more than 500 requests per second, and every millisecond of CPU per request counts. The server's CPU time
per request (its event loop and its checking processes, read from /proc) is reported too: on a shared
machine it is steadier than the wall-clock figures, which depend on what else runs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shlex
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEV = ROOT.parent / "shared" / "eval" / "dev" / "articles"
GOAL = ROOT / "seeds" / "000_3e47b0061565aec6.txt"
TARGET_P99_MS = 100.0
warm_requests = [0]  # answered during the warm-up (counted for the server's CPU time per request)


def articles(which: str) -> list[tuple[str, str]]:
    if which == "goal":
        return [(f"seeds/{GOAL.name}", GOAL.read_text(encoding="utf-8"))]
    out = [(f"seeds/{p.name}", p.read_text(encoding="utf-8")) for p in sorted((ROOT / "seeds").glob("*.txt"))]
    if DEV.is_dir():
        out += [(f"dev/{p.name}", p.read_text(encoding="utf-8")) for p in sorted(DEV.glob("*.txt"))]
    return out


def request_bytes(host: str, port: int, path: str, text: str, token: str | None) -> bytes:
    body = json.dumps({"text": text, "path": path}, ensure_ascii=False).encode("utf-8")
    head = (f"POST /v1/check HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n" + (f"Authorization: Bearer {token}\r\n" if token else "") + "\r\n")
    return head.encode("ascii") + body


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    length = None
    chunked = False
    for line in lines[1:]:
        k, _, v = line.partition(b":")
        k = k.strip().lower()
        if k == b"content-length":
            length = int(v.strip())
        elif k == b"transfer-encoding" and b"chunked" in v.lower():
            chunked = True
    if chunked:
        parts = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip().split(b";")[0], 16)
            if size == 0:
                await reader.readuntil(b"\r\n")
                break
            parts.append(await reader.readexactly(size))
            await reader.readexactly(2)
        return status, b"".join(parts)
    return status, await reader.readexactly(length or 0)


async def client(n: int, host: str, port: int, reqs: list[tuple[str, bytes]], start: float, warm_end: float,
                 end: float, out: list, errors: list) -> None:
    k = (n * 7) % len(reqs)
    reader = writer = None
    while True:
        now = time.perf_counter()
        if now >= end:
            break
        name, req = reqs[k % len(reqs)]
        k += 1
        t0 = now
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(host, port)
            t0 = time.perf_counter()
            writer.write(req)
            status, body = await read_response(reader)
            t1 = time.perf_counter()
        except (OSError, asyncio.IncompleteReadError, ValueError) as e:
            if t0 >= warm_end:
                errors.append(f"{name}: {type(e).__name__}: {e}")
            if writer is not None:
                writer.close()
            reader = writer = None
            await asyncio.sleep(0.01)
            continue
        if t0 < warm_end:
            warm_requests[0] += 1
            continue
        ok = status == 200 and body[:1] == b"{" and b'"pass"' in body
        if not ok:
            errors.append(f"{name}: HTTP {status}: {body[:200]!r}")
        out.append((t1 - t0, name, len(body)))
    if writer is not None:
        writer.close()


async def load(host: str, port: int, reqs, clients: int, warmup: float, duration: float):
    start = time.perf_counter()
    warm_end = start + warmup
    end = warm_end + duration
    out: list = []
    errors: list = []
    cpu0 = os.times()
    await asyncio.gather(*(client(n, host, port, reqs, start, warm_end, end, out, errors) for n in range(clients)))
    cpu1 = os.times()
    return out, errors, (cpu1.user - cpu0.user + cpu1.system - cpu0.system)


def pct(xs: list[float], p: float) -> float:
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, int(round(p / 100 * len(xs) + 0.5)) - 1))]


def start_server(fc: list[str], workers: int, extra: list[str]) -> tuple[subprocess.Popen, int]:
    cmd = fc + ["serve", "--port", "0", "--workers", str(workers), "--no-access-log", *extra]
    p = subprocess.Popen(cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                         start_new_session=True)
    port = None
    t_end = time.time() + 60
    while time.time() < t_end:
        line = p.stderr.readline()
        if not line:
            break
        m = re.search(r"factcheck serve: http://127\.0\.0\.1:(\d+)/", line)
        if m:
            port = int(m.group(1))
            break
    if port is None:
        p.kill()
        raise SystemExit(f"{shlex.join(cmd)} did not start: {p.stderr.read()[-2000:] if p.stderr else ''}")
    # drain stderr in the background (uvicorn's lines), so the server never blocks on a full pipe
    import threading

    threading.Thread(target=lambda: [None for _ in p.stderr], daemon=True).start()
    while time.time() < t_end:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    return p, port
        except OSError:
            time.sleep(0.1)
    p.kill()
    raise SystemExit("the server did not answer /healthz")


def group_cpu_s(pgid: int) -> float:
    """CPU time (user + system) used so far by the live processes of a process group: the server's event
    loop and its checking processes."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # pgrp (the fields after the name: state ppid pgrp …)
            total += int(fields[11]) + int(fields[12])  # utime stime
    return total / tick


def stop_server(p: subprocess.Popen) -> None:
    try:
        os.killpg(p.pid, signal.SIGTERM)
        p.wait(20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def run_set(which: str, args, fc) -> dict:
    arts = articles(which)
    warm_requests[0] = 0
    p, port = start_server(fc, args.workers, args.serve_arg)
    try:
        reqs = [(name, request_bytes("127.0.0.1", port, name, text, None)) for name, text in arts]
        load1 = os.getloadavg()
        cpu0 = group_cpu_s(p.pid)
        out, errors, client_cpu = asyncio.run(load("127.0.0.1", port, reqs, args.clients, args.warmup, args.duration))
        server_cpu = group_cpu_s(p.pid) - cpu0  # warm-up included: per request over all answered requests
        load2 = os.getloadavg()
    finally:
        stop_server(p)
    lat = [x[0] * 1000 for x in out]
    chars = {name: len(text) for name, text in arts}
    res = {"set": which, "articles": len(arts), "chars_median": int(statistics.median(chars.values())),
           "chars_total": sum(chars.values()), "workers": args.workers, "clients": args.clients,
           "duration_s": args.duration, "requests": len(out), "req_per_s": round(len(out) / args.duration, 1),
           "p50_ms": round(pct(lat, 50), 1), "p90_ms": round(pct(lat, 90), 1), "p99_ms": round(pct(lat, 99), 1),
           "max_ms": round(max(lat), 1) if lat else None, "errors": len(errors), "error_samples": errors[:5],
           "chars_per_s": round(sum(chars[x[1]] for x in out) / args.duration),
           "client_cpu_s": round(client_cpu, 1), "server_cpu_s": round(server_cpu, 1),
           "server_cpu_ms_per_request": round(1000 * server_cpu / max(1, len(out) + warm_requests[0]), 2),
           "loadavg_before": [round(x, 2) for x in load1],
           "loadavg_after": [round(x, 2) for x in load2]}
    if which == "mixed":
        by: dict = {}
        for sec, name, _ in out:
            c = chars[name]
            band = "< 1,000 chars" if c < 1000 else "1,000-5,000 chars" if c < 5000 else ">= 5,000 chars"
            by.setdefault(band, []).append(sec * 1000)
        res["by_size"] = {b: {"requests": len(v), "p50_ms": round(pct(v, 50), 1), "p99_ms": round(pct(v, 99), 1)}
                          for b, v in sorted(by.items())}
    return res


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--duration", type=float, default=30.0, help="seconds of measured load per set")
    ap.add_argument("--warmup", type=float, default=3.0, help="seconds of load before the measurement")
    ap.add_argument("--set", choices=["goal", "mixed", "both"], default="both")
    ap.add_argument("--factcheck-cmd", help="the factcheck command to start (default: the compiled bench build)")
    ap.add_argument("--serve-arg", action="append", default=[], help="an extra option of factcheck serve")
    ap.add_argument("--out", default=str(HERE / "out"))
    args = ap.parse_args(argv)
    if args.duration > 600 or args.clients > 1000:
        ap.error("at most 600 s and 1000 clients: this is a bounded benchmark")
    if args.factcheck_cmd:
        fc, version = shlex.split(args.factcheck_cmd), ""
    else:
        sys.path.insert(0, str(HERE))
        import run as bench

        fc, version = bench.ensure_factcheck_venv("compiled")
    version = version or subprocess.run(fc + ["--version"], capture_output=True, text=True).stdout.strip()
    print(f"{version}; {os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f}", flush=True)
    sets = ["goal", "mixed"] if args.set == "both" else [args.set]
    results = []
    for which in sets:
        r = run_set(which, args, fc)
        results.append(r)
        met = "met" if r["p99_ms"] < TARGET_P99_MS and not r["errors"] else "NOT met"
        print(f"{which}: {r['articles']} article(s), median {r['chars_median']} chars; {r['workers']} workers, "
              f"{r['clients']} clients, {r['duration_s']:g} s: {r['requests']} requests, {r['req_per_s']} req/s, "
              f"p50 {r['p50_ms']} ms, p90 {r['p90_ms']} ms, p99 {r['p99_ms']} ms, max {r['max_ms']} ms, "
              f"errors {r['errors']}" + (f" (p99 < {TARGET_P99_MS:g} ms: {met})" if which == "goal" else ""),
              flush=True)
        for band, v in r.get("by_size", {}).items():
            print(f"  {band}: {v['requests']} requests, p50 {v['p50_ms']} ms, p99 {v['p99_ms']} ms")
        print(f"  server CPU {r['server_cpu_ms_per_request']} ms per request; load average "
              f"{r['loadavg_before'][0]} → {r['loadavg_after'][0]}; the clients used {r['client_cpu_s']} s of CPU",
              flush=True)
        for e in r["error_samples"]:
            print(f"  error: {e}")
    Path(args.out).mkdir(parents=True, exist_ok=True)
    out = Path(args.out) / "serve.json"
    out.write_text(json.dumps({"version": version, "results": results}, ensure_ascii=False, indent=2) + "\n")
    print(f"wrote {out}")
    return 1 if any(r["errors"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
