"""Placeholder: being written."""

from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


mailing_list = mailing_create = mailing_detail = mailing_cancel = _todo
appeal_list = appeal_create = appeal_detail = appeal_responses = appeal_wave = _todo
appeal_close = members = remove_member = _todo
