from django.conf import settings
from django.utils import translation


class AdminLanguageMiddleware:
    """Wagtail's admin has no Kazakh translation. An editor who has not chosen an admin language and whose browser
    asks for Kazakh (or anything the admin does not speak) gets the admin in ADMIN_DEFAULT_LANGUAGE (Russian)
    rather than a mix of English and Kazakh. Editors change it under Account → Preferences."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = "/admin/"
        self.permitted = {code for code, _name in settings.WAGTAILADMIN_PERMITTED_LANGUAGES}

    def __call__(self, request):
        if request.path.startswith(self.admin_prefix) and translation.get_language() not in self.permitted:
            translation.activate(settings.ADMIN_DEFAULT_LANGUAGE)
            request.LANGUAGE_CODE = settings.ADMIN_DEFAULT_LANGUAGE
        return self.get_response(request)
