"""factcheck serve's API, through a running server (a `factcheck serve` process on the loopback interface)
and an HTTP client: the report is `factcheck check --format json`'s with "pass", every error is JSON
with its status (never a traceback), the limits hold (body size, time, token), the article's path is
never opened, the rules are loaded once, and the server's processes end with it."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from serving import ROOT, SEED_000, SEEDS, Server

httpx = pytest.importorskip("httpx")

BAD = "全区共有重大产业项目69个。其中，沿嵩山路项目22个，沿大学路项目29个，沿京广路项目19个。\n"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    log = tmp_path_factory.mktemp("serve") / "server.log"
    with Server("--no-access-log", log=log, cwd=ROOT) as s:
        yield s


@pytest.fixture(scope="module")
def client(server):
    with server.client() as c:
        yield c


def cli_report(path) -> dict:
    p = subprocess.run([sys.executable, "-m", "factcheck", "check", str(path), "--format", "json", "--no-progress"],
                       capture_output=True, cwd=ROOT)
    assert p.returncode in (0, 1), p.stderr
    return json.loads(p.stdout)


def assert_error(r, status: int, code: str | None = None) -> dict:
    assert r.status_code == status, (r.status_code, r.text)
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"error"} and body["error"]["status"] == status and body["error"]["message"]
    if code:
        assert body["error"]["code"] == code, body
    assert "Traceback" not in r.text and 'File "' not in r.text
    return body["error"]


@pytest.mark.parametrize("name", ["000_3e47b0061565aec6.txt", "004_1e308b5077169801.txt"])
def test_report_is_the_cli_report_and_pass(client, name):
    path = f"seeds/{name}"
    text = (SEEDS / name).read_text(encoding="utf-8")
    r = client.post("/v1/check", json={"text": text, "path": path})
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    got = r.json()
    passed = got.pop("pass")
    want = cli_report(path)
    assert got == want  # byte for byte the same data: claims, checks, summary, configuration
    assert passed is (want["summary"]["discrepancies"]["error"] == 0)
    # the same encoding as --format json, with "pass" in its sorted place
    assert r.content.startswith(b'{\n  "checks": [\n') and b'\n  "pass": ' in r.content


def test_the_seed_finding(client):
    r = client.post("/v1/check", json={"text": SEED_000.read_text(encoding="utf-8")})
    d = r.json()
    assert d["pass"] is False
    msgs = [c["message"] for c in d["checks"] if c["status"] == "discrepancy"]
    assert any("22 + 29 + 19 = 70个" in m and "69个" in m for m in msgs), msgs
    assert d["configuration"]["lang"] == "zh" and "分项之和与合计不符" in msgs[0]  # Chinese, the default
    d = client.post("/v1/check", json={"text": SEED_000.read_text(encoding="utf-8"), "lang": "en"}).json()
    msgs = [c["message"] for c in d["checks"] if c["status"] == "discrepancy"]
    assert "The parts do not add up to the total: 22 + 29 + 19 = 70个, the text gives 69个" in msgs[0]
    assert d["files"][0]["path"] == "article.md"


def test_plain_text_and_markdown_bodies(client):
    r = client.post("/v1/check?path=draft.txt&fail_on=never", content=BAD.encode(),
                    headers={"content-type": "text/plain; charset=utf-8"})
    d = r.json()
    assert r.status_code == 200 and d["pass"] is True and d["summary"]["discrepancies"]["error"] == 1
    assert d["files"][0]["path"] == "draft.txt" and d["configuration"]["fail_on"] == "never"
    r = client.post("/v1/check", content=("# 标题\n\n" + BAD).encode(), headers={"content-type": "text/markdown"})
    assert r.json()["files"][0]["path"] == "article.md" and r.json()["pass"] is False
    # bytes are read as factcheck reads a file: GB18030 too
    r = client.post("/v1/check", content=BAD.encode("gb18030"), headers={"content-type": "text/plain"})
    assert r.json()["summary"]["discrepancies"]["error"] == 1
    assert r.json()["files"][0]["path"] == "article.txt"


def test_curl_data_body(client, server, tmp_path):
    """`curl -d @article.json URL/v1/check`: a form content type, the file's line breaks taken out."""
    article = tmp_path / "article.json"
    article.write_text(json.dumps({"text": BAD, "path": "a.md"}, ensure_ascii=False, indent=2), encoding="utf-8")
    body = article.read_bytes().replace(b"\n", b"").replace(b"\r", b"")
    r = client.post("/v1/check", content=body, headers={"content-type": "application/x-www-form-urlencoded"})
    assert r.status_code == 200 and r.json()["pass"] is False
    curl = shutil.which("curl")
    if curl:
        p = subprocess.run([curl, "-sS", "-d", f"@{article}", f"{server.url}/v1/check"], capture_output=True,
                           timeout=60)
        assert p.returncode == 0, p.stderr
        d = json.loads(p.stdout)
        assert d["pass"] is False and d["files"][0]["path"] == "a.md"
    # form fields with the JSON body's names
    r = client.post("/v1/check", data={"text": BAD, "ignore": "FC101"})
    assert r.status_code == 200 and r.json()["pass"] is True


