"""RFC 3161 trusted timestamps: a time-stamping authority vouches that a release existed.

A release's ``datapackage.json`` lists the size and sha256 of every file in
the WACZ, the run's records among them, and the manifest chain up to the
manifest current at release time; its sha256 is the one message a
time-stamping authority (TSA) is asked to sign. The signed response (a
``TimeStampResp``, DER, the ``.tsr`` of ``openssl ts``) binds that hash to a
time the authority states, under its certificate. Anyone can check it later
without us: ``openssl ts -verify -data datapackage.json -in <run>.<tsa>.tsr
-CAfile <the authority's root>``.

Authorities are configured, never assumed: a TOML file (``--tsa-config`` or
``$SNHR_TSA_CONFIG``) lists each one's ``name``, ``url`` and ``roots`` (PEM
files of the certificates its chain must end in; ``intermediates`` when the
responses do not carry them), relative paths from the file's folder::

    [[authority]]
    name = "freetsa"
    url = "https://freetsa.org/tsr"
    roots = ["freetsa-cacert.pem"]

No authority is configured by default. A request is one plain HTTP POST
(``application/timestamp-query``), with a timeout; the release is offline
tooling, not a crawl, so it does not go through Scrapy.

``verify_token`` checks a stored response: the authority granted it, the
hash it signed is the release's, the signature holds, the signer's
certificate is for time-stamping (critical extendedKeyUsage) and chains to
the configured roots, valid at the time it states (``rfc3161-client``).
Without a configured root for that authority the signature is checked
against the certificates the response carries, and the chain is reported
as not checked.
"""

from __future__ import annotations

import base64
import hashlib
import re
import tomllib
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from snhr_crawler import __version__

ENV_VAR = "SNHR_TSA_CONFIG"
INSTALL_HINT = "pip install 'snhr-crawler[release]'"
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")
_MAX_REPLY = 1 << 20  # a response is a few KB; anything past a MB is not one


class ConfigError(ValueError):
    """The TSA configuration file is unreadable or wrong: one line saying where."""


class TimestampError(RuntimeError):
    """An authority did not answer, or answered with no usable token."""


@dataclass(frozen=True)
class Authority:
    """One configured time-stamping authority."""

    name: str
    url: str
    roots: tuple[bytes, ...]  # PEM bytes of each roots file
    intermediates: tuple[bytes, ...] = ()
    timeout: float = 30.0


