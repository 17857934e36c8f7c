from django.urls import path

from hienmau.plans import document_views, import_views, institution_views, views

app_name = "plans"
urlpatterns = [
    path("ke-hoach/", views.plan_list, name="list"),
    path("ke-hoach/them/", views.plan_create, name="create"),
    path("ke-hoach/<uuid:code>/", views.plan_detail, name="detail"),
    path("ke-hoach/<uuid:code>/sua/", views.plan_edit, name="edit"),
    path("ke-hoach/<uuid:code>/lap-nam-sau/", views.plan_copy, name="copy"),
    path("ke-hoach/<uuid:code>/chi-tieu/", views.quota_edit, name="quota_edit"),
    path("ke-hoach/<uuid:code>/muc/", views.section_edit, name="section_edit"),
    path("ke-hoach/<uuid:code>/nhap/", import_views.import_plan, name="import"),
    path("ke-hoach/<uuid:code>/tai-ve/<slug:kind>/", document_views.plan_document,
         name="document"),
    path("chien-dich/", views.campaign_list, name="campaigns"),
    path("dot-hien-mau/", views.drive_list, name="drives"),
    path("dot-hien-mau/lich/", views.drive_calendar, name="calendar"),
    path("dot-hien-mau/them/", views.drive_create, name="drive_create"),
    path("dot-hien-mau/<uuid:code>/", views.drive_detail, name="drive"),
    path("dot-hien-mau/<uuid:code>/sua/", views.drive_edit, name="drive_edit"),
    path("dot-hien-mau/<uuid:code>/huy/", views.drive_cancel, name="drive_cancel"),
    path("dot-hien-mau/<uuid:code>/thong-bao/", document_views.drive_announcement,
         name="drive_announcement"),
    path("don-vi/<uuid:code>/nang-luc-tiep-nhan/", institution_views.institution_settings,
         name="institution_settings"),
]
