"""``neuronlab lab``: serve the tour in the browser (127.0.0.1 unless told otherwise)."""

from __future__ import annotations

import argparse
import sys

from ._common import CLIError, wrap

NAME = "lab"

EPILOG = """\
examples:
  neuronlab lab                      serve on http://127.0.0.1:8765/ and open the browser
  neuronlab lab --port 9000 --no-browser
  neuronlab lab --host 0.0.0.0       reachable from other machines: only on a trusted network

If the port is taken, the next free one is used. Ctrl-C stops the lab.
"""


def add_parser(sub) -> None:
    p = sub.add_parser(
        "lab",
        help="the hands-on tour in your browser",
        description=wrap(
            "Serve the lab: the tour of neural networks with live experiments, in the browser. "
            "It listens on 127.0.0.1 (this machine only) unless --host says otherwise."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--port", type=int, default=8765, help="port to try first (8765)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (127.0.0.1)")
    p.add_argument("--no-browser", action="store_true", help="do not open a browser window")
    p.set_defaults(func=run)


def open_browser(url: str) -> bool:
    """Open ``url`` in the user's browser; ``False`` when no browser could be started (a server
    without a display, a container, no browser installed)."""
    import webbrowser

    try:
        return bool(webbrowser.open(url))
    except webbrowser.Error:
        return False


def run(args: argparse.Namespace) -> int:
    if not 0 <= args.port <= 65535:
        raise CLIError(f"--port expects a number from 0 to 65535, got {args.port}")
    from ..web.server import serve

    def ready(url: str) -> None:
        print(f"neuronlab lab is running at {url}  (Ctrl-C to stop)", flush=True)
        if args.host not in ("127.0.0.1", "localhost", "::1"):
            print(
                f"warning: listening on {args.host}: other machines can reach the lab",
                file=sys.stderr,
                flush=True,
            )
        if not args.no_browser and not open_browser(url):
            print(f"No browser could be opened here: open {url} yourself.", flush=True)

    try:
        serve(host=args.host, port=args.port, on_ready=ready)
    except OSError as e:
        raise CLIError(f"cannot listen on {args.host}:{args.port} ({e.strerror or e})") from None
    except KeyboardInterrupt:
        pass
    print("neuronlab lab stopped", flush=True)
    return 0