def test_check_options(client):
    def check(**kw):
        r = client.post("/v1/check", json={"text": BAD, **kw})
        assert r.status_code == 200, r.text
        return r.json()

    assert check()["pass"] is False
    d = check(select=["FC2", "FC3"])
    assert d["pass"] is True and d["configuration"]["select"] == ["FC2", "FC3"]
    assert "FC101" not in d["configuration"]["rules"]
    assert check(ignore="FC101")["pass"] is True
    assert check(ignore=["breakdown-sum"])["pass"] is True
    assert check(fail_on="never")["pass"] is True
    assert check(fail_on="warning")["pass"] is False
    d = check(title="标题", date="2024-07-01", source="某报")
    assert d["files"][0]["meta"] == {"date": "2024-07-01", "source": "某报", "title": "标题"}
    # the request's metadata wins over the front matter's
    d = check(text="---\ntitle: 旧标题\n---\n\n" + BAD, title="新标题")
    assert d["files"][0]["meta"] == {"title": "新标题"}


def test_front_matter_and_inline_ignore(client):
    md = "---\ntitle: 旧标题\ndate: 2023-01-02\n---\n\n<!-- factcheck: ignore FC101 -->\n" + BAD
    d = client.post("/v1/check", json={"text": md, "path": "a.md"}).json()
    assert d["pass"] is True and d["summary"]["suppressed"] == 1
    assert d["files"][0]["meta"] == {"date": "2023-01-02", "title": "旧标题"}
    d = client.post("/v1/check", json={"text": md, "path": "a.md", "title": "新标题"}).json()
    assert d["files"][0]["meta"]["title"] == "新标题"
    # inline comments are Markdown's: a .txt name does not have them (as for files)
    d = client.post("/v1/check", json={"text": md, "path": "a.txt"}).json()
    assert d["pass"] is False and d["summary"]["suppressed"] == 0


def test_offsets_count_code_points_of_the_text(client):
    text = "𠀀𠀁稿件。\r\n" + BAD  # characters beyond the BMP, and a CRLF line end
    d = client.post("/v1/check", json={"text": text}).json()
    seen = text.replace("\r\n", "\n")  # as factcheck reads a file
    assert d["claims"]
    for c in d["claims"]:
        assert seen[c["start"]:c["end"]] == c["text"]


