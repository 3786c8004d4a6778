"""The forms of the booking steps. Every message is in the visitor's language; a field with an error gets
aria-invalid and aria-describedby pointing at its message (templates/booking/field.html shows it)."""

import re
from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .iin import check_digit, parse_iin
from .models import Gender

OLDEST_AGE = 120  # a date of birth further back is a typing mistake


class AccessibleForm(forms.Form):
    """Marks the invalid fields for assistive technology: aria-invalid, and aria-describedby naming the message
    (id "<field id>_error") and the help text (id "<field id>_helptext", Django's own) that
    templates/booking/includes/field.html renders."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._describe()

    def add_error(self, field, error):
        super().add_error(field, error)
        self._describe()

    def _describe(self):
        errors = self._errors or {}
        for name, field in self.fields.items():
            auto_id = self[name].auto_id
            described = [f"{auto_id}_helptext"] if field.help_text else []
            if name in errors:
                described.insert(0, f"{auto_id}_error")
                field.widget.attrs["aria-invalid"] = "true"
            if described:
                field.widget.attrs["aria-describedby"] = " ".join(described)


class TypeForm(AccessibleForm):
    consultation_type = forms.ChoiceField(
        label=_("Consultation"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a consultation."),
            "invalid_choice": _("This consultation cannot be booked now. Choose another one."),
        },
    )


class DoctorForm(AccessibleForm):
    doctor = forms.ChoiceField(
        label=_("Doctor"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a doctor."),
            "invalid_choice": _("This doctor cannot be booked for this consultation now. Choose another one."),
        },
    )


class TimeForm(AccessibleForm):
    slot = forms.ChoiceField(
        label=_("Date and time"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a date and time."),
            "invalid_choice": _("This time was just taken. Please choose another one."),
        },
    )


def normalise_phone(value: str) -> str | None:
    """+7XXXXXXXXXX from what people type: spaces, dashes, brackets, 8 or 7 instead of +7. None if it is not a
    Kazakhstan number of 10 digits after the country code."""
    digits = re.sub(r"[\s\-().]", "", value or "")
    if re.fullmatch(r"\+7\d{10}", digits):
        return digits
    if re.fullmatch(r"[78]\d{10}", digits):
        return "+7" + digits[1:]
    return None


class DetailsForm(AccessibleForm):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=255,
        help_text=_("Surname, first name and patronymic, as in your identity document."),
        error_messages={"required": _("Enter your full name.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    iin = forms.CharField(
        label=_("IIN"),
        required=False,
        max_length=20,
        help_text=_("12 digits. The clinic uses it to find your medical record."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    no_iin = forms.BooleanField(label=_("I have no IIN"), required=False)
    gender = forms.ChoiceField(
        label=_("Gender"),
        choices=Gender.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose your gender.")},
    )
    birth_date = forms.DateField(
        label=_("Date of birth"),
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        error_messages={
            "required": _("Enter your date of birth."),
            "invalid": _("Enter the date of birth as a date, e.g. 31.12.1990."),
        },
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        help_text=_("A Kazakhstan mobile number: +7 and 10 digits, e.g. +7 701 123 45 67."),
        error_messages={"required": _("Enter your phone number.")},
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        help_text=_("The confirmation of your booking is sent here."),
        error_messages={
            "required": _("Enter your e-mail address."),
            "invalid": _("Enter an e-mail address such as name@example.kz."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    questions = forms.CharField(
        label=_("Questions or complaints (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_full_name(self):
        name = " ".join(self.cleaned_data["full_name"].split())
        words = [word for word in name.split(" ") if any(char.isalpha() for char in word)]
        if len(words) < 2:
            raise forms.ValidationError(_("Enter your surname and first name: at least two words."))
        return name

    def clean_iin(self):
        value = re.sub(r"\s", "", self.cleaned_data.get("iin") or "")
        if self.data.get(self.add_prefix("no_iin")) in ("on", "true", "1", "True"):
            return ""
        if not value:
            raise forms.ValidationError(_("Enter your IIN, or tick “I have no IIN”."))
        if not re.fullmatch(r"\d{12}", value):
            raise forms.ValidationError(_("The IIN has exactly 12 digits."))
        if check_digit(value[:11]) != int(value[11]):
            raise forms.ValidationError(_("This IIN is not valid: its last digit does not match. Please check it."))
        if parse_iin(value) is None:
            raise forms.ValidationError(_("This IIN is not valid: its first digits are not a date of birth."))
        return value

    def clean_birth_date(self):
        born = self.cleaned_data["birth_date"]
        today = timezone.localdate()
        if born >= today:
            raise forms.ValidationError(_("The date of birth must be in the past."))
        if born < date(today.year - OLDEST_AGE, 1, 1):
            raise forms.ValidationError(_("Please check the year of birth."))
        return born

    def clean_phone(self):
        phone = normalise_phone(self.cleaned_data["phone"])
        if phone is None:
            raise forms.ValidationError(_("Enter a Kazakhstan phone number: +7 and 10 digits, e.g. +7 701 123 45 67."))
        return phone

    def clean(self):
        cleaned = super().clean()
        iin, born = cleaned.get("iin"), cleaned.get("birth_date")
        if iin and born:
            facts = parse_iin(iin)
            if facts is not None and facts.birth_date != born:
                self.add_error("birth_date", _("The date of birth does not match your IIN. Please check both of them."))
        return cleaned


class SummaryForm(AccessibleForm):
    accept_offer = forms.BooleanField(
        error_messages={"required": _("To book, accept the public offer agreement.")},
    )
    accept_consent = forms.BooleanField(
        error_messages={"required": _("To book, give the informed voluntary consent.")},
    )
