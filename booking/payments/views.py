"""The simulated bank's browser side as Django views, for `make demo` (EPAY_MODE=simulator): the widget script and
the endpoint its Pay and Decline buttons post to. Served by the site itself, so the payment step's CSP needs nothing
more than 'self'. Not for production: get_payment_gateway() only uses them in simulator mode."""

from django.http import HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from .bank import default_bank


@never_cache
def payment_api_js(request):
    return HttpResponse(default_bank().widget_script(), content_type="application/javascript; charset=utf-8")


@csrf_exempt  # the bank's own endpoint: the simulated bank checks the invoice's access token instead
@never_cache
def decide(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    code, body = default_bank().decide(request.POST.dict())
    return JsonResponse(body, status=code)
