"""The portal's URLs plus /bench/ping/: a JSON view that does nothing, behind the whole
middleware stack (sessions, locale, CSRF, security headers…). Its requests per second are the
floor of any Django view under the same server, as a static file's are the ceiling."""

from django.http import JsonResponse
from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns


def ping(request):
    return JsonResponse({"ok": True})


urlpatterns = [path("bench/ping/", ping), *portal_urlpatterns]
