"""`claimdesk serve`'s workers are warm before their first request (bench/load.py found cold first pages)."""

import json
import runpy

from app.cli import serve


def test_warm_up_compiles_every_template_before_a_request(app):
    names = [n for n in app.jinja_env.list_templates() if n.endswith((".html", ".xml", ".txt"))]
    assert "claims/show.html" in names and "queue/index.html" in names
    assert not any(key[1] == "claims/show.html" for key in app.jinja_env.cache)
    assert serve.warm_up(app) == len(names)
    cached = {key[1] for key in app.jinja_env.cache}
    assert set(names) <= cached


def test_gunicorn_warms_each_worker_up_before_it_serves(monkeypatch, app):
    monkeypatch.setenv("CLAIMDESK_SERVE", json.dumps({
        "bind": "127.0.0.1:0", "workers": 2, "threads": 8, "keep_alive": 75, "max_requests": 5000,
        "control_socket": None}))
    settings = runpy.run_path(serve.GUNICORN_CONF)
    assert settings["worker_class"] == "gthread" and settings["keepalive"] == 75

    class Worker:  # what gunicorn hands the hook: the worker, its application loaded
        wsgi = app

    settings["post_worker_init"](Worker())
    assert {"claims/show.html", "queue/index.html"} <= {key[1] for key in app.jinja_env.cache}
