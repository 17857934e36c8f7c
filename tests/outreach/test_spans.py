"""Runs of ids (outreach.spans): the preview and eligibility read a province's donors by
id ranges; donors inside a range but outside the audience must not be counted."""

from collections import Counter

from django.utils import timezone

from hienmau.outreach import outbox, spans


def test_runs_are_sorted_distinct_and_cut_to_size():
    runs = list(spans.runs([9, 3, 3, 7, 1, 12], size=2))
    assert runs == [(spans.Span(1, 3), {1, 3}), (spans.Span(7, 9), {7, 9}),
                    (spans.Span(12, 12), {12})]
    assert list(spans.runs([])) == []


def test_a_sparse_run_is_asked_for_by_its_list():
    assert list(spans.runs([5, 500, 9000], size=3)) == [([5, 500, 9000], {5, 500, 9000})]
    assert spans.where([5, 500]) == {"donor_id__in": [5, 500]}


def test_where_is_a_range_for_a_span_and_a_list_otherwise():
    assert spans.where(spans.Span(4, 8)) == {"donor_id__gte": 4, "donor_id__lte": 8}
    assert spans.where({5}, "pk") == {"pk__in": [5]}


def test_reachable_counts_what_queueing_writes_and_no_one_between(make_donor, mailing,
                                                                  monkeypatch):
    names = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Khánh", "Lan", "Minh"]
    donors = [make_donor(f"Trần {name}", consents=("sms",) if i % 3 else ())
              for i, name in enumerate(names)]
    audience = [d.pk for d in donors[::2]]  # every other donor: the rest lie in the ranges
    monkeypatch.setattr(spans, "RUN", 2)
    by_channel, skipped = outbox.reachable(audience, ["sms"])
    planned = Counter(chosen[0] if chosen else reason
                      for _d, chosen, reason in outbox.plan(audience, ["sms"], timezone.now()))
    assert by_channel + skipped == planned == {"sms": 3, "no_consent": 2}
    assert outbox.queue(mailing(channels=["sms"]), audience) == 3
