from django.urls import path

from hienmau.reports import views

app_name = "reports"
urlpatterns = [
    path("bao-cao/", views.report, name="dashboard"),
    path("bao-cao/tai-ve.xlsx", views.report_xlsx, name="xlsx"),
]
