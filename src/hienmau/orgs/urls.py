from django.urls import path

from hienmau.orgs import views

app_name = "orgs"
urlpatterns = [
    path("don-vi/", views.tree, name="tree"),
    path("don-vi/them/", views.create, name="create"),
    path("don-vi/trung-lap/", views.duplicates, name="duplicates"),
    path("don-vi/trung-lap/khong-trung/", views.not_duplicate, name="not_duplicate"),
    path("don-vi/xa-phuong/", views.communes, name="communes"),
    path("don-vi/<uuid:code>/", views.detail, name="detail"),
    path("don-vi/<uuid:code>/truc-thuoc/", views.children, name="children"),
    path("don-vi/<uuid:code>/sua/", views.edit, name="edit"),
    path("don-vi/<uuid:code>/chuyen/", views.move, name="move"),
    path("don-vi/<uuid:code>/sap-nhap/", views.merge, name="merge"),
    path("don-vi/<uuid:code>/xoa/", views.delete, name="delete"),
    path("don-vi/<uuid:code>/thanh-vien/", views.members, name="members"),
    path("don-vi/<uuid:code>/thanh-vien/<int:pk>/vai-tro/", views.change_role,
         name="change_role"),
    path("don-vi/<uuid:code>/thanh-vien/<int:pk>/bo/", views.remove_member, name="remove_member"),
    path("nhat-ky/", views.audit_log, name="audit"),
]
