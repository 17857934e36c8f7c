from django.urls import path

from hienmau.imports import views

app_name = "imports"
urlpatterns = [
    path("dot-hien-mau/<uuid:code>/nhap-danh-sach/", views.upload, name="upload"),
    path("dot-hien-mau/<uuid:code>/cac-lan-nhap/", views.history, name="history"),
    path("nhap-danh-sach/<uuid:code>/", views.detail, name="detail"),
    path("nhap-danh-sach/<uuid:code>/tien-do/", views.progress, name="progress"),
    path("nhap-danh-sach/<uuid:code>/dong-bi-loai.xlsx", views.rejected_rows, name="rejected"),
    path("nhap-danh-sach/<uuid:code>/hoan-tac/", views.undo, name="undo"),
    path("mau-danh-sach-dang-ky.xlsx", views.template, name="template"),
]
