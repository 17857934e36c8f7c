from django.contrib.auth import views as auth_views
from django.urls import path

from hienmau.accounts import views

app_name = "accounts"
urlpatterns = [
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("tai-khoan/", views.profile, name="profile"),
    path("tai-khoan/doi-mat-khau/", views.PasswordChangeView.as_view(), name="password_change"),
    path("tai-khoan/ma-api/<int:pk>/thu-hoi/", views.revoke_token, name="revoke_token"),
]
