"""The rating scale's admin pages."""


def test_admin_pages(admin_client, checker_client):
    assert checker_client.get("/admin/ratings").status_code == 403
    page = admin_client.get("/admin/ratings").get_data(as_text=True)
    assert "Mostly false" in page and "pants on fire" in page
    response = admin_client.post("/admin/ratings", data={"key": "satire", "label": "Satire", "rating_value": ""})
    assert response.status_code == 303
    response = admin_client.post("/admin/ratings", data={"key": "x y", "label": ""})
    assert response.status_code == 422 and "lower-case" in response.get_data(as_text=True)
    response = admin_client.post("/admin/ratings/mappings", data={"label": "Satire!", "rating_key": "satire"})
    assert response.status_code == 303
