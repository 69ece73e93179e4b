import re


def test_pages_send_a_strict_csp_and_no_store(checker_client):
    response = checker_client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-eval" not in csp and "unsafe-inline" not in csp
    assert "style-src 'self'" in csp
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "HX-Request" in response.headers["Vary"]


def test_pages_have_no_inline_script_style_or_eval_attributes(checker_client, admin_client):
    for client, path in [(checker_client, "/"), (checker_client, "/search/"), (checker_client, "/documents/new"),
                         (admin_client, "/admin/users")]:
        page = client.get(path).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)", page), path
        assert " style=" not in page and "hx-on" not in page and "js:" not in page, path
        assert '"allowEval": false' in page and '"historyCacheSize": 0' in page


def test_htmx_is_served_from_our_static_files(checker_client):
    page = checker_client.get("/").get_data(as_text=True)
    assert '/static/vendor/htmx.min.js' in page
    assert "unpkg" not in page and "jsdelivr" not in page


def test_htmx_error_answers_raise_a_toast(checker_client):
    response = checker_client.get("/documents/99999", headers={"HX-Request": "true"})
    assert response.status_code == 404
    assert "toast" in response.headers["HX-Trigger"]
