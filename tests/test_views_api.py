"""The exhibition as JSON, and the health check."""

from __future__ import annotations

from flask.testing import FlaskClient


def test_gallery_json_has_rooms_doors_exhibits_and_agenda(client: FlaskClient) -> None:
    response = client.get("/api/gallery.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    data = response.get_json()
    assert data["title"] == {"fr": "Galerie d’essai", "en": "Test gallery"}
    assert data["languages"] == ["fr", "en"]
    assert [room["slug"] for room in data["rooms"]] == ["hall", "lab", "stage"]
    hall, lab, stage = data["rooms"]
    assert hall["title"] == {"fr": "Hall d’entrée", "en": "Entrance hall"}
    assert hall["doors"] == ["lab", "stage"]
    assert lab["doors"] == ["hall"]  # declared once, walkable both ways
    assert (lab["kind"], stage["kind"]) == ("gallery", "stage")
    assert lab["exhibits"] == [
        {"slug": "lanterns", "title": {"fr": "Lanternes", "en": "Lanterns"}},
        {"slug": "maps", "title": {"fr": "Cartes", "en": "Maps"}},
    ]
    assert stage["exhibits"] == []
    (session,) = data["agenda"]
    assert session["id"] == "opening"
    assert session["starts"] == "2021-06-17T14:00:00+02:00"
    assert session["ends"] == "2021-06-17T14:30:00+02:00"
    assert session["room"] == "stage"
    assert session["exhibit"] == "lab/lanterns"
    assert session["speakers"] == [
        {"name": "Ada Lovelace", "role": {"fr": "Animatrice", "en": "Host"}}
    ]


def test_gallery_json_revalidates_with_its_etag(client: FlaskClient) -> None:
    first = client.get("/api/gallery.json")
    again = client.get("/api/gallery.json", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_healthz(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok"
