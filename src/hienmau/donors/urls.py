from django.urls import path

from hienmau.donors import views

app_name = "donors"
urlpatterns = [
    path("nguoi-hien-mau/", views.donor_list, name="list"),
    path("nguoi-hien-mau/them/", views.donor_create, name="create"),
    path("nguoi-hien-mau/<uuid:code>/", views.donor_detail, name="detail"),
    path("nguoi-hien-mau/<uuid:code>/sua/", views.donor_edit, name="edit"),
]
