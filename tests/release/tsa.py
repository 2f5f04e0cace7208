"""A local RFC 3161 time-stamping authority: OpenSSL's own ``openssl ts``, behind loopback HTTP.

``with local_authority(tmp) as tsa:`` makes, in ``tmp``, a root CA, a TSA
certificate it signs (extendedKeyUsage critical timeStamping), the
``openssl ts`` configuration, and serves ``POST /tsr`` on 127.0.0.1: each
query goes through ``openssl ts -reply``, the answer comes back as
``application/timestamp-reply``. ``tsa.config`` is a TOML file naming it
with its root, as an archivist would write one; ``tsa.queries`` counts the
queries answered. Nothing is mocked: the tokens are OpenSSL's.
"""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

EXTENSIONS = """\
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,nonRepudiation
extendedKeyUsage=critical,timeStamping
"""

TSA_CONFIG = """\
[ tsa ]
default_tsa = local
[ local ]
dir = {dir}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.pem
certs = $dir/ca.pem
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.3.6.1.4.1.99999.1
other_policies = 1.3.6.1.4.1.99999.2
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


def make_authority(folder: Path, name: str = "Test TSA") -> Path:
    """Keys, certificates and the ``openssl ts`` configuration in ``folder``; returns the config."""
    folder.mkdir(parents=True, exist_ok=True)
    ec = ("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes")
    _openssl("req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "7300",
             "-subj", f"/CN={name} Root CA", "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=folder)  # fmt: skip
    _openssl("req", *ec, "-keyout", "tsa.key", "-out", "tsa.csr", "-subj", f"/CN={name}",
             cwd=folder)  # fmt: skip
    (folder / "ext.cnf").write_text(EXTENSIONS, "utf-8")
    _openssl("x509", "-req", "-in", "tsa.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
             "-set_serial", "2", "-days", "3650", "-extfile", "ext.cnf", "-out", "tsa.pem",
             cwd=folder)  # fmt: skip
    (folder / "serial").write_text("01\n", "utf-8")
    config = folder / "tsa.cnf"
    config.write_text(TSA_CONFIG.format(dir=folder), "utf-8")
    return config


@dataclass
class LocalAuthority:
    folder: Path
    url: str
    config: Path  # the TOML an archivist writes: name, url, roots
    root_pem: Path
    queries: int = 0


@contextmanager
def local_authority(folder: Path, name: str = "local") -> Iterator[LocalAuthority]:
    openssl_config = make_authority(folder)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            query = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            reply = subprocess.run(
                ["openssl", "ts", "-reply", "-config", str(openssl_config), "-queryfile",
                 "/dev/stdin", "-out", "/dev/stdout"],
                input=query, capture_output=True, check=False, timeout=60,
            )  # fmt: skip
            if reply.returncode != 0 or not reply.stdout:
                self.send_error(500, "openssl ts -reply failed")
                return
            authority.queries += 1
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(reply.stdout)))
            self.end_headers()
            self.wfile.write(reply.stdout)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    url = f"http://127.0.0.1:{server.server_address[1]}/tsr"
    toml = folder / "authorities.toml"
    toml.write_text(f'[[authority]]\nname = "{name}"\nurl = "{url}"\nroots = ["ca.pem"]\n', "utf-8")
    authority = LocalAuthority(folder, url, toml, folder / "ca.pem")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield authority
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