def load_authorities(path: Path) -> list[Authority]:
    """The authorities a TOML file configures; ``ConfigError`` names the first problem."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: not TOML: {exc}") from exc
    entries = data.get("authority")
    if not isinstance(entries, list) or not entries:
        raise ConfigError(f"{path}: no [[authority]] table")
    unknown = sorted(set(data) - {"authority"})
    if unknown:
        raise ConfigError(f"{path}: unknown key {unknown[0]!r} (expected [[authority]] tables)")
    authorities: list[Authority] = []
    for number, entry in enumerate(entries, start=1):
        authorities.append(_authority(path, number, entry))
    names = [a.name for a in authorities]
    doubled = sorted({name for name in names if names.count(name) > 1})
    if doubled:
        raise ConfigError(f"{path}: authority {doubled[0]!r} is configured twice")
    return authorities


def _authority(path: Path, number: int, entry: Any) -> Authority:
    where = f"{path}: authority #{number}"
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: expected a table")
    unknown = sorted(set(entry) - {"name", "url", "roots", "intermediates", "timeout"})
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]!r}")
    name = entry.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise ConfigError(
            f"{where}: name must be 1-32 of a-z 0-9 _ - (it names files), got {name!r}"
        )
    url = entry.get("url")
    if not isinstance(url, str) or not re.match(r"^https?://[^/\s]+", url):
        raise ConfigError(f"{where} ({name}): url must be an http(s) URL, got {url!r}")
    timeout = entry.get("timeout", 30)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not 0 < timeout <= 600:
        raise ConfigError(f"{where} ({name}): timeout must be 0 < seconds <= 600, got {timeout!r}")
    roots = _pems(path, where, name, entry.get("roots"), "roots", required=True)
    intermediates = _pems(path, where, name, entry.get("intermediates", []), "intermediates")
    return Authority(name, url, roots, intermediates, float(timeout))


def _pems(
    path: Path, where: str, name: str, value: Any, key: str, *, required: bool = False
) -> tuple[bytes, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{where} ({name}): {key} must be a list of PEM file paths")
    if required and not value:
        raise ConfigError(f"{where} ({name}): {key} is empty: a token is only as good as its chain")
    found = []
    for item in value:
        pem_path = (path.parent / item) if not Path(item).is_absolute() else Path(item)
        try:
            pem = pem_path.read_bytes()
        except OSError as exc:
            raise ConfigError(
                f"{where} ({name}): {key}: cannot read {pem_path}: {exc.strerror}"
            ) from exc
        if not _certificates(pem):
            raise ConfigError(f"{where} ({name}): {key}: no PEM certificate in {pem_path}")
        found.append(pem)
    return tuple(found)


def _certificates(pem: bytes) -> list[Any]:
    from cryptography import x509

    try:
        return list(x509.load_pem_x509_certificates(pem))
    except ValueError:
        return []


# -- asking --------------------------------------------------------------------------------
def request_token(authority: Authority, message: bytes) -> bytes:
    """The authority's signed response over sha256(``message``), checked; ``TimestampError``."""
    from rfc3161_client import HashAlgorithm, TimestampRequestBuilder

    query = TimestampRequestBuilder().data(message).hash_algorithm(HashAlgorithm.SHA256).build()
    request = urllib.request.Request(  # noqa: S310 -- http(s) only, checked in the config
        authority.url,
        data=query.as_bytes(),
        method="POST",
        headers={
            "Content-Type": "application/timestamp-query",
            "Accept": "application/timestamp-reply",
            "User-Agent": f"snhr-crawler/{__version__} (release timestamp)",
        },
    )
    where = f"{authority.name} ({authority.url})"
    try:
        with urllib.request.urlopen(request, timeout=authority.timeout) as answer:  # noqa: S310
            reply = answer.read(_MAX_REPLY + 1)
    except urllib.error.HTTPError as exc:
        raise TimestampError(f"{where}: answered HTTP {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        raise TimestampError(f"{where}: {exc.reason}") from exc
    except (OSError, TimeoutError) as exc:
        raise TimestampError(f"{where}: {exc}") from exc
    if len(reply) > _MAX_REPLY:
        raise TimestampError(f"{where}: answered more than {_MAX_REPLY} bytes: not a timestamp")
    check = verify_token(reply, message, authority, nonce=query.nonce)
    if check.problems:
        raise TimestampError(f"{where}: {check.problems[0]}")
    return reply


# -- checking ------------------------------------------------------------------------------
@dataclass
class TokenCheck:
    """What a stored response says, and what does not hold."""

    tsa: str
    gen_time: str = ""
    serial: str = ""
    policy: str = ""
    signer: str = ""  # the TSA certificate's subject
    imprint: str = ""  # "sha256:<hex>" it signed
    chain: str = "configured"  # "configured" roots, or only the "embedded" certificates
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {
            "tsa": self.tsa,
            "gen_time": self.gen_time,
            "serial": self.serial,
            "policy": self.policy,
            "signer": self.signer,
            "imprint": self.imprint,
            "chain": self.chain,
            "ok": self.ok,
            "problems": list(self.problems),
        }


def verify_token(
    response: bytes,
    message: bytes,
    authority: Authority | None,
    *,
    tsa: str | None = None,
    nonce: int | None = None,
) -> TokenCheck:
    """Check a stored response over ``message``; see the module docstring."""
    from cryptography import x509
    from rfc3161_client import (
        PKIStatus,
        VerificationError,
        VerifierBuilder,
        decode_timestamp_response,
    )

    check = TokenCheck(tsa or (authority.name if authority else "?"))
    try:
        decoded = decode_timestamp_response(response)
    except ValueError as exc:
        check.problems.append(f"not an RFC 3161 response: {exc}")
        return check
    if PKIStatus(decoded.status) not in (PKIStatus.GRANTED, PKIStatus.GRANTED_WITH_MODS):
        check.problems.append(
            f"the authority refused: status {decoded.status} {decoded.status_string}"
        )
        return check
    info = decoded.tst_info
    check.gen_time = info.gen_time.isoformat().replace("+00:00", "Z")
    check.serial = f"{info.serial_number:#x}"
    check.policy = info.policy.dotted_string
    imprint = info.message_imprint
    check.imprint = f"{_algorithm(imprint.hash_algorithm.dotted_string)}:{imprint.message.hex()}"
    carried = [x509.load_der_x509_certificate(der) for der in decoded.signed_data.certificates]
    signer = _signer(decoded, carried)
    check.signer = signer.subject.rfc4514_string() if signer is not None else ""
    expected = hashlib.new(_algorithm(imprint.hash_algorithm.dotted_string) or "sha256", message)
    if imprint.message != expected.digest():
        check.problems.append(
            f"it signs {check.imprint}, not this release's {expected.name}:{expected.hexdigest()}"
        )
    if authority is not None:
        roots = [cert for pem in authority.roots for cert in _certificates(pem)]
        intermediates = [cert for pem in authority.intermediates for cert in _certificates(pem)]
    else:  # nothing to trust: the signature, against what the response carries
        check.chain = "embedded"
        roots, intermediates = carried, []
    if not roots:
        check.problems.append("no certificate to check the signature with")
        return check
    builder = VerifierBuilder(roots=roots, intermediates=intermediates, nonce=nonce)
    try:
        builder.build().verify(decoded, imprint.message)
    except VerificationError as exc:
        check.problems.append(f"signature or chain does not hold: {exc}")
    return check


def _signer(decoded: Any, certificates: list[Any]) -> Any:
    for info in decoded.signed_data.signer_infos:
        for cert in certificates:
            if cert.issuer == info.issuer and cert.serial_number == info.serial_number:
                return cert
    return None


def _algorithm(oid: str) -> str:
    return {
        "2.16.840.1.101.3.4.2.1": "sha256",
        "2.16.840.1.101.3.4.2.2": "sha384",
        "2.16.840.1.101.3.4.2.3": "sha512",
    }.get(oid, "")


def stored(authority: Authority, response: bytes, message: bytes) -> dict[str, Any]:
    """The entry a release keeps for one token (in ``datapackage-digest.json``)."""
    check = verify_token(response, message, authority)
    return {
        "tsa": authority.name,
        "url": authority.url,
        "gen_time": check.gen_time,
        "serial": check.serial,
        "signer": check.signer,
        "hash": check.imprint,
        "response": base64.b64encode(response).decode("ascii"),
    }


def response_of(entry: dict[str, Any]) -> bytes:
    """The DER response a stored entry holds; ``ValueError`` when it holds none."""
    text = entry.get("response")
    if not isinstance(text, str):
        raise ValueError("no response")
    return base64.b64decode(text, validate=True)


def available() -> bool:
    """Whether the ``release`` extra (rfc3161-client) is installed."""
    try:
        import rfc3161_client  # noqa: F401
    except ImportError:
        return False
    return True
