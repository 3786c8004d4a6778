"""The admin's image form (WAGTAILIMAGES_IMAGE_FORM_BASE), used by every upload path: add, multiple upload, the
chooser's upload tab and replacing an image's file.

Wagtail recognises an image by its first bytes, then reads its size with Pillow outside its own error handling: a
file that starts with a PNG (or JPEG...) signature and goes on with anything else (an HTML page renamed .png) made
the upload a 500. Here any failure to read the file is the same refusal as any other non-image."""

from django.core.exceptions import ValidationError
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm


class ReadableImageField(WagtailImageField):
    def to_python(self, data):
        try:
            return super().to_python(data)
        except ValidationError:
            raise
        except Exception as error:  # noqa: BLE001 - Pillow raises many kinds of error on malformed data
            raise ValidationError(self.error_messages["invalid_image"], code="invalid_image") from error


class ImageForm(BaseImageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        if field is not None and not isinstance(field, ReadableImageField):
            # The same field Wagtail builds (label, widget and its attributes, help text), reading safely.
            readable = ReadableImageField(
                label=field.label, required=field.required, widget=field.widget, max_length=field.max_length
            )
            readable.initial, readable.show_hidden_initial = field.initial, field.show_hidden_initial
            self.fields["file"] = readable
