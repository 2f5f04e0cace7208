"""RFC 3161 timestamps from a local ``openssl ts`` authority, checked by ``verify``.

The tokens are OpenSSL's own (``tests/release/tsa.py``), nothing mocked. A
token is checked at the time it states (its genTime: ``rfc3161-client``), so
no outcome here depends on today's date; under ``make test-clock`` the
authority's certificates are made on the moved clock as well.
"""

from __future__ import annotations

import base64
import json
import shutil
from pathlib import Path

import pytest

from snhr_crawler.cli import main
from tests.release.conftest import Released

pytestmark = pytest.mark.e2e


def copy(released: Released, tmp_path: Path) -> Path:
    archive = tmp_path / "archive"
    shutil.copytree(released.archive, archive)
    return archive


def verify(
    archive: Path, released: Released, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str]:
    code = main(["verify", "--archive", str(archive), "--tsa-config", str(released.tsa_config)])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_release_stores_a_token_per_run_beside_the_wacz_and_in_the_archive(
    released: Released,
) -> None:
    for wacz in released.output.glob("*.wacz"):
        beside = wacz.with_name(f"{wacz.stem}.local.tsr")
        kept = released.archive / "releases" / wacz.stem
        assert beside.read_bytes() == (kept / "local.tsr").read_bytes()
        (stamp,) = json.loads((kept / "datapackage-digest.json").read_text())["timestamps"]
        assert base64.b64decode(stamp["response"]) == beside.read_bytes()


def test_verify_checks_the_tokens_against_the_configured_root(
    released: Released, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = verify(released.archive, released, capsys)
    assert code == 0, out
    assert "3 release(s), 3 timestamp(s) checked" in out
    assert "timestamp chains" not in out  # the root was configured: the chains were checked


def test_openssl_itself_accepts_a_stored_token(released: Released) -> None:
    import subprocess

    wacz = next(released.output.glob("2*.wacz"))
    kept = released.archive / "releases" / wacz.stem
    result = subprocess.run(
        ["openssl", "ts", "-verify", "-data", str(kept / "datapackage.json"),
         "-in", str(kept / "local.tsr"), "-CAfile", str(released.tsa_config.parent / "ca.pem")],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert "Verification: OK" in result.stdout, result.stdout + result.stderr


def test_a_tampered_datapackage_fails_verify(
    released: Released, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = copy(released, tmp_path)
    name = next(released.output.glob("2*.wacz")).stem
    path = archive / "releases" / name / "datapackage.json"
    path.write_bytes(path.read_bytes().replace(b'"format": 1', b'"format": 2', 1))
    code, out = verify(archive, released, capsys)
    assert code != 0
    assert "FAIL" in out
    assert f"releases/{name}: timestamp local: it signs sha256:" in out
    assert "not this release's sha256:" in out


def test_a_tampered_manifest_fails_verify(
    released: Released, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = copy(released, tmp_path)
    name = next(released.output.glob("2*.wacz")).stem
    path = archive / "releases" / name / "manifest.json"
    path.write_bytes(path.read_bytes() + b" ")
    code, out = verify(archive, released, capsys)
    assert code != 0
    assert f"releases/{name}: manifest.json kept with the release is not the one released" in out


def test_a_tampered_token_fails_verify(
    released: Released, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = copy(released, tmp_path)
    name = next(released.output.glob("2*.wacz")).stem
    digest_path = archive / "releases" / name / "datapackage-digest.json"
    digest = json.loads(digest_path.read_text())
    token = bytearray(base64.b64decode(digest["timestamps"][0]["response"]))
    token[-10] ^= 0xFF  # inside the signature
    digest["timestamps"][0]["response"] = base64.b64encode(bytes(token)).decode()
    digest_path.write_text(json.dumps(digest))
    code, out = verify(archive, released, capsys)
    assert code != 0
    assert f"releases/{name}: timestamp local:" in out


def test_a_token_under_another_root_fails_verify(
    released: Released, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.release.tsa import make_authority

    other = tmp_path / "other"
    make_authority(other, "Another TSA")
    config = tmp_path / "authorities.toml"
    config.write_text(f'[[authority]]\nname = "local"\nurl = "http://127.0.0.1:1/tsr"\n'
                      f'roots = ["{other / "ca.pem"}"]\n', "utf-8")  # fmt: skip
    code = main(["verify", "--archive", str(released.archive), "--tsa-config", str(config)])
    out = capsys.readouterr()
    assert code != 0
    assert "timestamp local: signature or chain does not hold" in out.out + out.err
