from django.urls import path

from hienmau.drives import certificate_views, day_views, public_views, views

app_name = "drives"
urlpatterns = [
    path("dot-hien-mau/<uuid:code>/dang-ky/", views.registration_list, name="registrations"),
    path("dot-hien-mau/<uuid:code>/dang-ky/them/", views.registration_add,
         name="registration_add"),
    path("dot-hien-mau/<uuid:code>/dang-ky/<str:reference>/sua/", views.registration_edit,
         name="registration_edit"),
    path("dot-hien-mau/<uuid:code>/dang-ky/<str:reference>/huy/", views.registration_cancel,
         name="registration_cancel"),
    path("dot-hien-mau/<uuid:code>/ngay-hien-mau/", day_views.station, name="station"),
    path("dot-hien-mau/<uuid:code>/ngay-hien-mau/<str:reference>/", day_views.station_person,
         name="station_person"),
    path("dot-hien-mau/<uuid:code>/ket-qua-truc-tiep/", day_views.tally, name="tally"),
    path("dot-hien-mau/<uuid:code>/ket-thuc/", day_views.close, name="close"),
    path("dot-hien-mau/<uuid:code>/chung-nhan.pdf", certificate_views.drive_certificates,
         name="drive_certificates"),
    path("chung-nhan/<uuid:code>/pdf/", certificate_views.certificate, name="certificate"),
    path("chung-nhan/<uuid:code>/", certificate_views.verify, name="verify_certificate"),
    path("hien-mau/", public_views.upcoming_drives, name="public_drives"),
    path("hien-mau/<uuid:code>/ket-qua/", day_views.public_tally, name="public_tally"),
    path("hien-mau/<uuid:code>/", public_views.sign_up, name="sign_up"),
    path("hien-mau/dang-ky/<str:reference>/", public_views.confirmation, name="confirmation"),
]
