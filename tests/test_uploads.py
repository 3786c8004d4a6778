"""Hostile or broken uploads are refused with a message, and nothing is stored."""

import io

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
