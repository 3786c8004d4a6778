"""Hostile or broken uploads are refused with a message, and nothing is stored."""

import io
from html import unescape as html_unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("uploader", "u@example.com", "secret"))
    return client


def png(width=40, height=30) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 60)).save(buffer, "PNG")
    return buffer.getvalue()


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (20, 130, 60)).save(buffer, "JPEG")
    return buffer.getvalue()


def upload_image(client, name: str, content: bytes):
    before = get_image_model().objects.count()
    response = client.post(
        reverse("wagtailimages:add"),
        {"title": "Test", "file": SimpleUploadedFile(name, content), "collection": 1},
        headers={"accept-language": "en"},
    )
    return response, get_image_model().objects.count() - before


def test_a_real_image_is_accepted(editor):
    response, added = upload_image(editor, "photo.png", png())
    assert added == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "Not a supported image format",
        ),
        ("fake.png", b"this is not an image at all", "not an image or a corrupted image"),
        ("renamed.png", jpeg(), "does not match"),
        ("bomb.png", png(8000, 6000), "too many pixels"),
        ("huge.jpg", b"\xff\xd8\xff" + b"0" * (11 * 1024 * 1024), "This file is too big"),
    ],
    ids=["svg", "not-an-image", "wrong-extension", "decompression-bomb", "over-10-MB"],
)
def test_bad_images_are_refused_with_a_message(editor, name, content, message):
    response, added = upload_image(editor, name, content)
    assert added == 0
    assert message.lower() in response.content.decode().lower()


def upload_document(client, name: str, content: bytes):
    before = get_document_model().objects.count()
    response = client.post(
        reverse("wagtaildocs:add"),
        {"title": name, "file": SimpleUploadedFile(name, content), "collection": 1},
        headers={"accept-language": "en"},
    )
    return response, get_document_model().objects.count() - before


@pytest.mark.parametrize("name", ["setup.exe", "page.html", "macro.docm", "drawing.svg"])
def test_documents_outside_the_allow_list_are_refused(editor, name):
    response, added = upload_document(editor, name, b"MZ not welcome")
    assert added == 0
    assert "is not allowed" in response.content.decode()


def test_pdf_opens_in_the_browser_and_word_files_download(editor, client):
    upload_document(editor, "formulary.pdf", b"%PDF-1.4 formulary")
    upload_document(editor, "contract.docx", b"PK\x03\x04 docx")
    pdf = get_document_model().objects.get(title="formulary.pdf")
    word = get_document_model().objects.get(title="contract.docx")
    assert client.get(pdf.url)["Content-Disposition"].startswith("inline")
    assert client.get(word.url)["Content-Disposition"].startswith("attachment")


# -- A PNG signature in front of something else (an HTML page renamed .png) ---------------------------------------

NOT_AN_IMAGE = "Upload a valid image. The file you uploaded was either not an image or a corrupted image."
PNG_SIGNATURE_THEN_HTML = b"\x89PNG\r\n\x1a\n" + b"<html><body><script>alert(document.cookie)</script></body></html>"


def upload_through(client, path: str, name: str, content: bytes):
    """POST the file through one of the admin's image upload forms: (what the editor reads, images added)."""
    before = get_image_model().objects.count()
    upload = SimpleUploadedFile(name, content)
    headers = {"accept-language": "en"}
    if path == "add":
        response = client.post(
            reverse("wagtailimages:add"), {"title": "Test", "file": upload, "collection": 1}, headers=headers
        )
        shown = response.content.decode()
    elif path == "multiple":
        response = client.post(
            reverse("wagtailimages:add_multiple"), {"files[]": upload, "collection": 1}, headers=headers
        )
        assert response.json()["success"] is False
        shown = response.json()["error_message"]
    elif path == "chooser":
        data = {"image-chooser-upload-title": "Test", "image-chooser-upload-file": upload}
        data["image-chooser-upload-collection"] = 1
        response = client.post(reverse("wagtailimages_chooser:create"), data, headers=headers)
        shown = response.json()["htmlFragment"]
    else:  # replacing the file of an existing image
        image = get_image_model().objects.create(title="Existing", file=SimpleUploadedFile("existing.png", png()))
        before += 1
        response = client.post(
            reverse("wagtailimages:edit", args=[image.pk]),
            {"title": "Existing", "file": upload, "collection": 1, "tags": ""},
            headers=headers,
        )
        shown = response.content.decode()
        image.refresh_from_db()
        with image.open_file() as kept:
            assert kept.read() == png()  # the image keeps its file
    assert response.status_code == 200
    return shown, get_image_model().objects.count() - before


@pytest.mark.parametrize("path", ["add", "multiple", "chooser", "edit"])
def test_a_png_signature_followed_by_html_is_refused_as_not_an_image(editor, path):
    shown, added = upload_through(editor, path, "page.png", PNG_SIGNATURE_THEN_HTML)
    assert added == 0
    assert NOT_AN_IMAGE in html_unescape(shown)


@pytest.mark.parametrize("path", ["add", "multiple", "chooser"])
def test_a_real_png_is_accepted_on_every_upload_path(editor, path):
    before = get_image_model().objects.count()
    upload = SimpleUploadedFile("photo.png", png())
    if path == "add":
        editor.post(reverse("wagtailimages:add"), {"title": "Photo", "file": upload, "collection": 1})
    elif path == "multiple":
        response = editor.post(reverse("wagtailimages:add_multiple"), {"files[]": upload, "collection": 1})
        assert response.json()["success"] is True
    else:
        data = {"image-chooser-upload-title": "Photo", "image-chooser-upload-file": upload}
        data["image-chooser-upload-collection"] = 1
        editor.post(reverse("wagtailimages_chooser:create"), data)
    assert get_image_model().objects.count() == before + 1
