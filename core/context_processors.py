from django.conf import settings


def site(request):
    user = getattr(request, "user", None)
    has_access = False
    if user is not None and user.is_authenticated:
        from branches.permissions import access

        has_access = access(user).has_any_access
    return {"SCHOOL_NAME": settings.SCHOOL_NAME, "user_has_access": has_access}
