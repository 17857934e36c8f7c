from django.urls import path, re_path

from hienmau.reports import views

app_name = "reports"
urlpatterns = [
    path("bao-cao/", views.report, name="dashboard"),
    re_path(r"^bao-cao/tai-ve\.(?P<extension>xlsx|docx|pdf)$", views.report_file,
            name="file"),
]
