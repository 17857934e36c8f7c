from django.urls import path

from hienmau.honors import views

app_name = "honors"
urlpatterns = [
    path("ton-vinh/", views.rounds, name="rounds"),
    path("ton-vinh/them/", views.round_create, name="round_create"),
    path("ton-vinh/<uuid:code>/", views.round_detail, name="round"),
    path("ton-vinh/<uuid:code>/de-xuat/", views.propose, name="propose"),
    path("ton-vinh/<uuid:code>/dieu-chinh/", views.decide, name="decide"),
    path("ton-vinh/<uuid:code>/them/", views.add, name="add"),
    path("ton-vinh/<uuid:code>/duyet/", views.approve, name="approve"),
    path("ton-vinh/<uuid:code>/khen-thuong/", views.record_awards, name="record_awards"),
    path("ton-vinh/<uuid:code>/danh-sach.<str:extension>", views.export, name="export"),
    path("ton-vinh/<uuid:code>/giay-chung-nhan.pdf", views.round_certificates,
         name="certificates"),
    path("ton-vinh/moc/", views.tiers, name="tiers"),
    path("thi-dua/", views.emulation_ranking, name="emulation"),
    path("thi-dua/tai-ve.xlsx", views.emulation_xlsx, name="emulation_xlsx"),
    path("khen-thuong/them/", views.award_create, name="award_create"),
    path("khen-thuong/<uuid:code>/xoa/", views.award_delete, name="award_delete"),
]
