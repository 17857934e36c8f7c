from ninja.security import HttpBearer, django_auth

from hienmau.accounts.models import ApiToken


class TokenAuth(HttpBearer):
    """`Authorization: Bearer hm_…` with a token the user made on their account page."""

    def authenticate(self, request, token):
        user = ApiToken.authenticate(token)
        if user is not None:
            request.user = user
        return user


# Units' systems use tokens; a logged-in browser (the docs page) uses its session.
API_AUTH = [TokenAuth(), django_auth]
