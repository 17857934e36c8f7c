from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


def find_login_user(identifier: str):
    """The account a typed login identifier names (username or e-mail, any case), or None.

    The one rule for login: the backend checks the password of this account and the
    login throttle counts failures against it, so `lanhdao` and `lanhdao@…` are one.
    """
    identifier = identifier.strip()
    if not identifier:
        return None
    field = "email__iexact" if "@" in identifier else "username__iexact"
    return get_user_model().objects.filter(**{field: identifier}).first()


class UsernameOrEmailBackend(ModelBackend):
    """Log in with the username or the e-mail address, both case-insensitive."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = find_login_user(username)
        if user is None:
            # Run the hasher anyway so a missing account takes as long as a wrong password.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
