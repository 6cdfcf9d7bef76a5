from .permissions import access


def user_access(request):
    """Whether the signed-in account has any role or officer post: the menu shows the apps only then."""
    user = getattr(request, "user", None)
    return {"user_has_access": user is not None and user.is_authenticated and access(user).has_any_access}
