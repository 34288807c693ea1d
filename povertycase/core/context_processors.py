from povertycase.accounts.models import role_of


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    profile = getattr(user, "profile", None)
    return {"user_role": role_of(user), "user_profile": profile}
