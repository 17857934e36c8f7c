from django.contrib import admin
from django.urls import include, path

from hienmau import views
from hienmau.api.api import api

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("hienmau.accounts.urls")),
    path("", include("hienmau.orgs.urls")),
    path("", include("hienmau.plans.urls")),
    path("", include("hienmau.donors.urls")),
    path("", include("hienmau.drives.urls")),
    path("", include("hienmau.imports.urls")),
    path("", include("hienmau.reports.urls")),
    path("", include("hienmau.honors.urls")),
    path("", include("hienmau.outreach.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
