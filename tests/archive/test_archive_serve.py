"""factcheck serve with a claim archive, on SQLite and PostgreSQL: POST /v1/check compares the article with
the archived ones (as `factcheck check --archive`), POST /v1/index adds a published article when the
server allows it."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from serving import SEEDS, Server

pytest.importorskip("httpx")

SEED_001 = (SEEDS / "001_5eba1bd811c369dd.txt").read_text(encoding="utf-8")
SEED_003 = (SEEDS / "003_a7e8c9d2e0f9aae0.txt").read_text(encoding="utf-8")


def conflicts(report) -> list[dict]:
    return [c for c in report["checks"] if c["rule"] == "FC801" and c["status"] == "discrepancy"
            and c["details"].get("archived")]


def test_check_against_the_archive(work, archive_url):
    p = subprocess.run([sys.executable, "-m", "factcheck", "index", "seeds/", "--archive", archive_url,
                        "--no-progress"], capture_output=True, text=True, cwd=work)
    assert p.returncode == 0, p.stderr
    with Server("--archive", archive_url, log=work / "server.log", cwd=work) as s, s.client() as c:
        assert c.get("/healthz").json()["archive"] is True
        d = c.post("/v1/check", json={"text": SEED_001, "path": "drafts/001.md"}).json()
        found = conflicts(d)
        assert d["pass"] is False and found, d["summary"]
        assert any("1352亿元" in x["message"] and "1208亿元" in x["message"] for x in found)
        assert {x["details"]["archived"]["path"] for x in found} == {"seeds/003_a7e8c9d2e0f9aae0.txt"}
        assert d["configuration"]["archive"] == archive_url  # as shown: a password would be masked
        # the CLI's report of the same article against the same archive has the same findings
        (work / "drafts").mkdir()
        (work / "drafts" / "001.md").write_text(SEED_001, encoding="utf-8")
        p = subprocess.run([sys.executable, "-m", "factcheck", "check", "drafts/001.md", "--archive", archive_url,
                            "--format", "json", "--no-progress"], capture_output=True, cwd=work)
        cli = json.loads(p.stdout)
        assert [x["fingerprint"] for x in cli["checks"]] == [x["fingerprint"] for x in d["checks"]]
        assert {k: v for k, v in d.items() if k != "pass"} == cli
        # an article is not compared with its own archived copy (the same path)
        d = c.post("/v1/check", json={"text": SEED_003, "path": "seeds/003_a7e8c9d2e0f9aae0.txt"}).json()
        assert all(x["details"]["archived"]["path"] != "seeds/003_a7e8c9d2e0f9aae0.txt" for x in conflicts(d))
        r = c.post("/v1/index", json={"text": SEED_003, "path": "x.md"})
        assert r.status_code == 403 and r.json()["error"]["code"] == "index_not_allowed"


def test_index_then_check(work, archive_url):
    with Server("--archive", archive_url, "--allow-index", log=work / "server.log", cwd=work) as s, \
            s.client() as c:
        h = c.get("/healthz").json()
        assert h["archive"] is True and h["index"] is True
        # before: nothing archived, seed 001 alone passes the cross-article rule
        assert not conflicts(c.post("/v1/check", json={"text": SEED_001, "path": "drafts/001.md"}).json())
        r = c.post("/v1/index", json={"text": SEED_003, "path": "published/003.md", "date": "2024-06-01"})
        assert r.status_code == 200, r.text
        got = r.json()
        assert got["status"] == "indexed" and got["claims"] > 0 and got["facts"] > 0 and got["date"] == "2024-06-01"
        assert c.post("/v1/index", json={"text": SEED_003, "path": "published/003.md", "date": "2024-06-01"}
                      ).json()["status"] == "unchanged"
        r = c.post("/v1/index?path=published/003.md", content=SEED_003.encode(),
                   headers={"content-type": "text/markdown"})
        assert r.json()["status"] == "replaced"  # the date is gone: another article
        d = c.post("/v1/check", json={"text": SEED_001, "path": "drafts/001.md"}).json()
        found = conflicts(d)
        assert found and {x["details"]["archived"]["path"] for x in found} == {"published/003.md"}
        assert d["pass"] is False
        # an article to index needs its path (its key in the archive)
        r = c.post("/v1/index", json={"text": SEED_003})
        assert r.status_code == 422 and "path" in r.json()["error"]["message"]
        r = c.post("/v1/index", content=SEED_003.encode(), headers={"content-type": "text/plain"})
        assert r.status_code == 422
        assert "Traceback" not in s.log()
