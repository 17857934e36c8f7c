from django.core.management.base import BaseCommand
from django.utils import translation

from hienmau.demo import data, loader


class Command(BaseCommand):
    help = "Load the demo organizations and accounts from the seed documents (idempotent)."

    def handle(self, *args, **options):
        translation.activate("vi")
        created = loader.load_organizations()
        rows = loader.load_accounts()
        self.stdout.write(f"Dữ liệu mẫu: {created} tổ chức mới.")
        if loader.load_plan_2024():
            self.stdout.write("Đã nạp Kế hoạch hiến máu năm 2024 của tỉnh Hưng Yên (tài liệu 002).")
        if loader.load_history():
            self.stdout.write("Đã nạp kết quả hiến máu các năm 2022–2023 (tài liệu 000, 002, 004).")
        if donors := loader.load_donors():
            self.stdout.write(f"Đã nạp {donors} người hiến máu mẫu (người giả định).")
        if loader.load_honors():
            self.stdout.write("Đã lập một đợt tôn vinh mẫu năm 2024 với danh sách đề xuất.")
        if loader.load_upcoming_drive():
            self.stdout.write("Đã tạo một đợt hiến máu sắp tới có người đăng ký mẫu.")
        if loader.load_todays_drive():
            self.stdout.write("Đã tạo một đợt hiến máu hôm nay đang diễn ra (bàn đón tiếp, "
                              "kết quả trực tiếp).")
        if loader.load_outreach():
            self.stdout.write("Đã thêm thành viên cho câu lạc bộ hiến máu mẫu và ghi nhận sự "
                              "đồng ý nhận tin của người hiến máu mẫu.")
        self.stdout.write("")
        self.stdout.write(f"Tài khoản mẫu (mật khẩu chung: {data.DEMO_PASSWORD}):")
        for username, role, org in rows:
            self.stdout.write(f"  {username:<14} {role:<32} {org}")
