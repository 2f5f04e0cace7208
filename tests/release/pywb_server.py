"""pywb's own replay server on loopback: ``python -m tests.release.pywb_server DIR``.

What ``wayback`` runs (pywb's ``FrontEndApp`` behind its ``GeventServer``),
with ``DIR`` (a pywb root: ``collections/<name>/``) as the working folder,
bound to 127.0.0.1 on a port the system picks. The one difference from
``wayback -p PORT`` is that the port it got is printed on stdout first, so a
test reads it instead of guessing a free port and polling until it opens.
"""

from gevent.monkey import patch_all

patch_all()

import os  # noqa: E402
import sys  # noqa: E402

from pywb.apps.frontendapp import FrontEndApp  # noqa: E402
from pywb.utils.geventserver import GeventServer, RequestURIWSGIHandler  # noqa: E402


def main(root: str) -> None:
    os.chdir(root)
    server = GeventServer(FrontEndApp(config_file=None), port=0, hostname="127.0.0.1",
                          handler_class=RequestURIWSGIHandler)  # fmt: skip
    print(server.port, flush=True)
    server.join()


if __name__ == "__main__":
    main(sys.argv[1])
