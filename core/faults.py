"""What a visitor sees when the database is down: a static 503 page in their language, with Retry-After.

Django calls handler500 (config/urls.py) inside the `except` clause of its request handling, for an exception raised
anywhere: in a view, in a middleware (the session and the signed-in user are read there), while a template renders,
or in another error handler (the 404 page's menu reads the database too). So `sys.exc_info()` tells this handler
whether the failure was the database being unreachable. Any other exception still gets the static 500 page.

Nothing here may touch the database: the page is rendered without a RequestContext (the auth context processor would
read the session) and only with i18n tags; its styles are inline, so no static file is needed either.
"""

import logging
import sys

from django.conf import settings
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.utils import translation
from django.views.defaults import server_error as django_server_error

logger = logging.getLogger(__name__)

# OperationalError: cannot connect, connection lost, server shutting down, statement timeout.
# InterfaceError: the connection was already closed under us.
DATABASE_DOWN = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 60
# The static pages' own policy (503 and 500): nothing may load, only their inline <style> applies (the site's policy
# would block it; core.middleware leaves responses >= 500 alone).
POLICY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"


def database_is_down(exc: BaseException | None) -> bool:
    """True if exc, or an exception it was raised from (a template tag may wrap it), is a database outage."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, DATABASE_DOWN):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def visitor_language(request) -> str:
    """The language of the URL prefix (/kk/, /ru/, /en/), else the language cookie or Accept-Language, else kk."""
    codes = {code for code, _name in settings.LANGUAGES}
    prefix = request.path.lstrip("/").split("/", 1)[0]
    if prefix in codes:
        return prefix
    language = translation.get_language_from_request(request, check_path=False)
    return language if language in codes else settings.LANGUAGE_CODE


def service_unavailable(request) -> HttpResponse:
    language = visitor_language(request)
    with translation.override(language):
        # A plain dict, not a RequestContext: no context processor runs, so nothing reads the session or the user.
        html = loader.get_template("503.html").render({"language": language, "path": request.path})
    response = HttpResponse(html, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    response["Content-Language"] = language
    response["Content-Security-Policy"] = POLICY
    return response


def server_error(request, template_name: str = "500.html") -> HttpResponse:
    """handler500: the 503 page when the database is unreachable, Django's static 500 page for anything else."""
    if database_is_down(sys.exc_info()[1]):
        # Django logs the failure with its traceback after this handler returns (django.request, "Service
        # Unavailable"); this line says what it means for whoever reads the log.
        logger.warning("Database unreachable: served the 503 page for %s", request.path)
        try:
            return service_unavailable(request)
        except Exception:
            logger.exception("The 503 page failed; serving the 500 page instead")
    response = django_server_error(request, template_name=template_name)
    response["Content-Security-Policy"] = POLICY
    return response
