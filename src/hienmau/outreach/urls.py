from django.urls import path

from hienmau.outreach import appeal_views, club_views, public_views, views

app_name = "outreach"
urlpatterns = [
    path("tin-nhan/", views.mailing_list, name="mailings"),
    path("tin-nhan/moi/", views.mailing_create, name="mailing_create"),
    path("tin-nhan/<uuid:code>/", views.mailing_detail, name="mailing"),
    path("tin-nhan/<uuid:code>/huy/", views.mailing_cancel, name="mailing_cancel"),
    path("khan-cap/", appeal_views.appeal_list, name="appeals"),
    path("khan-cap/moi/", appeal_views.appeal_create, name="appeal_create"),
    path("khan-cap/<uuid:code>/", appeal_views.appeal_detail, name="appeal"),
    path("khan-cap/<uuid:code>/tra-loi/", appeal_views.appeal_responses,
         name="appeal_responses"),
    path("khan-cap/<uuid:code>/gui-tiep/", appeal_views.appeal_wave, name="appeal_wave"),
    path("khan-cap/<uuid:code>/ket-thuc/", appeal_views.appeal_close, name="appeal_close"),
    path("cau-lac-bo/<uuid:code>/thanh-vien/", club_views.members, name="club_members"),
    path("cau-lac-bo/<uuid:code>/thanh-vien/<uuid:donor>/xoa/", club_views.remove_member,
         name="club_member_remove"),
    path("tu-choi/<str:token>/", public_views.opt_out, name="opt_out"),
    path("tra-loi/<str:token>/", public_views.answer, name="answer"),
    path("outreach/callbacks/<str:channel>/", public_views.delivery_callback,
         name="delivery_callback"),
    path("outreach/inbound/sms/", public_views.inbound_sms, name="inbound_sms"),
]
