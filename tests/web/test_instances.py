"""Two instances on one machine: each serves its own port in its public URLs and has its own control socket."""

import shutil
import subprocess

import pytest

from app.cli.serve import control_socket
from tests.conftest import ROOT


def test_each_instance_has_its_own_control_socket(tmp_path):
    first, second = control_socket(str(tmp_path / "a")), control_socket(str(tmp_path / "b"))
    assert first == str(tmp_path / "a" / "gunicorn.ctl") and second == str(tmp_path / "b" / "gunicorn.ctl")
    assert control_socket("/" + "x" * 120) is None  # too long for a Unix socket: left off, not shared


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
@pytest.mark.parametrize("args,url", [(["PORT=5001"], "http://127.0.0.1:5001"),
                                      (["PORT=5001", "PUBLIC_URL=https://desk.example"], "https://desk.example")])
def test_make_run_public_url_follows_the_port(args, url):
    plan = subprocess.run(["make", "-n", "-C", str(ROOT), "run", *args], capture_output=True, text=True,
                          check=True, env={"PATH": "/usr/bin:/bin"}).stdout
    serve = next(line for line in plan.splitlines() if "claimdesk serve" in line)
    demo = next(line for line in plan.splitlines() if "claimdesk demo" in line)
    assert f"CLAIMDESK_PUBLIC_URL={url} " in serve and f"CLAIMDESK_PUBLIC_URL={url} " in demo
    assert "--port 5001" in serve
