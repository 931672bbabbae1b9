"""Language selection: Simplified Chinese unless the visitor chose otherwise."""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class ChosenLanguageMiddleware:
    """Activate the language saved by the language switcher (its cookie), else LANGUAGE_CODE.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a resident whose
    phone is set to English would get an English portal they never asked for; the portal is
    Chinese first and English is a choice made with the switcher."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response