def test_path_is_a_name_never_opened(client, tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text("机密：全区项目100个，其中甲50个、乙60个。\n", encoding="utf-8")
    d = client.post("/v1/check", json={"text": BAD.replace("69个", "70个"), "path": str(secret)}).json()
    assert d["pass"] is True and d["files"][0]["path"] == str(secret)
    assert all("机密" not in json.dumps(c, ensure_ascii=False) for c in d["claims"])
    assert {c["text"] for c in d["claims"]} == {"70个", "22个", "29个", "19个"}


@pytest.mark.parametrize("content_type, body, status, code", [
    ("application/json", b'{"text": "x"', 400, "invalid_json"),
    ("application/json", b'\xff\xfe{}', 400, "invalid_json"),
    ("application/json", b'["text"]', 422, "invalid_request"),
    ("application/json", b'{}', 422, "invalid_request"),
    ("application/json", b'{"text": 5}', 422, "invalid_request"),
    ("application/json", b'{"text": "   "}', 422, "invalid_request"),
    ("application/json", b'{"text": "a", "txt": "b"}', 422, "invalid_request"),
    ("application/json", b'{"text": "a", "fail_on": "sometimes"}', 422, "invalid_request"),
    ("application/json", b'{"text": "a", "select": ["FC999"]}', 422, "unknown_rule"),
    ("application/json", b'{"text": "a", "ignore": "nosuchrule"}', 422, "unknown_rule"),
    ("application/json", b'{"text": "a", "select": [1]}', 422, "invalid_request"),
    ("application/json", b'{"text": "a", "date": "2024-13-01"}', 422, "invalid_request"),
    ("application/json", b'{"text": "a", "date": "yesterday"}', 422, "invalid_request"),
    ("application/json", b'{"text": "a", "path": "a\\nb.md"}', 422, "invalid_request"),
    ("application/json", b'{"text": "a", "path": "\\u202egnp.md"}', 422, "invalid_request"),
    ("application/json", b'{"text": "a", "path": 3}', 422, "invalid_request"),
    ("application/json", b'[' * 5000 + b']' * 5000, 400, "invalid_json"),
    ("application/json", b'{"text": "\\ud800 12\\u4e2a"}', 400, "invalid_json"),  # a lone surrogate
    ("text/plain", b"\x00\x01binary", 400, "unreadable_text"),
    ("image/png", b"\x89PNG", 415, "unsupported_media_type"),
    ("multipart/form-data; boundary=x", b"--x--", 415, "unsupported_media_type"),
    ("application/x-www-form-urlencoded", b"text=a&text=b", 422, "invalid_request"),
    ("application/x-www-form-urlencoded", b"%zz=%ff", 400, "invalid_form"),
])
def test_bad_requests_are_json_errors(client, content_type, body, status, code):
    r = client.post("/v1/check", content=body, headers={"content-type": content_type})
    assert_error(r, status, code)


def test_unknown_query_parameter_and_methods(client):
    assert_error(client.post("/v1/check?fail=never", content=BAD.encode(), headers={"content-type": "text/plain"}),
                 422, "invalid_request")
    assert_error(client.get("/v1/check"), 405, "method_not_allowed")
    assert_error(client.get("/v2/check"), 404, "not_found")
    assert_error(client.get("/static/nothing.js"), 404, "not_found")


def test_body_size_limit(client, server):
    big = {"text": "稿" * (400 * 1024)}  # 1.2 MB in UTF-8
    r = client.post("/v1/check", content=json.dumps(big, ensure_ascii=False).encode(),
                    headers={"content-type": "application/json"})
    err = assert_error(r, 413, "payload_too_large")
    assert "1048576" in err["message"]

    def chunks():  # no Content-Length: the limit holds while the body is read
        yield b'{"text": "'
        for _ in range(40):
            yield ("稿" * 10000).encode()
        yield b'"}'

    assert_error(client.post("/v1/check", content=chunks(), headers={"content-type": "application/json"}), 413)
    assert client.get("/healthz").status_code == 200
    # just under the limit is checked
    ok = ("全区共有重大产业项目69个。" * 20000)[: 300_000]
    r = client.post("/v1/check", content=ok.encode(), headers={"content-type": "text/plain"})
    assert r.status_code == 200 and r.json()["files"][0]["chars"] == len(ok)


def test_healthz(client):
    h = client.get("/healthz").json()
    assert h["status"] == "ok" and h["version"] and h["build"] in ("compiled", "pure Python")
    assert "FC101" in {r["id"] for r in h["rules"]}
    assert h["archive"] is False and h["index"] is False and h["token"] is False
    assert h["max_body"] == 1024 * 1024 and h["timeout"] == 10


def test_openapi_describes_the_report(client):
    jsonschema = pytest.importorskip("jsonschema")
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    doc = client.get("/openapi.json").json()
    assert doc["openapi"].startswith("3.1") and {"/v1/check", "/v1/index", "/healthz"} <= set(doc["paths"])
    schemas = doc["components"]["schemas"]
    ok = doc["paths"]["/v1/check"]["post"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok == {"$ref": "#/components/schemas/CheckReport"}
    registry = Registry().with_resource("urn:api", Resource(contents=doc, specification=DRAFT202012))

    def validate(instance, name):
        jsonschema.Draft202012Validator({"$ref": f"urn:api#/components/schemas/{name}"}, registry=registry).validate(
            instance)

    report = client.post("/v1/check", json={"text": SEED_000.read_text(encoding="utf-8")}).json()
    validate(report, "CheckReport")
    with pytest.raises(jsonschema.ValidationError):
        validate({k: v for k, v in report.items() if k != "pass"}, "CheckReport")
    validate(client.post("/v1/check", json={}).json(), "Error")
    validate(client.get("/healthz").json(), "Health")
    # the report's own schema is `factcheck schema`'s
    p = subprocess.run([sys.executable, "-m", "factcheck", "schema"], capture_output=True, check=True)
    want = json.loads(p.stdout)
    got = dict(schemas["CheckReport"])
    assert got["properties"].pop("pass")["type"] == "boolean" and got["required"].pop() == "pass"
    assert set(got["properties"]) == set(want["properties"]) and set(want["$defs"]) <= set(schemas)


def test_concurrent_requests(client, server):
    texts = [(f"seeds/{p.name}", p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))]
    want = {path: client.post("/v1/check", json={"text": t, "path": path}).content for path, t in texts}

    def one(k):
        path, t = texts[k % len(texts)]
        with server.client() as c:
            r = c.post("/v1/check", json={"text": t, "path": path})
        return path, r.status_code, r.content

    with ThreadPoolExecutor(12) as ex:
        got = list(ex.map(one, range(48)))
    for path, status, body in got:
        assert status == 200 and body == want[path]


def test_token(tmp_path):
    token = "s3cr3t-token-" + "x" * 20
    f = tmp_path / "token"
    f.write_text(token + "\n")
    f.chmod(0o600)
    with Server("--token-file", str(f), log=tmp_path / "log") as s, s.client() as c:
        err = assert_error(c.post("/v1/check", json={"text": BAD}), 401, "unauthorized")
        assert "bearer token" in err["message"]
        r = c.post("/v1/check", json={"text": BAD}, headers={"Authorization": "Bearer wrong"})
        assert_error(r, 401)
        assert r.headers["www-authenticate"].startswith("Bearer")
        r = c.post("/v1/check", json={"text": BAD}, headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 200 and r.json()["pass"] is False
        # no body is read before the token: a huge unauthenticated body is refused as unauthorized
        assert_error(c.post("/v1/check", content=b"x" * (2 << 20)), 401)
        assert c.get("/healthz").json()["token"] is True  # liveness needs no token
        assert c.get("/").status_code == 200
        assert token not in s.log() and token not in c.get("/healthz").text


def test_time_limit_stops_the_check_and_the_server_goes_on(tmp_path):
    # 250,000 characters: about 0.1 s to check on the compiled build, twice that in pure Python
    long = (SEEDS / "004_1e308b5077169801.txt").read_text(encoding="utf-8") * 40
    with Server("--timeout", "0.02", log=tmp_path / "log") as s, s.client() as c:
        t0 = time.monotonic()
        err = assert_error(c.post("/v1/check", json={"text": long}), 503, "time_limit")
        assert time.monotonic() - t0 < 5 and "0.02 s" in err["message"]
        r = c.post("/v1/check", json={"text": BAD})
        assert r.status_code == 200 and r.json()["pass"] is False
        assert c.get("/healthz").json()["checker_restarts"] == 1
        assert "overran the time limit" in s.log() and "Traceback" not in s.log()


def test_a_dead_checking_process_is_replaced(tmp_path):
    with Server(log=tmp_path / "log") as s, s.client() as c:
        assert c.post("/v1/check", json={"text": BAD}).status_code == 200
        worker = c.get("/healthz").json()["pid"]
        children = [int(x) for x in open(f"/proc/{worker}/task/{worker}/children").read().split()]
        assert len(children) == 1  # the worker's checking process
        os.kill(children[0], signal.SIGKILL)
        time.sleep(0.2)
        r = c.post("/v1/check", json={"text": BAD})
        assert r.status_code == 200 and r.json()["pass"] is False
        assert "Traceback" not in s.log()


def test_rules_are_loaded_once_at_start(tmp_path):
    rules = tmp_path / "house-rules"
    rules.mkdir()
    house = (ROOT / "rules" / "FC101.yaml").read_text(encoding="utf-8")
    (rules / "FC901.yaml").write_text(house.replace("id: FC101", "id: FC901").replace("name: breakdown-sum",
                                                                                       "name: house-breakdown"))
    with Server("--rules", str(rules), log=tmp_path / "log") as s, s.client() as c:
        first = c.post("/v1/check", json={"text": BAD}).json()
        assert "FC901" in first["configuration"]["rules"]
        assert {c["rule"] for c in first["checks"] if c["status"] == "discrepancy"} == {"FC101", "FC901"}
        shutil.rmtree(rules)  # nothing is read again: the rules were loaded when the server started
        again = c.post("/v1/check", json={"text": BAD}).json()
        assert again == first and first["configuration"]["rule_dirs"] == [str(rules)]


def test_two_workers(tmp_path):
    long = (SEEDS / "004_1e308b5077169801.txt").read_text(encoding="utf-8") * 30  # about a second to check
    with Server("--workers", "2", log=tmp_path / "log") as s:
        texts = [BAD, SEED_000.read_text(encoding="utf-8")]

        def one(k):
            with s.client() as c:
                return c.post("/v1/check", json={"text": texts[k % 2]}).json()["pass"]

        with ThreadPoolExecutor(8) as ex:
            assert list(ex.map(one, range(32))) == [False] * 32
        with s.client() as c:
            assert c.get("/healthz").json()["workers"] == 2
        assert len(s.processes()) == 3  # the server (one event loop for every request), two checking processes
        # a long check takes one checking process; the other goes on answering
        with ThreadPoolExecutor(2) as ex:
            t_slow = time.monotonic()
            slow = ex.submit(lambda: s.client().post("/v1/check", json={"text": long}))
            time.sleep(0.2)
            t0 = time.monotonic()
            assert one(0) is False
            quick = time.monotonic() - t0
            assert slow.result().status_code == 200
            t_slow = time.monotonic() - t_slow
        assert quick < t_slow / 2, (quick, t_slow)
    assert s.leftovers() == []


def test_sigterm_ends_every_process(tmp_path):
    s = Server(log=tmp_path / "log")
    with s.client() as c:
        assert c.post("/v1/check", json={"text": BAD}).status_code == 200
    assert len(s.processes()) == 2  # the worker and its checking process
    t0 = time.monotonic()
    # uvicorn finishes the requests under way, ends the application (which ends its checking process),
    # then factcheck exits as for SIGTERM anywhere: 143
    assert s.stop() in (143, -signal.SIGTERM)
    assert time.monotonic() - t0 < 15 and "Application shutdown complete" in s.log()
    assert s.leftovers() == []


def test_index_needs_an_archive(client):
    assert_error(client.post("/v1/index", json={"text": BAD, "path": "a.md"}), 404, "no_archive")


@pytest.mark.parametrize("args, message", [
    (["--rules", "/nonexistent/rules"], "rule"),
    (["--allow-index"], "--allow-index"),
    (["--token-file", "/nonexistent/token"], "cannot read the token file"),
    (["--max-body", "lots"], "--max-body"),
    (["--approx-tolerance", "2"], "--approx-tolerance"),
    (["--archive", "/nonexistent/dir/a.sqlite"], "/nonexistent/dir/a.sqlite"),
])
def test_start_errors_are_one_line(tmp_path, args, message):
    p = subprocess.run([sys.executable, "-m", "factcheck", "serve", "--port", "0", *args], capture_output=True,
                       text=True, timeout=60, cwd=tmp_path)
    assert p.returncode == 2, (p.returncode, p.stderr)
    assert p.stderr.startswith("factcheck: error:") and message in p.stderr and "Traceback" not in p.stderr


def test_empty_or_short_token_file_and_busy_port(tmp_path, server):
    f = tmp_path / "token"
    for content, why in [("", "empty"), ("short\n", "shorter than 16"), ("two words here, long enough\n", "spaces")]:
        f.write_text(content)
        p = subprocess.run([sys.executable, "-m", "factcheck", "serve", "--port", "0", "--token-file", str(f)],
                           capture_output=True, text=True, timeout=60)
        assert p.returncode == 2 and why in p.stderr, p.stderr
    p = subprocess.run([sys.executable, "-m", "factcheck", "serve", "--port", str(server.port)],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 2 and f"cannot listen on 127.0.0.1:{server.port}" in p.stderr, p.stderr


def test_warnings_before_start(tmp_path):
    from factcheck.serve.server import prepare
    from factcheck.serve.settings import Settings

    _, warnings = prepare(Settings(host="127.0.0.1", port=0))
    assert warnings == []
    f = tmp_path / "token"
    f.write_text("a-long-enough-token-1234\n")
    f.chmod(0o644)
    _, warnings = prepare(Settings(port=0, token_file=str(f)))
    assert any("can be read by other users" in w for w in warnings)


def test_requests_beyond_the_queue_are_refused_at_once(tmp_path):
    long = (SEEDS / "004_1e308b5077169801.txt").read_text(encoding="utf-8") * 45  # 850 KB, seconds to check
    with Server("--max-queue", "1", log=tmp_path / "log") as s:
        with ThreadPoolExecutor(1) as ex:
            slow = ex.submit(lambda: s.client().post("/v1/check", json={"text": long}))
            with s.client() as c:
                deadline = time.monotonic() + 10
                while c.get("/healthz").json()["under_way"] < 1:
                    assert time.monotonic() < deadline
                    time.sleep(0.01)
                t0 = time.monotonic()
                r = c.post("/v1/check", json={"text": BAD})
                assert_error(r, 503, "busy")
                assert time.monotonic() - t0 < 1.5  # at once, not after the check under way
                assert r.headers["retry-after"] == "1"
            assert slow.result().status_code == 200
        with s.client() as c:
            assert c.post("/v1/check", json={"text": BAD}).status_code == 200
