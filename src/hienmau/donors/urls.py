from django.urls import path

from hienmau.donors import manage_views, views

app_name = "donors"
urlpatterns = [
    path("nguoi-hien-mau/", views.donor_list, name="list"),
    path("nguoi-hien-mau/them/", views.donor_create, name="create"),
    path("nguoi-hien-mau/<uuid:code>/", views.donor_detail, name="detail"),
    path("nguoi-hien-mau/<uuid:code>/sua/", views.donor_edit, name="edit"),
    path("nguoi-hien-mau/trung-lap/", manage_views.duplicates, name="duplicates"),
    path("nguoi-hien-mau/<uuid:code>/gop/", manage_views.merge_donors, name="merge"),
    path("nguoi-hien-mau/hoan-tac-gop/<uuid:code>/", manage_views.undo_merge,
         name="undo_merge"),
    path("nguoi-hien-mau/<uuid:code>/du-lieu/", manage_views.export, name="export"),
    path("nguoi-hien-mau/<uuid:code>/xoa-du-lieu/", manage_views.erase, name="erase"),
    path("nguoi-hien-mau/<uuid:code>/dong-y/", manage_views.consent, name="consent"),
    path("nguoi-hien-mau/<uuid:code>/so-lan-truoc/", manage_views.prior_donations,
         name="prior_donations"),
    path("nguoi-hien-mau/<uuid:code>/gia-dinh/", manage_views.household, name="household"),
]
