"""Django's model backend, reading a user's permissions in one query instead of two.

Every admin page asks Django whether the user may enter the admin (`wagtailadmin.access_admin`)
and the city permission (`volunteering.manage_all_communities`, `volunteering.scopes`); Django's
`ModelBackend` reads the user's own permissions and their groups' in two queries, once per
request. Both come from one query here, with the same answer (issue 11: the admin lists' query
budget). Signing in, superusers and inactive users are Django's as they were."""

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q


class ModelBackendOneQuery(ModelBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if user_obj.is_superuser:
            return super().get_all_permissions(user_obj, obj)
        if not hasattr(user_obj, "_perm_cache"):
            held = Permission.objects.filter(Q(user=user_obj) | Q(group__user=user_obj))
            user_obj._perm_cache = {
                f"{app_label}.{codename}"
                for app_label, codename in held.values_list(
                    "content_type__app_label", "codename"
                ).order_by()
            }
        return user_obj._perm_cache


DJANGO_BACKEND = "django.contrib.auth.backends.ModelBackend"
PORTAL_BACKEND = f"{ModelBackendOneQuery.__module__}.{ModelBackendOneQuery.__name__}"


class SessionsOfDjangosBackend:
    """Sessions signed in before this backend existed name Django's, which is no longer in
    AUTHENTICATION_BACKENDS, so Django would treat them as signed out: every member and staff
    member signed out by a deployment. They are carried over to this backend on their next
    request (the session is saved once). Placed before AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            if request.session.get(BACKEND_SESSION_KEY) == DJANGO_BACKEND:
                request.session[BACKEND_SESSION_KEY] = PORTAL_BACKEND
        return self.get_response(request)
